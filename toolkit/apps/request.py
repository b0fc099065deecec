"""What the browser asked for: the query string of the page that started this kernel."""

from __future__ import annotations

import os
from urllib.parse import parse_qs

__all__ = ["query_params"]


def query_params() -> dict[str, str]:
    """Return the page's query parameters (first value of each), ``{}`` outside Voila.

    Voila gives a kernel started for a request its query string in ``QUERY_STRING``.

    Examples
    --------
    >>> os.environ["QUERY_STRING"] = "lang=en&x=1"
    >>> query_params()["lang"]
    'en'
    >>> del os.environ["QUERY_STRING"]
    """
    query = os.environ.get("QUERY_STRING", "")
    return {key: values[0] for key, values in parse_qs(query).items() if values}
