"""Driving the participant pages in Chromium and reading what the store kept.

Every wait here waits on a condition: a response of the server, a class or text on the
page, the page's own queue of unsent answers. The store is read straight from the SQLite
file with the standard library, as another process would, not through the toolkit.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import expect

__all__ = [
    "PHONE",
    "join",
    "exercise_url",
    "form",
    "saved",
    "add_organisation",
    "submitted",
    "settled",
    "unsent",
    "no_side_scroll",
    "resume_link",
    "stored",
    "rows",
    "contributions",
    "INSPECT",
    "inspect",
]

PHONE = (390, 844)
SAVED = "✓ Opgeslagen"


def join(page, base: str, code: str, pseudonym: str | None = None) -> str:
    """Open the join screen, join (under ``pseudonym`` or the one suggested); return the
    pseudonym. Works with and without JavaScript (a plain form post)."""
    page.goto(f"{base}/s/{code}/")
    field = page.locator("#pseudonym")
    if pseudonym is not None:
        field.fill(pseudonym)
    name = field.input_value()
    page.get_by_role("button", name="Doe mee").click()
    page.wait_for_selector("main[data-screen]")
    return name


def exercise_url(base: str, code: str, exercise: str) -> str:
    return f"{base}/s/{code}/e/{exercise}"


def form(page, question: str):
    return page.locator(f"form.answer[data-q='{question}']")


def _answer_post(question: str):
    def matches(response) -> bool:
        path = urlparse(response.url).path
        return response.request.method == "POST" and path.endswith("/" + question)

    return matches


@contextlib.contextmanager
def saved(page, question: str, timeout: float = 30_000):
    """Around a direct manipulation with the script on: wait for the script's save of
    ``question`` to be answered, then for the page to say so and to hold nothing unsent."""
    with page.expect_response(_answer_post(question), timeout=timeout) as info:
        yield
    assert info.value.status == 200, f"{question}: {info.value.status} {info.value.text()}"
    settled(page)
    expect(form(page, question).locator("[data-status]")).to_have_text(SAVED)


def add_organisation(page, name: str) -> None:
    """Add an organisation (in po) to the map exercise's form by touch, and wait until it is
    saved, listed as one's own and the name field is empty again."""
    added = form(page, "aanvullen")
    with saved(page, "aanvullen"):
        added.get_by_label("Naam").fill(name)
        added.get_by_label("po", exact=True).check()
        added.get_by_role("button", name="Toevoegen").first.click()
    expect(added.locator(".own-texts")).to_contain_text(name)
    expect(added.get_by_label("Naam")).to_have_value("")


@contextlib.contextmanager
def submitted(page, question: str, message: str = SAVED):
    """Around a click on a plain form's button (no script): wait for the page the server
    sends back and for its message under ``question``."""
    with page.expect_navigation():
        yield
    expect(form(page, question).locator("[data-status]")).to_have_text(message)


def settled(page) -> None:
    """Wait until the page's queue of answers not yet acknowledged is empty."""
    page.wait_for_function(
        "code => Object.keys(JSON.parse(localStorage.getItem('workshop-queue:' + code)"
        " || '{}')).length === 0",
        arg=page.locator("main").get_attribute("data-code"),
    )


def unsent(page) -> int:
    code = page.locator("main").get_attribute("data-code")
    return page.evaluate(
        "code => Object.keys(JSON.parse(localStorage.getItem('workshop-queue:' + code)"
        " || '{}')).length",
        code,
    )


def no_side_scroll(page, where: str = "") -> None:
    """Nothing on the page is wider than the window (no sideways scrolling)."""
    wide = page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const over = [...document.querySelectorAll('body *')].filter(e => {
            const r = e.getBoundingClientRect();
            return r.width && r.right > width + 0.5 && !e.closest('.visually-hidden');
          }).slice(0, 5).map(e => `${e.tagName}.${e.className} ${e.getBoundingClientRect().right}`);
          return {scroll: document.documentElement.scrollWidth, width, over};
        }"""
    )
    assert wide["scroll"] <= wide["width"] and not wide["over"], f"{where}: sideways {wide}"


def resume_link(page) -> str:
    """The personal link from the overview (the participant's own token in it)."""
    link = page.locator(".resume-link a").get_attribute("href")
    assert re.search(r"/s/[A-Z0-9]+/r\?t=[\w-]{20,}$", link), link
    return link


# --- the store, as another process sees it ---------------------------------------------
def _query(db: Path, sql: str, args=()) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as connection:
        return connection.execute(sql, args).fetchall()


def rows(db: Path, exercise: str | None = None) -> list[tuple[str, str, str, object]]:
    """Every answer row: (pseudonym, exercise, item, value), in the order written."""
    found = _query(
        db,
        "SELECT p.pseudonym, a.exercise, a.item, a.value FROM answers a "
        "JOIN participants p ON p.id = a.participant_id "
        + ("WHERE a.exercise = ? " if exercise else "")
        + "ORDER BY a.id",
        (exercise,) if exercise else (),
    )
    return [(p, e, i, json.loads(v)) for p, e, i, v in found]


def stored(db: Path, pseudonym: str, exercise: str | None = None) -> dict[str, object]:
    """One participant's answers: {item: value} (of one exercise, or ``exercise/item``)."""
    return {
        (item if exercise else f"{ex}/{item}"): value
        for p, ex, item, value in rows(db, exercise)
        if p == pseudonym
    }


def contributions(db: Path, pseudonym: str | None = None) -> list[tuple[str, str, dict]]:
    """Map additions: (pseudonym, kind, payload), in the order written."""
    found = _query(
        db,
        "SELECT p.pseudonym, c.kind, c.payload FROM contributions c "
        "JOIN participants p ON p.id = c.participant_id ORDER BY c.id",
    )
    return [(p, k, json.loads(v)) for p, k, v in found if pseudonym in (None, p)]


# --- did anything from a text run or become markup? -------------------------------------
INSPECT = r"""() => {
  const bad = [];
  for (const e of document.querySelectorAll('*')) {
    for (const a of e.attributes) {
      if (/^on/i.test(a.name) && a.value.includes('__x')) bad.push(`${e.tagName} ${a.name}`);
      if (/^(href|src|action|formaction|xlink:href)$/i.test(a.name)
          && /^\s*javascript:/i.test(a.value)) bad.push(`${e.tagName} ${a.name}=javascript:`);
    }
  }
  for (const s of document.querySelectorAll('script'))
    if (/__x/.test(s.textContent)) bad.push('SCRIPT from a text');
  for (const i of document.querySelectorAll('img[src="x"], svg[onload], img[onerror]'))
    bad.push(`${i.tagName} from a text`);
  return {x: typeof window.__x, bad, text: document.body ? document.body.innerText : ''};
}"""


def inspect(page, recorder, where: str = "") -> str:
    """Assert that nothing from a text ran or became an element, and that nothing was
    asked of another host; return the page's visible text."""
    state = page.evaluate(INSPECT)
    assert state["x"] == "undefined", f"{where}: a payload ran (window.__x is set)"
    assert state["bad"] == [], f"{where}: markup from a text: {state['bad']}"
    assert recorder.blocked == [], f"{where}: requests to other hosts: {recorder.blocked}"
    assert not [u for u in recorder.requests if re.search(r"/x(\?|$)", u)], (
        f"{where}: an image named in a text was requested"
    )
    return state["text"]
