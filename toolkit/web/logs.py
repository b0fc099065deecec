"""What the participant server logs: status, method, route and time; never a client's
address, a query string, a header, a body, or an address nobody routes."""

from __future__ import annotations

import logging

from .base import logged_path

__all__ = [
    "access_log",
    "private_logs",
    "private_request_logs",
    "PrivateTornadoMessages",
    "LOGGED_METHODS",
]

access = logging.getLogger("workshop.access")

# Methods logged by name; anything else a client sends is logged as "OTHER".
LOGGED_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def access_log(handler) -> None:
    """One line per request: ``404 GET /api/kernels 2ms``. The path of a route is shaped by
    its pattern (a code, an exercise id); a path no route takes is logged as ``-`` (it is
    the client's text, and it may be anything)."""
    status, request = handler.get_status(), handler.request
    routed = getattr(handler, "routed", True)
    access.log(
        logging.INFO if status < 400 else logging.WARNING,
        "%d %s %s %.0fms",
        status,
        request.method if request.method in handler.SUPPORTED_METHODS else "-",
        logged_path(request.path) if routed else "-",
        1000.0 * request.request_time(),
    )


class PrivateTornadoMessages(logging.Filter):
    """Tornado's own messages about a connection name the client's address and quote what
    it sent ("Malformed HTTP message from 10.0.0.7: Unexpected HTTP version 'HTTP/9.9'");
    this says what happened and nothing else.

    Examples
    --------
    >>> record = logging.LogRecord("tornado.general", logging.INFO, "", 0,
    ...     "Malformed HTTP message from %s: %s", ("10.0.0.7", "bad version 'x'"), None)
    >>> PrivateTornadoMessages().filter(record), record.getMessage()
    (True, 'closed a connection that sent a malformed request')
    """

    PLAIN = {
        "Malformed HTTP message from %s: %s": "closed a connection that sent a malformed request",
        "Timeout reading body from %s": "closed a connection whose request body came too slowly",
    }

    def filter(self, record: logging.LogRecord) -> bool:
        plain = self.PLAIN.get(record.msg) if isinstance(record.msg, str) else None
        if plain is not None:
            record.msg, record.args = plain, ()
        elif record.args:
            from tornado.httpserver import _HTTPRequestContext

            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(
                "a client" if isinstance(a, _HTTPRequestContext) else a for a in args
            )
        return True


def private_logs() -> None:
    """Keep addresses and what clients send out of this process's logs: Tornado's
    connection messages rewritten, its request summaries (``GET /path (10.0.0.7)``) without
    the address and query, no request dump with an uncaught exception."""
    private_request_logs()
    general = logging.getLogger("tornado.general")
    if not any(isinstance(f, PrivateTornadoMessages) for f in general.filters):
        general.addFilter(PrivateTornadoMessages())


def private_request_logs() -> None:
    """Keep client addresses, query strings and other request content out of Tornado's own
    warnings and errors.

    Tornado summarises a request as ``METHOD URI (client address)`` when it logs an HTTP
    error (``403 POST /voila/api/shutdown/... (10.0.0.7): ...``) or an uncaught exception,
    and adds the request's repr (address, URI, headers) to the latter; the URI's query holds
    join codes and resume tokens, and an HTTP error's message often quotes the request
    (Jupyter's "Blocking Cross Origin request from <Referer>"). Here a request is summarised
    by its method and the route that answered it; a refused request (4xx) is left to the
    access log's one line, a server error keeps its traceback under a fixed heading.
    """
    import tornado.log
    import tornado.web

    def _request_summary(handler) -> str:
        method = handler.request.method if handler.request.method in LOGGED_METHODS else "OTHER"
        return f"{method} {getattr(handler, 'log_name', None) or type(handler).__name__}"

    def log_exception(handler, typ, value, tb) -> None:
        if isinstance(value, tornado.web.HTTPError):
            if value.status_code >= 500:
                tornado.log.gen_log.warning("%d %s", value.status_code, handler._request_summary())
        else:
            tornado.log.app_log.error(
                "Uncaught exception %s", handler._request_summary(), exc_info=(typ, value, tb)
            )

    tornado.web.RequestHandler._request_summary = _request_summary
    tornado.web.RequestHandler.log_exception = log_exception
