"""What the browser asked for: the query string of the page that started this kernel."""

from __future__ import annotations

import os
from urllib.parse import parse_qs

__all__ = ["query_params"]


def query_params(timeout: float | None = None) -> dict[str, str]:
    """Return the page's query parameters (first value of each), ``{}`` outside Voila.

    A preheated Voila kernel runs before anyone asks for it; the request's query string only
    reaches it through ``voila.utils.wait_for_request`` (this blocks until the page is
    requested). A kernel started for a request has it in ``QUERY_STRING``.
    """
    query = ""
    if os.environ.get("VOILA_PREHEAT") == "True":
        from voila.utils import get_query_string

        query = get_query_string() or ""  # waits for the request (call it only once)
    else:
        query = os.environ.get("QUERY_STRING", "")
    return {key: values[0] for key, values in parse_qs(query).items() if values}
