"""Questions answered in a table: RACI, the Amsterdam Information Model, a power/interest
grid, and the data-flow check."""

from __future__ import annotations

import html

import ipywidgets as widgets

from ....exercises.aim import aim_cell_label
from ....exercises.answers import AIM_CELLS, raci_problems
from ....flows import load_flows
from ....i18n import t
from ...widgets_util import static_html
from .base import QuestionView, wide

__all__ = ["RaciView", "AimView", "GridView", "FlowCheckView", "aim_cell_label", "grid_items"]


def grid_items(question, lang: str) -> list[tuple[str, str]]:
    """(id, label) of everything a grid question places: its items, then organisations."""
    items = [(o.id, o.label(lang)) for o in question.items]
    if question.organisations:
        from ....data import load_default

        data = load_default()
        items += [(org, data.organisation(org)["name"]) for org in question.organisations]
    return items


def _row(label: str, *inputs) -> widgets.Box:
    title = static_html(f"<b>{html.escape(label)}</b>", width="100%")
    return widgets.VBox(
        [
            title,
            widgets.HBox(list(inputs), layout=widgets.Layout(flex_flow="row wrap")),
        ],
        layout=widgets.Layout(margin="0 0 8px 0"),
    )


class RaciView(QuestionView):
    """Per task a dropdown per role (R/A/C/I); the one-A-at-least-one-R rule checked live."""

    def build(self):
        q, lang = self.question, self.lang
        self.cells: dict[tuple[str, str], widgets.Dropdown] = {}
        self.rule: dict[str, widgets.HTML] = {}
        blocks = []
        for task in q.tasks:
            inputs = []
            for role in q.roles:
                cell = widgets.Dropdown(
                    options=[("—", ""), ("R", "R"), ("A", "A"), ("C", "C"), ("I", "I")],
                    value="",
                    description=role.label(lang),
                    **wide(min_width="9em"),
                )
                cell.observe(self._changed, names="value")
                self.cells[(task.id, role.id)] = cell
                inputs.append(cell)
            self.rule[task.id] = static_html()
            block = _row(task.label(lang), *inputs)
            block.children = (*block.children, self.rule[task.id])
            blocks.append(block)
        return widgets.VBox(blocks)

    def value(self) -> dict:
        matrix: dict = {}
        for (task, role), cell in self.cells.items():
            if cell.value:
                matrix.setdefault(task, {})[role] = cell.value
        return matrix

    def _check(self, value):
        problems = raci_problems(self.question, value)
        for task in self.question.tasks:
            if task.id not in value:
                self.rule[task.id].value = ""
                continue
            code = problems.get(task.id)
            text = t(f"p_raci_{code}" if code else "p_raci_ok", self.lang)
            colour = "#b00020" if code else "#1b7a3a"
            self.rule[task.id].value = f"<small style='color:{colour}'>{html.escape(text)}</small>"

    def _changed(self, _change):
        value = self.value()
        self._check(value)
        self.save(value)

    def load(self, own):
        self._loading = True
        try:
            matrix = own.get(self.question.id) or {}
            for (task, role), cell in self.cells.items():
                cell.value = matrix.get(task, {}).get(role, "")
            self._check(self.value())
        finally:
            self._loading = False


class AimView(QuestionView):
    """Per item a dropdown with the nine cells of the Amsterdam Information Model."""

    def build(self):
        lang = self.lang
        options = [(t("p_choose", lang), "")] + [(aim_cell_label(c, lang), c) for c in AIM_CELLS]
        self.cells = {}
        rows = []
        for item in self.question.items:
            cell = widgets.Dropdown(options=options, value="", **wide(min_width="16em"))
            cell.observe(self._changed, names="value")
            self.cells[item.id] = cell
            rows.append(_row(item.label(lang), cell))
        return widgets.VBox(rows)

    def value(self):
        return {item: cell.value for item, cell in self.cells.items() if cell.value}

    def _changed(self, _change):
        self.save(self.value())

    def load(self, own):
        self._loading = True
        try:
            placed = own.get(self.question.id) or {}
            for item, cell in self.cells.items():
                cell.value = placed.get(item, "")
        finally:
            self._loading = False


class GridView(QuestionView):
    """Per organisation two 1-5 choices (power, interest); saved once both are chosen."""

    def build(self):
        lang, q = self.lang, self.question
        scale = [(t("p_choose", lang), 0)] + [(str(i), i) for i in range(1, 6)]
        self.items = grid_items(q, lang)
        self.pairs = {}
        rows = []
        for item_id, label in self.items:
            power = widgets.Dropdown(
                options=scale,
                value=0,
                description=f"{q.y_axis.label(lang)}",
                **wide(min_width="9em"),
            )
            interest = widgets.Dropdown(
                options=scale,
                value=0,
                description=f"{q.x_axis.label(lang)}",
                **wide(min_width="9em"),
            )
            for control in (power, interest):
                control.observe(self._changed, names="value")
            self.pairs[item_id] = (interest, power)
            rows.append(_row(label, power, interest))
        return widgets.VBox(rows)

    def value(self):
        return {
            item: [x.value, y.value] for item, (x, y) in self.pairs.items() if x.value and y.value
        }

    def _changed(self, _change):
        self.save(self.value(), grid_items={i for i, _ in self.items})

    def load(self, own):
        self._loading = True
        try:
            placed = own.get(self.question.id) or {}
            for item, (x, y) in self.pairs.items():
                x.value, y.value = placed.get(item, [0, 0])
        finally:
            self._loading = False


class FlowCheckView(QuestionView):
    """Per data flow: do we have it, and (where one is needed) is an agreement in place?"""

    def build(self):
        lang = self.lang
        self.flows = load_flows(self.question.flows_file)
        choices = [
            (t("p_choose", lang), ""),
            (t("p_yes", lang), "yes"),
            (t("p_no", lang), "no"),
            (t("p_unknown", lang), "unknown"),
        ]
        self.inputs = {}
        rows = []
        for flow in self.flows:
            has = widgets.Dropdown(
                options=choices,
                value="",
                description=t("p_flow_has", lang),
                **wide(min_width="14em"),
            )
            has.observe(self._changed, names="value")
            parts = [has]
            agreement = None
            if flow["processor_agreement"] == "yes":
                agreement = widgets.Dropdown(
                    options=choices,
                    value="",
                    description=t("p_flow_agreement", lang),
                    **wide(min_width="14em"),
                )
                agreement.observe(self._changed, names="value")
                parts.append(agreement)
            self.inputs[flow["id"]] = (has, agreement)
            name = flow[f"name_{lang}"] or flow["name_nl"]
            detail = widgets.HTML(
                f"<small>{html.escape(flow[f'description_{lang}'] or flow['description_nl'])}"
                "</small>",
                layout=widgets.Layout(width="100%"),
            )
            block = _row(name, *parts)
            block.children = (*block.children, detail)
            rows.append(block)
        return widgets.VBox(rows)

    def value(self):
        result = {}
        for flow, (has, agreement) in self.inputs.items():
            row = {}
            if has.value:
                row["has"] = has.value
            if agreement is not None and agreement.value:
                row["agreement"] = agreement.value
            if row:
                result[flow] = row
        return result

    def _changed(self, _change):
        self.save(self.value(), flow_ids=set(self.inputs))

    def load(self, own):
        self._loading = True
        try:
            answered = own.get(self.question.id) or {}
            for flow, (has, agreement) in self.inputs.items():
                has.value = answered.get(flow, {}).get("has", "")
                if agreement is not None:
                    agreement.value = answered.get(flow, {}).get("agreement", "")
        finally:
            self._loading = False
