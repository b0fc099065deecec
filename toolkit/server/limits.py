"""Bounds for a Tornado server: sizes, timeouts, connections per client and in all.

Tornado's defaults let one client hold a server: a 100 MB body or message is read into
memory, a request's headers may take an hour to arrive, any number of connections is kept,
and what a websocket client does not read piles up in the server without end. A
:class:`VoilaLimits` holds the bounds; :meth:`VoilaLimits.server` makes the HTTP server that keeps
them, :meth:`VoilaLimits.settings` the application settings, and :class:`BoundedWrites` keeps a
websocket's unsent data under ``write_buffer_bytes``. A connection over a cap is answered
with a short "Het is vol / It is full" (503) and closed.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, fields

import tornado.httpserver
import tornado.ioloop
import tornado.iostream
import tornado.web
import tornado.websocket

from ..web.capped_server import FULL_TEXT, CappedHTTPServer

__all__ = ["VoilaLimits", "BoundedWrites", "FULL_TEXT", "CappedHTTPServer"]

log = logging.getLogger("workshop.limits")

KiB, MiB = 1024, 1024 * 1024


@dataclass(frozen=True)
class VoilaLimits:
    """Bounds of one server. ``0`` for ``per_client``/``total`` means no cap.

    Examples
    --------
    >>> VoilaLimits.from_dict({"per_client": 4}).per_client
    4
    >>> VoilaLimits().server_kwargs()["max_body_size"] == VoilaLimits().max_body_bytes
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
    def from_dict(cls, values: dict | None) -> VoilaLimits:
        """VoilaLimits from a (JSON) dict; unknown keys are an error, missing keys the default."""
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
        cap = self.settings.get("workshop_write_buffer_bytes", VoilaLimits.write_buffer_bytes)
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
