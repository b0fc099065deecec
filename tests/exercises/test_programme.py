"""Workshop programmes: the shipped ones, the starting point, and every mistake named."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.content.problems import ContentError
from toolkit.exercises.library import exercise_library, session_exercises
from toolkit.exercises.programme import PROGRAMME_TEMPLATE, load_programme, programme_room
from toolkit.store import Store

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "datasets" / "programmes").glob("*.yaml"))


def test_two_programmes_are_shipped_and_valid():
    """Are the network meeting (90 min) and the board session (45 min) shipped, valid, and
    as long as they say?"""
    titles = {}
    for path in SHIPPED:
        programme, folder = load_programme(path)
        titles[programme.title] = programme.minutes()
        assert folder is None
    assert titles == {
        "Netwerkbijeenkomst informatiemanagement": 90,
        "Bestuurstafel informatiemanagement en IBP": 45,
    }


def test_the_starting_point_is_a_valid_programme(tmp_path):
    """Does `workshop programme new` write a file that `workshop check --programme`
    accepts, and refuse to overwrite it without --force?"""
    target = tmp_path / "mijn.yaml"
    run = [sys.executable, "-m", "toolkit.cli"]
    made = subprocess.run(
        [*run, "programme", "new", "-o", str(target)], capture_output=True, text=True, cwd=ROOT
    )
    assert made.returncode == 0, made.stderr
    assert target.read_text(encoding="utf-8") == PROGRAMME_TEMPLATE
    again = subprocess.run(
        [*run, "programme", "new", "-o", str(target)], capture_output=True, text=True, cwd=ROOT
    )
    assert again.returncode == 2 and "--force" in again.stderr
    checked = subprocess.run(
        [*run, "check", "--programme", str(target), "--skip-server"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "4 steps, 60 minutes planned" in checked.stdout


def test_every_mistake_is_named_with_its_line(tmp_path):
    """Are an unknown exercise, the same exercise twice and approval for a question
    without open answers all reported at once, each with its line and a fix?"""
    path = tmp_path / "fout.yaml"
    path.write_text(
        "title: Fout\n"
        "steps:\n"
        "  - exercise: bestaat-niet\n"
        "  - exercise: behoeften\n"
        "    approval: [votes]\n"
        "  - exercise: behoeften\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as raised:
        load_programme(path)
    found = {(p.line, p.column) for p in raised.value.problems}
    assert found == {(3, "steps[0].exercise"), (5, "steps[1].approval"), (6, "steps[2].exercise")}
    report = raised.value.report()
    assert "no exercise with id 'bestaat-niet'" in report and "use each exercise once" in report
    assert "'votes' is not a question with open answers" in report


def test_a_field_of_the_wrong_kind_is_named(tmp_path):
    """Is a step with minutes out of range or an unknown field refused with its line?"""
    path = tmp_path / "fout.yaml"
    path.write_text(
        "title: X\nsteps:\n  - exercise: behoeften\n    minutes: 999\n    kleur: rood\n"
    )
    with pytest.raises(ContentError) as raised:
        load_programme(path)
    lines = sorted(p.line for p in raised.value.problems)
    assert lines == [4, 5]


def test_own_exercises_folder_joins_the_library(tmp_path):
    """Can a programme run a facilitator's own exercise from its exercises_folder, beside
    the shipped ones, without changing the shipped files?"""
    own = tmp_path / "eigen"
    own.mkdir()
    shipped = ROOT / "datasets" / "exercises" / "03_behoeften.yaml"
    text = shipped.read_text(encoding="utf-8").replace("id: behoeften", "id: eigen-behoeften")
    (own / "eigen.yaml").write_text(text, encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(
        "title: Eigen\nexercises_folder: eigen\nsteps:\n"
        "  - exercise: eigen-behoeften\n    approval: [needs]\n  - exercise: bestuurstafel\n"
    )
    programme, folder = load_programme(path)
    assert folder == own.resolve()
    library = exercise_library([folder])
    assert "eigen-behoeften" in library and "behoeften" in library


def test_a_session_starts_in_the_programmes_state(tmp_path):
    """Does a session made from a programme have its steps in order, the first current,
    approvals and hidden results set, and only the open steps open?"""
    programme, _ = load_programme(ROOT / "datasets" / "programmes" / "netwerkbijeenkomst-90.yaml")
    store = Store.open(f"sqlite:///{tmp_path / 'w.db'}")
    try:
        session = store.create_session(
            programme.title,
            exercises=[s.exercise for s in programme.steps if s.open],
            room=programme_room(programme),
        )
        ids = [e.id for e in session_exercises(session, exercise_library())]
        assert ids == [s.exercise for s in programme.steps]
        assert session.current_exercise == "de-zaal" and session.follow
        assert session.needs_approval("de-zaal", "vragen")
        assert not session.results_shown("behoeften") and session.results_shown("bestuurstafel")
        assert not session.is_open("stakeholders") and session.is_open("behoeften")
    finally:
        store.close()
