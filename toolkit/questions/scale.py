"""``scale``: pick one level of a described scale (e.g. maturity 1-5)."""

from __future__ import annotations

from statistics import mean
from typing import Annotated, Literal

from pydantic import Field, model_validator

from .base import AnswerError, QuestionType, number_text, whole_number
from .choice import n_line
from .parts import Level, QuestionBase, Text

__all__ = ["ScaleQuestion", "Scale"]


class ScaleQuestion(QuestionBase):
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


class Scale(QuestionType):
    name = "scale"
    model = ScaleQuestion
    template = """
{% macro form(q, own, ui, x) %}
<fieldset class="choices scale">
  <legend class="visually-hidden">{{ q.prompt(ui.lang) }}</legend>
  {% for level in q.levels %}
  <label class="choice">
    <input type="radio" name="v" value="{{ level.value }}"
           {% if own == level.value %}checked{% endif %}>
    <span class="choice-text"><b>{{ level.value }} · {{ level.label(ui.lang) }}</b>
      {% if q.target == level.value %}<em class="tag">{{ ui.t('p_target') }}</em>{% endif %}
      <small>{{ level.description(ui.lang) }}</small></span>
  </label>
  {% endfor %}
</fieldset>
{% endmacro %}
"""

    def clean(self, question, value, check):
        levels = [level.value for level in question.levels]
        if isinstance(value, bool) or not isinstance(value, int) or value not in levels:
            raise AnswerError("error_choice")
        return value

    def from_form(self, question, form, check):
        raw = form.get("v")
        if raw is None:
            raise AnswerError("error_empty_choice")
        return [(question.id, whole_number(raw, "error_choice"))]

    def aggregate(self, exercise, question, answers, view, content, lang="nl"):
        values = [a.value for a in answers if a.item == question.id]
        return {
            "n": len(values),
            "mean": mean(values) if values else None,
            "counts": {lv.value: values.count(lv.value) for lv in question.levels},
        }

    def group_html(self, exercise, question, group, ui):
        # Three or more scale questions are drawn together as the exercise's radar.
        from ..charts import tables

        rows = [
            {
                "label": f"{lv.value} · {lv.label(ui.lang)}",
                "count": group["counts"].get(lv.value, 0),
            }
            for lv in question.levels
        ]
        return tables.counts_html(rows, total=group["n"], large=ui.large) + n_line(group["n"], ui)

    def own_html(self, exercise, question, own, group, ui):
        level = next((lv for lv in question.levels if lv.value == own), None)
        if level is None:
            return ""
        return (
            f"<p class='own-line'><span class='own-mark' aria-hidden='true'>◆</span> "
            f"{ui.e(ui.t('w_you_chose'))}: <b>{level.value} · {ui.e(level.label(ui.lang))}</b></p>"
        )

    def columns(self, exercise, question, answers, content, lang="nl"):
        return [(question.id, (question.short or question.prompt)(lang))]

    def cells(self, exercise, question, own, content, lang="nl"):
        value = own.get(question.id)
        return {} if value is None else {question.id: int(value)}

    def headline(self, exercise, question, group, ui):
        if not group["n"]:
            return ui.t("h_none")
        values = [lv.value for lv in question.levels]
        target = (
            ui.t("h_scale_target", target=question.target) if question.target is not None else ""
        )
        return ui.t(
            "h_scale",
            mean=number_text(group["mean"], ui.lang),
            low=min(values),
            high=max(values),
            target=target,
            n=group["n"],
        )

    def relabel(self, exercise, question, group, lang="nl"):
        """Kept results come back from JSON with the levels as text keys: make them whole
        numbers again (the chart looks levels up by their value)."""
        return {**group, "counts": {int(k): v for k, v in group["counts"].items()}}

    def findings(self, exercise, question, group, ui):
        if question.target is None or group["mean"] is None or group["mean"] >= question.target:
            return []
        return [
            ui.t(
                "f_below_target",
                label=(question.short or question.prompt)(ui.lang),
                mean=number_text(group["mean"], ui.lang),
                target=question.target,
            )
        ]

    def demo(self, question, rng, content):
        values = [lv.value for lv in question.levels]
        return rng.choices(values, weights=[2, 4, 5, 2, 1, 1, 1, 1, 1, 1][: len(values)])[0]
