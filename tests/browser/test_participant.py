"""The participant app in a real browser: join, every exercise, reload, a second participant,
a phone-sized screen, nothing requested from another host."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import screenshot
from tests.support.servers import VoilaServer
from toolkit.exercises.loader import default_exercises
from toolkit.results.charts import OWN
from toolkit.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.server]

NEED = "Noëlle's coöperatie <b>wil</b> één overzicht"


@pytest.fixture
def app(tmp_path):
    url = f"sqlite:///{tmp_path / 'workshop.db'}"
    store = Store.open(url)
    session = store.create_session(
        "Browsertest", organiser="Testorganisator", exercises=[e.id for e in default_exercises()]
    )
    with VoilaServer(
        {"/": "participant.ipynb"},
        tmp_path,
        pools={"participant.ipynb": 2},
        env={"WORKSHOP_DB": url, "WORKSHOP_DATA": str(tmp_path)},
    ) as server:
        yield server, store, session
    store.close()


def _no_side_scroll(page) -> None:
    width = page.evaluate("document.getElementById('rendered_cells').scrollWidth")
    assert width <= page.viewport_size["width"], f"horizontal scrolling: {width}px"


def _saved(question) -> None:
    question.locator(".workshop-status-ok").wait_for()


def _open_exercise(page, index: int):
    page.locator(".workshop-open-exercise").nth(index).click()
    page.wait_for_selector(".workshop-exercise")
    _no_side_scroll(page)


def _back(page):
    page.get_by_role("button", name=re.compile("Overzicht|Overview")).click()
    page.wait_for_selector(".workshop-overview")


def _join(page, base: str, code: str) -> None:
    page.goto(f"{base}/?code={code}")
    page.wait_for_selector(".workshop-join")
    _no_side_scroll(page)
    assert "Testorganisator" in page.inner_text(".workshop-join-screen")
    assert "IP" in page.inner_text(".workshop-join-screen")  # says what is (not) kept
    page.click(".workshop-join")
    page.wait_for_selector(".workshop-overview")
    page.wait_for_function("() => location.search.includes('t=')")


def test_participant_answers_everything_and_finds_it_back(app, open_page):
    """Can a participant on a phone answer every exercise, reload, and find every answer
    back; do a second participant's answers reach the group result?"""
    server, store, session = app
    page, recorder = open_page(390, 844)
    _join(page, server.url, session.code)
    screenshot(page, "participant-overview-390")

    # 1. Maturity scan: four scales.
    _open_exercise(page, 0)
    scales = page.locator(".workshop-q-scale")
    for i in range(scales.count()):
        scales.nth(i).locator(".widget-radio-box label").nth(i % 5).click()
        _saved(scales.nth(i))
    page.wait_for_selector(".workshop-results svg")
    # the own answers are drawn next to the group's after saving (beyond the legend's mark)
    page.wait_for_function(
        f"() => document.querySelectorAll(\".workshop-results svg polygon[fill='{OWN}']\")"
        ".length > 1"
    )
    screenshot(page, "participant-bestuurstafel-390")
    _back(page)

    # 2. RACI (one A, one R for the first task; the rule message follows) and AIM.
    _open_exercise(page, 1)
    raci = page.locator(".workshop-q-raci")
    selects = raci.locator("select")
    selects.nth(0).select_option(label="R")
    raci.get_by_text("Er is nog geen A").first.wait_for()
    selects.nth(1).select_option(label="A")
    raci.get_by_text("Eén A en minstens één R").first.wait_for()
    _saved(raci)
    aim = page.locator(".workshop-q-aim")
    aim.locator("select").first.select_option(index=1)
    _saved(aim)
    _back(page)

    # 3. Needs (free text with diacritics and markup) and dot voting.
    _open_exercise(page, 2)
    needs = page.locator(".workshop-q-free_text")
    needs.locator("textarea").fill(NEED)
    needs.get_by_role("button", name="Toevoegen").click()
    needs.locator(".workshop-own-text", has_text="één overzicht").wait_for()
    votes = page.locator(".workshop-q-dot_vote")
    votes.get_by_role("button", name="+").first.click()
    _saved(votes)
    votes.get_by_role("button", name="+").first.click()
    votes.get_by_text("Nog 3 van 5 stippen").wait_for()
    _back(page)

    # 4. Power/interest grid and an organisation added to the map.
    _open_exercise(page, 3)
    grid = page.locator(".workshop-q-grid")
    grid.locator("select").nth(0).select_option(label="5")
    grid.locator("select").nth(1).select_option(label="4")
    _saved(grid)
    contribution = page.locator(".workshop-q-contribution")
    contribution.get_by_label("Naam").fill("Regionaal netwerk Noord")
    contribution.get_by_role("button", name="Toevoegen").first.click()
    contribution.locator("span", has_text="Regionaal netwerk Noord").wait_for()
    assert contribution.get_by_label("Van").locator("option", has_text="Regionaal").count() == 1
    _back(page)

    # 5. Data flows: a flow in use without an agreement lands on the risk list.
    _open_exercise(page, 4)
    flows = page.locator(".workshop-q-flow_check")
    first_processor_flow = flows.locator(
        ".widget-hbox", has=page.get_by_label("Verwerkersovereenkomst?")
    ).first
    first_processor_flow.locator("select").nth(0).select_option(label="ja")
    first_processor_flow.locator("select").nth(1).select_option(label="nee")
    _saved(flows)
    page.get_by_text("Jouw risicolijst").wait_for()
    page.locator(".workshop-results li").first.wait_for()
    screenshot(page, "participant-informatiestromen-390")

    # Reload: the resume token in the address brings everything back.
    assert "t=" in page.url
    page.reload()
    page.wait_for_selector(".workshop-overview")
    assert "Welkom terug" in page.inner_text(".workshop-overview")
    assert page.inner_text(".workshop-overview").count("beantwoord") == 6
    _open_exercise(page, 0)
    checked = page.locator(".workshop-q-scale input:checked")
    assert checked.count() == 4
    _back(page)
    _open_exercise(page, 2)
    assert NEED.replace("<b>", "").replace("</b>", "") not in page.content()  # no markup
    page.locator(".workshop-own-text", has_text=NEED).wait_for()  # shown as text
    page.locator(".workshop-q-dot_vote").get_by_text("Nog 3 van 5 stippen").wait_for()
    _back(page)
    _open_exercise(page, 1)
    assert page.locator(".workshop-q-raci select").nth(1).input_value() != ""
    _back(page)

    # A second participant (another browser) answers exercise 1; the first one sees n = 2.
    other, other_recorder = open_page(390, 844)
    _join(other, server.url, session.code)
    _open_exercise(other, 0)
    other.locator(".workshop-q-scale").first.locator(".widget-radio-box label").nth(4).click()
    _saved(other.locator(".workshop-q-scale").first)
    _open_exercise(page, 0)
    page.get_by_text("groep (n = 2)").first.wait_for(timeout=15_000)

    rows = store.answers(session.id)
    assert {a.exercise for a in rows} == {e.id for e in default_exercises()}
    assert len({a.participant_id for a in rows}) == 2
    assert recorder.blocked == [] and other_recorder.blocked == []
    assert page.evaluate("() => window.__x") is None


def test_keyboard_alone(app, open_page):
    """Can a participant join, open an exercise and answer with the keyboard only?"""
    server, store, session = app
    page, recorder = open_page(1024, 800)
    page.goto(f"{server.url}/?code={session.code}")
    page.wait_for_selector(".workshop-join")
    page.focus(".workshop-join-screen input[type=text]")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('workshop-join')"):
            break
    page.keyboard.press("Enter")
    page.wait_for_selector(".workshop-overview")
    page.locator(".workshop-open-exercise").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".workshop-exercise")
    first = page.locator(".workshop-q-scale").first
    first.locator("input[type=radio]").first.focus()
    page.keyboard.press("ArrowDown")  # moves to and selects level 2
    first.locator(".workshop-status-ok").wait_for()
    rows = store.answers(session.id)
    assert [a.value for a in rows] == [2]
    assert recorder.blocked == []
