"""A soak: 100 participants coming back again and again for 30 minutes, while the
participant server's memory is sampled. Full mode only (``make bench``);
``WORKSHOP_SOAK_MINUTES`` shortens it (a shortened soak is reported as such).

Each participant (``bench/client.py``, its own loopback address) joins in the first
minute, then visits over and over: the exercise page with its live stream, four answers
(0.5-2.5 s apart), a while on the page (30-120 s, the stream open, results arriving as the
others answer), then the page closes and it is away for 60-240 s. It comes back with its
personal link (every other visit, as on a new device: a new page and new connections) or
with the join address and its cookie. Random times are seeded: every run is the same.

Reported: server RSS every 10 s, "flat" meaning the end within 10 % of the level after
the first five minutes (the start-up and first joins settled), with the peak and a
least-squares slope; errors; answers lost (every participant's latest acknowledged value
of each question must be the one row in the SQLite file); acknowledgement and return
times; the server's CPU seconds; the load average.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sqlite3
import tempfile
import time
from pathlib import Path

import psutil

from bench.client import Participant, source_address
from bench.common import summary

__all__ = ["run"]

EXERCISE = "bestuurstafel"
PARTICIPANTS = 100
THINK = (0.5, 2.5)
STAY = (30.0, 120.0)
AWAY = (60.0, 240.0)


class Record:
    def __init__(self):
        self.visits = 0
        self.errors: list[str] = []
        self.acks: list[float] = []
        self.returns: list[float] = []
        self.latest: dict[str, int] = {}
        self.pending: dict[str, int] = {}  # sent, not acknowledged (may be stored instead)


async def _participant(i, base, code, questions, end, record: Record) -> Participant:
    rng = random.Random(7919 * (i + 1))
    await asyncio.sleep(rng.uniform(0, 60))
    person = Participant(base, code, f"Blijver {i:03d}", source_address(i))
    first = True
    while time.monotonic() < end:
        try:
            if first:
                await person.arrive(EXERCISE)
                first = False
            else:
                record.returns.append(await person.come_back(EXERCISE, record.visits % 2 == 1))
            record.visits += 1
            for _ in range(4):
                await asyncio.sleep(rng.uniform(*THINK))
                question = rng.choice(questions)
                value = rng.randint(1, 5)
                record.pending[question] = value
                took, reply = await person.answer(EXERCISE, question, {"v": str(value)})
                if not reply.get("ok"):
                    raise RuntimeError(f"answer refused: {reply.get('message')}")
                record.acks.append(took)
                record.latest[question] = value
                del record.pending[question]
            stay = rng.uniform(*STAY)
            await asyncio.wait({person.stream_task}, timeout=stay)
            if person.stream_task.done():
                raise RuntimeError(f"live stream ended ({person.stream_status})")
            person.results.clear()  # only the last visit's events are needed, if any
        except Exception as exc:  # a failure is a figure; the participant comes back later
            record.errors.append(f"{type(exc).__name__}: {exc}"[:200])
            if first:
                break  # never joined: nothing to come back to
        person.close()
        await asyncio.sleep(min(rng.uniform(*AWAY), max(0.0, end - time.monotonic())))
    person.close()
    return person


async def _soak(base, code, questions, minutes, process, samples):
    end = time.monotonic() + minutes * 60
    records = [Record() for _ in range(PARTICIPANTS)]
    began = time.monotonic()

    async def sample():
        while time.monotonic() < end:
            times = process.cpu_times()
            samples.append(
                (
                    round(time.monotonic() - began, 1),
                    round(process.memory_info().rss / 2**20, 1),
                    round(times.user + times.system, 2),
                    round(os.getloadavg()[0], 2),
                )
            )
            await asyncio.sleep(10)

    sampler = asyncio.ensure_future(sample())
    people = await asyncio.gather(
        *(_participant(i, base, code, questions, end, records[i]) for i in range(PARTICIPANTS))
    )
    await sampler
    return people, records


def _slope(points) -> float:
    """Least-squares slope of (seconds, MB) in MB per hour."""
    if len(points) < 2:
        return 0.0
    xs, ys = zip(*points)
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs) or 1.0
    return 3600 * sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den


def run(quick: bool) -> dict:
    from tests.support.servers import WebServer
    from toolkit.exercises.loader import default_exercises
    from toolkit.store import Store

    minutes = float(os.environ.get("WORKSHOP_SOAK_MINUTES", "30"))
    exercise = next(e for e in default_exercises() if e.id == EXERCISE)
    questions = [q.id for q in exercise.questions if q.type == "scale"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        db = tmp / "soak.db"
        store = Store.open(f"sqlite:///{db}")
        session = store.create_session("soak", exercises=[EXERCISE])
        store.update_room(session.id, current=EXERCISE, follow=True)
        store.close()
        samples: list[tuple] = []
        with WebServer(tmp, session.code, db=f"sqlite:///{db}") as server:
            time.sleep(1.0)
            process = psutil.Process(server.process.pid)
            people, records = asyncio.run(
                _soak(server.url, session.code, questions, minutes, process, samples)
            )
            final = process.memory_info().rss / 2**20
        log = (tmp / f"web-{server.port}.log").read_text(errors="replace")
        rows = sqlite3.connect(db).execute(
            "SELECT p.pseudonym, a.item, a.value FROM answers a JOIN participants p "
            "ON p.id = a.participant_id WHERE a.session_id = ?",
            (session.id,),
        )
        stored: dict[str, dict] = {}
        for pseudonym, item, value in rows:
            stored.setdefault(pseudonym, {}).setdefault(item, []).append(json.loads(value))
    lost = sum(
        1
        for person, record in zip(people, records)
        for item, value in record.latest.items()
        if stored.get(person.pseudonym, {}).get(item)
        not in ([value], [record.pending.get(item, value)])
    )
    settled = [s for s in samples if s[0] >= min(300.0, minutes * 60 / 6)] or samples
    start, end = settled[0][1], settled[-1][1]
    errors = [e for r in records for e in r.errors]
    return {
        "participants": PARTICIPANTS,
        "minutes": minutes,
        "shortened": minutes < 30,
        "visits": sum(r.visits for r in records),
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:3],
        "answers_acknowledged": sum(len(r.acks) for r in records),
        "answers_lost": lost,
        "ack_s": summary(a for r in records for a in r.acks),
        "return_to_first_event_s": summary(t for r in records for t in r.returns),
        "server_memory_settled_at_s": settled[0][0],
        "server_memory_start_mb": start,
        "server_memory_end_mb": end,
        "server_memory_peak_mb": max(s[1] for s in settled),
        "server_memory_after_mb": round(final, 1),
        "memory_change_pct": round(100 * (end - start) / max(start, 1), 1),
        "memory_slope_mb_per_hour": round(_slope([(s[0], s[1]) for s in settled]), 2),
        "server_cpu_seconds": round(samples[-1][2] - samples[0][2], 1) if samples else None,
        "load_average_max": max((s[3] for s in samples), default=None),
        "samples_s_mb_cpu_load": samples,
        "server_log_errors": [
            line[:200] for line in log.splitlines() if "Traceback" in line or " 5" in line[:12]
        ][:5],
    }
