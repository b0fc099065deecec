"""A programme run from the real dashboard, and every question type from a phone to the
projector, in Chromium.

The first test drives `workshop serve --programme` as a facilitator does: the dashboard's
programme stepper ("Volgende stap"), a countdown and the "Resultaten tonen" button, with
two phones and the presenter view following. The second answers one question of each
question type on a 390-px phone and reads its result off the presenter view (1600x900),
approving texts through the store where the question waits for approval, as the
dashboard does from its own process. Every wait is on a condition.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.support.axe import check_accessibility, describe
from tests.support.pages import (
    PHONE,
    add_organisation,
    exercise_url,
    form,
    join,
    no_side_scroll,
    saved,
)
from tests.support.servers import ROOT, VoilaServer, WorkshopServe, participant_server
from toolkit.exercises.loader import default_exercises
from toolkit.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.server]

EXERCISES = [e.id for e in default_exercises()]
TITLES = {e.id: e.title("nl") for e in default_exercises()}
PROGRAMME = ROOT / "datasets" / "programmes" / "netwerkbijeenkomst-90.yaml"
DASHBOARD_MS = 120_000  # the dashboard's kernel starts while other work shares the cores
HIDDEN = "De begeleider laat de groepsresultaten straks zien."
CLOCK = re.compile(r"^Nog (\d+):(\d\d)$")
QR_DRAWN = """() => {
  const svg = document.querySelector('.join-corner svg');
  const drawn = svg.querySelector('g').getBoundingClientRect(), box = svg.getBoundingClientRect();
  return {box: Math.min(box.width, box.height),
          drawn: Math.max(drawn.right - box.left, drawn.bottom - box.top)};
}"""
FITS = (
    "() => document.readyState === 'complete' && document.documentElement.scrollHeight"
    " <= innerHeight && document.documentElement.scrollWidth <= innerWidth"
)


def _responses(n: int) -> str:
    """The presenter view's count of participants who answered the exercise."""
    return "1 deelnemer deed mee" if n == 1 else f"{n} deelnemers deden mee"


def _seconds(text: str) -> int:
    found = CLOCK.match(text.strip())
    assert found, f"not a running countdown: {text!r}"
    return int(found[1]) * 60 + int(found[2])


def _group(page, block: str):
    return page.locator(f"[data-block='{block}'] .group-layer")


def _dot(page, label: str) -> None:
    with saved(page, "votes"):
        name = f"Een stip meer: {label}"
        form(page, "votes").get_by_role("button", name=name, exact=True).click()


