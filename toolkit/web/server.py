"""Run one participant server: the app behind an HTTP server with every limit set."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import signal
import socket
import sys
import threading
import time
from dataclasses import replace

import tornado.netutil

from ..settings import SettingsError, current
from .app import make_app
from .base import CSP
from .capped_server import CappedHTTPServer
from .feed import listen_for_changes
from .limits import ParticipantLimits, raise_open_file_limit
from .logs import private_logs
from .site import Site

__all__ = ["run", "main", "FULL_PAGE", "http_server"]

log = logging.getLogger("workshop.web")

FULL_PAGE = (
    b"<!doctype html><html lang='nl'><meta charset='utf-8'>"
    b"<meta name='viewport' content='width=device-width,initial-scale=1'>"
    b"<title>Het is even vol / It is full</title>"
    b"<body style='font:1.1rem system-ui,sans-serif;max-width:32rem;margin:2rem auto;"
    b"padding:0 1rem'><h1>Het is even vol</h1><p>Er zijn nu te veel verbindingen. Wacht een "
    b"paar seconden en laad de pagina opnieuw.</p><h2 lang='en'>It is full right now</h2>"
    b"<p lang='en'>There are too many connections right now. Wait a few seconds and reload "
    b"the page.</p></body></html>"
)


# The answer to a connection over a cap: the 'vol' page with the pages' security headers.
_REFUSAL = (
    "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/html; charset=utf-8\r\n"
    f"Content-Security-Policy: {CSP}\r\nX-Content-Type-Options: nosniff\r\n"
    "Cache-Control: no-store\r\n"
    f"Retry-After: 5\r\nConnection: close\r\nContent-Length: {len(FULL_PAGE)}\r\n\r\n"
).encode() + FULL_PAGE


def http_server(app, limits: ParticipantLimits, *, behind_proxy: bool = False) -> CappedHTTPServer:
    """The HTTP server for ``app`` with the limits: connections per client and in all
    (behind a proxy only the total; the per-client caps are kept per request, by X-Real-IP),
    request and header sizes checked before a body is read, slow or idle clients timed out."""
    return CappedHTTPServer(
        app,
        per_client=limits.max_connections_per_client,
        total=limits.max_connections,
        refusal=_REFUSAL,
        xheaders=behind_proxy,
        max_body_size=limits.max_body_bytes,
        max_buffer_size=limits.max_body_bytes + limits.max_header_bytes,
        max_header_size=limits.max_header_bytes,
        idle_connection_timeout=limits.idle_timeout,
        body_timeout=limits.body_timeout,
        decompress_request=False,
    )


async def serve(args) -> None:
    from ..store import Store

    raise_open_file_limit()  # a live page holds a connection: 1024 would cap a worker
    store = Store.open(args.db)
    loop = asyncio.get_running_loop()
    limits = ParticipantLimits()
    if args.streams_per_address:
        each = args.streams_per_address
        limits = replace(
            limits,
            max_streams_per_client=each,
            max_connections_per_client=max(limits.max_connections_per_client, 4 * each),
        )
    site = Site(store, session_code=args.session or "", limits=limits)
    app = make_app(site)
    server = http_server(app, site.limits, behind_proxy=args.behind_proxy)
    if args.fds:  # a worker: the listening socket(s) come from the parent (workers.py)
        sockets = [socket.socket(fileno=int(fd)) for fd in args.fds.split(",")]
        for sock in sockets:
            sock.setblocking(False)
    else:
        sockets = tornado.netutil.bind_sockets(args.port, args.host, reuse_port=args.reuse_port)
    server.add_sockets(sockets)
    # What is loaded by now (modules, templates, the exercise library) lives as long as the
    # process: out of the collector's sight, a full collection in a busy room pauses the
    # event loop about a quarter less (190 -> 140 ms at 1,000 pages; bench/README.md).
    gc.collect()
    gc.freeze()
    site.hub.start()
    listen_for_changes(store, lambda: loop.call_soon_threadsafe(site.hub.poke))
    log.info("participant server on %s:%s", args.host, args.port)
    stopped = asyncio.Event()
    if args.fds or args.reuse_port:  # a worker of run_workers: it goes when its parent goes
        _stop_with_parent(loop, stopped, args.parent)
    for name in ("SIGTERM", "SIGINT"):
        if hasattr(signal, name):
            try:
                loop.add_signal_handler(getattr(signal, name), stopped.set)
            except NotImplementedError:  # Windows: Ctrl-C still ends the process
                pass
    await stopped.wait()
    server.stop()
    site.hub.stop()
    await server.close_all_connections()
    site.pool.shutdown(wait=False)
    store.close()


def _stop_with_parent(loop, stopped: asyncio.Event, parent: int) -> None:
    """Set ``stopped`` once ``parent``, the process that started this worker, is gone (even
    by SIGKILL): an orphaned worker would keep serving the port with nobody to replace or
    stop it."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        log.warning("the worker supervisor has gone; stopping this worker")
        loop.call_soon_threadsafe(stopped.set)

    threading.Thread(target=watch, name="workshop-parent-watch", daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    # Who started this process, read before anything else: a worker watches it
    # (_stop_with_parent). Read after the port listens, a parent killed at that moment is
    # already gone: the worker takes init for its parent and never stops.
    parent = os.getppid()
    parser = argparse.ArgumentParser(prog="python -m toolkit.web")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8866)
    parser.add_argument("--db", default=None, help="store URL (default: WORKSHOP_DB)")
    parser.add_argument("--session", default="", help="the session code of this workshop")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="participant processes sharing the port (Linux and macOS; Windows runs one)",
    )
    parser.add_argument("--fds", default="", help=argparse.SUPPRESS)  # set for a worker
    parser.add_argument("--reuse-port", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--behind-proxy", action="store_true", help="trust X-Real-IP from a reverse proxy"
    )
    parser.add_argument(
        "--streams-per-address",
        type=int,
        default=0,
        metavar="N",
        help="live pages one client address may hold "
        f"(default {ParticipantLimits().max_streams_per_client}); raise it when many "
        "participants share one address (a venue's NAT, a mobile carrier's)",
    )
    args = parser.parse_args(argv)
    args.parent = parent
    try:
        current()
    except SettingsError as exc:
        parser.exit(2, f"{parser.prog}: {exc}\n")
    logging.basicConfig(level=logging.INFO, format="[%(name)s] %(levelname)s %(message)s")
    private_logs()
    if args.workers > 1 and not args.fds and not args.reuse_port:
        from .workers import SUPPORTED, run_workers

        if SUPPORTED:
            from ..store import Store

            Store.open(args.db).close()  # create or upgrade the schema once, before them
            return run_workers(args, args.workers, _worker_args(args))
        log.warning("several workers need Linux or macOS; running one")
    asyncio.run(serve(args))
    return 0


def _worker_args(args) -> list[str]:
    """The options a worker gets from its parent (all but the address and the count)."""
    out = ["--session", args.session or ""]
    if args.db:
        out += ["--db", args.db]
    if args.behind_proxy:
        out.append("--behind-proxy")
    if args.streams_per_address:
        out += ["--streams-per-address", str(args.streams_per_address)]
    return out


def run() -> None:  # pragma: no cover - console entry
    sys.exit(main())
