"""The workshop report opened in Chromium: entirely in the session's language (Dutch by
default, English on request, no heading of the other language), every section there, made
again after `workshop purge` from the kept results, and laid out for print (the map swapped
for the list of additions, charts kept whole, each exercise on a new page)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS
from toolkit.after.demo import fill_demo_session
from toolkit.cli import main as workshop
from toolkit.exercises.loader import default_exercises
from toolkit.i18n import t
from toolkit.i18n.report import REPORT
from toolkit.questions.typed_text import need_key
from toolkit.store import Store

pytestmark = pytest.mark.browser

NEED = f"Een gezamenlijke inkoop van leermiddelen {uuid.uuid4().hex[:6]}"
HEADINGS = (
    "rep_did",
    "rep_glance",
    "rep_outcome",
    "rep_chart",
    "rep_discussion",
    "rep_findings",
    "rep_data",
    "rep_additions",
    "rep_needs",
    "r_map",
)
OTHER = {"nl": "en", "en": "nl"}


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """Reports of one session: Dutch (its language) and English, then Dutch after purge."""
    folder = tmp_path_factory.mktemp("report")
    url = f"sqlite:///{folder / 'workshop.db'}"
    store = Store.open(url)
    code = store.create_session("Bestuurdersoverleg <regio Noord>", organiser="Netwerk IM").code
    fill_demo_session(store, code, participants=8)
    writer, _ = store.join(code, "Schrijvende Specht")
    store.save_answer(writer, "behoeften", f"needs:{uuid.uuid4().hex[:12]}", {"text": NEED})
    store.save_answer(writer, "behoeften", "votes", {need_key(NEED): 3})
    store.close()
    out = {}
    with pytest.MonkeyPatch.context() as env:
        env.setenv("WORKSHOP_DB", url)
        env.setenv("WORKSHOP_DATA", str(folder))
        for name, extra in (("nl", []), ("en", ["--lang", "en"])):
            out[name] = folder / f"report-{name}.html"
            assert workshop(["report", code, "-o", str(out[name]), *extra]) == 0
        assert workshop(["purge", code, "--yes"]) == 0
        out["purged"] = folder / "report-purged.html"
        assert workshop(["report", code, "-o", str(out["purged"])]) == 0
    return out


def open_report(browser, path: Path):
    """A page with the report, every request outside the file blocked and remembered."""
    context = browser.new_context(viewport={"width": 1240, "height": 1754})
    blocked = []

    def route(request_route):
        url = request_route.request.url
        if url.startswith(("file:", "data:", "about:", "blob:")):
            request_route.continue_()
        else:
            blocked.append(url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(path.as_uri())
    page.wait_for_selector("section.report-data")
    return context, page, blocked


def headings(page) -> list[str]:
    return [
        " ".join(x.split())
        for x in page.locator("h1, h2, h3, h4, figcaption, th").all_inner_texts()
    ]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_report_is_in_one_language(browser, reports, lang):
    """Is the report (Dutch by default, English with --lang en) written in that language
    only: its headings, exercise titles and chart labels, with none of the other
    language's headings and no leftover English notebook headings in the Dutch one?"""
    context, page, blocked = open_report(browser, reports[lang])
    try:
        assert page.evaluate("document.documentElement.lang") == lang
        assert page.title() == f"{t('rep_title', lang)}: Bestuurdersoverleg <regio Noord>"
        shown = headings(page)
        text = page.inner_text("body")
        for key in HEADINGS:
            assert t(key, lang) in shown, (lang, key)
        other = OTHER[lang]
        for key, entry in REPORT.items():
            if key.startswith("rep_") and entry[other] != entry[lang]:
                assert entry[other] not in shown, (lang, key, entry[other])
        for number, exercise in enumerate(default_exercises(), 1):  # numbered from 1 on
            assert f"{number}. {exercise.title(lang)}" in shown
            assert exercise.title(other) not in text
            for question in exercise.discussion:
                assert question(lang) in text and question(other) not in text
        if lang == "nl":
            for english in (
                "Results per exercise",
                "Summary",
                "What's next",
                "Workshop report",
                "03_workshop_results",
                "target level",
                "group (n =",
            ):
                assert english not in text, english
            assert "streefniveau" in text and "groep (n = " in text
        else:
            for dutch in (
                "Resultaten per oefening",
                "Samenvatting",
                "streefniveau",
                "groep (n",
                "Vragen voor het gesprek",
                "deelnemers",
            ):
                assert dutch not in text, dutch
            assert "target level" in text and "group (n = " in text
        assert "Bestuurdersoverleg <regio Noord>" in page.inner_text("h1")
        assert blocked == [], blocked
    finally:
        context.close()


