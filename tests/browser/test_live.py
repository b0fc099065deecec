"""What the room does to the phones, live, in Chromium: another participant's answers
arriving in the group result, phones following the facilitator, an exercise closed and
reopened, texts that wait for approval, and the presenter view on the projector.

The room is driven through the store from this process, as the dashboard does from its
own; the pages learn of it only through the participant server's live stream.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.support.axe import check_accessibility, describe
from tests.support.pages import (
    PHONE,
    exercise_url,
    form,
    join,
    no_side_scroll,
    rows,
    saved,
    stored,
    submitted,
)
from tests.support.servers import VoilaServer, participant_server
from toolkit.exercises.loader import default_exercises
from toolkit.questions.typed_text import need_key
from toolkit.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.server]

EXERCISES = [e.id for e in default_exercises()]
LIVE_WITHIN_MS = 1_000  # a second participant's answer shows within a second
MARK = "() => { window.__same_page = true; }"  # set before, still there: no reload
SAME_PAGE = "() => window.__same_page === true"
FITS = (
    "() => document.readyState === 'complete' && document.documentElement.scrollHeight"
    " <= innerHeight && document.documentElement.scrollWidth <= innerWidth"
)


class Room:
    """A running participant server and the store the facilitator's side writes to."""

    def __init__(self, server, session, db):
        self.server, self.session, self.db = server, session, db
        self.store = Store.open(f"sqlite:///{db}")

    def url(self, screen: str = "") -> str:
        return f"{self.server.url}/s/{self.session.code}/{screen}"

    def exercise(self, exercise: str) -> str:
        return exercise_url(self.server.url, self.session.code, exercise)

    def open_only(self, *closed: str) -> None:
        self.store.update_session(
            self.session.id, open_exercises=[e for e in EXERCISES if e not in closed]
        )

    def answer_id(self, pseudonym: str, text: str) -> int:
        return next(
            a.id
            for a in self.store.answers(self.session.id)
            if a.pseudonym == pseudonym and (a.value or {}).get("text") == text
        )


@pytest.fixture
def room(tmp_path):
    with participant_server(tmp_path, "Live", EXERCISES) as (server, session, db):
        room = Room(server, session, db)
        yield room
        room.store.close()


def _tap_scale(page, question: str, value: int) -> None:
    with saved(page, question):
        form(page, question).locator("label.choice").nth(value - 1).click()


def _add_text(page, question: str, text: str) -> None:
    with saved(page, question):
        form(page, question).locator("textarea").fill(text)
        form(page, question).get_by_role("button", name="Toevoegen").click()


def _radar_n(page):
    return page.locator("[data-block] .group-layer .result-n").first


