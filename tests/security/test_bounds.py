"""Bounds a client cannot push past on the participant web server: connections per client
and in all (the 'vol' page, never a crash), live streams per client and in all (503),
headers and bodies checked before anything is kept, slow clients timed out (a slowloris
is closed), and no buffer a client can grow by not reading its live stream.

Most cases run the real server (``toolkit.web``'s app behind its ``CappedHTTPServer``,
built by the same ``http_server`` as ``python -m toolkit.web``) in a thread of the test
with small limits, so that a cap of 6,000 connections is a cap of six; the memory case runs
the server as `workshop serve` does, in a process of its own, so its memory can be read.
"""

from __future__ import annotations

import asyncio
import gc
import json
import socket
import threading
import time
from concurrent.futures import Future
from contextlib import ExitStack, closing
from pathlib import Path

import psutil
import pytest
import tornado.netutil

from tests.support.servers import participant_server
from tests.support.web import Live, Visitor, read_response, stored
from toolkit.exercises.loader import default_exercises
from toolkit.i18n import t
from toolkit.store import Store
from toolkit.web.app import make_app
from toolkit.web.base import CSP
from toolkit.web.limits import ParticipantLimits
from toolkit.web.live import Stream
from toolkit.web.server import http_server
from toolkit.web.site import Site

pytestmark = pytest.mark.server

EXERCISES = [e.id for e in default_exercises()]
FULL = "Het is even vol"


class InThread:
    """The participant server in a thread of this process, on its own event loop, with
    ``limits``, on a new SQLite store holding one session (every exercise open)."""

    def __init__(self, tmp: Path, limits: ParticipantLimits, *, behind_proxy: bool = False):
        self.db = tmp / "bounds.db"
        self.limits, self.behind_proxy = limits, behind_proxy
        self.ready = threading.Event()
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.store = Store.open(f"sqlite:///{self.db}")
        self.session = self.store.create_session("Grenzen", exercises=EXERCISES)
        self.thread = threading.Thread(target=asyncio.run, args=(self._serve(),), daemon=True)
        self.thread.start()
        assert self.ready.wait(60), "the server did not start"
        return self

    async def _serve(self) -> None:
        site = Site(self.store, limits=self.limits, session_code=self.session.code)
        self.site = site
        server = http_server(make_app(site), self.limits, behind_proxy=self.behind_proxy)
        self.server = server
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        self.port = sockets[0].getsockname()[1]
        server.add_sockets(sockets)
        site.hub.start()
        self.loop, self.stop = asyncio.get_running_loop(), asyncio.Event()
        self.ready.set()
        await self.stop.wait()
        server.stop()
        site.hub.stop()
        await server.close_all_connections()
        site.pool.shutdown(wait=False)

    def on_loop(self, function):
        """Run ``function`` on the server's loop; return its result."""
        done: Future = Future()
        self.loop.call_soon_threadsafe(lambda: done.set_result(function()))
        return done.result(10)

    def __exit__(self, *exc):
        self.loop.call_soon_threadsafe(self.stop.set)
        self.thread.join(30)
        self.store.close()


def _connect(server: InThread, local: str) -> socket.socket:
    return socket.create_connection(
        ("127.0.0.1", server.port), timeout=30, source_address=(local, 0)
    )


def _kept_open(server: InThread, local: str) -> socket.socket:
    """A keep-alive connection from ``local`` that the server has taken (it answered one
    request on it and holds it open for the next)."""
    sock = _connect(server, local)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    status, _, body = read_response(sock)
    assert (status, body) == (200, b"ok")
    return sock


def _full(server: InThread, local: str) -> None:
    """A new connection from ``local`` gets the 'vol' page and is closed."""
    with closing(_connect(server, local)) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        status, headers, body = read_response(sock)
        assert status == 503, (status, body[:200])
        assert FULL in body.decode("utf-8") and "It is full right now" in body.decode("utf-8")
        assert headers["retry-after"] == "5" and headers["connection"] == "close"
        assert headers["content-security-policy"] == CSP
        assert headers["x-content-type-options"] == "nosniff"
        assert sock.recv(100) == b""  # closed after the page


