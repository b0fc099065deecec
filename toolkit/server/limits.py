"""Bounds for a Tornado server: sizes, timeouts, connections per client and in all.

Tornado's defaults let one client hold a server: a 100 MB body or message is read into
memory, a request's headers may take an hour to arrive, any number of connections is kept,
and what a websocket client does not read piles up in the server without end. A
:class:`Limits` holds the bounds; :meth:`Limits.server` makes the HTTP server that keeps
them, :meth:`Limits.settings` the application settings, and :class:`BoundedWrites` keeps a
websocket's unsent data under ``write_buffer_bytes``. A connection over a cap is answered
with a short "Het is vol / It is full" (503) and closed.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import sys
import time
from dataclasses import dataclass, fields

import tornado.httpserver
import tornado.ioloop
import tornado.iostream
import tornado.web
import tornado.websocket

from ..web.limits import Connections, client_key

__all__ = ["Limits", "CappedHTTPServer", "BoundedWrites", "FULL_TEXT", "full_page"]

log = logging.getLogger("workshop.limits")

FULL_TEXT = (
    "Het is vol: er zijn nu te veel verbindingen. Probeer het over een minuut opnieuw.\n"
    "It is full: there are too many connections right now. Please try again in a minute.\n"
)
KiB, MiB = 1024, 1024 * 1024
_TURNING_AWAY = 64  # connections being told "vol" at once; beyond this they are just closed


@dataclass(frozen=True)
class Limits:
    """Bounds of one server. ``0`` for ``per_client``/``total`` means no cap.

    Examples
    --------
    >>> Limits.from_dict({"per_client": 4}).per_client
    4
    >>> Limits().server_kwargs()["max_body_size"] == Limits().max_body_bytes
    True
    """

    max_header_bytes: int = 16 * KiB  # request line and headers
    max_body_bytes: int = 1 * MiB  # a request body (checked against Content-Length first)
    max_message_bytes: int = 1 * MiB  # one websocket message
    header_timeout: float = 30.0  # seconds for a request's headers (also keep-alive idle)
    body_timeout: float = 30.0  # seconds for a request's body
    per_client: int = 32  # open connections from one address
    total: int = 256  # open connections in all
    write_buffer_bytes: int = 8 * MiB  # unsent data for one websocket before it is closed

    @classmethod
    def from_dict(cls, values: dict | None) -> Limits:
        """Limits from a (JSON) dict; unknown keys are an error, missing keys the default."""
        known = {f.name for f in fields(cls)}
        unknown = set(values or {}) - known
        if unknown:
            raise ValueError(f"unknown limits: {', '.join(sorted(unknown))}")
        return cls(**(values or {}))

    def server_kwargs(self) -> dict:
        """Keyword arguments for ``tornado.httpserver.HTTPServer``."""
        return {
            "max_header_size": self.max_header_bytes,
            "max_body_size": self.max_body_bytes,
            # the read buffer: what one read may hold (a body or a websocket message at its
            # limit, the headers, what arrives behind them), not Tornado's 100 MB
            "max_buffer_size": max(self.max_body_bytes, self.max_message_bytes)
            + self.max_header_bytes
            + 256 * KiB,
            "idle_connection_timeout": self.header_timeout,
            "body_timeout": self.body_timeout,
            "xheaders": False,
        }

    def settings(self) -> dict:
        """Settings for ``tornado.web.Application`` (read by websocket handlers)."""
        return {
            "websocket_max_message_size": self.max_message_bytes,
            "workshop_write_buffer_bytes": self.write_buffer_bytes,
        }

    def server(self, app: tornado.web.Application) -> CappedHTTPServer:
        """The HTTP server for ``app`` that keeps these limits (call ``.listen`` on it)."""
        return CappedHTTPServer(
            app, per_client=self.per_client, total=self.total, **self.server_kwargs()
        )


def full_page() -> bytes:
    """The raw HTTP response for a connection over a cap: 503, plain text, closed."""
    body = FULL_TEXT.encode()
    head = (
        "HTTP/1.1 503 Service Unavailable\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Retry-After: 30\r\n"
        "Cache-Control: no-store\r\n"
        "Connection: close\r\n\r\n"
    )
    return head.encode() + body


class CappedHTTPServer(tornado.httpserver.HTTPServer):
    """An ``HTTPServer`` that keeps at most ``per_client`` connections from one address and
    ``total`` in all (``0``: no cap). A connection counts until its socket closes, a
    websocket's included; one over a cap gets ``refusal`` (a whole HTTP response, by default
    :func:`full_page`) and is closed. Behind a reverse proxy (``xheaders``) every connection
    is the proxy's, so only the total is capped here. Client addresses are counted by
    :func:`toolkit.web.limits.client_key`, never kept. The participant server
    (:mod:`toolkit.web.server`) and the Voila servers (:meth:`Limits.server`) both use it.
    """

    def initialize(
        self, *args, per_client: int = 0, total: int = 0, refusal: bytes = b"", **kwargs
    ) -> None:
        super().initialize(*args, **kwargs)
        self.open = Connections(per_client or sys.maxsize, total or sys.maxsize)
        self.refusal = refusal or full_page()
        self._turning_away = 0
        self._full = False  # the last connection was turned away (log once per full spell)

    def handle_stream(self, stream: tornado.iostream.IOStream, address) -> None:
        key = client_key(str(address[0]) if isinstance(address, tuple) and address else "")
        if not self.open.claim(key, per_client=not self.xheaders):
            if not self._full:
                log.warning("turning connections away: the server is full")
            self._full = True
            tornado.ioloop.IOLoop.current().spawn_callback(self._turn_away, stream)
            return
        self._full = False
        close_fd = stream.close_fd

        def release_then_close_fd() -> None:
            # close_fd runs exactly once, when the socket is closed for whatever reason.
            self.open.release(key)
            close_fd()

        stream.close_fd = release_then_close_fd
        super().handle_stream(stream, address)

    async def _turn_away(self, stream: tornado.iostream.IOStream, linger: float = 1.0) -> None:
        """Send the refusal and close. The request it answers is read and dropped first,
        for a second at most: closing with it unread would reset the connection, and the
        client could lose the answer. Beyond a few at once, connections are just closed."""
        if self._turning_away >= _TURNING_AWAY:
            stream.close()
            return
        self._turning_away += 1
        ends = time.monotonic() + linger
        try:
            await stream.write(self.refusal)
            stream.socket.shutdown(socket.SHUT_WR)
            while True:  # until the client closes or the second is over
                await asyncio.wait_for(
                    stream.read_bytes(65536, partial=True), ends - time.monotonic()
                )
        except (OSError, TimeoutError, tornado.iostream.StreamClosedError):
            pass
        finally:
            self._turning_away -= 1
            stream.close()


class BoundedWrites:
    """Mixin for a ``tornado.websocket.WebSocketHandler``: close the connection when more
    than ``write_buffer_bytes`` (application setting ``workshop_write_buffer_bytes``) is
    written but not yet sent, i.e. the client stopped reading. (One message larger than
    that on its own is sent: it is the server's, not the client's.)

    Put it before the handler class: ``class Socket(BoundedWrites, WebSocketHandler)``.
    """

    _unsent = 0
    _closing_for_slowness = False

    def write_message(self, message, binary: bool = False):
        size = len(json.dumps(message)) if isinstance(message, dict) else len(message)
        cap = self.settings.get("workshop_write_buffer_bytes", Limits.write_buffer_bytes)
        if self._closing_for_slowness:
            raise tornado.websocket.WebSocketClosedError()
        if cap and self._unsent and self._unsent + size > cap:
            self._closing_for_slowness = True
            log.warning("closed a websocket whose client stopped reading")
            self.close(1008, "too much unread data")
            raise tornado.websocket.WebSocketClosedError()
        future = super().write_message(message, binary=binary)
        self._unsent += size

        def sent(done) -> None:
            self._unsent -= size
            if not done.cancelled():
                done.exception()  # a write cut short by a closed connection is no error

        future.add_done_callback(sent)
        return future
