"""One source for shared inputs: the dataset read once per version of its files, one CSV
reader, a question's flows from the file it names, and one session map per audience."""

from __future__ import annotations

import html
import os
import shutil
import uuid
from pathlib import Path

import pytest
import yaml

from tests.support.servers import participant_server
from tests.support.web import Visitor
from toolkit.after.report_sections import Report
from toolkit.apps.dashboard.app import DashboardApp
from toolkit.content.dataset import load_default, shipped_dataset
from toolkit.content.flows import FLOW_COLUMNS, flows_for, load_flows
from toolkit.content.problems import ContentError
from toolkit.exercises.check import check_content
from toolkit.exercises.library import exercise_library
from toolkit.i18n import t
from toolkit.map.session import session_map
from toolkit.paths import datasets_dir
from toolkit.questions import Content, question_type
from toolkit.results.aggregate import aggregate_exercise
from toolkit.results.session import purge_people
from toolkit.results.views import question_result_html
from toolkit.store import Store

ORG = "Eigen-Stichting-5521"


# --- the dataset, once per version --------------------------------------------------------


@pytest.fixture
def content_copy(tmp_path, monkeypatch):
    """A copy of the shipped datasets as the content root (``WORKSHOP_CONTENT``)."""
    shutil.copytree(datasets_dir(), tmp_path / "datasets")
    monkeypatch.setenv("WORKSHOP_CONTENT", str(tmp_path))
    return tmp_path / "datasets"


def _rewrite_keeping_stamp(path: Path, old: str, new: str) -> None:
    """Change the file's text to one of the same size and give it its old modification
    time back: the same version as far as the cache can tell."""
    assert len(old.encode()) == len(new.encode())
    before = path.stat()
    path.write_bytes(path.read_bytes().replace(old.encode(), new.encode()))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_the_dataset_is_read_once_per_version_of_its_files(content_copy):
    """Is the shipped dataset not read again while its files stay the same version?"""
    first = shipped_dataset()
    assert first.organisation("kennisnet")["name"] == "Kennisnet"
    # Same size, same modification time: were the files read again, the name would change.
    _rewrite_keeping_stamp(
        content_copy / "stakeholders/organisations.csv", "Kennisnet,", "Kennisnot,"
    )
    assert shipped_dataset() is first
    assert load_default().organisation("kennisnet")["name"] == "Kennisnet"


def test_an_edited_dataset_is_read_again(content_copy):
    """Does editing organisations.csv (another size) put the edit in the next load?"""
    assert load_default().organisation("kennisnet")["name"] == "Kennisnet"
    path = content_copy / "stakeholders/organisations.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Kennisnet,", "Kennisnet (bewerkt),", 1), encoding="utf-8")
    assert load_default().organisation("kennisnet")["name"] == "Kennisnet (bewerkt)"
    assert shipped_dataset().organisation("kennisnet")["name"] == "Kennisnet (bewerkt)"


def test_a_caller_cannot_change_the_cached_dataset():
    """Does changing what load_default returned leave the next caller's dataset as it was?"""
    mine = load_default()
    before = [dict(row) for row in shipped_dataset().organisations]
    mine.organisations[0]["name"] = "changed"
    mine.organisations[0]["sectors"].append("changed")
    mine.organisations.append({"id": "extra"})
    mine.relations.clear()
    again = load_default()
    assert again is not mine
    assert shipped_dataset().organisations == before
    assert again.organisations == before and again.relations


# --- flows: one reader, once per version ------------------------------------------------


def _flow(flow_id: str, name: str, agreement: str = "yes") -> list[str]:
    row = dict.fromkeys(FLOW_COLUMNS, "")
    row.update(
        id=flow_id,
        name_nl=name,
        name_en=name,
        from_system="LAS",
        to_party="Leverancier",
        data_nl="namen",
        processor_agreement=agreement,
        source_url="https://example.org/stroom",
    )
    return [row[c] for c in FLOW_COLUMNS]


def _csv_line(values) -> str:
    return ",".join(f'"{v}"' if "," in v or "\n" in v else v for v in values)


