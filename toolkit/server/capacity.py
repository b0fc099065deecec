"""Measure what participants cost this machine: memory per connected participant, CPU per
join and per answer (and how the answer's cost grows with the pages that get its live
update), on a real participant server started for the purpose.

Used by ``workshop check``; ``bench/`` measures the same server under whole waves, and
``capacity`` turns these figures into the same kind of wave (see ``bench/README.md`` for
how well it predicts them).
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

__all__ = ["ParticipantCost", "measure_participant_server", "capacity", "wave_cpu"]

EXERCISE = "bestuurstafel"


@dataclass
class ParticipantCost:
    participants: int  # connected at the end, each with its live stream open
    answers: int  # answers acknowledged
    base_rss_mb: float  # the server with nobody connected
    rss_mb: float  # the server with everyone connected
    mb_per_participant: float
    cpu_ms_per_join: float  # join page and its files, join, the exercise page, live stream
    cpu_ms_per_answer: float  # with ``participants`` pages connected (their updates included)
    ack_ms_p50: float
    cpu_ms_per_answer_alone: float = 0.0  # the part that does not grow with the pages
    cpu_ms_per_answer_per_page: float = 0.0  # what each connected page adds to an answer
    cpu_ms_per_answer_per_row: float = 0.0  # what each stored answer of the exercise adds

    def answer_ms(self, pages: float, rows: float = 0.0) -> float:
        """CPU milliseconds of one answer with ``pages`` pages connected to its exercise
        and ``rows`` answers stored for it (the group result is computed from them)."""
        return (
            self.cpu_ms_per_answer_alone
            + self.cpu_ms_per_answer_per_page * pages
            + self.cpu_ms_per_answer_per_row * rows
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cpu(process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def _source(index: int) -> str:
    """A loopback address per participant (as each phone in a room has its own), so the
    server's per-client caps apply as they would there."""
    index += 1
    return f"127.1.{index // 256}.{index % 256}"


async def _join(people, code: str, assets: list[str], timeout: float = 30.0) -> None:
    for person in people:
        await person.join()
        for asset in assets:
            await person.fetch(asset)
        await person.fetch(f"/s/{code}/e/{EXERCISE}")
        person.listen_task = person.listen(f"e/{EXERCISE}")
    deadline = time.monotonic() + timeout
    while any(not p.events for p in people):
        if time.monotonic() > deadline:
            raise RuntimeError("a live stream did not open")
        await asyncio.sleep(0.02)


async def _answers(people, count: int, acks: list) -> None:
    questions = ("visie", "deskundigheid")
    for number in range(count):
        person = people[number % len(people)]
        took, reply = await person.answer(
            EXERCISE, questions[number % 2], {"v": str(1 + number % 5)}
        )
        if not reply.get("ok"):
            raise RuntimeError(f"an answer was refused: {reply.get('message')}")
        acks.append(took)
    await asyncio.sleep(0.3)  # the last live updates go out


def _prefill(store, code: str, people: int) -> int:
    """Give session ``code`` the answers of ``people`` more participants (four scale
    answers each, in one transaction: a fixture, not a measurement); return the rows."""
    import hashlib
    import json
    from datetime import UTC, datetime

    from ..store.schema import answers, participants

    session = store.get_session(code)
    now = datetime.now(UTC)
    items = ("visie", "deskundigheid", "inhoud-toepassingen", "ict-infrastructuur")
    with store.engine.begin() as conn:
        for i in range(people):
            token = hashlib.sha256(f"prefill-{code}-{i}".encode()).hexdigest()
            person = conn.execute(
                participants.insert().values(
                    session_id=session.id,
                    pseudonym=f"Eerder {i}",
                    token_hash=token,
                    created_at=now,
                    last_seen_at=now,
                )
            ).inserted_primary_key[0]
            conn.execute(
                answers.insert(),
                [
                    dict(
                        session_id=session.id,
                        participant_id=person,
                        exercise=EXERCISE,
                        item=item,
                        value=json.dumps(1 + (i + k) % 5),
                        hidden=False,
                        updated_at=now,
                    )
                    for k, item in enumerate(items)
                ],
            )
    return people * len(items)


