"""``/s/<code>/live``: a page's stream of server-sent events (room, results, map)."""

from __future__ import annotations

import asyncio

import tornado.iostream
import tornado.web

from ..i18n import LANGUAGES
from .base import SessionPage
from .live import Stream

__all__ = ["EventsPage", "open_stream"]

_SCREENS = ("", "map")


async def open_stream(
    handler, session_id: int, screen: str, lang: str, presenter: bool = False
) -> None:
    """Hold ``handler``'s response open as an event stream until the client goes; one
    place of the per-client and total caps for as long as it lasts."""
    site = handler.site
    if not site.streams.claim(handler.client):
        raise tornado.web.HTTPError(503)
    try:
        handler._transforms = []  # no gzip: a compressor per connection costs ~300 KB
        handler.set_header("Content-Type", "text/event-stream; charset=utf-8")
        handler.set_header("Cache-Control", "no-store")
        handler.set_header("X-Accel-Buffering", "no")  # nginx: pass events on at once
        handler.write(b"retry: 2000\n\n")
        try:
            await handler.flush()
        except tornado.iostream.StreamClosedError:
            return  # the page went away before its stream began (a quick reload)
        stream = Stream(handler, session_id, screen, lang, presenter)
        handler.done = asyncio.get_running_loop().create_future()
        site.hub.add(stream)
        try:
            await site.hub.snapshot(stream)
            await handler.done
        finally:
            site.hub.remove(stream)
    finally:
        site.streams.release(handler.client)


class EventsPage(SessionPage):
    """The live updates of one participant page; ``?screen=`` says which page."""

    done = None

    async def get(self, code: str) -> None:
        if self.person is None:
            raise tornado.web.HTTPError(403)
        screen = self.get_query_argument("screen", "")
        if screen not in _SCREENS and not (
            screen.startswith("e/") and self.site.exercise(screen[2:], self.session) is not None
        ):
            raise tornado.web.HTTPError(400)
        lang = self.lang if self.lang in LANGUAGES else "nl"
        await open_stream(self, self.session.id, screen, lang)

    def on_connection_close(self) -> None:
        if self.done is not None and not self.done.done():
            self.done.set_result(None)
