"""``room_questions``: questions from the room; everyone supports others' questions once,
the facilitator marks them answered or hides them; sorted by support."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field

from .base import AnswerError, QuestionType, listing
from .choice import n_line
from .free_text import new_item, shown_texts
from .parts import QuestionBase
from .typed_text import clean_text, need_key

__all__ = ["RoomQuestionsQuestion", "RoomQuestions", "votes_item"]

_ITEM = re.compile(r"^[a-z0-9][a-z0-9_-]{0,47}:[0-9a-f]{12}$")


def votes_item(question) -> str:
    """The item under which a participant's support for others' questions is stored."""
    return f"{question.id}~votes"


class RoomQuestionsQuestion(QuestionBase):
    """Ask questions and support others'; the facilitator answers the most supported."""

    type: Literal["room_questions"]
    max_length: int = Field(default=200, ge=10, le=500)
    max_items: int = Field(default=3, ge=1, le=10)
    shared: Literal["moderated"] = "moderated"


class RoomQuestions(QuestionType):
    name = "room_questions"
    model = RoomQuestionsQuestion
    redraw_form = True
    needs_own = True
    template = """
{% macro form(q, own, ui, x) %}
{% set asked = own.asked if own else [] %}
{% set backed = own.votes if own else [] %}
{% if x.others %}
<ul class="qa" role="list">
  {% for row in x.others %}
  <li class="qa-row{% if row.answered %} answered{% endif %}">
    <span class="qa-text"><bdi>{{ row.text }}</bdi>
      {% if row.answered %}<em class="tag">{{ ui.t('w_answered') }}</em>{% endif %}</span>
    <button type="submit" name="up" value="{{ row.item }}" class="button small{% if row.item in backed %} primary{% endif %}"
      aria-pressed="{{ 'true' if row.item in backed else 'false' }}"><span aria-hidden="true">▲</span> {{ row.votes }}<span class="visually-hidden">
      {{ ui.t('w_support') }}: {{ row.text[:60] }}</span></button>
  </li>
  {% endfor %}
</ul>
{% endif %}
{% if asked %}
<p><b>{{ ui.t('w_your_questions') }}</b></p>
<ul class="own-texts">
  {% for item, text in asked %}
  <li><bdi>{{ text }}</bdi>
    <button type="submit" name="remove" value="{{ item }}" class="button secondary small">{{ ui.t('p_remove') }}</button></li>
  {% endfor %}
</ul>
{% endif %}
{% if asked|length < q.max_items %}
<label class="field-label" for="qa-{{ q.id }}">{{ ui.t('w_ask') }}</label>
<textarea id="qa-{{ q.id }}" name="text" rows="2" maxlength="{{ q.max_length }}" data-count="{{ q.max_length }}"></textarea>
<input type="hidden" name="item" value="{{ new_item(q) }}">
<p class="hint"><span data-counter>0/{{ q.max_length }}</span></p>
<button type="submit" name="add" value="1" class="button">{{ ui.t('w_ask_button') }}</button>
{% endif %}
{% endmacro %}
"""

    def own(self, question, own):
        prefix = question.id + ":"
        return {
            "asked": [(i, v.get("text", "")) for i, v in own.items() if i.startswith(prefix)],
            "votes": list((own.get(votes_item(question)) or {}).get("votes", [])),
        }

    def answered(self, question, own):
        return any(i.startswith(question.id + ":") for i in own) or votes_item(question) in own

    def allowed(self, question, group) -> set:
        return {row["item"] for row in group["rows"]}

    def clean(self, question, value, check):
        if isinstance(value, dict) and "votes" in value:
            votes = value["votes"]
            allowed = check.allowed or set()
            if not isinstance(votes, list) or not set(votes) <= allowed:
                raise AnswerError("error_choice")
            return {"votes": sorted(set(votes))}
        text = value.get("text") if isinstance(value, dict) else value
        return {"text": clean_text(text, question.max_length)}

    def from_form(self, question, form, check):
        mine = self.own(question, check.own)
        asked = dict(mine["asked"])
        removed = form.get("remove")
        if removed is not None:
            if removed not in asked:
                raise AnswerError("error_choice")
            return [(removed, None)]
        backed = form.get("up")
        if backed is not None:
            if backed in asked or backed not in (check.allowed or set()):
                raise AnswerError("error_choice")
            votes = set(mine["votes"])
            votes ^= {backed}  # once each: a second press takes the support back
            return [(votes_item(question), {"votes": sorted(votes)})]
        item = form.get("item") or ""
        if not _ITEM.match(item) or not item.startswith(question.id + ":"):
            raise AnswerError("error_type")
        text = clean_text(form.get("text", ""), question.max_length)
        if item not in asked:
            if len(asked) >= question.max_items:
                raise AnswerError("error_max_items", limit=question.max_items)
            if need_key(text) in {need_key(v) for v in asked.values()}:
                raise AnswerError("error_duplicate")
        return [(item, {"text": text})]

    def form_extra(self, exercise, question, group, ui, own=None):
        return {"others": group["rows"], "new": new_item(question)}

    def aggregate(self, exercise, question, answers, view, content, lang="nl"):
        shown = shown_texts(exercise.id, question, answers, view)
        support = {}
        for a in answers:
            if a.item == votes_item(question):
                for item in a.value.get("votes", []):
                    support[item] = support.get(item, 0) + 1
        rows = [
            {
                "item": a.item,
                "answer_id": a.id,
                "text": a.value.get("text", ""),
                "votes": support.get(a.item, 0),
                "answered": a.id in view.answered,
                "hidden": a.hidden,
                **({"pseudonym": a.pseudonym} if view.include_hidden else {}),
            }
            for a in shown
        ]
        rows.sort(key=lambda r: (r["answered"], -r["votes"], r["answer_id"]))
        askers = {a.participant_id for a in answers if a.item.startswith(question.id + ":")}
        return {"n": len(askers), "rows": rows}

    def group_html(self, exercise, question, group, ui):
        if not group["rows"]:
            return f"<p>{ui.e(ui.t('p_no_answers'))}</p>"
        items = "".join(
            f"<li class='qa-result{' answered' if r['answered'] else ''}'>"
            f"<span class='qa-votes'><span aria-hidden='true'>▲</span> {r['votes']}"
            f"<span class='visually-hidden'> {ui.e(ui.t('w_supported'))}</span></span> "
            f"<bdi>{ui.e(r['text'])}</bdi>"
            + (f" <em class='tag'>{ui.e(ui.t('w_answered'))}</em>" if r["answered"] else "")
            + "</li>"
            for r in group["rows"]
        )
        return f"<ol class='qa-results' role='list'>{items}</ol>" + n_line(group["n"], ui)

    def columns(self, exercise, question, answers, content, lang="nl"):
        """One column per question a participant may ask, and how many others' they
        supported."""
        from ..i18n import t

        prompt = question.prompt(lang)
        asked = [
            (f"{question.id}:{i}", t("x_text_n", lang, prompt=prompt, n=i))
            for i in range(1, question.max_items + 1)
        ]
        return asked + [(f"{question.id}~votes", t("x_supports", lang, prompt=prompt))]

    def cells(self, exercise, question, own, content, lang="nl"):
        mine = self.own(question, own)
        out = {f"{question.id}:{i}": text for i, (_item, text) in enumerate(mine["asked"], 1)}
        if votes_item(question) in own:
            out[f"{question.id}~votes"] = len(mine["votes"])
        return out

    def headline(self, exercise, question, group, ui):
        if not group["rows"]:
            return ui.t("h_none")
        backed = [r for r in group["rows"] if r["votes"]][:3]
        if not backed:
            return ui.t("h_room_plain", questions=len(group["rows"]), n=group["n"])
        items = [ui.t("h_support", label=r["text"], n=r["votes"]) for r in backed]
        return ui.t(
            "h_room", questions=len(group["rows"]), n=group["n"], items=listing(items, ui.lang)
        )

    def kept(self, question, group):
        """The questions others supported (the group made them theirs), with their support;
        a question nobody else supported is one person's free text and goes."""
        rows = [
            {k: r[k] for k in ("item", "answer_id", "text", "votes", "answered", "hidden")}
            for r in group["rows"]
            if r["votes"]
        ]
        return {"n": group["n"], "rows": rows}

    def own_html(self, exercise, question, own, group, ui):
        asked = (own or {}).get("asked") or []
        if not asked:
            return ""
        listed = "; ".join(f"<bdi>{ui.e(text)}</bdi>" for _, text in asked)
        return (
            f"<p class='own-line'><span class='own-mark' aria-hidden='true'>◆</span> "
            f"{ui.e(ui.t('w_your_questions'))}: {listed}</p>"
        )
