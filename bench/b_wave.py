"""A wave of participants at the participant web app, as ``workshop serve`` runs it: N
arrivals spread evenly over S seconds, each answering 10 times, everyone staying connected
(their live stream open) until the last has answered.

Participants are light protocol clients (``bench/client.py``: the pages' HTTP and live
protocol over asyncio streams, one keep-alive connection plus the live stream each, each
from its own loopback address), not browsers: a thousand Chromium tabs would measure the
benchmark machine, not the server. The room is on one exercise (the facilitator's "follow":
a join lands on it); each participant answers its four scale questions in turn, a random
level each time, after 0.5-2.5 s of thought (uniform; seeded, so every run is the same).

Reported:

- time to interactive per participant (join page with its stylesheets and script, join,
  the exercise page, first live event), p50/p95/max, and its steps;
- answer acknowledged (POST to JSON reply), p50/p95/max;
- errors (any refused or failed request, a stream that ended), and answers lost: for every
  participant, the latest acknowledged value of each question must be the one row stored
  in the SQLite file (read with ``sqlite3`` after the server stopped);
- a change reaching the others: for every participant's first answer, the time from its
  acknowledgement until each OTHER connected participant on the exercise received a
  ``results`` event that includes it. Which event includes it is decided from the store,
  not guessed from timing: a ``results`` event carries ``n`` (participants who answered),
  first answers are committed one at a time in the order of their row ids, so an event
  with ``n >= k`` was computed after the k-th participant's first answer was stored. The
  figures are the p50/p95 over every (answer, receiver) pair and over each answer's last
  receiver (the time until every connected page had it);
- the server process: CPU seconds (user + system, ``psutil``) from the first arrival to
  the end, RSS at the end (everyone still connected) and its peak; the load average and
  the benchmark process's own CPU seconds (it shares the machine's cores).
"""

from __future__ import annotations

import asyncio
import bisect
import json
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import psutil

from bench.client import Participant, Visit, source_address
from bench.common import summary

__all__ = ["run", "wave", "OLD_RUN"]

EXERCISE = "bestuurstafel"
THINK_SECONDS = (0.5, 2.5)
# The kernel-per-participant app's 150-person wave (bench/results/wave.json at commit
# cd64920, measured 2026-11-30 10:46 UTC; CPU and memory of the server and all its
# kernels, pool warm-up excluded): what the 150-person wave's budgets are relative to.
OLD_RUN = {
    "commit": "cd64920",
    "measured_at": "2026-11-30 10:46:49 UTC",
    "participants": 150,
    "spread_seconds": 30,
    "server_cpu_seconds": 38.2,
    "peak_memory_mb": 12674,
    "tti_s": {"p50": 0.0942, "p95": 0.1792, "max": 0.4986},
}


