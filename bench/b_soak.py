"""A soak: 100 simulated participants over 30 minutes, each coming back several times (a new
page, a new kernel; the old kernel is culled once idle and disconnected), while the
participant server's own memory is sampled. Flat means within 10 % of its level after the
first visits. Full mode only (``make bench``); ``WORKSHOP_SOAK_MINUTES`` shortens it.
"""

from __future__ import annotations

import asyncio
import os
import random
import tempfile
import time
from pathlib import Path

import psutil

from bench.client import Participant
from tests.support.servers import VoilaServer

__all__ = ["run"]


async def _participant(base, code, end, rng, outcomes):
    await asyncio.sleep(rng.uniform(0, 60))
    while time.monotonic() < end:
        outcome = await Participant(base, code, answers=4).run(timeout=120)
        outcomes.append(outcome)
        await asyncio.sleep(rng.uniform(60, 240))  # away for a while, then a new visit


async def _soak(base, code, participants, minutes, sample):
    rng = random.Random(3)
    end = time.monotonic() + minutes * 60
    outcomes: list = []
    sampler = asyncio.create_task(sample(end))
    await asyncio.gather(
        *(_participant(base, code, end, rng, outcomes) for _ in range(participants))
    )
    await sampler
    return outcomes


def run(quick: bool) -> dict:
    from toolkit.store import Store

    participants = 100
    minutes = float(os.environ.get("WORKSHOP_SOAK_MINUTES", "30"))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        db = f"sqlite:///{tmp / 'soak.db'}"
        store = Store.open(db)
        session = store.create_session("soak", exercises=["bestuurstafel"])
        with VoilaServer(
            {"/": "participant.ipynb"},
            tmp,
            pools={"participant.ipynb": 12},
            max_kernels=60,
            cull_idle_seconds=60,
            env={"WORKSHOP_DB": db, "WORKSHOP_DATA": str(tmp)},
        ) as server:
            process = psutil.Process(server.process.pid)
            samples: list[tuple[float, float, int]] = []

            async def sample(end):
                while time.monotonic() < end:
                    kernels = len(process.children(recursive=True))
                    samples.append((time.monotonic(), process.memory_info().rss / 2**20, kernels))
                    await asyncio.sleep(10)

            time.sleep(30)
            outcomes = asyncio.run(_soak(server.url, session.code, participants, minutes, sample))
        rows = len(store.answers(session.id))
        store.close()
    settled = [rss for t, rss, _ in samples[len(samples) // 6 :]] or [0]
    start, end = settled[0], settled[-1]
    errors = [o.error for o in outcomes if o.error]
    return {
        "participants": participants,
        "minutes": minutes,
        "visits": len(outcomes),
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:3],
        "lost_answers": max(0, sum(len(o.answers) for o in outcomes) - rows),
        "answer_rows": rows,
        "server_memory_start_mb": round(start),
        "server_memory_end_mb": round(end),
        "server_memory_peak_mb": round(max(settled)),
        "memory_change_pct": round(100 * (end - start) / max(start, 1), 1),
        "max_kernels_seen": max((k for _, _, k in samples), default=0),
    }
