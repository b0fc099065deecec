"""The participant's map: the stakeholder dataset with the additions the room may see,
drawn by the project's safe HTML map and re-drawn only when the map changes."""

from __future__ import annotations

import tornado.web

from ..i18n import t
from ..map.additions import merge_contributions
from ..questions import View
from ..store.store import MAP, ROOM
from .assets import asset_url
from .base import SessionPage
from .site import TTLCache

__all__ = ["MapFrame", "MAP_CSP", "visible_additions", "session_map_data", "render_session_map"]

# The map document runs its own inline script, in a sandbox without this origin's rights.
MAP_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'self'; sandbox allow-scripts allow-popups allow-downloads"
)
_documents = TTLCache(seconds=3600, size=64)


def visible_additions(session, exercises, contributions) -> list:
    """The map additions others may see now (the facilitator's settings and moderation)."""
    view = View.of(session)
    question = next(
        ((e, q) for e in exercises for q in e.questions if q.type == "contribution"), None
    )
    if question is None:
        return [c for c in contributions if not c.hidden]
    exercise, q = question
    return [c for c in contributions if view.text_shown(exercise.id, q, c)]


def session_map_data(store, session, exercises, dataset=None):
    """The stakeholder dataset with the session's additions that the room may see now: the
    one source of a session's map for the phones, the projector, the dashboard and the
    report."""
    from ..questions import shipped_dataset

    contributions = store.contributions(session.id)
    return merge_contributions(
        dataset if dataset is not None else shipped_dataset(),
        visible_additions(session, exercises, contributions),
    )


def render_session_map(site, session, lang: str, vis_url: str, projector: bool = False) -> str:
    """The map document of a session (blocking: call from a worker thread)."""
    from ..map.render import render_map
    from ..network.graph import build_graph

    data = session_map_data(site.store, session, site.exercises_of(session), site.content.data)
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
