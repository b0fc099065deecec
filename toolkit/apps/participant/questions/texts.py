"""Free-text items (e.g. needs) and dot voting over fixed and group-named options."""

from __future__ import annotations

import html
import uuid

import ipywidgets as widgets

from ....exercises.answers import AnswerError, clean_text, need_key
from ....i18n import t
from ....results.aggregate import dot_vote_options
from ...widgets_util import static_html
from .base import QuestionView

__all__ = ["FreeTextView", "DotVoteView"]


class FreeTextView(QuestionView):
    """A text box with a character counter; each added text is its own stored item."""

    def build(self):
        q, lang = self.question, self.lang
        self.items: dict[str, str] = {}
        self.text = widgets.Textarea(
            rows=2,
            continuous_update=True,
            placeholder=q.prompt(lang)[:80],
            layout=widgets.Layout(width="100%"),
        )
        self.counter = static_html()
        self.add = widgets.Button(
            description=t("p_add", lang),
            button_style="primary",
            layout=widgets.Layout(width="auto"),
        )
        self.listing = widgets.VBox()
        self.text.observe(self._count, names="value")
        self.add.on_click(self._add)
        self._count()
        return widgets.VBox(
            [
                self.text,
                widgets.HBox(
                    [self.add, self.counter],
                    layout=widgets.Layout(align_items="center"),
                ),
                self.listing,
            ]
        )

    def _count(self, _change=None):
        n, limit = len(self.text.value), self.question.max_length
        over = " style='color:#b00020;font-weight:600'" if n > limit else ""
        left = self.question.max_items - len(self.items)
        self.counter.value = (
            f"<small{over}>{html.escape(t('p_chars', self.lang, n=n, limit=limit))}"
            f" · {html.escape(t('p_items_left', self.lang, n=max(left, 0)))}"
            "</small>"
        )
        self.add.disabled = left <= 0

    def _add(self, _button=None):
        q, lang = self.question, self.lang
        if len(self.items) >= q.max_items:
            self.status.show("error", t("error_max_items", lang, limit=q.max_items))
            return
        try:
            text = clean_text(self.text.value, q.max_length)
        except AnswerError as exc:
            self.status.show("error", t(exc.key, lang, **exc.values))
            return
        if need_key(text) in {need_key(v) for v in self.items.values()}:
            self.status.show("error", t("error_duplicate", lang))
            return
        item = f"{q.id}:{uuid.uuid4().hex[:12]}"
        if self.ctx.save(self.exercise, q, {"text": text}, self.status, item=item):
            self.items[item] = text
            self.text.value = ""
            self._render()

    def _remove(self, item):
        if self.ctx.delete(self.exercise, item, self.status):
            self.items.pop(item, None)
            self._render()

    def _render(self):
        rows = []
        for item, text in self.items.items():
            remove = widgets.Button(
                description=t("p_remove", self.lang),
                layout=widgets.Layout(width="auto"),
                tooltip=f"{t('p_remove', self.lang)}: {text[:40]}",
            )
            remove.on_click(lambda _b, item=item: self._remove(item))
            label = widgets.HTML(
                f"<bdi class='workshop-own-text'>{html.escape(text)}</bdi>",
                layout=widgets.Layout(flex="1 1 12em", min_width="0"),
            )
            rows.append(
                widgets.HBox(
                    [label, remove],
                    layout=widgets.Layout(width="100%", align_items="center"),
                )
            )
        self.listing.children = rows
        self._count()

    def load(self, own):
        prefix = self.question.id + ":"
        self.items = {
            item: value.get("text", "") for item, value in own.items() if item.startswith(prefix)
        }
        self._render()

    def answered(self, own):
        return any(item.startswith(self.question.id + ":") for item in own)


class DotVoteView(QuestionView):
    """Plus/minus buttons per option, a budget of dots; group texts join the options live."""

    def build(self):
        self.counts: dict[str, int] = {}
        self.options: list[tuple[str, str]] = []
        self.rows = widgets.VBox(layout=widgets.Layout(width="100%"))
        self.left = static_html()
        return widgets.VBox([self.left, self.rows])

    def _set_options(self, options):
        self.options = options
        keys = {k for k, _ in options}
        self.counts = {k: v for k, v in self.counts.items() if k in keys}
        self.count_labels = {}
        rows = []
        for key, label in options:
            minus = widgets.Button(
                description="−", layout=widgets.Layout(width="2.6em"), tooltip=f"− {label[:60]}"
            )
            plus = widgets.Button(
                description="+", layout=widgets.Layout(width="2.6em"), tooltip=f"+ {label[:60]}"
            )
            count = widgets.HTML(layout=widgets.Layout(width="2.2em"))
            minus.on_click(lambda _b, k=key: self._step(k, -1))
            plus.on_click(lambda _b, k=key: self._step(k, +1))
            self.count_labels[key] = count
            text = widgets.HTML(
                f"<span>{html.escape(label)}</span>",
                layout=widgets.Layout(flex="1 1 10em", min_width="0"),
            )
            row = widgets.HBox(
                [minus, count, plus, text],
                layout=widgets.Layout(width="100%", align_items="center"),
            )
            row.add_class("workshop-dot-row")
            rows.append(row)
        self.rows.children = rows
        self._show_counts()

    def _show_counts(self):
        for key, label in self.count_labels.items():
            n = self.counts.get(key, 0)
            label.value = f"<b>{'●' * n or '·'}</b>" if n <= 5 else f"<b>{n}</b>"
        used = sum(self.counts.values())
        budget = self.question.budget
        dots_left = t("p_dots_left", self.lang, n=budget - used, budget=budget)
        self.left.value = f"<p><b>{html.escape(dots_left)}</b></p>"

    def _step(self, key, delta):
        q = self.question
        new = self.counts.get(key, 0) + delta
        if new < 0:
            return
        if delta > 0 and sum(self.counts.values()) >= q.budget:
            self.status.show(
                "error", t("error_budget", self.lang, used=q.budget + 1, budget=q.budget)
            )
            return
        if delta > 0 and q.max_per_option and new > q.max_per_option:
            self.status.show("error", t("error_per_option", self.lang, limit=q.max_per_option))
            return
        proposal = {**self.counts, key: new}
        proposal = {k: v for k, v in proposal.items() if v}
        if self.save(proposal, dot_options={k for k, _ in self.options}):
            self.counts = proposal
            self._show_counts()

    def load(self, own):
        self.counts = dict(own.get(self.question.id) or {})
        self.refresh(self.ctx.answers(self.exercise.id))

    def refresh(self, answers):
        options = dot_vote_options(self.exercise, self.question, answers, self.lang)
        if options != self.options:
            self._set_options(options)
        else:
            self._show_counts()