# --- 1. a programme, run from the dashboard -----------------------------------------------
def test_a_programme_runs_from_the_dashboard(tmp_path, open_page):
    """Does `workshop serve --programme` let the facilitator run the workshop from the
    dashboard: "Volgende stap" moves the room step by step (the stepper, both phones and
    the presenter view follow), a countdown started there shows and runs down on the
    projector and the phones (and goes when stopped), a step whose results are hidden
    keeps them off the phones and the projector until "Resultaten tonen", and the
    presenter view counts both participants' answers?"""
    data = tmp_path / "data"
    serve = WorkshopServe(data, host="127.0.0.2", args=("--programme", str(PROGRAMME)))
    serve.start()
    try:
        participant = f"http://127.0.0.2:{serve.port}"
        url = lambda e: exercise_url(participant, serve.code, e)  # noqa: E731

        dashboard, dash_recorder = open_page(1600, 900)
        dashboard.goto(serve.dashboard_url)
        dashboard.wait_for_selector(".workshop-dashboard", timeout=DASHBOARD_MS)
        stepper = dashboard.locator(".workshop-dashboard")
        expect(stepper).to_contain_text(f"Stap 1 van 6: {TITLES['de-zaal']} · gepland 10 min")
        next_step = dashboard.get_by_role("button", name="Volgende stap →")
        expect(dashboard.get_by_role("button", name="← Vorige stap")).to_be_disabled()

        screen, screen_recorder = open_page(1600, 900)
        screen.goto(f"{serve.dashboard_url}presenter")
        expect(screen.locator("h1")).to_have_text(TITLES["de-zaal"])
        qr = screen.evaluate(QR_DRAWN)  # the whole join code is on the screen, not cut off
        assert qr["box"] >= 100 and qr["drawn"] <= qr["box"] + 0.5, qr

        # The programme has the phones follow: joining lands them on the room's step.
        phones = []
        for name in ("Eerste Reiger", "Tweede Bever"):
            page, recorder = open_page(*PHONE)
            assert join(page, participant, serve.code, name) == name
            page.wait_for_url(url("de-zaal"))
            phones.append((page, recorder))
        (first, _), (second, _) = phones

        # "Volgende stap", three times: the stepper, the phones and the projector move.
        for number, exercise, minutes in (
            (2, "bestuurstafel", 15),
            (3, "professionalisering", 20),
            (4, "behoeften", 15),
        ):
            next_step.click()
            expect(stepper).to_contain_text(
                f"Stap {number} van 6: {TITLES[exercise]} · gepland {minutes} min"
            )
            tab = dashboard.locator(".widget-toggle-button", has_text=TITLES[exercise])
            expect(tab).to_have_class(re.compile(r"\bmod-active\b"))  # its results shown
            for page, _ in phones:
                page.wait_for_url(url(exercise))
                expect(page.locator("h1")).to_have_text(TITLES[exercise])
            expect(screen.locator("h1")).to_have_text(TITLES[exercise])
        expect(dashboard.get_by_role("button", name="← Vorige stap")).to_be_enabled()

        # A countdown from the dashboard: on the projector and both phones, running down.
        dashboard.get_by_role("button", name="Start aftellen (minuten)").click()
        expect(stepper).to_contain_text("aftellen tot")
        clocks = [screen.locator("[data-countdown]")] + [
            p.locator("[data-countdown]") for p, _ in phones
        ]
        for clock in clocks:
            expect(clock).to_have_text(re.compile(r"^Nog 4:[0-5]\d$"))
        for clock in clocks:
            shown = clock.inner_text()
            expect(clock).not_to_have_text(shown)  # it moved on ...
            assert _seconds(clock.inner_text()) < _seconds(shown)  # ... downwards
        screenshot(first, "programme-phone-countdown-390")

        # Results hidden on this step: the answers arrive, the group result does not.
        _dot(first, "Scholing voor informatiemanagers")
        _dot(first, "Scholing voor informatiemanagers")
        _dot(second, "Scholing voor informatiemanagers")
        _dot(second, "Hulp bij het toepassen van FORA in de praktijk")
        expect(screen.locator("[data-responses]")).to_have_text(_responses(2))
        votes = _group(screen, "votes")
        expect(votes).to_have_text(HIDDEN)
        for page, _ in phones:
            expect(_group(page, "votes")).to_have_text(HIDDEN)
            assert "1× gekozen" not in page.locator(".results").inner_text()
        assert "Scholing voor informatiemanagers" not in screen.locator("main").inner_text()
        expect(stepper).to_contain_text("2 antwoorden van 2 deelnemers")  # the dashboard sees
        screenshot(screen, "programme-presenter-hidden-1600")

        # "Resultaten tonen": the projector and the phones show the group's dots.
        dashboard.get_by_role("button", name="Resultaten tonen").click()
        expect(dashboard.get_by_role("button", name="Resultaten verbergen")).to_be_visible()
        expect(votes).to_contain_text("Scholing voor informatiemanagers")
        expect(votes.locator("li", has_text="Scholing voor informatiemanagers")).to_contain_text(
            re.compile(r"informatiemanagers\s*3\s*2× gekozen")
        )
        expect(votes.locator("li", has_text="FORA in de praktijk")).to_contain_text(
            re.compile(r"praktijk\s*1\s*1× gekozen")
        )
        expect(votes).to_contain_text("groep (n = 2)")
        for page, _ in phones:
            expect(_group(page, "votes")).to_contain_text("groep (n = 2)")
            expect(_group(page, "votes")).to_contain_text("Scholing voor informatiemanagers")
        screen.wait_for_function(FITS)
        found = check_accessibility(screen)
        assert not found, describe(found)
        screenshot(screen, "programme-presenter-revealed-1600")
        screenshot(second, "programme-phone-revealed-390")

        # The countdown stopped from the dashboard goes everywhere.
        dashboard.get_by_role("button", name="Stop aftellen").click()
        for clock in clocks:
            expect(clock).to_be_hidden()
        screenshot(dashboard, "programme-dashboard-1600")
        for recorder in (dash_recorder, screen_recorder, *(r for _, r in phones)):
            assert recorder.blocked == []
    except BaseException:
        for log in sorted((data / "logs").glob("*.log")):  # for whoever reads the failure
            print(f"--- {log.name}\n{log.read_text(errors='replace')[-4000:]}")
        raise
    finally:
        serve.stop()