# --- a second participant ----------------------------------------------------------------
def test_a_second_participants_answers_arrive_live(room, open_page):
    """While one participant looks at the group result, does another participant's
    answer appear in it within a second, without a reload: a scale in the radar, a RACI
    table, an open answer in the list (once open answers are shown)?"""
    room.store.update_session(room.session.id, free_text_visible=True)
    first, first_recorder = open_page(*PHONE)
    join(first, room.server.url, room.session.code, "Eerste")
    first.goto(room.exercise("bestuurstafel"))
    _tap_scale(first, "visie", 2)
    expect(_radar_n(first)).to_have_text("groep (n = 1)")
    first.evaluate(MARK)

    second, second_recorder = open_page(*PHONE)
    join(second, room.server.url, room.session.code, "Tweede")
    second.goto(room.exercise("bestuurstafel"))
    expect(_radar_n(second)).to_have_text("groep (n = 1)")
    _tap_scale(second, "visie", 4)  # returns once the server has acknowledged it
    expect(_radar_n(first)).to_have_text("groep (n = 2)", timeout=LIVE_WITHIN_MS)
    assert first.evaluate(SAME_PAGE)
    # The group mean moved from 2 to 3: the radar's group polygon was redrawn too.
    expect(_radar_n(second)).to_have_text("groep (n = 2)")

    # A RACI answer and an open answer, on pages already open on the first phone.
    first.goto(room.exercise("professionalisering"))
    taken = first.locator("[data-block=taken] .group-layer")
    expect(taken.locator("li").first).to_contain_text("Nog geen antwoorden")
    first.evaluate(MARK)
    second.goto(room.exercise("professionalisering"))
    row = form(second, "taken").locator(".raci-task").first.locator(".raci-row").first
    with saved(second, "taken"):
        row.locator("label.segment").nth(2).click()  # the board: A
    expect(taken.locator("li").first).to_contain_text("A Bestuur", timeout=LIVE_WITHIN_MS)
    assert first.evaluate(SAME_PAGE)

    first.goto(room.exercise("behoeften"))
    first.evaluate(MARK)
    second.goto(room.exercise("behoeften"))
    _add_text(second, "needs", "Een vaste contactpersoon bij de leverancier")
    expect(first.locator("[data-block=needs] .group-layer li")).to_have_text(
        ["Een vaste contactpersoon bij de leverancier"], timeout=LIVE_WITHIN_MS
    )
    expect(first.locator("[data-block=votes] .group-layer")).to_contain_text(
        "Een vaste contactpersoon bij de leverancier", timeout=LIVE_WITHIN_MS
    )
    assert first.evaluate(SAME_PAGE)
    assert first_recorder.blocked == [] and second_recorder.blocked == []


# --- following the facilitator ---------------------------------------------------------
def test_phones_follow_the_facilitator(room, open_page):
    """With follow on, do the phones go to the exercise the room is on (and a phone that
    joins lands there); may a participant step back and see where the room is without
    being pulled along again until the room moves; and with follow off, do they stay?"""
    store, sid = room.store, room.session.id
    first, _ = open_page(*PHONE)
    join(first, room.server.url, room.session.code, "Volger")
    second, _ = open_page(*PHONE)
    join(second, room.server.url, room.session.code, "Tweede volger")
    second.goto(room.exercise("professionalisering"))

    store.update_room(sid, follow=True, current="behoeften")
    for page in (first, second):
        page.wait_for_url(room.exercise("behoeften"))
        expect(page.locator("h1")).to_have_text("Welke ondersteuning heb je nodig?")
    third, _ = open_page(*PHONE)
    join(third, room.server.url, room.session.code, "Laatkomer")
    assert third.url == room.exercise("behoeften")

    # Stepping back is allowed: the banner says where the room is, nothing pulls.
    first.get_by_role("link", name="← Overzicht").click()
    first.wait_for_url(room.url())
    banner = first.locator("[data-follow-banner]")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("De begeleider is bij: Welke ondersteuning heb je nodig?")
    store.update_room(sid, countdown_ends=datetime.now(UTC) + timedelta(minutes=5))
    expect(first.locator("[data-countdown]")).to_contain_text("Nog 4:5")  # the room spoke
    assert first.url == room.url()  # ... and the phone stayed
    no_side_scroll(first, "overview with the follow banner")
    screenshot(first, "participant-follow-banner-390")

    store.update_room(sid, current="stakeholders")
    for page in (first, second, third):
        page.wait_for_url(room.exercise("stakeholders"))

    store.update_room(sid, follow=False)
    expect(second.locator("[data-follow-banner]")).to_be_hidden()
    second.goto(room.exercise("bestuurstafel"))
    store.update_room(sid, current="informatiestromen", countdown_ends=None)
    expect(second.locator("[data-countdown]")).to_be_hidden()  # the room spoke
    assert second.url == room.exercise("bestuurstafel")
    expect(second.locator("[data-follow-banner]")).to_be_hidden()


