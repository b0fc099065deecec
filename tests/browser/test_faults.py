"""Faults during a workshop: the whole server killed with SIGKILL in the middle of a burst of
answers, a dropped connection, a locked database and a full disk.

Each test drives the real servers (``workshop serve`` or one workshop Voila server) and, where
a person would notice something, a real Chromium at phone size.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import errno
import html
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import psutil
import pytest

from bench.client import Participant
from tests.support.servers import VoilaServer, WorkshopServe
from toolkit.exercises.loader import default_exercises
from toolkit.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.server]

SCALES = list(default_exercises())[0]  # exercise 1: four scale questions


# --- helpers ---------------------------------------------------------------------------------
def _join(page, url: str) -> str:
    """Join at ``url``; return the resume address the page puts in its address bar."""
    page.goto(url)
    page.wait_for_selector(".workshop-join")
    page.click(".workshop-join")
    page.wait_for_selector(".workshop-overview")
    page.wait_for_function("() => location.search.includes('t=')")
    assert "code=" in page.url and "t=" in page.url
    return page.url


def _open_first_exercise(page) -> None:
    page.locator(".workshop-open-exercise").first.click()
    page.wait_for_selector(".workshop-exercise")


def _scale(page, number: int):
    return page.locator(".workshop-q-scale").nth(number)


def _seq(question) -> str | None:
    status = question.locator("[data-seq]")
    return status.first.get_attribute("data-seq") if status.count() else None


def _choose(page, number: int, index: int) -> None:
    """Click level ``index`` (0-based) of scale ``number``."""
    _scale(page, number).locator(".widget-radio-box label").nth(index).click()


def _answer(page, number: int, index: int, timeout: float = 30_000) -> None:
    """Choose a level and wait for a new "✓ Opgeslagen" under that question."""
    question = _scale(page, number)
    before = _seq(question)
    _choose(page, number, index)
    _wait_new_status(question, before, "ok", timeout)


def _wait_new_status(question, before: str | None, kind: str, timeout: float = 30_000) -> None:
    locator = question.locator(f".workshop-status-{kind}")
    deadline = time.monotonic() + timeout / 1000
    while time.monotonic() < deadline:
        if locator.count() and locator.first.get_attribute("data-seq") != before:
            return
        time.sleep(0.1)
    raise AssertionError(f"no new {kind} status under the question: {question.inner_text()}")


def _stored(store: Store, session_id: int) -> dict[str, dict[str, object]]:
    """pseudonym -> {item: value} for exercise 1."""
    found: dict[str, dict[str, object]] = {}
    for answer in store.answers(session_id, exercise=SCALES.id):
        found.setdefault(answer.pseudonym, {})[answer.item] = answer.value
    return found


def _sqlite(path: Path, query: str):
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return connection.execute(query).fetchall()


class RecordingParticipant(Participant):
    """bench.client's protocol participant that also remembers, per question id, the last
    value the app acknowledged, and the one answer sent but not (yet) acknowledged."""

    def __init__(self, base: str, code: str, answers: int):
        super().__init__(base, code, answers)
        self.pseudonym = ""
        self.acked: dict[str, int] = {}
        self.pending: tuple[str, int] | None = None

    async def _reader(self) -> None:
        try:
            await super()._reader()
        finally:  # a lost connection ends the waiting at once, not after the timeout
            self.closed = True
            self._changed.set()

    async def _until(self, predicate, timeout: float):
        deadline = time.monotonic() + timeout
        while not (found := predicate()):
            if getattr(self, "closed", False):
                raise ConnectionError("the connection to the kernel was lost")
            if time.monotonic() > deadline:
                raise TimeoutError("the app did not answer in time")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), deadline - time.monotonic())
            except TimeoutError:
                pass
        return found

    def _children(self, model: str) -> list[str]:
        return [
            c.removeprefix("IPY_MODEL_") for c in self.models.get(model, {}).get("children", [])
        ]

    def _question_of(self, radio: str) -> str:
        for model, state in list(self.models.items()):
            if "workshop-question" not in state.get("_dom_classes", ()):
                continue
            prompt, body = self._children(model)[:2]
            if radio in self._children(body):
                text = self.models[prompt].get("value", "")
                return next(q.id for q in SCALES.questions if html.escape(q.prompt("nl")) in text)
        raise AssertionError(f"radio buttons {radio} belong to no question")

    async def _answer(self, scales: list[str], timeout: float) -> None:
        self.pseudonym = next(
            state["value"]
            for state in self.models.values()
            if state.get("_model_name") == "TextModel" and state.get("description") == "Schuilnaam"
        )
        questions = {radio: self._question_of(radio) for radio in scales}
        statuses = self._with_class("workshop-save-status")
        for number in range(self.answers):
            radio = scales[number % len(scales)]
            level = number % 5
            self.pending = (questions[radio], level + 1)
            await self._choose(radio, level, statuses, timeout)
            self.acked[questions[radio]] = level + 1
            self.pending = None
            self.outcome.acknowledged += 1


class CuttableProxy:
    """A TCP relay between the browser and the server that can cut the network: drop every
    open connection (the kernel's websocket too) and refuse new ones until restored.

    Needed because Playwright's ``context.set_offline(True)`` leaves open websockets
    running (microsoft/playwright#4910): the kernel connection would never notice."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1"):
        self.target = (target_host, target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.cut = False
        self.refused = 0
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.cut:
                self.refused += 1
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def set_cut(self, cut: bool) -> None:
        self.cut = cut
        if cut:
            with self._lock:
                for end in self._open:
                    try:
                        end.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    end.close()
                self._open.clear()

    def close(self) -> None:
        self.set_cut(True)
        self.listener.close()


@pytest.fixture
def session_db(tmp_path):
    """A store with one session whose exercises are all open: (url, path, store, session)."""
    path = tmp_path / "workshop.db"
    url = f"sqlite:///{path}"
    store = Store.open(url)
    session = store.create_session(
        "Storingstest", organiser="Testorganisator", exercises=[e.id for e in default_exercises()]
    )
    yield url, path, store, session
    store.close()


# --- 1. kill -9 during a burst -------------------------------------------------------------
def test_kill9_during_a_burst_loses_no_acknowledged_answer(tmp_path, open_page):
    """Killing the supervisor, both servers and every kernel with SIGKILL while participants
    answer in parallel: is every acknowledged answer in the store; does `workshop serve`
    continue the session; does a resume link bring a participant's answers back? And when
    only the supervisor is killed, do its servers stop by themselves (else they would keep
    the ports and the next `workshop serve` could not start)?"""
    data = tmp_path / "data"
    serve = WorkshopServe(data, host="127.0.0.2", args=("--expected", "6")).start()
    base = f"http://127.0.0.2:{serve.port}"
    killed: list[psutil.Process] = []
    try:
        page, recorder = open_page(390, 844)
        resume = _join(page, serve.join_url)
        _open_first_exercise(page)
        _answer(page, 0, 1)  # level 2
        _answer(page, 2, 3)  # level 4

        clients = [RecordingParticipant(base, serve.code, answers=400) for _ in range(4)]

        async def burst() -> None:
            tasks = [asyncio.create_task(c.run(timeout=90)) for c in clients]
            deadline = time.monotonic() + 90
            while min(c.outcome.acknowledged for c in clients) < 3:
                failed = [c.outcome.error for c in clients if c.outcome.error]
                assert not failed, f"a client failed before the kill: {failed}"
                assert time.monotonic() < deadline, "the clients did not get going"
                await asyncio.sleep(0.02)
            tree = psutil.Process(serve.process.pid).children(recursive=True)
            killed.extend([psutil.Process(serve.process.pid), *tree])
            serve.kill9()  # mid-burst: answers are in flight
            await asyncio.gather(*tasks)

        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, burst()).result(timeout=180)
        # kill9() finds the servers among the supervisor's children, which races with the
        # supervisor's own death; SIGKILL whatever it missed, so the restart meets no
        # survivor holding a port.
        for process in killed:
            try:
                process.kill()
            except psutil.NoSuchProcess:
                pass
        _gone, alive = psutil.wait_procs(killed, timeout=10)
        assert not alive
        assert all(c.outcome.error for c in clients), "the kill did not interrupt the burst"
        assert sum(c.outcome.acknowledged for c in clients) >= 12

        store = Store.open(f"sqlite:///{data / 'workshop.db'}")
        try:
            session = store.get_session(serve.code)
            stored = _stored(store, session.id)
            names = [c.pseudonym for c in clients]
            assert len(set(names)) == len(names), f"two clients drew the same pseudonym: {names}"
            for client in clients:
                assert client.acked, client.outcome
                mine = stored.get(client.pseudonym, {})
                for item, value in client.acked.items():
                    in_flight = client.pending is not None and client.pending == (
                        item,
                        mine.get(item),
                    )
                    assert mine.get(item) == value or in_flight, (
                        client.pseudonym,
                        item,
                        value,
                        mine,
                    )
                unacknowledged = set(mine) - set(client.acked)
                assert unacknowledged <= ({client.pending[0]} if client.pending else set())
            assert _sqlite(data / "workshop.db", "PRAGMA integrity_check") == [("ok",)]
        finally:
            store.close()
    finally:
        if serve.process.poll() is None:
            serve.stop()

    # `workshop serve` again, same data folder and ports: the same session continues.
    again = WorkshopServe(data, host="127.0.0.2", args=("--expected", "2"))
    again.port, again.dashboard_port = serve.port, serve.dashboard_port
    again.start()
    try:
        assert again.code == serve.code
        assert "continuing" in again.text()
        assert recorder.blocked == []
        page, recorder = open_page(390, 844)
        page.goto(resume)  # the link as it was in the address bar before the kill
        page.wait_for_selector(".workshop-overview")
        overview = page.inner_text(".workshop-overview")
        assert "Welkom terug" in overview
        assert "2 van 4 beantwoord" in page.locator(".workshop-exercise-card").first.inner_text()
        _open_first_exercise(page)
        assert _scale(page, 0).locator("input").nth(1).is_checked()
        assert _scale(page, 2).locator("input").nth(3).is_checked()
        assert page.locator(".workshop-q-scale input:checked").count() == 2
        assert recorder.blocked == []

        # Only the supervisor killed: its servers notice and stop, kernels included.
        servers = psutil.Process(again.process.pid).children(recursive=True)
        assert servers
        os.kill(again.process.pid, signal.SIGKILL)
        again.process.wait(10)
        _gone, alive = psutil.wait_procs(servers, timeout=30)
        for process in alive:  # leave nothing behind, then fail
            process.kill()
        assert not alive, f"orphaned servers/kernels: {[p.pid for p in alive]}"
        assert "the workshop supervisor has gone" in (data / "logs" / "participant.log").read_text()
    finally:
        if again.process.poll() is None:
            again.stop()


# --- 2. a dropped connection ---------------------------------------------------------------
def test_dropped_connection_shows_reconnecting_and_continues(tmp_path, session_db, open_page):
    """A phone loses the network, then gets it back: does the page say it is reconnecting,
    does the app continue afterwards, and when the server stays unreachable (the browser
    still thinks it is online), does the page say so too and offer a reload that brings
    every acknowledged answer back?

    The offline period is 12 s instead of 30 s. What happens does not depend on the length:
    Chromium's offline emulation and the cut relay make every reconnection attempt fail at
    once, so the page sees the same events (its websocket closed, attempts failing on
    JupyterLab's back-off of 0, ≤1, ≤3, ≤7, ≤15 ... s); the server keeps the kernel (idle
    kernels are culled after 15 minutes) and buffers its messages for the session. The one
    length-dependent outcome, JupyterLab giving up after seven attempts, is covered by the
    second part: a cut that lasts until the page offers the reload."""
    url, path, store, session = session_db
    with VoilaServer(
        {"/": "participant.ipynb"},
        tmp_path,
        pools={"participant.ipynb": 2},
        env={"WORKSHOP_DB": url, "WORKSHOP_DATA": str(tmp_path)},
    ) as server:
        proxy = CuttableProxy(server.port)
        try:
            page, recorder = open_page(390, 844)
            context = page.context
            resume = _join(page, f"{proxy.url}/?code={session.code}")
            _open_first_exercise(page)
            _answer(page, 0, 1)
            banner = page.locator("#workshop-offline")
            assert not banner.is_visible()

            # The network goes: the browser's offline events and the real connection.
            context.set_offline(True)
            proxy.set_cut(True)
            banner.wait_for(state="visible", timeout=3_000)
            assert "opnieuw verbinden" in banner.inner_text()
            time.sleep(12)
            assert banner.is_visible()
            context.set_offline(False)
            proxy.set_cut(False)

            # Back: the app continues (JupyterLab reconnects to the same kernel).
            question = _scale(page, 1)
            before = _seq(question)
            _choose(page, 1, 2)
            try:
                _wait_new_status(question, before, "ok", timeout=60_000)
                banner.wait_for(state="hidden", timeout=10_000)
                acknowledged = {"visie": 2, "deskundigheid": 3}
            except AssertionError:
                # The connection could not be resumed: the page must offer the reload.
                page.locator("#workshop-reload").wait_for(state="visible", timeout=15_000)
                page.locator("#workshop-reload").click()
                page.wait_for_selector(".workshop-overview")
                acknowledged = {"visie": 2}
            answers = {a.item: a.value for a in store.answers(session.id)}
            assert {k: answers.get(k) for k in acknowledged} == acknowledged

            # The server unreachable while the browser believes it is online (the venue's
            # wifi still up, the laptop gone): the banner shows, then offers a reload.
            if not page.locator(".workshop-exercise").count():
                _open_first_exercise(page)
            proxy.set_cut(True)
            banner.wait_for(state="visible", timeout=5_000)
            reload = page.locator("#workshop-reload")
            reload.wait_for(state="visible", timeout=20_000)
            proxy.set_cut(False)
            reload.evaluate("button => button.click()")  # the button the participant sees
            page.wait_for_selector(".workshop-overview")
            assert page.url.split("?")[1] == resume.split("?")[1]
            assert "Welkom terug" in page.inner_text(".workshop-overview")
            assert not banner.is_visible()
            _open_first_exercise(page)
            for item, value in acknowledged.items():
                number = [q.id for q in SCALES.questions].index(item)
                assert _scale(page, number).locator("input").nth(value - 1).is_checked()
            assert recorder.blocked == []
        finally:
            proxy.close()


# --- 3. the database locked, the disk full -------------------------------------------------
def _refusal_then_retry(page, store, session, server_log: Path, block, unblock, reason: str):
    """Answer while ``block()`` is in force: "Niet opgeslagen" with a retry, nothing half
    written, one log line; after ``unblock()`` the retry saves."""
    _open_first_exercise(page)
    _answer(page, 0, 1)
    person = store.answers(session.id)[0]
    seen_before = _sqlite_last_seen(store, person.participant_id)
    log_start = server_log.stat().st_size
    block()
    try:
        question = _scale(page, 1)
        before = _seq(question)
        _choose(page, 1, 3)
        _wait_new_status(question, before, "error", timeout=20_000)
        assert "Niet opgeslagen" in question.inner_text()
        retry = question.get_by_role("button", name="Opnieuw proberen")
        assert retry.is_visible()
        # Nothing half-written: no answer row, the participant row untouched, file sound.
        assert {a.item for a in store.answers(session.id)} == {"visie"}
        assert _sqlite_last_seen(store, person.participant_id) == seen_before
        for _ in range(2):  # retrying while it still fails: a new refusal each time
            before = _seq(question)
            retry.click()
            _wait_new_status(question, before, "error", timeout=20_000)
    finally:
        unblock()
    before = _seq(question)
    retry.click()
    _wait_new_status(question, before, "ok", timeout=20_000)
    assert "✓ Opgeslagen" in question.inner_text()
    assert not retry.is_visible()
    assert {a.item: a.value for a in store.answers(session.id)} == {"visie": 2, "deskundigheid": 4}
    time.sleep(0.5)
    with server_log.open("rb") as handle:
        handle.seek(log_start)
        logged = handle.read().decode(errors="replace")
    failures = [line for line in logged.splitlines() if "not saved" in line]
    assert len(failures) == 1, logged  # three refusals, one line
    assert reason in failures[0]
    assert "Traceback" not in logged
    assert "the store works again (saving)" in logged
    for address in ("127.0.0.1", "::1"):
        assert address not in logged


def _sqlite_last_seen(store: Store, participant_id: int):
    from sqlalchemy import select

    from toolkit.store.schema import participants

    with store.engine.connect() as connection:
        return connection.execute(
            select(participants.c.last_seen_at).where(participants.c.id == participant_id)
        ).scalar_one()


def test_locked_database_refuses_then_retry_saves(tmp_path, session_db, open_page, monkeypatch):
    """Another process holds the database's write lock (BEGIN EXCLUSIVE) while a participant
    answers: does the page say "Niet opgeslagen" with a retry, is nothing half-written, does
    the retry save once the lock is gone, and does the server log say so once?"""
    url, path, store, session = session_db
    # ipykernel leaves file descriptor 2 alone when it sees PYTEST_CURRENT_TEST; without it
    # the kernels redirect their stderr as in a workshop (the full-disk test keeps it, so
    # both ways to the server log are tested).
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)
    env = {"WORKSHOP_DB": url, "WORKSHOP_DATA": str(tmp_path), "WORKSHOP_BUSY_TIMEOUT_MS": "500"}
    with VoilaServer(
        {"/": "participant.ipynb"}, tmp_path, pools={"participant.ipynb": 1}, env=env
    ) as server:
        page, recorder = open_page(390, 844)
        _join(page, f"{server.url}/?code={session.code}")
        locker = sqlite3.connect(path, isolation_level=None, timeout=5)
        try:
            _refusal_then_retry(
                page,
                store,
                session,
                server.log,
                lambda: locker.execute("BEGIN EXCLUSIVE"),
                lambda: locker.execute("ROLLBACK"),
                "the database is busy",
            )
        finally:
            locker.close()
        assert _sqlite(path, "PRAGMA integrity_check") == [("ok",)]
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
        pytest.skip(
            f"cannot mount a small tmpfs here ({result.stderr.strip()}); "
            "run as root to test a full disk"
        )
    yield mount
    for _ in range(20):
        if subprocess.run(["umount", str(mount)], capture_output=True).returncode == 0:
            break
        time.sleep(0.5)
    else:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_full_disk_refuses_then_retry_saves(tmp_path, small_disk, open_page):
    """The database's filesystem fills up while a participant answers: the same behaviour
    as a lock ("Niet opgeslagen", retry, nothing half-written), the log says the disk is
    full, and once space is freed the retry saves."""
    path = small_disk / "workshop.db"
    url = f"sqlite:///{path}"
    store = Store.open(url)
    session = store.create_session("Vol", exercises=[e.id for e in default_exercises()])
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

    try:
        env = {
            "WORKSHOP_DB": url,
            "WORKSHOP_DATA": str(tmp_path),
            "WORKSHOP_BUSY_TIMEOUT_MS": "500",
        }
        with VoilaServer(
            {"/": "participant.ipynb"}, tmp_path, pools={"participant.ipynb": 1}, env=env
        ) as server:
            page, recorder = open_page(390, 844)
            _join(page, f"{server.url}/?code={session.code}")
            _refusal_then_retry(
                page, store, session, server.log, fill, filler.unlink, "the disk is full"
            )
            assert recorder.blocked == []
        assert _sqlite(path, "PRAGMA integrity_check") == [("ok",)]
    finally:
        store.close()
