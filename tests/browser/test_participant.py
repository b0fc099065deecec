"""A participant's whole journey through the web app in Chromium: join, every shipped
exercise answered by direct manipulation (taps, drags, steppers), by the keyboard alone,
and with JavaScript off (the plain forms); reload, resume on another device with the
personal link, a 390-px phone without sideways scrolling, 200 % zoom, axe-core on every
page, and no request to any host but the server's own."""

from __future__ import annotations

import re
from urllib.parse import urlparse

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
    resume_link,
    rows,
    saved,
    stored,
    submitted,
)
from tests.support.pages import contributions as stored_contributions
from tests.support.servers import participant_server
from toolkit.exercises.loader import default_exercises

pytestmark = [pytest.mark.browser, pytest.mark.server]

EXERCISES = [e.id for e in default_exercises()]
NEED = "Noëlle's coöperatie wil één overzicht van <b>alle</b> koppelingen"
AGENDA = "IBP elk kwartaal op de agenda van het bestuur"
ORGANISATION = "Regionaal netwerk Noord"
QUESTION = "Wie betaalt de <i>koppeling</i> met het LAS?"

# What the journey answers, as the store keeps it (free texts by their text only).
EXPECTED = {
    "de-zaal/woorden": {"words": ["Versnipperd", "in opbouw"]},
    "de-zaal/ambities": ["professionalisering", "bestuurstafel", "behoeften"],
    "de-zaal/vragen": {"text": QUESTION},
    "bestuurstafel/visie": 2,
    "bestuurstafel/deskundigheid": 3,
    "bestuurstafel/inhoud-toepassingen": 4,
    "bestuurstafel/ict-infrastructuur": 1,
    "professionalisering/taken": {"visie-beleid": {"bestuur": "A", "informatiemanagement": "R"}},
    "professionalisering/negenvlak": {
        "bestuurder": "strategy:business",
        "informatiemanager": "structure:information",
    },
    "behoeften/needs": {"text": NEED},
    "behoeften/votes": {"training-im": 2, "fora-praktijk": 1},
    "stakeholders/belang-invloed": {"las-leverancier": [5, 4], "gmr": [2, 2]},
    "informatiestromen/stromen": {
        "las-rod": {"has": "yes"},
        "las-nummervoorziening": {"has": "yes", "agreement": "no"},
    },
    "informatiestromen/register": "fg",
    "ibp-bestuurstafel/go-01-strategie": 3,
    "ibp-bestuurstafel/go-02-beleid": 2,
    "ibp-bestuurstafel/or-01-rollen": 4,
    "ibp-bestuurstafel/gb-02-datalekken": 5,
    "ibp-bestuurstafel/horizon-2030": "voor-2030",
    "ibp-bestuurstafel/agenda": {"text": AGENDA},
    "ibp-bestuurstafel/jaarverslag": ["beleid-vastgesteld", "datalekken"],
}
LETTERS = ["", "R", "A", "C", "I"]
CELLS = [
    f"{r}:{c}"
    for r in ("strategy", "structure", "operations")
    for c in ("business", "information", "technology")
]


@pytest.fixture
def app(tmp_path):
    with participant_server(tmp_path, "Browsertest", EXERCISES) as (server, session, db):
        yield server, session, db


def _as_stored(db, pseudonym: str) -> dict:
    """The participant's answers with free-text items folded to their question."""
    found = {}
    for key, value in stored(db, pseudonym).items():
        found[re.sub(r":[0-9a-f]{12}$", "", key)] = value
    return found


def _look(page, recorder, name: str | None, where: str) -> None:
    """The checks every screen gets: no sideways scrolling, no serious axe finding,
    nothing asked of another host; and a screenshot for a person to look at."""
    no_side_scroll(page, where)
    found = check_accessibility(page)
    assert not found, f"{where}:\n{describe(found)}"
    assert recorder.blocked == [], recorder.blocked
    if name:
        screenshot(page, name)


def _only_own_host(recorder, base: str) -> None:
    host = urlparse(base).hostname
    others = [u for u in recorder.requests if urlparse(u).hostname not in (host, None)]
    assert recorder.requests and others == [], others


# --- answering by direct manipulation (the script on) ----------------------------------
def _tap_scale(page, question: str, value: int) -> None:
    with saved(page, question):
        form(page, question).locator("label.choice").nth(value - 1).click()


def _tap_raci(page, task: int, role: int, letter: str) -> None:
    row = form(page, "taken").locator(".raci-task").nth(task).locator(".raci-row").nth(role)
    with saved(page, "taken"):
        row.locator("label.segment").nth(LETTERS.index(letter)).click()


