"""``ranking``: put a list in order, by dragging or with the up and down buttons."""

from __future__ import annotations

from statistics import mean, pstdev
from typing import Annotated, Literal

from pydantic import Field

from ..charts import tables
from .base import AnswerError, QuestionType, listing, number_text
from .choice import n_line
from .parts import Option, QuestionBase

__all__ = ["RankingQuestion", "Ranking", "move"]


class RankingQuestion(QuestionBase):
    """Order the options from most to least important (all of them)."""

    type: Literal["ranking"]
    options: Annotated[list[Option], Field(min_length=2, max_length=12)]


def move(order: list[str], key: str, delta: int) -> list[str]:
    """``order`` with ``key`` moved ``delta`` places (clamped at the ends).

    Examples
    --------
    >>> move(["a", "b", "c"], "c", -1), move(["a", "b", "c"], "a", -1)
    (['a', 'c', 'b'], ['a', 'b', 'c'])
    """
    if key not in order:
        return order
    i = order.index(key)
    j = min(max(i + delta, 0), len(order) - 1)
    out = [k for k in order if k != key]
    out.insert(j, key)
    return out


class Ranking(QuestionType):
    name = "ranking"
    model = RankingQuestion
    template = """
{% macro form(q, own, ui, x) %}
{% set labels = x.labels %}
<p class="hint">{{ ui.t('w_ranking_help') }}</p>
<ol class="ranking" data-ranking>
  {% for key in (own or x.start) %}
  <li class="rank-row" data-key="{{ key }}" draggable="false">
    <input type="hidden" name="o" value="{{ key }}">
    <span class="rank-handle" aria-hidden="true">⠿</span>
    <span class="rank-label"><bdi>{{ labels[key] }}</bdi></span>
    <span class="stepper">
      <button type="submit" name="move" value="{{ key }}:-1" class="button step"
        aria-label="{{ ui.t('w_move_up') }}: {{ labels[key][:60] }}" {% if loop.first %}disabled{% endif %}>↑</button>
      <button type="submit" name="move" value="{{ key }}:1" class="button step"
        aria-label="{{ ui.t('w_move_down') }}: {{ labels[key][:60] }}" {% if loop.last %}disabled{% endif %}>↓</button>
    </span>
  </li>
  {% endfor %}
</ol>
{% endmacro %}
"""

    def clean(self, question, value, check):
        ids = [o.id for o in question.options]
        if (
            not isinstance(value, list)
            or not all(isinstance(v, str) for v in value)
            or sorted(value) != sorted(ids)
        ):
            raise AnswerError("error_ranking")
        return list(value)

    def from_form(self, question, form, check):
        order = form.getall("o")
        step = form.get("move")
        if step:
            key, _, delta = step.rpartition(":")
            if delta not in ("1", "-1"):
                raise AnswerError("error_type")
            order = move(order, key, int(delta))
        return [(question.id, order)]

    def form_extra(self, exercise, question, group, ui, own=None):
        return {
            "labels": {o.id: o.label(ui.lang) for o in question.options},
            "start": [o.id for o in question.options],
        }

    def aggregate(self, exercise, question, answers, view, content, lang="nl"):
        values = [a.value for a in answers if a.item == question.id]
        places = {o.id: [] for o in question.options}
        for order in values:
            for place, key in enumerate(order, 1):
                if key in places:
                    places[key].append(place)
        rows = [
            {
                "key": key,
                "mean": mean(p) if p else None,
                "spread": pstdev(p) if len(p) > 1 else 0.0,
                "n": len(p),
            }
            for key, p in places.items()
        ]
        rows.sort(key=lambda r: (r["mean"] is None, r["mean"] or 0, r["key"]))
        return {"n": len(values), "rows": rows}

    def group_html(self, exercise, question, group, ui):
        if not group["n"]:
            return f"<p>{ui.e(ui.t('p_no_answers'))}</p>"
        labels = {o.id: o.label(ui.lang) for o in question.options}
        top = len(question.options)
        rows = [
            {
                "label": labels[r["key"]],
                "value": top + 1 - r["mean"],
                # The place alone beside the label (a narrow column keeps its words
                # whole); what it means on the line below, with the spread.
                "value_text": number_text(r["mean"], ui.lang),
                "note": ui.t("w_mean_place", place=number_text(r["mean"], ui.lang))
                + " · "
                + ui.t("w_spread", spread=number_text(r["spread"], ui.lang)),
            }
            for r in group["rows"]
            if r["mean"] is not None
        ]
        return tables.bars_html(rows, max_value=top, large=ui.large) + n_line(group["n"], ui)

    def own_html(self, exercise, question, own, group, ui):
        if not own:
            return ""
        labels = {o.id: o.label(ui.lang) for o in question.options}
        listed = ", ".join(
            f"{i}. <bdi>{ui.e(labels.get(k, k))}</bdi>" for i, k in enumerate(own, 1)
        )
        return (
            f"<p class='own-line'><span class='own-mark' aria-hidden='true'>◆</span> "
            f"{ui.e(ui.t('w_your_order'))}: {listed}</p>"
        )

    def columns(self, exercise, question, answers, content, lang="nl"):
        """One column per option, holding the place it was given (1 = top)."""
        return [(f"{question.id}:{o.id}", o.label(lang)) for o in question.options]

    def cells(self, exercise, question, own, content, lang="nl"):
        order = own.get(question.id) or []
        return {f"{question.id}:{key}": place for place, key in enumerate(order, 1)}

    def headline(self, exercise, question, group, ui):
        if not group["n"]:
            return ui.t("h_none")
        labels = {o.id: o.label(ui.lang) for o in question.options}
        items = [
            f"{labels.get(r['key'], r['key'])} {number_text(r['mean'], ui.lang)}"
            for r in group["rows"]
            if r["mean"] is not None
        ]
        return ui.t("h_ranking", items=listing(items, ui.lang, limit=6), n=group["n"])

    def demo(self, question, rng, content):
        order = [o.id for o in question.options]
        rng.shuffle(order)
        return order
