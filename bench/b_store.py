"""The store under concurrent writers: answers per second and write latency (p50/p99), on a
SQLite file and on a PostgreSQL server, with 1, 10 and 50 writer processes.

Each writer is its own process with its own engine, as each Voila kernel is. Baseline: the
same number of bare INSERTs through the same engine settings (no upsert, no validation),
so the ratio shows what the store's idempotent upsert and bookkeeping cost.
"""

from __future__ import annotations

import multiprocessing as mp
import tempfile
import time
from pathlib import Path

from bench.common import summary

__all__ = ["run"]

PACED_RATE = 4.0  # answers a second per writer in the paced load


def _writer(
    url: str, code: str, count: int, start, finish, results, bare: bool, rate: float
) -> None:
    import random

    from sqlalchemy import text

    from toolkit.store import Store

    store = Store.open(url)
    person, _ = store.join(code, "bench")
    # One unmeasured write first: SQLAlchemy compiles a statement on its first use (tens of
    # milliseconds), which would otherwise stand at the head of the measured queue.
    store.save_answer(person, "warm-up", "item", 0)
    results.put("ready")
    latencies = []
    start.wait()
    interval = 1.0 / rate if rate else 0.0
    origin = time.perf_counter() + random.uniform(0, interval)  # writers out of step
    for i in range(count):
        if interval:  # paced: the i-th answer is due at origin + i * interval
            due = origin + i * interval
            time.sleep(max(0.0, due - time.perf_counter()))
            began = due  # a late start counts as waiting (no coordinated omission)
        else:
            began = time.perf_counter()
        if bare:
            with store._write() as conn, conn.begin():  # the baseline: one plain INSERT
                conn.execute(
                    text("INSERT INTO workshop_meta (key, value) VALUES (:k, 'x')"),
                    {"k": f"b{person.id}-{i}"},
                )
        else:
            store.save_answer(person, "bench", f"item-{i}", {"value": i, "text": "Noëlle"})
        latencies.append(time.perf_counter() - began)
    results.put(latencies)
    # Stay until every writer is done: fifty Python processes exiting at once take seconds
    # of CPU from the two cores, which would show up as the slowest writes of the others.
    finish.wait()
    store.close()


def _round(url: str, writers: int, count: int, bare: bool, rate: float = 0.0) -> dict:
    from toolkit.store import Store

    store = Store.open(url)
    session = store.create_session("bench")
    ctx = mp.get_context("spawn")
    start, finish, results = ctx.Event(), ctx.Event(), ctx.Queue()
    processes = [
        ctx.Process(
            target=_writer,
            args=(url, session.code, count, start, finish, results, bare, rate),
        )
        for _ in range(writers)
    ]
    for p in processes:
        p.start()
    for _ in processes:  # every writer started, joined and warmed up: nothing else runs
        assert results.get(timeout=600) == "ready"
    time.sleep(1.0)
    began = time.perf_counter()
    start.set()
    latencies = []
    for _ in processes:
        latencies += results.get(timeout=600)
    elapsed = time.perf_counter() - began
    finish.set()
    for p in processes:
        p.join(60)
    stored = len(store.answers(session.id, exercise="bench")) if not bare else len(latencies)
    store.close()
    return {
        "writers": writers,
        "answers": len(latencies),
        "stored": stored,
        "answers_per_second": round(len(latencies) / elapsed, 1),
        "latency_ms": {
            k: (round(v * 1000, 2) if isinstance(v, float) else v)
            for k, v in summary(latencies).items()
        },
    }


def _fresh_url(server, backend: str, folder: str, name: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{Path(folder) / name}.db"
    return server.create_database(f"{name}_{time.time_ns()}")


def run(quick: bool) -> dict:
    """Two loads per backend and writer count.

    - ``paced``: each writer submits ``PACED_RATE`` answers a second (50 writers: 200 a
      second, several times what a room of 150 people produces); latency is measured from
      when each answer was due, so a writer that falls behind counts its waiting. This is
      the load the budget (p99 at most 50 ms with 50 writers) is about.
    - ``saturated``: every writer writes as fast as it can. This gives the most answers per
      second; its latency is queueing by Little's law (writers / throughput), not a
      property of the store.
    """
    from tests.support.postgres import PostgresServer

    count = 20 if quick else 100
    figures = {}
    server = PostgresServer().start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for backend in ("sqlite", "postgresql"):
                for writers in (1, 10, 50):
                    for load, rate in (("paced", PACED_RATE), ("saturated", 0.0)):
                        name = f"w{writers}_{load}"
                        store = _round(
                            _fresh_url(server, backend, tmp, name),
                            writers,
                            count,
                            bare=False,
                            rate=rate,
                        )
                        bare = _round(
                            _fresh_url(server, backend, tmp, f"bare_{name}"),
                            writers,
                            count,
                            bare=True,
                            rate=rate,
                        )
                        store["load"] = load
                        store["rate_per_writer"] = rate or None
                        store["baseline_insert_per_second"] = bare["answers_per_second"]
                        store["baseline_p99_ms"] = bare["latency_ms"]["p99"]
                        store["ratio_p99_vs_baseline"] = round(
                            store["latency_ms"]["p99"] / max(bare["latency_ms"]["p99"], 1e-6), 2
                        )
                        figures[f"{backend}_{name}"] = store
                        print(
                            f"  store {backend} {writers:>2} writers {load:>9}: "
                            f"{store['answers_per_second']:>7} answers/s, p50 "
                            f"{store['latency_ms']['p50']} ms, p99 "
                            f"{store['latency_ms']['p99']} ms (bare insert p99 "
                            f"{bare['latency_ms']['p99']} ms), stored {store['stored']}/"
                            f"{store['answers']}",
                            flush=True,
                        )
    finally:
        server.stop()
    return figures