def _people(base, code, first: int, count: int) -> list:
    from tornado.httpclient import AsyncHTTPClient

    from ..web.client import Participant

    people = []
    for i in range(first, first + count):
        person = Participant(base, code, f"Meting {i}")
        person.client = AsyncHTTPClient(
            force_instance=True, defaults={"network_interface": _source(i)}
        )
        people.append(person)
    return people


async def _run_participants(base, codes, n, answers, process, stop):
    from ..web.assets import asset_url

    code, full = codes
    assets = [asset_url(name) for name in ("participant.css", "results.css", "participant.js")]
    people = _people(base, code, 0, n)
    few = max(2, n // 5)
    acks: list[float] = []
    cpu = [_cpu(process)]
    await _join(people[:few], code, assets)
    cpu.append(_cpu(process))
    await _answers(people[:few], answers, acks)
    cpu.append(_cpu(process))
    await _join(people[few:], code, assets)
    cpu.append(_cpu(process))
    await _answers(people, answers, acks)
    cpu.append(_cpu(process))
    info = process.memory_info()
    others = _people(base, full, n, few)  # the same few, in a room with many answers
    await _join(others, full, assets)
    cpu.append(_cpu(process))
    await _answers(others, answers, acks)
    cpu.append(_cpu(process))
    people += others
    streams = [p.listen_task for p in people if getattr(p, "listen_task", None)]
    stop()  # the streams end with the server
    if streams:
        await asyncio.wait(streams, timeout=10)
    joins = (cpu[1] - cpu[0]) + (cpu[3] - cpu[2])
    return {
        "few": few,
        "join_cpu": joins,
        "answer_cpu_few": (cpu[2] - cpu[1]) / answers,
        "answer_cpu_all": (cpu[4] - cpu[3]) / answers,
        "answer_cpu_full": (cpu[6] - cpu[5]) / answers,
        "rss": info.rss,
        "acks": sorted(acks),
    }


def measure_participant_server(
    participants: int = 100, answers: int = 40, stored: int = 1000
) -> ParticipantCost:
    """Start a participant server on a fresh store; let a fifth of ``participants`` join
    (join page and its files, join, the exercise page, its live stream) and send
    ``answers`` answers one after another, then the rest join and ``answers`` more are
    sent; then as many as the first time join a second session that already holds the
    answers of ``stored`` participants, and send ``answers`` more. Measured: the server
    process's CPU seconds and RSS. The first two rounds of answers give the part of an
    answer's cost that grows with the connected pages (their live update), the third the
    part that grows with the answers stored (the group result is computed from them).
    Every participant connects from its own loopback address."""
    from pathlib import Path

    import psutil

    from ..exercises.loader import default_exercises
    from ..settings import Settings
    from ..store import Store

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/measure.db"
        store = Store.open(url)
        ids = [e.id for e in default_exercises()]
        code = store.create_session("meting", exercises=ids).code
        full = store.create_session("meting, vol", exercises=ids).code
        rows = _prefill(store, full, stored)
        store.close()
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "toolkit.web", "--port", str(port), "--db", url],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **Settings(data=Path(tmp)).environ()},
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("the participant server did not start") from None
                    time.sleep(0.1)
            process = psutil.Process(server.pid)
            time.sleep(0.5)
            base_rss = process.memory_info().rss
            base = f"http://127.0.0.1:{port}"
            got = asyncio.run(
                _run_participants(
                    base, (code, full), participants, answers, process, server.terminate
                )
            )
        finally:
            server.terminate()
            server.wait(10)
    mb = 2**20
    few, acks = got["few"], got["acks"]
    per_page = max(0.0, (got["answer_cpu_all"] - got["answer_cpu_few"]) / (participants - few))
    own_rows = 2  # the first room's rows while it answered: at most two per participant
    per_row = max(0.0, (got["answer_cpu_full"] - got["answer_cpu_few"]) / rows)
    alone = max(0.0, got["answer_cpu_few"] - per_page * few - per_row * own_rows * few)
    return ParticipantCost(
        participants,
        len(acks),
        round(base_rss / mb, 1),
        round(got["rss"] / mb, 1),
        round(max(got["rss"] - base_rss, 0) / mb / participants, 3),
        round(1000 * got["join_cpu"] / participants, 2),
        round(1000 * got["answer_cpu_all"], 2),
        round(1000 * acks[len(acks) // 2], 1) if acks else 0.0,
        round(1000 * alone, 3),
        round(1000 * per_page, 4),
        round(1000 * per_row, 5),
    )


def wave_cpu(
    cost: ParticipantCost,
    people: int,
    *,
    spread: float = 60.0,
    answers_each: int = 10,
    think: float = 1.5,
    questions: int = 4,
) -> dict:
    """The CPU a wave needs: ``people`` arriving evenly over ``spread`` seconds, each
    answering ``answers_each`` times, ``think`` seconds apart, going through ``questions``
    questions of one exercise in turn (so each stores at most that many rows), and staying
    connected. Returns the CPU seconds in all and the busiest second's share of one core (a
    participant server process uses one core; above 1.0, requests queue).

    Examples
    --------
    >>> c = ParticipantCost(100, 80, 70.0, 80.0, 0.1, 10.0, 12.0, 20.0, 10.0, 0.02, 0.001)
    >>> w = wave_cpu(c, 100)
    >>> w["cpu_seconds"], w["busiest_second_core_share"]
    (12.5, 0.27)
    """
    events = []
    for i in range(people):
        arrived = spread * i / max(people, 1)
        events.append((arrived, 0))
        events += [(arrived + k * think, k) for k in range(1, answers_each + 1)]
    events.sort()
    seconds: dict[int, float] = {}
    total, connected, rows = 0.0, 0, 0
    for at, k in events:
        if k == 0:
            connected += 1
            work = cost.cpu_ms_per_join / 1000
        else:
            rows += k <= questions
            work = cost.answer_ms(connected, rows) / 1000
        seconds[int(at)] = seconds.get(int(at), 0.0) + work
        total += work
    return {
        "people": people,
        "cpu_seconds": round(total, 1),
        "busiest_second_core_share": round(max(seconds.values(), default=0.0), 2),
    }


def capacity(
    cost: ParticipantCost,
    *,
    cores: int | None = None,
    available_mb: float | None = None,
    answers_each: int = 10,
    reserve: float = 0.5,
    expected: int = 1000,
    busy: float = 0.7,
) -> dict:
    """How many participants this machine holds, by memory and by CPU.

    Memory: what is available (half of it kept in reserve) over the memory per connected
    participant. CPU: one participant server process uses one core; a wave of ``expected``
    people arriving within a minute (``wave_cpu``) should keep its busiest second under
    ``busy`` of that core; ``by_cpu`` is the largest wave that does.

    Examples
    --------
    >>> cost = ParticipantCost(100, 80, 70.0, 80.0, 0.1, 10.0, 12.0, 20.0, 10.0, 0.02, 0.001)
    >>> c = capacity(cost, cores=2, available_mb=8000, expected=100)
    >>> c["by_memory"], c["wave"]["cpu_seconds"], c["by_cpu"]
    (40000, 12.5, 249)
    """
    import psutil

    cores = cores or psutil.cpu_count() or 1
    if available_mb is None:
        available_mb = psutil.virtual_memory().available / 2**20
    per = max(cost.mb_per_participant, 0.01)
    low, high = 1, 20_000
    if wave_cpu(cost, high, answers_each=answers_each)["busiest_second_core_share"] <= busy:
        low = high
    while low < high:  # the largest wave whose busiest second stays under `busy`
        middle = (low + high + 1) // 2
        share = wave_cpu(cost, middle, answers_each=answers_each)["busiest_second_core_share"]
        low, high = (middle, high) if share <= busy else (low, middle - 1)
    return {
        "cores": cores,
        "available_mb": round(available_mb),
        "by_memory": int(available_mb * (1 - reserve) / per),
        "by_cpu": low,
        "wave": wave_cpu(cost, expected, answers_each=answers_each),
        "wave_1000": wave_cpu(cost, 1000, answers_each=answers_each),
    }
