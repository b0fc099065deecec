"""Read a YAML content file into a pydantic model; every problem as ``file:line: what``."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import ValidationError

from ..content.problems import ContentError, Problem

__all__ = ["read_model", "node_line"]


def _question_types() -> tuple[str, ...]:
    from ..questions import TYPES

    return tuple(TYPES)


def node_line(root: yaml.Node | None, loc: tuple) -> int | None:
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
    loc = [
        part for part in error["loc"] if not (isinstance(part, str) and part in _question_types())
    ]
    kind, message = error["type"], error["msg"]
    if kind == "missing":
        message = f"'{loc[-1] if loc else 'field'}' is missing; add it"
        loc = loc[:-1]
    elif kind == "extra_forbidden":
        message = f"unknown field '{loc[-1]}'; remove it or check the spelling"
    elif kind == "union_tag_invalid":
        tag = error.get("ctx", {}).get("tag", "?")
        message = f"unknown question type '{tag}'; use one of: {', '.join(_question_types())}"
        loc = [*loc, "type"]
    elif kind == "union_tag_not_found":
        message = f"'type' is missing; use one of: {', '.join(_question_types())}"
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


def read_model(model, path, hint: str = "start with 'id:', 'title:', 'questions:' ..."):
    """Load ``path`` as ``model``; return ``(instance, YAML root node, line_of)`` where
    ``line_of(location)`` gives the line of a field. Raise ContentError with every problem
    (unreadable file, broken YAML, not a mapping, each field that breaks the model)."""
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
                    hint,
                )
            ]
        )
    try:
        instance = model.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc, message = _describe(error)
            problems.append(
                Problem(name, node_line(root, tuple(loc)), _where(loc) or None, message)
            )
        raise ContentError(problems) from None
    return instance, root, lambda loc: node_line(root, tuple(loc))
