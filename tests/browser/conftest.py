"""Real-browser fixtures: Playwright driving Debian's Chromium, outside requests blocked."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = os.environ.get("WORKSHOP_CHROMIUM", "/usr/bin/chromium")
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


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the run; fails (never skips) when it is missing."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (.ci/run does)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
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
