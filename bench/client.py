"""A light participant for waves of many: the participant pages' HTTP and live protocol
(``toolkit.web.client`` documents it), over raw asyncio streams, without a browser.

One participant holds one keep-alive HTTP/1.1 connection for its requests and one for its
live stream, both from its own loopback address (``127.x.y.z``, as every phone in a room
has its own address, so the server's per-client caps apply as they would there). No thread
per connection: a thousand participants are a few thousand sockets on one event loop.

A visit, as a browser with the page's script makes it:

1. ``GET /s/CODE/`` (the join page), then its stylesheets and script (``/static/...``,
   fetched once per participant, as a first visit does);
2. ``POST /s/CODE/join`` (``_xsrf`` and ``pseudonym``) -> 303 and the ``wt`` cookie;
3. ``GET`` the redirect's target (the exercise the facilitator has the room on);
4. ``GET /s/CODE/live?screen=e/EXERCISE`` (``text/event-stream``), until its first event:
   time to interactive is from step 1 to here;
5. each answer: ``POST /s/CODE/e/EXERCISE/QUESTION`` with the form's fields, ``_xsrf`` and
   ``Accept: application/json``; acknowledged by ``{"ok": true, ...}``.

Requests ask for gzip as a browser does. Only what the benchmarks need of each event is
kept (its arrival time, name and the ``n`` of a ``results`` event), never its HTML.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from tornado.httputil import HTTPHeaders

from toolkit.web.client import _XSRF
from toolkit.web.client import Participant as ProtocolParticipant

__all__ = ["Connection", "Response", "Participant", "EventParser", "source_address"]

_ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')
_N = re.compile(rb'"n":(\d+)\}\s*$')


def source_address(index: int) -> str:
    """A loopback address of its own for participant ``index`` (127.1.0.1 onwards).

    >>> source_address(0), source_address(254), source_address(70000)
    ('127.1.0.1', '127.1.0.255', '127.2.17.113')
    """
    index += 1
    return f"127.{1 + index // 65536}.{(index // 256) % 256}.{index % 256}"


@dataclass
class Response:
    code: int
    headers: HTTPHeaders
    body: bytes = b""
    wire_bytes: int = 0  # head and body as they came over the connection


class Closed(ConnectionError):
    """The connection ended before a whole response arrived."""


class Connection:
    """One keep-alive HTTP/1.1 connection to ``host:port`` from ``source``.

    A connection idle for longer than ``idle_seconds`` (the server closes idle ones after
    30 s) is replaced before the next request; a request that finds a reused connection
    closed is sent once more on a new one, as browsers do.
    """

    def __init__(self, host: str, port: int, source: str | None = None, idle_seconds=25.0):
        self.host, self.port, self.source = host, port, source
        self.idle_seconds = idle_seconds
        self.reader = self.writer = None
        self.last_used = 0.0
        self.opened = 0  # connections made (a figure: reconnects)

    async def connect(self) -> None:
        self.close()
        local = (self.source, 0) if self.source else None
        self.reader, self.writer = await asyncio.open_connection(
            self.host, self.port, local_addr=local, limit=2**20
        )
        self.opened += 1
        self.last_used = time.monotonic()

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    def _fresh(self) -> bool:
        return (
            self.writer is not None
            and not self.reader.at_eof()
            and time.monotonic() - self.last_used < self.idle_seconds
        )

    def _head(self, method: str, path: str, headers: dict, body: bytes | None) -> bytes:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body is not None:
            lines.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")

    async def _read_head(self) -> tuple[int, HTTPHeaders, int]:
        try:
            raw = await self.reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as exc:
            raise Closed("connection closed before the response") from exc
        status_line, _, rest = raw.decode("latin-1").partition("\r\n")
        return int(status_line.split(" ", 2)[1]), HTTPHeaders.parse(rest), len(raw)

    async def request(
        self, method: str, path: str, headers: dict, body: bytes | None = None, timeout=60.0
    ) -> Response:
        reused = self._fresh()
        if not reused:
            await self.connect()
        try:
            return await asyncio.wait_for(self._exchange(method, path, headers, body), timeout)
        except (Closed, ConnectionResetError, BrokenPipeError):
            if not reused:
                raise
            await self.connect()  # the server had closed the idle connection: once more
            return await asyncio.wait_for(self._exchange(method, path, headers, body), timeout)

    async def _exchange(self, method, path, headers, body) -> Response:
        self.writer.write(self._head(method, path, headers, body))
        await self.writer.drain()
        code, head, size = await self._read_head()
        content = b""
        if method != "HEAD" and code not in (204, 304) and not 100 <= code < 200:
            if head.get("Transfer-Encoding", "").lower() == "chunked":
                parts = []
                while True:
                    line = await self.reader.readline()
                    length = int(line.split(b";")[0], 16)
                    data = await self.reader.readexactly(length + 2)
                    size += len(line) + len(data)
                    if not length:
                        break
                    parts.append(data[:-2])
                content = b"".join(parts)
            elif "Content-Length" in head:
                content = await self.reader.readexactly(int(head["Content-Length"]))
                size += len(content)
            else:
                content = await self.reader.read()
                size += len(content)
                self.close()
        self.last_used = time.monotonic()
        if head.get("Connection", "").lower() == "close":
            self.close()
        if head.get("Content-Encoding") == "gzip":
            content = zlib.decompress(content, 16 + zlib.MAX_WBITS)
        return Response(code, head, content, size)

    async def stream(self, path: str, headers: dict, on_data) -> int:
        """Send a GET and pass every piece of the (chunked) body to ``on_data`` until the
        server ends it; return the status, or 599 when the connection was lost."""
        try:
            await self.connect()
            self.writer.write(self._head("GET", path, headers, None))
            await self.writer.drain()
            code, head, _ = await self._read_head()
            if code != 200 or head.get("Transfer-Encoding", "").lower() != "chunked":
                return code
            while True:
                line = await self.reader.readline()
                if not line:
                    return 599
                length = int(line.split(b";")[0], 16)
                data = await self.reader.readexactly(length + 2)
                if not length:
                    return code
                on_data(data[:-2])
        except (OSError, asyncio.IncompleteReadError, ValueError):
            return 599
        finally:
            self.close()


class EventParser:
    """Server-sent events from pieces of a stream: ``feed`` returns the events completed,
    each as ``(name, raw data bytes)``; comments and ``retry`` lines give none."""

    def __init__(self):
        self.buffer = b""

    def feed(self, data: bytes) -> list[tuple[str, bytes]]:
        self.buffer += data
        if b"\n\n" not in self.buffer:
            return []
        *complete, self.buffer = self.buffer.split(b"\n\n")
        events = []
        for raw in complete:
            name, payload = "message", []
            for line in raw.split(b"\n"):
                if line.startswith(b"event: "):
                    name = line[7:].decode()
                elif line.startswith(b"data: "):
                    payload.append(line[6:])
            if payload:
                events.append((name, b"\n".join(payload)))
        return events


def results_n(data: bytes) -> int:
    """The ``n`` (participants who answered) of a ``results`` event's data.

    >>> results_n(b'{"blocks":{"a":"<p>\\\\"n\\\\":3}</p>"},"n":12}')
    12
    """
    found = _N.search(data)
    return int(found.group(1)) if found else int(json.loads(data)["n"])


@dataclass
class Visit:
    """What one participant's visit measured."""

    tti: float | None = None
    steps: dict = field(default_factory=dict)  # step -> seconds (page, assets, join, ...)
    acks: list = field(default_factory=list)  # seconds per acknowledged answer
    first_ack_at: float | None = None  # perf_counter time of the first acknowledgement
    latest: dict = field(default_factory=dict)  # question -> last acknowledged value
    pending: dict = field(default_factory=dict)  # question -> value sent, not acknowledged
    sent: int = 0
    error: str = ""
    wire_bytes: int = 0


