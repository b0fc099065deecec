"""``multiple_choice``: tick several options (at most ``max_choices``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .base import AnswerError, QuestionType
from .choice import choice_headline, count_choices, counts_block
from .parts import Option, QuestionBase
from .single_choice import CHOICE_FORM

__all__ = ["MultipleChoiceQuestion", "MultipleChoice"]


class MultipleChoiceQuestion(QuestionBase):
    type: Literal["multiple_choice"]
    options: Annotated[list[Option], Field(min_length=2, max_length=30)]
    max_choices: int | None = Field(default=None, ge=1)


class MultipleChoice(QuestionType):
    name = "multiple_choice"
    model = MultipleChoiceQuestion
    blank = 0
    template = CHOICE_FORM

    def clean(self, question, value, check):
        if (
            not isinstance(value, list)
            or not all(isinstance(v, str) for v in value)
            or len(set(value)) != len(value)
        ):
            raise AnswerError("error_type")
        if not set(value) <= {o.id for o in question.options}:
            raise AnswerError("error_choice")
        if question.max_choices and len(value) > question.max_choices:
            raise AnswerError("error_max_choices", limit=question.max_choices)
        return [o.id for o in question.options if o.id in value]

    def from_form(self, question, form, check):
        return [(question.id, form.getall("v"))]

    def aggregate(self, exercise, question, answers, view, content, lang="nl"):
        values = [a.value for a in answers if a.item == question.id]
        return {"n": len(values), "counts": count_choices(values, question.options)}

    def group_html(self, exercise, question, group, ui):
        return counts_block(question, group, ui)

    def own_html(self, exercise, question, own, group, ui):
        labels = [o.label(ui.lang) for o in question.options if o.id in (own or [])]
        if own is None:
            return ""
        shown = ", ".join(ui.e(label) for label in labels) or ui.e(ui.t("w_nothing"))
        return (
            f"<p class='own-line'><span class='own-mark' aria-hidden='true'>◆</span> "
            f"{ui.e(ui.t('w_you_chose'))}: <b>{shown}</b></p>"
        )

    def columns(self, exercise, question, answers, content, lang="nl"):
        """One column per option: 1 when ticked, 0 when not (empty when not answered)."""
        return [(f"{question.id}:{o.id}", o.label(lang)) for o in question.options]

    def cells(self, exercise, question, own, content, lang="nl"):
        value = own.get(question.id)
        if value is None:
            return {}
        return {f"{question.id}:{o.id}": int(o.id in value) for o in question.options}

    def headline(self, exercise, question, group, ui):
        return choice_headline(question, group, ui)

    def demo(self, question, rng, content):
        k = rng.randint(1, question.max_choices or len(question.options))
        return [o.id for o in rng.sample(question.options, k)]