def _count_is(server: InThread, n: int) -> bool:
    return server.on_loop(lambda: server.server.open.count) == n


def _until(condition, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"never: {what}"
        time.sleep(0.05)


def test_connections_over_a_cap_get_the_full_page(tmp_path):
    """With at most 4 connections per client and 6 in all: does the 5th connection of one
    address get the short 'vol' page (503, Retry-After, the security headers) and is it
    closed, while another address is still served; does the 7th in all get it too; is the
    server unharmed, and is a place free again once a connection closes?"""
    limits = ParticipantLimits(max_connections=6, max_connections_per_client=4)
    with InThread(tmp_path, limits) as server, ExitStack() as held:
        crowd = [held.enter_context(closing(_kept_open(server, "127.0.0.11"))) for _ in range(4)]
        _full(server, "127.0.0.11")
        neighbours = [
            held.enter_context(closing(_kept_open(server, "127.0.0.12"))) for _ in range(2)
        ]
        _until(lambda: _count_is(server, 6), "six connections held")
        _full(server, "127.0.0.13")  # the total cap
        _full(server, "127.0.0.12")
        crowd[0].close()
        _until(lambda: _count_is(server, 5), "a place freed")
        with Visitor(server.url, local="127.0.0.13") as late:
            assert late.get("/healthz").text == "ok"
        for sock in neighbours:  # the connections held all along still work
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert read_response(sock)[0] == 200


def test_behind_a_proxy_the_per_client_cap_is_the_proxys(tmp_path):
    """Behind a reverse proxy every connection comes from the proxy's address: is the
    per-client connection cap then left to the proxy (more than 4 connections from it are
    served, up to the total), while live streams are still counted per client by the
    address the proxy passes on (``X-Real-IP``)?"""
    limits = ParticipantLimits(
        max_connections=6, max_connections_per_client=2, max_streams=10, max_streams_per_client=2
    )
    with InThread(tmp_path, limits, behind_proxy=True) as server, ExitStack() as held:
        for _ in range(6):
            held.enter_context(closing(_kept_open(server, "127.0.0.1")))
        _full(server, "127.0.0.1")
    limits = ParticipantLimits(
        max_connections=20, max_connections_per_client=4, max_streams_per_client=2
    )
    with InThread(_fresh(tmp_path, "streams"), limits, behind_proxy=True) as server:
        visitor = Visitor(server.url)
        visitor.join(server.session.code)
        live = f"/s/{server.session.code}/live?screen="
        streams = [Live(visitor.http, live, {"X-Real-IP": "10.0.0.7"}) for _ in range(2)]
        for stream in streams:
            stream.until(lambda s: s.events, "the first event")
        refused = visitor.get(
            live, headers={"X-Real-IP": "10.0.0.7", "Accept": "text/event-stream"}
        )
        assert refused.status_code == 503 and t("w_full") in refused.text
        other = Live(visitor.http, live, {"X-Real-IP": "10.0.0.8"})
        other.until(lambda s: s.events, "another client's stream")
        for stream in [*streams, other]:
            stream.close()
        visitor.close()


def _fresh(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    return folder


def test_live_streams_over_a_cap_get_503(tmp_path):
    """With at most 2 live streams per client and 3 in all: does the 3rd stream of one
    address, and the 4th in all, get 503 with the 'full' message (the page, or JSON for
    the script) instead of a stream, while the open streams go on; and is a place free
    again once a stream closes?"""
    limits = ParticipantLimits(max_streams=3, max_streams_per_client=2)
    with InThread(tmp_path, limits) as server:
        code = server.session.code
        path = f"/s/{code}/live?screen=e/bestuurstafel"
        one, two = Visitor(server.url, local="127.0.0.11"), Visitor(server.url, local="127.0.0.12")
        one.join(code, "Eerste Stroom")
        two.join(code, "Tweede Stroom")
        mine = [Live(one.http, path) for _ in range(2)]
        for stream in mine:
            stream.until(lambda s: any(k == "results" for k, _ in s.events), "its first results")
        refused = one.get(path, headers={"Accept": "text/event-stream"})
        assert refused.status_code == 503, refused.status_code
        assert t("w_full") in refused.text and refused.headers["Content-Type"].startswith(
            "text/html"
        )
        assert json.loads(one.get(path, headers={"Accept": "application/json"}).text) == {
            "ok": False,
            "message": t("w_full"),
        }
        third = Live(two.http, path)
        third.until(lambda s: s.events, "the third stream's first event")
        assert two.get(path).status_code == 503  # the total cap
        assert one.answer("bestuurstafel", "visie", {"v": "4"}).json()["ok"]
        for stream in (*mine, third):  # the open streams carry the new result
            stream.until(lambda s: any(k == "results" and d["n"] == 1 for k, d in s.events), "it")
        mine[0].close()
        _until(lambda: server.on_loop(lambda: server.site.streams.count) == 2, "a place freed")
        again = Live(two.http, path)
        again.until(lambda s: s.events, "a stream in the freed place")
        for stream in (mine[1], third, again):
            stream.close()
        one.close()
        two.close()


def test_headers_over_the_limit_are_not_kept(tmp_path):
    """Is a request whose headers go on past the limit (16 KB) cut off there: the
    connection closed while the client is still sending its 10 MB of headers, nothing
    answered, and the server serving others as before?"""
    with InThread(tmp_path, ParticipantLimits()) as server:
        sent = 0
        with closing(_connect(server, "127.0.0.11")) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Pad: ")
            with pytest.raises(OSError):  # broken pipe or reset: the server stopped reading
                for _ in range(10 * 1024):
                    sock.sendall(b"a" * 1024)
                    sent += 1024
                sock.sendall(b"\r\n\r\n")
                assert sock.recv(1) == b""  # (or no answer at all, and closed)
                raise ConnectionResetError("closed without an answer")
        assert sent < 10 * 2**20, "the server read all 10 MB of headers"
        with Visitor(server.url) as other:
            assert other.get("/healthz").text == "ok"


def test_a_slowloris_is_closed(tmp_path):
    """Is a connection that sends its headers one byte per second closed once the header
    time-out (the idle time-out, here 2 s; 30 s by default) is over, long before its
    request is complete, and does the server serve others meanwhile?"""
    limits = ParticipantLimits(idle_timeout=2.0)
    request = b"GET /s/ABCDEF/ HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: traag\r\n\r\n"
    with InThread(tmp_path, limits) as server:
        with closing(_connect(server, "127.0.0.11")) as sock:
            sock.settimeout(1.0)
            closed, sent = False, 0
            for byte in request:
                try:
                    sock.sendall(bytes([byte]))
                    sent += 1
                    closed = sock.recv(1) == b""
                except TimeoutError:
                    pass  # nothing yet: a second went by
                except OSError:
                    closed = True
                if closed:
                    break
                with Visitor(server.url) as other:
                    assert other.get("/healthz").text == "ok"
            assert closed, "the slow client was never closed"
            assert sent < len(request), "the whole request got through"
    assert ParticipantLimits().idle_timeout <= 30 and ParticipantLimits().body_timeout <= 30


class _NeverFlushed:
    """A handler whose client never reads: writes pile up unless the stream holds back."""

    hub = None

    def __init__(self):
        self.written: list[bytes] = []
        self.pending: list[asyncio.Future] = []

    def write(self, data: bytes) -> None:
        self.written.append(data)

    def flush(self) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self.pending.append(future)
        return future


def test_a_stream_keeps_at_most_one_message_in_flight():
    """While a live stream's last message has not reached its client, are newer messages
    (10,000 of them) dropped instead of queued, the stream marked as behind, and does it
    take one message again once the client has read?"""

    async def run():
        handler = _NeverFlushed()
        stream = Stream(handler, 1, "e/behoeften", "nl")
        assert stream.send(b"event: results\ndata: {}\n\n")
        sent = [stream.send(b"x" * 1000) for _ in range(10_000)]
        assert not any(sent) and len(handler.written) == 1 and stream.stale
        handler.pending[0].set_result(None)
        await asyncio.sleep(0)
        assert not stream.busy
        assert stream.send(b"y") and len(handler.written) == 2

    asyncio.run(run())


def _rss(process: psutil.Process) -> int:
    return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)])