def _tap_aim(page, item: int, cell: str) -> None:
    box = form(page, "negenvlak").locator(".aim-item").nth(item)
    with saved(page, "negenvlak"):
        box.locator("label.aim-cell").nth(CELLS.index(cell)).click()


def _add_text(page, question: str, text: str) -> None:
    question_form = form(page, question)
    with saved(page, question):
        question_form.locator("textarea").fill(text)
        question_form.get_by_role("button", name="Toevoegen").click()
    expect(question_form.locator(".own-texts li bdi")).to_contain_text([text])


def _dot(page, label: str, sign: str) -> None:
    name = ("Een stip meer: " if sign == "+" else "Een stip minder: ") + label
    with saved(page, "votes"):
        form(page, "votes").get_by_role("button", name=name, exact=True).click()


def _drag(page, chip, cell) -> None:
    """Press on ``chip``, move to ``cell`` and let go (a finger or a mouse)."""
    cell.evaluate("cell => cell.closest('.grid-board').scrollIntoView({block: 'start'})")
    start, end = chip.bounding_box(), cell.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=8)
    page.mouse.up()


def answer_by_touch(page, recorder, base: str, code: str) -> None:
    """Every exercise answered the way a phone user does: taps, a drag, steppers."""
    url = lambda e: exercise_url(base, code, e)  # noqa: E731

    page.goto(url("de-zaal"))
    words = form(page, "woorden")
    with saved(page, "woorden"):
        words.get_by_label("Woord of korte zin 1").fill("Versnipperd")
        words.get_by_label("Woord of korte zin 2").fill("in opbouw")
        words.get_by_label("Woord of korte zin 2").blur()
    with saved(page, "ambities"):  # the second ambition one place up: it comes first
        form(page, "ambities").get_by_role("button", name=re.compile("^Omhoog: Prof")).click()
    assert (
        form(page, "ambities")
        .locator(".rank-row")
        .evaluate_all("rows => rows.map(r => r.dataset.key)")
        == EXPECTED["de-zaal/ambities"]
    )
    asked = form(page, "vragen")
    with saved(page, "vragen"):
        asked.locator("textarea").fill(QUESTION)
        asked.get_by_role("button", name="Stel je vraag").click()
    expect(asked.locator(".own-texts li bdi")).to_have_text([QUESTION])
    _look(page, recorder, "participant-de-zaal-390", "de-zaal")

    page.goto(url("bestuurstafel"))
    for question in ("visie", "deskundigheid", "inhoud-toepassingen", "ict-infrastructuur"):
        _tap_scale(page, question, EXPECTED[f"bestuurstafel/{question}"])
    expect(page.locator("[data-block] .own-layer svg").first).to_be_visible()
    _look(page, recorder, "participant-bestuurstafel-390", "bestuurstafel")

    page.goto(url("professionalisering"))
    _tap_raci(page, 0, 0, "R")  # first a wrong R for the board: the rule says A is missing
    expect(page.locator("[data-block=taken] .own-layer")).to_contain_text("Er is nog geen A")
    _tap_raci(page, 0, 0, "A")
    _tap_raci(page, 0, 2, "R")
    expect(page.locator("[data-block=taken] .own-layer")).to_contain_text("Eén A en minstens één R")
    _tap_aim(page, 0, "strategy:business")
    _tap_aim(page, 3, "structure:information")
    _look(page, recorder, "participant-professionalisering-390", "professionalisering")

    page.goto(url("behoeften"))
    _add_text(page, "needs", NEED)
    left = form(page, "votes").locator(".dots-left")
    expect(left).to_have_text("Nog 5 van 5 stippen")
    for label, sign in [
        ("Scholing voor informatiemanagers", "+"),
        ("Scholing voor informatiemanagers", "+"),
        ("Hulp bij het toepassen van FORA in de praktijk", "+"),
        ("Hulp bij het toepassen van FORA in de praktijk", "+"),
        ("Hulp bij het toepassen van FORA in de praktijk", "-"),
    ]:
        _dot(page, label, sign)
    expect(left).to_have_text("Nog 2 van 5 stippen")
    _look(page, recorder, "participant-behoeften-390", "behoeften")

    page.goto(url("stakeholders"))
    grid = form(page, "belang-invloed")
    with saved(page, "belang-invloed"):
        _drag(
            page,
            grid.locator(".chip[data-item=las-leverancier]"),
            grid.locator(".cell[data-x='5'][data-y='4']"),
        )
    expect(grid.locator(".cell[data-x='5'][data-y='4'] .chip")).to_have_attribute(
        "data-item", "las-leverancier"
    )
    chip = grid.locator(".chip[data-item=gmr]")
    chip.click()
    expect(chip).to_have_attribute("aria-pressed", "true")
    with saved(page, "belang-invloed"):
        grid.locator(".cell[data-x='2'][data-y='2']").click()
    expect(grid.locator(".cell[data-x='2'][data-y='2'] .chip")).to_have_attribute(
        "data-item", "gmr"
    )
    assert grid.locator("select[name='x.gmr']").input_value() == "2"  # the fallback follows
    add_organisation(page, ORGANISATION)  # listed, and the name field ready for the next
    added = form(page, "aanvullen")
    with saved(page, "aanvullen"):
        added.get_by_label("Van").select_option(label="Kennisnet")
        added.get_by_label("Naar").select_option(label="SURF")
        added.get_by_role("button", name="Toevoegen").last.click()
    expect(added.locator(".own-texts li")).to_have_count(2)
    _look(page, recorder, "participant-stakeholders-390", "stakeholders")

    page.goto(url("informatiestromen"))
    flows = form(page, "stromen")
    for flow, part, choice in [
        ("las-rod", "has", "ja"),
        ("las-nummervoorziening", "has", "ja"),
        ("las-nummervoorziening", "agreement", "nee"),
    ]:
        segment = flows.locator(f"label.segment:has(input[name='f.{flow}.{part}'])")
        with saved(page, "stromen"):
            segment.filter(has_text=re.compile(f"^{choice}$")).click()
    risks = page.locator("[data-block=stromen] .own-layer")
    expect(risks).to_contain_text("Jouw risicolijst")
    expect(risks).to_contain_text("ECK iD aanvragen bij de Nummervoorziening")
    with saved(page, "register"):
        form(page, "register").locator("label.choice", has_text="Functionaris").click()
    _look(page, recorder, "participant-informatiestromen-390", "informatiestromen")

    page.goto(url("ibp-bestuurstafel"))
    for question in ("go-01-strategie", "go-02-beleid", "or-01-rollen", "gb-02-datalekken"):
        _tap_scale(page, question, EXPECTED[f"ibp-bestuurstafel/{question}"])
    with saved(page, "horizon-2030"):
        form(page, "horizon-2030").locator("input[value='voor-2030']").click()
    _add_text(page, "agenda", AGENDA)
    for option in EXPECTED["ibp-bestuurstafel/jaarverslag"]:
        with saved(page, "jaarverslag"):
            form(page, "jaarverslag").locator(f"label.choice:has(input[value='{option}'])").click()
    _look(page, recorder, "participant-ibp-bestuurstafel-390", "ibp-bestuurstafel")