# --- a closed exercise -----------------------------------------------------------------
def test_a_closed_exercise(room, open_page):
    """When the facilitator closes an exercise: are its inputs disabled at once, with a
    clear message, and the overview marks it closed; is a save sent just before the page
    heard of the close refused with a message, the form back on the stored value; without
    JavaScript too? And once reopened, can it be answered again, stored values kept?"""
    page, _ = open_page(*PHONE)
    name = join(page, room.server.url, room.session.code, "Sluiter")
    page.goto(room.exercise("bestuurstafel"))
    _tap_scale(page, "visie", 2)
    # The same participant in a second tab that will not hear of the close (its live
    # stream refused): its next save reaches the server after the close.
    late = page.context.new_page()
    late.route(lambda url: urlparse(url).path.endswith("/live"), lambda route: route.abort())
    late.goto(room.exercise("bestuurstafel"))
    overview = page.context.new_page()
    overview.goto(room.url())
    plain, _ = open_page(*PHONE, java_script_enabled=False)
    join(plain, room.server.url, room.session.code, "Zonder script")
    plain.goto(room.exercise("bestuurstafel"))
    plain.locator("label.choice").nth(0).click()  # chosen, not yet saved

    room.open_only("bestuurstafel")
    banner = page.locator("[data-closed-banner]")
    expect(banner).to_be_visible()
    expect(banner).to_have_text(
        "Deze oefening is gesloten. Je ziet je antwoorden, maar kunt ze nu niet wijzigen."
    )
    expect(page.locator("fieldset.body:not([disabled])")).to_have_count(0)
    expect(page.locator("fieldset.body[disabled]")).to_have_count(4)
    expect(form(page, "visie").locator("input[value='2']")).to_be_checked()
    expect(overview.locator("[data-exercise-card=bestuurstafel] [data-closed-tag]")).to_be_visible()
    screenshot(page, "participant-closed-390")

    expect(late.locator("[data-closed-banner]")).to_be_hidden()  # it has not heard
    status = form(late, "visie").locator("[data-status]")
    with late.expect_response(lambda r: r.request.method == "POST") as reply:
        form(late, "visie").locator("label.choice").nth(4).click()
    assert reply.value.status == 409
    expect(status).to_have_text("Niet opgeslagen: de begeleider heeft deze oefening gesloten.")
    expect(form(late, "visie").locator("input:checked")).to_have_attribute("value", "2")
    expect(late.locator("[data-closed-banner]")).to_be_visible()
    expect(late.locator("fieldset.body[disabled]")).to_have_count(4)

    with submitted(plain, "visie", "Niet opgeslagen: de begeleider heeft deze oefening gesloten."):
        plain.get_by_role("button", name="Opslaan").first.click()
    expect(plain.locator("[data-closed-banner]")).to_be_visible()
    for control in form(plain, "visie").locator("input[type=radio], button").all():
        expect(control).to_be_disabled()
    expect(form(plain, "visie").locator("input:checked")).to_have_count(0)  # nothing stored
    screenshot(plain, "nojs-closed")
    assert stored(room.db, name, "bestuurstafel") == {"visie": 2}
    assert stored(room.db, "Zonder script") == {}

    room.open_only()
    expect(banner).to_be_hidden()
    expect(page.locator("fieldset.body[disabled]")).to_have_count(0)
    expect(form(page, "visie").locator("input[value='2']")).to_be_checked()
    _tap_scale(page, "visie", 3)
    late.reload()
    expect(form(late, "visie").locator("input:checked")).to_have_attribute("value", "3")
    expect(overview.locator("[data-exercise-card=bestuurstafel] [data-closed-tag]")).to_be_hidden()
    assert stored(room.db, name, "bestuurstafel") == {"visie": 3}


