"""Hostile texts typed by participants into every field (pseudonyms, open answers, the
names of map additions): script, markup, `javascript:` links, template syntax, very long
strings, direction overrides, zero-width characters and Dutch diacritics. Looked at
everywhere they are shown (one's own lists, another phone's group results, dot vote and
map additions, the map, the presenter view, the facilitator's dashboard with the authors'
pseudonyms): nothing may run, no element may come from a
text, templates stay literal, the texts read back unchanged, an unclosed override stays
inside its own text, and no page asks another host for anything."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.support.hostile import (
    COOP,
    IMG,
    JINJA,
    JS_URL,
    LONG,
    NOELLE,
    RTL,
    SCRIPT,
    SVG,
    TEMPLATE,
    ZERO_WIDTH,
)
from tests.support.pages import (
    PHONE,
    contributions,
    exercise_url,
    form,
    inspect,
    join,
    rows,
    saved,
)
from tests.support.servers import WorkshopServe
from toolkit.exercises.loader import default_exercises
from toolkit.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.server]

EXERCISES = [e.id for e in default_exercises()]
# Beyond the shared list: a right-to-left override that is never closed must not turn the
# text after it around (the rest of a relation's sentence).
OPEN_RTL = "\u202eRLO zonder einde"
# The pseudonyms: hostile too, and found in no other text (so their absence can be seen).
FIRST, SECOND = "<img src=x onerror=window.__x=5> Vos", '"><svg onload=window.__x=6> Uil'
NEEDS_FIRST = [f"{SCRIPT} {NOELLE}", f"{IMG} {COOP}", JS_URL]
NEEDS_SECOND = [SVG, f"{JINJA} {TEMPLATE}", f"{RTL} {ZERO_WIDTH}"]
ORGS_FIRST = [SCRIPT, f"{SVG} {NOELLE}", f"{JINJA} {TEMPLATE} {COOP} {RTL} {ZERO_WIDTH}", JS_URL]
ORGS_SECOND = [IMG, OPEN_RTL]
RELATIONS_SECOND = [(IMG, SCRIPT), (OPEN_RTL, JS_URL)]
RELATION = "werkt samen met"

_LEFT_TO_RIGHT = r"""([selector, marker, within]) => {
  // Does `marker` (in a box that holds `within`; it may span elements) read left to right:
  // is its first character left of its last one on the screen?
  for (const box of document.querySelectorAll(selector)) {
    if (!box.textContent.includes(within)) continue;
    const walk = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    const nodes = [];
    for (let node = walk.nextNode(); node; node = walk.nextNode()) nodes.push(node);
    const whole = nodes.map(n => n.data).join('');
    const at = whole.indexOf(marker);
    if (at < 0) continue;
    const range = document.createRange();
    const left = i => {
      for (const node of nodes) {
        if (i < node.data.length) { range.setStart(node, i); range.setEnd(node, i + 1);
                                    return range.getBoundingClientRect().left; }
        i -= node.data.length;
      }
    };
    return left(at) < left(at + marker.length - 1);
  }
  return null;
}"""


def _reads_left_to_right(page, selector: str, marker: str, within: str = OPEN_RTL) -> None:
    ok = page.evaluate(_LEFT_TO_RIGHT, [selector, marker, within])
    assert ok is not None, f"{marker!r} not found in {selector}"
    assert ok, f"{marker!r} in {selector} reads right to left: an override is not isolated"


def _texts(locator) -> list[str]:
    return [t.replace("\xa0", " ") for t in locator.all_text_contents()]


def _join(open_page, base, code, pseudonym, *, check_long=False):
    page, recorder = open_page(*PHONE)
    if check_long:  # a pseudonym far too long is refused with a message
        page.goto(f"{base}/s/{code}/")
        page.locator("#pseudonym").evaluate("(field, text) => { field.value = text; }", LONG)
        page.get_by_role("button", name="Doe mee").click()
        expect(page.locator("#pseudonym-error")).to_have_text(
            "Kies een schuilnaam van 2 tot 40 tekens."
        )
    join(page, base, code, pseudonym)
    expect(page.locator("h1")).to_have_text(f"Welkom, {pseudonym}")
    inspect(page, recorder, "joined")
    return page, recorder


def _add_needs(page, needs, *, check_long=False) -> None:
    question = form(page, "needs")
    if check_long:  # past the field's own limit (a changed page): the server refuses
        question.locator("textarea").evaluate("(area, text) => { area.value = text; }", LONG)
        with page.expect_response(lambda r: r.request.method == "POST") as reply:
            question.get_by_role("button", name="Toevoegen").click()
        assert reply.value.status == 400
        expect(question.locator("[data-status]")).to_have_text(
            "Te lang: 5000 tekens, maximaal 200."
        )
    for n, need in enumerate(needs, 1):
        with saved(page, "needs"):
            question.locator("textarea").fill(need)
            question.get_by_role("button", name="Toevoegen").click()
        expect(question.locator(".own-texts li")).to_have_count(n)
    assert _texts(question.locator(".own-texts li > bdi")) == needs


def _add_organisations(page, names, *, check_long=False) -> None:
    question = form(page, "aanvullen")
    before = question.locator(".own-texts li").count()
    if check_long:
        question.get_by_label("Naam").evaluate("(field, text) => { field.value = text; }", LONG)
        with page.expect_response(lambda r: r.request.method == "POST") as reply:
            question.get_by_role("button", name="Toevoegen").first.click()
        assert reply.value.status == 400
        expect(question.locator("[data-status]")).to_have_text("Te lang: 5000 tekens, maximaal 80.")
    for n, name in enumerate(names, before + 1):
        with saved(page, "aanvullen"):
            question.get_by_label("Naam").fill(name)
            question.get_by_role("button", name="Toevoegen").first.click()
        expect(question.locator(".own-texts li")).to_have_count(n)


def _choose(select, text: str) -> None:
    """Pick the option whose text is exactly ``text`` (whatever characters it holds), once
    it is there (the form that a save's answer brings is drawn again)."""
    select.page.wait_for_function(
        "([s, text]) => [...s.options].some(o => o.textContent === text)",
        arg=[select.element_handle(), text],
    )
    index = select.evaluate(
        "(s, text) => [...s.options].findIndex(o => o.textContent === text)", text
    )
    assert index >= 0, f"{text!r} is not an option"
    select.select_option(index=index)


def _check_map(page, names: list[str]) -> None:
    """The map shows every name as a label, finds it by search, shows it in the profile,
    all as text."""
    page.wait_for_selector("iframe[data-map]")
    page.frame_locator("iframe[data-map]").locator("body[data-ready='1']").wait_for()
    frame = next(f for f in page.frames if f is not page.main_frame and "/map/frame" in f.url)
    labels = frame.evaluate(
        "() => window.workshopMap.network.body.data.nodes.get().map(n => n.label)"
    )
    for name in names:
        assert name in labels, f"{name!r} is not a map label"
    frame.fill("#search", "window.__x")
    found = frame.locator("#matches button").all_inner_texts()
    assert sorted(found) == sorted(n for n in names if "window.__x" in n)
    frame.fill("#search", "7*7")
    found = frame.locator("#matches button").all_inner_texts()
    assert found == [n for n in names if "7*7" in n]
    frame.locator("#matches button").first.click()
    frame.wait_for_selector("#profile h2")
    assert frame.inner_text("#profile h2") == found[0]
    assert frame.locator("#profile img, #profile svg, #profile script").count() == 0
    state = frame.evaluate(
        "() => [typeof window.__x, document.querySelectorAll('img[src=x]').length]"
    )
    assert state == ["undefined", 0]


@pytest.fixture
def workshop(tmp_path):
    """`workshop serve` (participants on 127.0.0.2; dashboard and presenter view on
    127.0.0.1), with a hostile organiser and open answers shown to the group."""
    data = tmp_path / "data"
    args = ("--expected", "2", "--organiser", f"{NOELLE} {SCRIPT}")
    with WorkshopServe(data, host="127.0.0.2", args=args) as serve:
        store = Store.open(f"sqlite:///{data / 'workshop.db'}")
        session = store.get_session(serve.code)
        store.update_session(session.id, free_text_visible=True)
        yield serve, session, data / "workshop.db", store
        store.close()


def test_hostile_texts_stay_text_everywhere(workshop, open_page):
    """Are pseudonyms, open answers and map additions full of script, markup, templates,
    direction tricks and diacritics shown as exactly that text on every phone, the map and
    the presenter view, with nothing executed and nothing fetched from elsewhere?"""
    serve, session, db, store = workshop
    base, code = f"http://127.0.0.2:{serve.port}", session.code
    presenter = f"{serve.dashboard_url}presenter"

    # The first participant: a far too long pseudonym refused, a hostile one taken.
    first, first_recorder = _join(open_page, base, code, FIRST, check_long=True)
    first.goto(exercise_url(base, code, "behoeften"))
    _add_needs(first, NEEDS_FIRST, check_long=True)
    inspect(first, first_recorder, "first: needs")
    first.goto(exercise_url(base, code, "stakeholders"))
    _add_organisations(first, ORGS_FIRST, check_long=True)
    own = form(first, "aanvullen").locator(".own-texts li > .own-item")
    assert _texts(own) == ORGS_FIRST

    # The second sees the first one's texts arrive, adds their own, votes on one.
    second, second_recorder = _join(open_page, base, code, SECOND)
    second.goto(exercise_url(base, code, "behoeften"))
    group = second.locator("[data-block=needs] .group-layer li bdi")
    expect(group).to_have_count(len(NEEDS_FIRST))
    assert _texts(group) == NEEDS_FIRST
    _add_needs(second, NEEDS_SECOND)
    expect(group).to_have_count(6)
    assert sorted(_texts(group)) == sorted(NEEDS_FIRST + NEEDS_SECOND)
    second.reload()  # the dot vote offers every text as an option, as text
    labels = _texts(form(second, "votes").locator(".dot-label bdi"))
    for need in NEEDS_FIRST + NEEDS_SECOND:
        assert need in labels, f"{need!r} is not an option to vote on"
    with saved(second, "votes"):
        form(second, "votes").get_by_role("button", name=f"Een stip meer: {JINJA}").click()
    ranking = second.locator("[data-block=votes] .group-layer").text_content()
    for need in NEEDS_FIRST + NEEDS_SECOND:
        assert need in ranking, f"{need!r} is not in the dot vote's ranking"
    inspect(second, second_recorder, "second: needs")
    screenshot(second, "hostile-participant-needs-390")

    second.goto(exercise_url(base, code, "stakeholders"))
    _add_organisations(second, ORGS_SECOND)
    relation = form(second, "aanvullen")
    for n, (source, target) in enumerate(RELATIONS_SECOND, len(ORGS_SECOND) + 1):
        with saved(second, "aanvullen"):
            _choose(relation.get_by_label("Van"), source)
            _choose(relation.get_by_label("Naar"), target)
            relation.get_by_role("button", name="Toevoegen").last.click()
        expect(relation.locator(".own-texts li")).to_have_count(n)
    assert _texts(relation.locator(".own-texts li > .own-item")) == ORGS_SECOND + [
        f"{a} {RELATION} {b}" for a, b in RELATIONS_SECOND
    ]
    additions = second.locator("[data-block=aanvullen] .group-layer li")
    expect(additions).to_have_count(len(ORGS_FIRST) + len(ORGS_SECOND) + len(RELATIONS_SECOND))
    assert _texts(additions) == ORGS_FIRST + ORGS_SECOND + [
        f"{a} {RELATION} {b}" for a, b in RELATIONS_SECOND
    ]
    # An unclosed override in a name stays inside that name (<bdi>): the rest of the
    # relation's sentence and the next name read left to right.
    _reads_left_to_right(second, "[data-block=aanvullen] .group-layer li", RELATION)
    _reads_left_to_right(second, "[data-block=aanvullen] .group-layer li", JS_URL[:5])
    _reads_left_to_right(second, "form[data-q=aanvullen] .own-texts li", JS_URL[:5])
    inspect(second, second_recorder, "second: additions")
    screenshot(second, "hostile-participant-stakeholders-390")

    # The first participant's own list is as typed; the group's needs arrived as text.
    first.goto(exercise_url(base, code, "behoeften"))
    assert _texts(form(first, "needs").locator(".own-texts li > bdi")) == NEEDS_FIRST
    inspect(first, first_recorder, "first: needs again")
    first.goto(f"{base}/s/{code}/map")
    _check_map(first, ORGS_FIRST + ORGS_SECOND)
    inspect(first, first_recorder, "first: map")

    # The projector: every shown text as text, no pseudonym.
    screen, screen_recorder = open_page(1600, 900)
    store.update_room(session.id, current="behoeften")
    screen.goto(presenter)
    titles = {e.id: e.title("nl") for e in default_exercises()}
    for exercise, wanted in (
        ("behoeften", NEEDS_FIRST + NEEDS_SECOND),
        ("stakeholders", ORGS_FIRST + ORGS_SECOND),
    ):
        store.update_room(session.id, current=exercise)  # the screen follows the room
        expect(screen.locator("h1")).to_have_text(titles[exercise])
        blocks = screen.locator(".presenter-results")
        expect(blocks).to_contain_text(wanted[0])
        shown = blocks.text_content()
        for text in wanted:
            assert text in shown, f"presenter, {exercise}: {text!r} not shown as text"
        assert FIRST not in shown and SECOND not in shown  # no pseudonyms
        inspect(screen, screen_recorder, f"presenter: {exercise}")
        screenshot(screen, f"hostile-presenter-{exercise}-1600")

    # The facilitator's dashboard: the texts with their authors' pseudonyms, as text.
    dashboard, dash_recorder = open_page(1400, 1000)
    dashboard.goto(serve.dashboard_url)
    dashboard.wait_for_selector(".workshop-dashboard", timeout=120_000)
    for title, wanted in (
        ("Welke ondersteuning heb je nodig?", NEEDS_FIRST + NEEDS_SECOND),
        ("Wie doet ertoe voor jouw informatiemanagement?", ORGS_FIRST + ORGS_SECOND),
    ):
        dashboard.locator(".widget-toggle-button", has_text=title).click()
        moderation = dashboard.locator(".workshop-moderate")
        expect(moderation.first).to_be_visible()
        expect(moderation).to_have_count(
            len(wanted) + (len(RELATIONS_SECOND) if "ertoe" in title else 0)
        )
        shown = dashboard.locator(".workshop-dashboard").text_content()
        for text in wanted + [FIRST, SECOND, NOELLE, COOP]:
            assert text in shown, f"dashboard, {title}: {text!r} not shown as text"
        inspect(dashboard, dash_recorder, f"dashboard: {title}")
        if "ertoe" in title:  # an unclosed override stays inside its name: the author after it
            _reads_left_to_right(dashboard, ".widget-html-content", f"— {SECOND[:4]}")
    screenshot(dashboard, "hostile-dashboard-1400")

    # Stored exactly as typed (NFC text; direction and zero-width characters kept).
    people = {p for p, *_ in rows(db)}
    assert people == {FIRST, SECOND}
    texts = [v["text"] for _, _, item, v in rows(db, "behoeften") if item.startswith("needs:")]
    assert sorted(texts) == sorted(NEEDS_FIRST + NEEDS_SECOND)
    names = [p["name"] for _, kind, p in contributions(db) if kind == "organisation"]
    assert names == ORGS_FIRST + ORGS_SECOND
    assert not any(len(t) > 200 for t in texts + names)  # the long ones were refused
    for page, recorder, where in (
        (first, first_recorder, "first"),
        (second, second_recorder, "second"),
        (screen, screen_recorder, "presenter"),
        (dashboard, dash_recorder, "dashboard"),
    ):
        inspect(page, recorder, f"{where}: at the end")
