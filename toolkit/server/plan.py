"""What ``workshop serve`` starts: addresses, pool sizes and culling for an audience size."""

from __future__ import annotations

import errno
import socket
from dataclasses import dataclass

from .launch import ServerSpec

__all__ = [
    "ServePlan",
    "plan_servers",
    "port_problem",
    "lan_address",
    "pool_size",
    "kernel_cap",
    "CULL_IDLE_SECONDS",
    "DASHBOARD_KERNELS",
    "DASHBOARD_LIMITS",
    "PARTICIPANT_LIMITS",
]

CULL_IDLE_SECONDS = 900  # a disconnected participant kernel is shut down after 15 minutes
VIS_URL = "/workshop/static/vis-network.min.js?v=9.1.2"
DASHBOARD_KERNELS = 8  # the facilitator's tabs (dashboard, map), reloads included
# toolkit.server.limits.Limits: the dashboard keeps the defaults (1 MiB bodies and messages,
# 32 connections per client, 256 in all). Participants may paste a 10 MB text into a box,
# share one address behind a NAT or proxy, and come by the hundred.
DASHBOARD_LIMITS: dict = {}
PARTICIPANT_LIMITS = {
    "max_message_bytes": 16 * 1024 * 1024,
    "write_buffer_bytes": 32 * 1024 * 1024,
    "per_client": 0,
    "total": 8192,
}


def pool_size(expected: int) -> int:
    """Preheated participant kernels for an audience of ``expected``: all of them.

    A join wave (everyone scans the QR code in the same half minute) is faster than this
    machine can start kernels (about a CPU second each), so every expected participant gets
    a kernel started before the workshop; ``workshop check`` says whether memory allows it.

    Examples
    --------
    >>> pool_size(20), pool_size(150)
    (20, 150)
    """
    return max(2, min(500, int(expected)))


def kernel_cap(expected: int) -> int:
    """Most kernels (pooled + in use) for ``expected`` participants: 10 % (at least 5) more.

    Examples
    --------
    >>> kernel_cap(150)
    165
    """
    return int(expected) + max(5, int(expected) // 10)


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
    participant: ServerSpec
    dashboard: ServerSpec
    join_url: str
    dashboard_url: str


def plan_servers(
    *, code: str, host: str, port: int, dashboard_port: int, expected: int, env: dict[str, str]
) -> ServePlan:
    """The two servers: participants on ``host`` (the LAN), the dashboard on 127.0.0.1."""
    public = lan_address() if host in ("0.0.0.0", "", "::") else host  # noqa: S104
    shown = f"[{public}]" if ":" in public else public
    join_url = f"http://{shown}:{port}/?code={code}"
    shared = {
        **env,
        "WORKSHOP_SESSION": code,
        "WORKSHOP_JOIN_URL": join_url,
        "WORKSHOP_VIS_URL": VIS_URL,
    }
    participant = ServerSpec(
        routes={"/": "participant.ipynb", "/map": "explorer.ipynb"},
        ip=host or "0.0.0.0",  # noqa: S104
        port=port,
        pools={"participant.ipynb": pool_size(expected)},
        cull_idle_seconds=CULL_IDLE_SECONDS,
        max_kernels=kernel_cap(expected),
        env=shared,
        role="participant",
        limits=dict(PARTICIPANT_LIMITS),
    )
    dashboard = ServerSpec(
        routes={"/": "facilitator.ipynb", "/map": "explorer.ipynb"},
        ip="127.0.0.1",
        port=dashboard_port,
        pools={},
        cull_idle_seconds=0,
        max_kernels=DASHBOARD_KERNELS,
        env=shared,
        role="dashboard",
        loopback_only=True,
        limits=dict(DASHBOARD_LIMITS),
    )
    return ServePlan(participant, dashboard, join_url, f"http://127.0.0.1:{dashboard_port}/")
