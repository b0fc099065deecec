"""The reusable doors and limits (toolkit.server.doors, toolkit.server.limits) on a plain
Tornado app, as the participant web app and the presenter view will use them: a real
HTTP server in a thread of this process, on a loopback port."""

from __future__ import annotations

import http.client
import socket
import time

import pytest
import tornado.httpserver
import tornado.ioloop
import tornado.web
import tornado.websocket
import websocket

from tests.support.threaded import serve_in_thread
from toolkit.server.doors import REFUSED_TEXT, guard, is_loopback_host, same_origin
from toolkit.server.limits import FULL_TEXT, BoundedWrites, VoilaLimits

LOOPBACK = [
    "localhost",
    "LocalHost:80",
    "127.0.0.1",
    "127.0.0.1:8866",
    "127.255.0.9:1",
    "[::1]",
    "[::1]:8866",
]
FOREIGN = [
    "attacker.example",
    "attacker.example:8866",
    "localhost.attacker.example",
    "127.0.0.1.nip.io",
    "localhost:8866@attacker.example",
    "127.0.0.1:99999",
    "127.0.0.1:",
    "[::ffff:127.0.0.1]",
    "[::2]",
    "10.0.0.1",
    "0.0.0.0",
    "127.0.0.1, attacker.example",
    "",
    " ",
]


@pytest.mark.parametrize("host", LOOPBACK)
def test_loopback_hosts_pass(host):
    """Are loopback names and addresses, with or without a port, accepted?"""
    assert is_loopback_host(host)


@pytest.mark.parametrize("host", FOREIGN)
def test_foreign_or_malformed_hosts_do_not_pass(host):
    """Is every other name, a malformed value or a list of values refused?"""
    assert not is_loopback_host(host)


class _Request:
    protocol = "http"

    def __init__(self, host, origin=None):
        self.host = host
        self.headers = {"Origin": origin} if origin is not None else {}


@pytest.mark.parametrize(
    ("origin", "expected"),
    [
        (None, True),
        ("http://127.0.0.1:8866", True),
        ("HTTP://127.0.0.1:8866", True),
        ("http://localhost:8866", False),
        ("https://127.0.0.1:8866", False),
        ("http://127.0.0.1:8867", False),
        ("null", False),
        ("", False),
    ],
)
def test_same_origin_is_scheme_host_and_port(origin, expected):
    """Is a request same-origin only without an Origin or with exactly its own
    scheme://host:port?"""
    assert same_origin(_Request("127.0.0.1:8866", origin)) is expected


# --- a plain Tornado app with the doors -------------------------------------------------
class Change(tornado.web.RequestHandler):
    changed = 0

    def get(self):
        self.write(self.xsrf_token)

    def post(self):
        Change.changed += 1
        self.write("changed")


class Echo(BoundedWrites, tornado.websocket.WebSocketHandler):
    def on_message(self, message):
        for _ in range(int(message)):
            self.write_message("x" * 65536)


class Later(tornado.web.RequestHandler):
    def get(self):
        self.write("later")


@pytest.fixture(scope="module")
def app_server():
    """A plain Tornado app (XSRF on) behind the doors and the limits (4 connections per
    client, 6 in all, 1 MiB unsent per websocket), with a route added after guard()."""
    limits = VoilaLimits(per_client=4, total=6, write_buffer_bytes=1024 * 1024)

    def make_server():
        app = tornado.web.Application(
            [("/change", Change), ("/echo", Echo)], xsrf_cookies=True, **limits.settings()
        )
        guard(app)
        app.add_handlers(r".*", [("/later", Later)])  # as extra handlers are, afterwards
        return limits.server(app)

    with serve_in_thread(make_server) as port:
        yield port


