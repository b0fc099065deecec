"""A Tornado HTTP server that caps open connections per client and in all.

A connection over a cap is answered with a short "Het is vol / It is full" (503) and closed;
the participant web app and the Voila servers both use it (through ``ParticipantLimits``
and ``VoilaLimits``).
"""

from __future__ import annotations

import asyncio
import logging
import socket
import sys
import time

import tornado.httpserver
import tornado.ioloop
import tornado.iostream

from .limits import Connections, client_key

__all__ = ["CappedHTTPServer", "FULL_TEXT", "full_page"]

log = logging.getLogger("workshop.limits")

FULL_TEXT = (
    "Het is vol: er zijn nu te veel verbindingen. Probeer het over een minuut opnieuw.\n"
    "It is full: there are too many connections right now. Please try again in a minute.\n"
)
_TURNING_AWAY = 64  # connections being told "vol" at once; beyond this they are just closed


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
    (:mod:`toolkit.web.server`) and the Voila servers
    (:meth:`toolkit.server.limits.VoilaLimits.server`) both use it.
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
