"""The kernel's event loop, for apps that schedule work after a cell has returned."""

from __future__ import annotations

import asyncio

__all__ = ["running_loop"]


def running_loop() -> asyncio.AbstractEventLoop | None:
    """The running event loop (in a Jupyter or Voila kernel), or None (scripts, tests).

    Examples
    --------
    In a thread of its own, as in a script, there is none:

    >>> import threading
    >>> found = []
    >>> worker = threading.Thread(target=lambda: found.append(running_loop()))
    >>> worker.start(); worker.join()
    >>> found
    [None]
    """
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        pass
    try:
        loop = asyncio.get_event_loop()
    except RuntimeError:
        return None
    return loop if loop.is_running() else None