def _request(port, method, path, headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest(method, path, skip_host=True)
        for name, value in {"Host": f"127.0.0.1:{port}", **(headers or {})}.items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, response.read().decode(), response
    finally:
        connection.close()


def test_every_route_refuses_a_foreign_host(app_server):
    """Does the rule refuse a foreign Host on every route, the one added after guard()
    included, with the short plain 403, and serve the same routes to a loopback Host?"""
    for path in ("/change", "/later", "/nowhere"):
        status, body, _ = _request(app_server, "GET", path, {"Host": "attacker.example"})
        assert status == 403 and body == REFUSED_TEXT, path
    assert _request(app_server, "GET", "/later", {"Host": "localhost"})[:2] == (200, "later")


def test_state_changes_need_own_origin_and_xsrf(app_server):
    """Is a POST refused from another origin even with a valid XSRF pair, refused
    without the pair from the own origin, and done with both?"""
    status, token, response = _request(app_server, "GET", "/change")
    cookie = response.getheader("Set-Cookie").split(";")[0]
    own = f"http://127.0.0.1:{app_server}"
    before = Change.changed
    form = f"_xsrf={token}".encode()
    kinds = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    for origin in ("http://evil.example", "null"):
        status, _, _ = _request(app_server, "POST", "/change", {**kinds, "Origin": origin}, form)
        assert status == 403, origin
    status, _, _ = _request(app_server, "POST", "/change", {"Origin": own}, b"")
    assert status == 403
    assert Change.changed == before
    status, body, _ = _request(app_server, "POST", "/change", {**kinds, "Origin": own}, form)
    assert (status, body) == (200, "changed")


def test_websockets_need_own_origin(app_server):
    """Is a websocket from another origin, or to a foreign Host, refused before it opens?"""
    url = f"ws://127.0.0.1:{app_server}/echo"
    for host, origin in (
        (f"127.0.0.1:{app_server}", "http://evil.example"),
        ("attacker.example", "http://attacker.example"),
    ):
        with pytest.raises(websocket.WebSocketBadStatusException) as refused:
            websocket.create_connection(url, host=host, origin=origin, timeout=10)
        assert refused.value.status_code == 403
    ws = websocket.create_connection(url, origin=f"http://127.0.0.1:{app_server}", timeout=10)
    ws.send("1")
    assert len(ws.recv()) == 65536
    ws.close()


def test_a_websocket_client_that_does_not_read_is_closed(app_server):
    """Does BoundedWrites close a websocket once more than 1 MiB waits unsent, instead of
    buffering 256 MiB for a client that never reads?"""
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{app_server}/echo",
        timeout=30,
        sockopt=((socket.SOL_SOCKET, socket.SO_RCVBUF, 4096),),
    )
    ws.send("4096")  # 256 MiB asked for
    received, deadline = 0, time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            frame = ws.recv_frame()
            if frame.opcode == websocket.ABNF.OPCODE_CLOSE:
                break
            received += len(frame.data)
    except (websocket.WebSocketConnectionClosedException, OSError):
        pass
    finally:
        ws.close()
    assert received < 32 * 1024 * 1024, f"{received} bytes sent before closing"


def test_connections_over_the_caps_get_the_full_page(app_server):
    """With 4 connections from one address, does the next get "Het is vol / It is full"
    (503) while another address is served; with 6 in all, is a third address turned away;
    and after they close, is the next served?"""

    def connect(address):
        sock = socket.socket()
        sock.bind((address, 0))
        sock.settimeout(30)
        sock.connect(("127.0.0.1", app_server))
        return sock

    def ask(sock):
        """One GET; the whole response (head and body, by its Content-Length)."""
        sock.sendall(f"GET /later HTTP/1.1\r\nHost: 127.0.0.1:{app_server}\r\n\r\n".encode())
        data = b""
        while b"\r\n\r\n" not in data and (chunk := sock.recv(65536)):
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = int(
            next(
                (
                    line.split(b":")[1]
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                ),
                b"0",
            )
        )
        while len(body) < length and (chunk := sock.recv(65536)):
            body += chunk
        return head + b"\r\n\r\n" + body

    held = [connect("127.0.0.5") for _ in range(4)]
    try:
        answer = ask(connect("127.0.0.5"))
        assert answer.startswith(b"HTTP/1.1 503") and answer.endswith(FULL_TEXT.encode())
        held += [connect("127.0.0.6") for _ in range(2)]
        assert ask(held[-1]).startswith(b"HTTP/1.1 200")  # the other address is served
        answer = ask(connect("127.0.0.7"))
        assert answer.startswith(b"HTTP/1.1 503"), answer[:40]
    finally:
        for sock in held:
            sock.close()
    deadline = time.monotonic() + 30
    while not ask(connect("127.0.0.7")).startswith(b"HTTP/1.1 200"):
        assert time.monotonic() < deadline, "not served again after the connections closed"
        time.sleep(0.1)


def test_limits_refuse_unknown_fields():
    """Is a misspelt limit an error rather than silently the default?"""
    with pytest.raises(ValueError, match="per_clinet"):
        VoilaLimits.from_dict({"per_clinet": 3})


def test_bounded_server_is_an_http_server():
    """Is the bounded server a Tornado HTTPServer (usable wherever one is)?"""
    assert issubclass(
        type(VoilaLimits().server(tornado.web.Application())), tornado.httpserver.HTTPServer
    )
