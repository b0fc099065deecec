"""Run the workshop's servers as child processes; stop them (and their kernels) cleanly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from ..settings import Settings
from .launch import ServerSpec, server_command

__all__ = ["Supervisor", "ServerFailed", "kill_group", "own_process_group"]


class ServerFailed(RuntimeError):
    """A server did not start (or stopped); the message says which and where its log is."""


def own_process_group() -> dict:
    """Popen options that start a child in a process group of its own, so a Ctrl-C in the
    terminal reaches only the supervisor (POSIX: a new session; Windows: a new group)."""
    if os.name == "nt":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL ``process`` and its group (POSIX); terminate the process on Windows."""
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows
            process.kill()
    except ProcessLookupError:
        pass


def _reachable(spec: ServerSpec) -> bool:
    host = "127.0.0.1" if spec.ip in ("0.0.0.0", "", "::") else spec.ip  # noqa: S104
    try:
        with socket.create_connection((host, spec.port), timeout=0.5):
            return True
    except OSError:
        return False


class Supervisor:
    """Start each server in its own process session, wait until it listens, stop on demand.

    Each server logs to ``<log_dir>/<role>.log`` itself (capped and rotated, no client
    addresses or request content, see :mod:`toolkit.server.logs`); what it prints before
    its logging is set up (an import error, say) is in ``<log_dir>/<role>-start.log``,
    written anew at each start.
    """

    def __init__(self, specs: list[ServerSpec], log_dir: Path):
        self.specs = specs
        self.log_dir = Path(log_dir)
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, timeout: float = 120.0) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for spec in self.specs:
            if not spec.log_dir:
                spec = replace(spec, log_dir=str(self.log_dir))
            start_log = (self.log_dir / f"{spec.role}-start.log").open("wb")
            # The server stops by itself when this process goes (even by SIGKILL).
            env = {**os.environ, **spec.env, **Settings(supervisor_pid=os.getpid()).environ()}
            with start_log:
                self.processes[spec.role] = subprocess.Popen(
                    server_command(spec),
                    stdout=start_log,
                    stderr=subprocess.STDOUT,
                    env=env,
                    **own_process_group(),
                )
        deadline = time.monotonic() + timeout
        waiting = list(self.specs)
        while waiting:
            for spec in list(waiting):
                process = self.processes[spec.role]
                if process.poll() is not None:
                    self.stop()
                    raise ServerFailed(
                        f"the {spec.role} server stopped during start-up "
                        f"(exit code {process.returncode}); see "
                        f"{self.log_dir / (spec.role + '.log')} and "
                        f"{self.log_dir / (spec.role + '-start.log')}"
                    )
                if _reachable(spec):
                    waiting.remove(spec)
            if waiting and time.monotonic() > deadline:
                self.stop()
                raise ServerFailed(
                    f"the {waiting[0].role} server did not start within "
                    f"{timeout:.0f} s; see {self.log_dir}"
                )
            time.sleep(0.2)

    def wait(self) -> str | None:
        """Block until a server exits on its own; return its role (None if stopped)."""
        while self.processes:
            for role, process in self.processes.items():
                if process.poll() is not None:
                    return role
            time.sleep(0.5)
        return None

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM every server (Voila then shuts its kernels down), SIGKILL what lingers."""
        for process in self.processes.values():
            if process.poll() is None:
                try:
                    process.send_signal(signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + timeout
        for process in self.processes.values():
            remaining = max(0.1, deadline - time.monotonic())
            try:
                process.wait(remaining)
            except subprocess.TimeoutExpired:
                kill_group(process)
                process.wait(5)
        self.processes.clear()


def install_signal_handlers(on_stop) -> None:
    """Turn SIGINT (Ctrl-C), SIGTERM and, where they exist, SIGHUP (the terminal closed)
    and SIGBREAK (Windows' Ctrl-Break) into one clean stop."""

    def handler(signum, _frame):
        on_stop(signum)

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
    for name in ("SIGHUP", "SIGBREAK"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), handler)


def flush() -> None:
    sys.stdout.flush()
    sys.stderr.flush()
