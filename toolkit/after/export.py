"""A session as xlsx, CSV or JSON that a facilitator can open (pseudonyms only).

A summary first (the session, per exercise how many answered and its outcome in a
sentence), then one table per exercise with one row per participant and one column per
item of each question (each question type names its own columns, ``QuestionType.columns``
and ``cells``): labels instead of ids, numbers as numbers. Then the texts participants
wrote (with their dots and whether the facilitator hid them), the map additions and the
participants. The workbook has frozen headers and fitted widths; every text that a
spreadsheet could run as a formula is neutralised. JSON also holds every raw answer.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from datetime import datetime
from pathlib import Path

from ..exercises.library import exercise_library, session_exercises
from ..i18n import t
from ..questions import Content, Ui, question_type
from ..questions.typed_text import need_key
from ..results.session import session_results
from ..results.summary import exercise_headlines
from ..store import Store
from .workbook import neutralise

__all__ = ["FORMATS", "session_tables", "export_session"]

FORMATS = ("xlsx", "csv", "json")
PSEUDONYM = "~pseudonym"  # the key of every table's first column
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\']")


def _unique(columns: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Columns with unique keys and labels (a repeated label gets " (2)", " (3)" ...).

    Examples
    --------
    >>> _unique([("a", "X"), ("b", "X"), ("a", "Y")])
    [('a', 'X'), ('b', 'X (2)')]
    """
    keys, labels, out = set(), Counter(), []
    for key, label in columns:
        if key in keys:
            continue
        keys.add(key)
        labels[label] += 1
        out.append((key, label if labels[label] == 1 else f"{label} ({labels[label]})"))
    return out


def _table(title: str, columns, rows) -> dict:
    return {"title": title, "columns": _unique(columns), "rows": rows}


def _plain(value):
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _exercise_table(exercise, answers, content, lang) -> dict:
    """One row per participant, one column per question item (the types decide)."""
    columns = [(PSEUDONYM, t("x_participant", lang))]
    per_question = {}
    for question in exercise.questions:
        kind = question_type(question)
        per_question[question.id] = kind.columns(exercise, question, answers, content, lang)
        columns += per_question[question.id]
    people: dict[int, dict] = {}
    for answer in answers:
        person = people.setdefault(answer.participant_id, {"name": answer.pseudonym, "own": {}})
        person["own"][answer.item] = answer.value
    rows = []
    for person in people.values():
        row = {PSEUDONYM: person["name"]}
        for question in exercise.questions:
            kind = question_type(question)
            row.update(kind.cells(exercise, question, person["own"], content, lang))
            if kind.blank is not None and kind.answered(question, person["own"]):
                for key, _label in per_question[question.id]:
                    row.setdefault(key, kind.blank)
        rows.append(row)
    return _table(exercise.title(lang), columns, rows)


def _unknown_table(name: str, answers, lang) -> dict:
    """Answers to an exercise the content does not define: one column per item."""
    items = list(dict.fromkeys(a.item for a in answers))
    people: dict[int, dict] = {}
    for a in answers:
        people.setdefault(a.participant_id, {PSEUDONYM: a.pseudonym})[a.item] = _plain(a.value)
    columns = [(PSEUDONYM, t("x_participant", lang))] + [(i, i) for i in items]
    return _table(name, columns, list(people.values()))


def _texts_table(exercises, answers, lang) -> dict:
    """Every text written (free texts, questions from the room), with the dots it got where
    a dot vote ranked the texts and the support a question from the room got."""
    by_id = {e.id: e for e in exercises}
    support = Counter()
    for a in answers:
        if a.item.endswith("~votes") and isinstance(a.value, dict):
            support.update((a.exercise, item) for item in a.value.get("votes", []))
    dots: dict[tuple[str, str], Counter] = {}
    for exercise in exercises:
        for q in exercise.questions:
            if q.type == "dot_vote" and q.options_from:
                tally = dots.setdefault((exercise.id, q.options_from), Counter())
                for a in answers:
                    if a.exercise == exercise.id and a.item == q.id and isinstance(a.value, dict):
                        tally.update(a.value)
    rows = []
    for a in answers:
        exercise = by_id.get(a.exercise)
        if exercise is None or ":" not in a.item:
            continue
        qid = a.item.split(":")[0]
        question = next((q for q in exercise.questions if q.id == qid), None)
        if question is None or question.type not in ("free_text", "room_questions"):
            continue
        text = (a.value or {}).get("text", "") if isinstance(a.value, dict) else str(a.value)
        tally = dots.get((exercise.id, qid))
        rows.append(
            {
                "exercise": exercise.title(lang),
                "question": question.prompt(lang),
                PSEUDONYM: a.pseudonym,
                "text": text,
                "dots": tally.get(need_key(text), 0) if tally is not None else None,
                "support": support[(a.exercise, a.item)]
                if question.type == "room_questions"
                else None,
                "hidden": a.hidden,
                "approved": a.approved,
                "at": a.updated_at,
            }
        )
    columns = [
        ("exercise", t("x_exercise", lang)),
        ("question", t("x_question", lang)),
        (PSEUDONYM, t("x_participant", lang)),
        ("text", t("x_text", lang)),
        ("dots", t("x_dots", lang)),
        ("support", t("x_support", lang)),
        ("hidden", t("x_hidden", lang)),
        ("approved", t("x_approved", lang)),
        ("at", t("x_written_at", lang) + " (UTC)"),
    ]
    return _table(t("x_texts", lang), columns, rows)


