"""The exercise files: the shipped six, and the loader's messages for broken ones."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import BaseModel

from toolkit.content.dataset import load_default
from toolkit.content.flows import load_flows
from toolkit.content.problems import ContentError, Problem
from toolkit.exercises.loader import load_exercise, load_exercises
from toolkit.exercises.spec import Exercise, Text

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "datasets" / "exercises"
BAD = ROOT / "tests" / "data" / "exercises"
SHIPPED_IDS = [
    "de-zaal",
    "bestuurstafel",
    "professionalisering",
    "behoeften",
    "stakeholders",
    "informatiestromen",
    "ibp-bestuurstafel",
]


def problems_of(call, *args) -> tuple[ContentError, list[Problem]]:
    with pytest.raises(ContentError) as caught:
        call(*args)
    return caught.value, caught.value.problems


def line_of(path: Path, token: str, occurrence: int = 1) -> int:
    """The 1-based number of the line holding the ``occurrence``-th ``token``."""
    found = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if token in line:
            found += 1
            if found == occurrence:
                return number
    raise AssertionError(f"{token!r} (occurrence {occurrence}) not in {path.name}")


def texts_in(node) -> list[Text]:
    """Every Text inside a model, list or tuple (depth first)."""
    if isinstance(node, Text):
        return [node]
    if isinstance(node, BaseModel):
        return [t for name in type(node).model_fields for t in texts_in(getattr(node, name))]
    if isinstance(node, list | tuple):
        return [t for item in node for t in texts_in(item)]
    return []


# --- the shipped exercises -----------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> list[Exercise]:
    return load_exercises(SHIPPED)


def test_the_shipped_exercises_load_in_order(shipped):
    """Do the shipped exercises load, in the intended order, with the intended ids?"""
    assert [e.id for e in shipped] == SHIPPED_IDS
    orders = [e.order for e in shipped]
    assert orders == sorted(orders)
    assert len(set(orders)) == len(orders)


def test_the_default_folder_is_the_shipped_folder():
    """Does load_exercises() without a folder read datasets/exercises?"""
    assert [e.id for e in load_exercises()] == SHIPPED_IDS


def test_exercises_are_sorted_by_order_not_by_file_name(tmp_path):
    """Are exercises listed by their 'order' field even when file names sort differently?"""
    shutil.copy(SHIPPED / "05_informatiestromen.yaml", tmp_path / "a.yaml")
    shutil.copy(SHIPPED / "01_bestuurstafel.yaml", tmp_path / "z.yaml")
    assert [e.id for e in load_exercises(tmp_path)] == ["bestuurstafel", "informatiestromen"]


def test_every_text_has_dutch_and_english(shipped):
    """Does every Text of every shipped exercise have a non-empty Dutch and English text?"""
    texts = texts_in(shipped)
    assert len(texts) > 100  # the walk really reaches the nested texts
    for text in texts:
        assert text.nl.strip(), text
        assert text.en.strip(), text


@pytest.mark.parametrize("exercise_id", SHIPPED_IDS)
def test_every_exercise_names_an_https_source(shipped, exercise_id):
    """Does each shipped exercise cite at least one https source?"""
    exercise = next(e for e in shipped if e.id == exercise_id)
    assert any(source.startswith("https://") for source in exercise.sources)


def test_grid_organisations_exist_in_the_stakeholder_dataset(shipped):
    """Are all organisations on the shipped grid question in the stakeholder dataset?"""
    known = set(load_default().ids())
    grids = [q for e in shipped for q in e.questions if q.type == "grid"]
    assert grids
    for grid in grids:
        assert grid.organisations
        assert set(grid.organisations) <= known, set(grid.organisations) - known


def test_flow_check_files_load(shipped):
    """Does the flows file of every shipped flow_check question load?"""
    files = [q.flows_file for e in shipped for q in e.questions if q.type == "flow_check"]
    assert files
    for relative in files:
        assert load_flows(relative)


# --- the loader's messages for broken files ------------------------------------------------


@dataclass(frozen=True)
class Bad:
    file: str
    token: str  # text on the offending line
    column: str | None  # the field the problem names
    says: tuple[str, ...]  # what is wrong and how to fix it
    occurrence: int = 1


BAD_CASES = [
    Bad(
        "unknown_type.yaml",
        "type: slider",
        "questions[0].type",
        ("unknown question type 'slider'", "use one of: scale, single_choice"),
    ),
    Bad(
        "missing_prompt.yaml",
        "- id: zonder-vraag",
        "questions[1]",
        ("'prompt' is missing", "add it"),
    ),
    Bad(
        "unknown_field.yaml",
        "hepl:",
        "questions[0].hepl",
        ("unknown field 'hepl'", "remove it or check the spelling"),
    ),
    Bad(
        "bad_id.yaml",
        "id: Mijn Vraag",
        "questions[0].id",
        ("not a valid id", "ids use lowercase letters, digits"),
    ),
    Bad(
        "scale_target.yaml",
        "target: 7",
        "questions[0].target",
        ("7 is not one of the levels [1, 2, 3]", "use one of those values"),
    ),
    Bad(
        "options_from.yaml",
        "options_from: keuze",
        "questions[1].options_from",
        ("'keuze' is not a free_text question", "name one, or give 'options'"),
    ),
    Bad(
        "duplicate_question_ids.yaml",
        "id: dubbel",
        "questions[1].id",
        ("question id 'dubbel' is also used by questions[0]", "give each its own id"),
        occurrence=2,
    ),
    Bad(
        "unknown_organisation.yaml",
        "- bestaat-niet",
        "questions[0].organisations",
        ("unknown organisation id 'bestaat-niet'", "datasets/stakeholders/organisations.csv"),
    ),
    Bad(
        "missing_flows_file.yaml",
        "flows_file: flows/bestaat-niet.csv",
        "questions[0].flows_file",
        ("file not found", "bestaat-niet.csv", "relative to datasets/"),
    ),
    Bad(
        "bad_indentation.yaml",
        "      prompt:",
        None,
        ("mapping values are not allowed here", "check the indentation"),
    ),
    Bad(
        "list_not_mapping.yaml",
        "- id: list-not-mapping",
        None,
        ("must be a mapping of fields", "start with 'id:'"),
    ),
    Bad(
        "source_not_url.yaml",
        "www.kennisnet.nl/zonder-https",
        "sources[1]",
        ("not a valid id or web address", "addresses start with https://"),
    ),
]


def test_every_bad_fixture_has_a_case():
    """Is every fixture under tests/data/exercises checked by a case (and only those)?"""
    assert sorted(p.name for p in BAD.glob("*.yaml")) == sorted(c.file for c in BAD_CASES)


@pytest.mark.parametrize("case", BAD_CASES, ids=[c.file.removesuffix(".yaml") for c in BAD_CASES])
def test_bad_file_reports_line_field_and_fix(case):
    """Does a broken file give one problem at the offending line, naming the field and a fix,
    without any traceback text?"""
    path = BAD / case.file
    error, problems = problems_of(load_exercise, path)
    assert len(problems) == 1, error.report()
    problem = problems[0]
    line = line_of(path, case.token, case.occurrence)
    assert problem.file == str(path)
    assert problem.line == line
    assert str(problem).startswith(f"{path}:{line}:"), str(problem)
    assert problem.column == case.column
    if case.column:
        assert str(problem).startswith(f"{path}:{line}: {case.column}: ")
    for words in case.says:
        assert words in str(problem), str(problem)
    report = error.report()
    assert report.startswith("1 problem found:\n")
    for leak in ("Traceback", 'File "', "pydantic", "input_value", "For further information"):
        assert leak not in report, report
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__


def test_folder_with_two_bad_files_reports_both_at_once(tmp_path):
    """Does load_exercises report the problems of every bad file in one go (a good file in
    the folder notwithstanding)?"""
    for name in ("unknown_type.yaml", "bad_id.yaml"):
        shutil.copy(BAD / name, tmp_path / name)
    shutil.copy(SHIPPED / "03_behoeften.yaml", tmp_path / "03_behoeften.yaml")
    error, problems = problems_of(load_exercises, tmp_path)
    assert sorted(Path(p.file).name for p in problems) == ["bad_id.yaml", "unknown_type.yaml"]
    assert error.report().startswith("2 problems found:\n")
    assert f"{tmp_path / 'unknown_type.yaml'}:" in error.report()
    assert f"{tmp_path / 'bad_id.yaml'}:" in error.report()


def test_two_files_with_the_same_exercise_id_are_reported(tmp_path):
    """Are two files with the same exercise id reported once, naming both files?"""
    shutil.copy(SHIPPED / "03_behoeften.yaml", tmp_path / "03_behoeften.yaml")
    shutil.copy(SHIPPED / "03_behoeften.yaml", tmp_path / "06_copy.yaml")
    shutil.copy(SHIPPED / "01_bestuurstafel.yaml", tmp_path / "01_bestuurstafel.yaml")
    _, problems = problems_of(load_exercises, tmp_path)
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.column == "id"
    assert "exercise id 'behoeften'" in problem.message
    assert "03_behoeften.yaml" in problem.message and "06_copy.yaml" in problem.message
    assert "give each exercise its own id" in str(problem)


def test_empty_folder_is_reported(tmp_path):
    """Is a folder without any exercise file a problem rather than an empty list?"""
    (tmp_path / "notes.txt").write_text("not an exercise", encoding="utf-8")
    _, problems = problems_of(load_exercises, tmp_path)
    assert len(problems) == 1
    assert problems[0].file == str(tmp_path)
    assert "no exercise files" in problems[0].message
    assert "add at least one exercise" in str(problems[0])