def check_answers_shown(page, base: str, code: str) -> None:
    """Every answer of EXPECTED is what each exercise page shows (after a reload or on
    another device)."""
    url = lambda e: exercise_url(base, code, e)  # noqa: E731

    def checked(question: str, name: str) -> list[str]:
        return (
            form(page, question)
            .locator(f"input[name='{name}']:checked")
            .evaluate_all("inputs => inputs.map(i => i.value)")
        )

    page.goto(url("de-zaal"))
    words = form(page, "woorden").locator("input[name=w]")
    assert words.evaluate_all("i => i.map(w => w.value)") == ["Versnipperd", "in opbouw", ""]
    order = form(page, "ambities").locator(".rank-row")
    assert (
        order.evaluate_all("rows => rows.map(r => r.dataset.key)") == EXPECTED["de-zaal/ambities"]
    )
    expect(form(page, "vragen").locator(".own-texts bdi")).to_have_text([QUESTION])
    page.goto(url("bestuurstafel"))
    for question in ("visie", "deskundigheid", "inhoud-toepassingen", "ict-infrastructuur"):
        assert checked(question, "v") == [str(EXPECTED[f"bestuurstafel/{question}"])]
    page.goto(url("professionalisering"))
    assert checked("taken", "r.visie-beleid.bestuur") == ["A"]
    assert checked("taken", "r.visie-beleid.informatiemanagement") == ["R"]
    assert checked("taken", "r.visie-beleid.ict") == [""]
    assert checked("negenvlak", "m.bestuurder") == ["strategy:business"]
    assert checked("negenvlak", "m.informatiemanager") == ["structure:information"]
    assert checked("negenvlak", "m.cio") == [""]
    page.goto(url("behoeften"))
    expect(form(page, "needs").locator(".own-texts bdi")).to_have_text([NEED])
    votes = form(page, "votes")
    assert votes.locator("input[name='d.training-im']").input_value() == "2"
    assert votes.locator("input[name='d.fora-praktijk']").input_value() == "1"
    expect(votes.locator(".dots-left")).to_have_text("Nog 2 van 5 stippen")
    page.goto(url("stakeholders"))
    grid = form(page, "belang-invloed")
    expect(
        grid.locator(".cell[data-x='5'][data-y='4'] .chip[data-item=las-leverancier]")
    ).to_have_count(1)
    expect(grid.locator(".cell[data-x='2'][data-y='2'] .chip[data-item=gmr]")).to_have_count(1)
    expect(form(page, "aanvullen").locator(".own-texts li")).to_have_count(2)
    expect(form(page, "aanvullen").locator(".own-texts")).to_contain_text(ORGANISATION)
    page.goto(url("informatiestromen"))
    assert checked("stromen", "f.las-nummervoorziening.has") == ["yes"]
    assert checked("stromen", "f.las-nummervoorziening.agreement") == ["no"]
    assert checked("stromen", "f.las-rod.has") == ["yes"]
    assert checked("register", "v") == ["fg"]
    page.goto(url("ibp-bestuurstafel"))
    for question in ("go-01-strategie", "go-02-beleid", "or-01-rollen", "gb-02-datalekken"):
        assert checked(question, "v") == [str(EXPECTED[f"ibp-bestuurstafel/{question}"])]
    assert checked("horizon-2030", "v") == ["voor-2030"]
    assert checked("jaarverslag", "v") == EXPECTED["ibp-bestuurstafel/jaarverslag"]
    expect(form(page, "agenda").locator(".own-texts bdi")).to_have_text([AGENDA])


