"""The participant's screens: enter a code, join, the overview, an exercise, the map."""

from __future__ import annotations

from dataclasses import replace

import tornado.web

from ..questions import Ui
from ..questions.contribution import OWN_CONTRIBUTIONS
from ..results.aggregate import own_answers
from ..store import NotAllowed
from .base import Base, SessionPage, TooManyTries
from .identity import clean_pseudonym, suggest_pseudonym
from .live import room_state
from .render import Results, form_keys, own_blocks, question_form, result_block

__all__ = [
    "CodePage",
    "FindPage",
    "JoinPage",
    "ResumePage",
    "LeavePage",
    "ExercisePage",
    "MapPage",
]


class CodePage(Base):
    """``/``: type the session code (the QR code's link skips this). The links of the
    earlier app (``/?code=X&t=TOKEN``) still lead to the session."""

    def get(self) -> None:
        self.lang = self.pick_lang()
        code = (self.get_query_argument("code", "") or "").strip().upper()
        token = self.get_query_argument("t", "")
        if code.isalnum() and len(code) <= 12:
            target = f"/s/{code}/r?t={token}" if token else f"/s/{code}/"
            self.redirect(target, status=303)
            return
        self.page("code.html", code="", error="")


class FindPage(Base):
    """``/join?code=X``: the session of a typed code; wrong codes are counted per client."""

    async def get(self) -> None:
        self.lang = self.pick_lang()
        code = (self.get_query_argument("code", "") or "").strip().upper()[:12]
        wait = self.site.wrong_codes.wait(self.client)
        if wait:
            raise TooManyTries(wait)
        session = await self.site.run(self.site.store.get_session, code) if code else None
        if session is None:
            self.site.wrong_codes.failed(self.client)
            self.page("code.html", status=404, code=code, error=self.t("w_code_wrong"))
            return
        self.redirect(f"/s/{session.code}/", status=303)


class JoinPage(SessionPage):
    """``/s/<code>/``: the join screen, or the overview for someone who has joined."""

    async def get(self, code: str) -> None:
        if self.person is None:
            self.join_page()
            return
        await self.remember_screen("")
        await self.overview()

    def join_page(self, error: str = "", pseudonym: str = "", status: int = 200) -> None:
        self.page(
            "join.html",
            status=status,
            session=self.session,
            pseudonym=pseudonym or suggest_pseudonym(),
            error=error,
        )

    async def post(self, code: str) -> None:
        """Join under the pseudonym given; the token goes into this session's cookie. The
        field is read as sent (Tornado's own reading turns control characters into spaces)
        so that :func:`clean_pseudonym` alone decides what is kept."""
        typed = self.raw_body_argument("pseudonym")
        name = clean_pseudonym(typed)
        if name is None:
            self.join_page(self.t("error_pseudonym"), (typed or "")[:60], 400)
            return
        if self.session.purged:
            self.join_page(status=410)
            return
        person, token = await self.site.run(self.site.store.join, self.code, name)
        self.remember(token)
        self.site.people.put((self.code, token), person)
        self.hub.poke()
        session = self.session
        if session.follow and self.site.exercise(session.current_exercise, session):
            self.redirect(self.url(f"e/{session.current_exercise}"), status=303)
        else:
            self.redirect(self.url(), status=303)

    async def overview(self) -> None:
        own = await self.site.run(
            self.site.store.answers, self.session.id, participant_id=self.person.id
        )
        done: dict[str, set] = {}
        for answer in own:
            done.setdefault(answer.exercise, set()).add(answer.item.split(":")[0])
        progress = {
            e.id: (
                len([q for q in e.questions if q.id in done.get(e.id, set())]),
                len([q for q in e.questions if q.type != "contribution"]),
            )
            for e in self.site.exercises_of(self.session)
        }
        self.page(
            "overview.html",
            session=self.session,
            person=self.person,
            exercises=self.site.exercises_of(self.session),
            progress=progress,
            resume_url=self.resume_url(),
            room=room_state(self.session, self.site.exercises_of(self.session)),
            titles=self.titles(),
            live=self.url("live?screen="),
            current=self.site.exercise(self.session.current_exercise, self.session),
        )

    def titles(self) -> dict[str, str]:
        """Exercise id -> title, for the script's 'the facilitator is at' banner."""
        return {e.id: e.title(self.lang) for e in self.site.exercises_of(self.session)}

    def resume_url(self) -> str:
        """The personal link (with the token): only shown to the participant themself."""
        token = self.get_cookie("wt", "")
        host = self.request.host
        return f"{self.request.protocol}://{host}/s/{self.code}/r?t={token}"

    async def remember_screen(self, screen: str) -> None:
        if self.person is not None and self.person.screen != screen:
            await self.site.run(self.site.store.set_screen, self.person, screen)
            self.screen_remembered(screen)

    def screen_remembered(self, screen: str) -> None:
        """After ``set_screen``: the participant as now stored, for this cookie's next
        requests (the live stream that follows a page), instead of reading them again."""
        self.person = replace(self.person, screen=screen)
        self.site.people.put((self.code, self.get_cookie("wt", "")), self.person)


