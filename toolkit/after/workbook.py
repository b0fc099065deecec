"""The export's xlsx workbook: a summary sheet, then one sheet per table, with frozen bold
headers, fitted widths, filters, typed cells and no text a spreadsheet could run."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["write_workbook", "column_width", "neutralise", "RISKY_PREFIXES"]

# A cell starting with one of these would run as a formula in a spreadsheet.
RISKY_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_HEADER_FILL = "E8EEF4"
_MAX_WIDTH, _MIN_WIDTH, _HEADER_FIT = 50, 6, 18


def neutralise(value):
    """Make a text harmless in a spreadsheet (the xlsx, or a CSV opened in one): a leading
    = + - @ (a formula) gets a quote.

    Examples
    --------
    >>> neutralise("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise("Noëlle"), neutralise(3)
    ('Noëlle', 3)
    """
    if isinstance(value, str) and value.startswith(RISKY_PREFIXES):
        return "'" + value
    return value


def column_width(label: str, values) -> int:
    """The width of a column (in characters): its longest value, or the start of its label
    (a long label wraps over lines), between 6 and 50.

    Examples
    --------
    >>> column_width("Visie", [1, 3, 2])
    8
    >>> column_width("A very long label that will wrap", ["ja", "nee"])
    20
    """
    longest = max((len(_shown(v)) for v in values), default=0)
    return max(_MIN_WIDTH, min(_MAX_WIDTH, max(longest, min(len(label), _HEADER_FIT)))) + 2


def _shown(value) -> str:
    if isinstance(value, datetime):
        return "yyyy-mm-dd hh:mm:ss"
    return "" if value is None else str(value)


def _cell_value(value):
    """A value openpyxl stores with its type: aware times as UTC without the zone."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return neutralise(value)


def _put(sheet, row: int, column: int, value):
    cell = sheet.cell(row=row, column=column, value=_cell_value(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"  # never a formula, whatever the text
    elif isinstance(cell.value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    return cell


def _header(sheet, row: int, labels: list[str], widths: list[int]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    fill = PatternFill("solid", fgColor=_HEADER_FILL)
    lines = 1
    for column, label in enumerate(labels, 1):
        cell = _put(sheet, row, column, label)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        lines = max(lines, math.ceil(len(label) / max(widths[column - 1] - 2, 1)))
    sheet.row_dimensions[row].height = 15 * min(lines, 8) + 3


def _table_sheet(workbook, name: str, table: dict) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title=name)
    keys = [k for k, _ in table["columns"]]
    labels = [label for _, label in table["columns"]]
    widths = [
        column_width(label, (row.get(key) for row in table["rows"]))
        for key, label in table["columns"]
    ]
    _header(sheet, 1, labels, widths)
    top = Alignment(vertical="top", wrap_text=True)
    for r, row in enumerate(table["rows"], 2):
        for c, key in enumerate(keys, 1):
            value = row.get(key)
            if value is not None:
                cell = _put(sheet, r, c, value)
                if isinstance(cell.value, str) and len(cell.value) > _MAX_WIDTH:
                    cell.alignment = top
    for c, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(c)].width = width
    sheet.freeze_panes = "B2"  # the header row and the participant column stay in view
    if table["rows"]:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{len(table['rows']) + 1}"


def write_workbook(path, title, lines, summary_columns, summary_rows, sheets) -> Path:
    """Write the workbook: a summary sheet named ``title`` (the session's ``lines`` as
    label/value pairs, then ``summary_rows`` under ``summary_columns``), then each
    ``(sheet name, table)`` of ``sheets``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    summary = workbook.active
    summary.title = title[:31]
    for r, (label, value) in enumerate(lines, 1):
        _put(summary, r, 1, label).font = Font(bold=True)
        _put(summary, r, 2, value).alignment = Alignment(horizontal="left")
    start = len(lines) + 2
    keys = [k for k, _ in summary_columns]
    labels = [label for _, label in summary_columns]
    widths = [
        max(column_width(label, (row.get(key) for row in summary_rows)), 12)
        for key, label in summary_columns
    ]
    widths[0] = max(widths[0], *(column_width(label, []) for label, _ in lines))
    widths[-1] = 90  # the outcome: a sentence or three, wrapped
    _header(summary, start, labels, widths)
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(summary_rows, start + 1):
        longest = 1
        for c, key in enumerate(keys, 1):
            cell = _put(summary, r, c, row.get(key))
            cell.alignment = wrap
            if isinstance(cell.value, str):
                longest = max(longest, math.ceil(len(cell.value) / (widths[c - 1] - 2)))
        summary.row_dimensions[r].height = 15 * min(longest, 12) + 3
    for c, width in enumerate(widths, 1):
        summary.column_dimensions[get_column_letter(c)].width = width
    summary.freeze_panes = f"A{start + 1}"
    for name, table in sheets:
        _table_sheet(workbook, name, table)
    path = Path(path)
    workbook.save(path)
    return path
