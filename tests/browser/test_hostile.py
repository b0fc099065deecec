"""Hostile texts in a real workshop: pseudonyms, needs and map additions that try to run
script, inject markup or templates, or confuse direction, typed by participants into
`workshop serve` and then looked at everywhere they are shown (own lists, another
participant's group results and dot vote, the dashboard with its moderation and map, the
participant's map). Nothing may execute, no element may be created from a text, templates
stay literal, Dutch diacritics survive and no page asks another host for anything."""

from __future__ import annotations

import re

import pytest

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
from tests.support.servers import WorkshopServe
from toolkit.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.server]

# Beyond the list: a right-to-left override that is never closed must not turn the text
# after it around (a pseudonym after a need, the target of a relation).
OPEN_RTL = "\u202eRLO zonder einde"
# Participants' pseudonyms, needs (exercise 3) and organisations (exercise 4).
FIRST, SECOND = IMG, SVG
NEEDS_FIRST = [f"{SCRIPT} {NOELLE}", f"{IMG} {COOP}", JS_URL]
NEEDS_SECOND = [SVG, f"{JINJA} {TEMPLATE}", f"{RTL} {ZERO_WIDTH}"]
HIDDEN_NEED = NEEDS_FIRST[1]
ORGS_FIRST = [SCRIPT, f"{SVG} {NOELLE}", f"{JINJA} {TEMPLATE} {COOP} {RTL} {ZERO_WIDTH}", JS_URL]
ORGS_SECOND = [IMG, OPEN_RTL]
RELATIONS_SECOND = [(IMG, SCRIPT), (OPEN_RTL, JS_URL)]
NEEDS_TITLE = "Welke ondersteuning heb je nodig?"
STAKEHOLDERS_TITLE = "Wie doet ertoe voor jouw informatiemanagement?"

# Run in a page and in each of its frames: did anything from a text execute or become markup?
_INSPECT = r"""() => {
  const bad = [];
  for (const e of document.querySelectorAll('*')) {
    for (const a of e.attributes) {
      if (/^on/i.test(a.name) && a.value.includes('__x')) bad.push(`${e.tagName} ${a.name}`);
      if (/^(href|src|action|formaction|xlink:href)$/i.test(a.name)
          && /^\s*javascript:/i.test(a.value)) bad.push(`${e.tagName} ${a.name}=javascript:`);
    }
  }
  for (const s of document.querySelectorAll('script'))
    if (/^\s*window\.__x\s*=/.test(s.textContent)) bad.push('SCRIPT from a text');
  for (const i of document.querySelectorAll('img[src="x"], svg[onload], img[onerror]'))
    bad.push(`${i.tagName} from a text`);
  return {x: typeof window.__x, bad, text: document.body ? document.body.innerText : ''};
}"""


def _inspect(page, recorder, *, expect=(), where="") -> str:
    """Assert that the page and all its frames are clean; return their visible text."""
    texts = []
    for frame in page.frames:
        if frame.is_detached():
            continue
        state = frame.evaluate(_INSPECT)
        label = f"{where} {frame.url[:60]}"
        assert state["x"] == "undefined", f"a payload ran in {label}: window.__x set"
        assert state["bad"] == [], f"payload markup in {label}: {state['bad']}"
        texts.append(state["text"])
    assert recorder.blocked == [], f"{where}: requests to other hosts: {recorder.blocked}"
    assert not [u for u in recorder.requests if re.search(r"/x(\?|$)", u)], (
        f"{where}: an image from a text was requested"
    )
    text = "\n".join(texts)
    for wanted in expect:
        assert wanted in text, f"{where}: {wanted!r} not shown as text"
    return text


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


def _turned_around(page, selector: str, marker: str, within: str = OPEN_RTL) -> list[str]:
    """[] when ``marker`` reads left to right, else a line saying where it does not."""
    ok = page.evaluate(_LEFT_TO_RIGHT, [selector, marker, within])
    assert ok is not None, f"{marker!r} not found in {selector}"
    return (
        []
        if ok
        else [
            f"{marker!r} in {selector} is shown right to left: an unclosed "
            "direction override in the text before it is not isolated"
        ]
    )


def _reads_left_to_right(page, selector: str, marker: str, within: str = OPEN_RTL) -> None:
    problems = _turned_around(page, selector, marker, within)
    assert not problems, problems[0]


