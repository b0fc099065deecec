"""Hostile texts after the workshop: `workshop export` (xlsx, csv, json) and `workshop report`.

A session is filled through the Store API with texts that try to run script or inject markup
or templates, that would run as spreadsheet formulas, and with direction marks, zero-width
characters and Dutch diacritics. Spreadsheets must hold them as inert text, JSON must hold
them exactly, and the report must show them as text, load nothing from another host and run
nothing when opened in a browser."""

from __future__ import annotations

import concurrent.futures
import csv
import json
import re
import uuid
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.support.hostile import (
    COOP,
    IMG,
    JINJA,
    JS_URL,
    LONG,
    NOELLE,
    PAYLOADS,
    RTL,
    SCRIPT,
    SVG,
    TEMPLATE,
    ZERO_WIDTH,
)
from toolkit.cli import main as workshop
from toolkit.questions.typed_text import need_key
from toolkit.store import Store

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)"]
EVERYTHING = PAYLOADS + FORMULAS
RISKY = ("=", "+", "-", "@")

# One participant per pseudonym; each writes one need and adds one organisation.
PSEUDONYMS = [SCRIPT, IMG, SVG, JINJA, TEMPLATE, f"{RTL} {ZERO_WIDTH}", NOELLE, *FORMULAS]
NEEDS = EVERYTHING + [f"{NOELLE} wil één {COOP}"]
ORGANISATIONS = [p for p in EVERYTHING if p != LONG] + [f"{COOP} {NOELLE}"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A session full of hostile texts; yields (store url, code, folder)."""
    folder = tmp_path_factory.mktemp("hostile")
    url = f"sqlite:///{folder / 'workshop.db'}"
    store = Store.open(url)
    session = store.create_session(
        "Vijandige teksten", organiser="Testorganisator", exercises=["behoeften", "stakeholders"]
    )
    store.update_session(session.id, free_text_visible=True)
    people = [store.join(session.code, name)[0] for name in PSEUDONYMS]
    for i, text in enumerate(NEEDS):
        person = people[i % len(people)]
        store.save_answer(person, "behoeften", f"needs:{uuid.uuid4().hex[:12]}", {"text": text})
    for i, person in enumerate(people):  # everyone votes on some of the group's needs
        votes = {need_key(NEEDS[(i + k) % len(NEEDS)]): 1 for k in range(3)}
        store.save_answer(person, "behoeften", "votes", votes)
    ids = []
    for i, name in enumerate(ORGANISATIONS):
        org_id = f"c-{uuid.uuid4().hex[:12]}"
        ids.append(org_id)
        store.add_contribution(
            people[i % len(people)],
            uuid.uuid4().hex,
            "organisation",
            {"id": org_id, "name": name, "type": "network", "sectors": ["po"]},
        )
    store.add_contribution(
        people[0],
        uuid.uuid4().hex,
        "relation",
        {"source": ids[0], "target": ids[1], "relation": "collaborates_with"},
    )
    store.add_contribution(
        people[1],
        uuid.uuid4().hex,
        "relation",
        {"source": ids[2], "target": "kennisnet", "relation": "member_of"},
    )
    store.close()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("WORKSHOP_DB", url)
        env.setenv("WORKSHOP_DATA", str(folder))
        yield url, session.code, folder


def _export(hostile, fmt: str, target: Path) -> None:
    _url, code, _folder = hostile
    assert workshop(["export", code, "--format", fmt, "-o", str(target)]) == 0


def _check_cells(values: list[str], where: str) -> None:
    """Every text cell is inert (no leading = + - @) and every hostile text is there."""
    for value in values:
        assert not value.startswith(RISKY), f"{where}: {value[:60]!r} would run as a formula"
    for formula in FORMULAS:
        assert "'" + formula in values, f"{where}: {formula!r} not kept as quoted text"
    for text in (SCRIPT, IMG, JS_URL, SVG, JINJA, TEMPLATE, LONG, NOELLE, COOP, RTL, ZERO_WIDTH):
        assert text in values, f"{where}: {text[:60]!r} not kept unchanged"
    joined = "\n".join(values)
    assert f"{NOELLE} wil één {COOP}" in joined and f"{COOP} {NOELLE}" in joined


def test_xlsx_holds_no_formula(hostile, tmp_path):
    """Does the xlsx export keep every hostile text as plain, unchanged text, with no cell
    that a spreadsheet would run as a formula?"""
    from openpyxl import load_workbook

    target = tmp_path / "results.xlsx"
    _export(hostile, "xlsx", target)
    workbook = load_workbook(target)
    values = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    values.append(cell.value)
    _check_cells(values, "xlsx")
    names = [c.value for c in workbook["Kaart aanvullingen"]["C"][1:]]
    assert "'" + FORMULAS[0] in names and f"{COOP} {NOELLE}" in names
    people = [c.value for c in workbook["Deelnemers"]["A"][1:]]
    assert sorted(people) == sorted(("'" + p) if p.startswith(RISKY) else p for p in PSEUDONYMS)


def test_csv_holds_no_formula(hostile, tmp_path):
    """Is every CSV file of the export free of formulas, with every text unchanged?"""
    folder = tmp_path / "csv"
    _export(hostile, "csv", folder)
    files = sorted(folder.glob("*.csv"))
    assert {f.stem for f in files} >= {"behoeften", "contributions", "participants"}
    values = []
    for path in files:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
        for cell in (cell for row in rows for cell in row):  # the header too: needs name
            assert not cell.startswith(RISKY), f"{path.name}: {cell[:60]!r} is a formula"
        values += [cell for row in rows[1:] for cell in row]
    _check_cells(values, "csv")


def test_json_round_trips_exactly(hostile, tmp_path):
    """Does the JSON export give back every text exactly as it was written?"""
    target = tmp_path / "results.json"
    _export(hostile, "json", target)
    data = json.loads(target.read_text(encoding="utf-8"))
    tables = data["tables"]
    raw = [a["value"]["text"] for a in data["answers"] if a["question"] == "needs"]
    assert sorted(raw) == sorted(NEEDS)
    assert sorted(r["Tekst"] for r in tables["texts"]["rows"]) == sorted(NEEDS)
    people = [r["Deelnemer"] for r in tables["participants"]["rows"]]
    assert sorted(people) == sorted(PSEUDONYMS)
    organisations = [r for r in tables["contributions"]["rows"] if r["Soort"] == "organisatie"]
    assert [r["Aanvulling"] for r in organisations] == ORGANISATIONS
    assert {r["Deelnemer"] for r in tables["contributions"]["rows"]} <= set(PSEUDONYMS)
    labels = [c["label"] for c in tables["behoeften"]["columns"]]
    for need in NEEDS:  # a need others could vote on is a column, named exactly
        assert need in labels


class _Markup(HTMLParser):
    """Collects what a browser would make of a document: elements, attributes, scripts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self.srcdocs: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            value = value or ""
            if name.startswith("on") and "__x" in value:
                self.problems.append(f"<{tag} {name}>")
            if name in (
                "href",
                "src",
                "action",
                "formaction",
                "xlink:href",
            ) and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:>")
        if tag == "img" and attrs.get("src") == "x":
            self.problems.append("<img src=x>")
        if tag == "iframe" and attrs.get("srcdoc"):
            self.srcdocs.append(attrs["srcdoc"])
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            if re.match(r"\s*window\.__x\s*=", data):
                self.problems.append("<script> from a text")
        else:
            self.text.append(data)


def _markup(document: str) -> _Markup:
    parser = _Markup()
    parser.feed(document)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def report(hostile, tmp_path_factory) -> Path:
    from toolkit.after.report import build_report

    url, code, _folder = hostile
    return build_report(code, tmp_path_factory.mktemp("report") / "report.html", db_url=url)


def test_report_shows_texts_as_text(report):
    """Does the report show every hostile text escaped, as text, with nothing loaded from
    another host, templates left literal and diacritics intact (also inside the map)?"""
    document = report.read_text(encoding="utf-8")
    assert "<script>window.__x" not in document
    assert "&lt;script&gt;window.__x=1&lt;/script&gt;" in document
    assert "<img src=x" not in document and "<svg onload" not in document
    outside = re.findall(r"(?:src|href)=[\"']https?://[^\"']*", document)
    assert outside == [], f"the report refers to another host: {outside[:5]}"
    page = _markup(document)
    assert page.problems == [], page.problems
    text = "".join(page.text)
    for wanted in (
        SCRIPT,
        IMG,
        JS_URL,
        SVG,
        JINJA,
        TEMPLATE,
        NOELLE,
        COOP,
        f"{NOELLE} wil één {COOP}",
        *FORMULAS,
    ):
        assert wanted in text, f"{wanted!r} not shown as text in the report"
    assert len(page.srcdocs) == 1, "expected one map"
    inner = page.srcdocs[0]
    assert not re.findall(r"(?:src|href)=[\"']https?://", inner)
    frame = _markup(inner)
    assert frame.problems == [], frame.problems
    assert "<script>window.__x" not in inner and "<img src=x" not in inner
    names = json.loads(re.search(r"const PAYLOAD = (.*?);\n", inner).group(1))
    labels = [n["label"] for n in names["nodes"]]
    for name in ORGANISATIONS:
        assert name in labels, f"{name!r} not a map label"


@pytest.mark.browser
def test_report_runs_nothing_in_a_browser(report):
    """Opened from disk in Chromium with other hosts blocked: does no text run as script,
    in the page or in its map?"""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import ARGS, CHROMIUM

    blocked = []

    def route(request_route):
        url = request_route.request.url
        if url.startswith(("file:", "data:", "about:", "blob:")):
            request_route.continue_()
        else:
            blocked.append(url)
            request_route.abort()

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}")

    def run():
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            try:
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.route("**/*", route)
                page = context.new_page()
                page.set_default_timeout(60_000)
                page.goto(report.as_uri())
                page.wait_for_selector("iframe.workshop-map", state="attached")
                # Chromium draws an off-screen cross-origin frame only once it is scrolled to.
                page.locator("iframe.workshop-map").scroll_into_view_if_needed()
                page.frame_locator("iframe.workshop-map").locator("body[data-ready='1']").wait_for()
                frames = page.frames
                assert len(frames) == 2
                for frame in frames:
                    state = frame.evaluate(
                        "() => ({x: typeof window.__x, "
                        "bad: document.querySelectorAll('img[src=\"x\"], [onerror], [onload]')"
                        ".length, text: document.body.innerText})"
                    )
                    assert state["x"] == "undefined", f"a text ran as script in {frame.url[:60]}"
                    assert state["bad"] == 0, f"markup from a text in {frame.url[:60]}"
                text = page.inner_text("body")
                for wanted in (SCRIPT, IMG, SVG, JINJA, NOELLE, COOP):
                    assert wanted in text
                map_frame = next(f for f in frames if f != page.main_frame)
                map_frame.fill("#search", "window.__x")
                shown = map_frame.locator("#matches button").all_inner_texts()
                assert sorted(shown) == sorted(n for n in ORGANISATIONS if "window.__x" in n)
                assert map_frame.evaluate("() => typeof window.__x") == "undefined"
                assert blocked == [], f"the report asked other hosts: {blocked}"
            finally:
                browser.close()

    # In its own thread: a Playwright session of the browser tests may be running in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(run).result()
