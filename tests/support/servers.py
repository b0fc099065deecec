"""Start the real servers for tests: a workshop Voila server, or ``workshop serve``."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from toolkit.server.launch import ServerSpec, server_command

__all__ = [
    "free_port",
    "wait_listening",
    "VoilaServer",
    "WebServer",
    "WorkshopServe",
    "participant_server",
    "dashboard_server",
]

ROOT = Path(__file__).resolve().parents[2]


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def wait_listening(
    host: str, port: int, process: subprocess.Popen, timeout: float = 90, log=None
) -> None:
    """Wait until ``host:port`` accepts connections; ``log`` (a path or several) is shown
    when the server exits first."""
    deadline = time.monotonic() + timeout
    logs = [log] if isinstance(log, Path) else list(log or [])
    while time.monotonic() < deadline:
        if process.poll() is not None:
            text = "".join(p.read_text(errors="replace") for p in logs if p.exists())
            raise RuntimeError(f"server exited with {process.returncode}:\n{text[-3000:]}")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on {host}:{port} did not start in {timeout} s")


def stop_process(process: subprocess.Popen, timeout: float = 20) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


@contextmanager
def participant_server(tmp: Path, title: str, exercises, *, host: str = "127.0.0.1", env=None):
    """The participant web app as `workshop serve` runs it (``python -m toolkit.server``
    with a ``web`` spec) on a new SQLite store in ``tmp`` holding one session, titled
    ``title``, with ``exercises`` open. Yields ``(server, session, database path)``."""
    from toolkit.store import Store

    db = tmp / "workshop.db"
    store = Store.open(f"sqlite:///{db}")
    session = store.create_session(title, organiser="Testorganisator", exercises=list(exercises))
    store.close()
    with WebServer(tmp, session.code, db=f"sqlite:///{db}", host=host, env=env) as server:
        yield server, session, db


class WebServer:
    """One participant web server (``python -m toolkit.server``, kind ``web``) on a free
    port of ``host``, for the session ``code``."""

    def __init__(self, tmp: Path, code: str, *, db: str, host: str = "127.0.0.1", env=None):
        self.host, self.port = host, free_port(host)
        self.code = code
        self.log = tmp / f"web-{self.port}.log"
        self.env = {**os.environ, "WORKSHOP_DB": db, "WORKSHOP_DATA": str(tmp), **(env or {})}
        self.spec = ServerSpec(
            routes={},
            ip=host,
            port=self.port,
            env={"WORKSHOP_DB": db, "WORKSHOP_DATA": str(tmp)},
            kind="web",
            session=code,
        )
        self.process = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def __enter__(self):
        self.process = subprocess.Popen(
            server_command(self.spec),
            env=self.env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=ROOT,
        )
        wait_listening(self.host, self.port, self.process, log=self.log)
        return self

    def __exit__(self, *exc):
        stop_process(self.process)


@contextmanager
def dashboard_server(tmp: Path, title: str, exercises, **kwargs):
    """The facilitator's server as `workshop serve` plans it (dashboard at /, map at /map,
    loopback only, its kernel cap and limits; ``kwargs`` override them) on a new SQLite
    store in ``tmp`` holding one session. Yields ``(server, session, database path)``."""
    from toolkit.server.plan import DASHBOARD_KERNELS, DASHBOARD_LIMITS
    from toolkit.store import Store

    db = tmp / "workshop.db"
    store = Store.open(f"sqlite:///{db}")
    session = store.create_session(title, organiser="Testorganisator", exercises=list(exercises))
    store.close()
    options = {
        "max_kernels": DASHBOARD_KERNELS,
        "limits": dict(DASHBOARD_LIMITS),
        "loopback_only": True,
        "role": "dashboard",
        "session": session.code,
        "presenter": True,
        **kwargs,
    }
    env = {
        "WORKSHOP_DB": f"sqlite:///{db}",
        "WORKSHOP_DATA": str(tmp),
        "WORKSHOP_SESSION": session.code,
        "WORKSHOP_JOIN_URL": f"http://127.0.0.2:8866/s/{session.code}/",
    }
    routes = {"/": "facilitator.ipynb", "/map": "explorer.ipynb"}
    with VoilaServer(routes, tmp, env=env, **options) as server:
        yield server, session, db


class VoilaServer:
    """One workshop Voila server (``python -m toolkit.server``) on a free loopback port."""

    def __init__(
        self,
        routes: dict,
        tmp: Path,
        *,
        env: dict | None = None,
        host: str = "127.0.0.1",
        presenter: bool = False,
        session: str = "",
        max_kernels: int = 0,
        loopback_only: bool = False,
        limits: dict | None = None,
        role: str = "dashboard",
    ):
        self.host, self.port = host, free_port(host)
        self.log_dir = tmp / f"logs-{self.port}"
        self.log = self.log_dir / f"{role}.log"  # the server's own (capped) log
        self.output = tmp / f"voila-{self.port}.out"  # what it prints before that is set up
        self.env = {
            **os.environ,
            "WORKSHOP_VIS_URL": "/workshop/static/vis-network.min.js?v=1",
            **(env or {}),
        }
        self.spec = ServerSpec(
            routes=routes,
            ip=host,
            port=self.port,
            presenter=presenter,
            session=session,
            max_kernels=max_kernels,
            role=role,
            loopback_only=loopback_only,
            limits=dict(limits or {}),
            log_dir=str(self.log_dir),
        )
        self.process = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def __enter__(self):
        self.process = subprocess.Popen(
            server_command(self.spec),
            env=self.env,
            stdout=self.output.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=ROOT,
        )
        wait_listening(self.host, self.port, self.process, log=[self.output, self.log])
        return self

    def __exit__(self, *exc):
        stop_process(self.process)


class WorkshopServe:
    """``workshop serve`` as a facilitator runs it, in a subprocess with its own data folder."""

    def __init__(
        self, data: Path, *, host: str = "127.0.0.2", args: tuple = (), env: dict | None = None
    ):
        self.data = data
        self.host = host
        self.port = free_port(host)
        self.dashboard_port = free_port("127.0.0.1")
        self.args = args
        self.env = {**os.environ, "WORKSHOP_DATA": str(data), **(env or {})}
        self.env.pop("WORKSHOP_DB", None) if "WORKSHOP_DB" not in (env or {}) else None
        self.output = data / "serve-output.txt"
        self.process = None

    def start(self):
        self.data.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable,
            "-m",
            "toolkit.cli",
            "serve",
            "--host",
            self.host,
            "--port",
            str(self.port),
            "--dashboard-port",
            str(self.dashboard_port),
            *self.args,
        ]
        self.process = subprocess.Popen(
            command,
            env=self.env,
            stdout=self.output.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=ROOT,
        )
        wait_listening(self.host, self.port, self.process, timeout=120, log=self.output)
        wait_listening("127.0.0.1", self.dashboard_port, self.process, timeout=60, log=self.output)
        deadline = time.monotonic() + 30
        while "Participants join at" not in self.text() and time.monotonic() < deadline:
            time.sleep(0.2)
        return self

    def text(self) -> str:
        return self.output.read_text(errors="replace") if self.output.exists() else ""

    @property
    def join_url(self) -> str:
        for line in self.text().splitlines():
            if "Participants join at:" in line:
                return line.split("at:", 1)[1].strip()
        raise AssertionError("no join URL printed:\n" + self.text())

    @property
    def code(self) -> str:
        return self.join_url.rstrip("/").rsplit("/", 1)[1]

    @property
    def dashboard_url(self) -> str:
        return f"http://127.0.0.1:{self.dashboard_port}/"

    def stop(self, sig=signal.SIGINT, timeout: float = 40) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        return self.process.returncode

    def kill9(self) -> None:
        """SIGKILL the supervisor and both servers (their kernels die with them)."""
        for line in subprocess.run(
            ["pgrep", "-s", str(self.process.pid)], capture_output=True, text=True
        ).stdout.split():
            try:
                os.kill(int(line), signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in _children(self.process.pid):
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self.process.kill()
        self.process.wait(10)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def _children(pid: int) -> list[int]:
    import psutil

    try:
        return [c.pid for c in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []
