"""The parts of an answer's and a live update's cost, one call at a time, in CPU
milliseconds (``time.process_time``, median of repeated calls), with the answers of 150
and of 1,000 participants in the store (four scale answers each, SQLite file on disk).

What is timed is what the participant server calls per request (``toolkit/web``):

- per answer (``answering.py``): ``Store.session_by_id`` (the session read fresh),
  ``Store.answers`` for the participant's own answers (twice: to check, to acknowledge),
  ``Store.save_answer`` (one write transaction), ``Store.versions``, ``own_blocks`` (the
  own layer of the radar) and the JSON reply;
- per live round (``live.py``, ``render.py``): ``Store.versions``, ``Results._compute``
  (``Store.answers`` of the whole exercise, ``group_results``, the radar), and writing one
  event to each open stream (measured in the wave's profile, not here);

Baseline: a bare ``sqlite3`` read of the same rows and a bare upsert, same file.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

__all__ = ["run", "timed"]

EXERCISE = "bestuurstafel"


def timed(function, repeat: int = 30) -> float:
    """Median CPU milliseconds of ``function()``."""
    samples = []
    for _ in range(repeat):
        began = time.process_time()
        function()
        samples.append(1000 * (time.process_time() - began))
    return round(statistics.median(samples), 3)


def _room(tmp: Path, people: int):
    from toolkit.exercises.loader import default_exercises
    from toolkit.store import Store

    db = tmp / f"parts-{people}.db"
    store = Store.open(f"sqlite:///{db}")
    session = store.create_session("parts", exercises=[EXERCISE])
    exercise = next(e for e in default_exercises() if e.id == EXERCISE)
    questions = [q.id for q in exercise.questions if q.type == "scale"]
    persons = []
    for i in range(people):
        person, _token = store.join(session.code, f"Deel {i:04d}")
        persons.append(person)
        for k, q in enumerate(questions):
            store.save_answer(person, EXERCISE, q, 1 + (i + k) % 5)
    return db, store, store.session_by_id(session.id), exercise, persons


def _parts(tmp: Path, people: int) -> dict:
    from toolkit.questions import Content, Ui, View
    from toolkit.results.aggregate import group_results, own_answers
    from toolkit.results.views import radar_html
    from toolkit.web.render import Results, own_blocks

    db, store, session, exercise, persons = _room(tmp, people)
    content = Content()
    results = Results(store, content)
    me = persons[len(persons) // 2]
    versions = store.versions([session.id])
    version = results.version_of(session, exercise, versions)
    everyone = store.answers(session.id, exercise=EXERCISE)
    view = View.of(session)
    groups = group_results(exercise, everyone, view, content, "nl", ())
    blocks = results._compute(session, exercise, "nl", version)
    mine = store.answers(session.id, exercise=EXERCISE, participant_id=me.id)
    own = own_answers(exercise, mine, me.id)
    ui = Ui(lang="nl", content=content)
    raw = sqlite3.connect(db)
    counter = iter(range(10**9))

    def bare_upsert():
        raw.execute("BEGIN IMMEDIATE")
        raw.execute(
            "INSERT INTO answers (session_id, participant_id, exercise, item, value, hidden, "
            "approved, revision, updated_at) VALUES (?, ?, ?, 'visie', ?, 0, 0, 0, "
            "'2026-01-01') ON CONFLICT (session_id, participant_id, exercise, item) DO "
            "UPDATE SET value = excluded.value",
            (session.id, me.id, EXERCISE, json.dumps(next(counter) % 5 + 1)),
        )
        raw.execute("COMMIT")

    figures = {
        "participants": people,
        "answer_rows": len(everyone),
        "per_answer_ms": {
            "Store.session_by_id": timed(lambda: store.session_by_id(session.id)),
            "Store.answers (own)": timed(
                lambda: store.answers(session.id, exercise=EXERCISE, participant_id=me.id)
            ),
            "Store.save_answer": timed(
                lambda: store.save_answer(me, EXERCISE, "visie", 1 + next(counter) % 5)
            ),
            "Store.versions": timed(lambda: store.versions([session.id])),
            "own_blocks (own radar layer)": timed(lambda: own_blocks(exercise, own, blocks, ui)),
            "JSON reply": timed(
                lambda: json.dumps(
                    {"ok": True, "own": own_blocks(exercise, own, blocks, ui)}, ensure_ascii=False
                )
            ),
        },
        "per_live_round_ms": {
            "Store.versions": timed(lambda: store.versions([session.id])),
            "Results._compute (all of it)": timed(
                lambda: results._compute(session, exercise, "nl", version), repeat=10
            ),
            "  Store.answers (whole exercise)": timed(
                lambda: store.answers(session.id, exercise=EXERCISE), repeat=10
            ),
            "  group_results": timed(
                lambda: group_results(exercise, everyone, view, content, "nl", ()), repeat=10
            ),
            "  group layer HTML (radar)": timed(
                lambda: radar_html(exercise, groups, ui, None, "group"),
                repeat=10,
            ),
        },
        "baseline_ms": {
            "sqlite3: read the exercise's rows": timed(
                lambda: raw.execute(
                    "SELECT a.*, p.pseudonym FROM answers a JOIN participants p ON p.id = "
                    "a.participant_id WHERE a.session_id = ? AND a.exercise = ? ORDER BY a.id",
                    (session.id, EXERCISE),
                ).fetchall(),
                repeat=10,
            ),
            "sqlite3: upsert one answer (one transaction)": timed(bare_upsert),
        },
        "event_bytes": len(
            json.dumps({"blocks": blocks.html, "n": blocks.n}, ensure_ascii=False).encode()
        ),
    }
    store.close()
    raw.close()
    return figures


def run(quick: bool) -> dict:
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        for people in (150, 1000):
            figures[f"room_{people}"] = part = _parts(Path(tmp), people)
            print(f"  parts {people}: {json.dumps(part)}", flush=True)
    return figures
