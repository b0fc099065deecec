"""``dot_vote``: spread a budget of dots over fixed options and the group's shown texts."""

from __future__ import annotations

from collections import Counter
from typing import Literal

from pydantic import Field

from ..charts import tables
from .base import AnswerError, QuestionType, View, listing, whole_number
from .choice import n_line
from .free_text import shown_texts
from .parts import Option, QuestionBase, Slug
from .typed_text import need_key

__all__ = ["DotVoteQuestion", "DotVote", "dot_options"]


class DotVoteQuestion(QuestionBase):
    """Spread a budget of dots over options (fixed ones and/or the group's free-text ones)."""

    type: Literal["dot_vote"]
    budget: int = Field(ge=1, le=20)
    max_per_option: int | None = Field(default=None, ge=1)
    options: list[Option] = []
    options_from: Slug | None = None  # a free_text question of the same exercise


def dot_options(exercise, question, answers, view, lang: str = "nl") -> list[tuple[str, str]]:
    """The ``(key, label)`` options of a dot vote: its fixed options, then the texts of
    ``options_from`` that ``view`` may see (equal texts merged, keyed by ``need_key``).

    A text that others may not see yet (free texts not shown, hidden, or waiting for
    approval) is not an option for anyone, so it never reaches another participant here.

    Examples
    --------
    >>> from toolkit.exercises.loader import default_exercises
    >>> from toolkit.questions import View
    >>> ex = {e.id: e for e in default_exercises()}["behoeften"]
    >>> len(dot_options(ex, ex.question("votes"), [], View())) >= 3
    True
    """
    options = [(o.id, o.label(lang)) for o in question.options]
    if not question.options_from:
        return options
    seen = {key for key, _ in options}
    source = exercise.question(question.options_from)
    for answer in shown_texts(exercise.id, source, answers, view):
        text = (answer.value or {}).get("text", "")
        key = need_key(text)
        if text and key not in seen:
            seen.add(key)
            options.append((key, text))
    return options


