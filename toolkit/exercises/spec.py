"""The exercise format (``datasets/exercises/*.yaml``) as pydantic models."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

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
    "AIM_ROWS",
    "AIM_COLUMNS",
]

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,47}$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Model):
    """A text in Dutch and English."""

    nl: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    en: Annotated[str, StringConstraints(min_length=1, max_length=2000)]

    def __call__(self, lang: str) -> str:
        return self.en if lang == "en" else self.nl


class Option(_Model):
    id: Slug
    label: Text
    description: Text | None = None


class Level(_Model):
    value: int
    label: Text
    description: Text


class Axis(_Model):
    label: Text
    low: Text
    high: Text


class _Question(_Model):
    id: Slug
    prompt: Text
    help: Text | None = None


class ScaleQuestion(_Question):
    """Pick one level of a scale with descriptors (e.g. maturity 1-5)."""

    type: Literal["scale"]
    short: Text | None = None  # axis label on the radar chart
    levels: Annotated[list[Level], Field(min_length=2, max_length=10)]
    target: int | None = None

    @model_validator(mode="after")
    def _levels_are_ordered(self):
        values = [level.value for level in self.levels]
        if values != sorted(set(values)):
            raise ValueError("levels: level values must be unique and increasing")
        if self.target is not None and self.target not in values:
            raise ValueError(
                f"target: {self.target} is not one of the levels {values}; "
                "use one of those values or leave 'target' out"
            )
        return self


class SingleChoiceQuestion(_Question):
    type: Literal["single_choice"]
    options: Annotated[list[Option], Field(min_length=2, max_length=30)]


class MultipleChoiceQuestion(_Question):
    type: Literal["multiple_choice"]
    options: Annotated[list[Option], Field(min_length=2, max_length=30)]
    max_choices: int | None = Field(default=None, ge=1)


class DotVoteQuestion(_Question):
    """Spread a budget of dots over options (fixed ones and/or the group's free-text ones)."""

    type: Literal["dot_vote"]
    budget: int = Field(ge=1, le=20)
    max_per_option: int | None = Field(default=None, ge=1)
    options: list[Option] = []
    options_from: Slug | None = None  # a free_text question of the same exercise


class FreeTextQuestion(_Question):
    """Short texts; others see them only when the facilitator allows (``shared``)."""

    type: Literal["free_text"]
    max_length: int = Field(default=280, ge=10, le=1000)
    max_items: int = Field(default=1, ge=1, le=10)
    shared: Literal["never", "moderated"] = "moderated"


class GridQuestion(_Question):
    """Place items on a 2-D grid (e.g. power/interest), both axes 1-5."""

    type: Literal["grid"]
    x_axis: Axis
    y_axis: Axis
    quadrants: Annotated[list[Text], Field(min_length=4, max_length=4)]  # TL, TR, BL, BR
    items: list[Option] = []
    organisations: list[Slug] = []  # ids from the stakeholder dataset

    @model_validator(mode="after")
    def _has_items(self):
        if not self.items and not self.organisations:
            raise ValueError("items: give 'items' or 'organisations' to place on the grid")
        return self


class RaciQuestion(_Question):
    """Who is Responsible, Accountable, Consulted, Informed per task (one A, at least one R)."""

    type: Literal["raci"]
    tasks: Annotated[list[Option], Field(min_length=1, max_length=20)]
    roles: Annotated[list[Option], Field(min_length=2, max_length=8)]


AIM_ROWS = ("strategy", "structure", "operations")
AIM_COLUMNS = ("business", "information", "technology")


class AimQuestion(_Question):
    """Place items (roles, tasks) on the 9 cells of the Amsterdam Information Model."""

    type: Literal["aim"]
    items: Annotated[list[Option], Field(min_length=1, max_length=20)]


class ContributionQuestion(_Question):
    """Add organisations and/or relations to the stakeholder map."""

    type: Literal["contribution"]
    allow: Annotated[list[Literal["organisation", "relation"]], Field(min_length=1)] = [
        "organisation",
        "relation",
    ]
    max_items: int = Field(default=10, ge=1, le=50)


class FlowCheckQuestion(_Question):
    """For each data flow: does your school have it, and does an agreement cover it?"""

    type: Literal["flow_check"]
    flows_file: str = "flows/flows.csv"  # relative to datasets/


Question = Annotated[
    ScaleQuestion
    | SingleChoiceQuestion
    | MultipleChoiceQuestion
    | DotVoteQuestion
    | FreeTextQuestion
    | GridQuestion
    | RaciQuestion
    | AimQuestion
    | ContributionQuestion
    | FlowCheckQuestion,
    Field(discriminator="type"),
]
QUESTION_TYPES = (
    "scale",
    "single_choice",
    "multiple_choice",
    "dot_vote",
    "free_text",
    "grid",
    "raci",
    "aim",
    "contribution",
    "flow_check",
)


class Exercise(_Model):
    """One exercise: what it is for, its questions, and how its result is shown."""

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
    result: Literal["radar", "gaps", "ranking", "grid", "risks", "choices"] = "choices"

    def question(self, question_id: str):
        """Return the question with this id (KeyError when unknown)."""
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)
