"""`workshop export`: a workbook a facilitator can open (a summary first, then one row per
participant and one column per item, labels not ids, numbers as numbers, frozen headers,
fitted widths), and CSV and JSON with the same labels. Read back with openpyxl."""

from __future__ import annotations

import csv
import json
import random
import re
import uuid

import pytest
from openpyxl import load_workbook

from toolkit.after.demo import fill_demo_session
from toolkit.after.export import session_tables
from toolkit.cli import main as workshop
from toolkit.exercises.loader import default_exercises
from toolkit.questions import Content, question_type
from toolkit.questions.typed_text import need_key
from toolkit.results.session import purge_people
from toolkit.store import Store

NEED = "Een vaste contactpersoon bij SIVON"
ORG = "Regionaal netwerk Noord"
ASKED = "Wie betaalt de verwerkersovereenkomsten?"
IDS = re.compile(r"\b(?:n-[0-9a-f]{12}|c-[0-9a-f]{12})\b")
EXERCISES = {e.id: e for e in default_exercises()}


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    """A demo session plus one participant, 'Vaste Vos', whose every answer is known."""
    folder = tmp_path_factory.mktemp("export")
    url = f"sqlite:///{folder / 'workshop.db'}"
    store = Store.open(url)
    code = store.create_session("Exporttest", organiser="Testbestuur").code
    fill_demo_session(store, code, participants=5)
    fox, _ = store.join(code, "Vaste Vos")
    store.save_answer(fox, "bestuurstafel", "visie", 4)
    store.save_answer(fox, "bestuurstafel", "deskundigheid", 2)
    store.save_answer(
        fox, "professionalisering", "taken", {"visie-beleid": {"bestuur": "A", "ict": "R"}}
    )
    store.save_answer(fox, "professionalisering", "negenvlak", {"cio": "strategy:information"})
    store.save_answer(fox, "behoeften", f"needs:{uuid.uuid4().hex[:12]}", {"text": NEED})
    store.save_answer(fox, "behoeften", "votes", {need_key(NEED): 2, "training-im": 3})
    store.save_answer(fox, "stakeholders", "belang-invloed", {"ocw": [2, 5], "gmr": [4, 1]})
    store.save_answer(
        fox,
        "informatiestromen",
        "stromen",
        {"las-entree-federatie": {"has": "yes", "agreement": "unknown"}},
    )
    store.save_answer(fox, "ibp-bestuurstafel", "jaarverslag", ["datalekken", "plannen"])
    asked = f"vragen:{uuid.uuid4().hex[:12]}"
    store.save_answer(fox, "de-zaal", asked, {"text": ASKED})
    backer, _ = store.join(code, "Steunende Specht")  # supports the fox's question
    store.save_answer(backer, "de-zaal", "vragen~votes", {"votes": [asked]})
    org = f"c-{uuid.uuid4().hex[:12]}"
    store.add_contribution(
        fox, uuid.uuid4().hex, "organisation", {"id": org, "name": ORG, "type": "network"}
    )
    store.add_contribution(
        fox,
        uuid.uuid4().hex,
        "relation",
        {"source": org, "target": "kennisnet", "relation": "collaborates_with"},
    )
    store.close()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("WORKSHOP_DB", url)
        env.setenv("WORKSHOP_DATA", str(folder))
        yield code, url, folder


def export(session, fmt, target, *extra):
    code, _url, _folder = session
    assert workshop(["export", code, "--format", fmt, "-o", str(target), *extra]) == 0
    return target


def sheet_of(book, exercise_id: str, lang: str = "nl"):
    """The worksheet of an exercise: named after its title (cut at 31 characters)."""
    title = re.sub(r"[\[\]:*?/\\']", " ", EXERCISES[exercise_id].title(lang)).strip()
    found = [ws for ws in book.worksheets if title.startswith(ws.title.rstrip("…"))]
    assert len(found) == 1, (exercise_id, [ws.title for ws in found])
    return found[0]


