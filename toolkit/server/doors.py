"""Loopback doors for a Tornado app: only loopback ``Host`` names, only its own ``Origin``.

A server bound to 127.0.0.1 is still reachable from any web page the facilitator opens:
through DNS rebinding (``attacker.example`` resolving to 127.0.0.1, so the browser sends
``Host: attacker.example:PORT``), and through plain cross-site requests (a form posted to
``http://127.0.0.1:PORT``, a websocket opened from another site, an ``<img>`` that makes the
server start a kernel). :func:`guard` puts one rule in front of every route of a
``tornado.web.Application`` that refuses, with a short plain 403, every request

- whose ``Host`` is not a loopback name or address (:func:`is_loopback_host`),
- that opens a websocket or changes state (POST, PUT, PATCH, DELETE) from another origin
  (:func:`same_origin`).

The rule sits in the application's router, so it covers every handler, also those added
after :func:`guard` is called, and the refusal happens before a body is read or a websocket
is opened. A handler whose GET is costly (a Voila page starts a kernel) also refuses being
loaded by another site's page as an image, script or frame (:func:`cross_site_load`); static
files stay loadable, as the map's sandboxed frame (an opaque origin, so "cross-site" to the
browser) loads its script.
"""

from __future__ import annotations

import ipaddress
import re

import tornado.routing
import tornado.web

__all__ = [
    "is_loopback_host",
    "same_origin",
    "refusal",
    "cross_site_load",
    "guard",
    "Refused",
    "LOOPBACK_NAMES",
    "REFUSED_TEXT",
]

LOOPBACK_NAMES = frozenset({"localhost"})
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
REFUSED_TEXT = (
    "Geweigerd: deze pagina is alleen op deze computer te openen (localhost).\n"
    "Refused: this page is only served to this computer (localhost).\n"
)
_HOST = re.compile(r"^(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<name>[^\[\]:]+))(?::(?P<port>\d{1,5}))?$")


def is_loopback_host(host_header: str | None) -> bool:
    """Is ``host_header`` (a ``Host`` header's value) a loopback name or address?

    ``localhost``, any 127.0.0.0/8 address and ``[::1]`` pass, with or without a port;
    every other name, an empty or malformed value, or several values do not.

    Examples
    --------
    >>> [is_loopback_host(h) for h in ("localhost:8866", "127.0.0.5", "[::1]:80")]
    [True, True, True]
    >>> [is_loopback_host(h) for h in ("attacker.example:8866", "127.0.0.1.nip.io", "", None)]
    [False, False, False, False]
    """
    if not host_header:
        return False
    match = _HOST.match(host_header.strip())
    if not match or (match.group("port") and not 0 < int(match.group("port")) < 65536):
        return False
    if match.group("v6"):
        try:
            return ipaddress.IPv6Address(match.group("v6")).is_loopback
        except ValueError:
            return False
    name = match.group("name").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.IPv4Address(name).is_loopback
    except ValueError:
        return False


def same_origin(handler) -> bool:
    """Does the request (a handler or an ``HTTPServerRequest``) come from its own origin?

    True when it carries no ``Origin`` (scripts, and browsers for same-origin GETs), or
    when its ``Origin`` is the request's own ``scheme://host[:port]``; ``null`` and every
    other origin are foreign.
    """
    request = getattr(handler, "request", handler)
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    own = f"{request.protocol}://{request.host}".lower()
    return origin.strip().lower() == own


def refusal(request, *, loopback_only: bool = True) -> str | None:
    """Why ``request`` must be refused (``"host"`` or ``"origin"``), or None.

    ``loopback_only=False`` keeps only the origin check (a server that answers to the
    network under its own name, such as the participant server).
    """
    headers = request.headers
    host = headers.get("Host")
    if loopback_only and host is not None and not is_loopback_host(host):
        return "host"
    upgrade = headers.get("Upgrade", "").lower() == "websocket"
    if (upgrade or request.method in UNSAFE_METHODS) and not same_origin(request):
        return "origin"
    return None


def cross_site_load(request) -> bool:
    """Is ``request`` another site's page loading this URL as a resource (an image,
    script, frame, fetch), not the visitor opening it (a top-level navigation)?

    Browsers say so in ``Sec-Fetch-Site``/``-Mode``/``-Dest``; without them (scripts, old
    browsers) it is not. ``same-site`` counts too: another port of 127.0.0.1 is another
    program.
    """
    headers = request.headers
    if headers.get("Sec-Fetch-Site", "") not in ("cross-site", "same-site"):
        return False
    top_level = (
        headers.get("Sec-Fetch-Mode") == "navigate"
        and headers.get("Sec-Fetch-Dest", "document") == "document"
    )
    return not (top_level and request.method == "GET")


class Refused(tornado.web.RequestHandler):
    """The answer to a refused request: 403, a short plain text, nothing else."""

    def initialize(self, reason: str = "host") -> None:
        self.reason = reason

    @property
    def log_name(self) -> str:
        """What the access log shows for this request (no part of the request itself)."""
        return f"refused ({self.reason})"

    def check_xsrf_cookie(self) -> None:
        """Refused anyway: no XSRF error (and no log line about it) first."""

    def prepare(self) -> None:
        self.clear()
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.finish(REFUSED_TEXT)


class _Doors(tornado.routing.Matcher):
    def __init__(self, loopback_only: bool):
        self.loopback_only = loopback_only

    def match(self, request):
        reason = refusal(request, loopback_only=self.loopback_only)
        return None if reason is None else {"target_kwargs": {"reason": reason}}


def guard(app: tornado.web.Application, *, loopback_only: bool = True):
    """Put the doors in front of every route of ``app`` (also routes added later); return it.

    Examples
    --------
    >>> import tornado.web
    >>> app = guard(tornado.web.Application([]))
    >>> type(app.default_router.rules[0].matcher).__name__
    '_Doors'
    """
    rules = app.default_router.rules
    if not any(isinstance(rule.matcher, _Doors) for rule in rules):
        rule = app.default_router.process_rule(tornado.routing.Rule(_Doors(loopback_only), Refused))
        rules.insert(0, rule)
    return app
