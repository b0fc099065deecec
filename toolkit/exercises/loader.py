"""Read exercise YAML files; every problem reported as ``file:line: what is wrong``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..content.problems import ContentError, Problem
from ..paths import datasets_dir
from .spec import Exercise
from .yamlfile import node_line as _node_line
from .yamlfile import read_model

__all__ = ["load_exercise", "load_exercises", "default_exercises"]


def load_exercise(path: str | Path) -> Exercise:
    """Load and validate one exercise file; raise ContentError listing its problems."""
    exercise, root, _line_of = read_model(Exercise, path)
    problems = _check_references(exercise, str(path), root)
    if problems:
        raise ContentError(problems)
    return exercise


def _check_references(exercise: Exercise, name: str, root) -> list[Problem]:
    """Checks across questions and content: unique ids, options_from, organisations, flows."""
    problems = []
    seen: dict[str, int] = {}
    free_text = {q.id for q in exercise.questions if q.type == "free_text"}
    for index, question in enumerate(exercise.questions):
        if question.id in seen:
            problems.append(
                Problem(
                    name,
                    _node_line(root, ("questions", index, "id")),
                    f"questions[{index}].id",
                    f"question id '{question.id}' is also used by "
                    f"questions[{seen[question.id]}]; give each its own id",
                )
            )
        seen.setdefault(question.id, index)
        if question.type == "dot_vote":
            if question.options_from and question.options_from not in free_text:
                problems.append(
                    Problem(
                        name,
                        _node_line(root, ("questions", index, "options_from")),
                        f"questions[{index}].options_from",
                        f"'{question.options_from}' is not a free_text question of this "
                        "exercise; name one, or give 'options'",
                    )
                )
            if not question.options and not question.options_from:
                problems.append(
                    Problem(
                        name,
                        _node_line(root, ("questions", index)),
                        f"questions[{index}]",
                        "a dot vote needs 'options' or 'options_from'",
                    )
                )
        if question.type == "grid" and question.organisations:
            known = _dataset_ids()
            for j, org in enumerate(question.organisations if known is not None else ()):
                if org not in known:
                    problems.append(
                        Problem(
                            name,
                            _node_line(root, ("questions", index, "organisations", j)),
                            f"questions[{index}].organisations",
                            f"unknown organisation id '{org}'; use an id from "
                            "datasets/stakeholders/organisations.csv",
                        )
                    )
        if question.type == "flow_check":
            flows = datasets_dir() / question.flows_file
            if not flows.is_file():
                problems.append(
                    Problem(
                        name,
                        _node_line(root, ("questions", index, "flows_file")),
                        f"questions[{index}].flows_file",
                        f"file not found: {flows}; give a path relative to datasets/",
                    )
                )
    return problems


def _dataset_ids() -> set[str] | None:
    """The stakeholder dataset's organisation ids, or None when the dataset has problems of
    its own. Its loader reports those (``workshop check`` and ``serve`` run both loaders);
    raising them here too listed each problem twice and ended this file's checks early."""
    from ..content.dataset import shipped_dataset

    try:
        return set(shipped_dataset().ids())
    except ContentError:
        return None


def load_exercises(folder: str | Path | None = None) -> list[Exercise]:
    """Load every ``*.yaml`` in ``folder`` (default ``datasets/exercises``), sorted by order.

    Problems of all files are collected and raised together.

    Examples
    --------
    >>> exercises = load_exercises()
    >>> [e.id for e in exercises][:3]
    ['de-zaal', 'bestuurstafel', 'professionalisering']
    """
    folder = Path(folder) if folder else datasets_dir() / "exercises"
    problems, exercises, files = [], [], {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            exercises.append(load_exercise(path))
        except ContentError as exc:
            problems.extend(exc.problems)
        else:
            files.setdefault(exercises[-1].id, []).append(path.name)
    for exercise_id, names in files.items():
        if len(names) > 1:  # one problem per id, naming every file that uses it
            problems.append(
                Problem(
                    str(folder),
                    None,
                    "id",
                    f"exercise id '{exercise_id}' is used by {len(names)} files "
                    f"({', '.join(names)})",
                    "give each exercise its own id",
                )
            )
    if problems:
        raise ContentError(problems)
    if not exercises:
        raise ContentError(
            [
                Problem(
                    str(folder),
                    None,
                    None,
                    "no exercise files (*.yaml)",
                    "add at least one exercise",
                )
            ]
        )
    return sorted(exercises, key=lambda e: (e.order, e.id))


@lru_cache(maxsize=1)
def default_exercises() -> tuple[Exercise, ...]:
    """The shipped exercises (cached per process)."""
    return tuple(load_exercises())
