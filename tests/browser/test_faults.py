"""Faults during a workshop, with real servers and a real Chromium at phone size: a phone
that goes offline, the participant server killed with SIGKILL during a burst of answers,
a database locked by another writer or on a full disk, and a flood of 10,000 taps on a dot
stepper (issue 12)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import errno
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs

import psutil
import pytest
from playwright.sync_api import expect

from tests.support.pages import (
    PHONE,
    exercise_url,
    form,
    join,
    rows,
    saved,
    settled,
    stored,
    unsent,
)
from tests.support.servers import WebServer, WorkshopServe, participant_server
from toolkit.exercises.loader import default_exercises
from toolkit.web.client import Participant

pytestmark = [pytest.mark.browser, pytest.mark.server]

EXERCISES = [e.id for e in default_exercises()]
SCALES = ["visie", "deskundigheid", "inhoud-toepassingen", "ict-infrastructuur"]
KEPT = "Bewaard op dit apparaat, nog niet verstuurd"


def _sqlite(path: Path, query: str):
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return connection.execute(query).fetchall()


def _netbar(page):
    return page.locator("#netbar")


def _tap_scale(page, question: str, value: int):
    form(page, question).locator("label.choice").nth(value - 1).click()


# --- 1. offline and back -------------------------------------------------------------------
def test_offline_answers_wait_and_are_stored_once(tmp_path, open_page):
    """A phone loses the network while answering: does the page keep every answer, say
    how many are unsent, and, back online, send them so that the store holds each exactly
    once (two texts typed offline are two texts, not one replacing the other)?"""
    with participant_server(tmp_path, "Offline", EXERCISES) as (server, session, db):
        page, recorder = open_page(*PHONE)
        name = join(page, server.url, session.code, "Treinreiziger")
        page.goto(exercise_url(server.url, session.code, "behoeften"))
        page.context.set_offline(True)
        expect(_netbar(page)).to_have_text(
            "Geen verbinding. Je antwoorden worden bewaard en later verstuurd."
        )
        needs, votes = form(page, "needs"), form(page, "votes")
        texts = ["Een helpdesk voor privacyvragen", "Een gedeelde functionaris (FG)"]
        for text in texts:
            needs.locator("textarea").fill(text)
            needs.get_by_role("button", name="Toevoegen").click()
        for _ in range(2):
            votes.get_by_role("button", name="Een stip meer: Scholing").click()
        expect(_netbar(page)).to_have_text(
            "3 antwoord(en) nog niet verstuurd; ze gaan vanzelf zodra er weer verbinding is."
        )
        expect(votes.locator("[data-status]")).to_have_text(KEPT)
        expect(needs.locator("[data-status]")).to_have_text(KEPT)
        expect(votes.locator(".dots-left")).to_have_text("Nog 3 van 5 stippen")
        assert unsent(page) == 3
        assert stored(db, name) == {}  # nothing reached the server

        page.context.set_offline(False)
        settled(page)
        expect(_netbar(page)).to_be_hidden()
        expect(needs.locator(".own-texts bdi")).to_have_count(2)
        assert sorted(needs.locator(".own-texts bdi").all_inner_texts()) == sorted(texts)
        expect(votes.locator("[data-status]")).to_have_text("✓ Opgeslagen")
        found = rows(db, "behoeften")
        assert sorted(v.get("text") for p, _, i, v in found if i.startswith("needs:")) == sorted(
            texts
        )
        assert [(p, i, v) for p, _, i, v in found if i == "votes"] == [
            (name, "votes", {"training-im": 2})
        ]
        assert len(found) == 3  # each answer once
        page.reload()  # and the page drawn again agrees
        own = form(page, "needs").locator(".own-texts bdi")
        assert sorted(own.all_inner_texts()) == sorted(texts)
        assert form(page, "votes").locator("input[name='d.training-im']").input_value() == "2"
        assert recorder.blocked == []


# --- 2. kill -9 during a burst --------------------------------------------------------------
class Burst:
    """A few protocol participants answering the scales as fast as the server lets them;
    each remembers what was acknowledged and the one answer sent but not (yet) answered."""

    def __init__(self, base: str, code: str, clients: int = 4):
        self.clients = [Participant(base, code, f"Meetpunt {n}") for n in range(clients)]
        self.acked = [dict() for _ in self.clients]
        self.pending: list[tuple[str, int] | None] = [None] * clients
        self.errors: list[str] = []

    async def _one(self, n: int) -> None:
        client = self.clients[n]
        await client.join()
        for count in range(100_000):
            question, level = SCALES[count % 4], count % 5 + 1
            self.pending[n] = (question, level)
            try:
                _took, reply = await client.answer("bestuurstafel", question, {"v": str(level)})
            except Exception as exc:  # noqa: BLE001 - the server went away
                self.errors.append(f"{client.pseudonym}: {type(exc).__name__}")
                return
            if not reply.get("ok"):
                self.errors.append(f"{client.pseudonym}: {reply.get('message')}")
                return
            self.acked[n][question] = level
            self.pending[n] = None

    async def run(self, kill) -> None:
        tasks = [asyncio.ensure_future(self._one(n)) for n in range(len(self.clients))]
        deadline = time.monotonic() + 120
        while min(len(a) for a in self.acked) < 4 or sum(map(len, self.acked)) < 16:
            assert not self.errors, f"a client failed before the kill: {self.errors}"
            assert time.monotonic() < deadline, "the clients did not get going"
            await asyncio.sleep(0.01)
        kill()  # mid-burst: answers are in flight
        await asyncio.wait_for(asyncio.gather(*tasks), 60)


def test_kill9_during_a_burst_loses_no_acknowledged_answer(tmp_path, open_page):
    """`workshop serve`'s participant server (and the supervisor) killed with SIGKILL
    while four clients answer as fast as they can: is every acknowledged answer in the
    store and the file sound? After `workshop serve` starts again, does the same session
    continue and does a phone that answered while the server was gone send its answer
    (its queue resends) so that the store has it? And when only the supervisor is
    killed, do its servers stop by themselves (else the next `workshop serve` could not
    start on their ports)?"""
    data = tmp_path / "data"
    serve = WorkshopServe(data, host="127.0.0.2", args=("--expected", "6")).start()
    base = f"http://127.0.0.2:{serve.port}"
    killed: list[psutil.Process] = []
    page, recorder = open_page(*PHONE)
    try:
        name = join(page, base, serve.code, "Telefoon")
        page.goto(exercise_url(base, serve.code, "bestuurstafel"))
        with saved(page, "visie"):
            _tap_scale(page, "visie", 2)
        burst = Burst(base, serve.code)

        def kill() -> None:
            tree = psutil.Process(serve.process.pid).children(recursive=True)
            killed.extend([psutil.Process(serve.process.pid), *tree])
            serve.kill9()

        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, burst.run(kill)).result(timeout=240)
        for process in killed:  # whatever kill9() missed while the supervisor died
            with contextlib.suppress(psutil.NoSuchProcess):
                process.kill()
        _gone, alive = psutil.wait_procs(killed, timeout=10)
        assert not alive
        assert len(burst.errors) == len(burst.clients), "the kill did not stop every client"

        db = data / "workshop.db"
        assert _sqlite(db, "PRAGMA integrity_check") == [("ok",)]
        for client, acked, pending in zip(burst.clients, burst.acked, burst.pending, strict=True):
            mine = stored(db, client.pseudonym, "bestuurstafel")
            for question, level in acked.items():
                in_flight = pending is not None and pending == (question, mine.get(question))
                assert mine.get(question) == level or in_flight, (client.pseudonym, mine)
            assert set(mine) <= set(acked) | ({pending[0]} if pending else set())

        # The phone answers while nothing listens: kept on the phone, said so.
        _tap_scale(page, "deskundigheid", 4)
        expect(form(page, "deskundigheid").locator("[data-status]")).to_have_text(KEPT)
        expect(_netbar(page)).to_contain_text("1 antwoord(en) nog niet verstuurd")
    finally:
        if serve.process.poll() is None:
            serve.stop()

    again = WorkshopServe(data, host="127.0.0.2", args=("--expected", "6"))
    again.port, again.dashboard_port = serve.port, serve.dashboard_port
    again.start()
    try:
        assert again.code == serve.code
        assert "continuing" in again.text()
        settled(page)  # the queue went out once the server was back
        expect(form(page, "deskundigheid").locator("[data-status]")).to_have_text("✓ Opgeslagen")
        expect(_netbar(page)).to_be_hidden()
        assert stored(db, name, "bestuurstafel") == {"visie": 2, "deskundigheid": 4}
        page.reload()
        expect(form(page, "deskundigheid").locator("input:checked")).to_have_attribute("value", "4")
        assert recorder.blocked == []

        # Only the supervisor killed: its servers notice and stop (no orphan keeps a port).
        servers = psutil.Process(again.process.pid).children(recursive=True)
        assert servers
        os.kill(again.process.pid, signal.SIGKILL)
        again.process.wait(10)
        _gone, alive = psutil.wait_procs(servers, timeout=30)
        for process in alive:  # leave nothing behind, then fail
            process.kill()
        assert not alive, f"orphaned servers: {[p.cmdline() for p in alive]}"
        log = (data / "logs" / "participant.log").read_text()
        assert "the workshop supervisor has gone" in log
    finally:
        if again.process.poll() is None:
            again.stop()


# --- 3. a locked database, a full disk --------------------------------------------------------
def _refused_then_sent(page, server, db: Path, name: str, block, unblock, reason: str) -> None:
    """Answer while ``block()`` holds: 'Niet opgeslagen' on the page, the answer queued
    and retried, nothing half-written; after ``unblock()`` the queued answer is stored."""
    page.goto(exercise_url(server.url, server.code, "bestuurstafel"))
    with saved(page, "visie"):
        _tap_scale(page, "visie", 2)
    log_start = server.log.stat().st_size
    refusals = []
    page.on("response", lambda r: refusals.append(r) if r.status == 503 else None)
    block()
    try:
        _tap_scale(page, "deskundigheid", 4)
        status = form(page, "deskundigheid").locator("[data-status]")
        expect(status).to_have_text("Niet opgeslagen: de opslag is even niet bereikbaar")
        expect(_netbar(page)).to_contain_text("1 antwoord(en) nog niet verstuurd")
        with page.expect_response(lambda r: r.status == 503, timeout=30_000):
            pass  # ... and tries again by itself while it is refused
        assert stored(db, name, "bestuurstafel") == {"visie": 2}  # nothing half-written
    finally:
        unblock()
    settled(page)
    expect(form(page, "deskundigheid").locator("[data-status]")).to_have_text("✓ Opgeslagen")
    expect(_netbar(page)).to_be_hidden()
    assert stored(db, name, "bestuurstafel") == {"visie": 2, "deskundigheid": 4}
    assert len(refusals) >= 2
    with server.log.open("rb") as handle:
        handle.seek(log_start)
        logged = handle.read().decode(errors="replace")
    assert reason in logged
    assert "Traceback" not in logged
    assert "127.0.0.1" not in logged and "t=" not in logged


def test_locked_database_says_not_saved_then_sends_the_queued_answer(tmp_path, open_page):
    """Another process holds the database's write lock (BEGIN EXCLUSIVE) while a phone
    answers: does the page say 'Niet opgeslagen', keep the answer and retry, write
    nothing half, and store the answer once the lock is gone?"""
    env = {"WORKSHOP_BUSY_TIMEOUT_MS": "500"}
    with participant_server(tmp_path, "Slot", EXERCISES, env=env) as (server, session, db):
        page, recorder = open_page(*PHONE)
        name = join(page, server.url, session.code, "Geduldig")
        locker = sqlite3.connect(db, isolation_level=None, timeout=5)
        try:
            _refused_then_sent(
                page,
                server,
                db,
                name,
                lambda: locker.execute("BEGIN EXCLUSIVE"),
                lambda: locker.execute("ROLLBACK"),
                "the database is busy",
            )
        finally:
            locker.close()
        assert _sqlite(db, "PRAGMA integrity_check") == [("ok",)]
        assert recorder.blocked == []


@pytest.fixture
def small_disk(tmp_path):
    """A real 3 MB filesystem (tmpfs) for the database; needs root to mount."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m,mode=0700", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs ({result.stderr.strip()}); run as root")
    yield mount
    if subprocess.run(["umount", str(mount)], capture_output=True).returncode != 0:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_full_disk_says_not_saved_then_sends_the_queued_answer(tmp_path, small_disk, open_page):
    """The database's filesystem fills up while a phone answers: the same as a lock
    ('Niet opgeslagen', kept and retried, nothing half-written), the log says the disk is
    full, and once space is freed the queued answer is stored."""
    from toolkit.store import Store

    db = small_disk / "workshop.db"
    store = Store.open(f"sqlite:///{db}")
    session = store.create_session("Vol", organiser="Testorganisator", exercises=EXERCISES)
    store.close()
    filler = small_disk / "filler"

    def fill() -> None:
        handle = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while True:  # short writes take the last pages too
                os.write(handle, b"\0" * 65536)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc
        finally:
            os.close(handle)
        assert shutil.disk_usage(small_disk).free < 4096

    env = {"WORKSHOP_BUSY_TIMEOUT_MS": "500"}
    with WebServer(tmp_path, session.code, db=f"sqlite:///{db}", env=env) as server:
        page, recorder = open_page(*PHONE)
        name = join(page, server.url, session.code, "Volle schijf")
        _refused_then_sent(page, server, db, name, fill, filler.unlink, "the disk is full")
        assert recorder.blocked == []
    assert _sqlite(db, "PRAGMA integrity_check") == [("ok",)]


