"""One writer at a time on a SQLite file, queued on an operating-system file lock.

Every Voila kernel writes to the same SQLite file through its own connection. SQLite lets a
writer that finds the file locked sleep and retry (1, 2, 5, 10, ... 100 ms): under many
writers most of the time goes to sleeping, and an unlucky writer waits for seconds. Here a
writer first takes an exclusive ``flock`` on a companion file (``<database>-writer.lock``);
the kernel wakes the next writer the moment the lock is free. The lock goes with its
process, so a writer killed with ``kill -9`` cannot leave it held.

A writer that cannot get the lock within the busy timeout gives up with the same
StoreUnavailable as a locked database. Where ``fcntl`` does not exist (Windows) there is no
gate and SQLite's own retries apply.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager, nullcontext
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

__all__ = ["WriteGate", "write_gate"]


class WriteGate:
    """An exclusive lock shared by every process that writes one SQLite file.

    Examples
    --------
    >>> import tempfile, os
    >>> gate = WriteGate(os.path.join(tempfile.mkdtemp(), "w.db-writer.lock"), timeout=1.0)
    >>> with gate.hold():
    ...     pass
    >>> gate.close()
    """

    def __init__(self, path: str | Path, timeout: float):
        self.path = str(path)
        self.timeout = timeout
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        self._in_process = threading.Lock()  # flock is per open file, not per thread
        self._waiter = ThreadPoolExecutor(1, thread_name_prefix="sqlite-write-gate")
        self._abandoned: Future | None = None  # a wait whose caller gave up
        self._claim = threading.Lock()  # guards _abandoned

    @contextmanager
    def hold(self):
        """Hold the lock for one write transaction; TimeoutError when it does not come."""
        if not self._in_process.acquire(timeout=self.timeout):
            raise TimeoutError("another write of this process holds the database")
        try:
            self._lock_file()
            try:
                yield
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._in_process.release()

    def _lock_file(self) -> None:
        with self._claim:  # take over a wait an earlier write gave up on, if any
            pending, self._abandoned = self._abandoned, None
        if pending is not None:
            try:
                pending.result(timeout=self.timeout)
                return  # it came: the lock is ours
            except FutureTimeout:
                self._abandon(pending)
                raise TimeoutError("the database's writer lock is held elsewhere") from None
            except OSError:
                pass
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        # A blocking flock cannot time out: wait for it in a helper thread.
        waiting = self._waiter.submit(fcntl.flock, self._fd, fcntl.LOCK_EX)
        try:
            waiting.result(timeout=self.timeout)
        except FutureTimeout:
            self._abandon(waiting)
            raise TimeoutError("the database's writer lock is held elsewhere") from None

    def _abandon(self, waiting: Future) -> None:
        """Nobody waits for ``waiting`` now: if its lock comes before the next write takes
        the wait over, give the lock back at once."""
        with self._claim:
            self._abandoned = waiting
        waiting.add_done_callback(self._give_back)

    def _give_back(self, waiting: Future) -> None:
        with self._claim:
            if self._abandoned is not waiting:
                return  # a later write took it over
            self._abandoned = None
        if not waiting.cancelled() and waiting.exception() is None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        self._waiter.shutdown(wait=False, cancel_futures=True)
        try:
            os.close(self._fd)
        except OSError:
            pass


def write_gate(database: str | None, timeout: float):
    """A WriteGate for a SQLite file (a no-op context for memory databases or Windows).

    Examples
    --------
    >>> with write_gate(":memory:", 1.0).hold():
    ...     pass
    """
    if fcntl is None or not database or database == ":memory:":
        return _NoGate()
    try:
        return WriteGate(f"{database}-writer.lock", timeout)
    except OSError:  # e.g. a read-only folder: SQLite's own retries still apply
        return _NoGate()


class _NoGate:
    def hold(self):
        return nullcontext()

    def close(self) -> None:
        pass
