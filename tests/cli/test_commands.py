"""The facilitator's commands: session, export, report, purge, serve and check, with their
errors (unknown session, unwritable path, port in use) as clear messages and exit code 2."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from toolkit.after.demo import fill_demo_session
from toolkit.cli import main
from toolkit.store import Store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data(tmp_path, monkeypatch):
    """An isolated data folder (and so an isolated embedded SQLite store)."""
    folder = tmp_path / "data"
    monkeypatch.setenv("WORKSHOP_DATA", str(folder))
    monkeypatch.delenv("WORKSHOP_DB", raising=False)
    return folder


@pytest.fixture
def session_code(data):
    store = Store.open()
    code = store.create_session("Commands", organiser="Test").code
    fill_demo_session(store, code, participants=4)
    store.close()
    return code


def test_session_new_and_list(data, capsys):
    """Does `session new` print a join code that `session list` then shows?"""
    assert main(["session", "new", "--title", "Ochtendsessie", "--lang", "en"]) == 0
    code = capsys.readouterr().out.strip()
    assert len(code) == 6
    assert main(["session", "list"]) == 0
    listing = capsys.readouterr().out
    assert code in listing and "Ochtendsessie" in listing


@pytest.mark.parametrize(
    "command",
    [
        ["export", "NOPE42", "--format", "json", "-o", "{tmp}/x.json"],
        ["report", "NOPE42", "-o", "{tmp}/r.html"],
        ["purge", "NOPE42", "--yes"],
    ],
)
def test_unknown_session_is_a_clear_error(data, tmp_path, capsys, command):
    """Does every command that takes a session say the code is unknown, exit 2, no traceback?"""
    argv = [part.replace("{tmp}", str(tmp_path)) for part in command]
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert "no session with code 'NOPE42'" in error and "Traceback" not in error


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


def test_serve_refuses_a_port_in_use(data):
    """Does `workshop serve` on a taken port say so, exit 2 and start nothing?"""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "toolkit.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--dashboard-port",
                str(port + 1),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
        )
    assert result.returncode == 2
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_refuses_an_address_of_another_machine(data):
    """Is --host with an address this machine does not have refused clearly?"""
    result = subprocess.run(
        [sys.executable, "-m", "toolkit.cli", "serve", "--host", "192.0.2.1"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert "not an address of this machine" in result.stderr


def test_serve_refuses_an_unknown_session(data):
    """Does `serve --session` with an unknown code fail before starting anything?"""
    result = subprocess.run(
        [sys.executable, "-m", "toolkit.cli", "serve", "--session", "ZZZZZZ", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 2 and "no session with code 'ZZZZZZ'" in result.stderr


@pytest.mark.server
def test_check_measures_the_participant_server_and_the_offline_pages(data):
    """Does `workshop check` measure a real participant server (memory per participant,
    CPU per join and answer), state capacity, and find the pages offline-safe?"""
    result = subprocess.run(
        [sys.executable, "-m", "toolkit.cli", "check", "--expected", "5"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "participant server:" in out and "KB more per connected participant" in out
    assert "ms CPU per join" in out and "memory for about" in out
    assert "offline: the participant pages and the map load only from this server" in out
    assert "verdict: OK" in out