def _write_flows(path: Path, rows, *, bom: bool = True) -> Path:
    lines = [",".join(FLOW_COLUMNS), *(_csv_line(r) for r in rows)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(("\ufeff" if bom else "") + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_flows_file_with_a_bom_and_a_quoted_comma_reads_as_written(tmp_path):
    """Do a byte order mark and a quoted comma (and a value over two lines) read as meant?"""
    two_lines = _flow("b", "Twee")
    two_lines[FLOW_COLUMNS.index("description_nl")] = "regel een\nregel twee"
    path = _write_flows(tmp_path / "f.csv", [_flow("a", "Stroom, met komma"), two_lines])
    assert path.read_bytes().startswith(b"\xef\xbb\xbfid,")
    flows = load_flows(str(path))
    assert [f["id"] for f in flows] == ["a", "b"]
    assert flows[0]["name_nl"] == "Stroom, met komma"
    assert flows[1]["description_nl"] == "regel een\nregel twee"


@pytest.mark.parametrize(
    "row, message",
    [
        ("x,Stroom, zonder aanhalingstekens" + "," * (len(FLOW_COLUMNS) - 2), "fields, header has"),
        ("y,Te kort", "too few fields"),
    ],
)
def test_a_bad_flows_row_names_its_file_and_line(tmp_path, row, message):
    """Does a row with a comma too many or fields too few give file:line and how to fix it?"""
    path = _write_flows(tmp_path / "bad.csv", [_flow("a", "Goed")])
    path.write_text(path.read_text(encoding="utf-8") + row + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_flows(str(path))
    assert f"{path}:3:" in str(caught.value) and message in str(caught.value)


def test_a_flows_file_without_a_column_says_which(tmp_path):
    """Does a header without processor_agreement say the column is missing, on line 1?"""
    path = tmp_path / "short.csv"
    path.write_text("id,name_nl\na,A\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_flows(str(path))
    assert f"{path}:1: " in str(caught.value) and "processor_agreement" in str(caught.value)


def test_an_edited_flows_file_is_read_again_and_an_unchanged_one_not(tmp_path):
    """Is a flows file read once per version: the same tuple while unchanged, the edit after?"""
    path = _write_flows(tmp_path / "f.csv", [_flow("a", "Aaaa")])
    first = load_flows(str(path))
    _rewrite_keeping_stamp(path, "Aaaa", "Bbbb")
    assert load_flows(str(path)) is first
    _write_flows(path, [_flow("a", "Aaaa"), _flow("b", "Nieuw")])
    assert [f["id"] for f in load_flows(str(path))] == ["a", "b"]


# --- a question's flows, the same on every screen ---------------------------------------

CUSTOM = ("Eigen stroom, een", "Eigen stroom twee")


@pytest.fixture
def custom_exercise(tmp_path, monkeypatch):
    """A facilitator's own flow exercise whose question names its own flows file."""
    flows = _write_flows(
        tmp_path / "flows" / "eigen.csv", [_flow("e1", CUSTOM[0]), _flow("e2", CUSTOM[1], "no")]
    )
    shipped = yaml.safe_load(
        (datasets_dir() / "exercises" / "05_informatiestromen.yaml").read_text(encoding="utf-8")
    )
    shipped.update(id="eigen-stromen", order=50)
    shipped["questions"][0]["flows_file"] = str(flows)
    folder = tmp_path / "exercises"
    folder.mkdir()
    (folder / "eigen.yaml").write_text(yaml.safe_dump(shipped, allow_unicode=True), "utf-8")
    monkeypatch.setenv("WORKSHOP_EXERCISES", str(folder))
    return exercise_library()["eigen-stromen"], folder


@pytest.mark.server
def test_custom_flows_are_the_same_on_the_phone_dashboard_report_and_export(
    custom_exercise, tmp_path
):
    """Does an exercise with its own flows file show those flows, and only those, on the
    participant's page, on the dashboard, in the report's chart and in the export's columns?"""
    exercise, folder = custom_exercise
    question = exercise.questions[0]
    shipped_name = load_flows()[0]["name_nl"]
    assert [f["name_nl"] for f in flows_for(question)] == list(CUSTOM)

    env = {"WORKSHOP_EXERCISES": str(folder)}
    with participant_server(tmp_path, "Eigen", [exercise.id], env=env) as (server, session, db):
        with Visitor(server.url) as phone:
            phone.join(session.code)
            page = html.unescape(phone.page(f"/s/{session.code}/e/{exercise.id}").text)
            answer = {"f.e1.has": "yes", "f.e1.agreement": "no", "f.e2.has": "yes"}
            reply = phone.answer(exercise.id, question.id, answer)
            assert reply.json()["ok"], reply.text[:300]
            shipped_id = load_flows()[0]["id"]
            refused = phone.answer(exercise.id, question.id, {f"f.{shipped_id}.has": "yes"})
            assert not refused.json()["ok"]
    assert all(name in page for name in CUSTOM) and shipped_name not in page

    store = Store.open(f"sqlite:///{db}")
    try:
        dashboard = DashboardApp(store=store, code=session.code)
        dashboard.select(exercise.id)
        on_dashboard = html.unescape(dashboard.result.value)
        answers = store.answers(session.id, exercise=exercise.id)
        results = aggregate_exercise(
            exercise, answers, None, include_hidden=False, free_text_visible=True
        )
    finally:
        store.close()
    in_report = html.unescape(
        question_result_html(exercise, question, results[question.id], with_own=False)
    )
    columns = [
        label for _, label in question_type(question).columns(exercise, question, [], Content())
    ]
    for shown in (on_dashboard, in_report, " ".join(columns)):
        assert all(name in shown for name in CUSTOM) and shipped_name not in shown


def test_workshop_check_reads_the_flows_file_a_question_names(custom_exercise):
    """Does the content check (``workshop check``/``serve``) read an exercise's own flows
    file too, and name the file and line of a bad row in it?"""
    exercise, _folder = custom_exercise
    check_content()  # the custom file is valid
    path = Path(exercise.questions[0].flows_file)
    path.write_text(path.read_text(encoding="utf-8") + "kapot,rij\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        check_content()
    assert f"{path}:4: too few fields" in str(caught.value)


# --- one session map per audience --------------------------------------------------------


class Room:
    """A session on a new store where one participant adds an organisation and a relation."""

    def __init__(self, tmp_path: Path):
        self.store = Store.open(f"sqlite:///{tmp_path}/map.db")
        code = self.store.create_session("Kaart", exercises=["stakeholders"]).code
        person, _ = self.store.join(code, "Kaart Uil 3")
        org_id = "c-" + uuid.uuid4().hex[:12]
        self.store.add_contribution(
            person, uuid.uuid4().hex, "organisation", {"id": org_id, "name": ORG, "type": "other"}
        )
        relation = {"source": org_id, "target": "kennisnet", "relation": "collaborates_with"}
        self.store.add_contribution(person, uuid.uuid4().hex, "relation", relation)
        self.code = code

    @property
    def session(self):
        return self.store.get_session(self.code)

    def seen(self, audience: str) -> tuple[list, int]:
        """Who added the organisations ``audience`` sees, and how many relations were added."""
        data = session_map(self.store, self.session, audience=audience)
        added = [o.get("added_by") for o in data.organisations if o.get("contributed")]
        return added, sum(1 for r in data.relations if r.get("contributed"))

    def each(self, action) -> None:
        for contribution in self.store.contributions(self.session.id):
            action(self.session.id, contribution.id)


@pytest.fixture
def room(tmp_path):
    room = Room(tmp_path)
    yield room
    room.store.close()


def test_the_room_sees_additions_only_once_free_texts_are_shown_the_report_always(room):
    """With free texts not shown, does the room's map leave the additions out while the
    report's has them, and once shown, do both (the report without the pseudonym)?"""
    assert room.seen("room") == ([], 0)
    assert room.seen("report") == ([""], 1)
    room.store.update_session(room.session.id, free_text_visible=True)
    assert room.seen("room") == (["Kaart Uil 3"], 1)
    assert room.seen("report") == ([""], 1)


def test_hidden_and_unapproved_additions_stay_off_every_map(room):
    """Does a hidden addition, or one waiting for approval, stay off the room's map and the
    report's, and come onto both once shown again or approved?"""
    room.store.update_session(room.session.id, free_text_visible=True)
    room.each(lambda s, c: room.store.set_contribution_hidden(s, c, True))
    assert room.seen("room") == room.seen("report") == ([], 0)
    room.each(lambda s, c: room.store.set_contribution_hidden(s, c, False))
    room.store.update_room(room.session.id, approval={"stakeholders/aanvullen": True})
    assert room.seen("room") == room.seen("report") == ([], 0)
    room.each(lambda s, c: room.store.set_contribution_approved(s, c, True))
    assert room.seen("room") == (["Kaart Uil 3"], 1)
    assert room.seen("report") == ([""], 1)


def test_after_purge_the_report_map_keeps_the_additions(room):
    """After workshop purge, does the report's map still show what was kept?"""
    purge_people(room.store, room.session)
    assert room.seen("room") == ([], 0)
    assert room.seen("report") == ([""], 1)


def test_the_dashboard_and_the_report_draw_the_session_map(room):
    """Do the dashboard's map and the report's map section draw what session_map gives
    their audience (the dashboard: what the room may see; the report: moderated)?"""
    dashboard = DashboardApp(store=room.store, code=room.code)
    dashboard._draw_map()
    assert t("d_additions", "nl", orgs=0, rels=0) in dashboard.map_box.children[0].value
    assert ORG in html.unescape(Report(room.store, room.code).stakeholder_map())
    room.store.update_session(room.session.id, free_text_visible=True)
    dashboard.session = room.session
    dashboard._draw_map()
    assert t("d_additions", "nl", orgs=1, rels=1) in dashboard.map_box.children[0].value
    room.each(lambda s, c: room.store.set_contribution_hidden(s, c, True))
    assert ORG not in html.unescape(Report(room.store, room.code).stakeholder_map())


def test_an_unknown_audience_is_refused(room):
    """Does session_map refuse an audience it does not know, naming the ones it does?"""
    with pytest.raises(ValueError, match="room, report"):
        session_map(room.store, room.session, audience="everyone")