# --- 4. a flood of taps on a dot stepper (issue 12) -----------------------------------------
TAPS, REAL_TAPS = 10_000, 1_000
# Taps from inside the page, one per task of its event loop: the replies of the server,
# the timers and the drawing get their turns in between, as with real taps, only faster.
TAP_ON = """async ([start, end]) => {
  const plus = [...document.querySelectorAll("form[data-q=votes] button[value$=':1']")];
  const channel = new MessageChannel();
  const turn = () => new Promise(resolve => { channel.port1.onmessage = resolve;
                                               channel.port2.postMessage(0); });
  for (let tap = start; tap < end; tap++) { plus[tap % plus.length].click(); await turn(); }
}"""


def test_ten_thousand_taps_on_a_dot_stepper(tmp_path, open_page):
    """10,000 taps on the dots' '+' buttons as fast as the page takes them (the first
    1,000 as pointer taps through the browser, the rest from inside the page), then one '-':
    is no stored answer ever over the budget (5 dots, at most 3 per option), and once the
    taps stop, does the page show the saved state, the same as the store (no drift
    between the page's count and the stored answer)?

    Every answer the server acknowledged is an answer it stored; the page's requests are
    recorded and each acknowledged one is checked against the budget."""
    with participant_server(tmp_path, "Stippen", EXERCISES) as (server, session, db):
        page, recorder = open_page(*PHONE)
        name = join(page, server.url, session.code, "Snelle Tikker")
        page.goto(exercise_url(server.url, session.code, "behoeften"))
        votes = form(page, "votes")
        acknowledged: list[dict[str, int]] = []

        def on_response(response) -> None:
            if response.request.method == "POST" and response.url.endswith("/votes"):
                body = parse_qs(response.request.post_data or "")
                counts = {k[2:]: int(v[0]) for k, v in body.items() if k.startswith("d.")}
                if response.status == 200:
                    acknowledged.append(counts)

        page.on("response", on_response)
        votes.locator(".dots").scroll_into_view_if_needed()
        plus = [b.bounding_box() for b in votes.locator("button[value$=':1']").all()]
        assert len(plus) == 4 and all(box["y"] > 0 for box in plus)
        for tap in range(REAL_TAPS):  # through the browser's input, as a finger does
            box = plus[tap % 4]
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.evaluate(TAP_ON, [REAL_TAPS, TAPS])  # the rest faster than any finger
        expect(votes.locator(".dots-left")).to_have_text("Nog 0 van 5 stippen")
        settled(page)  # the save of the fifth dot (the taps after it changed nothing)
        minus = votes.locator("button[value$=':-1']").first
        with saved(page, "votes"):
            minus.click()

        expect(votes.locator("[data-status]")).to_have_text("✓ Opgeslagen")
        shown = {
            key[2:]: int(value)
            for key, value in votes.locator("input.dot-count").evaluate_all(
                "inputs => inputs.map(i => [i.name, i.value])"
            )
        }
        kept = stored(db, name, "behoeften")["votes"]
        assert {k: v for k, v in shown.items() if v} == kept  # the page shows what is stored
        assert sum(kept.values()) == 4 and max(kept.values()) <= 3
        expect(votes.locator(".dots-left")).to_have_text("Nog 1 van 5 stippen")
        assert acknowledged, "no save was acknowledged"
        for counts in acknowledged:
            assert sum(counts.values()) <= 5 and max(counts.values()) <= 3, counts
        page.reload()  # a fresh page agrees with the store too
        for key, value in kept.items():
            assert form(page, "votes").locator(f"input[name='d.{key}']").input_value() == str(value)
        assert recorder.blocked == []
