"""Real-browser fixtures: Playwright driving a real Chromium, outside requests blocked.

The browser is Debian's chromium, or the one tools/prerequisites found
(tests/support/prerequisites.py);
``axe(page)`` runs the axe-core accessibility checks on a page.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.support import prerequisites

# The path for other modules that launch their own browser; the fixture checks it exists.
CHROMIUM = str(
    prerequisites.chromium() or os.environ.get("WORKSHOP_CHROMIUM") or "/usr/bin/chromium"
)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "_artifacts"
# expect() waits for its condition; on a laptop shared with other work (two cores, busy)
# a page can take longer than Playwright's default five seconds to get there.
EXPECT_TIMEOUT_MS = 20_000


def is_loopback(url: str) -> bool:
    host = urlparse(url).hostname or ""
    return host.startswith("127.") or url.startswith(("data:", "blob:", "about:"))


@pytest.fixture(scope="session", autouse=True)
def _expect_timeout():
    from playwright.sync_api import expect

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module; fails (never skips) when it is missing.

    Per module, not per run: Playwright's synchronous API keeps an asyncio loop running in
    the main thread while it is started, and the tests after the browser tests that call
    ``asyncio.run`` need it stopped."""
    from playwright.sync_api import sync_playwright

    path = prerequisites.require("Chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(path), headless=True, args=ARGS)
        yield chromium
        chromium.close()


class Recorder:
    """Every request a page makes; requests to other hosts are blocked and remembered."""

    def __init__(self):
        self.requests: list[str] = []
        self.blocked: list[str] = []

    def route(self, route):
        url = route.request.url
        self.requests.append(url)
        if is_loopback(url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()


@pytest.fixture
def open_page(browser, request):
    """``open_page(width, height, **context_options)`` -> (page, recorder); outside
    requests blocked. Options go to ``browser.new_context`` (``java_script_enabled``,
    ``device_scale_factor``, ...)."""
    contexts = []

    def make(width=1280, height=900, **options):
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        recorder = Recorder()
        context.route("**/*", recorder.route)
        page = context.new_page()
        page.set_default_timeout(60_000)
        contexts.append(context)
        return page, recorder

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def axe():
    """``axe(page, **options)`` -> the list of axe-core violations on the page as it is now.

    Runs axe.min.js (tests/.deps, installed by tools/prerequisites) in the page, then
    ``axe.run(document, options)``; each violation is axe's dict (``id``, ``impact``,
    ``nodes``...). The script goes in through Playwright's evaluate, which a page's
    Content-Security-Policy does not block (a script tag would be). Fails, never skips,
    when axe-core is missing.
    """
    source = prerequisites.require("axe-core").read_text(encoding="utf-8")

    def check(page, **options) -> list[dict]:
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate("() => {\n" + source + "\n}")
        return page.evaluate(
            "(options) => axe.run(document, options).then(r => r.violations)", options
        )

    return check


def screenshot(page, name: str) -> Path:
    """Save a whole-page screenshot under tests/_artifacts/ (for a human to look at).

    Voila scrolls inside its own panel, so there the viewport is stretched to the content
    first (and put back after); other pages are taken whole as they scroll.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    panel = page.evaluate(
        "() => { const c = document.getElementById('rendered_cells');"
        " return c ? c.scrollHeight : 0; }"
    )
    if not panel:
        page.screenshot(path=str(path), full_page=True)
        return path
    size = dict(page.viewport_size)
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], panel + 20)})
    page.evaluate(_TWO_FRAMES)  # the new size laid out and painted
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
    return path


_TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


@pytest.fixture
def content_root(tmp_path):
    """A content folder (datasets + apps) that a test may change, e.g. add hostile rows."""
    from toolkit.paths import apps_dir, datasets_dir

    root = tmp_path / "content"
    shutil.copytree(datasets_dir(), root / "datasets")
    (root / "voila_apps").symlink_to(apps_dir())
    return root