class Participant(ProtocolParticipant):
    """``toolkit.web.client.Participant`` (its ``join`` and ``answer`` steps) over one
    keep-alive connection from its own address, with a live stream that keeps only each
    event's time, name and ``n``."""

    def __init__(self, base: str, code: str, pseudonym: str, source: str | None = None):
        super().__init__(base, code, pseudonym)
        url = urlsplit(self.base)
        self.host, self.port = url.hostname, url.port or 80
        self.source = source
        self.http = Connection(self.host, self.port, source)
        self.live = None
        self.location = ""
        self.wire_bytes = 0
        self.results: list[tuple[float, int]] = []  # (arrival, n) of every results event
        self.first_event = asyncio.Event()
        self.first_event_at: float | None = None
        self.stream_task: asyncio.Task | None = None
        self.stream_status: int | None = None

    async def fetch(self, path: str, *, body: dict | None = None, json_reply=False, **kwargs):
        headers = {
            "Accept": "application/json" if json_reply else "text/html,*/*;q=0.8",
            "Accept-Encoding": "gzip",
        }
        data = None
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            data = urlencode(body, doseq=True).encode()
        response = await self.http.request(
            "POST" if data is not None else "GET",
            path,
            self._headers(headers),
            data,
            timeout=kwargs.get("timeout", 60),
        )
        self.wire_bytes += response.wire_bytes
        self._keep(response)
        if response.code in (301, 302, 303, 307):
            self.location = response.headers.get("Location", "")
        return response

    def listen(self, screen: str, on_event=None, timeout: float = 3600) -> asyncio.Task:
        """Open the live stream of ``screen`` on a connection of its own (a task that ends
        with the stream, giving its status, 599 when the connection was lost)."""
        parser = EventParser()

        def on_data(data: bytes) -> None:
            now = time.perf_counter()
            for name, payload in parser.feed(data):
                if self.first_event_at is None:
                    self.first_event_at = now
                    self.first_event.set()
                if name == "results":
                    self.results.append((now, results_n(payload)))
                if on_event is not None:
                    on_event(now, name, payload)

        self.live = Connection(self.host, self.port, self.source)
        headers = self._headers({"Accept": "text/event-stream"})

        async def run() -> int:
            self.stream_status = await self.live.stream(
                f"/s/{self.code}/live?screen={screen}", headers, on_data
            )
            return self.stream_status

        self.stream_task = asyncio.ensure_future(run())
        return self.stream_task

    async def arrive(self, exercise: str, timeout: float = 60.0) -> float:
        """The first visit up to interactive (steps 1-4 above); return its seconds."""
        began = time.perf_counter()
        mark = began
        steps = {}

        def step(name):
            nonlocal mark
            now = time.perf_counter()
            steps[name] = now - mark
            mark = now

        page = await self.fetch(f"/s/{self.code}/", timeout=timeout)
        text = page.body.decode("utf-8", "replace")
        match = _XSRF.search(text)
        if page.code != 200 or not match:
            raise RuntimeError(f"join page answered {page.code}")
        self.xsrf = match.group(1)
        step("page")
        for asset in _ASSET.findall(text):
            got = await self.fetch(asset.replace("&amp;", "&"), timeout=timeout)
            if got.code != 200:
                raise RuntimeError(f"{asset} answered {got.code}")
        step("assets")
        joined = await self.fetch(
            f"/s/{self.code}/join",
            body={"_xsrf": self.xsrf, "pseudonym": self.pseudonym},
            timeout=timeout,
        )
        if joined.code != 303 or "wt" not in self.cookies:
            raise RuntimeError(f"join answered {joined.code}")
        step("join")
        target = urlsplit(self.location).path or f"/s/{self.code}/e/{exercise}"
        screen = await self.fetch(target, timeout=timeout)
        if screen.code != 200:
            raise RuntimeError(f"{target} answered {screen.code}")
        step("screen")
        await self._first_event(exercise, timeout)
        step("first_event")
        self.steps = steps
        return self.first_event_at - began

    async def come_back(self, exercise: str, via_link: bool, timeout: float = 60.0) -> float:
        """A later visit with a new page: the personal link (``/s/CODE/r?t=TOKEN``, as on
        a new device; it leads back to the screen one was on) or the join address with the
        cookie (the overview), then the exercise and its live stream; return the seconds
        until its first event."""
        self.close()
        self.http = Connection(self.host, self.port, self.source)
        self.first_event.clear()
        self.first_event_at = None
        began = time.perf_counter()
        if via_link:
            token = self.cookies.pop("wt")
            landed = await self.fetch(f"/s/{self.code}/r?t={token}", timeout=timeout)
            if landed.code != 303 or self.cookies.get("wt") != token:
                raise RuntimeError(f"the personal link answered {landed.code}")
        else:
            landed = await self.fetch(f"/s/{self.code}/", timeout=timeout)
            if landed.code != 200 or b'name="pseudonym"' in landed.body:
                raise RuntimeError(f"the overview answered {landed.code} (or a join page)")
        screen = await self.fetch(f"/s/{self.code}/e/{exercise}", timeout=timeout)
        match = _XSRF.search(screen.body.decode("utf-8", "replace"))
        if screen.code != 200 or not match:
            raise RuntimeError(f"the exercise answered {screen.code}")
        self.xsrf = match.group(1)
        await self._first_event(exercise, timeout)
        return self.first_event_at - began

    async def _first_event(self, exercise: str, timeout: float) -> None:
        """Open the exercise's live stream and wait for its first event."""
        self.listen(f"e/{exercise}")
        waiter = asyncio.ensure_future(self.first_event.wait())
        done, _ = await asyncio.wait(
            {waiter, self.stream_task}, timeout=timeout, return_when="FIRST_COMPLETED"
        )
        if waiter not in done:
            waiter.cancel()
            raise RuntimeError(f"no live event (stream status {self.stream_status})")

    def close(self) -> None:
        """Leave the page: its connections close (the cookies stay, as in a browser)."""
        self.http.close()
        if self.live is not None:
            self.live.close()
        if self.stream_task is not None:
            self.stream_task.cancel()
