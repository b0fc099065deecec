"""The dashboard's doors in a real browser: the facilitator's own pages work behind them,
another site's page and a DNS-rebinding page get nothing.

Chromium's ``--host-resolver-rules`` makes ``attacker.example`` resolve to 127.0.0.1, as a
rebinding attacker's DNS would; another site's page is served by a small server of the
test's own on 127.0.0.3.
"""

from __future__ import annotations

import http.server
import threading

import httpx
import pytest

from tests.browser.conftest import ARGS, CHROMIUM
from tests.security.test_dashboard_doors import _kernels, _until
from tests.security.test_doors import EXERCISES
from tests.support.servers import dashboard_server, free_port
from tests.support.wire import kernel_id
from toolkit.server.doors import REFUSED_TEXT
from toolkit.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.server]


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    with dashboard_server(
        tmp_path_factory.mktemp("dashboard-browser"), "Deuren", EXERCISES
    ) as served:
        yield served


def test_the_dashboard_and_its_map_work_behind_the_doors(dashboard, open_page):
    """With the doors and XSRF checks on, does Chromium show the dashboard (the join code),
    does unticking 'Open voor deelnemers' close the exercise in the store, does the map's
    sandboxed frame draw the network, and does leaving the page shut its kernel down (the
    beacon carries the XSRF token)?"""
    server, session, db = dashboard
    page, recorder = open_page(1600, 1000)
    page.goto(server.url + "/")
    page.wait_for_selector(".workshop-dashboard")
    assert session.code in page.inner_text(".workshop-code")
    first = next(iter(EXERCISES))
    store = Store.open(f"sqlite:///{db}")
    try:
        page.get_by_label("Open voor deelnemers").uncheck()
        _until(lambda: not store.get_session(session.code).is_open(first), what="closing it")
        page.get_by_label("Open voor deelnemers").check()
        _until(lambda: store.get_session(session.code).is_open(first), what="reopening it")
    finally:
        store.close()
    kernels = _kernels(server)
    page.goto(server.url + "/map")
    page.wait_for_selector("iframe.workshop-map", state="attached")
    page.frame_locator("iframe.workshop-map").locator("body[data-ready='1']").wait_for()
    frame = next(f for f in page.frames if f != page.main_frame and "PAYLOAD" in f.content())
    assert frame.evaluate("window.workshopMap.network.body.data.nodes.length") > 30
    # the dashboard's kernel went with its page: one kernel gone, the map's one started
    _until(lambda: _kernels(server) <= kernels, what="the beacon shutting the kernel down")
    assert recorder.blocked == []


class _Attacker(http.server.BaseHTTPRequestHandler):
    """Another site's page, which tries what it can against the dashboard."""

    page = b""

    def do_GET(self):  # noqa: N802 - http.server's name
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.page)

    def log_message(self, *args):
        pass


def test_another_sites_page_gets_nothing(dashboard, open_page):
    """Does a page on another site the facilitator opens fail to start dashboard kernels
    (images and a frame pointing at the dashboard), to open a kernel websocket, and to
    post the form that shuts a kernel down?"""
    server, _, _ = dashboard
    with httpx.Client(base_url=server.url, timeout=120) as client:
        victim = kernel_id(client.get("/").text)  # a kernel the attacker knows the id of
        _Attacker.page = f"""<!doctype html><title>loading</title>
<img src="{server.url}/"><img src="{server.url}/map"><iframe src="{server.url}/"></iframe>
<form id="f" method="post" action="{server.url}/voila/api/shutdown/{victim}" target="sink">
<input name="_xsrf" value="2|00000000|00000000000000000000000000000000|0"></form>
<iframe name="sink"></iframe>
<script>
const ws = new WebSocket("ws://127.0.0.1:{server.port}/api/kernels/{victim}/channels");
ws.onopen = () => {{ document.title = "ws-open"; }};
ws.onerror = () => {{ document.title = "ws-refused"; document.getElementById("f").submit(); }};
</script>""".encode()
        port = free_port("127.0.0.3")
        attacker = http.server.ThreadingHTTPServer(("127.0.0.3", port), _Attacker)
        threading.Thread(target=attacker.serve_forever, daemon=True).start()
        try:
            kernels = _kernels(server)
            page, _ = open_page()
            page.goto(f"http://127.0.0.3:{port}/")
            page.wait_for_load_state("load")
            page.wait_for_function("document.title !== 'loading'")
            assert page.title() == "ws-refused"
            # the form's answer has arrived once the frame shows another origin's document
            page.wait_for_function(
                "() => { try { return !frames['sink'].location.href; } catch (e) { return true; } }"
            )
            # every image and frame has had its answer ('load'): a kernel would be running
            assert _kernels(server) == kernels, "another site's page started a kernel"
            assert client.get(f"/api/kernels/{victim}").status_code == 200, "shut down"
        finally:
            attacker.shutdown()
        client.post(
            f"/voila/api/shutdown/{victim}",
            data={"_xsrf": client.cookies.get("_xsrf")},
            headers={"Origin": server.url},
        )


def test_a_rebinding_page_gets_nothing(dashboard, browser):
    """When ``attacker.example`` resolves to 127.0.0.1 (DNS rebinding), does Chromium get
    only the short refusal at ``http://attacker.example:PORT/``, no dashboard and no join
    code?"""
    server, session, _ = dashboard
    rebinding = browser.browser_type.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[*ARGS, "--host-resolver-rules=MAP attacker.example 127.0.0.1"],
    )
    try:
        page = rebinding.new_page()
        for path in ("/", "/map", "/presenter", "/voila/static/voila.js"):
            response = page.goto(f"http://attacker.example:{server.port}{path}")
            assert response.status == 403, path
            text = page.inner_text("body")
            assert text.strip() == REFUSED_TEXT.strip() and session.code not in text, path
    finally:
        rebinding.close()
