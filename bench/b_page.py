"""Time to interactive and bytes on the wire of the participant app, against plain Voila.

Headless Chromium (Debian's), a fresh browser context per visit (cold cache), then a repeat
visit in the same context. Time to interactive: from navigation start until the first input
of the app is on screen with its kernel connected (the join button; for the baseline, the
slider), recorded in the page by a MutationObserver. Bytes: the encoded (on-the-wire) size
of every HTTP response, from the DevTools protocol. Outside requests are blocked (plain
Voila links Font Awesome from a CDN; offline that request fails fast here, by the browser's
host resolver rules rather than request routing, which would switch the HTTP cache off).

Baseline: plain ``voila bench/baseline/baseline.ipynb`` (imports pandas, networkx, pyvis and
shows one slider), cold and with ``--preheat_kernel``; the app: ``python -m toolkit.server``
as ``workshop serve`` runs it, cold (no pool) and preheated.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import summary
from tests.browser.conftest import ARGS, CHROMIUM
from tests.support.servers import VoilaServer, free_port, wait_listening

__all__ = ["run", "visit"]

BASELINE = Path(__file__).resolve().parent / "baseline" / "baseline.ipynb"
# Outside hosts do not resolve (fail at once), loopback does. Not Playwright's request
# routing: a routed context bypasses the HTTP cache, and the repeat visit would be measured
# as if nothing had been cached.
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"
WATCH = """
(selector) => {
  window.__tti = null;
  const check = () => {
    const el = document.querySelector(selector);
    if (el && el.offsetParent !== null && !el.disabled && window.__tti === null) {
      window.__tti = performance.now();
    }
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true, attributes: true});
}
"""


def visit(browser, url: str, selector: str, repeat: bool = True) -> dict:
    """One cold visit (and a repeat visit): time to interactive and bytes on the wire."""
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
    for label in ("first", "repeat") if repeat else ("first",):
        sizes.clear()
        page.goto(url, wait_until="commit", timeout=120_000)
        page.wait_for_function("() => window.__tti !== null", timeout=120_000, polling=50)
        tti = page.evaluate("() => window.__tti") / 1000
        page.wait_for_load_state("networkidle", timeout=120_000)
        result[label] = {
            "tti_s": round(tti, 3),
            "bytes": sum(sizes.values()),
            "requests": len(sizes),
        }
    context.close()
    return result


def _plain_voila(tmp: Path, preheat: bool):
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "voila",
        str(BASELINE),
        f"--port={port}",
        "--no-browser",
        "--Voila.ip=127.0.0.1",
    ]
    if preheat:
        command += ["--preheat_kernel=True", "--pool_size=2"]
    log = (tmp / f"plain-{port}.log").open("wb")
    process = subprocess.Popen(
        command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    wait_listening("127.0.0.1", port, process)
    return process, f"http://127.0.0.1:{port}/"


def _measure(browser, url: str, selector: str, rounds: int, preheated: bool) -> dict:
    visits = []
    for _ in range(rounds):
        if preheated:
            time.sleep(6)  # let the pool refill, as between arrivals at a calm moment
        visits.append(visit(browser, url, selector))
    first = [v["first"]["tti_s"] for v in visits]
    repeat = [v["repeat"]["tti_s"] for v in visits]
    return {
        "tti_s": summary(first),
        "repeat_tti_s": summary(repeat),
        "first_bytes": visits[-1]["first"]["bytes"],
        "first_requests": visits[-1]["first"]["requests"],
        "repeat_bytes": visits[-1]["repeat"]["bytes"],
        "repeat_requests": visits[-1]["repeat"]["requests"],
    }


def run(quick: bool) -> dict:
    from playwright.sync_api import sync_playwright

    from toolkit.store import Store

    rounds = 3 if quick else 10
    figures = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        tmp = Path(tmp)
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=[*ARGS, OFFLINE]
        )
        for preheat in (False, True):
            process, url = _plain_voila(tmp, preheat)
            try:
                if preheat:
                    time.sleep(8)
                key = "baseline_preheated" if preheat else "baseline_cold"
                figures[key] = _measure(browser, url, ".widget-slider", rounds, preheat)
            finally:
                process.terminate()
                process.wait(30)
            print(
                f"  page {key}: {figures[key]['tti_s']} first {figures[key]['first_bytes']} B",
                flush=True,
            )
        db = f"sqlite:///{tmp / 'bench.db'}"
        code = Store.open(db).create_session("bench").code
        for preheat in (False, True):
            pools = {"participant.ipynb": 2} if preheat else {}
            with VoilaServer(
                {"/": "participant.ipynb"},
                tmp,
                pools=pools,
                env={"WORKSHOP_DB": db, "WORKSHOP_DATA": str(tmp)},
            ) as server:
                if preheat:
                    time.sleep(8)
                key = "app_preheated" if preheat else "app_cold"
                figures[key] = _measure(
                    browser, f"{server.url}/?code={code}", ".workshop-join", rounds, preheat
                )
            print(
                f"  page {key}: {figures[key]['tti_s']} first {figures[key]['first_bytes']} B",
                flush=True,
            )
        browser.close()
    for mode in ("cold", "preheated"):
        app, base = figures[f"app_{mode}"], figures[f"baseline_{mode}"]
        figures[f"ratio_tti_{mode}"] = round(app["tti_s"]["p50"] / base["tti_s"]["p50"], 2)
    for side in ("app", "baseline"):
        figures[f"{side}_preheated_repeat_tti_s"] = figures[f"{side}_preheated"]["repeat_tti_s"][
            "p50"
        ]
    figures["ratio_first_bytes"] = round(
        figures["app_preheated"]["first_bytes"] / figures["baseline_preheated"]["first_bytes"], 2
    )
    return figures