class Sampler(threading.Thread):
    """RSS of the server process twice a second (its peak) and its CPU seconds."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.peak_mb = 0.0
        self.running = True
        start = self.process.cpu_times()
        self.cpu_start, self.system_start = start.user + start.system, start.system

    def cpu(self) -> float:
        t = self.process.cpu_times()
        return t.user + t.system

    def system(self) -> float:
        """CPU seconds in the kernel (sockets, the file's fsync) since the start."""
        return self.process.cpu_times().system - self.system_start

    def rss_mb(self) -> float:
        return self.process.memory_info().rss / 2**20

    def run(self) -> None:
        while self.running:
            self.peak_mb = max(self.peak_mb, self.rss_mb())
            time.sleep(0.5)

    def stop(self) -> None:
        self.running = False
        self.join(5)


async def _visit(i, base, code, questions, spread, n, answers, seed, people) -> None:
    await asyncio.sleep(spread * i / max(n, 1))
    person = Participant(base, code, f"Deelnemer {i:04d}", source_address(i))
    person.visit = visit = Visit()
    people.append(person)
    rng = random.Random(seed * 100_003 + i)
    try:
        visit.tti = await person.arrive(EXERCISE)
        visit.steps = person.steps
        for k in range(answers):
            await asyncio.sleep(rng.uniform(*THINK_SECONDS))
            question = questions[k % len(questions)]
            value = rng.randint(1, 5)
            visit.sent += 1
            visit.pending[question] = value
            took, reply = await person.answer(EXERCISE, question, {"v": str(value)})
            if not reply.get("ok"):
                raise RuntimeError(f"answer refused: {reply.get('message')}")
            if visit.first_ack_at is None:
                visit.first_ack_at = time.perf_counter()
            visit.acks.append(took)
            visit.latest[question] = value
            del visit.pending[question]
    except Exception as exc:  # every failure is a figure, not a crash
        visit.error = f"{type(exc).__name__}: {exc}"[:200]


async def _wave(base, code, questions, n, spread, answers, seed, sampler, settle=3.0):
    people: list[Participant] = []
    began = time.perf_counter()
    await asyncio.gather(
        *(_visit(i, base, code, questions, spread, n, answers, seed, people) for i in range(n))
    )
    answered = time.perf_counter() - began
    await asyncio.sleep(settle)  # the last live updates reach everyone
    end = {
        "rss_mb": sampler.rss_mb(),
        "cpu": sampler.cpu(),
        "system": sampler.system(),
        "at": time.perf_counter() - began,
    }
    for person in people:
        if person.stream_task is not None and person.stream_task.done() and not person.visit.error:
            person.visit.error = f"live stream ended ({person.stream_status})"
    for person in people:
        person.close()
    return people, answered, end


def _stored(db: Path, session_id: int) -> tuple[dict, dict]:
    """From the SQLite file: pseudonym -> {item: [values]}, and pseudonym -> first row id."""
    rows = sqlite3.connect(db).execute(
        "SELECT p.pseudonym, a.item, a.value, a.id FROM answers a JOIN participants p "
        "ON p.id = a.participant_id WHERE a.session_id = ? AND a.exercise = ?",
        (session_id, EXERCISE),
    )
    values: dict[str, dict] = {}
    first: dict[str, int] = {}
    for pseudonym, item, value, row_id in rows:
        values.setdefault(pseudonym, {}).setdefault(item, []).append(json.loads(value))
        first[pseudonym] = min(first.get(pseudonym, row_id), row_id)
    return values, first


def _lost(people, values) -> int:
    """Acknowledged answers whose latest value is not the one row stored (where a later
    answer to the same question was sent but never acknowledged, e.g. it timed out, that
    value may be the one stored instead)."""
    lost = 0
    for person in people:
        stored = values.get(person.pseudonym, {})
        for item, value in person.visit.latest.items():
            allowed = [[value]]
            if item in person.visit.pending:
                allowed.append([person.visit.pending[item]])
            if stored.get(item) not in allowed:
                lost += 1
    return lost


def _live_delays(people, first_rows) -> dict:
    """Ack of each first answer -> a results event including it at every other page."""
    order = sorted(first_rows.values())
    rank = {p: bisect.bisect_right(order, row) for p, row in first_rows.items()}
    receivers = []
    for person in people:
        if person.first_event_at is None:
            continue
        times, peaks, high = [], [], 0
        for at, n in person.results:
            high = max(high, n)
            times.append(at)
            peaks.append(high)
        receivers.append((person.first_event_at, person, times, peaks))
    pairs, every, missing = [], [], 0
    for sender in people:
        acked = sender.visit.first_ack_at
        if acked is None or sender.pseudonym not in rank:
            continue
        k = rank[sender.pseudonym]
        slowest = 0.0
        for connected_at, receiver, times, peaks in receivers:
            if receiver is sender or connected_at >= acked:
                continue
            index = bisect.bisect_left(peaks, k)
            if index == len(peaks):
                missing += 1
                slowest = float("inf")
                continue
            delay = max(0.0, times[index] - acked)
            pairs.append(delay)
            slowest = max(slowest, delay)
        if slowest != float("inf"):
            every.append(slowest)
    return {
        "answers_sampled": len(every),
        "pairs": len(pairs),
        "pairs_never_reached": missing,
        "to_each_s": summary(pairs),
        "to_every_page_s": summary(every),
    }


def _profiler(pid: int, name: str):
    """With ``BENCH_PROFILE=<folder>`` (and ``py-spy`` on the path), sample the server
    during the wave into ``<folder>/<name>.txt`` (collapsed stacks); otherwise None. A
    profiled run's figures are not the benchmark's: py-spy takes CPU of its own."""
    folder = os.environ.get("BENCH_PROFILE")
    spy = shutil.which("py-spy")
    if not folder or spy is None:
        return None
    Path(folder).mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [
            spy,
            "record",
            "--pid",
            str(pid),
            "--rate",
            "100",
            "--format",
            "raw",
            "--threads",
            "--gil",
            "--output",
            str(Path(folder) / f"{name}.txt"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@contextmanager
def _floor_server(tmp: Path, code: str, db: str):
    """``bench/baseline/floor.py`` on a free port (an object with ``url``, ``port`` and
    ``process`` like the app's server)."""
    from tests.support.servers import ROOT, free_port, wait_listening

    port = free_port()
    log = tmp / f"web-{port}.log"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bench.baseline.floor",
            "--port",
            str(port),
            "--db",
            db,
            "--session",
            code,
        ],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
        cwd=ROOT,
    )
    try:
        wait_listening("127.0.0.1", port, process, log=log)
        yield SimpleNamespace(url=f"http://127.0.0.1:{port}", port=port, process=process)
    finally:
        process.terminate()
        process.wait(20)


def wave(n: int, spread: float, *, answers: int = 10, seed: int = 1, floor=False) -> dict:
    """One wave at the participant web app (or, with ``floor``, at the floor server)."""
    from tests.support.servers import WebServer
    from toolkit.exercises.loader import default_exercises
    from toolkit.store import Store

    exercise = next(e for e in default_exercises() if e.id == EXERCISE)
    questions = [q.id for q in exercise.questions if q.type == "scale"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        db = tmp / "wave.db"
        store = Store.open(f"sqlite:///{db}")
        session = store.create_session("wave", exercises=[EXERCISE])
        store.update_room(session.id, current=EXERCISE, follow=True)
        store.close()
        load_before = os.getloadavg()
        own_before = resource.getrusage(resource.RUSAGE_SELF)
        serving = _floor_server if floor else WebServer
        with serving(tmp, session.code, db=f"sqlite:///{db}") as server:
            time.sleep(1.0)
            sampler = Sampler(server.process.pid)
            base_rss = sampler.rss_mb()
            profiler = _profiler(server.process.pid, f"wave_{n}{'_floor' if floor else ''}")
            sampler.start()
            people, answered, end = asyncio.run(
                _wave(server.url, session.code, questions, n, spread, answers, seed, sampler)
            )
            sampler.stop()
            if profiler is not None:
                profiler.send_signal(signal.SIGINT)
                profiler.wait(60)
            threads = sampler.process.num_threads()
        own_after = resource.getrusage(resource.RUSAGE_SELF)
        load_after = os.getloadavg()
        log = (tmp / f"web-{server.port}.log").read_text(errors="replace")
        values, first_rows = _stored(db, session.id)
    visits = [p.visit for p in people]
    errors = [v.error for v in visits if v.error]
    ttis = [v.tti for v in visits if v.tti is not None]
    acks = [a for v in visits for a in v.acks]
    steps = {}
    for v in visits:
        for name, seconds in v.steps.items():
            steps.setdefault(name, []).append(seconds)
    reconnects = sum(p.http.opened - 1 for p in people)
    return {
        "participants": n,
        "spread_seconds": spread,
        "answers_each": answers,
        "think_seconds": list(THINK_SECONDS),
        "wave_seconds": round(answered, 1),
        "interactive": len(ttis),
        "tti_s": summary(ttis),
        "tti_steps_p50_ms": {k: round(1000 * summary(v)["p50"], 1) for k, v in steps.items()},
        "tti_steps_p95_ms": {k: round(1000 * summary(v)["p95"], 1) for k, v in steps.items()},
        "ack_s": summary(acks),
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:3],
        "answers_sent": sum(v.sent for v in visits),
        "answers_acknowledged": len(acks),
        "answer_rows_stored": sum(len(items) for items in values.values()),
        "answers_lost": _lost(people, values),
        "live": _live_delays(people, first_rows),
        "results_events_per_page": summary(len(p.results) for p in people),
        "server_cpu_seconds": round(end["cpu"] - sampler.cpu_start, 2),
        "server_cpu_system_seconds": round(end["system"], 2),
        "server_rss_mb_start": round(base_rss, 1),
        "server_rss_mb_end": round(end["rss_mb"], 1),
        "server_rss_mb_peak": round(max(sampler.peak_mb, end["rss_mb"]), 1),
        "server_threads_end": threads,
        "http_reconnects": reconnects,
        "bench_process_cpu_seconds": round(
            own_after.ru_utime + own_after.ru_stime - own_before.ru_utime - own_before.ru_stime,
            1,
        ),
        "load_average_before_after": [round(load_before[0], 2), round(load_after[0], 2)],
        "server_log_errors": [
            line[:200] for line in log.splitlines() if "Traceback" in line or " 5" in line[:12]
        ][:5],
    }


def old_wave(n: int = 150) -> dict:
    """The kernel-per-participant app's wave, measured again now: its own tree
    (``git archive`` of ``OLD_RUN["commit"]``) and its own benchmark (``wave(n,
    preheat=True)``: a preheated pool, CPU and memory of the server and all its kernels
    during the wave), run in a child process. The machine's speed changes from day to day
    (the same tree's 150-person wave took 38 s of CPU on 2026-11-30 and 71-102 s on
    2026-12-02), so the budget's tenth is taken against the old app in the same run.
    Needs the repository's history and some 14 GB of memory."""
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "-C", str(root), "archive", OLD_RUN["commit"]],
            capture_output=True,
            check=True,
        )
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        code = (
            "import json; from bench import b_wave; "
            f"print(json.dumps(b_wave.wave({int(n)}, preheat=True)))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=tmp,
            env={**os.environ, "PYTHONPATH": tmp},
            capture_output=True,
            text=True,
            timeout=2400,
        )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:]}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {"commit": OLD_RUN["commit"], **result}