def _clean_texts(items) -> list[str]:
    return [s.replace("\xa0", " ") for s in items]


def _saved(question) -> None:
    question.locator(".workshop-status-ok").wait_for()


def _error(question, text: str) -> None:
    question.locator(".workshop-status-error", has_text=text).wait_for()


def _join(open_page, url: str, pseudonym: str, *, check_long: bool = False):
    page, recorder = open_page(1024, 900)
    page.goto(url)
    page.wait_for_selector(".workshop-join")
    field = page.locator(".workshop-join-screen input[type=text]")
    if check_long:
        field.fill(LONG)
        page.click(".workshop-join")
        page.locator(
            ".workshop-join-screen .workshop-error",
            has_text="Kies een schuilnaam van 2 tot 40 tekens",
        ).wait_for()
        assert page.locator(".workshop-overview").count() == 0
    field.fill(pseudonym)
    page.click(".workshop-join")
    page.wait_for_selector(".workshop-overview")
    _inspect(page, recorder, expect=[f"Welkom, {pseudonym}"], where="joined")
    return page, recorder


def _open_exercise(page, index: int) -> None:
    page.locator(".workshop-open-exercise").nth(index).click()
    page.wait_for_selector(".workshop-exercise")


def _back(page) -> None:
    page.get_by_role("button", name="← Overzicht").first.click()
    page.wait_for_selector(".workshop-overview")


def _add_needs(page, needs, *, check_long: bool = False) -> None:
    question = page.locator(".workshop-q-free_text")
    box = question.locator("textarea")
    if check_long:
        box.fill(LONG)
        question.get_by_role("button", name="Toevoegen").click()
        _error(question, "Te lang: 5000 tekens, maximaal 200")
    for n, need in enumerate(needs, 1):
        box.fill(need)
        question.get_by_role("button", name="Toevoegen").click()
        page.wait_for_function(
            "n => document.querySelectorAll('.workshop-own-text').length === n", arg=n
        )
    assert question.locator(".workshop-own-text").all_inner_texts() == list(needs)


def _add_organisations(page, names, *, check_long: bool = False) -> None:
    question = page.locator(".workshop-q-contribution")
    field = question.get_by_label("Naam")
    add = question.get_by_role("button", name="Toevoegen").first
    removes = question.get_by_role("button", name="Verwijderen")
    before = removes.count()
    if check_long:
        field.fill(LONG)
        add.click()
        _error(question, "Te lang: 5000 tekens, maximaal 80")
    for n, name in enumerate(names, before + 1):
        field.fill(name)
        add.click()
        page.wait_for_function(_REMOVE_BUTTONS, arg=n)


_REMOVE_BUTTONS = (
    "n => [...document.querySelectorAll('.workshop-q-contribution button')]"
    ".filter(b => b.textContent.trim() === 'Verwijderen').length === n"
)


def _select_by_text(select, text: str) -> None:
    options = _clean_texts(select.locator("option").all_inner_texts())
    select.select_option(index=options.index(text))


def _dot_options(page) -> list[str]:
    return _clean_texts(
        page.evaluate(
            "() => [...document.querySelectorAll('.workshop-q-dot_vote .workshop-dot-row')]"
            ".map(r => { const h = r.querySelectorAll('.widget-html'); "
            "return h[h.length - 1].innerText; })"
        )
    )


def _group_texts(page) -> list[str]:
    return page.locator(".workshop-results ul.workshop-texts li").all_inner_texts()


def _map_frame(page):
    page.wait_for_selector("iframe.workshop-map", state="attached")
    page.frame_locator("iframe.workshop-map").locator("body[data-ready='1']").wait_for()
    return next(f for f in page.frames if f != page.main_frame and "PAYLOAD" in f.content())