def test_every_section_is_there_with_the_needs_and_their_votes(browser, reports):
    """Does the Dutch report say what the group did, give each exercise's outcome, list the
    needs written with their dots, the gaps and risks, the map with its additions, and how
    the data was handled, with no pseudonym anywhere?"""
    context, page, _blocked = open_report(browser, reports["nl"])
    try:
        glance = page.locator("table.report-glance tbody tr")
        assert glance.count() == len(default_exercises())
        intro = f"9 deelnemers werkten samen aan {len(default_exercises())} oefeningen"
        assert intro in page.inner_text(".report-intro")
        need = page.locator("table.report-needs tr", has_text=NEED)
        assert need.count() == 1
        cells = need.locator("td").all_inner_texts()
        assert cells[1:] == ["3", "1", "opgeschreven in de sessie"]
        assert page.locator("section.report-findings li").count() >= 3
        additions = page.locator(".report-additions li").all_inner_texts()
        assert "Regionaal netwerk 1" in additions
        assert "Regionaal netwerk 1 werkt samen met Kennisnet" in additions
        assert page.locator("iframe.workshop-map").count() == 1
        data = page.inner_text("section.report-data")
        assert "workshop purge" in data and "schuilnaam" in data
        text = page.inner_text("body")
        assert "Deelnemer 1" not in text and "Schrijvende Specht" not in text
        asked = sum(len(e.discussion) for e in default_exercises())
        assert asked >= 3 * len(default_exercises())
        assert page.locator("section.report-exercise .report-discussion li").count() == asked
    finally:
        context.close()


def test_after_purge_the_report_is_made_from_the_kept_results(browser, reports):
    """Made again after `workshop purge`, does the report show the same outcomes and needs
    with their votes, the map's additions, and say that the individual answers are gone?"""
    before_context, before, _ = open_report(browser, reports["nl"])
    after_context, after, _ = open_report(browser, reports["purged"])
    try:
        scan = next(e for e in default_exercises() if e.id == "bestuurstafel").title("nl")

        def outcome(page) -> str:
            row = page.locator("table.report-glance tbody tr", has_text=scan)
            return row.locator("td").nth(1).inner_text()

        assert outcome(after) == outcome(before)  # the radar's means
        assert outcome(after).startswith("Gemiddelden: Visie")
        assert after.locator("table.report-needs tr", has_text=NEED).count() == 1
        assert "Regionaal netwerk 1" in after.locator(".report-additions li").all_inner_texts()
        data = after.inner_text("section.report-data")
        assert "zijn de schuilnamen, de persoonlijke sleutels en de losse antwoorden" in data
        assert "verwijderd" in data
        assert "losse teksten zijn verwijderd" in after.inner_text("body")
    finally:
        before_context.close()
        after_context.close()


def test_the_report_prints_without_cut_charts(browser, reports, tmp_path):
    """Printed, is the map replaced by its note and list, each exercise started on a new
    page, every chart kept whole (break-inside: avoid) and the lab template's rule that
    keeps a whole output together lifted; and does Chromium make an A4 PDF of it?"""
    context, page, _blocked = open_report(browser, reports["nl"])
    try:
        page.emulate_media(media="print")
        style = page.evaluate(
            """() => {
              const css = (el, p) => getComputedStyle(el).getPropertyValue(p);
              return {
                map: css(document.querySelector('.workshop-map-wrap'), 'display'),
                note: css(document.querySelector('.report-map .print-only'), 'display'),
                starts: [...document.querySelectorAll('section.report-exercise')]
                  .map(s => css(s, 'break-before')),
                charts: [...document.querySelectorAll('.report-chart svg')]
                  .map(s => css(s, 'break-inside')),
                kept: [...document.querySelectorAll('.report-chart.keep')]
                  .map(s => css(s, 'break-inside')),
                outputs: [...document.querySelectorAll('.jp-OutputArea-child')]
                  .map(s => css(s, 'break-inside')),
                rows: [...document.querySelectorAll('table.report-needs tr')]
                  .map(s => css(s, 'break-inside')),
              };
            }"""
        )
        assert style["map"] == "none" and style["note"] == "block"
        assert style["starts"] == ["page"] * len(default_exercises())
        # the drawn charts: the word cloud, the two self-scans' radars, the power/interest grid
        assert style["charts"] == ["avoid"] * 4 and style["kept"] == ["avoid"] * 4
        assert set(style["outputs"]) == {"auto"}
        assert set(style["rows"]) == {"avoid"}
        _print_pages(page, "report-nl")
        pdf = tmp_path / "report.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
        assert len(default_exercises()) + 3 <= pages <= 40
    finally:
        context.close()


A4 = {"width": 794, "height": 1123}  # CSS pixels of an A4 page at 96 dpi


def _print_pages(page, name: str) -> None:
    """Save the report's first two printed pages for a human to look at: what comes before
    the first exercise (page 1, as the first exercise starts a new page) and the first
    exercise's page, each as an A4 sheet of the print layout."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(A4)
    page.screenshot(path=str(ARTIFACTS / f"{name}-page1.png"), clip={"x": 0, "y": 0, **A4})
    top = page.evaluate(
        "() => document.querySelector('section.report-exercise').getBoundingClientRect().top"
        " + window.scrollY"
    )
    page.screenshot(
        path=str(ARTIFACTS / f"{name}-page2.png"),
        clip={"x": 0, "y": top, **A4},
        full_page=True,
    )
