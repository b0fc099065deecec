"""Bounds a client cannot push past: wrong join codes, open connections, request sizes;
and the process's own limit on open files.

Client addresses are used only here, in memory, as keys of counters (hashed with a random
salt per process); they are never stored or logged.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field

__all__ = ["ParticipantLimits", "WrongCodes", "Connections", "client_key", "raise_open_file_limit"]

_SALT = secrets.token_bytes(16)


def client_key(address: str | None) -> str:
    """A key for counting a client's requests; the address itself is not kept.

    Examples
    --------
    >>> client_key("10.0.0.7") == client_key("10.0.0.7") != client_key("10.0.0.8")
    True
    """
    return hashlib.blake2b((address or "?").encode(), key=_SALT, digest_size=8).hexdigest()


class WrongCodes:
    """At most ``limit`` wrong join codes per client within ``window`` seconds.

    Examples
    --------
    >>> codes = WrongCodes(limit=2, window=60)
    >>> codes.wait("k"), codes.failed("k"), codes.failed("k"), codes.wait("k") > 0
    (0, None, None, True)
    """

    def __init__(self, limit: int = 10, window: float = 60.0, max_clients: int = 100_000):
        self.limit, self.window, self.max_clients = limit, window, max_clients
        self._seen: dict[str, deque] = {}

    def _recent(self, key: str, now: float) -> deque:
        times = self._seen.get(key)
        if times is None:
            if len(self._seen) >= self.max_clients:  # bounded memory: forget the oldest
                self._seen.pop(next(iter(self._seen)))
            times = self._seen[key] = deque(maxlen=self.limit)
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def wait(self, key: str) -> int:
        """Seconds this client must wait before trying another code (0: go ahead)."""
        now = time.monotonic()
        times = self._recent(key, now)
        if len(times) < self.limit:
            return 0
        return max(1, int(self.window - (now - times[0])) + 1)

    def failed(self, key: str) -> None:
        self._recent(key, time.monotonic()).append(time.monotonic())


@dataclass
class Connections:
    """Open connections, per client and in all, each under its cap."""

    per_client: int
    total: int
    _open: dict = field(default_factory=lambda: defaultdict(int))
    _count: int = 0

    def claim(self, key: str, per_client: bool = True) -> bool:
        """Take one place for ``key``; False when a cap is reached (nothing taken).
        ``per_client=False``: only the total counts (all of them come through one proxy).

        Examples
        --------
        >>> c = Connections(per_client=1, total=5)
        >>> c.claim("a"), c.claim("a"), c.claim("b"), c.claim("b", per_client=False)
        (True, False, True, True)
        """
        over_client = per_client and self._open[key] >= self.per_client
        if self._count >= self.total or over_client:
            if not self._open[key]:
                del self._open[key]
            return False
        self._open[key] += 1
        self._count += 1
        return True

    def release(self, key: str) -> None:
        if self._open.get(key):
            self._open[key] -= 1
            self._count -= 1
            if not self._open[key]:
                del self._open[key]

    @property
    def count(self) -> int:
        return self._count


@dataclass
class ParticipantLimits:
    """Every bound of one participant server (defaults sized for a 1,000-person room)."""

    max_body_bytes: int = 64 * 1024  # one question's form, with room to spare
    max_header_bytes: int = 16 * 1024
    max_connections: int = 6000  # TCP connections in all
    max_connections_per_client: int = 64  # a NAT may put a few phones behind one address
    max_streams: int = 5000  # live-update streams in all
    max_streams_per_client: int = 16
    idle_timeout: float = 30.0  # seconds a connection may sit between requests
    body_timeout: float = 20.0
    drop_seconds: float = 5.0  # how long the body of a refused (too large) request is dropped
    wrong_codes: int = 10  # per client per minute


def raise_open_file_limit(wanted: int = 65536) -> int:
    """Raise this process's soft limit on open files towards its hard limit; return it.

    Every kernel holds about ten sockets in the server (ZeroMQ channels, its websocket),
    so 150 participants with the pool need well over the common default of 1024; at the
    limit ZeroMQ fails with "Too many open files" and visitors get errors. Kernels inherit
    the raised limit. Where there is no such limit (Windows) nothing changes.
    """
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return -1
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):  # e.g. macOS refuses some values; keep what we have
            pass
    return soft
