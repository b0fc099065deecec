"""``single_choice``: pick one option."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .base import AnswerError, QuestionType
from .choice import choice_headline, count_choices, counts_block
from .parts import Option, QuestionBase

__all__ = ["SingleChoiceQuestion", "SingleChoice", "CHOICE_FORM"]

# The options as radio buttons (single) or checkboxes (multiple), labels as tap targets.
CHOICE_FORM = """
{% macro form(q, own, ui, x) %}
{% set multiple = q.type == 'multiple_choice' %}
<fieldset class="choices">
  <legend class="visually-hidden">{{ q.prompt(ui.lang) }}</legend>
  {% if multiple and q.max_choices %}<p class="hint">{{ ui.t('w_at_most', n=q.max_choices) }}</p>{% endif %}
  {% for o in q.options %}
  <label class="choice">
    <input type="{{ 'checkbox' if multiple else 'radio' }}" name="v" value="{{ o.id }}"
      {% if (multiple and own and o.id in own) or (not multiple and own == o.id) %}checked{% endif %}>
    <span class="choice-text"><b>{{ o.label(ui.lang) }}</b>
      {% if o.description %}<small>{{ o.description(ui.lang) }}</small>{% endif %}</span>
  </label>
  {% endfor %}
</fieldset>
{% endmacro %}
"""


class SingleChoiceQuestion(QuestionBase):
    type: Literal["single_choice"]
    options: Annotated[list[Option], Field(min_length=2, max_length=30)]


class SingleChoice(QuestionType):
    name = "single_choice"
    model = SingleChoiceQuestion
    template = CHOICE_FORM

    def clean(self, question, value, check):
        if not isinstance(value, str):
            raise AnswerError("error_type")
        if value not in {o.id for o in question.options}:
            raise AnswerError("error_choice")
        return value

    def from_form(self, question, form, check):
        value = form.get("v")
        if value is None:
            raise AnswerError("error_empty_choice")
        return [(question.id, value)]

    def aggregate(self, exercise, question, answers, view, content, lang="nl"):
        values = [a.value for a in answers if a.item == question.id]
        return {"n": len(values), "counts": count_choices(values, question.options)}

    def group_html(self, exercise, question, group, ui):
        return counts_block(question, group, ui)

    def own_html(self, exercise, question, own, group, ui):
        label = next((o.label(ui.lang) for o in question.options if o.id == own), None)
        if label is None:
            return ""
        return (
            f"<p class='own-line'><span class='own-mark' aria-hidden='true'>◆</span> "
            f"{ui.e(ui.t('w_you_chose'))}: <b>{ui.e(label)}</b></p>"
        )

    def cells(self, exercise, question, own, content, lang="nl"):
        value = own.get(question.id)
        label = next((o.label(lang) for o in question.options if o.id == value), value)
        return {} if value is None else {question.id: label}

    def headline(self, exercise, question, group, ui):
        return choice_headline(question, group, ui)

    def demo(self, question, rng, content):
        return rng.choice(question.options).id
