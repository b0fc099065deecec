"""Participant workers: one machine's cores, and a large event behind nginx.

1. **Join wave, 1 against 2 workers** (``python -m toolkit.web --workers N`` on one port,
   as ``workshop serve --workers N`` runs it): N participants arrive at once, each until
   interactive (join page and its files, join, the exercise the room is on, its live
   stream's first event), then all answer 10 times as fast as they are acknowledged.
   Throughput and p95 of both phases, and CPU per join and per answer; 1 and 2 workers
   alternate, and the ratios are of the medians of the rounds in the same run.
2. **A large event**: 3,000 participants arriving evenly over 120 s through nginx (the site
   ``deploy/`` ships) in front of 3 workers (one per port, ``--behind-proxy``, as the
   systemd units run them) on PostgreSQL, each answering 10 times a few seconds apart and
   staying on the page. Time to interactive, acknowledgement, live-update latency (a
   facilitator's room change to every page; a probe's answer to pages on other workers),
   errors, answers acknowledged against stored, memory per worker, CPU of each part.
3. **On paper**: from the measured CPU per answer and per page update and the memory per
   connection, what one 8-core server and a pool of servers would hold.

Participants are lean protocol clients over raw asyncio streams, each from its own
loopback address (as phones have their own), with one keep-alive connection for requests
and one for its live stream; they keep of each event only its time, name and ``n``.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import statistics
import tempfile
import threading
import time
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import psutil

from bench.common import summary

__all__ = ["run", "join_wave", "large_event", "on_paper"]

EXERCISE = "bestuurstafel"
SCALES = ("visie", "deskundigheid", "inhoud-toepassingen", "ict-infrastructuur")
PROBE_EXERCISE = "ibp-bestuurstafel"  # nobody but the probes answers it
_ASSET = re.compile(rb'(?:href|src)="(/static/[^"]+)"')
_N = re.compile(rb'"n":(\d+)\}$')


def source(index: int) -> str:
    """Loopback address of participant ``index``: 127.10.0.1 onwards.

    >>> source(0), source(300)
    ('127.10.0.1', '127.10.1.45')
    """
    index += 1
    return f"127.{10 + index // 65536}.{(index // 256) % 256}.{index % 256}"


# --- a lean participant -------------------------------------------------------------------------
class Lost(ConnectionError):
    """The connection ended before the response did."""


class Link:
    """One keep-alive HTTP/1.1 connection from ``src`` (reopened when the server closed it)."""

    def __init__(self, host: str, port: int, src: str):
        self.host, self.port, self.src = host, port, src
        self.reader = self.writer = None
        self.used = 0.0

    async def open(self) -> None:
        self.close()
        self.reader, self.writer = await asyncio.open_connection(
            self.host, self.port, local_addr=(self.src, 0), limit=2**20
        )

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    def _head(self, method, path, headers, body) -> bytes:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body is not None:
            lines.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")

    async def _status(self) -> tuple[int, dict]:
        try:
            raw = await self.reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as exc:
            raise Lost("closed before the response") from exc
        first, _, rest = raw.decode("latin-1").partition("\r\n")
        headers: dict[str, list[str]] = {}
        for line in rest.split("\r\n"):
            name, sep, value = line.partition(":")
            if sep:
                headers.setdefault(name.strip().lower(), []).append(value.strip())
        return int(first.split(" ", 2)[1]), headers

    async def _chunks(self):
        while True:
            line = await self.reader.readline()
            if not line:
                raise Lost("closed in a chunked body")
            size = int(line.split(b";")[0], 16)
            data = await self.reader.readexactly(size + 2)
            if not size:
                return
            yield data[:-2]

    async def request(self, method, path, headers, body=None) -> tuple[int, dict, bytes]:
        reused = self.writer is not None and time.monotonic() - self.used < 20
        if not reused:
            await self.open()
        try:
            return await self._exchange(method, path, headers, body)
        except (Lost, ConnectionResetError, BrokenPipeError):
            if not reused:
                raise
            await self.open()  # the server had closed the idle connection: once more
            return await self._exchange(method, path, headers, body)

    async def _exchange(self, method, path, headers, body):
        self.writer.write(self._head(method, path, headers, body))
        await self.writer.drain()
        code, head = await self._status()
        if head.get("transfer-encoding", [""])[0].lower() == "chunked":
            content = b"".join([c async for c in self._chunks()])
        else:
            content = await self.reader.readexactly(int(head.get("content-length", ["0"])[0]))
        self.used = time.monotonic()
        if head.get("connection", [""])[0].lower() == "close":
            self.close()
        return code, head, content

    async def stream(self, path, headers, on_data) -> int:
        """GET ``path`` and pass each piece of its chunked body to ``on_data`` until it
        ends; the status, or 599 when the connection was lost."""
        try:
            await self.open()
            self.writer.write(self._head("GET", path, headers, None))
            await self.writer.drain()
            code, _head = await self._status()
            if code != 200:
                return code
            async for data in self._chunks():
                on_data(data)
            return code
        except (OSError, Lost, asyncio.IncompleteReadError, ValueError):
            return 599
        finally:
            self.close()


class Phone:
    """One participant: cookies, a link for requests and one for the live stream.

    ``watch``: keep the arrival time and ``n`` of every ``results`` event (the probes'
    observers); every ``room`` event's countdown is kept for the facilitator's changes.
    """

    assets: list[str] = []  # the join page's files (found once per run)

    def __init__(self, host, port, code, index, *, watch=False):
        self.host, self.port, self.code, self.index = host, port, code, index
        self.src = source(index)
        self.link = Link(host, port, self.src)
        self.cookies: dict[str, str] = {}
        self.watch = watch
        self.first_event = asyncio.Event()
        self.first_at = None
        self.results: list[tuple[float, int]] = []
        self.rooms: list[tuple[float, str]] = []  # (arrival, countdown_ends) per room event
        self.events = 0
        self.stream_task = None
        self.tti = None
        self.acks: list[float] = []
        self.latest: dict[str, int] = {}  # question -> last acknowledged value
        self.pending: dict[str, list[int]] = {}  # question -> values sent since then
        self.errors: list[str] = []

    def _headers(self, extra: dict) -> dict:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {**extra, **({"Cookie": cookie} if cookie else {})}

    def _keep(self, head: dict) -> None:
        for header in head.get("set-cookie", []):
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]

    async def get(self, path: str) -> tuple[int, dict, bytes]:
        code, head, body = await self.link.request(
            "GET", path, self._headers({"Accept": "text/html", "Accept-Encoding": "gzip"})
        )
        self._keep(head)
        return code, head, body

    async def post(self, path: str, fields: dict, json_reply=False):
        body = urlencode({"_xsrf": self.cookies.get("_xsrf", ""), **fields}).encode()
        headers = {
            "Accept": "application/json" if json_reply else "text/html",
            "Accept-Encoding": "gzip",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        code, head, content = await self.link.request("POST", path, self._headers(headers), body)
        self._keep(head)
        return code, head, content

    def _on_data(self, data: bytes) -> None:
        now = time.perf_counter()
        self.buffer = getattr(self, "buffer", b"") + data
        if b"\n\n" not in self.buffer:
            return
        *complete, self.buffer = self.buffer.split(b"\n\n")
        for raw in complete:
            if not raw.startswith(b"event: "):
                continue
            self.events += 1
            if self.first_at is None:
                self.first_at = now
                self.first_event.set()
            if raw.startswith(b"event: room"):
                data_ = json.loads(raw.split(b"\ndata: ", 1)[1])
                self.rooms.append((now, data_.get("countdown_ends") or ""))
            elif self.watch and raw.startswith(b"event: results"):
                found = _N.search(raw)
                if found:
                    self.results.append((now, int(found.group(1))))

    def listen(self, screen: str) -> None:
        live = Link(self.host, self.port, self.src)
        self.live = live
        headers = self._headers({"Accept": "text/event-stream"})
        self.stream_task = asyncio.ensure_future(
            live.stream(f"/s/{self.code}/live?screen={screen}", headers, self._on_data)
        )

    async def arrive(self, screen: str, timeout: float = 120.0) -> float:
        """From the join page to the first live event; the seconds it took."""
        began = time.perf_counter()
        code, _, _ = await self.get(f"/s/{self.code}/")
        if code != 200 or "_xsrf" not in self.cookies:
            raise RuntimeError(f"join page {code}")
        for asset in self.assets:
            code, _, _ = await self.get(asset)
            if code != 200:
                raise RuntimeError(f"{asset} {code}")
        code, head, _ = await self.post(
            f"/s/{self.code}/join", {"pseudonym": f"Deelnemer {self.index}"}
        )
        if code != 303 or "wt" not in self.cookies:
            raise RuntimeError(f"join {code}")
        target = head.get("location", [f"/s/{self.code}/{screen}"])[0]
        code, _, _ = await self.get(target)
        if code != 200:
            raise RuntimeError(f"{target} {code}")
        self.listen(screen)
        waiter = asyncio.ensure_future(self.first_event.wait())
        done, _ = await asyncio.wait(
            {waiter, self.stream_task}, timeout=timeout, return_when="FIRST_COMPLETED"
        )
        if waiter not in done:
            waiter.cancel()
            status = self.stream_task.result() if self.stream_task.done() else "none"
            raise RuntimeError(f"no live event (stream {status})")
        self.tti = self.first_at - began
        return self.tti

    async def answer(self, exercise: str, question: str, value: int) -> float:
        began = time.perf_counter()
        if exercise == EXERCISE:
            self.pending.setdefault(question, []).append(value)
        code, head, body = await self.post(
            f"/s/{self.code}/e/{exercise}/{question}", {"v": str(value)}, json_reply=True
        )
        if head.get("content-encoding", [""])[0] == "gzip":  # only what is read is unpacked
            body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
        if code != 200 or not json.loads(body).get("ok"):
            raise RuntimeError(f"answer {code}")
        took = time.perf_counter() - began
        if exercise == EXERCISE:
            self.latest[question] = value
            self.pending[question] = []
        self.acks.append(took)
        return took

    def close(self) -> None:
        self.link.close()
        if getattr(self, "live", None) is not None:
            self.live.close()
        if self.stream_task is not None:
            self.stream_task.cancel()


def lost_answers(stored: dict, latest: dict, pending: dict) -> int:
    """Acknowledged answers not in the store: the stored value of a question must be the
    last acknowledged one, or one sent after it whose reply never came (it may have been
    stored just before its connection broke).

    >>> stored = {("Deelnemer 0", EXERCISE, "visie"): 4}
    >>> lost_answers(stored, {0: {"visie": 3}}, {0: {"visie": [4]}})
    0
    >>> lost_answers(stored, {0: {"visie": 3}}, {0: {}})
    1
    """
    lost = 0
    for index, questions in latest.items():
        for question, value in questions.items():
            found = stored.get((f"Deelnemer {index}", EXERCISE, question))
            if found != value and found not in pending.get(index, {}).get(question, []):
                lost += 1
    return lost


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:120]


async def find_assets(host: str, port: int, code: str) -> list[str]:
    link = Link(host, port, "127.0.0.1")
    try:
        _, _, body = await link.request("GET", f"/s/{code}/", {"Accept": "text/html"})
    finally:
        link.close()
    return [a.decode().replace("&amp;", "&") for a in _ASSET.findall(body)]


# --- measuring processes --------------------------------------------------------------------
class Watch(threading.Thread):
    """CPU seconds and memory (RSS sampled every ``every`` s, USS on demand) of groups of
    processes; a group given as ``("tree", pid)`` is that process and whatever children it
    has at each reading (PostgreSQL's backends come and go)."""

    def __init__(self, groups: dict, every: float = 1.0):
        super().__init__(daemon=True)
        self.spec = groups
        self.every = every
        self.running = True
        self.peak_rss: dict[int, float] = {}
        self.last_cpu: dict[int, float] = {}  # pid -> CPU seconds when last read
        self.members: dict[str, set[int]] = {name: set() for name in groups}
        self._lock = threading.Lock()

    def _processes(self, name: str) -> list[psutil.Process]:
        spec = self.spec[name]
        try:
            if isinstance(spec, tuple) and spec[0] == "tree":
                root = psutil.Process(spec[1])
                return [root, *root.children(recursive=True)]
            return [psutil.Process(pid) for pid in spec]
        except psutil.NoSuchProcess:
            return []

    def cpu(self) -> dict[str, float]:
        """CPU seconds of each group so far (a process that ended counts as last read)."""
        with self._lock:
            for name in self.spec:
                for p in self._processes(name):
                    try:
                        t = p.cpu_times()
                    except psutil.NoSuchProcess:
                        continue
                    self.last_cpu[p.pid] = t.user + t.system
                    self.members[name].add(p.pid)
            return {
                name: sum(self.last_cpu.get(pid, 0.0) for pid in pids)
                for name, pids in self.members.items()
            }

    def rss(self) -> dict[int, float]:
        out = {}
        for name in self.spec:
            for p in self._processes(name):
                try:
                    out[p.pid] = p.memory_info().rss / 2**20
                except psutil.NoSuchProcess:
                    pass
        return out

    def run(self) -> None:
        while self.running:
            for pid, mb in self.rss().items():
                self.peak_rss[pid] = max(self.peak_rss.get(pid, 0.0), mb)
            self.cpu()
            time.sleep(self.every)

    def uss(self, name: str) -> list[float]:
        out = []
        for p in self._processes(name):
            try:
                out.append(round(p.memory_full_info().uss / 2**20, 1))
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
        return out

    def stop(self) -> None:
        self.running = False
        self.join(5)


def _load() -> list[float]:
    return [round(x, 1) for x in os.getloadavg()]


# --- 1. the join wave, 1 against 2 workers -----------------------------------------------------
def _session(url: str, title: str):
    from toolkit.store import Store

    store = Store.open(url)
    try:
        session = store.create_session(title, exercises=[EXERCISE, PROBE_EXERCISE])
        store.update_room(session.id, current=EXERCISE, follow=True)
        return session
    finally:
        store.close()


def _stored(url: str, session_id: int) -> dict:
    from toolkit.store import Store

    store = Store.open(url)
    try:
        return {(a.pseudonym, a.exercise, a.item): a.value for a in store.answers(session_id)}
    finally:
        store.close()


CLIENTS = 2  # client processes of a wave: the load must not be limited by one of them


async def _wave_part(host, port, code, indices, answers, phase) -> dict:
    """This process's share of a wave: everyone arrives at once (after ``phase()``, a
    barrier of all client processes and the conductor), then, after the next barrier,
    everyone answers ``answers`` times, each answer sent when the previous one is
    acknowledged."""
    Phone.assets = await find_assets(host, port, code)
    phones = [Phone(host, port, code, i) for i in indices]
    errors: list[str] = []

    async def arrive(phone):
        try:
            await phone.arrive(f"e/{EXERCISE}")
        except Exception as exc:
            errors.append(_error(exc))

    async def answer(phone):
        if phone.tti is None:
            return
        for k in range(answers):
            try:
                await phone.answer(EXERCISE, SCALES[k % 4], 1 + (k + phone.index) % 5)
            except Exception as exc:
                errors.append(_error(exc))

    await asyncio.to_thread(phase)
    await asyncio.gather(*(arrive(p) for p in phones))
    await asyncio.to_thread(phase)
    await asyncio.gather(*(answer(p) for p in phones))
    await asyncio.to_thread(phase)
    for phone in phones:
        phone.close()
    return {
        "ttis": [p.tti for p in phones if p.tti is not None],
        "acks": [a for p in phones for a in p.acks],
        "latest": {p.index: p.latest for p in phones},
        "pending": {p.index: p.pending for p in phones},
        "errors": errors,
    }


def _wave_client(host, port, code, indices, answers, barrier, results) -> None:
    """One client process of a wave (run by multiprocessing)."""
    from toolkit.web.limits import raise_open_file_limit

    raise_open_file_limit()
    try:
        out = asyncio.run(_wave_part(host, port, code, indices, answers, barrier.wait))
    except Exception as exc:  # the conductor must not wait for ever
        barrier.abort()
        out = {"ttis": [], "acks": [], "latest": {}, "pending": {}, "errors": [_error(exc)]}
    t = psutil.Process().cpu_times()
    results.put({**out, "cpu": t.user + t.system})


def _wave(host, port, code, n, answers, watch) -> dict:
    """The wave from ``CLIENTS`` processes; the workers' CPU and the time are read at the
    barriers between the phases."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(CLIENTS + 1, timeout=1800)
    results = ctx.Queue()
    shares = [list(range(n))[k::CLIENTS] for k in range(CLIENTS)]
    clients = [
        ctx.Process(target=_wave_client, args=(host, port, code, share, answers, barrier, results))
        for share in shares
    ]
    for client in clients:
        client.start()
    marks = []
    for _ in range(3):
        barrier.wait()
        marks.append((time.perf_counter(), watch.cpu()["workers"]))
    parts = [results.get(timeout=600) for _ in clients]
    for client in clients:
        client.join(30)
    return {
        "ttis": [t for part in parts for t in part["ttis"]],
        "acks": [a for part in parts for a in part["acks"]],
        "latest": {i: v for part in parts for i, v in part["latest"].items()},
        "pending": {i: v for part in parts for i, v in part["pending"].items()},
        "errors": [e for part in parts for e in part["errors"]],
        "join_seconds": marks[1][0] - marks[0][0],
        "answer_seconds": marks[2][0] - marks[1][0],
        "join_cpu": marks[1][1] - marks[0][1],
        "answer_cpu": marks[2][1] - marks[1][1],
        "client_cpu": sum(part["cpu"] for part in parts),
    }


def join_wave(workers: int, n: int, url: str, tmp: Path, answers: int = 10) -> dict:
    """One wave of ``n`` participants at ``--workers workers`` on the store ``url``."""
    from tests.support.workers import WebWorker, WorkerGroup

    session = _session(url, f"Golf {workers}")
    group = (
        WorkerGroup(tmp, url, workers, session=session.code)
        if workers > 1
        else WebWorker(tmp, url, session=session.code)
    )
    with group:
        pids = group.wait_workers() if workers > 1 else [group.pid]
        watch = Watch({"workers": pids})
        watch.start()
        result = _wave(group.host, group.port, session.code, n, answers, watch)
        watch.stop()
        peak = [round(watch.peak_rss.get(p, 0), 1) for p in pids]
        log = group.text()
    ttis, acks = result["ttis"], result["acks"]
    stored = _stored(url, session.id)
    lost = lost_answers(stored, result["latest"], result["pending"])
    return {
        "workers": workers,
        "participants": n,
        "client_processes": CLIENTS,
        "interactive": len(ttis),
        "joins_per_second": round(len(ttis) / result["join_seconds"], 1),
        "tti_s": summary(ttis),
        "answers_acknowledged": len(acks),
        "answers_per_second": round(len(acks) / result["answer_seconds"], 1),
        "ack_s": summary(acks),
        "errors": len(result["errors"]),
        "error_examples": sorted(set(result["errors"]))[:3],
        "lost": lost,
        "cpu_ms_per_join": round(1000 * result["join_cpu"] / max(len(ttis), 1), 2),
        "cpu_ms_per_answer": round(1000 * result["answer_cpu"] / max(len(acks), 1), 2),
        "client_cpu_seconds": round(result["client_cpu"], 1),
        "peak_rss_mb_per_worker": peak,
        "load_average": _load(),
        "log_errors": [ln[:160] for ln in log.splitlines() if "Traceback" in ln][:3],
    }


def wave_comparison(n: int, rounds: int, url_for) -> dict:
    """``rounds`` waves each at 1 and 2 workers, alternating (1, 2, 1, 2, ...) so that the
    machine's other load falls on both alike; medians and their ratios."""
    runs = {1: [], 2: []}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(rounds):
            for workers in (1, 2):
                result = join_wave(workers, n, url_for(f"wave{r}_{workers}", tmp), Path(tmp))
                runs[workers].append(result)
                print(
                    f"    {workers} worker(s): {result['joins_per_second']} joins/s, TTI p95 "
                    f"{result['tti_s'].get('p95')} s; {result['answers_per_second']} "
                    f"answers/s, ack p95 {result['ack_s'].get('p95')} s; errors "
                    f"{result['errors']}, lost {result['lost']}; load {result['load_average']}",
                    flush=True,
                )

    def median(workers, key, sub=None):
        values = [r[key][sub] if sub else r[key] for r in runs[workers]]
        values = [v for v in values if v is not None]
        return round(statistics.median(values), 3) if values else None

    out = {"rounds": runs}
    for workers in (1, 2):
        out[f"median_{workers}"] = {
            "joins_per_second": median(workers, "joins_per_second"),
            "tti_p95_s": median(workers, "tti_s", "p95"),
            "answers_per_second": median(workers, "answers_per_second"),
            "ack_p95_s": median(workers, "ack_s", "p95"),
            "cpu_ms_per_join": median(workers, "cpu_ms_per_join"),
            "cpu_ms_per_answer": median(workers, "cpu_ms_per_answer"),
        }
    one, two = out["median_1"], out["median_2"]
    out["ratio_join_throughput"] = round(two["joins_per_second"] / one["joins_per_second"], 2)
    out["ratio_tti_p95"] = round(two["tti_p95_s"] / one["tti_p95_s"], 2)
    out["ratio_answer_throughput"] = round(two["answers_per_second"] / one["answers_per_second"], 2)
    out["ratio_ack_p95"] = round(two["ack_p95_s"] / one["ack_p95_s"], 2)
    # What two free cores would give: the same work at the CPU cost each worker paid.
    out["ratio_join_by_cpu_cost"] = round(2 * one["cpu_ms_per_join"] / two["cpu_ms_per_join"], 2)
    return out


# --- 2. a large event: nginx + 3 workers + PostgreSQL ------------------------------------------
class LoopLag:
    """How late the benchmark's own event loop runs (a starved client delays what it
    measures): the largest and the 95th percentile lateness of a 0.1-s tick."""

    def __init__(self):
        self.lags: list[float] = []
        self.task = None

    async def _tick(self):
        while True:
            due = time.perf_counter() + 0.1
            await asyncio.sleep(0.1)
            self.lags.append(max(0.0, time.perf_counter() - due))

    def start(self):
        self.task = asyncio.ensure_future(self._tick())

    def stop(self) -> dict:
        self.task.cancel()
        return summary(self.lags)


def _postmaster(server) -> int:
    """The PostgreSQL cluster's main process (its backends are its children)."""
    return int((server.data / "postmaster.pid").read_text().split()[0])


async def _event(url, session, n, spread, answers, workers, nginx, watch, think) -> dict:
    from toolkit.store import Store

    host, port = nginx.host, nginx.port
    Phone.assets = await find_assets(host, port, session.code)
    lag = LoopLag()
    lag.start()
    phones = [Phone(host, port, session.code, i) for i in range(n)]
    errors: list[str] = []
    # Observers: pages on the probe exercise held directly on each worker (20 each), so
    # that a probe's answer through one worker is seen on pages held by the others.
    observers = [
        Phone(w.host, w.port, session.code, n + 10 + j * 20 + i, watch=True)
        for j, w in enumerate(workers)
        for i in range(20)
    ]
    for k, phone in enumerate(observers):
        phone.worker = k // 20
        await phone.arrive(f"e/{PROBE_EXERCISE}")
    probes = [Phone(w.host, w.port, session.code, n + 200 + j) for j, w in enumerate(workers)]
    for j, probe in enumerate(probes):
        probe.worker = j
        await probe.arrive(f"e/{PROBE_EXERCISE}")
    store = Store.open(url)
    began = time.perf_counter()
    room_changes: dict[str, float] = {}
    probe_acks: list[tuple[int, int, float]] = []  # (n it makes, worker, ack time)
    done = asyncio.Event()

    async def visit(phone):
        await asyncio.sleep(spread * phone.index / n)
        try:
            await phone.arrive(f"e/{EXERCISE}")
        except Exception as exc:
            errors.append("arrive: " + _error(exc))
            return
        rng = random.Random(phone.index)
        for k in range(answers):
            await asyncio.sleep(rng.uniform(*think))
            try:
                await phone.answer(EXERCISE, SCALES[k % 4], 1 + (k + phone.index) % 5)
            except Exception as exc:
                errors.append("answer: " + _error(exc))

    async def facilitator():
        """A room change every 15 s (a new countdown), as the dashboard writes it."""
        while not done.is_set():
            await asyncio.sleep(15)
            ends = datetime.now(UTC) + timedelta(minutes=5, seconds=len(room_changes))
            room_changes[ends.isoformat()] = time.perf_counter()  # as the write begins
            await asyncio.to_thread(store.update_room, session.id, countdown_ends=ends)

    async def prober():
        """Every 2 s a new participant answers the probe exercise through one worker
        (taking turns), raising its ``n`` by one."""
        count = 0
        while not done.is_set():
            await asyncio.sleep(2)
            j = count % len(workers)
            phone = Phone(workers[j].host, workers[j].port, session.code, n + 300 + count)
            try:
                await phone.arrive(f"e/{PROBE_EXERCISE}")
                await phone.answer(PROBE_EXERCISE, "go-01-strategie", 3)
                count += 1
                probe_acks.append((count, j, time.perf_counter()))
            except Exception as exc:
                errors.append("probe: " + _error(exc))
            phone.close()

    cpu0 = watch.cpu()
    side = [asyncio.ensure_future(facilitator()), asyncio.ensure_future(prober())]
    await asyncio.gather(*(visit(p) for p in phones))
    finished = time.perf_counter()
    cpu1 = watch.cpu()
    done.set()
    await asyncio.gather(*side, return_exceptions=True)
    await asyncio.sleep(1.0)  # the last updates arrive
    # Steady state with every page open: 10 s quiet, then 10 s of one change every 0.2 s.
    quiet0 = watch.cpu()
    await asyncio.sleep(10)
    quiet1 = watch.cpu()
    pusher = probes[0]
    pushes = 0
    push_end = time.perf_counter() + 10
    while time.perf_counter() < push_end:
        await pusher.answer(EXERCISE, SCALES[pushes % 4], 1 + pushes % 5)
        pushes += 1
        await asyncio.sleep(0.2)
    push1 = watch.cpu()
    pages = {
        w.port: len(
            [
                c
                for c in psutil.Process(w.pid).net_connections(kind="tcp")
                if c.status == psutil.CONN_ESTABLISHED and c.laddr.port == w.port
            ]
        )
        for w in workers
    }
    uss = watch.uss("workers")
    loop_lag = lag.stop()
    store.close()
    for phone in phones + observers + probes:
        phone.close()
    return {
        "phones": phones,
        "observers": observers,
        "errors": errors,
        "seconds": finished - began,
        "room_changes": room_changes,
        "probe_acks": probe_acks,
        "cpu_run": {k: cpu1[k] - cpu0[k] for k in cpu0},
        "cpu_quiet_per_s": {k: (quiet1[k] - quiet0[k]) / 10 for k in cpu0},
        "cpu_push_per_s": {
            k: (push1[k] - quiet1[k]) / (time.perf_counter() - push_end + 10) for k in cpu0
        },
        "pushes": pushes,
        "pages_per_worker": pages,
        "uss_mb": uss,
        "loop_lag_s": loop_lag,
    }


def large_event(n: int = 3000, spread: float = 120.0, answers: int = 10, think=(2.0, 8.0)):
    """``n`` participants over ``spread`` seconds through nginx + 3 workers + PostgreSQL."""
    from tests.support.nginx import Nginx
    from tests.support.postgres import PostgresServer
    from tests.support.workers import WebWorker
    from toolkit.web.limits import raise_open_file_limit

    raise_open_file_limit()
    pg = PostgresServer().start()
    try:
        url = pg.create_database("event")
        session = _session(url, "Groot evenement")
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            workers = [
                WebWorker(tmp, url, session=session.code, behind_proxy=True) for _ in range(3)
            ]
            for worker in workers:
                worker.start()
            try:
                for worker in workers:
                    worker.wait()
                nginx = Nginx(
                    tmp / "nginx", [(w.host, w.port) for w in workers], connections=4 * n + 1000
                )
                with nginx:
                    watch = Watch(
                        {
                            "workers": [w.pid for w in workers],
                            "nginx": ("tree", nginx.process.pid),
                            "postgres": ("tree", _postmaster(pg)),
                            "client": [os.getpid()],
                        }
                    )
                    base_rss = watch.rss()
                    watch.start()
                    result = asyncio.run(
                        _event(url, session, n, spread, answers, workers, nginx, watch, think)
                    )
                    watch.stop()
                    nginx_errors = nginx.errors()
                logs = [w.text() for w in workers]
            finally:
                for worker in workers:
                    worker.stop()
        stored = _stored(url, session.id)
    finally:
        pg.stop()
    return _event_figures(
        result, stored, base_rss, watch, workers, n, spread, answers, logs, nginx_errors
    )


def _event_figures(
    result, stored, base_rss, watch, workers, n, spread, answers, logs, nginx_errors
) -> dict:
    phones = result["phones"]
    ttis = [p.tti for p in phones if p.tti is not None]
    acks = [a for p in phones for a in p.acks]
    lost = lost_answers(
        stored, {p.index: p.latest for p in phones}, {p.index: p.pending for p in phones}
    )
    # A room change counts for the pages that were open when it was written; it has
    # arrived with the first room event showing it or a later change (a page that fell
    # behind gets one fresh snapshot instead of every change it missed).
    room, room_missed = [], 0
    for key, at in result["room_changes"].items():
        written = datetime.fromisoformat(key)
        for p in phones:
            if p.first_at is None or p.first_at >= at:
                continue
            seen = next(
                (t for t, ends in p.rooms if ends and datetime.fromisoformat(ends) >= written),
                None,
            )
            if seen is None:
                room_missed += 1
            else:
                room.append(max(0.0, seen - at))
    cross, same = [], []
    for count, worker, at in result["probe_acks"]:
        for obs in result["observers"]:
            seen = next((t for t, k in obs.results if k >= count and t >= at - 5), None)
            if seen is not None:
                (same if obs.worker == worker else cross).append(max(0.0, seen - at))
    peak = {w.port: round(watch.peak_rss.get(w.pid, 0), 1) for w in workers}
    start = {w.port: round(base_rss.get(w.pid, 0), 1) for w in workers}
    per_conn_kb = [
        round(1024 * (peak[w.port] - start[w.port]) / max(result["pages_per_worker"][w.port], 1), 1)
        for w in workers
    ]
    pages = sum(result["pages_per_worker"].values())
    push = result["cpu_push_per_s"]["workers"] - result["cpu_quiet_per_s"]["workers"]
    return {
        "participants": n,
        "arrival_seconds": spread,
        "answers_each": answers,
        "run_seconds": round(result["seconds"], 1),
        "interactive": len(ttis),
        "tti_s": summary(ttis),
        "answers_acknowledged": len(acks),
        "answer_rows_stored": sum(1 for k in stored if k[1] == EXERCISE),
        "answers_lost": lost,
        "ack_s": summary(acks),
        "room_update_s": summary(room),
        "room_updates_missed": room_missed,
        "probe_to_other_worker_s": summary(cross),
        "probe_to_same_worker_s": summary(same),
        "errors": len(result["errors"]),
        "error_examples": sorted(set(result["errors"]))[:5],
        "pages_per_worker_at_end": list(result["pages_per_worker"].values()),
        "rss_mb_per_worker_start": list(start.values()),
        "rss_mb_per_worker_peak": list(peak.values()),
        "uss_mb_per_worker_end": result["uss_mb"],
        "kb_per_connection": per_conn_kb,
        "cpu_seconds": {k: round(v, 1) for k, v in result["cpu_run"].items()},
        "cpu_ms_per_participant": {
            k: round(1000 * v / max(len(ttis), 1), 1) for k, v in result["cpu_run"].items()
        },
        "workers_cpu_ms_per_answer_all_in": round(
            1000 * result["cpu_run"]["workers"] / max(len(acks), 1), 2
        ),
        "idle_cpu_per_s_with_all_pages": {
            k: round(v, 3) for k, v in result["cpu_quiet_per_s"].items()
        },
        "push_cpu_per_s": {k: round(v, 3) for k, v in result["cpu_push_per_s"].items()},
        "workers_cpu_us_per_page_update": round(1e6 * push / max(pages * 4, 1), 1),
        "loop_lag_s": result["loop_lag_s"],
        "load_average": _load(),
        "log_errors": [ln[:160] for t in logs for ln in t.splitlines() if "Traceback" in ln][:3],
        "nginx_errors": [ln[:200] for ln in nginx_errors.splitlines() if "[error]" in ln][:3],
    }


# --- 3. on paper -----------------------------------------------------------------------------
def on_paper(wave: dict, event: dict, *, cores: int = 8, ram_gb: float = 16.0) -> dict:
    """What one server of ``cores`` cores and ``ram_gb`` GB, and a pool of them on one
    PostgreSQL, would hold, from the measured costs (70 % of the cores and half the memory
    used, the rest kept for the system, nginx's share and bursts).

    Two rushes bound a room: everyone arriving within 60 s (CPU per join), and everyone on
    the page answering once every 5 s while each page gets 4 live updates a second (CPU per
    answer and per page update). Memory: the workers' base plus a connection per page.

    >>> wave = {"median_1": {"cpu_ms_per_join": 20.0, "cpu_ms_per_answer": 5.0}}
    >>> event = {"workers_cpu_us_per_page_update": 50.0, "kb_per_connection": [40.0],
    ...          "rss_mb_per_worker_start": [80.0], "cpu_ms_per_participant":
    ...          {"nginx": 10.0, "postgres": 30.0, "workers": 100.0}, "answers_each": 10}
    >>> paper = on_paper(wave, event, cores=8, ram_gb=16)
    >>> paper["one_server"]["participants"], paper["one_server"]["limited_by"]
    (4666, 'answers and live updates')
    """
    usable = 0.7 * cores
    join_ms = wave["median_1"]["cpu_ms_per_join"]
    answer_ms = wave["median_1"]["cpu_ms_per_answer"]
    update_ms = event["workers_cpu_us_per_page_update"] / 1000
    kb = max(event["kb_per_connection"])
    base_mb = max(event["rss_mb_per_worker_start"])
    # CPU per participant per second in the answer rush: an answer per 5 s, 4 updates/s.
    rush_ms = answer_ms / 5 + 4 * update_ms
    by_answers = int(1000 * usable / rush_ms)
    by_joins = int(60 * 1000 * usable / join_ms)
    by_memory = int((ram_gb * 1024 / 2 - cores * base_mb) * 1024 / kb)
    limits = {
        "answers and live updates": by_answers,
        "a join wave of 60 s": by_joins,
        "memory": by_memory,
    }
    limited_by = min(limits, key=limits.get)
    # The pool: PostgreSQL's CPU per participant over the event's 10 answers, on an
    # 8-core database server answering the same rush.
    pg_ms = event["cpu_ms_per_participant"]["postgres"] / (1 + event["answers_each"])
    nginx_ms = event["cpu_ms_per_participant"]["nginx"] / (1 + event["answers_each"])
    pool_by_db = int(1000 * 0.7 * 8 * 5 / max(pg_ms, 0.001))
    pool_by_nginx = int(1000 * 0.7 * 8 * 5 / max(nginx_ms, 0.001))
    return {
        "assumptions": {
            "cores": cores,
            "ram_gb": ram_gb,
            "cpu_ms_per_join": join_ms,
            "cpu_ms_per_answer": answer_ms,
            "cpu_ms_per_page_update": round(update_ms, 4),
            "kb_per_connection": kb,
            "worker_base_mb": base_mb,
            "postgres_cpu_ms_per_request": round(pg_ms, 3),
            "nginx_cpu_ms_per_request": round(nginx_ms, 3),
        },
        "one_server": {
            "by_answers_and_updates": by_answers,
            "by_join_wave": by_joins,
            "by_memory": by_memory,
            "participants": limits[limited_by],
            "limited_by": limited_by,
        },
        "pool": {
            "servers_for_10000": -(-10000 // max(limits[limited_by], 1)),
            "participants_one_database_server_holds": pool_by_db,
            "participants_one_nginx_server_holds": pool_by_nginx,
        },
    }


def waves(quick: bool) -> dict:
    """The join wave at 1 against 2 workers, on SQLite (and, full, on PostgreSQL)."""
    from tests.support.postgres import PostgresServer

    figures = {}
    n, rounds = (100, 1) if quick else (300, 3)
    print(f"  join wave, 1 against 2 workers, SQLite ({n} participants, {rounds} rounds)")
    figures["wave_sqlite"] = wave_comparison(
        n, rounds, lambda name, tmp: f"sqlite:///{tmp}/{name}.db"
    )
    if not quick:
        pg = PostgresServer().start()
        try:
            print(f"  join wave, 1 against 2 workers, PostgreSQL ({n}, {rounds} rounds)")
            figures["wave_postgres"] = wave_comparison(
                n, rounds, lambda name, tmp: pg.create_database(name)
            )
        finally:
            pg.stop()
    return figures


# The events: (participants, arrival seconds, seconds between one's answers). The full run
# has the 3,000 and a third of it, which this 2-core machine carries.
EVENTS_QUICK = ((300, 30.0, (1.0, 3.0)),)
EVENTS_FULL = ((1000, 120.0, (2.0, 8.0)), (3000, 120.0, (2.0, 8.0)))


def events(quick: bool) -> dict:
    figures = {}
    for n, spread, think in EVENTS_QUICK if quick else EVENTS_FULL:
        print(f"  large event: {n} participants over {spread:.0f} s through nginx")
        event = large_event(n, spread, 10, think)
        figures[f"event_{n}"] = event
        print(
            f"    TTI p50/p95 {event['tti_s'].get('p50')}/{event['tti_s'].get('p95')} s, ack "
            f"p95 {event['ack_s'].get('p95')} s, room update p95 "
            f"{event['room_update_s'].get('p95')} s, probe to another worker p95 "
            f"{event['probe_to_other_worker_s'].get('p95')} s; errors {event['errors']}, "
            f"{event['answers_acknowledged']} acknowledged, {event['answers_lost']} lost; "
            f"load {event['load_average']}",
            flush=True,
        )
    return figures


def run(quick: bool) -> dict:
    from toolkit.web.limits import raise_open_file_limit

    raise_open_file_limit()
    figures = {**waves(quick), **events(quick)}
    _paper(figures)
    return figures


def _paper(figures: dict) -> None:
    largest = max((k for k in figures if k.startswith("event_")), key=lambda k: int(k[6:]))
    figures["on_paper"] = on_paper(figures["wave_sqlite"], figures[largest])


def main(argv=None) -> int:
    """``python -m bench.b_workers waves|events [--quick]``: one part of the benchmark again,
    its figures merged into bench/results/workers.json (the rest kept)."""
    import argparse

    from bench.common import RESULTS, save
    from toolkit.web.limits import raise_open_file_limit

    parser = argparse.ArgumentParser(prog="python -m bench.b_workers")
    parser.add_argument("part", choices=["waves", "events"])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    raise_open_file_limit()
    path = RESULTS / "workers.json"
    figures = json.loads(path.read_text())["figures"] if path.exists() else {}
    figures.pop("event", None)  # the single event of earlier runs
    figures.update(waves(args.quick) if args.part == "waves" else events(args.quick))
    _paper(figures)
    mode = "quick" if args.quick else "full"
    command = f"python -m bench.b_workers {args.part}{' --quick' if args.quick else ''}"
    save("workers", command + " (merged into the figures of the run before)", figures, mode)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
