"""A wave of participants: N arrivals spread evenly over 30 seconds at the participant server
(set up as ``workshop serve --expected N`` sets it up), each answering 10 times.

Participants are light protocol clients (``bench/client.py``: HTTP + the kernel websocket,
waiting for the widgets' comm messages), not browsers: 150 Chromium tabs would measure the
benchmark machine, not the server. Reported: time to interactive (p50/p95/max), errors,
answers acknowledged vs stored, server CPU seconds and peak memory (server + kernels).
Baseline: the same wave against a server without a preheated pool (kernels started on
demand, as plain Voila does).
"""

from __future__ import annotations

import asyncio
import re
import tempfile
import threading
import time
from pathlib import Path

import psutil

from bench.client import Participant
from bench.common import summary
from tests.support.servers import VoilaServer

__all__ = ["run", "wave"]

SPREAD_SECONDS = 30.0


class Sampler(threading.Thread):
    """Peak memory (RSS of the server and all its kernels) and CPU seconds used."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.peak_mb = 0.0
        self.running = True
        self.cpu_start = self._cpu()
        self.server_cpu_start = self._server_cpu()
        self.kernels_seen: set[int] = set()

    def _processes(self):
        try:
            return [self.root, *self.root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def _cpu(self) -> float:
        total = 0.0
        for p in self._processes():
            try:
                t = p.cpu_times()
                total += t.user + t.system + t.children_user + t.children_system
            except psutil.NoSuchProcess:
                pass
        return total

    def _server_cpu(self) -> float:
        try:
            t = self.root.cpu_times()
            return t.user + t.system
        except psutil.NoSuchProcess:
            return 0.0

    def run(self):
        while self.running:
            rss = 0
            processes = self._processes()
            self.kernels_seen.update(p.pid for p in processes[1:])
            for p in processes:
                try:
                    rss += p.memory_info().rss
                except psutil.NoSuchProcess:
                    pass
            self.peak_mb = max(self.peak_mb, rss / 2**20)
            time.sleep(0.5)

    def stop(self) -> dict:
        self.running = False
        self.join(5)
        return {
            "server_cpu_seconds": round(self._cpu() - self.cpu_start, 1),
            "server_process_cpu_seconds": round(self._server_cpu() - self.server_cpu_start, 1),
            "kernel_processes_seen": len(self.kernels_seen),
            "peak_memory_mb": round(self.peak_mb),
        }


async def _arrivals(base: str, code: str, n: int, answers: int) -> list:
    async def one(index: int):
        await asyncio.sleep(SPREAD_SECONDS * index / max(n, 1))
        return await Participant(base, code, answers).run(timeout=180)

    return await asyncio.gather(*(one(i) for i in range(n)))


def _wait_pool(log: Path, size: int, pid: int, timeout: float = 1800) -> float:
    """Wait until the pool is filled and every pooled kernel has run its set-up (the
    server and its kernels are quiet), as before a workshop starts."""
    began = time.monotonic()
    pattern = re.compile(r"filled with (\d+) kernel")
    while time.monotonic() - began < timeout:
        if log.exists() and any(int(m) >= size for m in pattern.findall(log.read_text())):
            break
        time.sleep(1)
    else:
        raise TimeoutError(f"the pool of {size} kernels did not fill in {timeout} s")
    sampler = Sampler(pid)
    previous = sampler._cpu()
    while time.monotonic() - began < timeout:
        time.sleep(2)
        now = sampler._cpu()
        if now - previous < 0.2:
            return time.monotonic() - began
        previous = now
    raise TimeoutError("the pooled kernels did not settle")


def wave(n: int, *, preheat: bool, answers: int = 10) -> dict:
    from toolkit.server.plan import kernel_cap, pool_size
    from toolkit.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        db = f"sqlite:///{tmp / 'wave.db'}"
        store = Store.open(db)
        session = store.create_session("wave", exercises=["bestuurstafel"])
        pools = {"participant.ipynb": pool_size(n)} if preheat else {}
        with VoilaServer(
            {"/": "participant.ipynb"},
            tmp,
            pools=pools,
            max_kernels=kernel_cap(n) if preheat else 0,
            env={"WORKSHOP_DB": db, "WORKSHOP_DATA": str(tmp)},
        ) as server:
            warm = _wait_pool(server.log, pool_size(n), server.process.pid) if preheat else 0.0
            sampler = Sampler(server.process.pid)
            sampler.start()
            began = time.monotonic()
            outcomes = asyncio.run(_arrivals(server.url, session.code, n, answers))
            took = time.monotonic() - began
            usage = sampler.stop()
            server_log = server.log.read_text(errors="replace")
        stored = store.answers(session.id)
        per_person: dict[int, list] = {}
        for answer in stored:
            per_person.setdefault(answer.participant_id, []).append(answer.value)
        expected = sorted(tuple(sorted(o.answers.values())) for o in outcomes if not o.error)
        found = sorted(tuple(sorted(v)) for v in per_person.values())
        lost = sum(1 for e in expected if e not in found)
        store.close()
    ttis = [o.tti for o in outcomes if o.tti is not None]
    log_errors = [
        line[:200]
        for line in server_log.splitlines()
        if "Error" in line or "Traceback" in line or " 500 " in line
    ][:5]
    errors = [o.error for o in outcomes if o.error]
    return {
        "participants": n,
        "preheated_pool": pool_size(n) if preheat else 0,
        "pool_warm_up_seconds": round(warm, 1),
        "wave_seconds": round(took, 1),
        "interactive": len(ttis),
        "tti_s": summary(ttis),
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:3],
        "answers_sent": sum(o.sent for o in outcomes),
        "answers_acknowledged": sum(o.acknowledged for o in outcomes),
        "answer_rows_stored": len(stored),
        "participants_with_lost_answers": lost,
        **usage,
        "server_log_errors": log_errors,
    }


def run(quick: bool) -> dict:
    sizes = (20,) if quick else (20, 50, 150)
    figures = {}
    for n in sizes:
        for preheat in (True, False) if n <= 50 else (True,):
            key = f"{'preheated' if preheat else 'no_pool'}_{n}"
            figures[key] = result = wave(n, preheat=preheat)
            print(
                f"  wave {key}: interactive {result['interactive']}/{n}, tti "
                f"{result['tti_s']}, errors {result['errors']}, answers "
                f"{result['answers_acknowledged']}/{result['answers_sent']}, cpu "
                f"{result['server_cpu_seconds']} s, peak {result['peak_memory_mb']} MB",
                flush=True,
            )
    return figures
