"""``raci``: who is Responsible, Accountable, Consulted, Informed per task."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Annotated, Literal

from pydantic import Field

from .base import AnswerError, QuestionType, listing
from .choice import n_line
from .parts import Option, QuestionBase

__all__ = ["RaciQuestion", "Raci", "RACI_LETTERS", "raci_problems"]

RACI_LETTERS = ("R", "A", "C", "I")
_GAP_KEYS = {"no_a": "p_raci_no_a", "many_a": "p_raci_many_a", "no_r": "p_raci_no_r"}


class RaciQuestion(QuestionBase):
    """Who is Responsible, Accountable, Consulted, Informed per task (one A, at least one R)."""

    type: Literal["raci"]
    tasks: Annotated[list[Option], Field(min_length=1, max_length=20)]
    roles: Annotated[list[Option], Field(min_length=2, max_length=8)]


def raci_problems(question, value: dict) -> dict[str, str]:
    """Per task, the rule it breaks: ``no_a``, ``many_a`` or ``no_r`` (answered tasks only).

    Examples
    --------
    >>> from toolkit.exercises.spec import RaciQuestion, Option, Text
    >>> t = Text(nl="x", en="x")
    >>> q = RaciQuestion(id="r", type="raci", prompt=t, tasks=[Option(id="t1", label=t)],
    ...                  roles=[Option(id="a", label=t), Option(id="b", label=t)])
    >>> raci_problems(q, {"t1": {"a": "R"}})
    {'t1': 'no_a'}
    >>> raci_problems(q, {"t1": {"a": "A", "b": "R"}})
    {}
    """
    problems = {}
    for task in question.tasks:
        row = value.get(task.id) or {}
        if not row:
            continue
        letters = list(row.values())
        if letters.count("A") == 0:
            problems[task.id] = "no_a"
        elif letters.count("A") > 1:
            problems[task.id] = "many_a"
        elif "R" not in letters:
            problems[task.id] = "no_r"
    return problems


def _summary(question, row: dict, ui) -> str:
    """'A: Bestuur · R: Informatiemanager, Ict' for one task's letters."""
    parts = []
    for letter in RACI_LETTERS:
        roles = [r.label(ui.lang) for r in question.roles if row.get(r.id) == letter]
        if roles:
            names = ", ".join(f"<bdi>{ui.e(name)}</bdi>" for name in roles)
            parts.append(f"<span class='raci-part'><b class='letter'>{letter}</b> {names}</span>")
    return " ".join(parts)


