"""Labels of the Amsterdam Information Model's rows, columns and nine cells (nl, en)."""

from __future__ import annotations

from .spec import AIM_COLUMNS, AIM_ROWS

__all__ = ["AIM_ROW_LABELS", "AIM_COLUMN_LABELS", "aim_cell_label", "aim_axis_labels"]

AIM_ROW_LABELS = {
    "strategy": ("Strategie", "Strategy"),
    "structure": ("Structuur", "Structure"),
    "operations": ("Uitvoering", "Operations"),
}
AIM_COLUMN_LABELS = {
    "business": ("Business", "Business"),
    "information": ("Informatie & communicatie", "Information & communication"),
    "technology": ("Technologie", "Technology"),
}


def _pick(lang: str) -> int:
    return 0 if lang == "nl" else 1


def aim_cell_label(cell: str, lang: str) -> str:
    """The label of one cell.

    Examples
    --------
    >>> aim_cell_label("strategy:information", "nl")
    'Strategie × Informatie & communicatie'
    """
    row, column = cell.split(":")
    return f"{AIM_ROW_LABELS[row][_pick(lang)]} × {AIM_COLUMN_LABELS[column][_pick(lang)]}"


def aim_axis_labels(lang: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """``(rows, columns)`` as ``(id, label)`` pairs in the model's order."""
    pick = _pick(lang)
    return (
        [(r, AIM_ROW_LABELS[r][pick]) for r in AIM_ROWS],
        [(c, AIM_COLUMN_LABELS[c][pick]) for c in AIM_COLUMNS],
    )
