"""Check an answer against its question before it is stored; never trust the browser."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from .spec import AIM_COLUMNS, AIM_ROWS

__all__ = [
    "AnswerError",
    "clean_answer",
    "clean_text",
    "need_key",
    "raci_problems",
    "AIM_CELLS",
    "RACI_LETTERS",
    "FLOW_CHOICES",
]

AIM_CELLS = tuple(f"{row}:{col}" for row in AIM_ROWS for col in AIM_COLUMNS)
RACI_LETTERS = ("R", "A", "C", "I")
FLOW_CHOICES = ("yes", "no", "unknown")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
GRID_RANGE = range(1, 6)


class AnswerError(ValueError):
    """An answer that breaks its question's rules; ``key`` names the i18n message."""

    def __init__(self, key: str, **values):
        self.key, self.values = key, values
        super().__init__(f"{key}: {values}" if values else key)


def clean_text(value, max_length: int) -> str:
    """Normalise a typed text: NFC, no control characters, trimmed, within ``max_length``.

    Examples
    --------
    >>> clean_text("  Noe\\u0308lle  ", 20)
    'Noëlle'
    """
    if not isinstance(value, str):
        raise AnswerError("error_type")
    text = _CONTROL.sub("", unicodedata.normalize("NFC", value)).strip()
    if not text:
        raise AnswerError("error_empty")
    if len(text) > max_length:
        raise AnswerError("error_too_long", length=len(text), limit=max_length)
    return text


def need_key(text: str) -> str:
    """A stable key for a need text, equal for texts that differ only in case or spacing.

    Examples
    --------
    >>> need_key("Meer  tijd") == need_key("meer tijd ")
    True
    """
    normal = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    return "n-" + hashlib.sha1(normal.encode("utf-8")).hexdigest()[:12]  # noqa: S324 - an id


def _ids(options) -> set[str]:
    return {o.id for o in options}


def clean_answer(
    question,
    value,
    *,
    dot_options: set[str] | None = None,
    grid_items: set[str] | None = None,
    flow_ids: set[str] | None = None,
):
    """Return ``value`` checked and normalised for ``question``, or raise AnswerError.

    ``dot_options`` (the keys a dot vote may use now), ``grid_items`` and ``flow_ids`` come
    from content outside the question (the group's needs, the dataset, the flows file).

    Examples
    --------
    >>> from toolkit.exercises.spec import DotVoteQuestion, Option, Text
    >>> t = Text(nl="x", en="x")
    >>> q = DotVoteQuestion(id="v", type="dot_vote", prompt=t, budget=3,
    ...                     options=[Option(id="a", label=t), Option(id="b", label=t)])
    >>> clean_answer(q, {"a": 2, "b": 1})
    {'a': 2, 'b': 1}
    >>> clean_answer(q, {"a": 10000})
    Traceback (most recent call last):
    ...
    toolkit.exercises.answers.AnswerError: error_budget: {'used': 10000, 'budget': 3}
    """
    kind = question.type
    if kind == "scale":
        levels = [level.value for level in question.levels]
        if isinstance(value, bool) or not isinstance(value, int) or value not in levels:
            raise AnswerError("error_choice")
        return value
    if kind == "single_choice":
        if not isinstance(value, str):
            raise AnswerError("error_type")
        if value not in _ids(question.options):
            raise AnswerError("error_choice")
        return value
    if kind == "multiple_choice":
        if (
            not isinstance(value, list)
            or not all(isinstance(v, str) for v in value)
            or len(set(value)) != len(value)
        ):
            raise AnswerError("error_type")
        if not set(value) <= _ids(question.options):
            raise AnswerError("error_choice")
        if question.max_choices and len(value) > question.max_choices:
            raise AnswerError("error_max_choices", limit=question.max_choices)
        return [o.id for o in question.options if o.id in value]
    if kind == "dot_vote":
        allowed = dot_options if dot_options is not None else _ids(question.options)
        if not isinstance(value, dict):
            raise AnswerError("error_type")
        cleaned = {}
        for key, count in value.items():
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise AnswerError("error_type")
            if count == 0:
                continue
            if key not in allowed:
                raise AnswerError("error_choice")
            if question.max_per_option and count > question.max_per_option:
                raise AnswerError("error_per_option", limit=question.max_per_option)
            cleaned[key] = count
        used = sum(cleaned.values())
        if used > question.budget:
            raise AnswerError("error_budget", used=used, budget=question.budget)
        return cleaned
    if kind == "free_text":
        text = value.get("text") if isinstance(value, dict) else value
        return {"text": clean_text(text, question.max_length)}
    if kind == "grid":
        items = grid_items if grid_items is not None else _ids(question.items)
        if not isinstance(value, dict):
            raise AnswerError("error_type")
        cleaned = {}
        for key, point in value.items():
            if key not in items:
                raise AnswerError("error_choice")
            if (
                not isinstance(point, list | tuple)
                or len(point) != 2
                or any(isinstance(c, bool) or c not in GRID_RANGE for c in point)
            ):
                raise AnswerError("error_type")
            cleaned[key] = [int(point[0]), int(point[1])]
        return cleaned
    if kind == "raci":
        tasks, roles = _ids(question.tasks), _ids(question.roles)
        if not isinstance(value, dict):
            raise AnswerError("error_type")
        cleaned = {}
        for task, row in value.items():
            if task not in tasks or not isinstance(row, dict):
                raise AnswerError("error_choice")
            kept = {}
            for role, letter in row.items():
                if role not in roles or letter not in (*RACI_LETTERS, ""):
                    raise AnswerError("error_choice")
                if letter:
                    kept[role] = letter
            if kept:
                cleaned[task] = kept
        return cleaned
    if kind == "aim":
        if not isinstance(value, dict):
            raise AnswerError("error_type")
        items = _ids(question.items)
        cleaned = {}
        for item, cell in value.items():
            if item not in items or cell not in (*AIM_CELLS, ""):
                raise AnswerError("error_choice")
            if cell:
                cleaned[item] = cell
        return cleaned
    if kind == "flow_check":
        if not isinstance(value, dict):
            raise AnswerError("error_type")
        cleaned = {}
        for flow, row in value.items():
            if flow_ids is not None and flow not in flow_ids:
                raise AnswerError("error_choice")
            if not isinstance(row, dict) or not set(row) <= {"has", "agreement"}:
                raise AnswerError("error_type")
            if any(v not in FLOW_CHOICES for v in row.values()):
                raise AnswerError("error_choice")
            cleaned[flow] = dict(row)
        return cleaned
    raise AnswerError("error_type")


def raci_problems(question, value: dict) -> dict[str, str]:
    """Per task, the rule it breaks: ``no_a``, ``many_a`` or ``no_r`` (answered tasks only).

    Examples
    --------
    >>> from toolkit.exercises.spec import RaciQuestion, Option, Text
    >>> t = Text(nl="x", en="x")
    >>> q = RaciQuestion(id="r", type="raci", prompt=t, tasks=[Option(id="t1", label=t)],
    ...                  roles=[Option(id="a", label=t), Option(id="b", label=t)])
    >>> raci_problems(q, {"t1": {"a": "R"}})
    {'t1': 'no_a'}
    >>> raci_problems(q, {"t1": {"a": "A", "b": "R"}})
    {}
    """
    problems = {}
    for task in question.tasks:
        row = value.get(task.id) or {}
        if not row:
            continue
        letters = list(row.values())
        if letters.count("A") == 0:
            problems[task.id] = "no_a"
        elif letters.count("A") > 1:
            problems[task.id] = "many_a"
        elif "R" not in letters:
            problems[task.id] = "no_r"
    return problems
