"""The presenter view for the projector: the current exercise's live results in large type,
the number of participants, the join QR code and a countdown. It is served by the
facilitator's (loopback) server beside the dashboard, never on the participant port, and
shows only what participants may see: no moderation, no pseudonyms, no hidden texts."""

from __future__ import annotations

from urllib.parse import urlsplit

import tornado.web
from markupsafe import Markup

from ..settings import current
from .assets import STATIC, vis_dir
from .base import Base
from .events import open_stream
from .live import Hub, room_state
from .render import Results
from .site import Site

__all__ = ["presenter_handlers", "PresenterPage", "PresenterEvents", "loopback_request"]

PREFIX = "/presenter"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
_site: Site | None = None


def _shared_site() -> Site:
    """One Site per facilitator server process, made on first use (its hub started on the
    running loop)."""
    global _site
    if _site is None:
        from ..store import Store

        _site = Site(Store.open(), session_code=current().session)
        _site.hub = Hub(_site)
        _site.hub.start()
    return _site


def loopback_request(request) -> bool:
    """True when a request names this machine's loopback server as its ``Host`` (and, if it
    has one, its ``Origin``): a page elsewhere that points its own name at 127.0.0.1 (DNS
    rebinding) sends its own name and is refused.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> ask = lambda **headers: loopback_request(SimpleNamespace(headers=headers))
    >>> ask(Host="127.0.0.1:8867"), ask(Host="localhost:8867"), ask(Host="evil.example:8867")
    (True, True, False)
    >>> ask(Host="127.0.0.1:8867", Origin="http://evil.example")
    False
    """
    host = request.headers.get("Host", "")
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    if name.lower() not in LOOPBACK_NAMES:
        return False
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc.lower() == host.lower()


class PresenterBase(Base):
    """The presenter's pages answer only to requests for this loopback server."""

    static_prefix = PREFIX + "/static"

    def initialize(self, code: str = ""):
        self.site = _shared_site()
        self.hub = self.site.hub
        self.code = code or self.site.session_code

    def prepare(self) -> None:
        if not loopback_request(self.request):
            self.lang = "nl"
            raise tornado.web.HTTPError(403)

    async def session(self):
        session = await self.site.run(self.site.store.get_session, self.code)
        if session is None:
            sessions = await self.site.run(self.site.store.list_sessions)
            session = sessions[0] if sessions else None
        if session is None:
            raise tornado.web.HTTPError(404)
        return session


class PresenterPage(PresenterBase):
    """``/presenter``: what the room sees."""

    async def get(self) -> None:
        session = await self.session()
        self.lang = self.pick_lang(session)
        site = self.site
        exercise = site.exercise(session.current_exercise, session)
        blocks, counts = [], await site.run(site.store.participant_counts, session.id)
        if exercise is not None:
            versions = await site.run(site.store.versions, [session.id])
            result = await site.run(
                site.results.get, session, exercise, self.lang, versions, 1.0, True
            )
            blocks = [(b, result.html.get(b, "")) for b in Results.block_ids(exercise)]
            n = result.n
        else:
            n = 0
        join = current().join_url
        self.page(
            "presenter.html",
            session=session,
            exercise=exercise,
            blocks=blocks,
            block_titles={q.id: q.prompt(self.lang) for q in exercise.questions}
            if exercise
            else {},
            n=n,
            counts=counts,
            join=join,
            qr=Markup(_qr(join)) if join else "",  # noqa: S704 - segno's own SVG
            room=room_state(session, site.exercises_of(session)),
            titles={e.id: e.title(self.lang) for e in site.exercises_of(session)},
            live=f"{PREFIX}/live?screen=" + (f"e/{exercise.id}" if exercise else ""),
            map_frame=f"{PREFIX}/map/frame?lang={self.lang}",
        )


def _qr(url: str) -> str:
    import segno

    # omitsize: a viewBox instead of a fixed width and height, so the stylesheet's size
    # scales the whole code (a fixed 165-px drawing in an 8-rem box lost its right and
    # bottom modules, and a cut-off code does not scan)
    return segno.make(url, error="m").svg_inline(
        scale=5, border=2, dark="#000", light="#fff", omitsize=True
    )


class PresenterEvents(PresenterBase):
    """``/presenter/live``: the presenter view's event stream."""

    done = None

    async def get(self) -> None:
        session = await self.session()
        self.lang = self.pick_lang(session)
        screen = self.get_query_argument("screen", "")
        if screen and not (screen.startswith("e/") and self.site.exercise(screen[2:], session)):
            raise tornado.web.HTTPError(400)
        await open_stream(self, session.id, screen, self.lang, presenter=True)

    def on_connection_close(self) -> None:
        if self.done is not None and not self.done.done():
            self.done.set_result(None)


class PresenterMap(PresenterBase):
    """``/presenter/map/frame``: the room's map, large, with the additions others may see."""

    async def get(self) -> None:
        from .assets import asset_url
        from .mapframe import MAP_CSP, render_session_map

        session = await self.session()
        self.lang = self.pick_lang(session)
        vis = asset_url("vis-network.min.js", PREFIX + "/static")
        document = await self.site.run(render_session_map, self.site, session, self.lang, vis, True)
        self.set_header("Content-Security-Policy", MAP_CSP)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(document)


class PresenterStatic(tornado.web.StaticFileHandler):
    def prepare(self) -> None:
        if not loopback_request(self.request):
            raise tornado.web.HTTPError(403)

    def get_cache_time(self, path, modified, mime_type) -> int:
        return self.CACHE_MAX_AGE if self.get_query_argument("v", None) else 0


def presenter_handlers(code: str = "") -> dict:
    """The presenter's routes, as ``WorkshopVoila.extra_handlers`` takes them."""
    return {
        PREFIX: (PresenterPage, {"code": code}),
        PREFIX + "/live": (PresenterEvents, {"code": code}),
        PREFIX + "/map/frame": (PresenterMap, {"code": code}),
        PREFIX + r"/static/(vis-network\.min\.js)": (PresenterStatic, {"path": str(vis_dir())}),
        PREFIX + r"/static/([a-z0-9_-]+\.(?:js|css))": (PresenterStatic, {"path": str(STATIC)}),
    }