# --- pre-moderation ----------------------------------------------------------------------
def test_texts_wait_for_approval(room, open_page):
    """With approval on for a question, is a participant's text kept off every other
    phone (the list of texts and the dot vote) until the facilitator approves it, then
    shown live; does hiding it take it away again; and do texts of a question without
    approval show at once?"""
    store, sid = room.store, room.session.id
    store.update_session(sid, free_text_visible=True)
    store.update_room(sid, approval={"behoeften/needs": True})
    author, _ = open_page(*PHONE)
    join(author, room.server.url, room.session.code, "Schrijver")
    author.goto(room.exercise("behoeften"))
    reader, reader_recorder = open_page(*PHONE)
    join(reader, room.server.url, room.session.code, "Lezer")
    reader.goto(room.exercise("behoeften"))
    reader.evaluate(MARK)
    votes = reader.locator("[data-block=votes] .group-layer")
    expect(votes).to_contain_text("groep (n = 0)")

    waiting = "Een gedeelde jurist voor verwerkersovereenkomsten"
    _add_text(author, "needs", waiting)
    with saved(author, "votes"):  # a change the reader must see, after the text
        form(author, "votes").get_by_role("button", name="Een stip meer: Scholing").click()
    expect(votes).to_contain_text("groep (n = 1)")
    assert waiting not in reader.locator("main").inner_text()
    reader.reload()  # not in a freshly drawn page either (nor as an option to vote on)
    assert waiting not in reader.content()
    assert waiting in author.content()  # the author sees their own text

    store.set_answer_approved(sid, room.answer_id("Schrijver", waiting), True)
    needs = reader.locator("[data-block=needs] .group-layer")
    expect(needs.locator("li")).to_have_text([waiting])
    expect(votes).to_contain_text(waiting)
    reader.evaluate(MARK)
    ballot = form(reader, "votes")
    with saved(reader, "votes"):  # now an option to vote on, without a reload; a dot on it
        ballot.get_by_role("button", name=f"Een stip meer: {waiting}").click()
    expect(ballot.locator(".dots-left")).to_have_text("Nog 4 van 5 stippen")
    assert reader.evaluate(SAME_PAGE)
    reader.reload()  # the dot was stored with the option
    expect(form(reader, "votes").locator(f'input[name="d.{need_key(waiting)}"]')).to_have_value("1")
    reader.evaluate(MARK)
    store.set_answer_hidden(sid, room.answer_id("Schrijver", waiting), True)
    expect(needs.locator("li")).to_have_count(0)
    expect(votes).not_to_contain_text(waiting)
    expect(form(reader, "votes")).not_to_contain_text(waiting)  # no longer an option, live
    assert reader.evaluate(SAME_PAGE)

    # Texts of a question without approval show at once.
    author.goto(room.exercise("ibp-bestuurstafel"))
    reader.goto(room.exercise("ibp-bestuurstafel"))
    _add_text(author, "agenda", "Jaarlijks een IBP-paragraaf in het jaarverslag")
    expect(reader.locator("[data-block=agenda] .group-layer li")).to_have_text(
        ["Jaarlijks een IBP-paragraaf in het jaarverslag"]
    )
    assert reader_recorder.blocked == []


# --- the presenter view ------------------------------------------------------------------
@pytest.fixture
def presenter(room, tmp_path):
    """The presenter view on its own loopback server (as `workshop serve` runs it beside
    the dashboard), for the room's session."""
    env = {
        "WORKSHOP_DB": f"sqlite:///{room.db}",
        "WORKSHOP_JOIN_URL": room.url(),
        "WORKSHOP_SESSION": room.session.code,
    }
    with VoilaServer({}, tmp_path, presenter=True, session=room.session.code, env=env) as server:
        yield f"{server.url}/presenter"


