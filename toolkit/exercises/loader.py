"""Read exercise YAML files; every problem reported as ``file:line: what is wrong``."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from ..paths import datasets_dir
from ..problems import ContentError, Problem
from .spec import QUESTION_TYPES, Exercise

__all__ = ["load_exercise", "load_exercises", "default_exercises"]


def _node_line(root: yaml.Node | None, loc: tuple) -> int | None:
    """Follow a pydantic error location through the YAML node tree; return its line."""
    node, line = root, (root.start_mark.line + 1 if root is not None else None)
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == str(key):
                    node, line = value_node, key_node.start_mark.line + 1
                    break
            else:
                continue  # e.g. a union tag in the location: stay on this node
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            if key < len(node.value):
                node = node.value[key]
                line = node.start_mark.line + 1
    return line


def _where(loc: list) -> str:
    """('questions', 1, 'levels', 0, 'label') -> 'questions[1].levels[0].label'."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _describe(error: dict) -> tuple[list, str]:
    """Turn one pydantic error into (location for line lookup, plain message with a fix)."""
    loc = [part for part in error["loc"] if not (isinstance(part, str) and part in QUESTION_TYPES)]
    kind, message = error["type"], error["msg"]
    if kind == "missing":
        message = f"'{loc[-1] if loc else 'field'}' is missing; add it"
        loc = loc[:-1]
    elif kind == "extra_forbidden":
        message = f"unknown field '{loc[-1]}'; remove it or check the spelling"
    elif kind == "union_tag_invalid":
        tag = error.get("ctx", {}).get("tag", "?")
        message = f"unknown question type '{tag}'; use one of: {', '.join(QUESTION_TYPES)}"
        loc = [*loc, "type"]
    elif kind == "union_tag_not_found":
        message = f"'type' is missing; use one of: {', '.join(QUESTION_TYPES)}"
    elif kind == "string_pattern_mismatch":
        message = (
            "not a valid id or web address; ids use lowercase letters, digits, '-' "
            "and '_', addresses start with https://"
        )
    elif kind == "value_error":
        message = message.removeprefix("Value error, ")
        field = re.match(r"^(\w+): ", message)
        if field:  # our validators name the field first: point at that line
            loc = [*loc, field.group(1)]
            message = message[field.end() :]
    return loc, message


def load_exercise(path: str | Path) -> Exercise:
    """Load and validate one exercise file; raise ContentError listing its problems."""
    path = Path(path)
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(
            [Problem(name, None, None, f"cannot be read ({exc})", "save it as UTF-8 text")]
        ) from None
    try:
        root = yaml.compose(text)
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise ContentError(
            [
                Problem(
                    name,
                    mark.line + 1 if mark else None,
                    None,
                    f"{problem}",
                    "check the indentation, colons and quotes",
                )
            ]
        ) from None
    if not isinstance(raw, dict):
        raise ContentError(
            [
                Problem(
                    name,
                    root.start_mark.line + 1 if root is not None else 1,
                    None,
                    "the file must be a mapping of fields",
                    "start with 'id:', 'title:', 'questions:' ...",
                )
            ]
        )
    try:
        exercise = Exercise.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc, message = _describe(error)
            problems.append(
                Problem(name, _node_line(root, tuple(loc)), _where(loc) or None, message)
            )
        raise ContentError(problems) from None
    problems = _check_references(exercise, name, root)
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
    from ..data import load_default

    try:
        return set(load_default().ids())
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
