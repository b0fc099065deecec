"""`workshop export`, `report` and `purge`: what a facilitator takes home, and their errors
(an unwritable path) as clear messages with exit code 2."""

from __future__ import annotations

import json

from openpyxl import load_workbook

from tests.support.servers import ROOT
from toolkit.cli import main
from toolkit.store import Store


def test_export_every_format_holds_every_answer(session_code, tmp_path, capsys):
    """Do xlsx, csv and json exports each hold every answer and contribution?"""
    store = Store.open()
    session = store.get_session(session_code)
    answers = store.answers(session.id)
    contributions = store.contributions(session.id)
    store.close()
    assert main(["export", session_code, "--format", "json", "-o", str(tmp_path / "e.json")]) == 0
    data = json.loads((tmp_path / "e.json").read_text())
    tables = data["tables"]
    assert len(data["answers"]) == len(answers)
    assert sum(r["Antwoorden"] for r in tables["participants"]["rows"]) == len(answers)
    assert len(tables["contributions"]["rows"]) == len(contributions)
    people = {a.participant_id for a in answers}
    for exercise in {a.exercise for a in answers}:
        who = {a.participant_id for a in answers if a.exercise == exercise}
        assert len(tables[exercise]["rows"]) == len(who) <= len(people)
    assert main(["export", session_code, "--format", "xlsx", "-o", str(tmp_path / "e.xlsx")]) == 0
    book = load_workbook(tmp_path / "e.xlsx")
    assert book.sheetnames[0] == "Overzicht"
    assert sum(c.value for c in book["Deelnemers"]["B"][1:]) == len(answers)
    assert book["Kaart aanvullingen"].max_row - 1 == len(contributions)
    assert main(["export", session_code, "--format", "csv", "-o", str(tmp_path / "csv")]) == 0
    files = {p.name for p in (tmp_path / "csv").glob("*.csv")}
    assert {"summary.csv", "bestuurstafel.csv", "contributions.csv", "participants.csv"} <= files
    assert "Deelnemer" in (tmp_path / "csv" / "participants.csv").read_text()


def test_unwritable_export_path(session_code, tmp_path, capsys):
    """Is a path under a regular file refused with a message and exit code 2?"""
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert main(["export", session_code, "--format", "json", "-o", str(blocker / "out.json")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_report_is_self_contained(session_code, tmp_path, capsys):
    """Does `report` write one HTML file that loads nothing from another host?"""
    target = tmp_path / "report.html"
    assert main(["report", session_code, "-o", str(target)]) == 0
    page = target.read_text()
    assert "Zelfscan" in page and "workshop-map" in page
    import re

    assert not re.search(r"""(src|href)=["']https?://""", page)


def test_purge_asks_and_then_deletes(session_code, capsys, monkeypatch):
    """Does purge refuse without confirmation, and with --yes delete the participants and
    their answers (keeping the session's group results) and say what; does --all then
    delete the session itself?"""
    assert main(["purge", session_code]) == 2  # stdin is not a terminal: refuse
    assert "add --yes" in capsys.readouterr().err
    assert main(["purge", session_code, "--all"]) == 2  # --all asks too
    assert "add --yes" in capsys.readouterr().err
    assert main(["purge", session_code, "--yes"]) == 0
    said = capsys.readouterr().out
    assert "answers" in said and "participants" in said and "Kept the group results" in said
    store = Store.open()
    session = store.get_session(session_code)
    assert session is not None and store.answers(session.id) == []
    assert store.participant_counts(session.id)["joined"] == 0
    assert store.kept_results(session.id)
    store.close()
    assert main(["purge", session_code, "--all", "--yes"]) == 0
    assert "Deleted session" in capsys.readouterr().out
    store = Store.open()
    assert store.get_session(session_code) is None
    store.close()


def _own_exercise_session(tmp_path, monkeypatch):
    """A session of a programme with an exercise of its own (a copy of the self-scan under
    another id and title, in the programme's exercises_folder), two participants'
    answers to it; returns (code, programme file). WORKSHOP_EXERCISES is unset again."""
    from toolkit.exercises.programme import load_programme, programme_room
    from toolkit.settings import Settings

    own = tmp_path / "eigen"
    own.mkdir()
    shipped = (ROOT / "datasets" / "exercises" / "01_bestuurstafel.yaml").read_text("utf-8")
    text = shipped.replace("id: bestuurstafel", "id: eigen-tafel").replace(
        "nl: Zelfscan informatiemanagement bij jouw bestuur", "nl: Onze eigen zelfscan"
    )
    (own / "eigen.yaml").write_text(text, encoding="utf-8")
    programme_file = tmp_path / "programma.yaml"
    programme_file.write_text(
        "title: Eigen\nexercises_folder: eigen\nsteps:\n  - exercise: eigen-tafel\n",
        encoding="utf-8",
    )
    programme, folder = load_programme(programme_file)
    monkeypatch.setenv(
        "WORKSHOP_EXERCISES", Settings(exercises=(folder,)).environ()["WORKSHOP_EXERCISES"]
    )
    store = Store.open()
    session = store.create_session(
        programme.title, exercises=["eigen-tafel"], room=programme_room(programme)
    )
    for name, level in (("Anna", 2), ("Bram", 4)):
        person, _token = store.join(session.code, name)
        store.apply_answers(person, "eigen-tafel", [("visie", level)])
    store.close()
    monkeypatch.delenv("WORKSHOP_EXERCISES")
    return session.code, programme_file


def test_own_exercises_are_exported_with_their_programme(data, tmp_path, monkeypatch, capsys):
    """After the event, without WORKSHOP_EXERCISES: does an export name the exercise it
    cannot label and say how to fix it, does --programme label it (its own title and
    columns), and does purge refuse (nothing deleted) rather than drop its results?"""
    code, programme = _own_exercise_session(tmp_path, monkeypatch)
    out = tmp_path / "e.json"
    assert main(["export", code, "--format", "json", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"session {code} ran exercises not found here ('eigen-tafel')" in err
    assert "--programme FILE" in err
    assert json.loads(out.read_text())["tables"]["eigen-tafel"]["title"] == "eigen-tafel"

    assert main(["purge", code, "--yes"]) == 2
    assert "nothing deleted" in capsys.readouterr().err
    store = Store.open()
    assert len(store.answers(store.get_session(code).id)) == 2
    store.close()

    args = ["export", code, "--format", "json", "-o", str(out), "--programme", str(programme)]
    assert main(args) == 0
    assert "not found here" not in capsys.readouterr().err
    table = json.loads(out.read_text())["tables"]["eigen-tafel"]
    assert table["title"] == "Onze eigen zelfscan"
    assert {"key": "visie", "label": "Visie"} in table["columns"]  # labelled, not bare
    assert sorted(row["Visie"] for row in table["rows"]) == [2, 4]

    assert main(["purge", code, "--yes", "--programme", str(programme)]) == 0
    store = Store.open()
    kept = store.kept_results(store.get_session(code).id)
    store.close()
    assert "eigen-tafel" in kept
