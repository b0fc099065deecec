"""Privacy of a whole workshop, end to end: what the join screen says, what the store, the
server logs and the terminal keep (no IP addresses, no tokens, no query strings, nothing a
client sent), and what `workshop purge` leaves behind (nothing of the session, not even as
bytes in the SQLite file or its WAL).

The session runs through the real ``workshop serve`` on 127.0.0.2 (the LAN address); the
participants are the protocol client of the web app (``toolkit.web.client``) and a few
hand-made requests that provoke Tornado's own messages (a malformed request, headers too
large, a body that never comes), all from their own loopback address, 127.0.0.9, so an
address that reached a table, a log line or the terminal can be told from the servers' own.
"""

from __future__ import annotations

import asyncio
import html
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, inspect, text

from tests.support.servers import ROOT, WorkshopServe
from tests.support.web import raw_request
from toolkit.i18n import t
from toolkit.store import Store
from toolkit.web.client import Participant

pytestmark = pytest.mark.server

CLIENT = "127.0.0.9"  # where every participant connects from
FORWARDED = "203.0.113.7"  # an address a client claims in X-Real-IP / X-Forwarded-For
ORGANISER = "Stichting Privacytoets"
NEED = "Geheime behoefte kwetsbare-zebra-7391"
OTHER_NEED = "Andere sessie blijft staan 4412"
IPV4 = re.compile(r"\d+\.\d+\.\d+\.\d+")


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
    """``workshop purge CODE --all --yes`` (everything of the session), on a SQLite that does
    not zero deleted content."""
    return subprocess.run(
        [sys.executable, "-c", _PLAIN_SQLITE, "purge", code, "--all", "--yes"],
        cwd=ROOT,
        env={**os.environ, "WORKSHOP_DATA": str(data)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _shown_text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


async def _participants(base: str, code: str) -> list[dict]:
    """Two participants from CLIENT: join, listen live, add the secret need, answer the
    maturity scan, and open their personal link (the token in the query string)."""
    people = [Participant(base, code, f"Privé Persoon {i}", local=CLIENT) for i in (1, 2)]
    seen, streams = [], []
    for person in people:
        await person.join()
        streams.append(person.listen("e/behoeften", timeout=15))
    for i, person in enumerate(people):
        _, reply = await person.answer(
            "behoeften", "needs", {"text": f"{NEED} {i}", "item": f"needs:00000000000{i}"}
        )
        assert reply["ok"], reply
        _, reply = await person.answer("bestuurstafel", "visie", {"v": str(2 + i)})
        assert reply["ok"], reply
        token = person.cookies["wt"]
        link = await person.fetch(f"/s/{code}/r?t={token}")
        assert link.code == 303, link.code
        wrong = await person.fetch(f"/s/{code}/r?t={token[:-3]}abc&code={code}")
        assert wrong.code == 404
        missing = await person.fetch(f"/nergens?t={token}&code={code}")
        assert missing.code == 404
        seen.append({"token": token, "xsrf": person.xsrf, "cookies": dict(person.cookies)})
    deadline = time.monotonic() + 30
    while not all(any(e[1] == "results" for e in p.events) for p in people):
        assert time.monotonic() < deadline, "no live results arrived"
        await asyncio.sleep(0.1)
    assert await asyncio.gather(*streams) == [599, 599]  # held open until their time-out
    return seen


def _provoke_tornado(port: int, code: str, token: str) -> None:
    """Requests that make Tornado itself log (from CLIENT): a malformed request line,
    headers over the limit, an absurd body length, a claimed forwarding address."""
    host = f"127.0.0.2:{port}"
    for request in (
        b"GET /\x01\x02 HTTP/1.1\r\nHost: " + host.encode() + b"\r\n\r\n",
        b"BREW /pot HTTP/9.9\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40_000 + b"\r\n\r\n",
        f"GET /s/{code}/?t={token} HTTP/1.1\r\nHost: {host}\r\nX-Real-IP: {FORWARDED}\r\n"
        f"X-Forwarded-For: {FORWARDED}\r\nConnection: close\r\n\r\n".encode(),
        f"POST /s/{code}/join HTTP/1.1\r\nHost: {host}\r\n"
        f"Content-Length: x{token}\r\n\r\n".encode(),
        f"POST /s/{code}/join HTTP/1.1\r\nHost: {host}\r\nContent-Length: 99999999999\r\n"
        "Expect: 100-continue\r\n\r\n".encode(),
    ):
        raw_request("127.0.0.2", port, request, local=CLIENT, timeout=10)


def _slow_body(port: int, code: str, token: str, finished: threading.Event) -> None:
    """A form whose body never arrives: the server times it out ("Timeout reading body
    from <address>" in Tornado's own words)."""
    try:
        with socket.create_connection(
            ("127.0.0.2", port), timeout=90, source_address=(CLIENT, 0)
        ) as sock:
            sock.sendall(
                f"POST /s/{code}/join HTTP/1.1\r\nHost: 127.0.0.2:{port}\r\n"
                f"Cookie: wt={token}\r\nContent-Length: 500\r\n\r\npseudonym=Traag".encode()
            )
            while sock.recv(4096):
                pass
    except OSError:
        pass
    finally:
        finished.set()


def test_no_address_or_token_is_kept_and_purge_leaves_nothing(tmp_path):
    """After a session through the real server: does the join screen name the organiser
    and what is kept; is there no IP address in any table, log or the terminal output
    (not even from Tornado's own messages about bad requests), no token or query string in
    any log line; and does `workshop purge CODE --yes` remove every row of the session and
    every byte of its pseudonyms and texts from the SQLite file and its WAL, while another
    session stays as it was?"""
    data = tmp_path / "data"
    db = data / "workshop.db"
    data.mkdir()
    other = Store.open(f"sqlite:///{db}")  # another session, which purge must not touch
    kept = other.create_session("Andere workshop", exercises=["behoeften"])
    person, _token = other.join(kept.code, "Blijvende Bever 12")
    other.save_answer(person, "behoeften", "needs:x1", {"text": OTHER_NEED})
    other.close()

    serve = WorkshopServe(
        data, host="127.0.0.2", args=("--new", "--expected", "3", "--organiser", ORGANISER)
    ).start()
    slow_done = threading.Event()
    try:
        code = serve.code
        threading.Thread(
            target=_slow_body, args=(serve.port, code, "nep", slow_done), daemon=True
        ).start()
        # The join screen: who organises, what is kept.
        transport = httpx.HTTPTransport(local_address=CLIENT)
        with httpx.Client(transport=transport, timeout=60) as browser:
            join = browser.get(serve.join_url)
        assert join.status_code == 200
        screen = _shown_text(join.text)
        assert f"{t('p_organiser')}: {ORGANISER}" in screen, screen
        assert t("p_privacy_title") in screen
        for kept_or_not in (
            "schuilnaam",
            "je antwoorden",
            "Geen echte naam, e-mailadres of IP-adres",
            "verwerkingsverantwoordelijke",
            "verwijdert de ruwe antwoorden",
            "Noem geen leerlingen of collega's in open antwoorden",
        ):
            assert kept_or_not in screen, kept_or_not

        # Protocol clients from their own address answer, listen and resume.
        base = f"http://127.0.0.2:{serve.port}"
        seen = asyncio.run(_participants(base, code))
        tokens = [s["token"] for s in seen]
        _provoke_tornado(serve.port, code, tokens[0])
        assert slow_done.wait(60), "the server never timed the slow body out"
    finally:
        stopped = serve.stop()
    assert stopped == 0, serve.text()[-2000:]

    store = Store.open(f"sqlite:///{db}")
    session = store.get_session(code)
    answers = store.answers(session.id)
    store.close()
    pseudonyms = sorted({a.pseudonym for a in answers})
    assert pseudonyms == ["Privé Persoon 1", "Privé Persoon 2"]
    assert sum(NEED in json.dumps(a.value, ensure_ascii=False) for a in answers) == 2

    # 1. No IP address in any table (every column of every row), nor in the file's bytes.
    engine = create_engine(f"sqlite:///{db}")
    try:
        for table, column, value in _rows(engine):
            shown = str(value)
            assert not IPV4.search(shown) and "::1" not in shown, (table, column, shown)
    finally:
        engine.dispose()
    raw = _file_bytes(db)
    assert CLIENT.encode() not in raw and FORWARDED.encode() not in raw
    assert not any(token.encode() in raw for token in tokens)

    # 2. Nor in the server logs or the terminal output: only the servers' own addresses in
    #    the links they print. Access-log lines carry no query string, no token, no code
    #    typed into a query.
    logs = {p.name: p.read_text(errors="replace") for p in sorted((data / "logs").glob("*.log"))}
    logs["serve output"] = serve.text()
    assert {"participant.log", "dashboard.log"} <= set(logs)
    own = (
        f"http://127.0.0.2:{serve.port}",
        f"http://127.0.0.1:{serve.dashboard_port}",
        f"127.0.0.2:{serve.port}",
        f"127.0.0.1:{serve.dashboard_port}",
    )
    access = []
    for name, content in logs.items():
        assert CLIENT not in content and FORWARDED not in content, name
        assert "::1" not in content, name
        for token in tokens:
            assert token not in content, name
        assert "Traag" not in content and "pseudonym=" not in content, name
        for line in content.splitlines():
            rest = line
            for address in own:
                rest = rest.replace(address, "")
            assert not IPV4.search(rest), (name, line)
            if "[workshop.access]" in line:
                access.append(line)
                assert "?" not in line and "t=" not in line and "code=" not in line, line
                assert "\x01" not in line and "/pot" not in line, line
    participant_log = logs["participant.log"]
    assert any(" GET /s/…/r " in line for line in access)  # the requests did pass
    assert all(code not in line for line in access)  # the join code is left out
    assert any("/live " in line for line in access)
    assert "closed a connection" in participant_log  # Tornado's messages, without address

    # 3. Purge: no row of the session in any table, no byte of it in the file or the WAL.
    contents = [p.encode() for p in pseudonyms] + [NEED.encode(), code.encode()]
    before = _file_bytes(db)
    assert all(c in before for c in contents[:-1]), "the checks below would prove nothing"
    result = _purge_with_plain_sqlite(data, code)
    assert result.returncode == 0, result.stderr
    assert "2 participants" in result.stdout, result.stdout

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
    assert not list(data.glob(f"join-{code}.*"))
