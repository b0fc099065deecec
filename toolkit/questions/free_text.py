"""``free_text``: short texts (e.g. needs); others see them only as the facilitator allows."""

from __future__ import annotations

import re
import secrets
from typing import Literal

from pydantic import Field

from .base import AnswerError, QuestionType, item_of
from .parts import QuestionBase
from .typed_text import clean_text, need_key

__all__ = ["FreeTextQuestion", "FreeText", "new_item", "shown_texts"]

_ITEM = re.compile(r"^[a-z0-9][a-z0-9_-]{0,47}:[0-9a-f]{12}$")


def new_item(question) -> str:
    """A fresh item name for one more text (``needs:3f9a0c1d2e4b``); a form carries it, so
    sending the same form twice stores the text once."""
    return item_of(question, secrets.token_hex(6))


def shown_texts(exercise_id, question, answers, view) -> list:
    """The text answers of ``question`` that ``view`` may see, oldest first."""
    prefix = question.id + ":"
    return [
        a
        for a in answers
        if a.item.startswith(prefix) and view.text_shown(exercise_id, question, a)
    ]


class FreeTextQuestion(QuestionBase):
    """Short texts; others see them only when the facilitator allows (``shared``)."""

    type: Literal["free_text"]
    max_length: int = Field(default=280, ge=10, le=1000)
    max_items: int = Field(default=1, ge=1, le=10)
    shared: Literal["never", "moderated"] = "moderated"


class FreeText(QuestionType):
    name = "free_text"
    model = FreeTextQuestion
    redraw_form = True
    needs_own = True
    template = """
{% macro form(q, own, ui, x) %}
{% if own %}
<ul class="own-texts">
  {% for item, text in own %}
  <li><bdi>{{ text }}</bdi>
    <button type="submit" name="remove" value="{{ item }}" class="button secondary small"
      formnovalidate>{{ ui.t('p_remove') }}<span class="visually-hidden">: {{ text[:40] }}</span></button></li>
  {% endfor %}
</ul>
{% endif %}
{% if own|length < q.max_items %}
<label class="field-label" for="t-{{ q.id }}">{{ ui.t('w_your_text') }}</label>
<textarea id="t-{{ q.id }}" name="text" rows="2" maxlength="{{ q.max_length }}"
  data-count="{{ q.max_length }}">{{ '' }}</textarea>
<input type="hidden" name="item" value="{{ new_item(q) }}">
<p class="hint"><span data-counter>0/{{ q.max_length }}</span> ·
  {{ ui.t('p_items_left', n=q.max_items - own|length) }}</p>
<button type="submit" name="add" value="1" class="button">{{ ui.t('p_add') }}</button>
{% else %}
<p class="hint">{{ ui.t('error_max_items', limit=q.max_items) }}</p>
{% endif %}
{% endmacro %}
"""

    def own(self, question, own):
        prefix = question.id + ":"
        return [(item, v.get("text", "")) for item, v in own.items() if item.startswith(prefix)]

    def answered(self, question, own):
        return any(item.startswith(question.id + ":") for item in own)

    def clean(self, question, value, check):
        text = value.get("text") if isinstance(value, dict) else value
        return {"text": clean_text(text, question.max_length)}

    def from_form(self, question, form, check):
        mine = dict(self.own(question, check.own))
        removed = form.get("remove")
        if removed is not None:
            if removed not in mine:
                raise AnswerError("error_choice")
            return [(removed, None)]
        item = form.get("item") or ""
        if not _ITEM.match(item) or not item.startswith(question.id + ":"):
            raise AnswerError("error_type")
        text = clean_text(form.get("text", ""), question.max_length)
        if item not in mine:
            if len(mine) >= question.max_items:
                raise AnswerError("error_max_items", limit=question.max_items)
            if need_key(text) in {need_key(v) for v in mine.values()}:
                raise AnswerError("error_duplicate")
        return [(item, {"text": text})]

    def aggregate(self, exercise, question, answers, view, content, lang="nl"):
        prefix = question.id + ":"
        authors = {a.participant_id for a in answers if a.item.startswith(prefix)}
        texts = [
            {
                "answer_id": a.id,
                "item": a.item,
                "text": a.value.get("text", ""),
                "hidden": a.hidden,
                "approved": a.approved,
                **({"pseudonym": a.pseudonym} if view.include_hidden else {}),
            }
            for a in shown_texts(exercise.id, question, answers, view)
        ]
        return {"n": len(authors), "texts": texts}

    def group_html(self, exercise, question, group, ui):
        if not group["texts"]:
            return ""
        items = "".join(f"<li><bdi>{ui.e(x['text'])}</bdi></li>" for x in group["texts"])
        return f"<ul class='texts'>{items}</ul>"

    def columns(self, exercise, question, answers, content, lang="nl"):
        """One column per text a participant may write (``max_items``)."""
        prompt = question.prompt(lang)
        if question.max_items == 1:
            return [(f"{question.id}:1", prompt)]
        from ..i18n import t

        return [
            (f"{question.id}:{i}", t("x_text_n", lang, prompt=prompt, n=i))
            for i in range(1, question.max_items + 1)
        ]

    def cells(self, exercise, question, own, content, lang="nl"):
        texts = [text for _item, text in self.own(question, own)]
        return {f"{question.id}:{i}": text for i, text in enumerate(texts, 1)}

    def headline(self, exercise, question, group, ui):
        if group.get("gone"):
            return ui.t("h_texts_gone", n=group["n"])
        if not group["n"]:
            return ui.t("h_none")
        key = "h_texts_one" if group["n"] == 1 else "h_texts"
        return ui.t(key, texts=len(group["texts"]), n=group["n"])

    def kept(self, question, group):
        """Only the number of writers: the texts themselves go (a dot vote over them keeps
        the texts that were its options, as its own aggregate)."""
        return {"n": group["n"], "texts": [], "gone": True}

    def demo(self, question, rng, content):
        return None  # several items per person: see toolkit.after.demo
