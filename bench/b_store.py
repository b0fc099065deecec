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


def _writer(url: str, code: str, count: int, start, results, bare: bool) -> None:
    from sqlalchemy import text

    from toolkit.store import Store

    store = Store.open(url)
    person, _ = store.join(code, "bench")
    latencies = []
    start.wait()
    for i in range(count):
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
    store.close()
    results.put(latencies)


def _round(url: str, writers: int, count: int, bare: bool) -> dict:
    from toolkit.store import Store

    store = Store.open(url)
    session = store.create_session("bench")
    ctx = mp.get_context("spawn")
    start, results = ctx.Event(), ctx.Queue()
    processes = [
        ctx.Process(target=_writer, args=(url, session.code, count, start, results, bare))
        for _ in range(writers)
    ]
    for p in processes:
        p.start()
    time.sleep(2.0 + writers * 0.05)  # let every writer connect and join
    began = time.perf_counter()
    start.set()
    latencies = []
    for _ in processes:
        latencies += results.get(timeout=600)
    elapsed = time.perf_counter() - began
    for p in processes:
        p.join(60)
    stored = len(store.answers(session.id)) if not bare else len(latencies)
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


def run(quick: bool) -> dict:
    from tests.support.postgres import PostgresServer

    count = 20 if quick else 100
    figures = {}
    server = PostgresServer().start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for backend in ("sqlite", "postgresql"):
                for writers in (1, 10, 50):
                    name = f"w{writers}"
                    if backend == "sqlite":
                        url = f"sqlite:///{Path(tmp) / name}.db"
                    else:
                        url = server.create_database(f"bench_{name}_{int(time.time())}")
                    store = _round(url, writers, count, bare=False)
                    baseline_url = (
                        url.replace(".db", "-bare.db")
                        if backend == "sqlite"
                        else server.create_database(f"bare_{name}_{int(time.time())}")
                    )
                    bare = _round(baseline_url, writers, count, bare=True)
                    store["baseline_insert_per_second"] = bare["answers_per_second"]
                    store["baseline_p99_ms"] = bare["latency_ms"]["p99"]
                    store["ratio_p99_vs_baseline"] = round(
                        store["latency_ms"]["p99"] / max(bare["latency_ms"]["p99"], 1e-6), 2
                    )
                    figures[f"{backend}_{name}"] = store
                    print(
                        f"  store {backend} {writers:>2} writers: "
                        f"{store['answers_per_second']:>7} answers/s, p99 "
                        f"{store['latency_ms']['p99']} ms (bare insert p99 "
                        f"{bare['latency_ms']['p99']} ms), stored {store['stored']}/"
                        f"{store['answers']}",
                        flush=True,
                    )
    finally:
        server.stop()
    return figures