def header(sheet, row=1) -> list:
    return [c.value for c in sheet[row]]


def row_of(sheet, pseudonym) -> dict:
    labels = header(sheet)
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if row[0] == pseudonym:
            return dict(zip(labels, row, strict=True))
    raise AssertionError(f"no row for {pseudonym!r} in {sheet.title}")


@pytest.fixture(scope="module")
def book(session, tmp_path_factory):
    path = export(session, "xlsx", tmp_path_factory.mktemp("x") / "results.xlsx")
    return load_workbook(path)


def test_the_summary_sheet_comes_first(book):
    """Is the first sheet a summary: the session, then per exercise how many answered (a
    number) and its outcome in a sentence, each exercise pointing at a sheet that exists?"""
    summary = book.worksheets[0]
    assert summary.title == "Overzicht"
    pairs = {r[0]: r[1] for r in summary.iter_rows(min_row=1, max_row=6, values_only=True)}
    assert pairs["Titel"] == "Exporttest" and pairs["Organisator"] == "Testbestuur"
    assert pairs["Deelnemers"] == 7 and isinstance(pairs["Deelnemers"], int)
    start = next(r for r in range(1, 20) if summary.cell(r, 1).value == "Oefening")
    assert header(summary, start)[:4] == [
        "Oefening",
        "Tabblad",
        "Deelnemers met antwoord",
        "Uitkomst",
    ]
    rows = [r for r in summary.iter_rows(min_row=start + 1, values_only=True) if r[0]]
    assert [r[0] for r in rows] == [e.title("nl") for e in default_exercises()]
    for title, sheet, answered, outcome in (r[:4] for r in rows):
        assert sheet in book.sheetnames, title
        assert isinstance(answered, int) and 1 <= answered <= 7
        assert isinstance(outcome, str) and outcome.endswith(".") and len(outcome) > 20
    outcomes = {r[0]: r[3] for r in rows}
    assert "Gemiddelden: Visie" in outcomes[EXERCISES["bestuurstafel"].title("nl")]
    assert "Nauw betrekken" in outcomes[EXERCISES["stakeholders"].title("nl")]
    assert book.sheetnames[-3:] == ["Teksten", "Kaart aanvullingen", "Deelnemers"]


def test_one_row_per_participant_with_numbers_as_numbers(book):
    """Does the self-scan sheet hold one row per participant, the levels as numbers under
    the building blocks' names, with the header frozen, bold and the columns fitted?"""
    sheet = sheet_of(book, "bestuurstafel")
    assert sheet.title == "Zelfscan informatiemanagement…"
    assert header(sheet) == [
        "Deelnemer",
        "Visie",
        "Deskundigheid",
        "Inhoud & toepassingen",
        "Infrastructuur",
    ]
    assert sheet.max_row == 1 + 6
    fox = row_of(sheet, "Vaste Vos")
    assert fox["Visie"] == 4 and fox["Deskundigheid"] == 2 and fox["Infrastructuur"] is None
    for row in sheet.iter_rows(min_row=2):
        for cell in row[1:]:
            assert cell.value is None or (cell.data_type == "n" and isinstance(cell.value, int))
    assert sheet.freeze_panes == "B2"
    assert all(c.font.b for c in sheet[1])
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDE"]
    assert widths[0] == len("Deelnemer 1") + 2  # the longest pseudonym
    assert widths[1] == 8  # "Visie" and one-digit levels: the narrowest column
    assert widths[2] == len("Deskundigheid") + 2
    assert sheet.auto_filter.ref == "A1:E7"


