"""The exercise format (``datasets/exercises/*.yaml``) as pydantic models; each question
type's model lives with its type in ``toolkit.questions``."""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field, StringConstraints, model_validator

from ..questions import TYPES
from ..questions.aim import AIM_COLUMNS, AIM_ROWS, AimQuestion
from ..questions.contribution import ContributionQuestion
from ..questions.dot_vote import DotVoteQuestion
from ..questions.flow_check import FlowCheckQuestion
from ..questions.free_text import FreeTextQuestion
from ..questions.grid import GridQuestion
from ..questions.multiple_choice import MultipleChoiceQuestion
from ..questions.parts import Axis, Level, Option, Slug, Text
from ..questions.parts import Model as _Model
from ..questions.raci import RaciQuestion
from ..questions.ranking import RankingQuestion
from ..questions.room_questions import RoomQuestionsQuestion
from ..questions.scale import ScaleQuestion
from ..questions.single_choice import SingleChoiceQuestion
from ..questions.word_cloud import WordCloudQuestion

__all__ = [
    "Text",
    "Option",
    "Level",
    "Axis",
    "Question",
    "QUESTION_TYPES",
    "Exercise",
    "ScaleQuestion",
    "SingleChoiceQuestion",
    "MultipleChoiceQuestion",
    "DotVoteQuestion",
    "FreeTextQuestion",
    "GridQuestion",
    "RaciQuestion",
    "AimQuestion",
    "ContributionQuestion",
    "FlowCheckQuestion",
    "WordCloudQuestion",
    "RoomQuestionsQuestion",
    "RankingQuestion",
    "AIM_ROWS",
    "AIM_COLUMNS",
]

# One model per registered type (toolkit/questions/<type>.py), told apart by ``type``.
Question = Annotated[
    Union[tuple(kind.model for kind in TYPES.values())],  # noqa: UP007 - a runtime tuple
    Field(discriminator="type"),
]
QUESTION_TYPES = tuple(TYPES)


class Exercise(_Model):
    """One exercise: what it is for, its questions and the questions for the discussion."""

    id: Slug
    order: int = Field(ge=0)
    title: Text
    purpose: Text
    ambition: Text | None = None
    minutes: int | None = Field(default=None, ge=1, le=240)
    sources: Annotated[
        list[Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]], Field(min_length=1)
    ]
    questions: Annotated[list[Question], Field(min_length=1, max_length=30)]
    #: Questions for the discussion afterwards (the report lists them under the exercise).
    discussion: Annotated[list[Text], Field(max_length=5)] = []

    @model_validator(mode="before")
    @classmethod
    def _ignore_result(cls, data):
        """Accept and ignore ``result:`` of older files: it never changed what is shown
        (the question types decide that), and a facilitator's own files may still have it.
        """
        if isinstance(data, dict) and "result" in data:
            data = {key: value for key, value in data.items() if key != "result"}
        return data

    def question(self, question_id: str):
        """Return the question with this id (KeyError when unknown)."""
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)
