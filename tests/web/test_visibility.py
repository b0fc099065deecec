"""Free texts reach others only as the facilitator allows, in every piece of data a page is
sent, not only in what it draws.

One participant (A) adds a need and an organisation to the map; another (B) looks
everywhere a text could reach them: the exercise page's HTML (results, the dot vote's
options and form), the JSON answers to their own saves, their live stream's ``results``
messages, the map document and the map exercise's page (its result and its relation
lists), and the presenter view on the facilitator's server (its page and its stream). With
free texts not shown, with approval on and the text not approved, or with the text hidden,
none of them holds A's text; once allowed, each does, the live ones pushed without a
reload. Each rule is applied while the texts are shown, and they are gone at once, also
from pages and map documents drawn the moment before.
"""

from __future__ import annotations

import html
import secrets

import httpx
import pytest

from tests.support.servers import VoilaServer, participant_server
from tests.support.web import Live, Visitor, stored
from toolkit.exercises.loader import default_exercises
from toolkit.i18n import t
from toolkit.questions.typed_text import need_key
from toolkit.store import Store

pytestmark = pytest.mark.server

EXERCISES = [e.id for e in default_exercises()]
SECRET = "Geheim-Zebra-7391"
SECRET_ORG = "Verborgen-Stichting-4417"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A participant web server, and the presenter view on a facilitator's (Voila) server,
    on one SQLite store. The presenter shows the newest session."""
    tmp = tmp_path_factory.mktemp("visibility")
    with participant_server(tmp, "Zichtbaarheid", EXERCISES) as (server, session, db):
        url = f"sqlite:///{db}"
        with VoilaServer(
            {}, tmp, env={"WORKSHOP_DB": url, "WORKSHOP_DATA": str(tmp)}, presenter=True
        ) as presenter:
            yield server, presenter, db


def _text(response) -> str:
    return html.unescape(response.text)


class Room:
    """The session of one case, as its facilitator sets it up and moderates it."""

    def __init__(self, db, rule: str):
        self.store = Store.open(f"sqlite:///{db}")
        self.rule = rule
        session = self.store.create_session("Zicht", exercises=EXERCISES)
        session = self.store.update_session(session.id, free_text_visible=True)
        self.session = self.store.update_room(session.id, current="behoeften")

    def texts(self):
        answers = [a for a in self.store.answers(self.session.id) if SECRET in str(a.value)]
        contributions = self.store.contributions(self.session.id)
        return answers, contributions

    def hide(self, hidden: bool) -> None:
        answers, contributions = self.texts()
        for answer in answers:
            self.store.set_answer_hidden(self.session.id, answer.id, hidden)
        for contribution in contributions:
            self.store.set_contribution_hidden(self.session.id, contribution.id, hidden)

    def apply(self) -> None:
        """The facilitator's rule, while the texts are shown."""
        if self.rule == "free texts off":
            self.store.update_session(self.session.id, free_text_visible=False)
        elif self.rule == "approval":
            self.store.update_room(
                self.session.id,
                approval={"behoeften/needs": True, "stakeholders/aanvullen": True},
            )
        else:
            self.hide(True)

    def allow(self) -> None:
        """What the facilitator does to let the texts through again."""
        if self.rule == "free texts off":
            self.store.update_session(self.session.id, free_text_visible=True)
        elif self.rule == "approval":
            answers, contributions = self.texts()
            for answer in answers:
                self.store.set_answer_approved(self.session.id, answer.id, True)
            for contribution in contributions:
                self.store.set_contribution_approved(self.session.id, contribution.id, True)
        else:
            self.hide(False)

    def close(self) -> None:
        self.store.close()


def _a_writes(visitor: Visitor) -> None:
    """A's need, an organisation of A's and a relation from it."""
    reply = visitor.answer("behoeften", "needs", {"text": SECRET, "item": "needs:a1a1a1a1a1a1"})
    assert reply.json()["ok"], reply.text[:300]
    uid = secrets.token_hex(16)
    org = {"uid": uid, "add": "organisation", "name": SECRET_ORG, "type": "other"}
    assert visitor.answer("stakeholders", "aanvullen", org).json()["ok"]
    relation = {
        "uid": secrets.token_hex(16),
        "add": "relation",
        "source": "c-" + uid[:12],
        "target": "kennisnet",
        "relation": "collaborates_with",
    }
    reply = visitor.answer("stakeholders", "aanvullen", relation)
    assert reply.json()["ok"], reply.text[:300]
    own = _text(visitor.get(f"/s/{visitor.code}/e/behoeften"))
    assert SECRET in own  # A sees their own text (so the checks below can tell)


def _results_with(n: int):
    """A stream that has had a ``results`` message counting ``n`` participants."""
    return lambda live: any(k == "results" and d.get("n") == n for k, d in live.events)


def _ballot(live: Live) -> dict:
    """The dot vote's form as the stream last sent it (its options changed), or {}."""
    sent = [
        d["forms"]["votes"]
        for k, d in live.events
        if k == "results" and "votes" in d.get("forms", {})
    ]
    return sent[-1] if sent else {}