class DotVote(QuestionType):
    name = "dot_vote"
    model = DotVoteQuestion
    blank = 0
    template = """
{% macro form(q, own, ui, x) %}
{% set used = own.values()|sum if own else 0 %}
<p class="dots-left" data-budget="{{ q.budget }}" aria-live="polite">
  {{ ui.t('p_dots_left', n=q.budget - used, budget=q.budget) }}</p>
<ul class="dots" data-budget="{{ q.budget }}" data-max="{{ q.max_per_option or q.budget }}"
  data-left="{{ ui.t('p_dots_left', n='{n}', budget='{budget}') }}"
  data-full="{{ ui.t('w_dots_used_up') }}"
  data-most="{{ ui.t('error_per_option', limit=q.max_per_option or q.budget) }}">
  {% for key, label in x.options %}
  {% set n = own.get(key, 0) if own else 0 %}
  <li class="dot-row">
    <span class="dot-label" id="dl-{{ q.id }}-{{ key }}"><bdi>{{ label }}</bdi></span>
    <span class="stepper">
      <button type="submit" name="step" value="{{ key }}:-1" class="button step"
        aria-label="{{ ui.t('w_dot_less') }}: {{ label[:60] }}">−</button>
      <input type="number" name="d.{{ key }}" value="{{ n }}" min="0"
        max="{{ q.max_per_option or q.budget }}" inputmode="numeric" class="dot-count"
        aria-labelledby="dl-{{ q.id }}-{{ key }}">
      <button type="submit" name="step" value="{{ key }}:1" class="button step"
        aria-label="{{ ui.t('w_dot_more') }}: {{ label[:60] }}">+</button>
    </span>
  </li>
  {% else %}
  <li>{{ ui.t('p_no_answers') }}</li>
  {% endfor %}
</ul>
{% endmacro %}
"""

    def clean(self, question, value, check):
        allowed = next(
            (keys for keys in (check.allowed, check.dot_options) if keys is not None),
            {o.id for o in question.options},
        )
        if not isinstance(value, dict):
            raise AnswerError("error_type")
        cleaned = {}
        for key, count in value.items():
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise AnswerError("error_type")
            if count == 0:
                continue
            if key not in allowed:
                raise AnswerError("error_choice")
            if question.max_per_option and count > question.max_per_option:
                one = "_one" if question.max_per_option == 1 else ""
                raise AnswerError("error_per_option" + one, limit=question.max_per_option)
            cleaned[key] = count
        used = sum(cleaned.values())
        if used > question.budget:
            one = "_one" if question.budget == 1 else ""
            raise AnswerError("error_budget" + one, used=used, budget=question.budget)
        return cleaned

    def from_form(self, question, form, check):
        """The counts in the form's number fields, with one ± step applied (the plain
        form's buttons); the result is checked against the budget by ``clean``."""
        counts = {}
        for key in form.names("d."):
            raw = (form.get("d." + key) or "0").strip() or "0"
            counts[key] = whole_number(raw)
        step = form.get("step")
        if step:
            key, _, delta = step.rpartition(":")
            if delta not in ("1", "-1") or not key:
                raise AnswerError("error_type")
            counts[key] = max(0, counts.get(key, 0) + int(delta))
        return [(question.id, counts)]

    def aggregate(self, exercise, question, answers, view, content, lang="nl"):
        values = [a.value for a in answers if a.item == question.id]
        options = dot_options(exercise, question, answers, view, lang)
        totals, voters = Counter(), Counter()
        for value in values:
            for key, count in value.items():
                totals[key] += count
                voters[key] += 1
        ranking = sorted(
            (
                {"key": k, "label": label, "dots": totals.get(k, 0), "voters": voters.get(k, 0)}
                for k, label in options
            ),
            key=lambda r: (-r["dots"], -r["voters"], r["label"].casefold()),
        )
        return {"n": len(values), "ranking": ranking, "options": options}

    def allowed(self, question, group):
        return {key for key, _ in group["options"]}

    def form_extra(self, exercise, question, group, ui, own=None):
        return {"options": group["options"]}

    def form_key(self, question, group):
        """The options' keys, where others' texts are options (they come and go as the
        facilitator shows, hides or approves them).

        >>> from toolkit.exercises.loader import default_exercises
        >>> q = {e.id: e for e in default_exercises()}["behoeften"].question("votes")
        >>> kind = DotVote()
        >>> kind.form_key(q, {"options": [("a", "A"), ("b", "B")]})
        'a b'
        >>> kind.form_key(q.model_copy(update={"options_from": None}), {}) is None
        True
        """
        if not question.options_from:
            return None
        return " ".join(key for key, _ in group.get("options", []))

    def group_html(self, exercise, question, group, ui):
        if not group["ranking"]:
            return f"<p>{ui.e(ui.t('p_no_answers'))}</p>"
        rows = [
            {
                "label": r["label"],
                "value": r["dots"],
                "note": ui.t("w_voters", n=r["voters"]),
            }
            for r in group["ranking"]
        ]
        return tables.bars_html(rows, large=ui.large) + n_line(group["n"], ui)

    def own_html(self, exercise, question, own, group, ui):
        if not own:
            return ""
        labels = {r["key"]: r["label"] for r in group["ranking"]}
        parts = [f"<bdi>{ui.e(labels[k])}</bdi> ({n})" for k, n in own.items() if k in labels and n]
        if not parts:
            return ""
        return (
            f"<p class='own-line'><span class='own-mark' aria-hidden='true'>◆</span> "
            f"{ui.e(ui.t('w_your_dots'))}: {', '.join(parts)}</p>"
        )

    def columns(self, exercise, question, answers, content, lang="nl"):
        """One column per option: the fixed ones, every text written for ``options_from``
        (hidden ones too: the export is the facilitator's), then any other key voted on."""
        options = dot_options(exercise, question, answers, View(include_hidden=True), lang)
        known = {key for key, _ in options}
        for answer in answers:
            if answer.item == question.id and isinstance(answer.value, dict):
                for key in answer.value:
                    if key not in known:
                        known.add(key)
                        options.append((key, key))
        return [(f"{question.id}:{key}", label) for key, label in options]

    def cells(self, exercise, question, own, content, lang="nl"):
        value = own.get(question.id)
        if value is None:
            return {}
        return {f"{question.id}:{key}": int(count) for key, count in value.items()}

    def headline(self, exercise, question, group, ui):
        top = [r for r in group["ranking"] if r["dots"]][:3]
        if not top:
            return ui.t("h_none")
        items = [
            ui.t(
                "h_dots_item_one" if r["dots"] == 1 else "h_dots_item",
                label=r["label"],
                dots=r["dots"],
            )
            for r in top
        ]
        key = "h_dots_one" if group["n"] == 1 else "h_dots"
        return ui.t(key, items=listing(items, ui.lang), n=group["n"])

    def kept(self, question, group):
        """The fixed options and the written needs that got dots; a need nobody voted for
        is one person's free text and goes."""
        fixed = {o.id for o in question.options}
        ranking = [r for r in group["ranking"] if r["key"] in fixed or r["dots"]]
        keys = {r["key"] for r in ranking}
        return {
            **group,
            "ranking": ranking,
            "options": [o for o in group["options"] if o[0] in keys],
        }

    def relabel(self, exercise, question, group, lang="nl"):
        labels = {o.id: o.label(lang) for o in question.options}
        ranking = [{**r, "label": labels.get(r["key"], r["label"])} for r in group["ranking"]]
        options = [(k, labels.get(k, label)) for k, label in group["options"]]
        return {**group, "ranking": ranking, "options": options}

    def demo(self, question, rng, content):
        counts: dict[str, int] = {}
        for _ in range(question.budget):
            option = rng.choice(question.options).id
            if not question.max_per_option or counts.get(option, 0) < question.max_per_option:
                counts[option] = counts.get(option, 0) + 1
        return counts
