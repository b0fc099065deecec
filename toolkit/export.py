"""A session's answers and contributions as xlsx, CSV or JSON (pseudonyms only)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from .exercises.loader import default_exercises
from .store import Store

__all__ = ["FORMATS", "session_tables", "export_session", "neutralise", "RISKY_PREFIXES"]

FORMATS = ("xlsx", "csv", "json")
RISKY_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ANSWER_COLUMNS = ("pseudonym", "question", "item", "value", "hidden", "updated_at")
CONTRIBUTION_COLUMNS = ("pseudonym", "kind", "name_or_relation", "details", "hidden", "created_at")


def neutralise(value):
    """Make a text harmless in a spreadsheet: a leading = + - @ (formula) gets a quote.

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


def _flat(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and set(value) == {"text"}:
        return value["text"]
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def session_tables(store: Store, code: str) -> dict:
    """Return ``{"session": {...}, "tables": {name: [row dicts]}}`` for a session.

    One table per exercise (every answer, hidden ones marked), one for contributions and
    one for participants (pseudonym and times only).
    """
    session = store.get_session(code)
    if session is None:
        raise KeyError(code)
    titles = {e.id: e.title("nl") for e in default_exercises()}
    tables: dict[str, list[dict]] = {}
    for answer in store.answers(session.id):
        tables.setdefault(answer.exercise, []).append(
            {
                "pseudonym": answer.pseudonym,
                "question": answer.item.split(":")[0],
                "item": answer.item,
                "value": _flat(answer.value),
                "hidden": answer.hidden,
                "updated_at": answer.updated_at.isoformat(timespec="seconds"),
            }
        )
    rows = []
    for c in store.contributions(session.id):
        p = c.payload
        name = p.get("name") or f"{p.get('source')} {p.get('relation')} {p.get('target')}"
        rows.append(
            {
                "pseudonym": c.pseudonym,
                "kind": c.kind,
                "name_or_relation": name,
                "details": json.dumps(p, ensure_ascii=False, sort_keys=True),
                "hidden": c.hidden,
                "created_at": c.created_at.isoformat(timespec="seconds"),
            }
        )
    tables["contributions"] = rows
    people = {}
    for answer in store.answers(session.id):
        people.setdefault(answer.pseudonym, 0)
        people[answer.pseudonym] += 1
    tables["participants"] = [{"pseudonym": name, "answers": n} for name, n in people.items()]
    info = {
        "code": session.code,
        "title": session.title,
        "organiser": session.organiser,
        "language": session.lang,
        "created_at": session.created_at.isoformat(),
        "exercises": {
            k: titles.get(k, k) for k in tables if k not in ("contributions", "participants")
        },
    }
    return {"session": info, "tables": tables}


def _columns(name: str, rows: list[dict]) -> list[str]:
    if name == "contributions":
        return list(CONTRIBUTION_COLUMNS)
    if name == "participants":
        return ["pseudonym", "answers"]
    return list(ANSWER_COLUMNS) if rows else list(ANSWER_COLUMNS)


def export_session(store: Store, code: str, fmt: str, path: str | Path) -> list[Path]:
    """Write the session in ``fmt`` (``xlsx`` file, ``csv`` folder, ``json`` file)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    data = session_tables(store, code)
    path = Path(path)
    if fmt == "json":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        return [path]
    if fmt == "csv":
        path.mkdir(parents=True, exist_ok=True)
        written = []
        for name, rows in data["tables"].items():
            target = path / f"{name}.csv"
            columns = _columns(name, rows)
            with target.open("w", newline="", encoding="utf-8-sig") as handle:
                writer = csv.DictWriter(handle, fieldnames=columns)
                writer.writeheader()
                for row in rows:
                    writer.writerow({k: neutralise(row.get(k, "")) for k in columns})
            written.append(target)
        return written
    from openpyxl import Workbook

    workbook = Workbook()
    summary = workbook.active
    summary.title = "sessie"
    for key, value in data["session"].items():
        if key != "exercises":
            _append(summary, [key, value])
    _append(summary, [])
    _append(summary, ["sheet", "exercise"])
    for sheet, title in data["session"]["exercises"].items():
        _append(summary, [sheet, title])
    for name, rows in data["tables"].items():
        sheet = workbook.create_sheet(title=name[:31])
        columns = _columns(name, rows)
        _append(sheet, columns)
        for row in rows:
            _append(sheet, [row.get(k, "") for k in columns])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return [path]


def _append(sheet, values) -> None:
    """Append a row; every text is stored as text (never as a formula)."""
    sheet.append([neutralise(v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