def _check_map(page, names: list[str], *, hover: str | None = None) -> None:
    """The map shows every name as a label, finds it by search and shows it in the profile,
    all as text."""
    frame = _map_frame(page)
    labels = frame.evaluate(
        "() => window.workshopMap.network.body.data.nodes.get().map(n => n.label)"
    )
    for name in names:
        assert name in labels, f"{name!r} is not a map label"
    frame.fill("#search", "window.__x")
    shown = frame.locator("#matches button").all_inner_texts()
    assert sorted(shown) == sorted(n for n in names if "window.__x" in n)
    frame.fill("#search", "7*7")
    shown = frame.locator("#matches button").all_inner_texts()
    assert shown == [n for n in names if "7*7" in n]
    frame.locator("#matches button").first.click()
    frame.wait_for_selector("#profile.open h2")
    assert frame.inner_text("#profile h2") == shown[0]
    assert frame.locator("#profile img, #profile svg, #profile script").count() == 0
    if hover:
        node = frame.evaluate(
            "name => window.workshopMap.network.body.data.nodes.get()"
            ".find(n => n.label === name).id",
            hover,
        )
        frame.evaluate("id => window.workshopMap.focusNode(id)", node)
        frame.wait_for_selector("#profile.open h2")
        assert frame.inner_text("#profile h2") == hover
        tip = _hover(page, frame, _NODE_POINT, node)
        assert tip.inner_text().startswith(hover)
        tags = tip.evaluate("t => [...t.querySelectorAll('*')].map(e => e.tagName)")
        assert set(tags) <= {"BR"}, f"markup in the tooltip: {tags}"  # innerText: \n -> <br>


_NODE_POINT = "id => window.workshopMap.network.getPositions([id])[id]"
_EDGE_POINT = (
    "([a, b]) => { const n = window.workshopMap.network;"
    " const e = Object.values(n.body.edges).find(e => e.fromId === a && e.toId === b);"
    " return e.edgeType.getPoint(0.5); }"
)


def _hover(page, frame, where: str, arg):
    """Move the mouse onto a point of the map (canvas coordinates from ``where``)."""
    page.mouse.move(1, 1)
    page.wait_for_timeout(300)
    point = frame.evaluate(
        f"arg => {{ const n = window.workshopMap.network; const p = ({where})(arg);"
        " const d = n.canvasToDOM(p);"
        " const r = document.getElementById('map').getBoundingClientRect();"
        " return {x: d.x + r.left, y: d.y + r.top}; }",
        arg,
    )
    box = page.locator("iframe.workshop-map").bounding_box()
    page.mouse.move(box["x"] + point["x"] + 1, box["y"] + point["y"] + 1)
    tip = frame.locator(".vis-tooltip")
    tip.wait_for(state="visible", timeout=10_000)
    return tip


def _check_map_directions(page) -> None:
    """An unclosed override in a name does not turn around the rest of a profile sentence,
    a node's tooltip or a relation's tooltip."""
    frame = _map_frame(page)
    ids = frame.evaluate(
        "names => names.map(name => window.workshopMap.network.body.data.nodes.get()"
        ".find(n => n.label === name).id)",
        [OPEN_RTL, JS_URL],
    )
    frame.evaluate("id => window.workshopMap.focusNode(id)", ids[0])
    frame.wait_for_selector("#profile.open h2")
    assert frame.inner_text("#profile h2") == OPEN_RTL
    _reads_left_to_right(frame, "#profile dd", "heeft 1")
    tip = _hover(page, frame, _NODE_POINT, ids[0])
    kind = tip.inner_text().split("\n")[-1]
    _reads_left_to_right(frame, ".vis-tooltip", kind)
    tip = _hover(page, frame, _EDGE_POINT, ids)
    assert JS_URL in tip.inner_text()
    _reads_left_to_right(frame, ".vis-tooltip", JS_URL[:5])


