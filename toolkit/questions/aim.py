"""``aim``: place items on the nine cells of the Amsterdam Information Model."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Literal

from pydantic import Field

from .base import AnswerError, QuestionType, listing
from .choice import n_line
from .parts import Option, QuestionBase

__all__ = [
    "AimQuestion",
    "Aim",
    "AIM_ROWS",
    "AIM_COLUMNS",
    "AIM_CELLS",
    "AIM_ROW_LABELS",
    "AIM_COLUMN_LABELS",
    "aim_cell_label",
    "aim_axis_labels",
]

AIM_ROWS = ("strategy", "structure", "operations")
AIM_COLUMNS = ("business", "information", "technology")
AIM_CELLS = tuple(f"{row}:{col}" for row in AIM_ROWS for col in AIM_COLUMNS)
AIM_ROW_LABELS = {
    "strategy": ("Strategie", "Strategy"),
    "structure": ("Structuur", "Structure"),
    "operations": ("Uitvoering", "Operations"),
}
AIM_COLUMN_LABELS = {
    "business": ("Business", "Business"),
    "information": ("Informatie & communicatie", "Information & communication"),
    "technology": ("Technologie", "Technology"),
}


def _pick(lang: str) -> int:
    return 0 if lang == "nl" else 1


def aim_cell_label(cell: str, lang: str) -> str:
    """The label of one cell.

    Examples
    --------
    >>> aim_cell_label("strategy:information", "nl")
    'Strategie × Informatie & communicatie'
    """
    row, column = cell.split(":")
    return f"{AIM_ROW_LABELS[row][_pick(lang)]} × {AIM_COLUMN_LABELS[column][_pick(lang)]}"


def aim_axis_labels(lang: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """``(rows, columns)`` as ``(id, label)`` pairs in the model's order."""
    pick = _pick(lang)
    return (
        [(r, AIM_ROW_LABELS[r][pick]) for r in AIM_ROWS],
        [(c, AIM_COLUMN_LABELS[c][pick]) for c in AIM_COLUMNS],
    )


class AimQuestion(QuestionBase):
    """Place items (roles, tasks) on the 9 cells of the Amsterdam Information Model."""

    type: Literal["aim"]
    items: Annotated[list[Option], Field(min_length=1, max_length=20)]


class Aim(QuestionType):
    name = "aim"
    model = AimQuestion
    template = """
{% macro form(q, own, ui, x) %}
{% for item in q.items %}
{% set mine = own.get(item.id, '') if own else '' %}
<fieldset class="aim-item">
  <legend><b>{{ item.label(ui.lang) }}</b></legend>
  <div class="aim-grid">
    <span></span>
    {% for cid, clabel in x.columns %}<span class="aim-head" aria-hidden="true">{{ clabel }}</span>{% endfor %}
    {% for rid, rlabel in x.rows %}
      <span class="aim-head row" aria-hidden="true">{{ rlabel }}</span>
      {% for cid, clabel in x.columns %}
      <label class="aim-cell"><input type="radio" name="m.{{ item.id }}" value="{{ rid }}:{{ cid }}"
        {% if mine == rid ~ ':' ~ cid %}checked{% endif %}><span class="visually-hidden">{{ rlabel }} × {{ clabel }}</span><span aria-hidden="true" class="aim-dot"></span></label>
      {% endfor %}
    {% endfor %}
  </div>
  <label class="choice small"><input type="radio" name="m.{{ item.id }}" value=""
    {% if not mine %}checked{% endif %}> {{ ui.t('w_not_placed') }}</label>
</fieldset>
{% endfor %}
{% endmacro %}
"""

    def clean(self, question, value, check):
        if not isinstance(value, dict):
            raise AnswerError("error_type")
        items = {i.id for i in question.items}
        cleaned = {}
        for item, cell in value.items():
            if item not in items or cell not in (*AIM_CELLS, ""):
                raise AnswerError("error_choice")
            if cell:
                cleaned[item] = cell
        return cleaned

    def from_form(self, question, form, check):
        return [(question.id, {item: form.get("m." + item) or "" for item in form.names("m.")})]

    def form_extra(self, exercise, question, group, ui, own=None):
        rows, columns = aim_axis_labels(ui.lang)
        return {"rows": rows, "columns": columns}

    def aggregate(self, exercise, question, answers, view, content, lang="nl"):
        values = [a.value for a in answers if a.item == question.id]
        cells = {cell: Counter() for cell in AIM_CELLS}
        for value in values:
            for item, cell in value.items():
                cells[cell][item] += 1
        return {
            "n": len(values),
            "cells": {c: dict(v) for c, v in cells.items()},
            "empty": [c for c in AIM_CELLS if not cells[c]],
        }

    def group_html(self, exercise, question, group, ui):
        labels = {i.id: i.label(ui.lang) for i in question.items}
        rows, columns = aim_axis_labels(ui.lang)
        cards = []
        for rid, rlabel in rows:
            for cid, clabel in columns:
                cell = f"{rid}:{cid}"
                placed = sorted(group["cells"][cell].items(), key=lambda kv: (-kv[1], kv[0]))
                names = ", ".join(
                    f"<bdi>{ui.e(labels.get(i, i))}</bdi> <small>×{n}</small>" for i, n in placed
                )
                empty = cell in group["empty"]
                body = names or f"<em>{ui.e(ui.t('p_empty_cell'))}</em>"
                cards.append(
                    f"<li class='aim-result{' empty' if empty else ''}'>"
                    f"<span class='aim-where'>{ui.e(rlabel)} × {ui.e(clabel)}</span> {body}</li>"
                )
        return f"<ul class='aim-results' role='list'>{''.join(cards)}</ul>" + n_line(group["n"], ui)

    def own_html(self, exercise, question, own, group, ui):
        if own is None:
            return ""
        used = set(own.values())
        empty = [aim_cell_label(c, ui.lang) for c in AIM_CELLS if c not in used]
        if not empty:
            return f"<p class='own-line ok'>{ui.e(ui.t('w_aim_all_used'))}</p>"
        return (
            f"<p class='own-line'><b>{ui.e(ui.t('w_your_empty_cells'))}</b> "
            + ", ".join(ui.e(c) for c in empty)
            + "</p>"
        )

    def columns(self, exercise, question, answers, content, lang="nl"):
        """One column per item, holding the cell it was placed on."""
        return [(f"{question.id}:{item.id}", item.label(lang)) for item in question.items]

    def cells(self, exercise, question, own, content, lang="nl"):
        value = own.get(question.id) or {}
        return {
            f"{question.id}:{item}": aim_cell_label(cell, lang)
            for item, cell in value.items()
            if cell in AIM_CELLS
        }

    def headline(self, exercise, question, group, ui):
        if not group["n"]:
            return ui.t("h_none")
        if not group["empty"]:
            return ui.t("h_aim_full", n=group["n"])
        cells = [aim_cell_label(c, ui.lang) for c in group["empty"]]
        return ui.t("h_aim_empty", items=listing(cells, ui.lang, limit=9))

    def findings(self, exercise, question, group, ui):
        if not group["n"]:
            return []
        return [ui.t("f_aim", cell=aim_cell_label(c, ui.lang)) for c in group["empty"]]

    def demo(self, question, rng, content):
        return {item.id: rng.choice(list(AIM_CELLS)) for item in question.items}
