"""The Amsterdam Information Model's rows, columns and cells (kept with the ``aim`` type)."""

from ..questions.aim import (  # noqa: F401 - the names other modules import from here
    AIM_COLUMN_LABELS,
    AIM_ROW_LABELS,
    aim_axis_labels,
    aim_cell_label,
)

__all__ = ["AIM_ROW_LABELS", "AIM_COLUMN_LABELS", "aim_cell_label", "aim_axis_labels"]
