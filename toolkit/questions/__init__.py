"""The question types, one module each, registered by name.

Examples
--------
>>> from toolkit.questions import TYPES, question_type
>>> sorted(TYPES)[:3]
['aim', 'contribution', 'dot_vote']
>>> question_type("scale").name
'scale'
"""

from __future__ import annotations

from .aim import Aim
from .base import AnswerError, Change, Check, Form, QuestionType, Ui, View, item_of
from .content import Content, shipped_dataset
from .contribution import Contribution
from .dot_vote import DotVote
from .flow_check import FlowCheck
from .free_text import FreeText
from .grid import Grid
from .multiple_choice import MultipleChoice
from .raci import Raci
from .ranking import Ranking
from .room_questions import RoomQuestions
from .scale import Scale
from .single_choice import SingleChoice
from .word_cloud import WordCloud

__all__ = [
    "TYPES",
    "question_type",
    "QuestionType",
    "View",
    "Check",
    "Form",
    "Ui",
    "Change",
    "Content",
    "AnswerError",
    "item_of",
    "shipped_dataset",
]

#: Every type, in the order the exercise format lists them.
TYPES: dict[str, QuestionType] = {
    kind.name: kind()
    for kind in (
        Scale,
        SingleChoice,
        MultipleChoice,
        DotVote,
        FreeText,
        Grid,
        Raci,
        Aim,
        Contribution,
        FlowCheck,
        WordCloud,
        RoomQuestions,
        Ranking,
    )
}


def question_type(name_or_question) -> QuestionType:
    """The type of a question (or of a type name); KeyError when unknown."""
    name = getattr(name_or_question, "type", name_or_question)
    return TYPES[name]
