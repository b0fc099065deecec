"""``grid``: place items on a 5x5 grid of two axes (e.g. interest and power)."""

from __future__ import annotations

from collections import defaultdict
from statistics import mean
from typing import Annotated, Literal

from pydantic import Field, model_validator

from ..charts.grid import numbered_grid_svg
from ..charts.svg import format_number
from .base import AnswerError, QuestionType, listing, whole_number
from .choice import n_line
from .parts import Axis, Option, QuestionBase, Slug, Text

__all__ = ["GridQuestion", "Grid", "GRID_RANGE"]

GRID_RANGE = range(1, 6)


class GridQuestion(QuestionBase):
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


class Grid(QuestionType):
    name = "grid"
    model = GridQuestion
    template = """
{% macro form(q, own, ui, x) %}
<div class="grid-board" data-board hidden>
  <p class="hint">{{ ui.t('w_grid_help') }}</p>
  <div class="board" role="group" aria-label="{{ q.prompt(ui.lang) }}">
    <span class="board-y">{{ q.y_axis.label(ui.lang) }} →</span>
    <div class="board-cells">
    {% for y in [5, 4, 3, 2, 1] %}{% for xx in [1, 2, 3, 4, 5] %}
      <div class="cell{% if xx > 3 and y > 3 %} hot{% endif %}" role="group"
        data-x="{{ xx }}" data-y="{{ y }}"
        aria-label="{{ q.x_axis.label(ui.lang) }} {{ xx }}, {{ q.y_axis.label(ui.lang) }} {{ y }}"></div>
    {% endfor %}{% endfor %}
    </div>
    <span class="board-x">{{ q.x_axis.label(ui.lang) }} →</span>
  </div>
  <div class="tray" role="group" aria-label="{{ ui.t('w_grid_tray') }}">
  {% for id, label in x.placeable %}
    <button type="button" class="chip" data-item="{{ id }}" aria-pressed="false"
      title="{{ label }}"><b>{{ loop.index }}</b> <bdi>{{ label }}</bdi></button>
  {% endfor %}
  </div>
</div>
<table class="grid-form" data-fallback>
  <thead><tr><th scope="col"></th>
    <th scope="col">{{ q.x_axis.label(ui.lang) }} (1–5)</th>
    <th scope="col">{{ q.y_axis.label(ui.lang) }} (1–5)</th></tr></thead>
  <tbody>
  {% for id, label in x.placeable %}
  {% set at = own.get(id) if own else None %}
  <tr><th scope="row"><b>{{ loop.index }}</b> <bdi>{{ label }}</bdi></th>
    {% for axis in ['x', 'y'] %}
    {% set pos = 0 if axis == 'x' else 1 %}
    <td><select name="{{ axis }}.{{ id }}" aria-label="{{ label }}: {{ (q.x_axis if axis == 'x' else q.y_axis).label(ui.lang) }}">
      <option value="">—</option>
      {% for v in [1, 2, 3, 4, 5] %}
      <option value="{{ v }}" {% if at and at[pos] == v %}selected{% endif %}>{{ v }}</option>
      {% endfor %}
    </select></td>
    {% endfor %}
  </tr>
  {% endfor %}
  </tbody>
</table>
{% endmacro %}
"""

    def clean(self, question, value, check):
        items = (
            check.grid_items
            if check.grid_items is not None
            else {o.id for o in question.items} | set(question.organisations)
        )
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

    def from_form(self, question, form, check):
        value = {}
        for item in dict.fromkeys(form.names("x.") + form.names("y.")):
            x, y = form.get("x." + item) or "", form.get("y." + item) or ""
            if not x and not y:
                continue  # not placed
            if not x or not y:
                raise AnswerError("error_grid_both")
            value[item] = [whole_number(x), whole_number(y)]
        return [(question.id, value)]

    def form_extra(self, exercise, question, group, ui, own=None):
        return {"placeable": ui.content.grid_items(question, ui.lang)}

    def aggregate(self, exercise, question, answers, view, content, lang="nl"):
        values = [a.value for a in answers if a.item == question.id]
        points = defaultdict(list)
        for value in values:
            for item, (x, y) in value.items():
                points[item].append((x, y))
        items = {
            item: {"n": len(p), "mean": [mean(x for x, _ in p), mean(y for _, y in p)], "points": p}
            for item, p in points.items()
        }
        return {"n": len(values), "items": items}

    def _chart(self, question, points, ui, layer):
        q, lang = question, ui.lang
        return numbered_grid_svg(
            x_label=q.x_axis.label(lang),
            y_label=q.y_axis.label(lang),
            x_low=q.x_axis.low(lang),
            x_high=q.x_axis.high(lang),
            y_low=q.y_axis.low(lang),
            y_high=q.y_axis.high(lang),
            quadrants=[x(lang) for x in q.quadrants],
            points=points,
            title=q.prompt(lang),
            large=ui.large,
            own_label=ui.t("p_you") if ui.own else "",
            group_label=ui.t("p_group"),
            layer=layer,
        )

    def group_html(self, exercise, question, group, ui):
        items = ui.content.grid_items(question, ui.lang)
        points = [
            {
                "number": number,
                "label": label,
                "x": group["items"][i]["mean"][0],
                "y": group["items"][i]["mean"][1],
                "kind": "group",
                "n": group["items"][i]["n"],
            }
            for number, (i, label) in enumerate(items, 1)
            if i in group["items"]
        ]
        legend = "".join(
            f"<li{'' if i in group['items'] else ' class=unplaced'}><b class='num'>{number}</b> "
            f"<bdi>{ui.e(label)}</bdi>"
            + (
                f" <small>({format_number(group['items'][i]['mean'][0])}, "
                f"{format_number(group['items'][i]['mean'][1])}; n = {group['items'][i]['n']})"
                "</small>"
                if i in group["items"]
                else ""
            )
            + "</li>"
            for number, (i, label) in enumerate(items, 1)
        )
        return (
            self._chart(question, points, ui, "group")
            + f"<ol class='legend' role='list'>{legend}</ol>"
            + n_line(group["n"], ui)
        )

    def own_html(self, exercise, question, own, group, ui):
        items = ui.content.grid_items(question, ui.lang)
        points = [
            {"number": number, "label": label, "x": own[i][0], "y": own[i][1], "kind": "own"}
            for number, (i, label) in enumerate(items, 1)
            if own and i in own
        ]
        return self._chart(question, points, ui, "own") if points else ""

    def columns(self, exercise, question, answers, content, lang="nl"):
        """Two columns per item, one per axis (1-5)."""
        x, y = question.x_axis.label(lang), question.y_axis.label(lang)
        return [
            column
            for item, label in content.grid_items(question, lang)
            for column in (
                (f"{question.id}:{item}:x", f"{label} · {x}"),
                (f"{question.id}:{item}:y", f"{label} · {y}"),
            )
        ]

    def cells(self, exercise, question, own, content, lang="nl"):
        value = own.get(question.id) or {}
        out = {}
        for item, (x, y) in value.items():
            out[f"{question.id}:{item}:x"], out[f"{question.id}:{item}:y"] = int(x), int(y)
        return out

    def headline(self, exercise, question, group, ui):
        """The items whose mean lies in the top-right quadrant (high on both axes)."""
        if not group["n"]:
            return ui.t("h_none")
        quadrant = question.quadrants[1](ui.lang)
        labels = dict(ui.content.grid_items(question, ui.lang))
        close = sorted(
            (
                (item, r["mean"])
                for item, r in group["items"].items()
                if r["mean"][0] > 3 and r["mean"][1] > 3
            ),
            key=lambda kv: (-(kv[1][0] + kv[1][1]), labels.get(kv[0], kv[0])),
        )
        if not close:
            return ui.t("h_grid_none", quadrant=quadrant, n=group["n"])
        names = [labels.get(item, item) for item, _ in close]
        return ui.t("h_grid_close", quadrant=quadrant, items=listing(names, ui.lang, limit=6))

    def demo(self, question, rng, content):
        return {
            item: [rng.randint(1, 5), rng.randint(1, 5)]
            for item, _ in content.grid_items(question, "nl")
        }
