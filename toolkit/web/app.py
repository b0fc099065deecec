"""The participant server's routes; nothing else is served (no Jupyter API, no files)."""

from __future__ import annotations

import gzip
from typing import ClassVar

import tornado.web

from .answering import AnswerPage
from .assets import STATIC, vis_dir
from .base import Base
from .events import EventsPage
from .live import Hub
from .logs import access_log
from .mapframe import MapFrame
from .pages import CodePage, ExercisePage, FindPage, JoinPage, LeavePage, MapPage, ResumePage
from .site import Site

__all__ = ["make_app", "routes", "ParticipantApp", "TooLarge"]

_CODE = r"(?P<code>[A-Za-z0-9]{1,12})"


class NotFound(Base):
    """Every other address, with any method: a short page, never a listing or a file. It
    names no route (no 403 from the form check first) and echoes nothing of the address
    asked for (its language links lead to the start page, its log line has no path)."""

    routed = False

    def check_xsrf_cookie(self) -> None:
        """Nothing here takes a form: refuse with the 404 below, not a 403."""

    def prepare(self) -> None:
        self.lang = self.pick_lang()
        raise tornado.web.HTTPError(404)

    def lang_url(self, lang: str) -> str:
        return f"/?lang={lang}"


@tornado.web.stream_request_body
class TooLarge(Base):
    """A request that announces a body over the limit: ``413`` with the short page (or
    JSON), sent as soon as its headers are in, before any of the body is read.

    Nothing of the body is kept: what a client that is already sending goes on to send is
    read and dropped as it comes, for at most ``ParticipantLimits.drop_seconds``, so that the answer
    reaches it (closing at once, with its data unread, would reset the connection and a
    browser could lose the answer). A client that waits for ``100 Continue`` sends nothing,
    and its connection is closed straight after the answer.
    """

    dropping = False

    def check_xsrf_cookie(self) -> None:
        """Refused before its form is read, so there is no form to check."""

    def prepare(self) -> None:
        self.lang = self.pick_lang()
        self._transforms = []  # no gzip: the answer must be complete at once
        if "100-continue" not in self.request.headers.get("Expect", "").lower():
            connection = self.request.connection
            connection.set_max_body_size(int(self.request.headers["Content-Length"]))
            connection.set_body_timeout(self.site.limits.drop_seconds)
            self.dropping = True
        raise tornado.web.HTTPError(413)

    def finish(self, chunk=None):
        """While the body is still coming, the answer is sent (with its length) but the
        request does not end: it ends once the body is dropped."""
        if not self.dropping:
            return super().finish(chunk)
        if chunk is not None:
            data = chunk.encode("utf-8") if isinstance(chunk, str) else chunk
            self.set_header("Content-Length", len(data))
            self.set_header("Connection", "close")
            self.write(data)
        return self.flush()

    def data_received(self, chunk: bytes) -> None:
        """Dropped."""

    def _body_dropped(self, *args, **kwargs) -> None:
        self.dropping = False
        self.finish()

    get = head = post = put = patch = delete = options = _body_dropped


class ParticipantApp(tornado.web.Application):
    """The participant app; a request whose ``Content-Length`` is over the body limit goes
    to :class:`TooLarge` whatever its address, before anything of its body is read."""

    def __init__(self, site: Site, *args, **kwargs):
        self.site = site
        super().__init__(*args, **kwargs)

    def find_handler(self, request, **kwargs):
        length = request.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > self.site.limits.max_body_bytes:
            return self.get_handler_delegate(request, TooLarge, {"site": self.site})
        return super().find_handler(request, **kwargs)


class Health(tornado.web.RequestHandler):
    """``/healthz``: for a supervisor or a load balancer; says nothing else."""

    def get(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.finish("ok")


class Static(tornado.web.StaticFileHandler):
    """The app's own files (and vis-network's); cached for a year when asked for with the
    content hash that ``assets.asset_url`` adds.

    A client that takes gzip gets the file compressed once per process (per version of the
    file), not once per request: every participant's first visit fetches the same three.
    """

    _gzipped: ClassVar[dict] = {}  # (absolute path, modified time) -> gzip-compressed bytes
    gzipped: bytes | None = None  # this response's body, compressed

    def set_default_headers(self) -> None:
        self.set_header("X-Content-Type-Options", "nosniff")

    def set_headers(self) -> None:
        super().set_headers()
        self.gzipped = self._compressed()
        if self.gzipped is not None:
            # Tornado's own compression leaves a response alone that has an encoding
            # (and still adds "Vary: Accept-Encoding").
            self.set_header("Content-Encoding", "gzip")
            # The body comes from the cache. ``get_content`` stays the class's own for
            # everything else (Tornado hashes a file's version with it); only this
            # response's lookup of it is answered here.
            self.get_content = self._gzipped_content

    def _gzipped_content(self, abspath, start=None, end=None) -> bytes:
        return self.gzipped

    def _compressed(self) -> bytes | None:
        """The file gzip-compressed, when the client takes gzip, asks for no range and the
        type is one Tornado would compress; else None (served as Tornado does)."""
        headers = self.request.headers
        if "gzip" not in headers.get("Accept-Encoding", "") or "Range" in headers:
            return None
        kind = self.get_content_type().split(";")[0]
        if not (kind.startswith("text/") or kind in tornado.web.GZipContentEncoding.CONTENT_TYPES):
            return None
        key = (self.absolute_path, self.modified)
        body = self._gzipped.get(key)
        if body is None:
            with open(self.absolute_path, "rb") as file:
                level = tornado.web.GZipContentEncoding.GZIP_LEVEL
                body = gzip.compress(file.read(), compresslevel=level, mtime=0)
            if len(self._gzipped) > 64:  # a new version of each file: forget the old ones
                self._gzipped.clear()
            self._gzipped[key] = body
        return body

    def get_content_size(self) -> int:
        if self.gzipped is not None:
            return len(self.gzipped)
        return super().get_content_size()

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
    return ParticipantApp(
        site,
        routes(site),
        default_handler_class=NotFound,
        default_handler_args={"site": site},
        xsrf_cookies=True,
        xsrf_cookie_kwargs={"httponly": True, "samesite": "Lax"},
        compress_response=True,
        debug=debug,
        log_function=access_log,
    )