def test_a_client_that_never_reads_its_stream_does_not_grow_the_server(tmp_path):
    """A live stream whose client never reads (a small receive window, nothing taken out)
    while results of about 65 KB are pushed 300 times (20 MB to a client that does read):
    does the server's memory stay within a few MB? (With every message queued instead,
    the server grew by 30 MB here.)"""
    with participant_server(tmp_path, "Niet lezen", ["behoeften"]) as (server, session, db):
        store = Store.open(f"sqlite:///{db}")
        try:
            session = store.update_session(session.id, free_text_visible=True)
            people = [store.join(session.code, f"Schrijver {i}")[0] for i in range(150)]
            for i, person in enumerate(people):
                for k in range(3):
                    text = f"Behoefte {i}-{k} " + "lang verhaal over informatie " * 6
                    store.save_answer(person, "behoeften", f"needs:{i:06d}{k:06d}", {"text": text})
            reader = Visitor(server.url)
            reader.join(session.code, "Lezer")
            path = f"/s/{session.code}/live?screen=e/behoeften"
            live = Live(reader.http, path)
            live.until(lambda s: any(k == "results" for k, _ in s.events), "the first results")
            stuck = socket.socket()
            stuck.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            stuck.connect(("127.0.0.1", server.port))
            stuck.sendall(
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: wt={reader.token}\r\n"
                "Accept: text/event-stream\r\n\r\n".encode()
            )
            process = psutil.Process(server.process.pid)

            def push(rounds: int) -> None:
                for n in range(rounds):
                    before = len(live.raw)
                    text = f"Wisselende behoefte {n} " + "nog meer tekst " * 10
                    store.save_answer(people[0], "behoeften", "needs:000000000000", {"text": text})
                    live.until(lambda s, b=before: len(s.raw) > b + 50_000, "the pushed results")

            push(20)  # warm up: caches, the stuck stream's socket buffers filled
            gc.collect()
            before, pushed = _rss(process), len(live.raw)
            push(300)
            grown, pushed = _rss(process) - before, len(live.raw) - pushed
            assert pushed > 16 * 2**20, f"only {pushed} bytes pushed: the test proves nothing"
            assert grown < 8 * 2**20, f"the server grew by {grown / 2**20:.1f} MB"
            assert reader.get("/healthz").text == "ok"
            stuck.close()
            live.close()
            reader.close()
        finally:
            store.close()
    assert stored(db, "SELECT count(*) FROM participants") == [(151,)]


def test_the_measurement_of_workshop_check_is_not_cut_short_by_the_caps(monkeypatch):
    """`workshop check` measures a real participant server with many participants from
    this one machine: does every one of them get its live stream (none refused by the
    per-client cap of 16 streams, which would leave the measurement with 16 connected
    participants and wait half a minute for the others)?"""
    import toolkit.web.client as client
    from toolkit.server.capacity import measure_participant_server

    ended = []
    listen = client.Participant.listen

    def recorded(self, *args, **kwargs):
        task = listen(self, *args, **kwargs)
        task.add_done_callback(lambda done: ended.append(done.result()))
        return task

    monkeypatch.setattr(client.Participant, "listen", recorded)
    cost = measure_participant_server(participants=24, answers=1, stored=50)
    # Three rounds of one answer: a fifth of the room, all of it, and a second room where
    # as many as the first fifth join a session that holds others' answers.
    assert cost.participants == 24 and cost.answers == 3
    few = 24 // 5
    assert len(ended) == 24 + few and 503 not in ended, ended  # held until the server stopped
