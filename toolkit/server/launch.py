"""Start one workshop Voila server from a ServerSpec (run as ``python -m toolkit.server``)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict, dataclass, field

from ..paths import apps_dir
from ..settings import Settings, SettingsError, current
from ..web.limits import raise_open_file_limit

__all__ = [
    "CSP",
    "ServerSpec",
    "server_command",
    "run",
    "main",
    "plain_error_pages",
    "stop_with_supervisor",
]

# Every page may load and connect only to the server it came from.
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; frame-src 'self' about:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'self'"
)

# The only JupyterLab extensions a workshop page needs: the widgets and Voila's manager.
EXTENSIONS = ["@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8"]


@dataclass
class ServerSpec:
    """What one server serves and how.

    ``kind`` ``"web"`` is the participant web app (``toolkit.web``: no kernels, ``routes``
    unused); ``"voila"`` a Voila server of the notebooks in ``routes`` (the dashboard).
    """

    routes: dict[str, str]
    ip: str = "127.0.0.1"
    port: int = 8866
    pools: dict[str, int] = field(default_factory=dict)
    cull_idle_seconds: int = 0
    max_kernels: int = 0
    env: dict[str, str] = field(default_factory=dict)
    role: str = "participant"
    kind: str = "voila"
    session: str = ""  # the session code the server is for (web: the bare address's default)
    presenter: bool = False  # voila: also serve the presenter view (/presenter)
    workers: int = 1  # web: participant processes sharing the port
    loopback_only: bool = False  # voila: only loopback Host names, own Origin, XSRF (dashboard)
    limits: dict = field(default_factory=dict)  # voila: toolkit.server.limits.VoilaLimits fields
    log_dir: str = ""  # the server logs to <log_dir>/<role>.log (capped); "": to stderr

    def to_json(self) -> str:
        return json.dumps(asdict(self))


def log_request(handler) -> None:
    """Access log without the client's address, the query string (it holds tokens) or a
    path the server does not serve: a refused or failed request is logged by the name of
    the route that answered it, so no text of a client's choosing reaches the log."""
    import logging

    from ..web.logs import LOGGED_METHODS

    status = handler.get_status()
    level = logging.INFO if status < 400 else logging.WARNING
    took = 1000.0 * handler.request.request_time()
    if status < 400:
        shown = handler.request.path[:200]
    else:
        shown = getattr(handler, "log_name", None) or type(handler).__name__
    method = handler.request.method if handler.request.method in LOGGED_METHODS else "OTHER"
    logging.getLogger("workshop.access").log(level, "%d %s %s %.0fms", status, method, shown, took)


def server_command(spec: ServerSpec) -> list[str]:
    """Return the command line that starts a server for ``spec`` in a child process."""
    return [sys.executable, "-m", "toolkit.server", "--spec", spec.to_json()]


def build_config(spec: ServerSpec):
    """Return the traitlets Config for ``spec``."""
    from traitlets.config import Config

    cfg = Config()
    cfg.Voila.ip = spec.ip
    cfg.Voila.port = spec.port
    cfg.Voila.port_retries = 0
    cfg.Voila.open_browser = False
    cfg.Voila.root_dir = str(apps_dir())
    cfg.Voila.tornado_settings = {
        "headers": {
            "Content-Security-Policy": CSP,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        },
        "log_function": log_request,
    }
    cfg.WorkshopVoila.routes = dict(spec.routes)
    cfg.WorkshopVoila.loopback_only = bool(spec.loopback_only)
    cfg.WorkshopVoila.limits = dict(spec.limits)
    cfg.WorkshopVoila.max_kernels = int(spec.max_kernels)
    if spec.presenter:
        from ..web.presenter import presenter_handlers

        cfg.WorkshopVoila.extra_handlers = presenter_handlers(spec.session)
    vc = cfg.VoilaConfiguration
    vc.template = "workshop"
    vc.theme = "light"
    vc.allow_template_override = "NO"
    vc.allow_theme_override = "NO"
    vc.show_tracebacks = False
    vc.strip_sources = True
    vc.extension_allowlist = EXTENSIONS
    vc.http_keep_alive_timeout = 10
    vc.preheat_kernel = bool(spec.pools)
    vc.default_pool_size = 0
    if spec.pools:
        # Voila would start whole pools at once; WorkshopVoila fills them at a steady pace.
        pools = {"default": {"pool_size": 0}}
        pools.update({nb: {"pool_size": 0} for nb in spec.pools})
        cfg.VoilaKernelManager.kernel_pools_config = pools
        cfg.WorkshopVoila.pool_sizes = {nb: int(n) for nb, n in spec.pools.items()}
        cfg.VoilaExecutor.startup_timeout = 180
        cfg.VoilaKernelManager.fill_delay = 0
    if spec.cull_idle_seconds:
        cfg.MappingKernelManager.cull_idle_timeout = int(spec.cull_idle_seconds)
        cfg.MappingKernelManager.cull_interval = max(10, int(spec.cull_idle_seconds) // 4)
        cfg.MappingKernelManager.cull_connected = False
    return cfg


def stop_with_supervisor() -> None:
    """Stop this server (cleanly: SIGTERM, so Voila shuts its kernels down) once the
    supervisor that started it is gone, e.g. killed with SIGKILL.

    Each server runs in its own process session, so nothing else ends it: an orphaned
    server would keep its port and its kernels, and the next ``workshop serve`` could not
    start. Only servers started by a Supervisor (``WORKSHOP_SUPERVISOR_PID``) watch.
    """
    import logging
    import os
    import signal
    import threading
    import time

    supervisor = current().supervisor_pid
    if supervisor is None:
        return

    def supervisor_alive() -> bool:
        if os.name == "nt":  # Windows keeps the parent's id: ask whether it still runs
            import psutil

            return psutil.pid_exists(supervisor)
        return os.getppid() == supervisor  # POSIX: an orphan gets another parent

    def watch() -> None:
        while supervisor_alive():
            time.sleep(1.0)
        logging.getLogger("workshop.server").warning(
            "the workshop supervisor has gone; stopping this server and its kernels"
        )
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="workshop-supervisor-watch", daemon=True).start()


