"""Check an answer against its question before it is stored; never trust the browser.

Each question type checks its own answers (``toolkit.questions.<type>``); this module is
the one call for all of them.
"""

from __future__ import annotations

from .base import Check
from .errors import AnswerError

__all__ = ["clean_answer"]


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
    toolkit.questions.errors.AnswerError: error_budget: {'used': 10000, 'budget': 3}
    """
    from . import TYPES

    kind = TYPES.get(getattr(question, "type", None))
    if kind is None or kind.name == "contribution":
        raise AnswerError("error_type")
    return kind.clean(question, value, Check(dot_options, grid_items, flow_ids))
