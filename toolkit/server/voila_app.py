"""A Voila server that serves named notebooks at fixed routes and nothing else, gzip-compressed."""

from __future__ import annotations

import os
import re
from pathlib import Path

import tornado.web
from traitlets import Dict, Integer, Unicode
from voila.app import Voila

__all__ = ["WorkshopVoila", "JUPYTER_DATA", "VIS_ROUTE"]

STAGGER_SECONDS = 0.5  # between two pool kernels starting (about a core-second each)
JUPYTER_DATA = Path(__file__).resolve().parent.parent / "jupyter_data"
VIS_ROUTE = "/workshop/static/vis-network.min.js"

# Voila routes a participant server never needs: directory tree, arbitrary notebook
# rendering, the contents API and raw files (notebooks, database, datasets).
_BLOCKED = re.compile(r"/voila/(tree|render|files|api/contents)|^/?\(\.\*\)$|^/?$")


class VersionedStatic(tornado.web.StaticFileHandler):
    """Static files; cached for a year when requested with ``?v=`` (the apps always do)."""


class WorkshopVoila(Voila):
    """Voila with an explicit route table, gzip on every response and the workshop template.

    Configure ``routes`` as ``{"/": "participant.ipynb", "/map": "explorer.ipynb"}`` (paths
    relative to ``root_dir``); every other URL that Voila would serve from the folder
    (directory listing, ``/voila/render``, ``/voila/files``, the contents API) is absent.
    """

    name = "workshop-voila"
    routes = Dict(Unicode(), config=True, help="URL path -> notebook relative to root_dir")
    pool_sizes = Dict(Integer(), config=True,
                      help="notebook -> preheated kernels (filled at a steady pace)")
    max_kernels = Integer(0, config=True,
                          help="At most this many kernels (pooled + in use); 0: no limit")
    extra_handlers = Dict(config=True, help="URL pattern -> (handler class, kwargs)")

    def initialize(self, argv=None):
        # The template lives in the package: put it first on the Jupyter data path.
        current = os.environ.get("JUPYTER_PATH", "")
        if str(JUPYTER_DATA) not in current.split(os.pathsep):
            os.environ["JUPYTER_PATH"] = os.pathsep.join(
                p for p in (str(JUPYTER_DATA), current) if p
            )
        super().initialize(argv)

    def init_settings(self) -> dict:
        settings = super().init_settings()
        self._pace_pool()
        settings["compress_response"] = True  # read by tornado.web.Application's __init__
        settings["xsrf_cookies"] = False
        return settings

    def init_handlers(self) -> list:
        from jupyter_server.utils import url_path_join
        from voila.tornado.handler import TornadoVoilaHandler

        from .compress import compressed_variant

        kept = []
        for handler in super().init_handlers():
            if _BLOCKED.search(_pattern(handler)):
                continue
            if isinstance(handler, tuple) and len(handler) >= 2:
                handler = (handler[0], compressed_variant(handler[1]), *handler[2:])
            kept.append(handler)
        vis_dir = _vis_dir()
        kept.append(
            (
                url_path_join(self.server_url, r"/workshop/static/(vis-network\.min\.js)"),
                compressed_variant(VersionedStatic),
                {"path": str(vis_dir)},
            )
        )
        for pattern, (handler, kwargs) in self.extra_handlers.items():
            kept.append((url_path_join(self.server_url, pattern), handler, kwargs))
        for route, notebook in self.routes.items():
            kept.append(
                (
                    url_path_join(self.server_url, route),
                    TornadoVoilaHandler,
                    {
                        "notebook_path": notebook,
                        "template_paths": self.template_paths,
                        "config": self.config,
                        "voila_configuration": self.voila_configuration,
                    },
                )
            )
        return kept


    def _pace_pool(self) -> None:
        """Fill the preheated pools a kernel at a time, ``STAGGER_SECONDS`` apart, and refill
        only while pooled + used kernels stay under ``max_kernels``.

        Voila starts a whole pool at once; 150 kernels starting together on two cores take
        minutes and run into Voila's 60-second start timeout. Paced, each starts in about a
        second, and after a wave of arrivals no second wave of idle kernels is started.
        """
        manager = self.kernel_manager
        if not hasattr(manager, "_pools"):
            return
        original, cap = manager.fill_if_needed, self.max_kernels

        def fill_if_needed(delay=None, notebook_name=None, **kwargs):
            configured = manager.kernel_pools_config
            wanted = configured.get(notebook_name, configured.get("default", {}))
            size = int(self.pool_sizes.get(notebook_name, 0))
            if cap:
                pooled = sum(len(pool) for pool in manager._pools.values())
                in_use = max(0, len(manager.list_kernel_ids()) - pooled)
                size = min(size, max(0, cap - in_use))
            start = len(manager._pools.get(notebook_name, []))
            base = manager.fill_delay if delay is None else delay
            try:
                for step in range(start, size):
                    manager.kernel_pools_config = {
                        **configured, notebook_name: {**wanted, "pool_size": step + 1}}
                    original(delay=base + (step - start) * STAGGER_SECONDS,
                             notebook_name=notebook_name, **kwargs)
            finally:
                manager.kernel_pools_config = configured

        manager.fill_if_needed = fill_if_needed
        for notebook in self.pool_sizes:
            manager.fill_if_needed(delay=0, notebook_name=notebook)


def _pattern(handler) -> str:
    spec = handler[0] if isinstance(handler, tuple | list) else handler
    return getattr(spec, "regex", None).pattern if hasattr(spec, "regex") else str(spec)


def _vis_dir() -> Path:
    from ..mapview import vis_network_path

    return vis_network_path().parent
