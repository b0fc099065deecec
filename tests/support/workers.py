"""Participant workers for the tests: one ``python -m toolkit.web`` per port, as a systemd
unit of ``deploy/`` runs it, or several on one port under ``--workers N``'s supervisor."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psutil

from tests.support.servers import free_port, stop_process, wait_listening

__all__ = ["WebWorker", "WorkerGroup", "listening_pids", "holders"]

ROOT = Path(__file__).resolve().parents[2]


class WebWorker:
    """One participant process on its own port (``start()`` does not wait; ``wait()``
    does), logging to ``tmp/worker-<port>.log``."""

    def __init__(
        self,
        tmp: Path,
        db: str,
        *,
        host: str = "127.0.0.1",
        port: int | None = None,
        session: str = "",
        behind_proxy: bool = False,
        workers: int = 1,
        extra: tuple = (),
    ):
        self.host, self.port = host, port or free_port(host)
        self.log = Path(tmp) / f"worker-{self.port}.log"
        self.command = [
            sys.executable,
            "-m",
            "toolkit.web",
            "--host",
            host,
            "--port",
            str(self.port),
            "--db",
            db,
            "--session",
            session,
            "--workers",
            str(workers),
            *(["--behind-proxy"] if behind_proxy else []),
            *extra,
        ]
        self.env = {**os.environ, "WORKSHOP_DATA": str(tmp), "PYTHONUNBUFFERED": "1"}
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def start(self) -> WebWorker:
        self.process = subprocess.Popen(
            self.command,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=ROOT,
        )
        return self

    def wait(self, timeout: float = 90) -> WebWorker:
        wait_listening(self.host, self.port, self.process, timeout=timeout, log=self.log)
        return self

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)

    def __enter__(self) -> WebWorker:
        return self.start().wait()

    def __exit__(self, *exc) -> None:
        self.stop()


class WorkerGroup(WebWorker):
    """``python -m toolkit.web --workers N``: a supervisor and its N workers on one port."""

    def __init__(self, tmp: Path, db: str, count: int, **kwargs):
        super().__init__(tmp, db, workers=count, **kwargs)
        self.count = count

    def worker_pids(self) -> list[int]:
        try:
            return sorted(c.pid for c in psutil.Process(self.pid).children())
        except psutil.NoSuchProcess:
            return []

    def wait_workers(self, timeout: float = 90, without: set[int] = frozenset()) -> list[int]:
        """Wait until ``count`` workers (none of ``without``) listen on the port; their pids."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the supervisor exited:\n{self.text()[-3000:]}")
            pids = [p for p in self.worker_pids() if p not in without]
            if len(pids) == self.count and listening_pids(self.port) >= set(pids):
                return pids
            time.sleep(0.1)
        raise AssertionError(
            f"{self.count} workers did not listen on {self.port} within {timeout} s "
            f"(children {self.worker_pids()}, listening {listening_pids(self.port)}):\n"
            + self.text()[-3000:]
        )

    def wait(self, timeout: float = 90) -> WorkerGroup:
        super().wait(timeout)
        self.wait_workers(timeout)
        return self


def listening_pids(port: int) -> set[int]:
    """The processes with a listening TCP socket on ``port``."""
    found = set()
    for conn in psutil.net_connections(kind="tcp"):
        if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port:
            if conn.pid:
                found.add(conn.pid)
    return found


def holders(port: int, pids) -> dict[str, int]:
    """Which of ``pids`` holds the established connections to ``port``: client address
    (``ip:port`` as the server sees it) -> pid."""
    out = {}
    for pid in pids:
        try:
            conns = psutil.Process(pid).net_connections(kind="tcp")
        except psutil.NoSuchProcess:
            continue
        for conn in conns:
            if conn.status == psutil.CONN_ESTABLISHED and conn.laddr.port == port and conn.raddr:
                out[f"{conn.raddr.ip}:{conn.raddr.port}"] = pid
    return out
