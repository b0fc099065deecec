"""Scale (with level descriptors), single choice and multiple choice questions."""

from __future__ import annotations

import html

import ipywidgets as widgets

from ....i18n import t
from ...widgets_util import static_html
from .base import QuestionView

__all__ = ["ScaleView", "SingleChoiceView", "MultipleChoiceView"]


class ScaleView(QuestionView):
    """Radio buttons ``1 · Ad hoc`` ...; the chosen level's descriptor is shown below."""

    def build(self):
        lang, q = self.lang, self.question
        options = []
        for level in q.levels:
            label = f"{level.value} · {level.label(lang)}"
            if q.target == level.value:
                label += f" ({t('p_target', lang)})"
            options.append((label, level.value))
        self.choice = widgets.RadioButtons(
            options=options, value=None, layout=widgets.Layout(width="auto", max_width="100%")
        )
        self.choice.add_class("workshop-scale")
        self.descriptor = static_html()
        self.choice.observe(self._changed, names="value")
        return widgets.VBox([self.choice, self.descriptor])

    def _describe(self, value):
        level = next((lv for lv in self.question.levels if lv.value == value), None)
        self.descriptor.value = (
            ""
            if level is None
            else f"<p class='workshop-level'>{html.escape(level.description(self.lang))}</p>"
        )

    def _changed(self, change):
        self._describe(change["new"])
        if change["new"] is not None:
            self.save(change["new"])

    def load(self, own):
        self._loading = True
        try:
            self.choice.value = own.get(self.question.id)
            self._describe(self.choice.value)
        finally:
            self._loading = False


class SingleChoiceView(QuestionView):
    def build(self):
        self.choice = widgets.RadioButtons(
            options=[(o.label(self.lang), o.id) for o in self.question.options],
            value=None,
            layout=widgets.Layout(width="auto", max_width="100%"),
        )
        self.choice.observe(lambda c: c["new"] is not None and self.save(c["new"]), names="value")
        return self.choice

    def load(self, own):
        self._loading = True
        try:
            self.choice.value = own.get(self.question.id)
        finally:
            self._loading = False


class MultipleChoiceView(QuestionView):
    def build(self):
        self.boxes = {}
        for option in self.question.options:
            box = widgets.Checkbox(
                value=False,
                description=option.label(self.lang),
                indent=False,
                layout=widgets.Layout(width="auto", max_width="100%"),
            )
            box.observe(self._changed, names="value")
            self.boxes[option.id] = box
        return widgets.VBox(list(self.boxes.values()))

    def _selected(self):
        return [oid for oid, box in self.boxes.items() if box.value]

    def _changed(self, change):
        if self._loading:
            return
        limit = self.question.max_choices
        if limit and len(self._selected()) > limit and change["new"]:
            self._loading = True
            change["owner"].value = False
            self._loading = False
            self.status.show("error", t("error_max_choices", self.lang, limit=limit))
            return
        self.save(self._selected())

    def load(self, own):
        self._loading = True
        try:
            chosen = set(own.get(self.question.id) or [])
            for oid, box in self.boxes.items():
                box.value = oid in chosen
        finally:
            self._loading = False