def test_raci_grid_flows_and_votes_are_spread_over_labelled_columns(book):
    """Are RACI cells, grid axes, flows, ticks and dots each a column named in words, with
    the known participant's letters, numbers and choices in them, and no id anywhere?"""
    raci = sheet_of(book, "professionalisering")
    fox = row_of(raci, "Vaste Vos")
    assert fox["Informatiebeleid en -visie vaststellen · Bestuur"] == "A"
    assert fox["Informatiebeleid en -visie vaststellen · Ict"] == "R"
    assert fox["Informatiebeleid en -visie vaststellen · Schoolleiding"] is None
    assert fox["CIO / strategisch informatiemanager"] == "Strategie × Informatie & communicatie"
    assert fox["Bestuurder"] is None
    assert len(header(raci)) == 1 + 8 * 7 + 10

    needs = sheet_of(book, "behoeften")
    fox = row_of(needs, "Vaste Vos")
    assert fox[NEED] == 2 and fox["Scholing voor informatiemanagers"] == 3
    assert fox["Hulp bij het toepassen van FORA in de praktijk"] == 0  # answered, no dots
    assert NEED in fox.values()  # the text itself, in the needs' first column

    grid = sheet_of(book, "stakeholders")
    fox = row_of(grid, "Vaste Vos")
    ocw = "Ministerie van Onderwijs, Cultuur en Wetenschap (OCW)"
    assert (fox[f"{ocw} · Belang"], fox[f"{ocw} · Invloed"]) == (2, 5)
    assert (fox["(G)MR · Belang"], fox["(G)MR · Invloed"]) == (4, 1)
    assert isinstance(fox["(G)MR · Belang"], int) and fox["Raad van toezicht · Belang"] is None

    flows = sheet_of(book, "informatiestromen")
    fox = row_of(flows, "Vaste Vos")
    assert fox["Inloggegevens naar Entree Federatie · in gebruik"] == "ja"
    assert fox["Inloggegevens naar Entree Federatie · verwerkersovereenkomst"] == "weet niet"
    assert "Inschrijving leerling naar DUO (ROD) · verwerkersovereenkomst" not in header(flows)

    ibp = sheet_of(book, "ibp-bestuurstafel")
    fox = row_of(ibp, "Vaste Vos")
    assert fox["Aantal datalekken en hoe we ze afhandelden"] == 1
    assert fox["Vastgesteld IBP-beleid"] == 0

    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                assert not (isinstance(value, str) and IDS.search(value)), (sheet.title, value)
                assert not (isinstance(value, str) and value.startswith(("{", "["))), value


def test_texts_and_additions_are_in_words(book):
    """Does the texts sheet give each need with its dots (a number) and whether it was
    hidden, and the additions sheet a relation as 'A werkt samen met B'?"""
    texts = book["Teksten"]
    assert header(texts)[:7] == [
        "Oefening",
        "Vraag",
        "Deelnemer",
        "Tekst",
        "Stippen",
        "Steun",
        "Verborgen",
    ]
    need = next(r for r in texts.iter_rows(min_row=2, values_only=True) if r[3] == NEED)
    assert need[2] == "Vaste Vos" and need[4] == 2 and need[5] is None and need[6] is False
    question = next(r for r in texts.iter_rows(min_row=2, values_only=True) if r[3] == ASKED)
    assert question[2] == "Vaste Vos" and question[4] is None and question[5] == 1
    additions = book["Kaart aanvullingen"]
    words = [r[2] for r in additions.iter_rows(min_row=2, values_only=True)]
    assert ORG in words and f"{ORG} werkt samen met Kennisnet" in words
    people = {r[0]: r[1] for r in book["Deelnemers"].iter_rows(min_row=2, values_only=True)}
    assert people["Vaste Vos"] == 10 and len(people) == 7 and people["Steunende Specht"] == 1


