"""Several participant processes on one port, and a new one when a worker dies.

On Linux each worker opens the port itself with ``SO_REUSEPORT`` and the kernel spreads
new connections evenly over them. On macOS (where ``SO_REUSEPORT`` does not spread them)
the parent opens the port and the workers inherit it; whichever is free accepts the next
connection. Windows cannot pass a listening socket on, so a single worker runs there.
Workers keep no state of their own: the store holds everything, so any worker can serve
any request.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time

import tornado.netutil

__all__ = ["run_workers", "SUPPORTED", "REUSE_PORT"]

log = logging.getLogger("workshop.workers")
SUPPORTED = os.name == "posix"  # several processes on one listening port
REUSE_PORT = sys.platform.startswith("linux")


def run_workers(args, count: int, worker_args: list[str]) -> int:
    """Run ``count`` workers on ``args.host:args.port`` until SIGTERM/SIGINT."""
    if REUSE_PORT:
        sockets = []
        address = ["--host", args.host, "--port", str(args.port), "--reuse-port"]
        command = [sys.executable, "-m", "toolkit.web", *address, *worker_args]
    else:
        sockets = tornado.netutil.bind_sockets(args.port, args.host)
        for sock in sockets:
            sock.set_inheritable(True)
        fds = ",".join(str(sock.fileno()) for sock in sockets)
        command = [sys.executable, "-m", "toolkit.web", "--fds", fds, *worker_args]
    stopping = []
    for name in ("SIGTERM", "SIGINT"):
        signal.signal(getattr(signal, name), lambda *_: stopping.append(True))
    workers: dict[int, subprocess.Popen] = {}
    started: dict[int, float] = {}

    def start(slot: int) -> None:
        workers[slot] = subprocess.Popen(
            command, pass_fds=[s.fileno() for s in sockets], env={**os.environ}
        )
        started[slot] = time.monotonic()

    for slot in range(count):
        start(slot)
    log.info("%d participant workers on %s:%s", count, args.host, args.port)
    backoff: dict[int, float] = {}
    while not stopping:
        for slot, process in list(workers.items()):
            code = process.poll()
            if code is None:
                continue
            quick = time.monotonic() - started[slot] < 10  # crashing at start: slow down
            wait = min(backoff.get(slot, 0.5) * 2, 30.0) if quick else 0.5
            backoff[slot] = wait
            log.warning("participant worker %d stopped (exit %s); starting another", slot, code)
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline and not stopping:
                time.sleep(0.1)
            if not stopping:
                start(slot)
        time.sleep(0.2)
    for process in workers.values():
        if process.poll() is None:
            process.terminate()
    for process in workers.values():
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
    for sock in sockets:
        sock.close()
    return 0
