"""The shape every question view shares: prompt, help, its input widgets and a save status."""

from __future__ import annotations

import html

import ipywidgets as widgets

from ...widgets_util import static_html
from ..context import Context, SaveStatus

__all__ = ["QuestionView", "wide", "prompt_html"]


def wide(**extra) -> dict:
    """Layout/style for an input that may use the full width but no more (phones)."""
    return {
        "layout": widgets.Layout(width="auto", max_width="100%", **extra),
        "style": {"description_width": "initial"},
    }


def prompt_html(question, lang: str) -> widgets.HTML:
    text = f"<h4 class='workshop-prompt'>{html.escape(question.prompt(lang))}</h4>"
    if question.help is not None:
        text += f"<p class='workshop-help'>{html.escape(question.help(lang))}</p>"
    return static_html(text, width="100%")


class QuestionView:
    """Base class: subclasses build ``body`` and implement ``load`` (own stored answers)."""

    def __init__(self, ctx: Context, exercise, question):
        self.ctx, self.exercise, self.question = ctx, exercise, question
        self.lang = ctx.lang
        self.status = SaveStatus()
        self._loading = False
        self.body = self.build()
        self.widget = widgets.VBox(
            [prompt_html(question, self.lang), self.body, self.status.widget],
            layout=widgets.Layout(width="100%", margin="0 0 18px 0"),
        )
        self.widget.add_class("workshop-question")
        self.widget.add_class(f"workshop-q-{question.type}")

    def build(self) -> widgets.Widget:  # pragma: no cover - abstract
        raise NotImplementedError

    def load(self, own: dict) -> None:
        """Show the participant's stored answers; ``own`` maps item -> value."""

    def refresh(self, answers) -> None:
        """React to new group answers (e.g. new dot-vote options); default: nothing."""

    def answered(self, own: dict) -> bool:
        return self.question.id in own

    def save(self, value, **options) -> bool:
        if self._loading:
            return False
        return self.ctx.save(self.exercise, self.question, value, self.status, **options)
