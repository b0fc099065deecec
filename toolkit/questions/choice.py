"""What the choice-like types share: counting chosen option ids and drawing the counts."""

from __future__ import annotations

from collections import Counter

from ..results import charts

__all__ = ["count_choices", "counts_block", "n_line"]


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
    return charts.counts_html(rows, total=group["n"], large=ui.large) + n_line(group["n"], ui)


def n_line(n: int, ui) -> str:
    return f"<p class='result-n'><small>{ui.e(ui.t('p_group_n', n=n))}</small></p>"
