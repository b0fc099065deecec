"""The map explorer in a real browser: renders, filters, profiles, escapes, stays offline."""

from __future__ import annotations

import csv

import pytest

from tests.browser.conftest import screenshot
from tests.support.servers import VoilaServer

pytestmark = [pytest.mark.browser, pytest.mark.server]

HOSTILE = "<img src=x onerror=window.__x=1>"


def _add_hostile_organisation(root):
    orgs = root / "datasets" / "stakeholders" / "organisations.csv"
    rels = root / "datasets" / "stakeholders" / "relations.csv"
    with orgs.open("a", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerow(
            [
                "hostile",
                HOSTILE,
                "network",
                "po;vo",
                '"><svg onload=window.__x=2>',
                "</script><script>window.__x=3</script>",
                "https://example.org/",
                "https://example.org/source",
            ]
        )
    with rels.open("a", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerow(
            [
                "hostile",
                "kennisnet",
                "collaborates_with",
                "",
                "<b onmouseover=x>",
                "https://example.org/source",
                "low",
            ]
        )


@pytest.fixture
def explorer(content_root, tmp_path):
    _add_hostile_organisation(content_root)
    with VoilaServer(
        {"/map": "explorer.ipynb"}, tmp_path, env={"WORKSHOP_CONTENT": str(content_root)}
    ) as server:
        yield server


def _map_frame(page):
    page.wait_for_selector("iframe.workshop-map", state="attached")
    frame = page.frame_locator("iframe.workshop-map")
    frame.locator("body[data-ready='1']").wait_for()
    return next(f for f in page.frames if f != page.main_frame and "PAYLOAD" in f.content())


def _node_count(frame) -> int:
    return frame.evaluate("window.workshopMap.network.body.data.nodes.length")


def test_explorer_filters_profiles_escapes_and_stays_offline(explorer, open_page):
    """Does the explorer render, filter, show a profile on click, show a hostile name as
    text only, and request nothing from another host?"""
    page, recorder = open_page(1280, 900)
    page.goto(f"{explorer.url}/map")
    frame = _map_frame(page)
    everything = _node_count(frame)
    assert everything >= 36  # the shipped organisations plus the hostile one

    # A filter changes the map: only mbo organisations (and sector-less ones) remain.
    page.get_by_label("Sector", exact=True).select_option(label="middelbaar beroepsonderwijs")
    page.wait_for_function(
        "n => { const f = document.querySelector('iframe.workshop-map');"
        " return f && f.srcdoc.includes('mbo-raad') && !f.srcdoc.includes('po-raad'); }",
        arg=everything,
        timeout=60_000,
    )
    frame = _map_frame(page)
    filtered = _node_count(frame)
    assert 0 < filtered < everything

    # Back to everything; clicking a node opens its profile panel.
    page.get_by_label("Sector", exact=True).select_option(label="Alle")
    page.wait_for_function(
        "() => document.querySelector('iframe.workshop-map').srcdoc.includes('po-raad')"
    )
    frame = _map_frame(page)
    point = frame.evaluate(
        "() => { const n = window.workshopMap.network; const p = n.getPositions(['kennisnet'])"
        "['kennisnet']; const d = n.canvasToDOM(p);"
        " const r = document.getElementById('map').getBoundingClientRect();"
        " return {x: d.x + r.left, y: d.y + r.top}; }"
    )
    box = page.locator("iframe.workshop-map").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    frame.wait_for_selector("#profile.open")
    profile = frame.inner_text("#profile")
    assert "Kennisnet" in profile and "Relaties" in profile
    screenshot(page, "explorer-profile-1280")

    # The hostile organisation: found by search, shown as text, nothing executes.
    frame.fill("#search", "img src")
    frame.click("#matches button")
    frame.wait_for_selector("#profile.open h2")
    assert frame.inner_text("#profile h2") == HOSTILE
    assert '"><svg onload=window.__x=2>' in frame.inner_text("#profile")  # description as text
    assert frame.evaluate("() => window.__x") is None
    assert page.evaluate("() => window.__x") is None
    assert frame.locator("#profile img, #profile svg").count() == 0
    link = frame.locator("#profile a").first.get_attribute("href")
    assert link.startswith("https://")

    # Dutch by default, English on request.
    page.locator(".widget-toggle-button", has_text="EN").click()
    page.wait_for_selector("text=Network explorer")

    assert recorder.blocked == [], f"requests to other hosts: {recorder.blocked}"
    assert all(
        r.startswith(explorer.url) or r.startswith(("data:", "about:", "blob:"))
        for r in recorder.requests
    )


def test_explorer_fits_a_phone(explorer, open_page):
    """Does the explorer render on a 390-px phone without horizontal scrolling?"""
    page, recorder = open_page(390, 844)
    page.goto(f"{explorer.url}/map")
    _map_frame(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, "explorer-phone-390")
    assert width <= 390
    assert recorder.blocked == []
