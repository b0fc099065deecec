"""``flow_check``: per data flow, does your school have it and does an agreement cover it?"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Literal

from ..charts import tables
from ..content.flows import DEFAULT_FLOWS, flows_for
from .base import AnswerError, QuestionType, listing
from .choice import n_line
from .parts import QuestionBase

__all__ = ["FlowCheckQuestion", "FlowCheck", "FLOW_CHOICES", "flow_risks", "flow_gaps"]

FLOW_CHOICES = ("yes", "no", "unknown")


class FlowCheckQuestion(QuestionBase):
    """For each data flow: does your school have it, and does an agreement cover it?"""

    type: Literal["flow_check"]
    flows_file: str = DEFAULT_FLOWS  # relative to datasets/


def flow_risks(value: dict, flows) -> list[dict]:
    """Flows a participant has where a processing agreement is needed but not in place.

    Examples
    --------
    >>> flows = [{"id": "f1", "processor_agreement": "yes"}, {"id": "f2",
    ...          "processor_agreement": "no"}]
    >>> [f["id"] for f in flow_risks({"f1": {"has": "yes", "agreement": "unknown"},
    ...                              "f2": {"has": "yes", "agreement": "no"}}, flows)]
    ['f1']
    """
    risks = []
    for flow in flows:
        row = value.get(flow["id"]) or {}
        if (
            row.get("has") == "yes"
            and flow.get("processor_agreement") == "yes"
            and row.get("agreement") != "yes"
        ):
            risks.append(flow)
    return risks


def _name(flow, lang: str) -> str:
    return flow.get(f"name_{lang}") or flow["name_nl"]


_CHOICE_KEYS = {"yes": "p_yes", "no": "p_no", "unknown": "p_unknown"}


def flow_gaps(group: dict, flows) -> list[tuple[dict, int]]:
    """``(flow, percent)`` of the flows in use without a known processing agreement, the
    largest share first (the group version of each participant's risk list).

    Examples
    --------
    >>> flows = [{"id": "f1", "processor_agreement": "yes"}, {"id": "f2",
    ...          "processor_agreement": "no"}]
    >>> group = {"n": 4, "has": {"f1": {"yes": 3}, "f2": {"yes": 4}},
    ...          "agreement": {"f1": {"yes": 1}}}
    >>> [(f["id"], pct) for f, pct in flow_gaps(group, flows)]
    [('f1', 50)]
    """
    n = group["n"] or 1
    out = []
    for flow in flows:
        if flow.get("processor_agreement") != "yes":
            continue
        has = group["has"].get(flow["id"], {}).get("yes", 0)
        agreed = group["agreement"].get(flow["id"], {}).get("yes", 0)
        pct = round(100 * max(has - agreed, 0) / n)
        if pct:
            out.append((flow, pct))
    return sorted(out, key=lambda fp: -fp[1])


class FlowCheck(QuestionType):
    name = "flow_check"
    model = FlowCheckQuestion
    template = """
{% macro choices(name, value, legend, ui) %}
<fieldset class="inline-choices">
  <legend>{{ legend }}</legend>
  {% for choice, key in [('yes', 'p_yes'), ('no', 'p_no'), ('unknown', 'p_unknown')] %}
  <label class="segment wide"><input type="radio" name="{{ name }}" value="{{ choice }}"
    {% if value == choice %}checked{% endif %}><span>{{ ui.t(key) }}</span></label>
  {% endfor %}
</fieldset>
{% endmacro %}
{% macro form(q, own, ui, x) %}
{% for flow in x.flows %}
{% set mine = own.get(flow.id, {}) if own else {} %}
<div class="flow card">
  <p><b>{{ flow['name_' ~ ui.lang] or flow.name_nl }}</b><br>
    <small>{{ flow.from_system }} → {{ flow.to_party }}:
      {{ flow['data_' ~ ui.lang] or flow.data_nl }}</small></p>
  {{ choices('f.' ~ flow.id ~ '.has', mine.get('has'), ui.t('p_flow_has'), ui) }}
  {% if flow.processor_agreement == 'yes' %}
  {{ choices('f.' ~ flow.id ~ '.agreement', mine.get('agreement'), ui.t('p_flow_agreement'), ui) }}
  {% else %}
  <p class="hint">{{ ui.t('p_flow_not_needed', reason=flow['description_' ~ ui.lang] or flow.description_nl) }}</p>
  {% endif %}
</div>
{% endfor %}
{% endmacro %}
"""

    def clean(self, question, value, check):
        if not isinstance(value, dict):
            raise AnswerError("error_type")
        cleaned = {}
        for flow, row in value.items():
            if check.flow_ids is not None and flow not in check.flow_ids:
                raise AnswerError("error_choice")
            if not isinstance(row, dict) or not set(row) <= {"has", "agreement"}:
                raise AnswerError("error_type")
            if any(v not in FLOW_CHOICES for v in row.values()):
                raise AnswerError("error_choice")
            cleaned[flow] = dict(row)
        return cleaned

    def from_form(self, question, form, check):
        value: dict = {}
        for name in form.names("f."):
            flow, _, part = name.rpartition(".")
            answer = form.get("f." + name) or ""
            if answer:
                value.setdefault(flow, {})[part] = answer
        return [(question.id, value)]

    def form_extra(self, exercise, question, group, ui, own=None):
        return {"flows": flows_for(question)}

    def aggregate(self, exercise, question, answers, view, content, lang="nl"):
        values = [a.value for a in answers if a.item == question.id]
        has, agreement = defaultdict(Counter), defaultdict(Counter)
        for value in values:
            for flow, row in value.items():
                if row.get("has"):
                    has[flow][row["has"]] += 1
                if row.get("agreement"):
                    agreement[flow][row["agreement"]] += 1
        return {
            "n": len(values),
            "has": {k: dict(v) for k, v in has.items()},
            "agreement": {k: dict(v) for k, v in agreement.items()},
        }

    def group_html(self, exercise, question, group, ui):
        flows = flows_for(question)
        n = group["n"] or 1
        rows = []
        for flow in flows:
            has = group["has"].get(flow["id"], {}).get("yes", 0)
            agreed = group["agreement"].get(flow["id"], {}).get("yes", 0)
            gap = max(has - agreed, 0) if flow["processor_agreement"] == "yes" else 0
            rows.append(
                {
                    "label": _name(flow, ui.lang),
                    "value": round(100 * has / n),
                    "note": ui.t("p_group_has", pct=round(100 * has / n), gap=round(100 * gap / n)),
                }
            )
        return tables.bars_html(rows, max_value=100, value_label="%", large=ui.large) + n_line(
            group["n"], ui
        )

    def own_html(self, exercise, question, own, group, ui):
        flows = flows_for(question)
        risks = [
            {"title": _name(f, ui.lang), "detail": ui.t("p_risk_detail")}
            for f in flow_risks(own or {}, flows)
        ]
        return f"<h4>{ui.e(ui.t('p_risks_title'))}</h4>" + tables.risk_list_html(
            risks, empty_text=ui.t("p_no_risks"), large=ui.large
        )

    def columns(self, exercise, question, answers, content, lang="nl"):
        """Per flow: in use? and, where one is needed, a processing agreement?"""
        from ..i18n import t

        out = []
        for flow in flows_for(question):
            name = _name(flow, lang)
            out.append((f"{question.id}:{flow['id']}:has", f"{name} · {t('x_flow_has', lang)}"))
            if flow.get("processor_agreement") == "yes":
                out.append(
                    (
                        f"{question.id}:{flow['id']}:agreement",
                        f"{name} · {t('x_flow_agreement', lang)}",
                    )
                )
        return out

    def cells(self, exercise, question, own, content, lang="nl"):
        from ..i18n import t

        value = own.get(question.id) or {}
        return {
            f"{question.id}:{flow}:{part}": t(_CHOICE_KEYS[choice], lang)
            for flow, row in value.items()
            for part, choice in row.items()
            if choice in _CHOICE_KEYS
        }

    def headline(self, exercise, question, group, ui):
        if not group["n"]:
            return ui.t("h_none")
        gaps = flow_gaps(group, flows_for(question))
        if not gaps:
            return ui.t("h_flows_ok", n=group["n"])
        items = [ui.t("h_pct", label=_name(f, ui.lang), pct=pct) for f, pct in gaps]
        return ui.t("h_flows_risk", items=listing(items, ui.lang, limit=3))

    def findings(self, exercise, question, group, ui):
        return [
            ui.t("f_flow", flow=_name(f, ui.lang), gap=pct)
            for f, pct in flow_gaps(group, flows_for(question))
        ]

    def demo(self, question, rng, content):
        return {
            flow["id"]: {
                "has": rng.choice(["yes", "yes", "no", "unknown"]),
                **(
                    {"agreement": rng.choice(["yes", "no", "unknown"])}
                    if flow["processor_agreement"] == "yes"
                    else {}
                ),
            }
            for flow in flows_for(question)
        }
