"""``workshop serve`` end to end, as a facilitator runs it: the real dashboard (Voila, on
127.0.0.1) drives the room (open and close, results and open answers visible, phones
following, the presenter view) while two participants answer on their phones; the two
doors stay apart; export afterwards; a clean stop, a restart that continues the session,
and purge."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request

import psutil
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.support.axe import check_accessibility, describe
from tests.support.pages import PHONE, exercise_url, form, inspect, join, rows, saved
from tests.support.servers import ROOT, WorkshopServe

pytestmark = [pytest.mark.browser, pytest.mark.server]

NEEDS = "Welke ondersteuning heb je nodig?"
SCAN = "Zelfscan informatiemanagement bij jouw bestuur"
NEED = "Een gedeelde privacy officer voor kleine besturen"
DASHBOARD_MS = 120_000  # the dashboard's kernel starts while other work shares the cores


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _workshop(data, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "toolkit.cli", *args],
        cwd=ROOT,
        env={**os.environ, "WORKSHOP_DATA": str(data)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _tab(dashboard, title: str) -> None:
    """Show one exercise on the dashboard (its row of exercise buttons)."""
    dashboard.locator(".widget-toggle-button", has_text=title).click()
    expect(dashboard.locator(".widget-toggle-button.mod-active", has_text=title)).to_be_visible()


def test_a_whole_workshop(tmp_path, open_page):
    """Does one `workshop serve` carry a workshop: two phones join and answer, the
    dashboard sees them and drives the room (follow, results and open answers visible,
    close), the presenter view opens from the dashboard and shows the room, only the
    right doors are open, the export holds every answer, and the session survives a clean
    stop and a restart until it is purged?"""
    data = tmp_path / "data"
    serve = WorkshopServe(
        data, host="127.0.0.2", args=("--expected", "10", "--organiser", "Testorganisator")
    )
    serve.start()
    try:
        participant = f"http://127.0.0.2:{serve.port}"
        assert serve.join_url == f"{participant}/s/{serve.code}/"
        assert (data / f"join-{serve.code}.svg").exists()
        assert (data / f"join-{serve.code}.png").read_bytes()[:4] == b"\x89PNG"

        dashboard, dash_recorder = open_page(1600, 1000)
        dashboard.goto(serve.dashboard_url)
        dashboard.wait_for_selector(".workshop-dashboard", timeout=DASHBOARD_MS)
        expect(dashboard.locator(".workshop-code")).to_have_text(serve.code)
        expect(dashboard.locator(".workshop-join-url")).to_have_text(serve.join_url)

        # Two phones join and answer the first exercise; the dashboard sees them.
        phones = []
        for name, level in (("Eerste Vos", 2), ("Tweede Uil", 4)):
            page, recorder = open_page(*PHONE)
            assert join(page, participant, serve.code, name) == name
            page.goto(exercise_url(participant, serve.code, "bestuurstafel"))
            with saved(page, "visie"):
                form(page, "visie").locator("label.choice").nth(level - 1).click()
            phones.append((page, recorder))
        (first, first_recorder), (second, second_recorder) = phones
        expect(dashboard.locator(".workshop-counts")).to_contain_text("2 deelnemers")
        expect(first.locator("[data-block] .group-layer .result-n").first).to_have_text(
            "groep (n = 2)"
        )
        screenshot(dashboard, "dashboard-1600")

        # Follow: the dashboard puts the room on the needs; the phones go there.
        _tab(dashboard, NEEDS)
        dashboard.get_by_label("Telefoons volgen de begeleider").check()
        for page, _ in phones:
            page.wait_for_url(exercise_url(participant, serve.code, "behoeften"))
        expect(dashboard.locator(".workshop-dashboard")).to_contain_text(f"De zaal is bij: {NEEDS}")

        # Open answers: not on the other phone until the dashboard shows them.
        with saved(first, "needs"):
            form(first, "needs").locator("textarea").fill(NEED)
            form(first, "needs").get_by_role("button", name="Toevoegen").click()
        with saved(first, "votes"):  # a change the second phone must see, after the text
            form(first, "votes").get_by_role("button", name="Een stip meer: Scholing").click()
        expect(second.locator("[data-block=votes] .group-layer")).to_contain_text("groep (n = 1)")
        assert NEED not in second.content()
        dashboard.get_by_label("Open antwoorden zichtbaar voor de groep").check()
        expect(second.locator("[data-block=needs] .group-layer li")).to_have_text([NEED])

        # Results hidden, then shown again.
        dashboard.get_by_label("Deelnemers zien groepsresultaten").uncheck()
        hidden = "De begeleider laat de groepsresultaten straks zien."
        expect(second.locator("[data-block=votes] .group-layer")).to_have_text(hidden)
        assert NEED not in second.locator(".results").inner_text()
        dashboard.get_by_label("Deelnemers zien groepsresultaten").check()
        expect(second.locator("[data-block=votes] .group-layer")).to_contain_text("groep (n = 1)")

        # The presenter view, from the dashboard's link: the room's exercise, the count.
        with dashboard.context.expect_page() as opened:
            dashboard.get_by_role("link", name="Presentatie openen (voor de projector)").click()
        screen = opened.value
        screen.set_viewport_size({"width": 1600, "height": 900})
        expect(screen.locator("h1")).to_have_text(NEEDS)
        assert screen.url == f"{serve.dashboard_url}presenter"
        expect(screen.locator("main")).to_contain_text("1 deelnemer deed mee")
        expect(screen.locator("main")).to_contain_text(NEED)
        assert "Eerste Vos" not in screen.content()
        found = check_accessibility(screen)
        assert not found, describe(found)
        screenshot(screen, "presenter-from-dashboard-1600")

        # Closing the exercise on the dashboard stops answers at once.
        dashboard.get_by_label("Open voor deelnemers").uncheck()
        for page, _ in phones:
            expect(page.locator("[data-closed-banner]")).to_be_visible()
            expect(page.locator("fieldset.body:not([disabled])")).to_have_count(0)
        before = rows(data / "workshop.db")
        with second.expect_response(lambda r: r.request.method == "POST") as reply:
            second.evaluate(  # a page that did not hear of it yet: the server refuses
                "() => { const f = document.querySelector('form[data-q=votes] fieldset');"
                " f.disabled = false; f.querySelector('button[value$=\":1\"]').click(); }"
            )
        assert reply.value.status == 409
        assert rows(data / "workshop.db") == before
        # ... and the room moves on: the phones follow to the next one.
        _tab(dashboard, SCAN)
        for page, _ in phones:
            page.wait_for_url(exercise_url(participant, serve.code, "bestuurstafel"))
        expect(screen.locator("h1")).to_have_text(SCAN)

        # Doors: no dashboard, presenter, notebooks, database or data on the phones' side.
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.2:{serve.dashboard_port}/", timeout=5)
        for path in (
            "/presenter",
            "/presenter/live",
            "/voila/render/facilitator.ipynb",
            "/voila/files/facilitator.ipynb",
            "/voila/tree",
            "/api/contents/",
            "/facilitator.ipynb",
            "/workshop.db",
            "/datasets/stakeholders/organisations.csv",
            "/static/../toolkit/web/app.py",
            "/static/%2e%2e/%2e%2e/workshop.db",
            f"/s/{serve.code}/../../workshop.db",
        ):
            assert _status(participant + path) in (403, 404), path
        with urllib.request.urlopen(f"{participant}/s/{serve.code}/", timeout=30) as response:
            assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
        for page, recorder, where in (
            (dashboard, dash_recorder, "dashboard"),
            (first, first_recorder, "first phone"),
            (second, second_recorder, "second phone"),
        ):
            inspect(page, recorder, where)
        assert dash_recorder.blocked == []

        # The export holds every answer.
        exported = tmp_path / "export.json"
        result = _workshop(data, "export", serve.code, "--format", "json", "-o", str(exported))
        assert result.returncode == 0, result.stderr
        tables = json.loads(exported.read_text())["tables"]
        scan = tables["bestuurstafel"]["rows"]
        assert [(row["Deelnemer"], row["Visie"]) for row in scan] == [
            ("Eerste Vos", 2),
            ("Tweede Uil", 4),
        ], scan
        needs = tables["behoeften"]["rows"]  # one row per participant who answered
        assert [row["Deelnemer"] for row in needs] == ["Eerste Vos"], needs
        assert NEED in json.dumps(needs, ensure_ascii=False)
        assert needs[0]["Scholing voor informatiemanagers"] == 1  # the one dot

        # A clean stop leaves nothing running.
        children = psutil.Process(serve.process.pid).children(recursive=True)
        assert children
        assert serve.stop(signal.SIGINT) == 0
        _gone, alive = psutil.wait_procs(children, timeout=30)
        assert not alive, f"left running: {[p.cmdline() for p in alive]}"
        assert "Stopped" in serve.text()
        assert "Traceback" not in (data / "logs" / "participant.log").read_text()
    except BaseException:
        for log in sorted((data / "logs").glob("*.log")):  # for whoever reads the failure
            print(f"--- {log.name}\n{log.read_text(errors='replace')[-4000:]}")
        raise
    finally:
        serve.stop()

    # A restart continues the same session, with all answers.
    again = WorkshopServe(data, host="127.0.0.2").start()
    try:
        assert again.code == serve.code
        assert "continuing" in again.text()
        page, _ = open_page(*PHONE)
        page.goto(f"http://127.0.0.2:{again.port}/s/{again.code}/")
        expect(page.locator("h1")).to_have_text("Welkom bij de workshop")
    finally:
        again.stop()

    # Purge removes the session's data.
    result = _workshop(data, "purge", serve.code, "--yes")
    assert result.returncode == 0, result.stderr
    assert "2 participants" in result.stdout
    assert rows(data / "workshop.db") == []