def _nowhere(room: Room, b: Visitor, live: Live, presenter_live: Live, presenter) -> None:
    """Everything B (and the projector) can be sent holds neither of A's texts."""
    code = room.session.code
    # the open page's ballot is drawn again without the text, pushed by the stream
    live.until(lambda s: _ballot(s) and need_key(SECRET) not in _ballot(s)["key"], "a ballot")
    page = b.get(f"/s/{code}/e/behoeften")
    assert page.status_code == 200
    assert SECRET not in _text(page), room.rule
    assert f'name="d.{need_key(SECRET)}"' not in page.text
    own_need = b.answer("behoeften", "needs", {"text": "Tekst van B", "item": "needs:b2b2b2b2b2b2"})
    assert own_need.json()["ok"] and SECRET not in own_need.text  # the form and own layer
    vote = b.answer("behoeften", "votes", {"d.training-im": "1"})
    assert vote.json()["ok"] and SECRET not in vote.text
    refused = b.answer("behoeften", "votes", {f"d.{need_key(SECRET)}": "1"})
    assert refused.status_code == 400 and refused.json()["message"] == t("error_choice")
    live.until(_results_with(2), "the results after B's answers")
    assert SECRET.encode() not in live.raw, room.rule
    presenter_live.until(_results_with(2), "the projector's results after B's answers")
    assert SECRET.encode() not in presenter_live.raw, room.rule
    projected = httpx.get(f"{presenter.url}/presenter", timeout=120)
    assert projected.status_code == 200 and SECRET not in _text(projected)
    frame = b.get(f"/s/{code}/map/frame")
    assert frame.status_code == 200 and SECRET_ORG not in _text(frame), room.rule
    additions = b.get(f"/s/{code}/e/stakeholders")
    assert SECRET_ORG not in _text(additions), room.rule


def _everywhere(room: Room, b: Visitor, live: Live, presenter_live: Live, presenter) -> None:
    """Once allowed, A's texts reach every one of those places, the streams by a push."""
    code = room.session.code
    live.until(lambda s: SECRET.encode() in s.raw, "A's need on B's stream")
    live.until(lambda s: need_key(SECRET) in _ballot(s).get("key", ""), "the ballot with it")
    assert SECRET in html.unescape(_ballot(live)["html"])  # an option on the open page
    presenter_live.until(lambda s: SECRET.encode() in s.raw, "A's need on the projector")
    page = b.get(f"/s/{code}/e/behoeften")
    assert SECRET in _text(page) and f'name="d.{need_key(SECRET)}"' in page.text
    vote = b.answer("behoeften", "votes", {f"d.{need_key(SECRET)}": "2"})
    assert vote.json()["ok"], vote.text[:300]
    assert SECRET in _text(httpx.get(f"{presenter.url}/presenter", timeout=120))
    assert SECRET_ORG in _text(b.get(f"/s/{code}/map/frame"))
    assert SECRET_ORG in _text(b.get(f"/s/{code}/e/stakeholders"))


@pytest.mark.parametrize("rule", ["free texts off", "approval", "hidden"])
def test_a_text_reaches_others_only_as_allowed(served, rule):
    """When the facilitator turns free texts off, turns approval on (the text not approved)
    or hides the text while it is shown: is participant A's need (and organisation) gone at
    once from participant B's page HTML, B's JSON replies, B's live ``results`` messages,
    the dot vote's options, the map document and the map exercise, and the presenter
    view's page and stream; and does it reach each of them again once allowed?"""
    server, presenter, db = served
    room = Room(db, rule)
    code = room.session.code
    a, b = Visitor(server.url), Visitor(server.url)
    projector = httpx.Client(base_url=presenter.url, timeout=120)
    try:
        a.join(code, "Schrijver A 11")
        b.join(code, "Lezer B 22")
        live = Live(b.http, f"/s/{code}/live?screen=e/behoeften")
        presenter_live = Live(projector, "/presenter/live?screen=e/behoeften")
        live.until(_results_with(0), "B's first results")
        presenter_live.until(_results_with(0), "the projector's first results")
        _a_writes(a)
        # shown first, drawn into B's pages, the map document and both streams
        live.until(lambda s: SECRET.encode() in s.raw, "A's need while it is shown")
        presenter_live.until(lambda s: SECRET.encode() in s.raw, "it on the projector")
        assert SECRET in _text(b.get(f"/s/{code}/e/behoeften"))
        assert SECRET_ORG in _text(b.get(f"/s/{code}/e/stakeholders"))
        assert SECRET_ORG in _text(b.get(f"/s/{code}/map/frame"))
        room.apply()
        live.raw = presenter_live.raw = b""  # from here on, nothing may hold it
        _nowhere(room, b, live, presenter_live, presenter)
        live.raw = presenter_live.raw = b""
        answers, contributions = room.texts()
        assert len(answers) == 1 and len(contributions) == 2  # kept, only not shown
        room.allow()
        _everywhere(room, b, live, presenter_live, presenter)
        live.close()
        presenter_live.close()
    finally:
        a.close()
        b.close()
        projector.close()
        room.close()
    votes = stored(
        db, "SELECT value FROM answers WHERE session_id = ? AND item = 'votes'", room.session.id
    )
    assert votes and need_key(SECRET) in votes[0][0]