def test_csv_and_json_carry_the_same_labels(session, book, tmp_path):
    """Do the CSV files and the JSON file have the workbook's column labels, and does the
    JSON keep numbers as numbers and every raw answer for researchers?"""
    folder = export(session, "csv", tmp_path / "csv")
    data = json.loads(export(session, "json", tmp_path / "r.json").read_text("utf-8"))
    names = data["session"]["sheets"]
    assert list(names) == [*EXERCISES, "texts", "contributions", "participants"]
    for name, sheet_name in names.items():
        labels = header(book[sheet_name])
        with (folder / f"{name}.csv").open(newline="", encoding="utf-8-sig") as handle:
            assert next(csv.reader(handle)) == labels, name
        assert [c["label"] for c in data["tables"][name]["columns"]] == labels, name
    fox = next(r for r in data["tables"]["bestuurstafel"]["rows"] if r["Deelnemer"] == "Vaste Vos")
    assert fox["Visie"] == 4 and "Infrastructuur" not in fox
    scan = EXERCISES["bestuurstafel"].title("nl")
    assert next(r for r in data["summary"] if r["Oefening"] == scan)["Deelnemers met antwoord"] == 6
    room = next(
        r for r in data["tables"]["de-zaal"]["rows"] if r["Deelnemer"] == "Steunende Specht"
    )
    assert room["Welke vraag wil je vandaag beantwoord zien? · steunt"] == 1
    assert {
        "pseudonym": "Vaste Vos",
        "exercise": "bestuurstafel",
        "question": "visie",
        "item": "visie",
        "value": 4,
    } == {
        k: v
        for k, v in next(a for a in data["answers"] if a["pseudonym"] == "Vaste Vos").items()
        if k in ("pseudonym", "exercise", "question", "item", "value")
    }
    with (folder / "summary.csv").open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Oefening", "Tabblad", "Deelnemers met antwoord", "Uitkomst"]
    assert len(rows) == 1 + len(EXERCISES)


def test_english_labels_on_request(session, tmp_path):
    """Does --lang en give English sheet names, labels and choices?"""
    book = load_workbook(export(session, "xlsx", tmp_path / "en.xlsx", "--lang", "en"))
    assert book.sheetnames[0] == "Summary" and book.sheetnames[-1] == "Participants"
    sheet = sheet_of(book, "bestuurstafel", "en")
    assert header(sheet)[:2] == ["Participant", "Vision"]
    flows = row_of(sheet_of(book, "informatiestromen", "en"), "Vaste Vos")
    assert flows["Login attributes to Entree Federatie · in use"] == "yes"


def test_after_purge_the_summary_remains(tmp_path):
    """Once purged, does the export still give the summary (from the kept results) and no
    sheet with people in it?"""
    store = Store.open(f"sqlite:///{tmp_path / 'p.db'}")
    try:
        code = store.create_session("Na het opschonen").code
        fill_demo_session(store, code, participants=3)
        before = session_tables(store, code)["summary"]
        purge_people(store, store.get_session(code))
        after = session_tables(store, code)
    finally:
        store.close()
    assert [r["exercise"] for r in after["summary"]] == [r["exercise"] for r in before]
    assert [r["answered"] for r in after["summary"]] == [3] * len(EXERCISES)
    scan = [r["exercise"] for r in before].index(EXERCISES["bestuurstafel"].title("nl"))
    radar = after["summary"][scan]["headline"]
    assert radar == before[scan]["headline"] and radar.startswith("Gemiddelden:")
    assert after["session"]["purged_at"] and after["session"]["participants"] == 3
    assert set(after["tables"]) == {"texts", "contributions", "participants"}
    assert all(table["rows"] == [] for table in after["tables"].values())


@pytest.mark.parametrize("exercise", list(EXERCISES.values()), ids=list(EXERCISES))
def test_every_cell_has_a_column(exercise):
    """For random valid answers to every shipped question, does each type put its cells
    only under columns it names (so nothing is lost in the export)?"""
    content, rng = Content(), random.Random(3)
    for question in exercise.questions:
        kind = question_type(question)
        value = kind.demo(question, rng, content)
        own = {question.id: value} if value is not None else {}
        if question.type == "free_text":
            own = {f"{question.id}:{i:012x}": {"text": f"tekst {i}"} for i in range(2)}
        keys = {k for k, _ in kind.columns(exercise, question, [], content, "nl")}
        cells = kind.cells(exercise, question, own, content, "nl")
        assert set(cells) <= keys, (question.id, set(cells) - keys)
        if own and question.type != "contribution":
            assert cells, question.id
