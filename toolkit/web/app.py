"""The participant server's routes; nothing else is served (no Jupyter API, no files)."""

from __future__ import annotations

import tornado.web

from .answering import AnswerPage
from .assets import STATIC, vis_dir
from .base import Base
from .events import EventsPage
from .live import Hub
from .mapframe import MapFrame
from .pages import CodePage, ExercisePage, FindPage, JoinPage, LeavePage, MapPage, ResumePage
from .site import Site

__all__ = ["make_app", "routes"]

_CODE = r"(?P<code>[A-Za-z0-9]{1,12})"


class NotFound(Base):
    """Every other address, with any method: a short page, never a listing or a file. It
    names no route (no 403 from the form check first) and echoes nothing of the address
    asked for (its language links lead to the start page)."""

    def check_xsrf_cookie(self) -> None:
        """Nothing here takes a form: refuse with the 404 below, not a 403."""

    def prepare(self) -> None:
        self.lang = self.pick_lang()
        raise tornado.web.HTTPError(404)

    def lang_url(self, lang: str) -> str:
        return f"/?lang={lang}"


class Health(tornado.web.RequestHandler):
    """``/healthz``: for a supervisor or a load balancer; says nothing else."""

    def get(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.finish("ok")


class Static(tornado.web.StaticFileHandler):
    """The app's own files (and vis-network's); cached for a year when asked for with the
    content hash that ``assets.asset_url`` adds."""

    def set_default_headers(self) -> None:
        self.set_header("X-Content-Type-Options", "nosniff")

    def get_cache_time(self, path, modified, mime_type) -> int:
        return self.CACHE_MAX_AGE if self.get_query_argument("v", None) else 0

    def compute_etag(self) -> str | None:
        """The file's hash, marked when the response will be gzip-compressed: two
        encodings are two entities, so a cache never revalidates one with the other."""
        tag = super().compute_etag()
        if tag and "gzip" in self.request.headers.get("Accept-Encoding", ""):
            return tag[:-1] + '-gz"'
        return tag


def routes(site: Site) -> list:
    s = {"site": site}
    return [
        (r"/", CodePage, s),
        (r"/join", FindPage, s),
        (r"/healthz", Health),
        (rf"/s/{_CODE}/?", JoinPage, s),
        (rf"/s/{_CODE}/join", JoinPage, s),
        (rf"/s/{_CODE}/r", ResumePage, s),
        (rf"/s/{_CODE}/leave", LeavePage, s),
        (rf"/s/{_CODE}/e/(?P<exercise_id>[a-z0-9_-]{{1,48}})", ExercisePage, s),
        (
            rf"/s/{_CODE}/e/(?P<exercise_id>[a-z0-9_-]{{1,48}})/(?P<question_id>[a-z0-9_-]{{1,48}})",
            AnswerPage,
            s,
        ),
        (rf"/s/{_CODE}/map", MapPage, s),
        (rf"/s/{_CODE}/map/frame", MapFrame, s),
        (rf"/s/{_CODE}/live", EventsPage, s),
        (r"/static/(vis-network\.min\.js)", Static, {"path": str(vis_dir())}),
        (r"/static/([a-z0-9_-]+\.(?:js|css|svg|png|ico))", Static, {"path": str(STATIC)}),
    ]


def make_app(site: Site, *, debug: bool = False) -> tornado.web.Application:
    """The Tornado application of one participant server (its hub not started yet)."""
    site.hub = Hub(site)
    return tornado.web.Application(
        routes(site),
        default_handler_class=NotFound,
        default_handler_args={"site": site},
        xsrf_cookies=True,
        xsrf_cookie_kwargs={"httponly": True, "samesite": "Lax"},
        compress_response=True,
        debug=debug,
        log_function=_log_request,
    )


def _log_request(handler) -> None:
    """Access log: status, method, path and time; never the query, body or address."""
    import logging

    status = handler.get_status()
    logging.getLogger("workshop.access").log(
        logging.INFO if status < 400 else logging.WARNING,
        "%d %s %s %.0fms",
        status,
        handler.request.method,
        handler.request.path[:200],
        1000.0 * handler.request.request_time(),
    )