def _additions_table(contributions, content, lang) -> dict:
    """Map additions in words: the organisation's name, or 'A works with B'."""
    vocab = content.vocabulary
    names = {row["id"]: row["name"] for row in content.data.organisations}
    names.update(
        {
            c.payload.get("id"): c.payload.get("name")
            for c in contributions
            if c.kind == "organisation"
        }
    )
    rows = []
    for c in contributions:
        p = c.payload
        if c.kind == "organisation":
            text = p.get("name", "")
            what = vocab.label("organisation_types", p.get("type", "other"), lang)
        else:
            what = vocab.label("relation_types", p.get("relation", ""), lang)
            text = f"{names.get(p.get('source'), '?')} {what} {names.get(p.get('target'), '?')}"
        rows.append(
            {
                PSEUDONYM: c.pseudonym,
                "kind": t("x_organisation" if c.kind == "organisation" else "x_relation", lang),
                "addition": text,
                "type": what,
                "sectors": ", ".join(p.get("sectors") or []),
                "hidden": c.hidden,
                "approved": c.approved,
                "at": c.created_at,
            }
        )
    columns = [
        (PSEUDONYM, t("x_participant", lang)),
        ("kind", t("x_kind", lang)),
        ("addition", t("x_addition", lang)),
        ("type", t("x_org_type", lang)),
        ("sectors", t("x_sectors", lang)),
        ("hidden", t("x_hidden", lang)),
        ("approved", t("x_approved", lang)),
        ("at", t("x_written_at", lang) + " (UTC)"),
    ]
    return _table(t("x_additions", lang), columns, rows)


def _sheet_names(tables: dict, lang: str) -> dict[str, str]:
    """A worksheet name per table: its title, at most 31 characters, unique."""
    names, used = {}, set()
    for name, table in tables.items():
        base = " ".join(_SHEET_FORBIDDEN.sub(" ", table["title"]).split()) or name
        candidate = base if len(base) <= 31 else base[:30].rstrip() + "…"
        number = 2
        while candidate.casefold() in used:
            suffix = f" ({number})"
            candidate = (base[: 31 - len(suffix)].rstrip()) + suffix
            number += 1
        used.add(candidate.casefold())
        names[name] = candidate
    return names


def session_tables(store: Store, code: str, lang: str | None = None) -> dict:
    """The session as tables: ``{"session", "summary", "tables", "answers"}``.

    ``tables`` maps a name (an exercise id, ``texts``, ``contributions``, ``participants``)
    to ``{"title", "columns": [(key, label)], "rows": [{key: value}]}``; ``summary`` holds
    one row per exercise (title, participants who answered, the outcome in a sentence);
    ``answers`` every answer as stored (for researchers). Labels are in ``lang`` (the
    session's language by default).

    Examples
    --------
    >>> import tempfile
    >>> from toolkit.after.demo import fill_demo_session
    >>> store = Store.open(f"sqlite:///{tempfile.mkdtemp()}/e.db")
    >>> code = store.create_session("Demo").code
    >>> _ = fill_demo_session(store, code, participants=2)
    >>> table = session_tables(store, code, "en")["tables"]["bestuurstafel"]
    >>> [label for _key, label in table["columns"]][:3]
    ['Participant', 'Vision', 'Expertise']
    >>> isinstance(table["rows"][0]["visie"], int)
    True
    >>> store.close()
    """
    session = store.get_session(code)
    if session is None:
        raise KeyError(code)
    lang = lang or session.lang
    content = Content()
    exercises = session_exercises(session, exercise_library())
    known = {e.id for e in exercises}
    answers = store.answers(session.id)
    contributions = store.contributions(session.id)
    by_exercise: dict[str, list] = {}
    for answer in answers:
        by_exercise.setdefault(answer.exercise, []).append(answer)

    tables: dict[str, dict] = {}
    for exercise in exercises:
        if exercise.id in by_exercise:
            tables[exercise.id] = _exercise_table(exercise, by_exercise[exercise.id], content, lang)
    for name, rows in by_exercise.items():
        if name not in known:
            tables[name] = _unknown_table(name, rows, lang)
    tables["texts"] = _texts_table(exercises, answers, lang)
    tables["contributions"] = _additions_table(contributions, content, lang)
    counts = Counter(a.participant_id for a in answers)
    names = {a.participant_id: a.pseudonym for a in answers}
    tables["participants"] = _table(
        t("x_participants", lang),
        [(PSEUDONYM, t("x_participant", lang)), ("answers", t("x_answers", lang))],
        [{PSEUDONYM: names[pid], "answers": n} for pid, n in counts.items()],
    )

    results = session_results(store, session, lang, exercises, content)
    ui = Ui(lang=lang, content=content, own=False)
    sheets = _sheet_names(tables, lang)
    summary = [
        {
            "exercise": exercise.title(lang),
            "sheet": sheets.get(exercise.id, ""),
            "answered": results.answered[exercise.id],
            "headline": " ".join(exercise_headlines(exercise, results.results[exercise.id], ui)),
        }
        for exercise in results.exercises
    ]
    info = {
        "code": session.code,
        "title": session.title,
        "organiser": session.organiser,
        "language": lang,
        "created_at": session.created_at.isoformat(timespec="seconds"),
        "participants": results.joined,
        "purged_at": results.purged_at.isoformat(timespec="seconds") if results.purged_at else None,
        "sheets": sheets,
    }
    raw = [
        {
            "pseudonym": a.pseudonym,
            "exercise": a.exercise,
            "question": a.item.split(":")[0],
            "item": a.item,
            "value": a.value,
            "hidden": a.hidden,
            "approved": a.approved,
            "updated_at": a.updated_at.isoformat(timespec="seconds"),
        }
        for a in answers
    ]
    return {"session": info, "summary": summary, "tables": tables, "answers": raw}