def test_presenter_view(room, presenter, open_page):
    """On a 1600x900 projector: does the presenter view fit without scrolling, in large
    type, with the QR code, the join link and the counts; does it follow the room to the
    next exercise and take new answers live; does it never show a pseudonym, a hidden
    text or one that waits for approval; and does axe find nothing serious?"""
    store, sid = room.store, room.session.id
    store.update_session(sid, free_text_visible=True)
    store.update_room(sid, current="behoeften", approval={"behoeften/needs": True})
    shown, hidden, waiting = (
        "Tijd om samen een applicatieoverzicht te maken",
        "Dit is verborgen door de begeleider",
        "Dit wacht nog op goedkeuring",
    )
    phones = []
    for name in ("Zichtbare Vos", "Stille Uil"):
        page, _ = open_page(*PHONE)
        join(page, room.server.url, room.session.code, name)
        page.goto(room.exercise("behoeften"))
        phones.append(page)
    for text in (shown, hidden):
        _add_text(phones[0], "needs", text)
    _add_text(phones[1], "needs", waiting)
    store.set_answer_approved(sid, room.answer_id("Zichtbare Vos", shown), True)
    store.set_answer_approved(sid, room.answer_id("Zichtbare Vos", hidden), True)
    store.set_answer_hidden(sid, room.answer_id("Zichtbare Vos", hidden), True)
    with saved(phones[1], "votes"):
        form(phones[1], "votes").get_by_role("button", name="Een stip meer: Scholing").click()

    screen, recorder = open_page(1600, 900)
    screen.goto(presenter)
    main = screen.locator("main")
    expect(screen.locator("h1")).to_have_text("Welke ondersteuning heb je nodig?")
    expect(main).to_contain_text(shown)
    expect(main).to_contain_text("2 deelnemers deden mee")
    expect(main).to_contain_text("2 deelnemers")
    join_corner = screen.locator(".join-corner")
    expect(join_corner.locator("svg")).to_be_visible()  # the QR code
    expect(join_corner).to_contain_text(urlparse(room.url()).netloc + "/s/" + room.session.code)
    expect(join_corner).to_contain_text(f"code {room.session.code}")
    text = screen.content()
    for absent in (hidden, waiting, "Zichtbare Vos", "Stille Uil"):
        assert absent not in text, absent
    screen.wait_for_function(FITS)  # nothing to scroll
    size = screen.evaluate(
        "() => [parseFloat(getComputedStyle(document.querySelector('main')).fontSize),"
        " parseFloat(getComputedStyle(document.querySelector('h1')).fontSize),"
        " parseFloat(getComputedStyle(document.querySelector('.presenter-results li'))"
        ".fontSize) * (parseFloat(getComputedStyle(document.querySelector("
        "'.presenter-results')).zoom) || 1)]"
    )
    # main, title, and the first listed result as drawn (after any fitting): at least
    # 1.25 times the 16 px of a phone page
    assert size[0] >= 21 and size[1] >= 36 and size[2] >= 20, f"type too small: {size}"
    found = check_accessibility(screen)
    assert not found, describe(found)
    screenshot(screen, "presenter-1600")

    # Live: a new answer raises the count; the room moves on, so does the screen.
    third, _ = open_page(*PHONE)
    join(third, room.server.url, room.session.code, "Derde Das")
    third.goto(room.exercise("behoeften"))
    with saved(third, "votes"):
        form(third, "votes").get_by_role("button", name="Een stip meer: Scholing").click()
    expect(main).to_contain_text("3 deelnemers deden mee")
    store.update_room(sid, current="bestuurstafel")
    expect(screen.locator("h1")).to_have_text("Zelfscan informatiemanagement bij jouw bestuur")
    third.goto(room.exercise("bestuurstafel"))
    _tap_scale(third, "visie", 3)
    expect(main).to_contain_text("1 deelnemer deed mee")
    screen.wait_for_function(FITS)
    found = check_accessibility(screen)
    assert not found, describe(found)
    screenshot(screen, "presenter-bestuurstafel-1600")
    assert "Derde Das" not in screen.content()

    # Every exercise fits the projector (long lists are drawn smaller until they do).
    for exercise in default_exercises():
        store.update_room(sid, current=exercise.id)
        expect(screen.locator("h1")).to_have_text(exercise.title("nl"))
        screen.wait_for_function(FITS)
        found = check_accessibility(screen)
        assert not found, f"{exercise.id}: {describe(found)}"
    screenshot(screen, "presenter-ibp-bestuurstafel-1600")
    assert recorder.blocked == []
    assert len(rows(room.db, "behoeften")) == 5  # three texts, two dot votes
