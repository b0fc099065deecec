"""`workshop export`, `report` and `purge`: what a facilitator takes home, and their errors
(an unwritable path) as clear messages with exit code 2."""

from __future__ import annotations

import json

from openpyxl import load_workbook

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
