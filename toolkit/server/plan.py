"""What ``workshop serve`` starts: addresses, pool sizes and culling for an audience size."""

from __future__ import annotations

import errno
import socket
from dataclasses import dataclass

from ..settings import Settings
from .launch import ServerSpec

__all__ = [
    "ServePlan",
    "plan_servers",
    "port_problem",
    "lan_address",
    "join_url",
    "public_join_url",
    "VIS_URL",
    "DASHBOARD_KERNELS",
    "DASHBOARD_LIMITS",
]

VIS_URL = "/workshop/static/vis-network.min.js?v=9.1.2"
DASHBOARD_KERNELS = 8  # the facilitator's tabs (dashboard, map), reloads included
# toolkit.server.limits.VoilaLimits fields: the dashboard keeps the defaults (1 MiB bodies and
# messages, 32 connections per client and 256 in all, 30-second timeouts).
DASHBOARD_LIMITS: dict = {}


def join_url(host: str, port: int, code: str) -> str:
    """The address participants open (the QR code): the session's join page.

    Examples
    --------
    >>> join_url("192.168.1.5", 8866, "ABC123")
    'http://192.168.1.5:8866/s/ABC123/'
    >>> join_url("fe80::1", 8866, "ABC123")
    'http://[fe80::1]:8866/s/ABC123/'
    """
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/s/{code}/"


def public_join_url(public_url: str, code: str) -> str:
    """The join page under a public address (participant workers behind a proxy).

    Examples
    --------
    >>> public_join_url("https://workshop.example.org", "ABC123")
    'https://workshop.example.org/s/ABC123/'
    >>> public_join_url("https://example.org/workshop/", "ABC123")
    'https://example.org/workshop/s/ABC123/'
    """
    return f"{public_url.rstrip('/')}/s/{code}/"


def lan_address() -> str:
    """This machine's address on the local network (no packet is sent), or 127.0.0.1."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 9))  # UDP connect only picks a route
        address = probe.getsockname()[0]
    except OSError:
        address = "127.0.0.1"
    finally:
        probe.close()
    return address


def port_problem(host: str, port: int) -> str | None:
    """Return why ``host:port`` cannot be served (in use, not an address here), or None."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return (
                    f"port {port} on {host} is already in use (another workshop server?); "
                    f"stop that program or choose another port"
                )
            if exc.errno in (errno.EADDRNOTAVAIL, errno.EINVAL):
                return f"{host} is not an address of this machine; check --host"
            if exc.errno == errno.EACCES:
                return f"no permission to use port {port}; choose a port above 1024"
            return f"cannot listen on {host}:{port} ({exc.strerror})"
    return None


@dataclass
class ServePlan:
    participant: ServerSpec | None  # None: participants are served elsewhere (workers 0)
    dashboard: ServerSpec
    join_url: str
    dashboard_url: str


def plan_servers(
    *,
    code: str,
    host: str,
    port: int,
    dashboard_port: int,
    env: dict[str, str],
    workers: int = 1,
    public_url: str = "",
) -> ServePlan:
    """The two servers: the participant web app on ``host`` (the LAN; no kernels), the
    dashboard, map explorer and presenter view (Voila) on 127.0.0.1 only.

    ``public_url``: the address participants open when it is not this machine's (workers
    behind nginx); with ``workers=0`` no participant server is started here at all.
    """
    if public_url:
        url = public_join_url(public_url, code)
    else:
        public = lan_address() if host in ("0.0.0.0", "", "::") else host  # noqa: S104
        url = join_url(public, port, code)
    shared = {**env, **Settings(session=code, join_url=url, vis_url=VIS_URL).environ()}
    participant = ServerSpec(
        routes={},
        ip=host or "0.0.0.0",  # noqa: S104
        port=port,
        env=shared,
        role="participant",
        kind="web",
        session=code,
        workers=workers,
    )
    dashboard = ServerSpec(
        routes={"/": "facilitator.ipynb", "/map": "explorer.ipynb"},
        ip="127.0.0.1",
        port=dashboard_port,
        max_kernels=DASHBOARD_KERNELS,
        env=shared,
        role="dashboard",
        session=code,
        presenter=True,
        loopback_only=True,
        limits=dict(DASHBOARD_LIMITS),
    )
    return ServePlan(
        participant if workers else None, dashboard, url, f"http://127.0.0.1:{dashboard_port}/"
    )
