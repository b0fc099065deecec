"""The participant app: one notebook, screens swapped inside one root widget."""

from __future__ import annotations

import asyncio
import html
import logging
import os
import random
from urllib.parse import urlencode

import ipywidgets as widgets

from ...exercises.loader import default_exercises
from ...i18n import t
from ...store import NotAllowed, Store, StoreUnavailable
from ..loop import running_loop
from ..widgets_util import close_tree
from .context import Context, log_to_server, note_available, note_unavailable
from .pseudonyms import clean_pseudonym, suggest_pseudonym
from .screens import ExerciseScreen, JoinScreen, MapScreen, OverviewScreen

__all__ = ["ParticipantApp", "REFRESH_SECONDS"]

log = logging.getLogger("workshop.participant")
SAVED_REDRAW_SECONDS = 0.6  # after a save: own answer in the results (saves coalesced)
REFRESH_SECONDS = 4.0  # group results are recomputed only when they changed
TOUCH_EVERY = 15  # refreshes between 'still here' marks (about a minute)


class ParticipantApp:
    """Build with ``ParticipantApp()`` (slow part: imports, store, exercises), display
    ``app.widget``, then call ``app.start_when_requested()`` (or ``app.start(params)``).

    Examples
    --------
    >>> import tempfile, os
    >>> store = Store.open(f"sqlite:///{tempfile.mkdtemp()}/w.db")
    >>> session = store.create_session("Demo", exercises=["behoeften"])
    >>> app = ParticipantApp(store=store)
    >>> app.start({"code": session.code})
    >>> app.join(session.code, "Wijze Otter")
    >>> app.ctx.person.pseudonym, type(app.screen).__name__
    ('Wijze Otter', 'OverviewScreen')
    """

    def __init__(self, store: Store | None = None, lang: str = "nl"):
        log_to_server()
        self.store = store or Store.open()
        self.exercises = list(default_exercises())
        self.lang = lang
        self.ctx: Context | None = None
        self.screen = None
        self.base_url = ""
        self.suggested_pseudonym = suggest_pseudonym()
        self.language = widgets.ToggleButtons(
            options=[("NL", "nl"), ("EN", "en")], value=lang, style={"button_width": "4em"}
        )
        self.language.observe(self._on_language, names="value")
        self.bridge = widgets.HTML(layout=widgets.Layout(height="0px", overflow="hidden"))
        self.body = widgets.VBox(layout=widgets.Layout(width="100%"))
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.language], layout=widgets.Layout(justify_content="flex-end")),
                self.body,
                self.bridge,
            ],
            layout=widgets.Layout(width="100%", max_width="760px", margin="0 auto"),
        )
        self.widget.add_class("workshop-participant")
        self._task = None
        self._soon = None  # a pending redraw after saving
        self._ticks = 0

    # --- start ------------------------------------------------------------------------------
    def start_when_requested(self, read_params=None) -> None:
        """Show the first screen as soon as the page's query is known, without holding up
        the page.

        A preheated kernel learns the query (code, resume token) only when someone opens
        the page. A notebook cell that waited for it kept the page's HTML unfinished until
        the first screen was built (0.3-0.6 s measured, before the browser could run its
        scripts); here the cell returns at once, the page is complete, and the screen is
        built while the browser loads its scripts, arriving through the widget protocol.
        Outside a running kernel (scripts, tests) it starts at once.
        """
        from ..request import query_params

        read = read_params or query_params
        loop = running_loop()
        if loop is None:
            self.start(read())
            return

        async def begin():
            try:
                params = await loop.run_in_executor(None, read)
            except Exception:  # the app still starts: it asks for a code
                log.exception("could not read the page's query")
                params = {}
            try:
                self.start(params)
            except Exception:
                log.exception("the first screen failed")

        self._starting = loop.create_task(begin())

    def start(self, params: dict[str, str]) -> None:
        """Show the right first screen for the page's query (code, resume token, language)."""
        self.base_url = _base_url()
        code = (params.get("code") or os.environ.get("WORKSHOP_SESSION", "")).strip().upper()
        lang = params.get("lang")
        if lang not in ("nl", "en"):
            session = self.store.get_session(code) if code else None
            lang = session.lang if session else self.lang
        self.lang = lang
        self.language.unobserve(self._on_language, names="value")
        self.language.value = lang
        self.language.observe(self._on_language, names="value")
        token = params.get("t", "")
        if code and token and not params.get("new"):
            try:
                person = self.store.resume(code, token)
            except StoreUnavailable:
                person = None
            if person is not None:
                self._enter(code, person, token, returning=True)
                self._start_refresh()
                return
        self.find_session(code, quiet=not params.get("code"))
        self._start_refresh()

    def find_session(self, code: str, quiet: bool = False) -> None:
        """Show the join screen for ``code`` (or ask for a code)."""
        code = (code or "").strip().upper()
        session = self.store.get_session(code) if code else None
        error = (
            "" if session or quiet or not code else t("p_code_unknown", self.lang, code=code[:12])
        )
        self._show(JoinScreen(self, code, session, error))

    def join(self, code: str, pseudonym: str) -> None:
        """Join the session under ``pseudonym``; show the overview."""
        name = clean_pseudonym(pseudonym)
        screen = self.screen
        if name is None:
            screen.message.value = (
                f"<p class='workshop-error' role='alert'>"
                f"{html.escape(t('error_pseudonym', self.lang))}</p>"
            )
            return
        try:
            person, token = self.store.join(code, name)
        except (NotAllowed, StoreUnavailable) as exc:
            if isinstance(exc, StoreUnavailable):
                note_unavailable("join not saved", exc)
            reason = (
                t("p_code_unknown", self.lang, code=code)
                if isinstance(exc, NotAllowed)
                else t("p_not_saved", self.lang, reason=t("error_unavailable", self.lang))
            )
            screen.message.value = (
                f"<p class='workshop-error' role='alert'>{html.escape(reason)}</p>"
            )
            return
        self._enter(code, person, token)

    def _enter(self, code: str, person, token: str, returning: bool = False) -> None:
        session = self.store.get_session(code)
        self.ctx = Context(self.store, session, person, token, self.lang)
        self.ctx.on_saved = self.refresh_soon
        self.ctx.cache["returning"] = returning
        self._update_bridge()
        self.show_overview()

    def forget(self) -> None:
        """'Not you?': drop the identity in this browser and show the join screen."""
        code = self.ctx.session.code if self.ctx else ""
        query = "?" + urlencode({"code": code, "new": "1"})
        self.bridge.value = (
            f"<span class='workshop-resume' hidden data-forget='1' "
            f"data-code='{html.escape(code)}' "
            f"data-query='{html.escape(query)}'></span>"
        )
        self.ctx = None
        self.suggested_pseudonym = suggest_pseudonym()
        self.find_session(code)

    # --- navigation -------------------------------------------------------------------------
    def _show(self, screen) -> None:
        previous, self.screen = self.screen, screen
        self.body.children = [screen.widget]
        if previous is not None and previous is not screen:
            close_tree(previous.widget)  # its models would otherwise live on in the kernel

    def show_overview(self) -> None:
        self.ctx.refresh_session()
        self._show(OverviewScreen(self, self.ctx))

    def show_exercise(self, exercise_id: str) -> None:
        exercise = next(e for e in self.exercises if e.id == exercise_id)
        self.ctx.refresh_session()
        self._show(ExerciseScreen(self, self.ctx, exercise))

    def show_map(self) -> None:
        self._show(MapScreen(self, self.ctx))

    def next_exercise(self, exercise_id: str):
        ids = [e.id for e in self.exercises]
        index = ids.index(exercise_id)
        return self.exercises[index + 1] if index + 1 < len(ids) else None

    def _on_language(self, change) -> None:
        self.lang = change["new"]
        if self.ctx is not None:
            self.ctx.lang = self.lang
            self._update_bridge()
        self._rerender()

    def _rerender(self) -> None:
        screen = self.screen
        if isinstance(screen, ExerciseScreen):
            self.show_exercise(screen.exercise.id)
        elif isinstance(screen, OverviewScreen):
            self.show_overview()
        elif isinstance(screen, MapScreen):
            self.show_map()
        elif isinstance(screen, JoinScreen):
            self.suggested_pseudonym = screen.pseudonym.value or self.suggested_pseudonym
            self.find_session(screen.code.value, quiet=True)

    # --- resume link ------------------------------------------------------------------------
    def _update_bridge(self) -> None:
        ctx = self.ctx
        query = "?" + urlencode({"code": ctx.session.code, "t": ctx.token, "lang": self.lang})
        ctx.resume_url = f"{self.base_url}{query}"
        self.bridge.value = (
            f"<span class='workshop-resume' hidden "
            f"data-code='{html.escape(ctx.session.code)}' "
            f"data-query='{html.escape(query)}'></span>"
        )

    # --- live refresh -----------------------------------------------------------------------
    def _start_refresh(self) -> None:
        loop = running_loop()
        if self._task is None and loop is not None:
            self._task = loop.create_task(self._refresh_loop())

    async def _refresh_loop(self) -> None:
        while True:  # jittered, so a room full of kernels does not refresh in step
            await asyncio.sleep(REFRESH_SECONDS * random.uniform(0.75, 1.25))
            try:
                self.tick()
            except StoreUnavailable as exc:  # an outage: one line, not a traceback per tick
                note_unavailable("group results not refreshed", exc, kind="read")
            except Exception:  # keep refreshing; a failure here must not end the app
                log.exception("refresh failed")
            else:
                note_available(kind="read")

    def refresh_soon(self) -> None:
        """Redraw the results shortly after an answer was saved, so it shows next to the
        group's at once; quick successive answers share one redraw (``SAVED_REDRAW_SECONDS``).
        Outside a running kernel loop (scripts, tests) it redraws right away."""
        if self._soon is not None:
            return
        loop = running_loop()
        if loop is None:
            self._redraw()
            return
        self._soon = loop.call_later(SAVED_REDRAW_SECONDS, self._redraw)

    def _redraw(self) -> None:
        self._soon = None
        screen = self.screen
        if isinstance(screen, ExerciseScreen):
            try:
                screen.refresh()
            except StoreUnavailable as exc:
                note_unavailable("results not redrawn", exc, kind="read")
            except Exception:  # the refresh loop tries again; never end the app
                log.exception("redraw after saving failed")

    def tick(self) -> None:
        """One refresh: session state, the visible results, and a periodic 'still here'."""
        ctx = self.ctx
        if ctx is None:
            return
        before = ctx.session.open_exercises
        if ctx.refresh_session() is None:
            return
        self._ticks += 1
        if self._ticks % TOUCH_EVERY == 0:
            try:
                self.store.touch(ctx.person)
            except StoreUnavailable:
                pass
        screen = self.screen
        if isinstance(screen, ExerciseScreen):
            screen.refresh()
        elif isinstance(screen, OverviewScreen) and before != ctx.session.open_exercises:
            self.show_overview()


def _base_url() -> str:
    """The participant page's own address, from the request Voila passed to this kernel."""
    host = os.environ.get("SERVER_NAME", "")
    port = os.environ.get("SERVER_PORT", "")
    path = os.environ.get("SCRIPT_NAME", "/") or "/"
    if not host:
        return path
    netloc = f"[{host}]" if ":" in host else host
    if port and port not in ("80", ""):
        netloc += f":{port}"
    return f"http://{netloc}{path}"