def test_participant_answers_everything_by_touch_and_finds_it_back(app, open_page):
    """Can a participant on a 390-px phone join, answer every shipped exercise by tapping,
    dragging and stepping, and find every answer back after a reload and on another
    device with the personal link, which returns them to the screen they were on? Is every
    screen free of sideways scrolling and of serious axe findings, and does no page ask
    another host for anything?"""
    server, session, db = app
    page, recorder = open_page(*PHONE)
    page.goto(f"{server.url}/")
    _look(page, recorder, "participant-code-390", "code")
    page.goto(f"{server.url}/s/NIETS1/")  # a code that does not exist: the code page says so
    expect(page.locator("main")).to_contain_text("Er is geen sessie met die code.")
    _look(page, recorder, "participant-not-found-390", "not found")
    page.goto(f"{server.url}/s/{session.code}/")
    assert "Testorganisator" in page.inner_text("main")
    assert "IP-adres" in page.inner_text("main")  # says what is (not) kept
    _look(page, recorder, "participant-join-390", "join")
    name = join(page, server.url, session.code)
    expect(page.locator("h1")).to_have_text(f"Welkom, {name}")
    link = resume_link(page)
    _look(page, recorder, "participant-overview-390", "overview")

    answer_by_touch(page, recorder, server.url, session.code)
    assert _as_stored(db, name) == EXPECTED
    organisation, relation = stored_contributions(db, name)
    assert organisation[1:] == ("organisation", {**organisation[2], "name": ORGANISATION})
    assert organisation[2]["sectors"] == ["po"]
    assert relation[1] == "relation"
    assert {relation[2]["source"], relation[2]["target"]} == {"kennisnet", "surf"}

    page.goto(f"{server.url}/s/{session.code}/map")
    expect(page.locator("iframe[data-map]")).to_be_visible()
    _look(page, recorder, "participant-map-390", "map")
    page.goto(f"{server.url}/s/{session.code}/")
    for card, progress in zip(
        page.locator("[data-exercise-card] small").all(),
        ["3 van 3", "4 van 4", "2 van 2", "2 van 2", "1 van 1", "2 van 2", "7 van 7"],
        strict=True,
    ):
        expect(card).to_contain_text(progress + " beantwoord")

    # A reload finds everything back (the cookie); so does the personal link elsewhere.
    page.reload()
    check_answers_shown(page, server.url, session.code)
    page.goto(exercise_url(server.url, session.code, "informatiestromen"))  # the last screen
    other, other_recorder = open_page(*PHONE)
    other.goto(link)
    assert urlparse(other.url).path == f"/s/{session.code}/e/informatiestromen"
    check_answers_shown(other, server.url, session.code)
    assert _as_stored(db, name) == EXPECTED  # looking changed nothing
    assert len(rows(db)) == len(EXPECTED)
    for where in (recorder, other_recorder):
        _only_own_host(where, server.url)
    assert page.evaluate("() => window.__x") is None


