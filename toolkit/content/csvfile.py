"""Read a content CSV file row by row (problems as ``file:line``), and stamp its version."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path

from .problems import Problem

__all__ = ["read_rows", "file_stamp"]


def file_stamp(*paths) -> tuple:
    """The version of some files: each path with its ``(st_mtime_ns, st_size)``, or ``None``
    for a file that cannot be read; a new value whenever one of them is edited.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "a.csv"
    >>> file_stamp(path)[0][1] is None
    True
    >>> _ = path.write_text("id\\n", encoding="utf-8")
    >>> file_stamp(path)[0][1][1]
    3
    """
    out = []
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            out.append((str(path), None))
        else:
            out.append((str(path), (info.st_mtime_ns, info.st_size)))
    return tuple(out)


def read_rows(
    path: Path, required: tuple[str, ...], problems: list[Problem], ids: set | None = None
) -> Iterator:
    """Yield (line, row) pairs of a CSV file; structural problems go to ``problems``.

    The file is read as UTF-8 (a byte order mark is dropped), quoted values may hold commas
    and line breaks, values and header names are stripped, blank lines are skipped, and
    ``line`` is the row's first line in the file. A missing file, text that is not UTF-8, an
    empty file, a missing ``required`` column and a row with too many or too few fields are
    each reported as a ``Problem`` with the file and line (the row is then left out).

    The ``id`` of a row skipped for a structural problem is added to ``ids`` (when given), so
    relations to it are not also reported as relations to an unknown organisation.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "flows.csv"
    >>> _ = path.write_text('\\ufeffid,name\\n\\na,"Vak, toets"\\nb,x,y\\n', encoding="utf-8")
    >>> problems = []
    >>> list(read_rows(path, ("id",), problems))
    [(3, {'id': 'a', 'name': 'Vak, toets'})]
    >>> str(problems[0]).endswith("flows.csv:4: 3 fields, header has 2, quote values that "
    ...                           "contain a comma")
    True
    """
    name = str(path)
    if not path.is_file():
        problems.append(Problem(name, None, None, "file not found", "check the path"))
        return
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        problems.append(
            Problem(
                name,
                line,
                None,
                "the file is not UTF-8 text",
                "save it as CSV UTF-8 (in Excel: 'CSV UTF-8')",
            )
        )
        return
    except OSError as exc:
        problems.append(Problem(name, None, None, f"cannot be read ({exc})", "check the path"))
        return
    # Only \n, \r\n and \r end a line (not U+2028 and the like, as str.splitlines has it).
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.DictReader(lines, restkey="__extra__")
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        problems.append(
            Problem(
                name,
                1,
                None,
                "the file is empty",
                f"start with a header row: {','.join(required)},...",
            )
        )
        return
    reader.fieldnames = header
    missing = [c for c in required if c not in header]
    if missing:
        problems.append(
            Problem(
                name,
                1,
                ",".join(missing),
                "required column missing",
                "save the file with commas between the columns (it seems to use ';')"
                if len(header) == 1 and ";" in header[0]
                else "add it to the header row",
            )
        )
        return
    previous_end = 1
    for row in reader:
        line = previous_end + 1
        while line <= len(lines) and not lines[line - 1].strip("\r\n"):
            line += 1  # DictReader skips blank lines without yielding them
        previous_end = reader.line_num
        if ids is not None and isinstance(row.get("id"), str) and row["id"].strip():
            ids.add(row["id"].strip())
        if "__extra__" in row:
            problems.append(
                Problem(
                    name,
                    line,
                    None,
                    f"{len(header) + len(row['__extra__'])} fields, header has {len(header)}",
                    "quote values that contain a comma",
                )
            )
            continue
        if any(value is None for value in row.values()):
            problems.append(
                Problem(
                    name,
                    line,
                    None,
                    "too few fields",
                    f"give all {len(header)} columns (empty is allowed)",
                )
            )
            continue
        if not any(v.strip() for v in row.values()):
            continue  # blank line
        yield line, {k: v.strip() for k, v in row.items()}
