"""Result tables and lists as HTML, from autoescaped Jinja2 macros (templates/tables.html)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from .svg import _FONT, _INK, _MUTED, GROUP, OWN, format_number, markup, shorten, xml_safe

__all__ = [
    "bars_html",
    "counts_html",
    "raci_table_html",
    "aim_table_html",
    "risk_list_html",
]

TEMPLATES = Path(__file__).resolve().parent / "templates"
_CELL = "border:1px solid #ccc;padding:.3em .45em;vertical-align:top;overflow-wrap:break-word;"
_STYLES = {
    "OWN": OWN,
    "GROUP": GROUP,
    "MUTED": _MUTED,
    "OWN_INK": "#a34700",
    "WARN_BG": "#fff4e5",
    "WARN_INK": "#8a3b00",
    "CELL": _CELL,
    "HEAD": _CELL + "background:#f3f3f3;text-align:left;",
    "SR_ONLY": "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);"
    "white-space:nowrap",
}


def _source(name: str) -> str | None:
    """A template without its layout: a line break and the indentation after it."""
    path = TEMPLATES / name
    return re.sub(r"\n[ \t]*", "", path.read_text(encoding="utf-8")) if path.is_file() else None


@lru_cache(maxsize=1)
def _macros():
    """The macros of ``tables.html`` (the environment as in ``toolkit.web.render``)."""
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_source),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals.update(_STYLES, shorten=shorten, number=format_number)
    return env.get_template("tables.html").module


@lru_cache(maxsize=2)
def _box(large: bool) -> Markup:
    """The style of a table's or list's box: font, colour, size."""
    return markup(
        "font-family:{};color:{};line-height:1.35;font-size:{};",
        _FONT,
        _INK,
        "max(1.6em,24px)" if large else "max(1em,15px)",
    )


def _html(markup: Markup) -> str:
    return str(xml_safe(markup))


def bars_html(
    rows, *, max_value=None, value_label="", own_marker="●", ranked=True, large=False
) -> str:
    """Horizontal bars as a list in the order given (e.g. the dot-vote ranking).

    Parameters
    ----------
    rows : list of dict
        ``{"label", "value", "note", "own": bool, "value_text"}`` (only label and value
        required); own rows are bold with ``own_marker`` and an orange bar.
    max_value : float, optional
        Value of a full bar (default: the largest).
    value_label, own_marker : str
        Unit after the values; mark of the own rows.
    ranked, large : bool
        Show the position (1., 2., ...); bigger text for a projector.

    Examples
    --------
    >>> out = bars_html([{"label": "Privacy", "value": 7, "own": True},
    ...                  {"label": "Kosten", "value": 3}], value_label="stippen")
    >>> out.index("Privacy") < out.index("Kosten") and "7 stippen" in out
    True
    """
    top = max_value or max([r["value"] for r in rows] + [0]) or 1
    shown = [
        {
            "label": r["label"],
            "own": bool(r.get("own")),
            "pct": max(0.0, min(100.0, 100 * r["value"] / top)),
            "value": r.get("value_text")
            or (format_number(r["value"]) + (f" {value_label}" if value_label else "")),
            "note": r.get("note"),
        }
        for r in rows
    ]
    return _html(_macros().bars(shown, _box(large), ranked, own_marker))


def counts_html(rows, *, total=None, own_marker="●", large=False) -> str:
    """Labelled counts of a single or multiple choice question (bars in the order given).

    Parameters
    ----------
    rows : list of dict
        ``{"label", "count", "own": bool}``.
    total : int, optional
        Number of participants: bars are relative to it and a percentage is shown.
    own_marker : str
        Mark of the own choices.
    large : bool
        Bigger text, for a projector.

    Examples
    --------
    >>> "3 (75%)" in counts_html([{"label": "Ja", "count": 3, "own": True}], total=4)
    True
    """
    bars = [
        {
            "label": r["label"],
            "value": r["count"],
            "own": r.get("own", False),
            "value_text": f"{r['count']} ({round(100 * r['count'] / total)}%)"
            if total
            else str(r["count"]),
        }
        for r in rows
    ]
    return bars_html(
        bars, max_value=total or None, own_marker=own_marker, ranked=False, large=large
    )


def raci_table_html(
    tasks,
    roles,
    consensus,
    *,
    gaps=None,
    own=None,
    gap_labels=None,
    own_label="jij",
    gap_header="⚠",
    large=False,
) -> str:
    """RACI table: the group's letter per task and role, gaps in a last warning column.

    Parameters
    ----------
    tasks, roles : list of (id, label)
        Rows and columns.
    consensus, own : dict
        ``{task_id: {role_id: letter}}``: the group's letters; the participant's, shown
        small (tooltip ``own_label``) where they differ.
    gaps, gap_labels : dict, optional
        ``{task_id: code}`` and ``{code: text}``; with gaps a last column (``gap_header``).
    large : bool
        Bigger text, for a projector.

    Examples
    --------
    >>> out = raci_table_html([("t1", "Rooster")], [("a", "ICT"), ("b", "Directie")],
    ...                       {"t1": {"a": "R"}}, gaps={"t1": "no_a"},
    ...                       gap_labels={"no_a": "Niemand is eindverantwoordelijk"})
    >>> "overflow-x:auto" in out and "Niemand is eindverantwoordelijk" in out
    True
    """
    own, gap_labels = own or {}, gap_labels or {}
    rows = []
    for tid, tlabel in tasks:
        cells = []
        for rid, _ in roles:
            group, mine = consensus.get(tid, {}).get(rid, ""), own.get(tid, {}).get(rid, "")
            cells.append((group, mine if mine and mine != group else ""))
        code = (gaps or {}).get(tid)
        rows.append((tlabel, cells, gap_labels.get(code, code) if code else None))
    macro = _macros().raci
    return _html(macro(roles, rows, _box(large), gaps is not None, gap_header, own_label))


def aim_table_html(
    row_labels,
    column_labels,
    cells,
    *,
    empty=(),
    own=None,
    empty_label="leeg",
    own_label="jij",
    large=False,
) -> str:
    """The 3x3 Amsterdam Information Model with the items the group placed per cell.

    Parameters
    ----------
    row_labels, column_labels : list of (id, label)
        strategy/structure/operations and business/information/technology.
    cells : dict
        ``{"row:col": {item_label: count}}``; items listed most placed first.
    empty : list of str
        ``"row:col"`` cells to mark as gaps: dashed border and ``empty_label``.
    own : set of str, optional
        Cells the participant used: an orange top stripe, ``own_label`` as text alternative.
    large : bool
        Bigger text, for a projector.

    Examples
    --------
    >>> out = aim_table_html([("strategy", "Richten")], [("business", "Bedrijf")],
    ...                      {}, empty=["strategy:business"], empty_label="leeg")
    >>> "dashed" in out and "leeg" in out
    True
    """
    own, empty = set(own or ()), set(empty)
    rows = []
    for rid, rlabel in row_labels:
        row = []
        for cid, _ in column_labels:
            key = f"{rid}:{cid}"
            items = sorted((cells.get(key) or {}).items(), key=lambda kv: (-kv[1], str(kv[0])))
            row.append((items, key in empty, key in own))
        rows.append((rlabel, row))
    macro = _macros().aim
    return _html(macro(column_labels, rows, _box(large), empty_label, own_label))


def risk_list_html(risks, *, empty_text, large=False) -> str:
    """Risks as a warning-styled list, or ``empty_text`` when there are none.

    Parameters
    ----------
    risks : list of dict
        ``{"title", "detail"}``.
    empty_text : str
        Shown when there are no risks.
    large : bool
        Bigger text, for a projector.

    Examples
    --------
    >>> risk_list_html([], empty_text="Geen risico's")  # doctest: +ELLIPSIS
    '<p style="...">Geen risico&#39;s</p>'
    """
    items = [{"title": r["title"], "detail": r.get("detail")} for r in risks]
    return _html(_macros().risks(items, _box(large), empty_text))
