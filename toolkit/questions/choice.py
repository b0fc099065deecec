"""What the choice-like types share: counting chosen option ids and drawing the counts."""

from __future__ import annotations

from collections import Counter

from ..charts import tables

__all__ = ["count_choices", "counts_block", "n_line", "choice_headline"]


def count_choices(values, options) -> dict[str, int]:
    """How often each option was chosen (values are ids or lists of ids).

    Examples
    --------
    >>> from types import SimpleNamespace as N
    >>> count_choices(["a", ["a", "b"]], [N(id="a"), N(id="b"), N(id="c")])
    {'a': 2, 'b': 1, 'c': 0}
    """
    counts = Counter()
    for value in values:
        counts.update(value if isinstance(value, list) else [value])
    return {o.id: counts.get(o.id, 0) for o in options}


def counts_block(question, group: dict, ui) -> str:
    rows = [
        {"label": o.label(ui.lang), "count": group["counts"].get(o.id, 0)} for o in question.options
    ]
    return tables.counts_html(rows, total=group["n"], large=ui.large) + n_line(group["n"], ui)


def n_line(n: int, ui) -> str:
    return f"<p class='result-n'><small>{ui.e(ui.t('p_group_n', n=n))}</small></p>"


def choice_headline(question, group: dict, ui, top: int = 3) -> str:
    """'Meest gekozen: A (5 van 12), B (3 van 12)': the options chosen most (ties kept)."""
    if not group["n"]:
        return ui.t("h_none")
    ranked = sorted(
        (o for o in question.options if group["counts"].get(o.id)),
        key=lambda o: -group["counts"][o.id],
    )
    if not ranked:
        return ui.t("h_none")
    cut = group["counts"][ranked[min(top, len(ranked)) - 1].id]
    shown = [o for o in ranked if group["counts"][o.id] >= cut][: top + 2]
    from .base import listing

    items = [
        ui.t("h_of_n", label=o.label(ui.lang), count=group["counts"][o.id], n=group["n"])
        for o in shown
    ]
    return ui.t("h_choice", items=listing(items, ui.lang), n=group["n"])