def _quiet(limit: float = 20.0, timeout: float = 300.0) -> None:
    """Wait until the machine's CPU use over two seconds is below ``limit`` percent (the
    old app's 150 kernels take a while to go)."""
    ends = time.monotonic() + timeout
    while psutil.cpu_percent(interval=2.0) >= limit and time.monotonic() < ends:
        pass


def _print(key: str, r: dict) -> None:
    print(
        f"  wave {key}: interactive {r['interactive']}/{r['participants']}, tti p50/p95 "
        f"{r['tti_s'].get('p50')}/{r['tti_s'].get('p95')} s, ack p95 {r['ack_s'].get('p95')} s,"
        f" errors {r['errors']}, lost {r['answers_lost']}, live p95 (every page) "
        f"{r['live']['to_every_page_s'].get('p95')} s, cpu {r['server_cpu_seconds']} s, rss "
        f"end {r['server_rss_mb_end']} MB, load {r['load_average_before_after']}",
        flush=True,
    )


def run(quick: bool) -> dict:
    sizes = ((150, 30.0),) if quick else ((150, 30.0), (1000, 60.0))
    figures = {"old_run": OLD_RUN, "floor": {}}
    for n, spread in sizes:
        key = f"wave_{n}"
        figures[key] = wave(n, spread)
        _print(key, figures[key])
        figures["floor"][key] = wave(n, spread, floor=True)
        _print(f"{key} floor", figures["floor"][key])
        if n == 150 and not quick:  # the old app between the new one's two 150 waves
            _quiet()
            figures["old_run_again"] = again = old_wave(n)
            print(f"  wave 150, the old app again: {again}", flush=True)
            _quiet()
            figures["wave_150_second"] = wave(n, spread)
            _print("wave_150_second", figures["wave_150_second"])
    w150 = figures["wave_150"]
    figures["ratio_cpu_150_vs_old"] = round(
        w150["server_cpu_seconds"] / OLD_RUN["server_cpu_seconds"], 3
    )
    figures["ratio_memory_150_vs_old"] = round(
        w150["server_rss_mb_peak"] / OLD_RUN["peak_memory_mb"], 4
    )
    again = figures.get("old_run_again", {})
    if again.get("server_cpu_seconds"):
        new = [figures[k]["server_cpu_seconds"] for k in ("wave_150", "wave_150_second")]
        figures["ratio_cpu_150_vs_old_same_run"] = round(
            sum(new) / len(new) / again["server_cpu_seconds"], 3
        )
        figures["ratio_memory_150_vs_old_same_run"] = round(
            w150["server_rss_mb_peak"] / again["peak_memory_mb"], 4
        )
    return figures
