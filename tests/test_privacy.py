"""Privacy of a whole workshop, end to end: what the join screen says, what the store, the
server logs and the terminal keep (no IP addresses, no tokens), and what `workshop purge`
leaves behind (nothing of the session, not even as bytes in the SQLite file or its WAL).

The session runs through the real ``workshop serve``: a real browser and protocol clients
(bench.client) that connect from their own loopback address, 127.0.0.9, so an address that
reached a table, a log line or the terminal can be told from the servers' own addresses.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
import websockets
from sqlalchemy import create_engine, inspect, text

import bench.client
from bench.client import Participant
from tests.browser import conftest as browser_fixtures
from tests.support.servers import ROOT, WorkshopServe
from toolkit.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.server]

CLIENT = "127.0.0.9"  # where the protocol clients connect from
ORGANISER = "Stichting Privacytoets"
NEED = "Geheime behoefte kwetsbare-zebra-7391"
OTHER_NEED = "Andere sessie blijft staan 4412"
IPV4 = re.compile(r"\d+\.\d+\.\d+\.\d+")


def _browser_visit(join_url: str) -> dict:
    """One participant in a real Chromium at phone size: read the join screen, join, add a
    free text, reload (a request with the resume token in its query string).

    Runs in a thread of its own with its own Playwright, so it can share a pytest run with
    the browser tests' session-wide Playwright (one sync Playwright per thread)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=browser_fixtures.CHROMIUM, headless=True, args=browser_fixtures.ARGS
        )
        try:
            context = chromium.new_context(viewport={"width": 390, "height": 844})
            recorder = browser_fixtures.Recorder()
            context.route("**/*", recorder.route)
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.goto(join_url)
            page.wait_for_selector(".workshop-join")
            join_screen = page.inner_text(".workshop-join-screen")
            page.click(".workshop-join")
            page.wait_for_selector(".workshop-overview")
            page.wait_for_function("() => location.search.includes('t=')")
            token = parse_qs(urlparse(page.url).query)["t"][0]
            page.locator(".workshop-open-exercise").nth(2).click()
            needs = page.locator(".workshop-q-free_text")
            needs.locator("textarea").fill(NEED)
            needs.get_by_role("button", name="Toevoegen").click()
            needs.locator(".workshop-own-text", has_text=NEED).wait_for()
            page.reload()
            page.wait_for_selector(".workshop-overview")
            return {"join_screen": join_screen, "token": token, "blocked": recorder.blocked}
        finally:
            chromium.close()


def _rows(engine):
    """Every value of every column of every table: (table, column, value)."""
    with engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            columns = [c["name"] for c in inspect(connection).get_columns(table)]
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):  # noqa: S608
                for column, value in zip(columns, row):
                    if value is not None:
                        yield table, column, value


def _session_rows(engine, session_id: int) -> dict[str, int]:
    """Rows that belong to the session, per table (found generically: a ``session_id``
    column, or the ``sessions`` table's own id)."""
    found = {}
    with engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            names = {c["name"] for c in inspect(connection).get_columns(table)}
            column = (
                "session_id" if "session_id" in names else ("id" if table == "sessions" else None)
            )
            if column:
                found[table] = connection.execute(
                    text(f'SELECT count(*) FROM "{table}" WHERE "{column}" = :id'),  # noqa: S608
                    {"id": session_id},
                ).scalar_one()
    return found


def _file_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (db, Path(f"{db}-wal")) if p.exists())


# SQLite with its upstream default (secure_delete off: deleted content stays in the file
# until it is overwritten or vacuumed). Debian compiles SQLite with SECURE_DELETE, which would
# hide a purge that forgets to vacuum; other builds do not. Set before the store's own
# connect hook runs (SQLAlchemy runs class-level listeners first).
_PLAIN_SQLITE = """
import sys
import sqlalchemy.engine, sqlalchemy.event

@sqlalchemy.event.listens_for(sqlalchemy.engine.Engine, "connect")
def _plain(dbapi_connection, _record):
    if "sqlite" in type(dbapi_connection).__module__:
        dbapi_connection.execute("PRAGMA secure_delete=OFF")

from toolkit.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _purge_with_plain_sqlite(data: Path, code: str) -> subprocess.CompletedProcess:
    """``workshop purge CODE --yes``, on a SQLite that does not zero deleted content."""
    return subprocess.run(
        [sys.executable, "-c", _PLAIN_SQLITE, "purge", code, "--yes"],
        cwd=ROOT,
        env={**os.environ, "WORKSHOP_DATA": str(data)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _from_client_address(monkeypatch) -> None:
    """Make bench.client's HTTP and websocket connections start at CLIENT."""
    client, connect = httpx.AsyncClient, websockets.connect
    monkeypatch.setattr(
        bench.client.httpx,
        "AsyncClient",
        lambda **kw: client(transport=httpx.AsyncHTTPTransport(local_address=CLIENT), **kw),
    )
    monkeypatch.setattr(
        bench.client.websockets, "connect", functools.partial(connect, local_addr=(CLIENT, 0))
    )