class Raci(QuestionType):
    name = "raci"
    model = RaciQuestion
    template = """
{% macro form(q, own, ui, x) %}
{% for task in q.tasks %}
<fieldset class="raci-task">
  <legend><b>{{ task.label(ui.lang) }}</b></legend>
  {% for role in q.roles %}
  {% set mine = own.get(task.id, {}).get(role.id, '') if own else '' %}
  <div class="raci-row" role="radiogroup" aria-label="{{ task.label(ui.lang) }}: {{ role.label(ui.lang) }}">
    <span class="raci-role">{{ role.label(ui.lang) }}</span>
    <span class="segments">
    {% for letter in ['', 'R', 'A', 'C', 'I'] %}
      <label class="segment"><input type="radio" name="r.{{ task.id }}.{{ role.id }}" value="{{ letter }}"
        {% if mine == letter %}checked{% endif %}><span aria-hidden="{{ 'true' if not letter else 'false' }}">{{ letter or '–' }}</span>{% if not letter %}<span class="visually-hidden">{{ ui.t('w_none') }}</span>{% endif %}</label>
    {% endfor %}
    </span>
  </div>
  {% endfor %}
</fieldset>
{% endfor %}
{% endmacro %}
"""

    def clean(self, question, value, check):
        tasks, roles = {t.id for t in question.tasks}, {r.id for r in question.roles}
        if not isinstance(value, dict):
            raise AnswerError("error_type")
        cleaned = {}
        for task, row in value.items():
            if task not in tasks or not isinstance(row, dict):
                raise AnswerError("error_choice")
            kept = {}
            for role, letter in row.items():
                if role not in roles or letter not in (*RACI_LETTERS, ""):
                    raise AnswerError("error_choice")
                if letter:
                    kept[role] = letter
            if kept:
                cleaned[task] = kept
        return cleaned

    def from_form(self, question, form, check):
        value: dict = {}
        for name in form.names("r."):
            task, _, role = name.partition(".")
            letter = form.get("r." + name) or ""
            value.setdefault(task, {})[role] = letter
        return [(question.id, value)]

    def aggregate(self, exercise, question, answers, view, content, lang="nl"):
        values = [a.value for a in answers if a.item == question.id]
        cells = defaultdict(lambda: defaultdict(Counter))
        for value in values:
            for task, row in value.items():
                for role, letter in row.items():
                    cells[task][role][letter] += 1
        consensus = {
            task: {role: counts.most_common(1)[0][0] for role, counts in row.items()}
            for task, row in cells.items()
        }
        plain = {task: {role: dict(c) for role, c in row.items()} for task, row in cells.items()}
        return {
            "n": len(values),
            "cells": plain,
            "consensus": consensus,
            "gaps": raci_problems(question, consensus),
            "unanswered": [t.id for t in question.tasks if t.id not in consensus],
        }

    def group_html(self, exercise, question, group, ui):
        cards = []
        for task in question.tasks:
            row = group["consensus"].get(task.id)
            gap = group["gaps"].get(task.id)
            body = _summary(question, row, ui) if row else ui.e(ui.t("p_no_answers"))
            warn = (
                f"<p class='warn'><span aria-hidden='true'>⚠ </span>"
                f"{ui.e(ui.t(_GAP_KEYS[gap]))}</p>"
                if gap
                else ""
            )
            cards.append(
                f"<li class='card{' gap' if gap else ''}'><b><bdi>{ui.e(task.label(ui.lang))}"
                f"</bdi></b><p class='raci-line'>{body}</p>{warn}</li>"
            )
        return f"<ul class='cards' role='list'>{''.join(cards)}</ul>" + n_line(group["n"], ui)

    def own_html(self, exercise, question, own, group, ui):
        if not own:
            return ""
        problems = raci_problems(question, own)
        if not problems:
            return f"<p class='own-line ok'>{ui.e(ui.t('p_raci_ok'))}</p>"
        labels = {t.id: t.label(ui.lang) for t in question.tasks}
        items = "".join(
            f"<li><bdi>{ui.e(labels[task])}</bdi>: {ui.e(ui.t(_GAP_KEYS[code]))}</li>"
            for task, code in problems.items()
        )
        return (
            f"<div class='own-line'><b>{ui.e(ui.t('w_your_table'))}</b>"
            f"<ul class='own-gaps'>{items}</ul></div>"
        )

    def columns(self, exercise, question, answers, content, lang="nl"):
        """One column per task and role, holding the letter (R, A, C or I)."""
        return [
            (f"{question.id}:{task.id}:{role.id}", f"{task.label(lang)} · {role.label(lang)}")
            for task in question.tasks
            for role in question.roles
        ]

    def cells(self, exercise, question, own, content, lang="nl"):
        value = own.get(question.id) or {}
        return {
            f"{question.id}:{task}:{role}": letter
            for task, row in value.items()
            for role, letter in row.items()
        }

    def headline(self, exercise, question, group, ui):
        if not group["n"]:
            return ui.t("h_none")
        labels = {t.id: t.label(ui.lang) for t in question.tasks}
        gaps = [labels[t.id] for t in question.tasks if t.id in group["gaps"]]
        if not gaps:
            return ui.t("h_raci_ok", n=group["n"])
        return ui.t(
            "h_raci_gaps",
            gaps=len(gaps),
            tasks=len(question.tasks),
            items=listing(gaps, ui.lang, limit=4),
        )

    def findings(self, exercise, question, group, ui):
        return [
            ui.t(
                "f_raci", task=task.label(ui.lang), problem=ui.t(_GAP_KEYS[group["gaps"][task.id]])
            )
            for task in question.tasks
            if task.id in group["gaps"]
        ]

    def demo(self, question, rng, content):
        matrix = {}
        for task in question.tasks:
            roles = [r.id for r in question.roles]
            rng.shuffle(roles)
            row = {roles[0]: "A", roles[1]: "R"}
            for role in roles[2:]:
                letter = rng.choice(["C", "I", ""])
                if letter:
                    row[role] = letter
            matrix[task.id] = row
        return matrix
