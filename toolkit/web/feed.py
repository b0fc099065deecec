"""Changes written by other processes, as soon as they commit.

On PostgreSQL every write notifies ``workshop_changes`` (``Store._bump``); a listener
thread here wakes the hub at once. On SQLite (one machine) the hub's poll of the change
counters is the signal: one cheap query per process a few times a second.
"""

from __future__ import annotations

import logging
import threading
import time

from ..store.store import CHANGE_CHANNEL

__all__ = ["listen_for_changes"]

log = logging.getLogger("workshop.live")


def listen_for_changes(store, on_change) -> threading.Thread | None:
    """On PostgreSQL, start a thread that calls ``on_change()`` for every notification
    (reconnecting after a lost connection); elsewhere do nothing and return None."""
    if store.engine.dialect.name != "postgresql":
        return None
    thread = threading.Thread(
        target=_listen, args=(store, on_change), name="workshop-listen", daemon=True
    )
    thread.start()
    return thread


def _listen(store, on_change) -> None:
    import psycopg

    url = store.engine.url.set(drivername="postgresql")
    conninfo = url.render_as_string(hide_password=False)
    delay = 0.5
    while True:
        try:
            with psycopg.connect(conninfo, autocommit=True) as conn:
                conn.execute(f"LISTEN {CHANGE_CHANNEL}")
                delay = 0.5
                on_change()  # catch up with whatever happened while not listening
                for _notice in conn.notifies():
                    on_change()
        except Exception as exc:  # the server went away: try again, a line per outage
            log.warning("change notifications lost (%s); reconnecting", type(exc).__name__)
            time.sleep(delay)
            delay = min(delay * 2, 10.0)
