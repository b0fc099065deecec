"""One writer at a time on a SQLite file, queued on an operating-system file lock.

Every Voila kernel writes to the same SQLite file through its own connection. SQLite lets a
writer that finds the file locked sleep and retry (1, 2, 5, 10, ... 100 ms): under many
writers most of the time goes to sleeping, and an unlucky writer waits for seconds. Here a
writer first takes an exclusive lock on a companion file (``<database>-writer.lock``). On
POSIX that is ``flock``, and the kernel wakes the next writer the moment the lock is free;
on Windows it is ``portalocker`` (``msvcrt.locking``), which cannot wait, so a waiting
writer tries again every 5 ms. The lock goes with its process, so a writer killed with
``kill -9`` cannot leave it held.

A writer that cannot get the lock within the busy timeout gives up with the same
StoreUnavailable as a locked database. Where neither lock exists there is no gate and
SQLite's own retries apply.
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager, nullcontext
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

__all__ = ["FlockLocks", "PortalockerLocks", "WriteGate", "default_locks", "write_gate"]


class FlockLocks:
    """Exclusive ``flock`` on an open file (POSIX): a blocked waiter wakes at once."""

    def try_lock(self, file) -> bool:
        try:
            fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def wait_lock(self, file) -> None:
        fcntl.flock(file.fileno(), fcntl.LOCK_EX)

    def unlock(self, file) -> None:
        fcntl.flock(file.fileno(), fcntl.LOCK_UN)


class PortalockerLocks:
    """Exclusive lock through ``portalocker`` (Windows: ``msvcrt.locking``), polled."""

    poll_seconds = 0.005

    def __init__(self):
        import portalocker

        self._portalocker = portalocker
        self._flags = portalocker.LockFlags.EXCLUSIVE | portalocker.LockFlags.NON_BLOCKING

    def try_lock(self, file) -> bool:
        try:
            self._portalocker.lock(file, self._flags)
            return True
        except self._portalocker.AlreadyLocked:
            return False
        except self._portalocker.LockException as exc:  # not a held lock: as flock would
            raise OSError(f"cannot lock {getattr(file, 'name', file)}: {exc}") from exc

    def wait_lock(self, file) -> None:
        while not self.try_lock(file):  # ends with an OSError once the gate is closed
            time.sleep(self.poll_seconds)

    def unlock(self, file) -> None:
        self._portalocker.unlock(file)


def default_locks():
    """The platform's file lock: ``flock`` where ``fcntl`` exists, else ``portalocker``,
    else None (no gate)."""
    if fcntl is not None:
        return FlockLocks()
    try:
        return PortalockerLocks()
    except ImportError:
        return None


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

    def __init__(self, path: str | Path, timeout: float, locks=None):
        self.path = str(path)
        self.timeout = timeout
        self._locks = locks or default_locks()
        if self._locks is None:
            raise OSError("no file lock on this platform")
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0)
        self._file = os.fdopen(os.open(self.path, flags, 0o600), "r+b", buffering=0)
        self._in_process = threading.Lock()  # the file lock is per open file, not per thread
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
                self._locks.unlock(self._file)
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
        if self._locks.try_lock(self._file):
            return
        # A blocking lock cannot time out: wait for it in a helper thread.
        waiting = self._waiter.submit(self._locks.wait_lock, self._file)
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
            self._locks.unlock(self._file)

    def close(self) -> None:
        self._waiter.shutdown(wait=False, cancel_futures=True)
        try:
            self._file.close()
        except OSError:
            pass


def write_gate(database: str | None, timeout: float):
    """A WriteGate for a SQLite file (a no-op for memory databases, or without a file lock).

    Examples
    --------
    >>> with write_gate(":memory:", 1.0).hold():
    ...     pass
    """
    if not database or database == ":memory:":
        return _NoGate()
    try:
        return WriteGate(f"{database}-writer.lock", timeout)
    except OSError:  # e.g. a read-only folder, no file lock: SQLite's own retries apply
        return _NoGate()


class _NoGate:
    def hold(self):
        return nullcontext()

    def close(self) -> None:
        pass
