"""What a question type is: its model, check, form, aggregation, result HTML and demo value.

Each type is one module in this package with one subclass of :class:`QuestionType`,
registered by its ``name`` (see ``toolkit.questions``). The participant web app, the
dashboard, the report and the demo all go through these methods, so a type's rules live
in one place.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import ClassVar

from .errors import AnswerError

__all__ = [
    "QuestionType",
    "View",
    "Check",
    "Form",
    "Ui",
    "Change",
    "AnswerError",
    "item_of",
    "whole_number",
    "number_text",
    "listing",
]

Change = tuple[str, object]  # (item, value) to store; value None removes the item


def item_of(question, suffix: str = "") -> str:
    """The stored item name of a question's answer (``id`` or ``id:suffix``).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> item_of(SimpleNamespace(id="needs"), "a1b2")
    'needs:a1b2'
    """
    return f"{question.id}:{suffix}" if suffix else question.id


@dataclass(frozen=True)
class View:
    """Who looks at group results, and what the facilitator lets them see.

    ``approval`` holds the ``exercise/question`` keys whose texts show only once approved;
    ``include_hidden`` also shows texts the facilitator hid or has not approved yet (their
    own look at the group, never a participant's).
    """

    free_text_visible: bool = True
    approval: frozenset[str] = frozenset()
    include_hidden: bool = False
    answered: frozenset[int] = frozenset()  # room questions the facilitator answered

    @classmethod
    def of(cls, session, facilitator: bool = False) -> View:
        """The view of a session's participants (or of its facilitator)."""
        room = session.room
        approval = frozenset(k for k, v in (room.get("approval") or {}).items() if v)
        answered = frozenset(int(k) for k, v in (room.get("answered") or {}).items() if v)
        return cls(session.free_text_visible, approval, facilitator, answered)

    def text_shown(self, exercise_id: str, question, answer) -> bool:
        """May others see this text answer (or map addition) now?

        Examples
        --------
        >>> from types import SimpleNamespace as N
        >>> q, a = N(id="needs", shared="moderated"), N(hidden=False, approved=False)
        >>> View().text_shown("ex", q, a), View(approval=frozenset({"ex/needs"})).text_shown(
        ...     "ex", q, a)
        (True, False)
        """
        if getattr(question, "shared", "moderated") == "never" or not self.free_text_visible:
            return False
        if self.include_hidden:
            return True
        if answer.hidden:
            return False
        return answer.approved or f"{exercise_id}/{question.id}" not in self.approval


@dataclass
class Check:
    """What an answer is checked against besides its question: the options a dot vote may
    use now, the items of a grid, the flows, and the participant's own stored answers."""

    dot_options: set[str] | None = None
    grid_items: set[str] | None = None
    flow_ids: set[str] | None = None
    own: dict = field(default_factory=dict)  # item -> value of the participant's answers
    allowed: set[str] | None = None  # what a type with options from the group may use now


@dataclass
class Ui:
    """How a piece of HTML is drawn: language, projector size, the content, own layer or not."""

    lang: str = "nl"
    large: bool = False
    content: object = None
    own: bool = True  # False where nobody's own answer is laid over (projector, dashboard)

    def t(self, key: str, **values) -> str:
        from ..i18n import t

        return t(key, self.lang, **values)

    @staticmethod
    def e(text) -> str:
        """Escaped for HTML text and attributes.

        Examples
        --------
        >>> Ui.e('<b title="x">')
        '&lt;b title=&#34;x&#34;&gt;'
        """
        from markupsafe import escape

        return str(escape(text))


class Form:
    """The fields of a posted form (``{name: [value, ...]}``), read with limits.

    Examples
    --------
    >>> f = Form({"v": ["3"], "d.a": ["2", "x"]})
    >>> f.get("v"), f.getall("d.a"), f.get("missing", "-")
    ('3', ['2', 'x'], '-')
    >>> f.names("d.")
    ['a']
    """

    def __init__(self, fields: dict[str, list[str]]):
        self.fields = fields

    def get(self, name: str, default: str | None = None) -> str | None:
        values = self.fields.get(name)
        return values[0] if values else default

    def getall(self, name: str) -> list[str]:
        return list(self.fields.get(name, ()))

    def names(self, prefix: str) -> list[str]:
        """The rest of every field name that starts with ``prefix``, in order."""
        return [name[len(prefix) :] for name in self.fields if name.startswith(prefix)]


def whole_number(text, what: str = "error_type") -> int:
    """A form field as a whole number, or AnswerError.

    Examples
    --------
    >>> whole_number(" 4 ")
    4
    """
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        raise AnswerError(what) from None


def number_text(value, lang: str = "nl") -> str:
    """A mean as people read it: one decimal at most, a decimal comma in Dutch.

    Examples
    --------
    >>> number_text(2.35, "nl"), number_text(2.0, "en"), number_text(None)
    ('2,4', '2', '–')
    """
    if value is None:
        return "–"
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "nl" else text


def listing(parts, lang: str = "nl", limit: int = 5) -> str:
    """Parts joined as a sentence: "a, b en c" (at most ``limit``, then "en 2 meer").

    Examples
    --------
    >>> listing(["Visie", "Deskundigheid", "Infrastructuur"])
    'Visie, Deskundigheid en Infrastructuur'
    >>> listing(list("abcdefg"), "en", limit=3)
    'a, b, c and 4 more'
    """
    parts = [str(p) for p in parts]
    word = " en " if lang == "nl" else " and "
    if len(parts) > limit:
        more = len(parts) - limit
        return (
            ", ".join(parts[:limit]) + word + (f"{more} meer" if lang == "nl" else f"{more} more")
        )
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + word + parts[-1]


class QuestionType:
    """Base class of a question type; see the module docstring."""

    name: ClassVar[str]
    model: ClassVar[type]
    #: Jinja2 source defining ``{% macro form(q, own, ui, x) %}`` for the participant page.
    template: ClassVar[str] = ""
    #: False for types whose answers are not shown as a result block of their own.
    has_result: ClassVar[bool] = True
    #: True when the form must be drawn again after a save (lists of own items).
    redraw_form: ClassVar[bool] = False
    #: True when checking a posted form needs the participant's stored answers first
    #: (``Check.own``: e.g. how many texts they already wrote).
    needs_own: ClassVar[bool] = False
    #: The value of a column an answered question's ``cells`` leave out (0 for types whose
    #: columns count, such as dots or ticks; None leaves the cell empty).
    blank: ClassVar[object] = None

    # --- the participant's own answers ------------------------------------------------------
    def own(self, question, own: dict):
        """The participant's own answer to ``question`` from ``{item: value}`` (or None)."""
        return own.get(question.id)

    def answered(self, question, own: dict) -> bool:
        return question.id in own

    # --- checking ---------------------------------------------------------------------------
    def clean(self, question, value, check: Check):
        """Return ``value`` checked and normalised, or raise AnswerError."""
        raise NotImplementedError

    def from_form(self, question, form: Form, check: Check) -> list[Change]:
        """The changes a posted form asks for (values still to be cleaned)."""
        raise NotImplementedError

    def allowed(self, question, group: dict) -> set[str] | None:
        """For types whose choices come from the group (a dot vote's needs, the room's
        questions): the keys an answer may use now, from the group result."""
        return None

    def form_extra(self, exercise, question, group: dict, ui, own=None) -> dict:
        """What the form needs besides the question and the own answer (e.g. the options a
        dot vote has now), from the group result; ``own`` is :meth:`own`'s answer."""
        return {}

    def form_key(self, question, group: dict) -> str | None:
        """What the form shows of the group (e.g. the options a dot vote has now), as a short
        key; ``None`` for a form that does not change with the group. An open page whose key
        differs from the live one draws its form again."""
        return None

    # --- the group ----------------------------------------------------------------------------
    def aggregate(self, exercise, question, answers, view: View, content, lang="nl") -> dict:
        """The group result of ``question`` from the exercise's answers (no own part);
        ``lang`` only for types whose options are texts (the order of equal counts)."""
        raise NotImplementedError

    def group_html(self, exercise, question, group: dict, ui) -> str:
        """The group result as HTML (the same for every participant)."""
        return ""

    def own_html(self, exercise, question, own, group: dict, ui) -> str:
        """The participant's own answer beside the group's, as HTML (cheap, per person)."""
        return ""

    # --- exports, the summary and the report -------------------------------------------------
    def columns(self, exercise, question, answers, content, lang="nl") -> list[tuple[str, str]]:
        """The spreadsheet columns of ``question``: ``(key, label)`` pairs, one per item the
        participant answers (a RACI cell, a grid axis, an option), labels in ``lang``.

        ``answers`` are every answer to the exercise (for columns that depend on the group,
        such as the written needs of a dot vote). Keys are unique within the exercise.
        """
        return [(question.id, question.prompt(lang))]

    def cells(self, exercise, question, own: dict, content, lang="nl") -> dict:
        """One participant's answer spread over :meth:`columns`: ``{key: value}`` with
        numbers as numbers and labels instead of ids; ``own`` is ``{item: value}`` of their
        answers to the exercise. A key left out is an empty cell."""
        value = own.get(question.id)
        if value is None:
            return {}
        if isinstance(value, str | int | float):
            return {question.id: value}
        import json

        return {question.id: json.dumps(value, ensure_ascii=False, sort_keys=True)}

    def headline(self, exercise, question, group: dict, ui) -> str:
        """The group result in one plain sentence (no HTML; "" when there is none): the
        summary sheet of an export and the report show it."""
        return ""

    def findings(self, exercise, question, group: dict, ui) -> list[str]:
        """Gaps and risks the group result shows, one plain sentence each (the report's
        list of points for attention)."""
        return []

    def kept(self, question, group: dict) -> dict:
        """What of a group result is kept when ``workshop purge`` deletes the participants:
        counts and means as they are, free texts only where the aggregate is made of them.
        The default keeps everything (types that hold texts or pseudonyms override it)."""
        return group

    def relabel(self, exercise, question, group: dict, lang="nl") -> dict:
        """A kept group result (computed in Dutch) with its content labels in ``lang``."""
        return group

    # --- demo ---------------------------------------------------------------------------------
    def demo(self, question, rng: random.Random, content):
        """A random but valid answer (None for types without one stored value)."""
        return None