# --- 2. each question type, from a phone to the projector ---------------------------------
class Stage:
    """One participant server and presenter view for the whole module, its store open."""

    def __init__(self, server, session, db, presenter: str):
        self.server, self.session, self.db, self.presenter = server, session, db, presenter
        self.store = Store.open(f"sqlite:///{db}")

    def exercise(self, exercise: str) -> str:
        return exercise_url(self.server.url, self.session.code, exercise)

    def approve(self, pseudonym: str, exercise: str, question: str) -> None:
        """Approve every text ``pseudonym`` gave to ``question``, as the dashboard does."""
        found = [
            a
            for a in self.store.answers(self.session.id, exercise=exercise)
            if a.pseudonym == pseudonym and a.item.split(":")[0] == question
        ]
        assert found, f"no answer of {pseudonym} to {exercise}/{question}"
        for answer in found:
            self.store.set_answer_approved(self.session.id, answer.id, True)


@pytest.fixture(scope="module")
def stage(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("types")
    with participant_server(tmp, "Vraagtypen", EXERCISES) as (server, session, db):
        env = {
            "WORKSHOP_DB": f"sqlite:///{db}",
            "WORKSHOP_JOIN_URL": f"{server.url}/s/{session.code}/",
            "WORKSHOP_SESSION": session.code,
        }
        with VoilaServer({}, tmp, presenter=True, session=session.code, env=env) as presenter:
            stage = Stage(server, session, db, f"{presenter.url}/presenter")
            stage.store.update_session(session.id, free_text_visible=True)
            stage.store.update_room(
                session.id,
                approval={"de-zaal/woorden": True, "de-zaal/vragen": True, "behoeften/needs": True},
            )
            yield stage
            stage.store.close()


@dataclass(frozen=True)
class Case:
    """One question of a type: how a phone answers it, and what the projector then shows
    in its result block (``shown``: text or pattern; ``secret``: absent before approval)."""

    type: str
    exercise: str
    question: str
    answer: Callable
    shown: list
    block: str | None = None  # the result block, when it is not the question's own
    secret: str | None = None  # approval: not on the projector until approved


def _scale(page):
    with saved(page, "visie"):
        form(page, "visie").locator("label.choice").nth(3).click()


def _single(page):
    with saved(page, "register"):
        form(page, "register").locator("label.choice", has_text="Functionaris").click()


def _multiple(page):
    with saved(page, "jaarverslag"):
        form(page, "jaarverslag").locator("label.choice:has(input[value='datalekken'])").click()


def _dots(page):
    _dot(page, "Scholing voor informatiemanagers")
    _dot(page, "Scholing voor informatiemanagers")


NEED = "Een gedeelde jurist voor alle verwerkersovereenkomsten"
ORGANISATION = "Samenwerkingsverband Passend Onderwijs Zuid"
WORD = "Versnipperd"
QUESTION = "Wie beheert straks het gedeelde applicatieoverzicht?"


def _text(question: str, text: str, button: str = "Toevoegen"):
    def answer(page):
        with saved(page, question):
            form(page, question).locator("textarea").fill(text)
            form(page, question).get_by_role("button", name=button).click()
        expect(form(page, question).locator(".own-texts li bdi")).to_contain_text([text])

    return answer


def _grid(page):
    grid = form(page, "belang-invloed")
    grid.locator(".chip[data-item=gmr]").click()
    expect(grid.locator(".chip[data-item=gmr]")).to_have_attribute("aria-pressed", "true")
    with saved(page, "belang-invloed"):
        grid.locator(".cell[data-x='2'][data-y='2']").click()


def _raci(page):
    row = form(page, "taken").locator(".raci-task").first.locator(".raci-row").first
    with saved(page, "taken"):
        row.locator("label.segment").nth(2).click()  # the board: A


def _aim(page):
    with saved(page, "negenvlak"):
        form(page, "negenvlak").locator(".aim-item").first.locator("label.aim-cell").first.click()


def _contribution(page):
    add_organisation(page, ORGANISATION)


def _flow(page):
    segment = form(page, "stromen").locator("label.segment:has(input[name='f.las-rod.has'])")
    with saved(page, "stromen"):
        segment.filter(has_text=re.compile("^ja$")).click()


def _words(page):
    words = form(page, "woorden")
    with saved(page, "woorden"):
        words.get_by_label("Woord of korte zin 1").fill(WORD)
        words.get_by_label("Woord of korte zin 1").blur()


def _ranking(page):
    with saved(page, "ambities"):  # the second ambition one place up: it comes first
        form(page, "ambities").get_by_role("button", name=re.compile("^Omhoog: Prof")).click()


CASES = [
    Case("scale", "bestuurstafel", "visie", _scale, ["groep: Visie 4,"], block="_radar"),
    Case(
        "single_choice",
        "informatiestromen",
        "register",
        _single,
        [re.compile(r"De FG \(functionaris gegevensbescherming\)\s*1 \(100%\)")],
    ),
    Case(
        "multiple_choice",
        "ibp-bestuurstafel",
        "jaarverslag",
        _multiple,
        [re.compile(r"Aantal datalekken en hoe we ze afhandelden\s*1 \(100%\)")],
    ),
    Case(
        "dot_vote",
        "behoeften",
        "votes",
        _dots,
        [re.compile(r"Scholing voor informatiemanagers\s*2\s*1× gekozen")],
    ),
    Case("free_text", "behoeften", "needs", _text("needs", NEED), [NEED], secret=NEED),
    Case("grid", "stakeholders", "belang-invloed", _grid, ["(G)MR: 2, 2"]),
    Case("raci", "professionalisering", "taken", _raci, ["A Bestuur"]),
    Case("aim", "professionalisering", "negenvlak", _aim, [re.compile(r"Bestuurder\s*×1")]),
    Case("contribution", "stakeholders", "aanvullen", _contribution, [ORGANISATION]),
    Case(
        "flow_check",
        "informatiestromen",
        "stromen",
        _flow,
        [re.compile(r"Inschrijving leerling naar DUO \(ROD\)\s*100\s*%")],
    ),
    Case("word_cloud", "de-zaal", "woorden", _words, [WORD], secret=WORD),
    Case(
        "ranking",
        "de-zaal",
        "ambities",
        _ranking,
        [
            re.compile(
                r"^1\.\s*Professionalisering.*gem\. plaats 1.*2\.\s*Informatiemanagement op de"
                r" bestuurstafel.*gem\. plaats 2.*3\.\s*Ophalen van behoeften.*gem\. plaats 3",
                re.S,
            )
        ],
    ),
    Case(
        "room_questions",
        "de-zaal",
        "vragen",
        _text("vragen", QUESTION, "Stel je vraag"),
        [QUESTION],
        secret=QUESTION,
    ),
]


def test_the_cases_cover_every_question_type():
    """Is every registered question type answered by one case below?"""
    from toolkit.questions import TYPES

    assert sorted(c.type for c in CASES) == sorted(TYPES)
    shipped = {q.type for e in default_exercises() for q in e.questions}
    assert {c.type for c in CASES} == shipped


@pytest.mark.parametrize("case", CASES, ids=[c.type for c in CASES])
def test_each_question_type_on_a_phone_and_the_presenter(stage, open_page, case):
    """Does an answer of this type, given on a 390-px phone, show in its result on the
    presenter view (live, counted, on a projector that needs no scrolling), only once
    approved where the question waits for approval; and do the phone page and the
    presenter view pass axe?"""
    store, sid = stage.store, stage.session.id
    store.update_room(sid, current=case.exercise)
    screen, screen_recorder = open_page(1600, 900)
    screen.goto(stage.presenter)
    expect(screen.locator("h1")).to_have_text(TITLES[case.exercise])
    count = screen.locator("[data-responses]")
    before = int(re.match(r"\d+", count.inner_text())[0])

    phone, recorder = open_page(*PHONE)
    name = join(phone, stage.server.url, stage.session.code, f"Deelnemer {case.type}")
    phone.goto(stage.exercise(case.exercise))
    case.answer(phone)
    result = _group(screen, case.block or case.question)
    expect(count).to_have_text(_responses(before + 1))  # the projector heard of it, live
    if case.secret:  # counted, but its text not for the room yet: not even when redrawn
        assert case.secret not in screen.locator("main").inner_text()
        screen.reload()
        expect(count).to_have_text(_responses(before + 1))
        assert case.secret not in screen.content()
        stage.approve(name, case.exercise, case.question)

    if case.type == "room_questions":  # another participant supports the question
        other, _ = open_page(*PHONE)
        join(other, stage.server.url, stage.session.code, "Steunende Mol")
        other.goto(stage.exercise(case.exercise))
        support = form(other, "vragen").get_by_role("button", name=f"Steun deze vraag: {QUESTION}")
        with saved(other, "vragen"):
            support.click()
        expect(count).to_have_text(_responses(before + 2))
        expect(result.locator("li", has_text=QUESTION)).to_contain_text("▲ 1")
    for shown in case.shown:
        expect(result).to_contain_text(shown)

    no_side_scroll(phone, f"{case.type} on the phone")
    found = check_accessibility(phone)
    assert not found, f"{case.type} phone:\n{describe(found)}"
    screenshot(phone, f"type-{case.type}-phone-390")
    screen.wait_for_function(FITS)
    found = check_accessibility(screen)
    assert not found, f"{case.type} presenter:\n{describe(found)}"
    screenshot(screen, f"type-{case.type}-presenter-1600")
    assert name not in screen.content()  # no pseudonym on the projector
    assert recorder.blocked == [] and screen_recorder.blocked == []