def test_no_address_or_token_is_kept_and_purge_leaves_nothing(tmp_path, monkeypatch):
    """After a session through the real server: no IP address in any table, log or the
    terminal output; no token or code in access-log lines; the join screen names the
    organiser and what is kept; and `workshop purge CODE --yes` removes every row of the
    session and every byte of its pseudonyms and texts from the SQLite file and its WAL,
    while another session stays as it was."""
    data = tmp_path / "data"
    db = data / "workshop.db"
    other = Store.open(f"sqlite:///{db}")  # another session, which purge must not touch
    kept = other.create_session("Andere workshop", exercises=["behoeften"])
    person, _token = other.join(kept.code, "Blijvende Bever 12")
    other.save_answer(person, "behoeften", "needs:x1", {"text": OTHER_NEED})
    other.close()

    serve = WorkshopServe(
        data, host="127.0.0.2", args=("--new", "--expected", "3", "--organiser", ORGANISER)
    ).start()
    try:
        # The join screen, in a browser: who organises, what is kept.
        if not Path(browser_fixtures.CHROMIUM).exists():
            pytest.fail(f"Chromium not found at {browser_fixtures.CHROMIUM}")
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            seen = pool.submit(_browser_visit, serve.join_url).result(timeout=240)
        join_screen, token = seen["join_screen"], seen["token"]
        assert f"Organisator: {ORGANISER}" in join_screen
        assert "Wat we bewaren" in join_screen
        for kept_or_not in (
            "schuilnaam",
            "je antwoorden",
            "Geen naam, e-mailadres of IP-adres",
            "verantwoordelijk",
            "verwijdert de ruwe antwoorden",
        ):
            assert kept_or_not in join_screen, kept_or_not
        assert seen["blocked"] == []

        # Protocol clients from their own address answer exercise 1.
        _from_client_address(monkeypatch)
        base = f"http://127.0.0.2:{serve.port}"

        async def visit():
            clients = [Participant(base, serve.code, answers=4) for _ in range(2)]
            return await asyncio.gather(*(c.run(timeout=90) for c in clients))

        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            outcomes = pool.submit(asyncio.run, visit()).result(timeout=180)
        assert [o.acknowledged for o in outcomes] == [4, 4], outcomes
    finally:
        stopped = serve.stop()
    assert stopped == 0, serve.text()[-2000:]

    store = Store.open(f"sqlite:///{db}")
    session = store.get_session(serve.code)
    answers = store.answers(session.id)
    store.close()
    pseudonyms = sorted({a.pseudonym for a in answers})
    assert len(pseudonyms) == 3
    assert any(NEED in json.dumps(a.value, ensure_ascii=False) for a in answers)

    # 1. No IP address in any table (every column of every row).
    engine = create_engine(f"sqlite:///{db}")
    try:
        for table, column, value in _rows(engine):
            shown = str(value)
            assert not IPV4.search(shown) and "::1" not in shown, (table, column, shown)
    finally:
        engine.dispose()
    assert CLIENT.encode() not in _file_bytes(db)

    # 2. Nor in the server logs or the terminal output; only the servers' own addresses in
    #    the links they print. Access-log lines carry no query string.
    logs = {p.name: p.read_text(errors="replace") for p in sorted((data / "logs").glob("*.log"))}
    logs["serve output"] = serve.text()
    assert {"participant.log", "dashboard.log"} <= set(logs)
    own = (f"http://127.0.0.2:{serve.port}", f"http://127.0.0.1:{serve.dashboard_port}")
    access = []
    for name, content in logs.items():
        assert CLIENT not in content, name
        assert "::1" not in content, name
        assert token not in content, name
        for line in content.splitlines():
            rest = line
            for address in own:
                rest = rest.replace(address, "")
            assert not IPV4.search(rest), (name, line)
            if "[workshop.access]" in line:  # after the time and the level
                access.append(line)
                assert "t=" not in line and "code=" not in line and "?" not in line, line
    assert any(" GET / " in line for line in access)  # the requests did pass through
    assert any("/channels" in line for line in access)

    # 3. Purge: no row of the session in any table, no byte of it in the file or the WAL.
    contents = [p.encode() for p in pseudonyms] + [NEED.encode(), session.code.encode()]
    before = _file_bytes(db)
    assert all(c in before for c in contents[:-1]), "the checks below would prove nothing"
    result = _purge_with_plain_sqlite(data, serve.code)
    assert result.returncode == 0, result.stderr
    assert "3 participants" in result.stdout

    engine = create_engine(f"sqlite:///{db}")
    try:
        remaining = _session_rows(engine, session.id)
        assert set(remaining) >= {"sessions", "participants", "answers", "contributions"}
        assert not any(remaining.values()), remaining
        for table, column, value in _rows(engine):
            shown = str(value)
            assert not any(c.decode() in shown for c in contents), (table, column, shown)
        with engine.connect() as connection:  # the other session is untouched
            left = connection.execute(text("SELECT value FROM answers")).scalars().all()
        assert [json.loads(v)["text"] for v in left] == [OTHER_NEED]
    finally:
        engine.dispose()
    leftover = _file_bytes(db)
    for content in contents:
        assert content not in leftover, f"{content!r} is still in the database file or its WAL"
    assert OTHER_NEED.encode() in leftover
    assert not list(data.glob(f"join-{serve.code}.*"))
