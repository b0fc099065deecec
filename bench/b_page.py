"""Time to interactive and bytes on the wire of the participant's join page, against
plain Voila, in headless Chromium (Debian's).

Each visit opens a fresh browser context (empty cache), navigates to the page, then visits
it again in the same context (HTTP cache on: the repeat visit). Time to interactive: from
navigation start until the page's first input accepts input, i.e. the later of (a) the
input on screen and enabled (seen by a MutationObserver: it is in the document, has a
layout box, is not disabled) and (b) ``DOMContentLoaded`` done (the stylesheets and the
deferred script have run: the page is styled and enhanced). For the app that input is the
join field (``#pseudonym``), for plain Voila the notebook's slider (which appears once its
kernel is connected and the widget is drawn). Bytes: the encoded (on-the-wire) size of
every HTTP response, headers included, from the DevTools protocol. Outside hosts do not
resolve (host-resolver rules, not request routing: a routed context bypasses the HTTP
cache, and the repeat visit would be measured as if nothing had been cached).

Baseline: plain ``voila bench/baseline/baseline.ipynb`` (one cell: imports pandas,
networkx, pyvis and shows one slider) with ``--preheat_kernel`` (a pool of 2), with 6 s
between visits so that a preheated kernel is always waiting; the app: the participant web
app as ``workshop serve`` runs it (``python -m toolkit.server``, kind ``web``), at the join
address of a session (``/s/CODE/``, the QR code's link). Both in the same run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import summary

__all__ = ["run", "visit"]

BASELINE = Path(__file__).resolve().parent / "baseline" / "baseline.ipynb"
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"
WATCH = """
(selector) => {
  window.__ready = null;
  const check = () => {
    const el = document.querySelector(selector);
    if (el && el.offsetParent !== null && !el.disabled && window.__ready === null) {
      window.__ready = performance.now();
    }
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true, attributes: true});
}
"""
TIMES = """
() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  return {ready: window.__ready, dcl: nav.domContentLoadedEventEnd,
          response_end: nav.responseEnd, fcp: paint ? paint.startTime : null};
}
"""


def visit(browser, url: str, selector: str) -> dict:
    """A first visit and a repeat visit: time to interactive and bytes on the wire."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    sizes: dict[str, int] = {}
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], int(e.get("encodedDataLength", 0))),
    )
    page.add_init_script(f"({WATCH})({selector!r})")
    result = {}
    for label in ("first", "repeat"):
        sizes.clear()
        page.goto(url, wait_until="commit", timeout=120_000)
        page.wait_for_function(
            "() => window.__ready !== null && document.readyState !== 'loading'"
            " && performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd > 0",
            timeout=120_000,
            polling=20,
        )
        times = page.evaluate(TIMES)
        page.wait_for_load_state("networkidle", timeout=120_000)
        result[label] = {
            "tti_s": round(max(times["ready"], times["dcl"]) / 1000, 4),
            "input_ready_s": round(times["ready"] / 1000, 4),
            "dom_content_loaded_s": round(times["dcl"] / 1000, 4),
            "html_received_s": round(times["response_end"] / 1000, 4),
            "first_paint_s": round(times["fcp"] / 1000, 4) if times["fcp"] else None,
            "bytes": sum(sizes.values()),
            "requests": len(sizes),
        }
    context.close()
    return result


def _measure(browser, url: str, selector: str, rounds: int, pause: float) -> dict:
    visits = []
    for _ in range(rounds):
        time.sleep(pause)
        visits.append(visit(browser, url, selector))
    out = {}
    for label in ("first", "repeat"):
        for key in (
            "tti_s",
            "input_ready_s",
            "dom_content_loaded_s",
            "html_received_s",
            "first_paint_s",
        ):
            values = [v[label][key] for v in visits if v[label][key] is not None]
            out[f"{label}_{key}"] = summary(values)
        out[f"{label}_bytes"] = max(v[label]["bytes"] for v in visits)
        out[f"{label}_requests"] = max(v[label]["requests"] for v in visits)
    return out


def _plain_voila(tmp: Path):
    from tests.support.servers import free_port, wait_listening

    port = free_port()
    command = [
        sys.executable,
        "-m",
        "voila",
        str(BASELINE),
        f"--port={port}",
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        "--preheat_kernel=True",
        "--pool_size=2",
    ]
    log = (tmp / f"plain-{port}.log").open("wb")
    process = subprocess.Popen(
        command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    wait_listening("127.0.0.1", port, process)
    return process, f"http://127.0.0.1:{port}/"


def run(quick: bool) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import ARGS, CHROMIUM
    from tests.support.servers import WebServer
    from toolkit.store import Store

    rounds = 5 if quick else 20
    figures = {"rounds": rounds, "load_average_before": round(os.getloadavg()[0], 2)}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        tmp = Path(tmp)
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=[*ARGS, OFFLINE]
        )
        process, url = _plain_voila(tmp)
        try:
            time.sleep(8)  # the pool fills
            figures["baseline_voila_preheated"] = _measure(
                browser, url, ".widget-slider", rounds, pause=6.0
            )
        finally:
            process.terminate()
            process.wait(30)
        db = tmp / "page.db"
        store = Store.open(f"sqlite:///{db}")
        code = store.create_session("page", exercises=["bestuurstafel"]).code
        store.close()
        with WebServer(tmp, code, db=f"sqlite:///{db}") as server:
            time.sleep(1.0)
            figures["app_join_page"] = _measure(
                browser, f"{server.url}/s/{code}/", "#pseudonym", rounds, pause=1.0
            )
        browser.close()
    figures["load_average_after"] = round(os.getloadavg()[0], 2)
    app, base = figures["app_join_page"], figures["baseline_voila_preheated"]
    figures["ratio_tti_p50"] = round(app["first_tti_s"]["p50"] / base["first_tti_s"]["p50"], 3)
    figures["ratio_first_bytes"] = round(app["first_bytes"] / base["first_bytes"], 4)
    for side in ("baseline_voila_preheated", "app_join_page"):
        f = figures[side]
        print(
            f"  page {side}: tti p50 {f['first_tti_s']['p50']} s (repeat "
            f"{f['repeat_tti_s']['p50']} s), first {f['first_bytes']} B in "
            f"{f['first_requests']} requests, repeat {f['repeat_bytes']} B",
            flush=True,
        )
    return figures
