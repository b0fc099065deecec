"""A Tornado HTTP server on its own event loop in a thread, on a free loopback port."""

from __future__ import annotations

import asyncio
import socket
import threading
from contextlib import contextmanager

import tornado.ioloop


@contextmanager
def serve_in_thread(make_server):
    """Start ``make_server()`` (called on the new loop, returns an ``HTTPServer``) on
    127.0.0.1 and a free port in a thread of its own; yield the port; stop it after."""
    started, holder = threading.Event(), {}

    def serve():
        asyncio.set_event_loop(asyncio.new_event_loop())
        server = make_server()
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        sock.setblocking(False)
        server.add_socket(sock)
        holder.update(port=sock.getsockname()[1], loop=tornado.ioloop.IOLoop.current())
        started.set()
        holder["loop"].start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert started.wait(30), "the server in the thread did not start"
    try:
        yield holder["port"]
    finally:
        holder["loop"].add_callback(holder["loop"].stop)
        thread.join(10)
