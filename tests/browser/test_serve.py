"""``workshop serve`` end to end: two participants, the live dashboard, pacing, the two doors,
export, purge, a clean stop and a restart that continues the session."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import psutil
import pytest

from tests.browser.conftest import screenshot
from tests.support.servers import ROOT, WorkshopServe
from toolkit.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.server]


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _workshop(data, *args) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(
        [sys.executable, "-m", "toolkit.cli", *args],
        cwd=ROOT,
        env={**os.environ, "WORKSHOP_DATA": str(data)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _participant(open_page, join_url, level):
    page, recorder = open_page(390, 844)
    page.goto(join_url)
    page.wait_for_selector(".workshop-join")
    page.click(".workshop-join")
    page.wait_for_selector(".workshop-overview")
    page.locator(".workshop-open-exercise").first.click()
    question = page.locator(".workshop-q-scale").first
    question.locator(".widget-radio-box label").nth(level).click()
    question.locator(".workshop-status-ok").wait_for()
    return page, recorder


def test_a_whole_workshop(tmp_path, open_page):
    """Does one `workshop serve` carry a workshop: join, live dashboard, closing an exercise,
    only the right doors open, export, clean stop, restart, purge?"""
    data = tmp_path / "data"
    serve = WorkshopServe(
        data, host="127.0.0.2", args=("--expected", "10", "--organiser", "Testorganisator")
    )
    serve.start()
    try:
        assert serve.join_url.startswith(f"http://127.0.0.2:{serve.port}/?code=")
        assert (data / f"join-{serve.code}.svg").exists()
        assert (data / f"join-{serve.code}.png").read_bytes()[:4] == b"\x89PNG"

        dashboard, dash_recorder = open_page(1600, 1000)
        dashboard.goto(serve.dashboard_url)
        dashboard.wait_for_selector(".workshop-dashboard")
        assert serve.code in dashboard.inner_text(".workshop-code")

        first, first_recorder = _participant(open_page, serve.join_url, 2)
        second, second_recorder = _participant(open_page, serve.join_url, 4)
        acknowledged = time.monotonic()
        dashboard.get_by_text("4 antwoorden van 2 deelnemers").or_(
            dashboard.get_by_text("2 antwoorden van 2 deelnemers")
        ).first.wait_for(timeout=10_000)
        seen_after = time.monotonic() - acknowledged
        dashboard.get_by_text("2 deelnemers").first.wait_for()
        screenshot(dashboard, "dashboard-1600")
        (ROOT / "tests" / "_artifacts").mkdir(exist_ok=True)
        (ROOT / "tests" / "_artifacts" / "dashboard-latency.txt").write_text(
            f"dashboard showed both answers {seen_after:.2f} s after the second was saved\n"
        )

        # Closing the exercise on the dashboard stops further answers.
        dashboard.get_by_label("Open voor deelnemers").uncheck()
        dashboard.wait_for_timeout(500)
        store = Store.open(f"sqlite:///{data / 'workshop.db'}")
        session = store.get_session(serve.code)
        assert not session.is_open("bestuurstafel")
        before = [(a.participant_id, a.value) for a in store.answers(session.id)]
        question = first.locator(".workshop-q-scale").first
        question.locator(".widget-radio-box label").nth(0).click()
        question.get_by_text("gesloten").wait_for()
        assert [(a.participant_id, a.value) for a in store.answers(session.id)] == before

        # Doors: the dashboard is not on the participant address; no sources or data served.
        participant_base = f"http://127.0.0.2:{serve.port}"
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.2:{serve.dashboard_port}/", timeout=5)
        for path in (
            "/voila/files/participant.ipynb",
            "/voila/files/../workshop-data/workshop.db",
            "/voila/render/facilitator.ipynb",
            "/voila/tree",
            "/voila/api/contents/",
            "/facilitator.ipynb",
            "/workshop.db",
            "/datasets/stakeholders/organisations.csv",
            "/voila/static/../../../../etc/passwd",
            "/workshop/static/../data.py",
        ):
            assert _status(participant_base + path) in (403, 404), path
        with urllib.request.urlopen(participant_base + "/map", timeout=120) as response:
            page = response.read().decode()
        assert "from toolkit" not in page  # sources stripped
        assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")

        for recorder in (dash_recorder, first_recorder, second_recorder):
            assert recorder.blocked == []

        # An export holds every answer.
        exported = tmp_path / "export.json"
        result = _workshop(data, "export", serve.code, "--format", "json", "-o", str(exported))
        assert result.returncode == 0, result.stderr
        tables = json.loads(exported.read_text())["tables"]
        assert len(tables["bestuurstafel"]) == len(store.answers(session.id)) == 2
        store.close()

        # A clean stop leaves no kernel behind.
        kernels = [
            p
            for p in psutil.Process(serve.process.pid).children(recursive=True)
            if "ipykernel" in " ".join(p.cmdline())
        ]
        assert kernels, "expected running kernels (a preheated pool)"
        assert serve.stop(signal.SIGINT) == 0
        gone, alive = psutil.wait_procs(kernels, timeout=20)
        assert not alive, f"kernels left running: {[p.pid for p in alive]}"
        assert "Stopped" in serve.text()
    finally:
        serve.stop()

    # A restart continues the same session, with all answers.
    again = WorkshopServe(data, host="127.0.0.2").start()
    try:
        assert again.code == serve.code
        assert "continuing" in again.text()
    finally:
        again.stop()

    # Purge removes the session's data.
    result = _workshop(data, "purge", serve.code, "--yes")
    assert result.returncode == 0, result.stderr
    assert "2 participants" in result.stdout
    store = Store.open(f"sqlite:///{data / 'workshop.db'}")
    assert store.get_session(serve.code) is None
    store.close()