# --- the keyboard alone ------------------------------------------------------------------
def _tab_to(page, selector: str, back: bool = False, most: int = 400) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches ``selector``."""
    key = "Shift+Tab" if back else "Tab"
    for _ in range(most):
        page.keyboard.press(key)
        if page.evaluate("s => !!document.activeElement?.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached with {key}")


def _keys(page, question: str, *keys: str) -> None:
    """Press ``keys`` on the focused control and wait for the answer to be saved."""
    with saved(page, question):
        for key in keys:
            page.keyboard.press(key)


def _next_exercise(page) -> None:
    _tab_to(page, "nav.steps a.primary")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def answer_by_keyboard(page) -> None:
    """Every exercise with Tab, Shift+Tab, Space, Enter, the arrow keys and typing."""

    def radios(question: str, name: str, *keys: str) -> None:
        _tab_to(page, f"form[data-q='{question}'] input[name='{name}']")
        _keys(page, question, *keys)

    # The room: words typed (leaving the field saves), an arrow button moves an
    # ambition up, a question typed and asked.
    _tab_to(page, "form[data-q=woorden] input[name=w]")
    page.keyboard.type("Versnipperd")
    page.keyboard.press("Tab")
    page.keyboard.type("in opbouw")
    _keys(page, "woorden", "Tab")
    _tab_to(page, "form[data-q=ambities] button[value='professionalisering:-1']")
    _keys(page, "ambities", "Enter")
    _tab_to(page, "form[data-q=vragen] textarea")
    page.keyboard.type(QUESTION)
    _tab_to(page, "form[data-q=vragen] button[name=add]")
    _keys(page, "vragen", "Enter")
    expect(form(page, "vragen").locator(".own-texts bdi")).to_have_text([QUESTION])
    _next_exercise(page)
    # Exercise 1: Tab lands on a scale's first level, Space picks it, arrows move on.
    for question in ("visie", "deskundigheid", "inhoud-toepassingen", "ict-infrastructuur"):
        level = EXPECTED[f"bestuurstafel/{question}"]
        radios(question, "v", "Space", *["ArrowDown"] * (level - 1))
    _next_exercise(page)
    # Exercise 2: the RACI segments and the nine cells are radio groups ('–' and
    # 'Niet plaatsen' chosen at first; the arrows wrap around).
    radios("taken", "r.visie-beleid.bestuur", "ArrowRight", "ArrowRight")  # – R A
    radios("taken", "r.visie-beleid.informatiemanagement", "ArrowRight")
    radios("negenvlak", "m.bestuurder", "ArrowRight")
    radios("negenvlak", "m.informatiemanager", *["ArrowRight"] * 5)
    _next_exercise(page)
    # Exercise 3: type a need, add it; step dots with Space on the + and - buttons.
    _tab_to(page, "form[data-q=needs] textarea")
    page.keyboard.type(NEED)
    _tab_to(page, "form[data-q=needs] button[name=add]")
    _keys(page, "needs", "Enter")
    expect(form(page, "needs").locator(".own-texts bdi")).to_have_text([NEED])
    step = "form[data-q=votes] button[aria-label='Een stip {}: {}']"
    _tab_to(page, step.format("meer", "Scholing voor informatiemanagers"))
    _keys(page, "votes", "Space", "Space")
    fora = "Hulp bij het toepassen van FORA in de praktijk"
    _tab_to(page, step.format("meer", fora))
    _keys(page, "votes", "Space", "Space")
    _tab_to(page, step.format("minder", fora), back=True)
    _keys(page, "votes", "Enter")
    expect(form(page, "votes").locator(".dots-left")).to_have_text("Nog 2 van 5 stippen")
    _next_exercise(page)
    # Exercise 4: the grid's chips take the arrow keys (the first press puts a chip in
    # the middle); then an organisation and a relation by typing and choosing.
    _tab_to(page, ".chip[data-item=las-leverancier]")
    _keys(page, "belang-invloed", "ArrowRight", "ArrowRight", "ArrowRight", "ArrowUp")
    _tab_to(page, ".chip[data-item=gmr]")
    _keys(page, "belang-invloed", "ArrowLeft", "ArrowLeft", "ArrowDown")
    assert page.evaluate("document.activeElement.dataset.item") == "gmr"  # focus stays
    _tab_to(page, "form[data-q=aanvullen] input[name=name]")
    page.keyboard.type(ORGANISATION)
    _tab_to(page, "form[data-q=aanvullen] input[name=sector][value=po]")
    page.keyboard.press("Space")
    _tab_to(page, "form[data-q=aanvullen] button[value=organisation]")
    _keys(page, "aanvullen", "Enter")
    expect(form(page, "aanvullen").locator(".own-texts")).to_contain_text(ORGANISATION)
    _tab_to(page, "form[data-q=aanvullen] select[name=source]")
    page.keyboard.type("Kennisnet")
    _tab_to(page, "form[data-q=aanvullen] select[name=target]")
    page.keyboard.type("SURF")
    _tab_to(page, "form[data-q=aanvullen] button[value=relation]")
    _keys(page, "aanvullen", "Space")
    expect(form(page, "aanvullen").locator(".own-texts li")).to_have_count(2)
    _next_exercise(page)
    # Exercise 5: yes / no segments are radio groups too; then one of six options.
    radios("stromen", "f.las-rod.has", "Space")
    radios("stromen", "f.las-nummervoorziening.has", "Space")
    radios("stromen", "f.las-nummervoorziening.agreement", "ArrowRight")  # yes -> no
    radios("register", "v", "ArrowDown")  # privacy officer -> FG
    _next_exercise(page)
    # Exercise 6: scales, one option, a text, two ticks.
    for question in ("go-01-strategie", "go-02-beleid", "or-01-rollen", "gb-02-datalekken"):
        level = EXPECTED[f"ibp-bestuurstafel/{question}"]
        radios(question, "v", "Space", *["ArrowDown"] * (level - 1))
    radios("horizon-2030", "v", "ArrowDown", "ArrowDown")  # nu al -> voor 2027 -> voor 2030
    _tab_to(page, "form[data-q=agenda] textarea")
    page.keyboard.type(AGENDA)
    _tab_to(page, "form[data-q=agenda] button[name=add]")
    _keys(page, "agenda", "Enter")
    for option in EXPECTED["ibp-bestuurstafel/jaarverslag"]:
        _tab_to(page, f"form[data-q=jaarverslag] input[value='{option}']")
        _keys(page, "jaarverslag", "Space")


def test_keyboard_alone(app, open_page):
    """Can a participant join, go from exercise to exercise and answer every one of them
    with the keyboard alone (Tab, Space, Enter, the arrow keys, typing), the grid's chips
    included, and is what the store keeps exactly what was meant?"""
    server, session, db = app
    page, recorder = open_page(1024, 800)
    page.goto(f"{server.url}/s/{session.code}/")
    _tab_to(page, "#pseudonym")
    page.keyboard.press("Control+A")
    page.keyboard.type("Toetsenbord")
    _tab_to(page, "button[data-join]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Welkom, Toetsenbord")
    _tab_to(page, "a.card-link[href$='/e/de-zaal']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    answer_by_keyboard(page)
    assert _as_stored(db, "Toetsenbord") == EXPECTED
    kinds = [(kind, payload.get("name")) for _, kind, payload in stored_contributions(db)]
    assert kinds == [("organisation", ORGANISATION), ("relation", None)]
    _only_own_host(recorder, server.url)


# --- without JavaScript: the plain forms -------------------------------------------------
def _save(page, question: str) -> None:
    with submitted(page, question):
        form(page, question).get_by_role("button", name="Opslaan").click()


def answer_with_plain_forms(page, base: str, code: str) -> None:
    """Every exercise with the script off: choose, then the question's Save button; the
    dot steppers and Add buttons post the form themselves."""
    url = lambda e: exercise_url(base, code, e)  # noqa: E731

    page.goto(url("de-zaal"))
    words = form(page, "woorden")
    words.get_by_label("Woord of korte zin 1").fill("Versnipperd")
    words.get_by_label("Woord of korte zin 2").fill("in opbouw")
    _save(page, "woorden")
    with submitted(page, "ambities"):  # each arrow posts the new order
        form(page, "ambities").get_by_role("button", name=re.compile("^Omhoog: Prof")).click()
    asked = form(page, "vragen")
    asked.locator("textarea").fill(QUESTION)
    with submitted(page, "vragen"):
        asked.get_by_role("button", name="Stel je vraag").click()
    expect(form(page, "vragen").locator(".own-texts li bdi")).to_have_text([QUESTION])

    page.goto(url("bestuurstafel"))
    # The hint is in a <noscript>: shown (see the screenshot), but Chromium's emulation of
    # a browser without scripts keeps its content out of the page's text, so the hint is
    # read from the element's source.
    assert "Zonder JavaScript sla je elk antwoord op" in page.locator("noscript").inner_html()
    for question in ("visie", "deskundigheid", "inhoud-toepassingen", "ict-infrastructuur"):
        form(page, question).locator("label.choice").nth(
            EXPECTED[f"bestuurstafel/{question}"] - 1
        ).click()
        _save(page, question)
    screenshot(page, "nojs-bestuurstafel")

    page.goto(url("professionalisering"))
    taken = form(page, "taken")
    taken.locator("label.segment:has(input[name='r.visie-beleid.bestuur'][value=A])").click()
    taken.locator(
        "label.segment:has(input[name='r.visie-beleid.informatiemanagement'][value=R])"
    ).click()
    _save(page, "taken")
    expect(page.locator("[data-block=taken] .own-layer")).to_contain_text("Eén A en minstens")
    nine = form(page, "negenvlak")
    nine.locator(
        "label.aim-cell:has(input[name='m.bestuurder'][value='strategy:business'])"
    ).click()
    nine.locator(
        "label.aim-cell:has(input[name='m.informatiemanager'][value='structure:information'])"
    ).click()
    _save(page, "negenvlak")
    screenshot(page, "nojs-professionalisering")

    page.goto(url("behoeften"))
    with submitted(page, "needs"):
        form(page, "needs").locator("textarea").fill(NEED)
        form(page, "needs").get_by_role("button", name="Toevoegen").click()
    expect(form(page, "needs").locator(".own-texts bdi")).to_have_text([NEED])
    for label, sign in [
        ("Scholing voor informatiemanagers", "meer"),
        ("Scholing voor informatiemanagers", "meer"),
        ("Hulp bij het toepassen van FORA in de praktijk", "meer"),
        ("Hulp bij het toepassen van FORA in de praktijk", "meer"),
        ("Hulp bij het toepassen van FORA in de praktijk", "minder"),
    ]:
        with submitted(page, "votes"):
            form(page, "votes").get_by_role("button", name=f"Een stip {sign}: {label}").click()
    expect(form(page, "votes").locator(".dots-left")).to_have_text("Nog 2 van 5 stippen")
    screenshot(page, "nojs-behoeften")

    page.goto(url("stakeholders"))
    grid = form(page, "belang-invloed")
    expect(grid.locator("[data-board]")).to_be_hidden()  # the board needs the script
    for item, (x, y) in EXPECTED["stakeholders/belang-invloed"].items():
        grid.locator(f"select[name='x.{item}']").select_option(str(x))
        grid.locator(f"select[name='y.{item}']").select_option(str(y))
    _save(page, "belang-invloed")
    added = form(page, "aanvullen")
    with submitted(page, "aanvullen"):
        added.get_by_label("Naam").fill(ORGANISATION)
        added.get_by_label("po", exact=True).check()
        added.get_by_role("button", name="Toevoegen").first.click()
    with submitted(page, "aanvullen"):
        added.get_by_label("Van").select_option(label="Kennisnet")
        added.get_by_label("Naar").select_option(label="SURF")
        added.get_by_role("button", name="Toevoegen").last.click()
    expect(added.locator(".own-texts li")).to_have_count(2)
    screenshot(page, "nojs-stakeholders")

    page.goto(url("informatiestromen"))
    flows = form(page, "stromen")
    for flow, part, value in [
        ("las-rod", "has", "yes"),
        ("las-nummervoorziening", "has", "yes"),
        ("las-nummervoorziening", "agreement", "no"),
    ]:
        flows.locator(f"label.segment:has(input[name='f.{flow}.{part}'][value={value}])").click()
    _save(page, "stromen")
    expect(page.locator("[data-block=stromen] .own-layer")).to_contain_text(
        "ECK iD aanvragen bij de Nummervoorziening"
    )
    form(page, "register").locator("label.choice", has_text="Functionaris").click()
    _save(page, "register")
    screenshot(page, "nojs-informatiestromen")

    page.goto(url("ibp-bestuurstafel"))
    for question in ("go-01-strategie", "go-02-beleid", "or-01-rollen", "gb-02-datalekken"):
        form(page, question).locator("label.choice").nth(
            EXPECTED[f"ibp-bestuurstafel/{question}"] - 1
        ).click()
        _save(page, question)
    form(page, "horizon-2030").locator("label.choice:has(input[value='voor-2030'])").click()
    _save(page, "horizon-2030")
    with submitted(page, "agenda"):
        form(page, "agenda").locator("textarea").fill(AGENDA)
        form(page, "agenda").get_by_role("button", name="Toevoegen").click()
    for option in EXPECTED["ibp-bestuurstafel/jaarverslag"]:
        form(page, "jaarverslag").locator(f"label.choice:has(input[value='{option}'])").click()
    _save(page, "jaarverslag")
    screenshot(page, "nojs-ibp-bestuurstafel")


def test_without_javascript(app, open_page):
    """With JavaScript off, does every page still work as plain forms: join, every
    exercise answered (Save buttons, the dot steppers and Add buttons as form posts, the
    grid by its selects), the store holding exactly what was meant, the personal link
    leading back? And do the same pages (the script kept away) pass axe on a phone without
    sideways scrolling?"""
    server, session, db = app
    page, recorder = open_page(*PHONE, java_script_enabled=False)
    name = join(page, server.url, session.code)
    screenshot(page, "nojs-overview")
    link = resume_link(page)
    answer_with_plain_forms(page, server.url, session.code)
    assert _as_stored(db, name) == EXPECTED
    kinds = [(kind, payload.get("name")) for _, kind, payload in stored_contributions(db)]
    assert kinds == [("organisation", ORGANISATION), ("relation", None)]
    _only_own_host(recorder, server.url)

    # The same pages as a browser without the script gets them, checked by axe (which
    # needs JavaScript itself, so here the page's own script is refused instead).
    plain, plain_recorder = open_page(*PHONE)
    plain.route("**/static/participant.js*", lambda route: route.abort())
    plain.goto(link)
    assert urlparse(plain.url).path == f"/s/{session.code}/e/ibp-bestuurstafel"
    expect(plain.locator("html")).not_to_have_class("js")
    for where in ["", *[f"e/{e}" for e in EXERCISES]]:
        plain.goto(f"{server.url}/s/{session.code}/{where}")
        _look(plain, plain_recorder, None, f"no script: /{where}")


# --- 200 % zoom ---------------------------------------------------------------------------
def test_usable_at_200_percent_zoom(app, open_page):
    """Is every page usable at 200 % zoom on a 390-px phone: nothing to scroll sideways,
    and each kind of control still answerable by touch?

    How the zoom is made: zooming a page to 200 % halves its CSS viewport, so a 390-px wide
    window lays out at 195 CSS px and draws each CSS px with two device pixels (the way
    WCAG 1.4.10 counts reflow: 1280 px at 400 % is 320 CSS px). Playwright cannot press
    the browser's zoom keys, but a context of 195 x 422 CSS px with ``device_scale_factor=2``
    is that same state: the same layout width for the media queries and the same pixels
    on the screenshots (390 px wide)."""
    server, session, db = app
    page, recorder = open_page(195, 422, device_scale_factor=2)
    page.goto(f"{server.url}/s/{session.code}/")
    no_side_scroll(page, "join at 200 %")
    name = join(page, server.url, session.code)
    no_side_scroll(page, "overview at 200 %")
    screenshot(page, "participant-overview-zoom200")
    for exercise in EXERCISES:
        page.goto(exercise_url(server.url, session.code, exercise))
        no_side_scroll(page, f"{exercise} at 200 %")
    page.goto(f"{server.url}/s/{session.code}/map")
    no_side_scroll(page, "map at 200 %")

    page.goto(exercise_url(server.url, session.code, "bestuurstafel"))
    _tap_scale(page, "visie", 2)
    page.goto(exercise_url(server.url, session.code, "professionalisering"))
    _tap_raci(page, 0, 0, "A")
    _tap_aim(page, 0, "strategy:business")
    screenshot(page, "participant-professionalisering-zoom200")
    page.goto(exercise_url(server.url, session.code, "behoeften"))
    _add_text(page, "needs", NEED)
    _dot(page, "Scholing voor informatiemanagers", "+")
    page.goto(exercise_url(server.url, session.code, "stakeholders"))
    grid = form(page, "belang-invloed")
    grid.locator(".chip[data-item=gmr]").click()
    with saved(page, "belang-invloed"):
        grid.locator(".cell[data-x='2'][data-y='2']").click()
    no_side_scroll(page, "stakeholders at 200 %, a chip placed")
    screenshot(page, "participant-stakeholders-zoom200")
    page.goto(exercise_url(server.url, session.code, "informatiestromen"))
    with saved(page, "stromen"):
        form(page, "stromen").locator(
            "label.segment:has(input[name='f.las-rod.has'][value=yes])"
        ).click()
    assert _as_stored(db, name) == {
        "bestuurstafel/visie": 2,
        "professionalisering/taken": {"visie-beleid": {"bestuur": "A"}},
        "professionalisering/negenvlak": {"bestuurder": "strategy:business"},
        "behoeften/needs": {"text": NEED},
        "behoeften/votes": {"training-im": 1},
        "stakeholders/belang-invloed": {"gmr": [2, 2]},
        "informatiestromen/stromen": {"las-rod": {"has": "yes"}},
    }
    _only_own_host(recorder, server.url)
