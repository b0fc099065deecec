"""A Voila server that serves named notebooks at fixed routes and nothing else, gzip-compressed."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import tornado.web
from traitlets import Bool, Dict, Integer, Unicode
from voila.app import Voila
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from .kernel_socket import CheckedKernelConnection
from .limits import BoundedWrites, VoilaLimits

__all__ = ["WorkshopVoila", "JUPYTER_DATA", "VIS_ROUTE", "VOILA_TESTED", "require_voila_hooks"]

# The Voila release the pacing and culling below were tested with (within the range that
# pyproject.toml and environment.yml pin); they patch private parts of its kernel manager.
VOILA_TESTED = "0.5.13"
# The private parts they use: for preheated pools, and in addition for culling.
POOL_HOOKS = ("_pools", "fill_if_needed", "kernel_pools_config", "fill_delay")
CULL_HOOKS = ("cull_kernel_if_idle", "_kernel_connections")

STAGGER_SECONDS = 0.5  # between two pool kernels starting (about a core-second each)
JUPYTER_DATA = Path(__file__).resolve().parent.parent / "jupyter_data"
VIS_ROUTE = "/workshop/static/vis-network.min.js"
# Refill the pool when fewer than 1/REFILL_BELOW of it is left: starting a kernel takes
# about a CPU second, which participants arriving in a wave need more.
REFILL_BELOW = 4
ZMQ_SOCKETS = 16384  # ZeroMQ sockets for all kernels together (ZeroMQ's default: 1023)

# Voila routes a participant server never needs: directory tree, arbitrary notebook
# rendering, the contents API and raw files (notebooks, database, datasets), and Jupyter's
# login/logout pages (a workshop has no accounts; without Jupyter's page templates the
# logout page answers every visitor with a 500 and a traceback in the log).
_BLOCKED = re.compile(r"/voila/(tree|render|files|api/contents)|^/?\(\.\*\)$|^/?$|/log(in|out)$")
_TEMPLATE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")  # not '.' or '..'
OVERRIDES = frozenset({"template", "theme"})  # Voila's query parameters, refused


class VersionedStatic(tornado.web.StaticFileHandler):
    """Static files; cached for a year when requested with ``?v=`` (the apps always do)."""


class TemplateStatic(TemplateStaticFileHandler):
    """Voila's template files, ``/voila/templates/<template>/static/<file>``; any other
    path, an unknown template or a path that leaves the template's folder is a 404.

    Voila's own handler asserts the path's shape, so a visitor's ``/voila/templates/x`` or
    ``.../static/../../x`` became a 500 with a traceback in the server log, and it looked
    a template named ``..`` up outside the templates folder.
    """

    def parse_url_path(self, url_path: str) -> str:
        template, _, rest = url_path.partition("/")
        normal = os.path.normpath(url_path).split(os.sep, 2)
        if (
            not _TEMPLATE_NAME.fullmatch(template)
            or not rest.startswith("static/")
            or len(normal) != 3
            or normal[:2] != [template, "static"]
        ):
            raise tornado.web.HTTPError(404)
        try:
            return super().parse_url_path(url_path)
        except ValueError:  # no template of that name
            raise tornado.web.HTTPError(404) from None


def _page_handler():
    """Voila's page handler that also gives the page its ``_xsrf`` cookie, refuses Voila's
    ``?template=`` and ``?theme=`` overrides, and answers "vol" (503) instead of starting
    a kernel beyond the server's cap.

    The page's unload beacon (``POST /voila/api/shutdown/<kernel>``) sends that cookie's
    value; without the cookie every beacon got a 403 and a closed or reloaded tab's kernel
    stayed until the idle cull. Only the page that owns a kernel knows its id.

    Voila hands ``?template=`` and ``?theme=`` to its renderer whatever
    ``allow_template_override`` says: ``?template=../x`` was a 500 with two tracebacks in
    the log, and any override skipped the preheated pool. A workshop page has one look.

    Every page load starts a kernel (about 110 MB); on a server without a pool (the
    dashboard) ``workshop_max_kernels`` bounds them, so a page that reloads itself cannot
    fill the memory, and on a loopback-only server another site's page cannot load the
    page as an image, script or frame (each load would start a kernel).
    """
    from voila.tornado.handler import TornadoVoilaHandler

    from .doors import REFUSED_TEXT, cross_site_load
    from .limits import FULL_TEXT

    class WorkshopPage(TornadoVoilaHandler):
        starting = 0  # page loads in this process whose kernel may not be listed yet

        async def get(self, path=None):
            if self.settings.get("workshop_loopback_only") and cross_site_load(self.request):
                self._plain(403, REFUSED_TEXT)  # another site's <img>, <script>, <iframe>
                return
            if OVERRIDES & set(self.request.arguments):
                self._plain(
                    400, "Onbekende instelling in het adres / Unknown setting in the address.\n"
                )
                return
            if self._full():
                self.log.warning("refused a page: the server's cap of kernels is reached")
                self._plain(503, FULL_TEXT)
                return
            self.xsrf_token  # noqa: B018 - reading it sets the cookie
            WorkshopPage.starting += 1
            try:
                return await super().get(path)
            finally:
                WorkshopPage.starting -= 1

        def _full(self) -> bool:
            cap = self.settings.get("workshop_max_kernels", 0)
            manager = self.kernel_manager
            pooled = getattr(manager, "get_pool_size", lambda _name: 0)(self.notebook_path)
            if not cap or pooled:
                return False  # a pooled server paces and caps its pool itself
            return len(manager.list_kernel_ids()) + WorkshopPage.starting >= cap

        def _plain(self, status: int, text: str) -> None:
            self.set_status(status)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            if status == 503:
                self.set_header("Retry-After", "30")
            self.finish(text)

    return WorkshopPage


class WorkshopVoila(Voila):
    """Voila with an explicit route table, gzip on every response and the workshop template.

    Configure ``routes`` as ``{"/": "participant.ipynb", "/map": "explorer.ipynb"}`` (paths
    relative to ``root_dir``); every other URL that Voila would serve from the folder
    (directory listing, ``/voila/render``, ``/voila/files``, the contents API) is absent.
    """

    name = "workshop-voila"
    routes = Dict(Unicode(), config=True, help="URL path -> notebook relative to root_dir")
    pool_sizes = Dict(
        Integer(), config=True, help="notebook -> preheated kernels (filled at a steady pace)"
    )
    max_kernels = Integer(
        0, config=True, help="At most this many kernels (pooled + in use); 0: no limit"
    )
    extra_handlers = Dict(config=True, help="URL pattern -> (handler class, kwargs)")
    loopback_only = Bool(
        False,
        config=True,
        help="Answer only to loopback Host names, turn XSRF checks on (the dashboard)",
    )
    limits = Dict(
        config=True, help="toolkit.server.limits.VoilaLimits fields (sizes, caps, timeouts)"
    )

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
        require_voila_hooks(
            self.kernel_manager,
            pooled=self.voila_configuration.preheat_kernel,
            culled=bool(getattr(self.kernel_manager, "cull_idle_timeout", 0)),
        )
        self._allow_many_sockets()
        self._pace_pool()
        self._cull_when_disconnected()
        settings["compress_response"] = True  # read by tornado.web.Application's __init__
        # The dashboard checks XSRF tokens on every state-changing request (Jupyter's front
        # end sends the _xsrf cookie back as X-XSRFToken, the unload beacon as a field) and
        # lets Jupyter check Host names too; the participant server does neither.
        settings["xsrf_cookies"] = self.loopback_only
        settings["allow_remote_access"] = not self.loopback_only
        settings["kernel_websocket_connection_class"] = CheckedKernelConnection
        settings.update(self._limits().settings())
        settings["workshop_max_kernels"] = self.max_kernels
        settings["workshop_loopback_only"] = self.loopback_only
        return settings

    def _limits(self) -> VoilaLimits:
        return VoilaLimits.from_dict(self.limits)

    def listen(self) -> None:
        """Listen with the doors in front of every route (on a loopback-only server) and an
        HTTP server that keeps the size, time and connection limits."""
        from .doors import guard

        if self.loopback_only:
            guard(self.app, loopback_only=True)
        limits, app = self._limits(), self.app

        def bounded_listen(port, address=None, **_ignored):
            server = limits.server(app)
            server.listen(port, address)
            return server

        app.listen = bounded_listen
        super().listen()

    def init_handlers(self) -> list:
        from jupyter_server.utils import url_path_join

        from .compress import compressed_variant

        kept = []
        for handler in super().init_handlers():
            if _BLOCKED.search(_pattern(handler)):
                continue
            if isinstance(handler, tuple) and len(handler) >= 2:
                served = _REPLACED.get(handler[1], handler[1])
                handler = (handler[0], compressed_variant(served), *handler[2:])
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
        page = _page_handler()
        for route, notebook in self.routes.items():
            kept.append(
                (
                    url_path_join(self.server_url, route),
                    page,
                    {
                        "notebook_path": notebook,
                        "template_paths": self.template_paths,
                        "config": self.config,
                        "voila_configuration": self.voila_configuration,
                    },
                )
            )
        return kept

    def _cull_when_disconnected(self) -> None:
        """Cull a kernel once no page has been connected to it for the idle timeout, even
        when it is not idle.

        Jupyter culls only kernels without activity, and a participant kernel whose page has
        gone stays active: it redraws the group results whenever others answer. In a
        30-minute soak those kernels were never culled (385 of them, until memory ran out).
        A page that comes back after its kernel was culled offers a reload, which resumes
        from the store. Pooled kernels are never connected and are left alone.
        """
        manager = self.kernel_manager
        timeout = getattr(manager, "cull_idle_timeout", 0)
        if not timeout or not self.voila_configuration.preheat_kernel:
            return  # without preheated pools (as before): Jupyter's own culling only
        original = manager.cull_kernel_if_idle
        alone_since: dict[str, float] = {}  # kernel id -> first seen without a page

        def pooled(kernel_id: str) -> bool:
            for pool in manager._pools.values():
                for task in pool:
                    ready = task.done() and not task.cancelled() and task.exception() is None
                    if ready and task.result().get("kernel_id") == kernel_id:
                        return True
            return False

        async def cull_kernel_if_idle(kernel_id: str):
            for gone in set(alone_since) - set(manager.list_kernel_ids()):
                del alone_since[gone]
            if not pooled(kernel_id):
                if manager._kernel_connections.get(kernel_id, 0):
                    alone_since.pop(kernel_id, None)
                else:
                    now = time.monotonic()
                    if now - alone_since.setdefault(kernel_id, now) > timeout:
                        self.log.info(
                            "Culling kernel %s: no page connected for %d s", kernel_id, timeout
                        )
                        del alone_since[kernel_id]
                        await manager.shutdown_kernel(kernel_id)
                        return None
            return await original(kernel_id)

        manager.cull_kernel_if_idle = cull_kernel_if_idle

    def _allow_many_sockets(self) -> None:
        """Let the kernels' shared ZeroMQ context hold ``ZMQ_SOCKETS`` sockets.

        Every kernel costs the server about eight sockets (its channels, a client per
        websocket, the preheat run); ZeroMQ's default of 1023 per context ran out near 120
        kernels and the next arrivals failed with "Too many open files". The limit applies
        when the context makes its first socket, so this runs before any kernel starts.
        """
        import zmq

        self.kernel_manager.context.set(zmq.MAX_SOCKETS, ZMQ_SOCKETS)

    def _pace_pool(self) -> None:
        """Fill the preheated pools a kernel at a time, ``STAGGER_SECONDS`` apart; refill once
        a pool runs low (under a quarter left), and only while pooled + used kernels stay
        under ``max_kernels``.

        Voila starts a whole pool at once; 150 kernels starting together on two cores take
        minutes and run into Voila's 60-second start timeout. Paced, each starts in about a
        second, and after a wave of arrivals no second wave of idle kernels is started.
        """
        manager = self.kernel_manager
        if not self.voila_configuration.preheat_kernel:
            return  # no pools to fill
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
            if delay is None and start >= max(1, size // REFILL_BELOW):
                return  # a kernel was just taken: refill once the pool runs low, not now
            base = manager.fill_delay if delay is None else delay
            try:
                for step in range(start, size):
                    manager.kernel_pools_config = {
                        **configured,
                        notebook_name: {**wanted, "pool_size": step + 1},
                    }
                    original(
                        delay=base + (step - start) * STAGGER_SECONDS,
                        notebook_name=notebook_name,
                        **kwargs,
                    )
            finally:
                manager.kernel_pools_config = configured

        manager.fill_if_needed = fill_if_needed
        for notebook in self.pool_sizes:
            manager.fill_if_needed(delay=0, notebook_name=notebook)


class KernelSocket(BoundedWrites, VoilaKernelWebsocketHandler):
    """Voila's kernel websocket that closes when its client stops reading (a page that
    does not read would otherwise grow the server by everything the kernel sends)."""


_REPLACED = {TemplateStaticFileHandler: TemplateStatic, VoilaKernelWebsocketHandler: KernelSocket}


def require_voila_hooks(manager, *, pooled: bool, culled: bool) -> None:
    """Refuse to go on when ``manager`` lacks a private Voila hook that pacing the pools
    (``pooled``) or culling disconnected kernels (``pooled`` and ``culled``) patches.

    Without the check a Voila upgrade would silently turn pacing and culling off. The
    ``SystemExit`` carries a message for the start log instead of a traceback.

    >>> class Manager:
    ...     fill_if_needed = kernel_pools_config = fill_delay = None
    >>> require_voila_hooks(Manager(), pooled=False, culled=True)  # no pools: nothing needed
    >>> require_voila_hooks(Manager(), pooled=True, culled=False)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    SystemExit: ... tested with Voila 0.5.13, ... lacks _pools ...
    """
    needed = (POOL_HOOKS + (CULL_HOOKS if culled else ())) if pooled else ()
    missing = [name for name in needed if not hasattr(manager, name)]
    if missing:
        raise SystemExit(
            f"workshop server: not starting. This toolkit was tested with Voila "
            f"{VOILA_TESTED}, and the installed Voila {_installed('voila')} lacks "
            f"{', '.join(missing)} in its kernel manager ({type(manager).__name__}), which "
            f"the preheated pools' pacing and culling rely on. Install the tested version: "
            f"pip install 'voila=={VOILA_TESTED}'"
        )


def _installed(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "(version unknown)"


def _pattern(handler) -> str:
    spec = handler[0] if isinstance(handler, tuple | list) else handler
    return getattr(spec, "regex", None).pattern if hasattr(spec, "regex") else str(spec)


def _vis_dir() -> Path:
    from ..map.render import vis_network_path

    return vis_network_path().parent
