"""The presenter view for the projector: the current exercise's live results in large type,
the number of participants, the join QR code and a countdown. It is served by the
facilitator's (loopback) server beside the dashboard, never on the participant port, and
shows only what participants may see: no moderation, no pseudonyms, no hidden texts."""

from __future__ import annotations

import os

import tornado.web
from markupsafe import Markup

from .assets import STATIC
from .base import Base
from .events import open_stream
from .live import Hub, room_state
from .render import Results
from .site import Site

__all__ = ["presenter_handlers", "PresenterPage", "PresenterEvents"]

PREFIX = "/presenter"
_site: Site | None = None


def _shared_site() -> Site:
    """One Site per facilitator server process, made on first use (its hub started on the
    running loop)."""
    global _site
    if _site is None:
        from ..store import Store

        _site = Site(Store.open(), session_code=os.environ.get("WORKSHOP_SESSION", ""))
        _site.hub = Hub(_site)
        _site.hub.start()
    return _site


class PresenterBase(Base):
    static_prefix = PREFIX + "/static"

    def initialize(self, code: str = ""):
        self.site = _shared_site()
        self.hub = self.site.hub
        self.code = code or self.site.session_code

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
        join = os.environ.get("WORKSHOP_JOIN_URL", "")
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
        )


def _qr(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff")


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


class PresenterStatic(tornado.web.StaticFileHandler):
    def get_cache_time(self, path, modified, mime_type) -> int:
        return self.CACHE_MAX_AGE if self.get_query_argument("v", None) else 0


def presenter_handlers(code: str = "") -> dict:
    """The presenter's routes, as ``WorkshopVoila.extra_handlers`` takes them."""
    return {
        PREFIX: (PresenterPage, {"code": code}),
        PREFIX + "/live": (PresenterEvents, {"code": code}),
        PREFIX + r"/static/([a-z0-9_-]+\.(?:js|css))": (PresenterStatic, {"path": str(STATIC)}),
    }
