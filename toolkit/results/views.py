"""Group results of an exercise as HTML: own answer next to the group (participant), or the
group alone in large type (dashboard, report)."""

from __future__ import annotations

import html

from ..exercises.aim import aim_axis_labels
from ..exercises.answers import AIM_CELLS
from ..i18n import t
from . import charts
from .aggregate import flow_risks

__all__ = ["question_result_html", "exercise_result_html", "grid_item_labels"]

_GAP_KEYS = {"no_a": "p_raci_no_a", "many_a": "p_raci_many_a", "no_r": "p_raci_no_r"}


def _h(text: str) -> str:
    return html.escape(str(text), quote=True)


def _n_line(n: int, lang: str) -> str:
    return f"<p class='workshop-n'><small>{_h(t('p_group_n', lang, n=n))}</small></p>"


def grid_item_labels(question, lang: str) -> dict[str, str]:
    """id -> label of the items of a grid question (its own items and organisations)."""
    labels = {o.id: o.label(lang) for o in question.items}
    if question.organisations:
        from ..data import load_default

        data = load_default()
        labels.update({org: data.organisation(org)["name"] for org in question.organisations})
    return labels


def _radar(exercise, results, lang, large, with_own) -> str:
    scales = [q for q in exercise.questions if q.type == "scale"]
    if not scales:
        return ""
    axes = [(q.short or q.prompt)(lang) for q in scales]
    group = [results[q.id]["mean"] for q in scales]
    series = [{"label": t("p_group", lang), "values": group, "kind": "group"}]
    if with_own:
        series.insert(
            0,
            {
                "label": t("p_you", lang),
                "values": [results[q.id]["own"] for q in scales],
                "kind": "own",
            },
        )
    top = max(lv.value for lv in scales[0].levels)
    low = min(lv.value for lv in scales[0].levels)
    n = max(results[q.id]["n"] for q in scales)
    return charts.radar_svg(
        axes,
        series,
        max_value=top,
        min_value=low,
        target=scales[0].target,
        title=exercise.title(lang),
        large=large,
    ) + _n_line(n, lang)


def question_result_html(
    exercise,
    question,
    result: dict,
    lang: str = "nl",
    *,
    large: bool = False,
    with_own: bool = True,
    flows: list | None = None,
) -> str:
    """HTML for one question's group result (scale questions go into the exercise radar)."""
    kind = question.type
    own = result.get("own") if with_own else None
    if kind in ("single_choice", "multiple_choice"):
        chosen = set(own if isinstance(own, list) else [own] if own else [])
        rows = [
            {"label": o.label(lang), "count": result["counts"].get(o.id, 0), "own": o.id in chosen}
            for o in question.options
        ]
        return charts.counts_html(rows, total=result["n"], large=large)
    if kind == "dot_vote":
        if not result["ranking"]:
            return f"<p>{_h(t('p_no_answers', lang))}</p>"
        rows = [
            {
                "label": r["label"],
                "value": r["dots"],
                "own": bool(own and own.get(r["key"])),
                "note": f"{r['voters']}×",
            }
            for r in result["ranking"]
        ]
        return charts.bars_html(rows, large=large) + _n_line(result["n"], lang)
    if kind == "free_text":
        texts = result["texts"]
        if not texts:
            return ""
        items = "".join(
            f"<li{' class=own' if x['own'] else ''}>{_h(x['text'])}</li>" for x in texts
        )
        return f"<ul class='workshop-texts'>{items}</ul>"
    if kind == "grid":
        labels = grid_item_labels(question, lang)
        points = [
            {
                "label": labels.get(i, i),
                "x": v["mean"][0],
                "y": v["mean"][1],
                "kind": "group",
                "n": v["n"],
            }
            for i, v in result["items"].items()
        ]
        if with_own:
            points += [
                {"label": labels.get(i, i), "x": x, "y": y, "kind": "own"}
                for i, (x, y) in (own or {}).items()
            ]
        q = question
        return charts.grid_svg(
            x_label=q.x_axis.label(lang),
            y_label=q.y_axis.label(lang),
            x_low=q.x_axis.low(lang),
            x_high=q.x_axis.high(lang),
            y_low=q.y_axis.low(lang),
            y_high=q.y_axis.high(lang),
            quadrants=[x(lang) for x in q.quadrants],
            points=points,
            title=q.prompt(lang),
            large=large,
        ) + _n_line(result["n"], lang)
    if kind == "raci":
        gap_labels = {code: t(key, lang) for code, key in _GAP_KEYS.items()}
        return charts.raci_table_html(
            [(x.id, x.label(lang)) for x in question.tasks],
            [(x.id, x.label(lang)) for x in question.roles],
            result["consensus"],
            gaps=result["gaps"],
            own=own or None,
            gap_labels=gap_labels,
            large=large,
        ) + _n_line(result["n"], lang)
    if kind == "aim":
        items = {x.id: x.label(lang) for x in question.items}
        cells = {
            cell: {items.get(i, i): c for i, c in counts.items()}
            for cell, counts in result["cells"].items()
        }
        return charts.aim_table_html(
            *aim_axis_labels(lang),
            cells,
            empty=result["empty"],
            own=set((own or {}).values()) if with_own else None,
            empty_label=t("p_empty_cell", lang),
            large=large,
        ) + _n_line(result["n"], lang)
    if kind == "flow_check":
        flows = flows or []
        names = {f["id"]: f[f"name_{lang}"] or f["name_nl"] for f in flows}
        parts = []
        if with_own:
            risks = [
                {"title": names.get(f["id"], f["id"]), "detail": t("p_risk_detail", lang)}
                for f in flow_risks(own or {}, flows)
            ]
            parts.append(f"<h4>{_h(t('p_risks_title', lang))}</h4>")
            parts.append(
                charts.risk_list_html(risks, empty_text=t("p_no_risks", lang), large=large)
            )
        n = result["n"] or 1
        rows = []
        for flow in flows:
            has = result["has"].get(flow["id"], {}).get("yes", 0)
            agreed = result["agreement"].get(flow["id"], {}).get("yes", 0)
            gap = max(has - agreed, 0) if flow["processor_agreement"] == "yes" else 0
            rows.append(
                {
                    "label": names[flow["id"]],
                    "value": round(100 * has / n),
                    "note": t(
                        "p_group_has", lang, pct=round(100 * has / n), gap=round(100 * gap / n)
                    ),
                }
            )
        parts.append(charts.bars_html(rows, max_value=100, value_label="%", large=large))
        parts.append(_n_line(result["n"], lang))
        return "".join(parts)
    return ""


def exercise_result_html(
    exercise,
    results: dict,
    lang: str = "nl",
    *,
    large: bool = False,
    with_own: bool = True,
    flows: list | None = None,
) -> str:
    """HTML of every result of an exercise: the radar for scale questions, then the rest."""
    parts = [_radar(exercise, results, lang, large, with_own)]
    for question in exercise.questions:
        if question.type in ("scale", "contribution") or question.id not in results:
            continue
        body = question_result_html(
            exercise,
            question,
            results[question.id],
            lang,
            large=large,
            with_own=with_own,
            flows=flows,
        )
        if body:
            parts.append(
                f"<section class='workshop-result'><h4>{_h(question.prompt(lang))}</h4>"
                f"{body}</section>"
            )
    return "".join(p for p in parts if p)


assert len(AIM_CELLS) == 9