def test_hostile_texts_stay_text_everywhere(tmp_path, open_page):
    """Are pseudonyms, needs and map additions full of script, markup, templates, direction
    tricks and diacritics shown as exactly that text, everywhere, with nothing executed?"""
    data = tmp_path / "data"
    with WorkshopServe(
        data, host="127.0.0.2", args=("--expected", "2", "--organiser", f"{NOELLE} {COOP}")
    ) as serve:
        dashboard, dash_recorder = open_page(1400, 1000)
        dashboard.goto(serve.dashboard_url)
        dashboard.wait_for_selector(".workshop-dashboard")
        dashboard.get_by_label("Open antwoorden zichtbaar voor de groep").check()

        # First participant: a too-long pseudonym is refused, a hostile one accepted.
        first, first_recorder = _join(open_page, serve.join_url, FIRST, check_long=True)
        _inspect(first, first_recorder, expect=[FIRST], where="first: overview")
        _open_exercise(first, 2)
        _add_needs(first, NEEDS_FIRST, check_long=True)
        _back(first)
        _open_exercise(first, 3)
        _add_organisations(first, ORGS_FIRST, check_long=True)
        spans = first.locator(
            ".workshop-q-contribution .widget-html span:not([role=status])"
        ).all_inner_texts()
        assert spans == ORGS_FIRST
        _inspect(first, first_recorder, expect=ORGS_FIRST, where="first: additions")
        _back(first)

        # Second participant sees the first one's needs (free texts are visible), adds
        # needs, an organisation and a relation between two hostile names.
        second, second_recorder = _join(open_page, serve.join_url, SECOND)
        _open_exercise(second, 2)
        second.wait_for_function(
            "n => document.querySelectorAll('.workshop-results ul.workshop-texts li').length === n",
            arg=len(NEEDS_FIRST),
            timeout=20_000,
        )
        assert _group_texts(second) == NEEDS_FIRST
        _add_needs(second, NEEDS_SECOND)
        second.wait_for_function(
            "n => document.querySelectorAll('.workshop-q-dot_vote .workshop-dot-row').length === n",
            arg=4 + len(NEEDS_FIRST) + len(NEEDS_SECOND),
            timeout=20_000,
        )
        options = _dot_options(second)
        for need in NEEDS_FIRST + NEEDS_SECOND:
            assert need in options, f"{need!r} missing from the dot vote"
        votes = second.locator(".workshop-q-dot_vote")
        votes.locator(".workshop-dot-row", has_text=JINJA).get_by_role("button", name="+").click()
        _saved(votes)
        _inspect(
            second,
            second_recorder,
            expect=NEEDS_FIRST + NEEDS_SECOND + [NOELLE, COOP, JINJA, TEMPLATE],
            where="second: needs",
        )
        _back(second)
        _open_exercise(second, 3)
        _add_organisations(second, ORGS_SECOND)
        relation = second.locator(".workshop-q-contribution")
        for n, (source, target) in enumerate(RELATIONS_SECOND, len(ORGS_SECOND) + 1):
            _select_by_text(relation.get_by_label("Van"), source)
            _select_by_text(relation.get_by_label("Naar"), target)
            relation.get_by_role("button", name="Toevoegen").nth(1).click()
            second.wait_for_function(_REMOVE_BUTTONS, arg=n)
        additions = second.locator(".workshop-additions li")
        second.wait_for_function(
            "n => document.querySelectorAll('.workshop-additions li').length === n",
            arg=len(ORGS_FIRST) + len(ORGS_SECOND) + len(RELATIONS_SECOND),
            timeout=20_000,
        )
        assert additions.all_inner_texts() == ORGS_FIRST + ORGS_SECOND + [
            f"{a} → {b}" for a, b in RELATIONS_SECOND
        ]
        _inspect(
            second, second_recorder, expect=ORGS_FIRST + [NOELLE, COOP], where="second: additions"
        )

        # Dashboard: results, moderation (with pseudonyms), then hide one need.
        dashboard.locator(".widget-toggle-button", has_text=NEEDS_TITLE).click()
        moderate = dashboard.locator(".workshop-moderate")
        dashboard.wait_for_function(
            "n => document.querySelectorAll('.workshop-moderate').length === n",
            arg=len(NEEDS_FIRST) + len(NEEDS_SECOND),
            timeout=20_000,
        )
        text = _inspect(
            dashboard,
            dash_recorder,
            expect=NEEDS_FIRST + NEEDS_SECOND + [FIRST, SECOND, NOELLE, COOP],
            where="dashboard: needs",
        )
        assert f"{HIDDEN_NEED} — {FIRST}" in text
        screenshot(dashboard, "hostile-dashboard-moderation")
        row = dashboard.locator(".widget-hbox", has=moderate).filter(has_text=HIDDEN_NEED)
        row.locator(".workshop-moderate").click()
        row.get_by_text("(verborgen)").wait_for()
        assert row.locator(".workshop-moderate").inner_text() == "Tonen"

        # The hidden need leaves the second participant's group list and dot vote.
        _back(second)
        _open_exercise(second, 2)
        second.wait_for_function(
            "n => document.querySelectorAll('.workshop-q-dot_vote .workshop-dot-row').length === n",
            arg=4 + len(NEEDS_FIRST) + len(NEEDS_SECOND) - 1,
            timeout=20_000,
        )
        assert HIDDEN_NEED not in _dot_options(second)
        second.wait_for_function(
            "n => document.querySelectorAll('.workshop-results ul.workshop-texts li').length === n",
            arg=len(NEEDS_FIRST) + len(NEEDS_SECOND) - 1,
            timeout=20_000,
        )
        shown = _group_texts(second)
        assert HIDDEN_NEED not in shown
        assert sorted(shown) == sorted(t for t in NEEDS_FIRST + NEEDS_SECOND if t != HIDDEN_NEED)
        assert HIDDEN_NEED not in _inspect(second, second_recorder, where="second: after hide")

        # The author still sees their own list, as text.
        _open_exercise(first, 2)
        assert first.locator(".workshop-own-text").all_inner_texts() == NEEDS_FIRST
        _inspect(
            first,
            first_recorder,
            expect=NEEDS_FIRST + NEEDS_SECOND + [NOELLE, COOP],
            where="first: needs",
        )
        screenshot(first, "hostile-participant-needs")

        # Dashboard: the additions in moderation, then the map with every addition.
        dashboard.locator(".widget-toggle-button", has_text=STAKEHOLDERS_TITLE).click()
        dashboard.locator(".widget-hbox", has=moderate).filter(has_text=ORGS_FIRST[2]).wait_for(
            timeout=20_000
        )
        dashboard.wait_for_function(
            "n => document.querySelectorAll('.workshop-moderate').length === n",
            arg=len(ORGS_FIRST) + len(ORGS_SECOND) + len(RELATIONS_SECOND),
            timeout=20_000,
        )
        _inspect(
            dashboard,
            dash_recorder,
            expect=ORGS_FIRST + ORGS_SECOND + [FIRST, SECOND],
            where="dashboard: additions",
        )
        _reads_left_to_right(
            dashboard, ".workshop-dashboard .widget-html-content", f"— {SECOND[:4]}"
        )
        dashboard.locator(".widget-toggle-button", has_text="Netwerkkaart").click()
        _check_map(dashboard, ORGS_FIRST + ORGS_SECOND, hover=IMG)
        _check_map_directions(dashboard)
        _inspect(dashboard, dash_recorder, expect=[f"{COOP}"], where="dashboard: map")

        # The participant's map screen.
        _back(first)
        first.get_by_role("button", name="Netwerkkaart bekijken").click()
        first.wait_for_selector(".workshop-map-screen")
        _check_map(first, ORGS_FIRST + ORGS_SECOND)
        _inspect(first, first_recorder, expect=[COOP], where="first: map")

        # An unclosed override in an organisation's name stays inside that name.
        _back(second)
        _open_exercise(second, 3)
        second.locator(".workshop-additions li").last.wait_for()
        turned = _turned_around(second, ".workshop-additions li", f" → {JS_URL[:4]}")
        turned += _turned_around(second, ".workshop-q-contribution .widget-html span", JS_URL[:5])

        for page, recorder, where in (
            (dashboard, dash_recorder, "dashboard"),
            (first, first_recorder, "first"),
            (second, second_recorder, "second"),
        ):
            _inspect(page, recorder, where=f"{where}: at the end")

    # Stored exactly as typed (NFC text, direction and zero-width characters kept).
    store = Store.open(f"sqlite:///{data / 'workshop.db'}")
    try:
        session = store.get_session(serve.code)
        people = {p.pseudonym for p in store.answers(session.id)}
        assert people == {FIRST, SECOND}
        texts = [
            a.value["text"]
            for a in store.answers(session.id, exercise="behoeften")
            if a.item.startswith("needs:")
        ]
        assert sorted(texts) == sorted(NEEDS_FIRST + NEEDS_SECOND)
        names = [
            c.payload["name"] for c in store.contributions(session.id) if c.kind == "organisation"
        ]
        assert names == ORGS_FIRST + ORGS_SECOND
        assert not any(len(t) > 200 for t in texts + names)
    finally:
        store.close()
    assert not turned, "; ".join(turned)  # the participant app's relation texts
