"""Start one workshop Voila server from a ServerSpec (run as ``python -m toolkit.server``)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass, field

from ..paths import apps_dir

__all__ = ["CSP", "ServerSpec", "server_command", "run", "main"]

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
    """What one server serves and how: routes, address, kernel pool and culling."""

    routes: dict[str, str]
    ip: str = "127.0.0.1"
    port: int = 8866
    pools: dict[str, int] = field(default_factory=dict)
    cull_idle_seconds: int = 0
    max_kernels: int = 0
    env: dict[str, str] = field(default_factory=dict)
    role: str = "participant"

    def to_json(self) -> str:
        return json.dumps(asdict(self))


def log_request(handler) -> None:
    """Access log without the client's address or the query string (it holds tokens)."""
    import logging

    status = handler.get_status()
    level = logging.INFO if status < 400 else logging.WARNING
    took = 1000.0 * handler.request.request_time()
    logging.getLogger("workshop.access").log(
        level, "%d %s %s %.0fms", status, handler.request.method, handler.request.path, took)


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
    vc = cfg.VoilaConfiguration
    vc.template = "workshop"
    vc.theme = "light"
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
        cfg.WorkshopVoila.max_kernels = int(spec.max_kernels)
    if spec.cull_idle_seconds:
        cfg.MappingKernelManager.cull_idle_timeout = int(spec.cull_idle_seconds)
        cfg.MappingKernelManager.cull_interval = max(10, int(spec.cull_idle_seconds) // 4)
        cfg.MappingKernelManager.cull_connected = False
    return cfg


def run(spec: ServerSpec) -> None:
    """Start the server in this process and block until it stops."""
    import os

    from .voila_app import WorkshopVoila

    import logging

    logging.basicConfig(level=logging.INFO, format="[%(name)s] %(message)s")
    os.environ.update(spec.env)
    # Preheated kernels call back to this server to learn their request; tell them where.
    os.environ["VOILA_APP_IP"] = "127.0.0.1" if spec.ip in ("0.0.0.0", "", "::") else spec.ip  # noqa: S104
    app = WorkshopVoila(config=build_config(spec))
    app.initialize([])
    app.start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m toolkit.server")
    parser.add_argument("--spec", required=True, help="ServerSpec as JSON")
    args = parser.parse_args(argv)
    run(ServerSpec(**json.loads(args.spec)))
    return 0
