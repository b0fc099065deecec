"""What the browser asked for: the query string of the page that started this kernel."""

from __future__ import annotations

import json
import logging
import os
from urllib.parse import parse_qs

__all__ = ["query_params", "wait_for_request"]


def wait_for_request(timeout: float = 24 * 3600) -> dict:
    """In a preheated Voila kernel: block until the page is requested, then return (and put
    into ``os.environ``) the request's details (``QUERY_STRING``, ``SERVER_NAME``, ...).

    This speaks the same small protocol as ``voila.utils.wait_for_request`` (one JSON message
    on ``/voila/query/<kernel id>``) without importing Voila, whose import pulls in
    jupyter_server: 1.4 CPU seconds and tens of MB in every participant kernel.
    """
    from websockets.sync.client import connect

    host = os.environ.get("VOILA_APP_IP", "127.0.0.1")
    port = os.environ.get("VOILA_APP_PORT", "8866")
    base = os.environ.get("VOILA_WS_BASE_URL") or os.environ.get("VOILA_SERVER_URL", "/")
    protocol = os.environ.get("VOILA_WS_PROTOCOL", "ws")
    url = f"{protocol}://{host}:{port}{base}voila/query/{os.environ['VOILA_KERNEL_ID']}"
    with connect(url, open_timeout=10, close_timeout=1) as socket:
        info = json.loads(socket.recv(timeout=timeout))
    os.environ.update({str(k): str(v) for k, v in info.items()})
    return info


def query_params() -> dict[str, str]:
    """Return the page's query parameters (first value of each), ``{}`` outside Voila.

    A preheated kernel runs before anyone asks for it and learns the query string only when
    the page is requested (:func:`wait_for_request`); a kernel started for a request has it
    in ``QUERY_STRING`` from the start.
    """
    if os.environ.get("VOILA_PREHEAT") == "True" and os.environ.get("VOILA_KERNEL_ID"):
        try:
            query = wait_for_request().get("QUERY_STRING", "")
        except (OSError, TimeoutError, ValueError) as exc:  # the app still starts, asks a code
            logging.getLogger("workshop.request").warning("no request details: %s", exc)
            query = ""
    else:
        query = os.environ.get("QUERY_STRING", "")
    return {key: values[0] for key, values in parse_qs(query).items() if values}