class ResumePage(JoinPage):
    """``/s/<code>/r?t=TOKEN``: the personal link; back to the screen one was on."""

    async def get(self, code: str) -> None:
        token = self.get_query_argument("t", "")
        person = None
        if token and len(token) <= 100:
            person = await self.site.run(self.site.store.resume, self.code, token)
        if person is None:
            self.join_page(self.t("w_resume_unknown"), status=404)
            return
        self.remember(token)
        screen = person.screen if _known_screen(self.site, self.session, person.screen) else ""
        self.redirect(self.url(screen), status=303)


def _known_screen(site, session, screen: str) -> bool:
    if screen == "map":
        return True
    return screen.startswith("e/") and site.exercise(screen[2:], session) is not None


class LeavePage(SessionPage):
    """``POST /s/<code>/leave``: 'not you?' forgets the token in this browser."""

    def post(self, code: str) -> None:
        self.forget()
        self.redirect(self.url(), status=303)


class ExercisePage(JoinPage):
    """``/s/<code>/e/<exercise>``: the questions, then you and the group."""

    async def get(self, code: str, exercise_id: str) -> None:
        exercise = self.site.exercise(exercise_id, self.session)
        if exercise is None:
            raise tornado.web.HTTPError(404)
        if self.person is None:
            self.redirect(self.url(), status=303)
            return
        saved = self.get_query_argument("saved", "")
        flash = {saved: ("ok", self.t("p_saved"))} if saved else None
        await self.render_exercise(exercise, flash=flash, screen=f"e/{exercise.id}")

    async def render_exercise(
        self,
        exercise,
        status: int = 200,
        flash: dict | None = None,
        kept: dict | None = None,
        screen: str | None = None,
    ) -> None:
        """The exercise page; ``flash`` maps question ids to ``(kind, text)`` messages
        (the plain form's answer to a save), ``kept`` to values to show instead of the
        stored ones (a refused plain-form answer, so nothing typed is lost); ``screen``
        is remembered as the participant's page first (when it is not already)."""
        site, person = self.site, self.person
        if screen is not None and person.screen == screen:
            screen = None
        # One trip to the store's threads for everything the page reads (each trip costs
        # more CPU than the reads themselves on SQLite).
        session, blocks, own = await site.run(
            exercise_state,
            site,
            None if self.fresh else self.session.id,
            self.session,
            exercise,
            person,
            self.lang,
            screen,
        )
        if screen is not None:
            self.screen_remembered(screen)
        if session is None:
            self.session = None
            raise tornado.web.HTTPError(410)
        if not self.fresh:
            self.session, self.fresh = session, True
            site.sessions.put(session.code, session)
        is_open = session.is_open(exercise.id)
        ui = Ui(lang=self.lang, content=site.content)
        forms = {
            q.id: question_form(
                site.env, exercise, q, {**own, **(kept or {})}, blocks.groups.get(q.id, {}), ui
            )
            for q in exercise.questions
        }
        mine = own_blocks(exercise, own, blocks, ui)
        results = [
            (block, result_block(block, blocks.html.get(block, ""), mine.get(block, "")))
            for block in Results.block_ids(exercise)
        ]
        before, after = site.neighbours(session, exercise.id)
        self.page(
            "exercise.html",
            status=status,
            session=session,
            person=self.person,
            exercise=exercise,
            forms=forms,
            form_keys=form_keys(exercise, blocks.groups),
            results=results,
            block_titles={q.id: q.prompt(self.lang) for q in exercise.questions},
            is_open=is_open,
            flash=flash or {},
            before=before,
            after=after,
            room=room_state(session, site.exercises_of(session)),
            titles=self.titles(),
            live=self.url(f"live?screen=e/{exercise.id}"),
            current=site.exercise(session.current_exercise, session),
        )


def exercise_state(site, session_id, session, exercise, person, lang: str, screen):
    """What an exercise page shows, read in one go (blocking: a worker thread's).

    First ``screen`` is remembered as the participant's page (unless None); the session
    is read again when ``session_id`` is given (the cached one may be two seconds old: what
    others' texts a page may show, and whether the exercise is open, is decided on it).
    Returns ``(session or None, blocks, own answers)``.
    """
    store = site.store
    if screen is not None:
        store.set_screen(person, screen)
    if session_id is not None:
        session = store.session_by_id(session_id)
        if session is None:
            return None, None, None
    versions = store.versions([session.id])
    blocks = site.results.get(session, exercise, lang, versions, 1.0)
    answers = store.answers(session.id, exercise=exercise.id, participant_id=person.id)
    own = own_answers(exercise, answers, person.id)
    if any(q.type == "contribution" for q in exercise.questions):
        own[OWN_CONTRIBUTIONS] = store.contributions(session.id, participant_id=person.id)
    return session, blocks, own


class MapPage(JoinPage):
    """``/s/<code>/map``: the stakeholder map with the group's additions."""

    async def get(self, code: str) -> None:
        if self.person is None:
            self.redirect(self.url(), status=303)
            return
        await self.remember_screen("map")
        self.page(
            "map.html",
            session=self.session,
            person=self.person,
            room=room_state(self.session, self.site.exercises_of(self.session)),
            titles=self.titles(),
            live=self.url("live?screen=map"),
            frame=self.url(f"map/frame?lang={self.lang}"),
            current=self.site.exercise(self.session.current_exercise, self.session),
        )


__all__ += ["NotAllowed"]
