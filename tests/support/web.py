"""A participant of the web app as a test drives it: plain HTTP, no browser.

``Visitor`` is one browser's cookie jar (the ``_xsrf`` cookie, the session's ``wt`` resume
cookie, the language) over a real connection, optionally from a loopback address of its
own; it can join, answer as the plain form does (``json=False``: a redirect or the page) or
as the script does (``Accept: application/json``), and read the live stream. ``stored``
reads a SQLite file without the toolkit, so a test sees what is really there.
"""

from __future__ import annotations

import json
import re
import socket
import sqlite3
import time
from html import unescape
from pathlib import Path

import httpx

__all__ = ["Visitor", "Live", "stored", "raw_request", "read_response", "sse_events", "XSRF"]

XSRF = re.compile(r'name="_xsrf" value="([^"]+)"')


class Visitor:
    """One browser on the participant server at ``base`` (``http://host:port``)."""

    def __init__(self, base: str, *, local: str | None = None, timeout: float = 60):
        transport = httpx.HTTPTransport(local_address=local) if local else None
        self.base = base
        self.http = httpx.Client(
            base_url=base, transport=transport, follow_redirects=False, timeout=timeout
        )
        self.xsrf = ""
        self.code = ""

    def get(self, path: str, **kwargs) -> httpx.Response:
        return self.http.get(path, **kwargs)

    def page(self, path: str) -> httpx.Response:
        """GET ``path`` and keep the page's ``_xsrf`` value for the next form."""
        response = self.http.get(path)
        found = XSRF.search(response.text)
        if found:
            self.xsrf = unescape(found.group(1))
        return response

    def post(self, path: str, fields, *, json_reply: bool = False, xsrf: bool = True, **kw):
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        if xsrf:
            pairs.append(("_xsrf", self.xsrf))
        data: dict[str, list[str]] = {}
        for name, value in pairs:
            data.setdefault(name, []).append(value)
        headers = {"Accept": "application/json"} if json_reply else {}
        return self.http.post(path, data=data, headers={**headers, **kw.pop("headers", {})}, **kw)

    def join(self, code: str, pseudonym: str = "Testende Uil 10") -> httpx.Response:
        """Open the join page and join; the ``wt`` cookie is kept."""
        self.code = code
        page = self.page(f"/s/{code}/")
        assert page.status_code == 200 and self.xsrf, page.text[:300]
        joined = self.post(f"/s/{code}/join", {"pseudonym": pseudonym})
        assert joined.status_code == 303, joined.text[:300]
        assert self.token, "no resume cookie after joining"
        return joined

    @property
    def token(self) -> str | None:
        return self.http.cookies.get("wt")

    def answer(self, exercise: str, question: str, fields, *, json_reply=True, **kw):
        """POST one question's form, as the script (JSON) or the plain form does."""
        return self.post(
            f"/s/{self.code}/e/{exercise}/{question}", fields, json_reply=json_reply, **kw
        )

    def close(self) -> None:
        self.http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def stored(db: Path, sql: str, *args) -> list[tuple]:
    """Rows of a query on the SQLite file itself (what is really kept)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        return connection.execute(sql, args).fetchall()


def raw_request(
    host: str, port: int, data: bytes, *, local: str | None = None, timeout: float = 30
) -> bytes:
    """Send ``data`` as written over a new connection; return everything answered until
    the server closes the connection (or ``timeout``)."""
    with socket.create_connection(
        (host, port), timeout=timeout, source_address=(local, 0) if local else None
    ) as sock:
        sock.sendall(data)
        chunks = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def sse_events(raw: bytes) -> list[tuple[str, dict]]:
    """The ``(event, data)`` pairs in a piece of a server-sent event stream."""
    events = []
    for block in raw.decode("utf-8", "replace").split("\n\n"):
        name, data = "message", ""
        for line in block.split("\n"):
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                data += line[6:]
        if data:
            try:
                events.append((name, json.loads(data)))
            except ValueError:
                pass  # a partial last event
    return events


def read_response(sock: socket.socket, timeout: float = 30) -> tuple[int, dict, bytes]:
    """Read one HTTP response (status line, headers, a ``Content-Length`` body) from
    ``sock`` without waiting for the connection to close."""
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed after {data[:200]!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return status, headers, body[:length]


class Live:
    """A page's live stream (``text/event-stream``) over ``client``, read as it comes:
    ``raw`` holds every byte received so far, ``until`` reads on until a condition holds
    (the client's read time-out ends a wait for something that never comes)."""

    def __init__(self, client: httpx.Client, path: str, headers: dict | None = None):
        self._context = client.stream(
            "GET", path, headers={"Accept": "text/event-stream", **(headers or {})}
        )
        self.response = self._context.__enter__()
        self._chunks = self.response.iter_raw()
        self.raw = b""

    @property
    def events(self) -> list[tuple[str, dict]]:
        return sse_events(self.raw)

    def until(self, predicate, what: str):
        """Read until ``predicate(self)`` is true; return its value."""
        while not (found := predicate(self)):
            try:
                self.raw += next(self._chunks)
            except StopIteration:
                raise AssertionError(f"the stream ended before {what}") from None
            except httpx.ReadTimeout:
                raise AssertionError(f"nothing more came before {what}") from None
        return found

    def close(self) -> None:
        self._context.__exit__(None, None, None)
