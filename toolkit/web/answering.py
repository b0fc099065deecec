"""Saving an answer: one route per question, for the plain form and for the script alike.

The posted fields are read by the question's type, checked with its rules (the page's own
checks are only a convenience) and written to the store, which makes a resend harmless.
The plain form gets a redirect back to the page; the script gets JSON with the new own
layer of the results (and the form again where it lists one's own items).
"""

from __future__ import annotations

import json

import tornado.web

from ..content.flows import flows_for
from ..questions import Check, Form, QuestionType, Ui, View, question_type
from ..questions.contribution import OWN_CONTRIBUTIONS, organisation_names, shown_additions
from ..questions.errors import AnswerError
from ..results.aggregate import own_answers
from ..store import ExerciseClosed
from .pages import ExercisePage
from .render import own_blocks, question_form

__all__ = ["AnswerPage"]


class Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


class AnswerPage(ExercisePage):
    """``POST /s/<code>/e/<exercise>/<question>``."""

    own_after = None  # the participant's answers once this one is stored (see save)

    async def get(self, code: str, exercise_id: str, question_id: str) -> None:
        self.redirect(self.url(f"e/{exercise_id}#q-{question_id}"), status=303)

    async def post(self, code: str, exercise_id: str, question_id: str) -> None:
        exercise = self.site.exercise(exercise_id, self.session)
        try:
            question = exercise.question(question_id) if exercise else None
        except KeyError:
            question = None
        if question is None:
            raise tornado.web.HTTPError(404)
        if self.person is None:
            if self.wants_json:
                raise tornado.web.HTTPError(403)
            self.redirect(self.url(), status=303)
            return
        try:
            await self.save(exercise, question)
        except Refused as refused:
            await self.refuse(exercise, question, refused)
            return
        self.hub.poke()
        if not self.wants_json:
            self.redirect(
                self.url(f"e/{exercise.id}?saved={question.id}#q-{question.id}"), status=303
            )
            return
        await self.acknowledge(exercise, question)

    def form(self) -> Form:
        fields = {}
        for name, values in self.request.body_arguments.items():
            try:
                fields[name] = [v.decode("utf-8") for v in values]
            except UnicodeDecodeError:
                raise Refused(400, self.t("error_type")) from None
        return Form(fields)

    async def save(self, exercise, question) -> None:
        """Check the posted answer and store it, or raise Refused (nothing stored).

        One transaction checks that the exercise is open and writes every change, so an
        answer that meets a closing exercise is refused, never half kept.
        """
        site = self.site
        kind = question_type(question)
        form = self.form()
        own = {}
        if kind.needs_own:
            answers = await site.run(
                site.store.answers,
                self.session.id,
                exercise=exercise.id,
                participant_id=self.person.id,
            )
            own = own_answers(exercise, answers, self.person.id)
        try:
            if question.type == "contribution":
                await self._contribute(exercise, question, form, own)
                return
            check = await self._check(exercise, question, own)
            changes = [
                (item, None if value is None else kind.clean(question, value, check))
                for item, value in kind.from_form(question, form, check)
            ]
        except AnswerError as exc:
            raise Refused(400, self.t(exc.key, **exc.values)) from None
        touch = site.touched.get(self.person.id) is None  # 'active' is kept to the minute
        try:
            self.own_after = await site.run(
                site.store.apply_answers,
                self.person,
                exercise.id,
                changes,
                touch=touch,
                read_back=self.wants_json,  # the acknowledgement shows them
            )
        except ExerciseClosed:
            raise Refused(409, self.t("w_closed_refused")) from None
        if touch:
            site.touched.put(self.person.id, True)

    async def _check(self, exercise, question, own) -> Check:
        """What the answer is checked against besides its question, as this participant
        sees it now: the dot vote's options, the grid's items, the flows."""
        site = self.site
        check = Check(own=own)
        kind = question_type(question)
        if type(kind).allowed is not QuestionType.allowed:  # choices from the group
            # As others may see them now: a text approved or shown a moment ago counts.
            session = await self.current_session()
            versions = await site.run(site.store.versions, [session.id])
            blocks = await site.run(site.results.get, session, exercise, self.lang, versions, 1.0)
            check.allowed = kind.allowed(question, blocks.groups[question.id])
        if question.type == "grid":
            check.grid_items = {i for i, _ in site.content.grid_items(question, self.lang)}
        elif question.type == "flow_check":
            check.flow_ids = {f["id"] for f in flows_for(question)}
        return check

    async def _contribute(self, exercise, question, form, own) -> None:
        site, person = self.site, self.person
        session = await site.run(site.store.session_by_id, self.session.id)  # fresh: open?
        if session is None or not session.is_open(exercise.id):
            raise Refused(409, self.t("w_closed_refused"))
        mine = await site.run(site.store.contributions, self.session.id, participant_id=person.id)
        everyone = await site.run(site.store.contributions, self.session.id)
        view = View.of(self.session)
        shown = shown_additions(site.exercises_of(self.session), everyone, view)
        names = organisation_names(site.content, [*shown, *mine])
        check = Check(own={**own, OWN_CONTRIBUTIONS: mine})
        change = question_type(question).change(question, form, check, site.content, names)
        if change[0] == "remove":
            await site.run(site.store.remove_contribution, person, change[1])
        else:
            _, uid, kind, payload = change
            await site.run(site.store.add_contribution, person, uid, kind, payload)

    async def refuse(self, exercise, question, refused: Refused) -> None:
        if self.wants_json:
            self.set_status(refused.status)
            self.set_header("Content-Type", "application/json")
            self.finish(
                json.dumps(
                    {"ok": False, "message": refused.message, "closed": refused.status == 409}
                )
            )
            return
        await self.render_exercise(
            exercise, status=refused.status, flash={question.id: ("error", refused.message)}
        )

    async def acknowledge(self, exercise, question) -> None:
        """JSON for the script: saved, the own layer of the question's block(s), and the
        form again where it lists one's own items. No aggregation here: the group's part
        comes over the live stream, computed once for everyone."""
        site, session = self.site, self.session
        blocks = site.results.cached(session, exercise, self.lang)
        if blocks is None:
            blocks = await site.run(site.results.latest, session, exercise, self.lang)
        own = self.own_after  # read in the answer's own transaction
        if own is None:
            answers = await site.run(
                site.store.answers, session.id, exercise=exercise.id, participant_id=self.person.id
            )
            own = own_answers(exercise, answers, self.person.id)
        kind = question_type(question)
        ui = Ui(lang=self.lang, content=site.content)
        reply = {
            "ok": True,
            "message": self.t("p_saved"),
            "own": own_blocks(exercise, own, blocks, ui, only=question),
        }
        if kind.redraw_form:
            if question.type == "contribution":
                own[OWN_CONTRIBUTIONS] = await site.run(
                    site.store.contributions, session.id, participant_id=self.person.id
                )
            reply["form"] = str(
                question_form(
                    site.env, exercise, question, own, blocks.groups.get(question.id, {}), ui
                )
            )
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(reply, ensure_ascii=False))