def plain_error_pages() -> None:
    """Answer every error of Jupyter's handlers with a short plain text.

    Jupyter renders its error pages from its own templates, which need a ``static_path``
    that a Voila server does not have: every 404 under ``/voila/labextensions/`` or
    ``/voila/api/themes/`` logged two tracebacks (about 3 KB) while answering, and a
    visitor could fill the log with them.
    """
    from jupyter_server.base.handlers import JupyterHandler

    def write_error(handler, status_code: int, **kwargs) -> None:
        handler.set_header("Content-Type", "text/plain; charset=utf-8")
        handler.set_header("Cache-Control", "no-store")
        handler.finish(f"{status_code}: {handler._reason}\n")

    JupyterHandler.write_error = write_error


def run(spec: ServerSpec) -> None:
    """Start the server in this process and block until it stops."""
    import logging
    import os
    from pathlib import Path

    from ..web.logs import private_request_logs
    from .logs import configure_server_logging

    # First, so that everything after (imports included) is in the capped log; the web
    # app's own basicConfig then changes nothing.
    configure_server_logging(spec.role, Path(spec.log_dir) if spec.log_dir else None)
    if spec.kind == "web":
        from ..web.server import main as web_main

        os.environ.update(spec.env)
        raise_open_file_limit()
        stop_with_supervisor()
        web_main(
            [
                "--host",
                spec.ip,
                "--port",
                str(spec.port),
                "--session",
                spec.session,
                "--workers",
                str(spec.workers),
                *(["--db", store] if (store := Settings.from_environ(spec.env).db) else []),
            ]
        )
        return

    from .voila_app import WorkshopVoila

    limit = raise_open_file_limit()
    logging.getLogger("workshop.server").info("open-file limit: %s", limit)
    private_request_logs()
    plain_error_pages()
    os.environ.update(spec.env)
    # Preheated kernels call back to this server to learn their request; tell them where.
    os.environ["VOILA_APP_IP"] = "127.0.0.1" if spec.ip in ("0.0.0.0", "", "::") else spec.ip  # noqa: S104
    app = WorkshopVoila(config=build_config(spec))
    app.initialize([])
    # Voila's logger writes to standard error itself; let its records reach the log
    # handler with their own level instead.
    for handler in list(app.log.handlers):
        app.log.removeHandler(handler)
    app.log.setLevel(max(logging.INFO, app.log.level))
    app.log.propagate = True
    stop_with_supervisor()
    app.start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m toolkit.server")
    parser.add_argument("--spec", required=True, help="ServerSpec as JSON")
    args = parser.parse_args(argv)
    spec = ServerSpec(**json.loads(args.spec))
    try:
        Settings.from_environ({**os.environ, **spec.env})
    except SettingsError as exc:
        parser.exit(2, f"{parser.prog}: {exc}\n")
    run(spec)
    return 0
