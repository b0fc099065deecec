"""The participant's map: the stakeholder dataset with the additions the room may see,
drawn by the project's safe HTML map and re-drawn only when the map changes."""

from __future__ import annotations

import tornado.web

from ..i18n import t
from ..map.session import session_map
from ..store.store import MAP, ROOM
from .assets import asset_url
from .base import SessionPage
from .site import TTLCache

__all__ = ["MapFrame", "MAP_CSP", "render_session_map"]

# The map document runs its own inline script, in a sandbox without this origin's rights.
MAP_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'self'; sandbox allow-scripts allow-popups allow-downloads"
)
_documents = TTLCache(seconds=3600, size=64)


def render_session_map(site, session, lang: str, vis_url: str, projector: bool = False) -> str:
    """The map document of a session (blocking: call from a worker thread)."""
    from ..map.render import render_map
    from ..network.graph import build_graph

    data = session_map(
        site.store,
        session,
        audience="room",
        exercises=site.exercises_of(session),
        dataset=site.content.data,
    )
    return render_map(
        build_graph(data),
        lang=lang,
        vis_js_url=vis_url,
        title=t("explorer_title", lang),
        projector=projector,
    )


class MapFrame(SessionPage):
    """``/s/<code>/map/frame``: the map document (shown in a sandboxed frame)."""

    async def get(self, code: str) -> None:
        if self.person is None:
            raise tornado.web.HTTPError(403)
        site = self.site
        versions = await site.run(site.store.versions, [self.session.id])
        # The rules are read after the counters, so a document is never cached under
        # counters newer than the rules it was drawn with.
        session = await self.current_session()
        if session is None:
            raise tornado.web.HTTPError(410)
        key = (
            session.id,
            self.lang,
            versions.get((session.id, MAP), 0),
            versions.get((session.id, ROOM), 0),
        )
        document = _documents.get(key)
        if document is None:
            vis = asset_url("vis-network.min.js")
            document = await site.run(render_session_map, site, session, self.lang, vis)
            _documents.put(key, document)
        self.set_header("Content-Security-Policy", MAP_CSP)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(document)
