"""The one connection-capped HTTP server (toolkit.server.limits.CappedHTTPServer) that the
participant server and the Voila servers share."""

from __future__ import annotations

import socket
import time
from contextlib import closing, contextmanager

import tornado.ioloop
import tornado.web
import tornado.websocket
import websocket

from tests.support.threaded import serve_in_thread
from toolkit.server.limits import FULL_TEXT, CappedHTTPServer, VoilaLimits
from toolkit.web.limits import ParticipantLimits
from toolkit.web.server import http_server


class Hello(tornado.web.RequestHandler):
    def get(self):
        self.write("hello")


class Echo(tornado.websocket.WebSocketHandler):
    def check_origin(self, origin):
        return True

    def on_message(self, message):
        self.write_message(message)


@contextmanager
def serving(**caps):
    """A plain Tornado app (``/`` and the websocket ``/echo``) behind a CappedHTTPServer
    with ``caps``, on its own loop in a thread; yields its port."""

    def make_server():
        return CappedHTTPServer(tornado.web.Application([("/", Hello), ("/echo", Echo)]), **caps)

    with serve_in_thread(make_server) as port:
        yield port


def _get(port: int, sock: socket.socket | None = None) -> bytes:
    """One GET / on ``sock`` (default: a new connection); the response's head and body."""
    sock = sock or socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data and (chunk := sock.recv(65536)):
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length")
    )
    while len(body) < length and (chunk := sock.recv(65536)):
        body += chunk
    return head + b"\r\n\r\n" + body


def test_both_servers_use_the_one_class():
    """Do the Voila servers (VoilaLimits.server) and the participant server (http_server) get
    the same CappedHTTPServer, with their own caps and their own refusal?"""
    app = tornado.web.Application()
    voila = VoilaLimits(per_client=4, total=6).server(app)
    participant = http_server(
        app, ParticipantLimits(max_connections=60, max_connections_per_client=8)
    )
    assert type(voila) is type(participant) is CappedHTTPServer
    assert (voila.open.per_client, voila.open.total) == (4, 6)
    assert (participant.open.per_client, participant.open.total) == (8, 60)
    assert voila.refusal.endswith(FULL_TEXT.encode())
    assert (
        b"Het is even vol" in participant.refusal
        and b"Content-Security-Policy" in participant.refusal
    )


def test_a_websocket_holds_its_place_until_it_closes():
    """With one connection in all, does an open websocket keep its place (a new connection
    gets the 503 'vol' answer) until the websocket closes, and is the next one served then?"""
    with serving(total=1) as port:
        ws = websocket.create_connection(f"ws://127.0.0.1:{port}/echo", timeout=30)
        try:
            ws.send("ping")
            assert ws.recv() == "ping"
            answer = _get(port)
            assert answer.startswith(b"HTTP/1.1 503") and answer.endswith(FULL_TEXT.encode())
        finally:
            ws.close()
        deadline = time.monotonic() + 30
        while not _get(port).startswith(b"HTTP/1.1 200"):
            assert time.monotonic() < deadline, "not served again after the websocket closed"


def test_zero_caps_mean_no_cap():
    """With both caps 0, are many connections from one address all served?"""
    with serving(per_client=0, total=0) as port:
        held = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(40)]
        try:
            for sock in held:
                assert _get(port, sock).endswith(b"hello")
        finally:
            for sock in held:
                with closing(sock):
                    pass
