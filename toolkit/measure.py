"""Measure what participants cost this machine: memory per connected participant and CPU
per join and per answer, on a real participant server started for the purpose.

Used by ``workshop check`` and by the benchmarks in ``bench/`` (same code, same numbers).
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass

__all__ = ["ParticipantCost", "measure_participant_server", "capacity"]


@dataclass
class ParticipantCost:
    participants: int  # how many joined, each with a live connection, in the measurement
    answers: int  # answers acknowledged
    base_rss_mb: float  # the server with nobody connected
    rss_mb: float  # the server with everyone connected
    mb_per_participant: float
    cpu_ms_per_join: float  # join page, join, the live stream opened
    cpu_ms_per_answer: float
    ack_ms_p50: float

    def as_dict(self) -> dict:
        return asdict(self)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cpu(process) -> float:
    times = process.cpu_times()
    return times.user + times.system


async def _run_participants(base, code, n, answers, process, stop):
    from tornado.httpclient import AsyncHTTPClient

    from .web.client import Participant

    AsyncHTTPClient.configure(None, max_clients=n + 20)
    # Each participant as the client it stands for (the server trusts X-Real-IP here, as
    # behind a proxy), so that the per-client caps see many phones, not this one machine.
    people = [
        Participant(base, code, f"Meting {i}", headers={"X-Real-IP": f"10.1.{i // 250}.{i % 250}"})
        for i in range(n)
    ]
    before = _cpu(process)
    for person in people:
        await person.join()
    streams = [p.listen("e/bestuurstafel") for p in people]
    deadline = time.monotonic() + 30
    while any(not p.events for p in people) and time.monotonic() < deadline:
        if any(stream.done() for stream in streams):
            refused = [s.result() for s in streams if s.done()]
            raise RuntimeError(f"{len(refused)} live streams were refused ({refused[0]})")
        await asyncio.sleep(0.05)
    joined = _cpu(process)
    acks = []
    for round_ in range(answers):
        for person in people:
            took, reply = await person.answer(
                "bestuurstafel", "visie", {"v": str(1 + (round_ % 5))}
            )
            if not reply.get("ok"):
                raise RuntimeError(f"an answer was refused: {reply.get('message')}")
            acks.append(took)
    answered = _cpu(process)
    await asyncio.sleep(0.5)  # the last live updates go out
    info = process.memory_info()
    stop()  # the streams end with the server
    await asyncio.wait(streams, timeout=10)
    return joined - before, answered - joined, info.rss, sorted(acks)


def measure_participant_server(participants: int = 60, answers: int = 3) -> ParticipantCost:
    """Start a participant server on a fresh store, let ``participants`` join (each with a
    live stream) and answer ``answers`` times each, and measure the server process."""
    import psutil

    from .exercises.loader import default_exercises
    from .store import Store

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/measure.db"
        store = Store.open(url)
        code = store.create_session("meting", exercises=[e.id for e in default_exercises()]).code
        store.close()
        port = _free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "toolkit.web",
                "--port",
                str(port),
                "--db",
                url,
                "--behind-proxy",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "WORKSHOP_DATA": tmp},
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
            base_rss = process.memory_info().rss
            join_cpu, answer_cpu, rss, acks = asyncio.run(
                _run_participants(
                    f"http://127.0.0.1:{port}",
                    code,
                    participants,
                    answers,
                    process,
                    server.terminate,
                )
            )
        finally:
            server.terminate()
            server.wait(10)
    mb = 2**20
    return ParticipantCost(
        participants,
        len(acks),
        round(base_rss / mb, 1),
        round(rss / mb, 1),
        round(max(rss - base_rss, 0) / mb / participants, 3),
        round(1000 * join_cpu / participants, 2),
        round(1000 * answer_cpu / max(len(acks), 1), 2),
        round(1000 * acks[len(acks) // 2], 1) if acks else 0.0,
    )


def capacity(
    cost: ParticipantCost,
    *,
    cores: int | None = None,
    available_mb: float | None = None,
    answers_each: int = 10,
    reserve: float = 0.5,
) -> dict:
    """How many participants this machine holds, and how long a join wave keeps it busy.

    Memory: what is available (half of it kept in reserve) over the memory per connected
    participant. CPU: one participant server process uses one core; a join costs
    ``cpu_ms_per_join`` and each answer ``cpu_ms_per_answer``.

    Examples
    --------
    >>> c = capacity(ParticipantCost(60, 180, 40.0, 46.0, 0.1, 8.0, 4.0, 3.0),
    ...              cores=2, available_mb=8000)
    >>> c["by_memory"], c["wave_seconds_per_1000"]
    (40000, 48.0)
    """
    import psutil

    cores = cores or psutil.cpu_count() or 1
    if available_mb is None:
        available_mb = psutil.virtual_memory().available / 2**20
    per = max(cost.mb_per_participant, 0.01)
    work_ms = cost.cpu_ms_per_join + answers_each * cost.cpu_ms_per_answer
    return {
        "cores": cores,
        "available_mb": round(available_mb),
        "by_memory": int(available_mb * (1 - reserve) / per),
        "wave_seconds_per_1000": round(1000 * work_ms / 1000, 1),
    }
