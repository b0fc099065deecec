"""Group results of an exercise as HTML: each question type draws its own result
(``toolkit.questions``); here the scale questions become one radar, and the blocks are put
together for the participant's page, the dashboard and the report."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..charts.radar import radar_svg
from ..questions import Content, Ui, question_type

__all__ = [
    "radar_html",
    "question_result_html",
    "exercise_result_html",
    "grid_item_labels",
    "results_css",
    "stack",
]

_CSS = Path(__file__).resolve().parent.parent / "web" / "static" / "results.css"


@lru_cache(maxsize=1)
def results_css() -> str:
    """The stylesheet of the result blocks (inlined where no page stylesheet is loaded:
    the dashboard's widgets and the report)."""
    return _CSS.read_text(encoding="utf-8")


def stack(group: str, own: str) -> str:
    """The group's result with the participant's own answer after it, or laid over it when
    the own answer is a chart of the same size (``overlay``).

    Examples
    --------
    >>> stack("<p>g</p>", "")
    "<div class='stack'><div class='group-layer'><p>g</p></div><div class='own-layer'></div></div>"
    >>> stack("<svg/>", "<svg/>").startswith("<div class='stack overlay'>")
    True
    """
    kind = "stack overlay" if own.startswith("<svg") else "stack"
    return (
        f"<div class='{kind}'><div class='group-layer'>{group}</div>"
        f"<div class='own-layer'>{own}</div></div>"
    )


def grid_item_labels(question, lang: str) -> dict[str, str]:
    """id -> label of the items of a grid question (its own items and organisations)."""
    return dict(Content().grid_items(question, lang))


def _scales(exercise) -> list:
    scales = [q for q in exercise.questions if q.type == "scale"]
    return scales if len(scales) >= 3 else []


def radar_html(exercise, results: dict, ui: Ui, own: dict | None = None, layer="group") -> str:
    """The radar of an exercise's scale questions (three or more), or "".

    ``layer`` ``"group"`` draws the chart without own values, ``"own"`` the own polygon
    alone (laid over the group's), ``"all"`` both in one chart.
    """
    scales = _scales(exercise)
    if not scales:
        return ""
    lang = ui.lang
    axes = [(q.short or q.prompt)(lang) for q in scales]
    series = [
        {
            "label": ui.t("p_group"),
            "values": [results[q.id]["mean"] for q in scales],
            "kind": "group",
        },
    ]
    if ui.own:  # the legend explains the own layer only where one is laid over
        own_values = [(own or {}).get(q.id) for q in scales]
        series.insert(0, {"label": ui.t("p_you"), "values": own_values, "kind": "own"})
    chart = radar_svg(
        axes,
        series,
        max_value=max(lv.value for lv in scales[0].levels),
        min_value=min(lv.value for lv in scales[0].levels),
        target=scales[0].target,
        title=exercise.title(lang),
        large=ui.large,
        target_label=ui.t("p_target"),
        layer=layer,
    )
    if layer == "own":
        return chart
    n = max(results[q.id]["n"] for q in scales)
    return chart + f"<p class='result-n'><small>{ui.e(ui.t('p_group_n', n=n))}</small></p>"


def question_result_html(
    exercise, question, result: dict, lang: str = "nl", *, large: bool = False, with_own=True
) -> str:
    """HTML for one question's group result (with the own answer in ``result["own"]``)."""
    ui = Ui(lang=lang, large=large, content=Content(), own=with_own)
    kind = question_type(question)
    group = kind.group_html(exercise, question, result, ui)
    if not with_own:
        return group
    return stack(group, kind.own_html(exercise, question, result.get("own"), result, ui))


def exercise_result_html(
    exercise, results: dict, lang: str = "nl", *, large: bool = False, with_own: bool = True
) -> str:
    """HTML of every result of an exercise: the radar for three or more scale questions,
    then a block per other question."""
    ui = Ui(lang=lang, large=large, content=Content(), own=with_own)
    parts = []
    if _scales(exercise):
        own = {q.id: results[q.id].get("own") for q in _scales(exercise)}
        group = radar_html(exercise, results, ui, own, "group")
        parts.append(
            stack(group, radar_html(exercise, results, ui, own, "own")) if with_own else group
        )
    for question in exercise.questions:
        if question.id not in results or (question.type == "scale" and _scales(exercise)):
            continue
        body = question_result_html(
            exercise, question, results[question.id], lang, large=large, with_own=with_own
        )
        if body:
            parts.append(
                f"<section class='result'><h4>{ui.e(question.prompt(lang))}</h4>{body}</section>"
            )
    return "".join(parts)