# --- writers --------------------------------------------------------------------------------
def _summary_columns(lang: str) -> list[tuple[str, str]]:
    return [
        ("exercise", t("x_exercise", lang)),
        ("sheet", t("x_sheet", lang)),
        ("answered", t("x_answered", lang)),
        ("headline", t("x_headline", lang)),
    ]


def _session_lines(info: dict, lang: str) -> list[tuple[str, object]]:
    lines = [
        (t("x_title", lang), info["title"]),
        (t("x_organiser", lang), info["organiser"]),
        (t("x_code", lang), info["code"]),
        (t("x_date", lang), info["created_at"][:10]),
        (t("x_language", lang), info["language"]),
        (t("x_joined", lang), info["participants"]),
    ]
    if info["purged_at"]:
        lines.append((t("x_purged", lang), info["purged_at"][:10]))
    return lines


def _iso(value):
    return value.isoformat(timespec="seconds") if isinstance(value, datetime) else value


def _json_ready(data: dict) -> dict:
    lang = data["session"]["language"]
    tables = {}
    for name, table in data["tables"].items():
        labels = dict(table["columns"])
        tables[name] = {
            "title": table["title"],
            "columns": [{"key": k, "label": label} for k, label in table["columns"]],
            "rows": [
                {labels[k]: _iso(row.get(k)) for k in labels if row.get(k) is not None}
                for row in table["rows"]
            ],
        }
    summary_labels = dict(_summary_columns(lang))
    return {
        "session": data["session"],
        "summary": [{summary_labels[k]: v for k, v in row.items()} for row in data["summary"]],
        "tables": tables,
        "answers": data["answers"],
    }


def _csv_value(value, lang: str):
    if isinstance(value, bool):
        return t("x_yes" if value else "x_no", lang)
    return neutralise(_iso(value)) if value is not None else ""


def _write_csv(path: Path, columns, rows, lang: str) -> Path:
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow([neutralise(label) for _key, label in columns])
        for row in rows:
            writer.writerow([_csv_value(row.get(key), lang) for key, _label in columns])
    return path


def export_session(
    store: Store, code: str, fmt: str, path: str | Path, lang: str | None = None
) -> list[Path]:
    """Write the session in ``fmt`` (``xlsx`` file, ``csv`` folder, ``json`` file)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    data = session_tables(store, code, lang)
    lang = data["session"]["language"]
    path = Path(path)
    if fmt == "json":
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(_json_ready(data), ensure_ascii=False, indent=2)
        path.write_text(text, encoding="utf-8")
        return [path]
    if fmt == "csv":
        path.mkdir(parents=True, exist_ok=True)
        written = [_write_csv(path / "summary.csv", _summary_columns(lang), data["summary"], lang)]
        for name, table in data["tables"].items():
            written.append(_write_csv(path / f"{name}.csv", table["columns"], table["rows"], lang))
        return written
    from .workbook import write_workbook

    path.parent.mkdir(parents=True, exist_ok=True)
    write_workbook(
        path,
        t("x_summary", lang),
        _session_lines(data["session"], lang),
        _summary_columns(lang),
        data["summary"],
        [(data["session"]["sheets"][n], tb) for n, tb in data["tables"].items()],
    )
    return [path]
