"""The participant server's doors: what an anonymous visitor on the venue's network can reach.

Against a real participant web server (``python -m toolkit.server`` with a ``web`` spec, as
`workshop serve` starts it): nothing of Jupyter answers (no API, no Voila, no websockets),
no URL yields a listing, a notebook, the database, a dataset file or source code (path
traversal included), the pages' own files are served (compressed, revalidated), every page
carries the security headers and runs no inline script, a forged or another session's
resume token never opens another participant's answers, the resume cookie stays with its
session, wrong join codes are slowed down per client, and the presenter view and the
dashboard are not reachable from the participant port or the LAN address.
"""

from __future__ import annotations

import hashlib
import html
import http.client
import re
import secrets
import socket
import sqlite3
from pathlib import Path

import httpx
import pytest

from tests.support.servers import WorkshopServe, participant_server
from tests.support.web import Visitor, read_response, stored
from toolkit.exercises.loader import default_exercises
from toolkit.i18n import t
from toolkit.store import Store
from toolkit.web.base import CSP
from toolkit.web.mapframe import MAP_CSP

pytestmark = pytest.mark.server

TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
EXERCISES = {e.id: e for e in default_exercises()}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A participant web server as `workshop serve` runs it, on a SQLite store holding one
    session with every exercise open."""
    with participant_server(tmp_path_factory.mktemp("doors"), "Deuren", EXERCISES) as served:
        yield served


def _raw(port: int, path: str, method: str = "GET", headers=None) -> tuple[int, dict, bytes]:
    """One request with the path exactly as written (no client-side '..' resolving)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _text(response) -> str:
    return html.unescape(response.text)


# --- nothing of Jupyter, no files ------------------------------------------------------------
DOORS = [
    # Jupyter Server and Voila
    "/api",
    "/api/",
    "/api/kernels",
    "/api/kernels/",
    "/api/kernels?format=json",
    "/api/kernels/0f6c3c4e-6b52-4f4e-9a59-1a8d7f1e2c3b",
    "/api/kernels/0f6c3c4e-6b52-4f4e-9a59-1a8d7f1e2c3b/channels",
    "/api/sessions",
    "/api/contents",
    "/api/contents/voila_apps/facilitator.ipynb",
    "/api/terminals",
    "/api/kernelspecs",
    "/api/config/notebook",
    "/api/spec.yaml",
    "/api/status",
    "/api/me",
    "/voila",
    "/voila/",
    "/voila/tree",
    "/voila/render/facilitator.ipynb",
    "/voila/render/explorer.ipynb",
    "/voila/files/workshop.db",
    "/voila/api/kernels",
    "/voila/api/shutdown/0f6c3c4e",
    "/voila/query/0f6c3c4e",
    "/voila/static/voila.js",
    "/voila/templates/workshop/static/workshop.css",
    "/voila/templates/workshop/static/../../../../../../etc/passwd",
    "/lab",
    "/lab/tree",
    "/tree",
    "/tree/",
    "/notebooks/facilitator.ipynb",
    "/files/workshop.db",
    "/terminals/1",
    "/login",
    "/logout",
    # the facilitator's side
    "/presenter",
    "/presenter/",
    "/presenter/live",
    "/presenter/static/participant.css",
    "/workshop/static/vis-network.min.js",
    "/map",
    # notebooks, the database, the data folder, the datasets, sources
    "/facilitator.ipynb",
    "/explorer.ipynb",
    "/voila_apps/facilitator.ipynb",
    "/notebooks/01_stakeholder_network.ipynb",
    "/workshop.db",
    "/workshop.db-wal",
    "/workshop-data/workshop.db",
    "/logs/participant.log",
    "/datasets/",
    "/datasets/stakeholders/organisations.csv",
    "/datasets/stakeholders/relations.csv",
    "/toolkit/",
    "/toolkit/web/app.py",
    "/toolkit/web/templates/base.html",
    "/pyproject.toml",
    "/.git/config",
    "/.env",
    # the static route, and '..' in every spelling
    "/static",
    "/static/",
    "/static/app.py",
    "/static/participant.JS",
    "/static/templates/base.html",
    "/static/../app.py",
    "/static/../../../pyproject.toml",
    "/static/%2e%2e/app.py",
    "/static/..%2fapp.py",
    "/static/%2e%2e%2f%2e%2e%2fstore%2fstore.py",
    "/static/participant.js/../../app.py",
    "/static/vis-network.min.js/..",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/..%5c..%5capp.py",
    "/../../etc/passwd",
    "/%2e%2e/pyproject.toml",
    "/..%2f..%2fpyproject.toml",
    "/s/../../pyproject.toml",
    "/s/{code}/../../toolkit/web/app.py",
    "/s/{code}/e/../../../pyproject.toml",
    "/s/{code}/e/behoeften/../../../../.git/config",
    "/s/{code}/e/behoeften/needs/../../../../../pyproject.toml",
    "/s/{code}/static/participant.js",
    "/s/{code}/map/frame/../../../../datasets/stakeholders/organisations.csv",
]
NEVER = [
    b'"cells":',
    b"SQLite format",
    b"id,name,type",
    b"source,target,relation",
    b"root:x:0:0",
    b"[project]",
    b"[core]",
    b"import ",
    b"def ",
    b"kernel",
    b"Traceback",
    b"jupyter",
    b"workshop-dashboard",
]


def _is_the_short_404(status: int, headers: dict, body: bytes, path: str) -> None:
    assert status == 404, f"{path}: HTTP {status}: {body[:200]!r}"
    assert headers.get("Content-Type", "").startswith("text/html"), (path, headers)
    assert headers.get("Content-Security-Policy") == CSP, path
    text = body.decode("utf-8")
    assert t("w_not_found", "nl") in text, f"{path}: {text[:300]}"
    assert len(body) < 4000, f"{path}: {len(body)} bytes"
    for marker in NEVER:
        assert marker not in body, f"{path} returned {marker!r}"


@pytest.mark.parametrize("path", DOORS)
def test_nothing_but_the_pages_is_served(served, path):
    """Is every address outside the route table (Jupyter's API and pages, Voila, the
    presenter view, notebooks, the database, the datasets, sources, '..' in every
    spelling) the short 'page does not exist' page with a 404, never a listing, a file or
    a 500?"""
    server, session, _ = served
    path = path.replace("{code}", session.code)
    _is_the_short_404(*_raw(server.port, path), path)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"])
def test_no_method_opens_a_jupyter_door(served, method):
    """Do the Jupyter API's addresses give the same 404 for every method (no 403 that
    tells a route exists, no 405 from a handler behind it), HEAD without a body?"""
    server, _, _ = served
    for path in ("/api/kernels", "/api/sessions", "/api/contents/x", "/voila/api/shutdown/x"):
        status, headers, body = _raw_with_body(server.port, path, method)
        if method == "HEAD":
            assert status == 404 and body == b"", (method, path, status)
        else:
            _is_the_short_404(status, headers, body, f"{method} {path}")


def _raw_with_body(port: int, path: str, method: str) -> tuple[int, dict, bytes]:
    body = b"{}" if method in ("POST", "PUT", "PATCH") else None
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_no_websocket_is_accepted(served):
    """Does a websocket handshake to the kernel channels, Voila's query socket, the live
    stream or a page get its plain answer (404, 403 without joining, the page) instead of
    ``101 Switching Protocols``?"""
    server, session, _ = served
    for path, expected in (
        ("/api/kernels/0f6c3c4e-6b52-4f4e-9a59-1a8d7f1e2c3b/channels?session_id=x", 404),
        ("/voila/query/0f6c3c4e", 404),
        ("/api/events/subscribe", 404),
        (f"/s/{session.code}/live?screen=", 403),
        ("/", 200),
    ):
        request = (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            f"Sec-WebSocket-Version: 13\r\nOrigin: http://127.0.0.1:{server.port}\r\n\r\n"
        ).encode()
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
            sock.sendall(request)
            status, headers, body = read_response(sock)
        assert status == expected and "sec-websocket-accept" not in headers, (path, status)
        assert "upgrade" not in headers.get("connection", "").lower(), (path, headers)


# --- the pages' own files --------------------------------------------------------------------
def _joined(server, session, local: str | None = None) -> Visitor:
    visitor = Visitor(server.url, local=local)
    visitor.join(session.code)
    return visitor


def _pages(session) -> list[str]:
    code = session.code
    return [
        "/",
        f"/s/{code}/",
        *(f"/s/{code}/e/{e}" for e in EXERCISES),
        f"/s/{code}/map",
    ]


def test_the_pages_own_files_are_served(served):
    """Do the files every participant page and the map load (script, styles, the map
    bundle) come with 200 and the right type, so the refusals above block nothing the
    pages need?"""
    server, session, _ = served
    with _joined(server, session) as visitor:
        links = set()
        for page in [*_pages(session), f"/s/{session.code}/map/frame"]:
            response = visitor.get(page)
            assert response.status_code == 200, page
            links |= set(re.findall(r'(?:src|href)="(/static/[^"]*)"', response.text))
        assert {link.split("?")[0] for link in links} >= {
            "/static/participant.js",
            "/static/participant.css",
            "/static/results.css",
            "/static/vis-network.min.js",
        }, links
        for link in sorted(links):
            response = visitor.get(html.unescape(link))
            assert response.status_code == 200 and response.content, link
            kind = response.headers["Content-Type"]
            assert ("javascript" in kind) if ".js" in link else ("text/css" in kind), (link, kind)
            assert response.headers["X-Content-Type-Options"] == "nosniff", link


def test_static_files_are_gzipped_and_revalidate(served):
    """Does the script come gzip-compressed with an ETag per encoding (a cache must not
    hand the compressed bytes to a client that did not ask for them), does a repeat visit
    that offers its ETag get a bodiless 304, and is it cached for years only when asked
    for with its content hash (``?v=``)?"""
    server, session, _ = served
    page = httpx.get(f"{server.url}/", timeout=60).text
    script = next(link for link in re.findall(r'src="(/static/[^"]*)"', page) if ".js" in link)
    assert "?v=" in script
    url = f"{server.url}{html.unescape(script)}"
    tags = {}
    for encoding in ("gzip", "identity"):
        first = httpx.get(url, headers={"Accept-Encoding": encoding}, timeout=60)
        assert first.status_code == 200 and first.content
        assert first.headers.get("Content-Encoding", "identity") == encoding
        assert "Accept-Encoding" in first.headers.get("Vary", "")
        assert "max-age=315360000" in first.headers.get("Cache-Control", "")  # ten years
        tags[encoding] = first.headers.get("ETag")
        assert tags[encoding], f"no ETag for {encoding}"
        again = httpx.get(
            url, headers={"Accept-Encoding": encoding, "If-None-Match": tags[encoding]}, timeout=60
        )
        assert again.status_code == 304 and not again.content
    assert tags["gzip"] != tags["identity"]  # two encodings, two entities
    wrong = httpx.get(
        url, headers={"Accept-Encoding": "identity", "If-None-Match": tags["gzip"]}, timeout=60
    )
    assert wrong.status_code == 200 and wrong.content  # the other encoding's tag is not it
    plain = httpx.get(f"{server.url}{script.split('?')[0]}", timeout=60)
    assert plain.status_code == 200
    assert "max-age" not in plain.headers.get("Cache-Control", "")  # no year without a hash
    assert "Could not open static file" not in server.log.read_text(errors="replace")


def test_static_files_are_compressed_again_when_they_change(tmp_path):
    """Is a static file's compressed body (made once per process, not per request) the
    file as it is now: the same bytes for a repeat request, new ones once the file has
    changed, and the plain file for a client that does not take gzip or asks for a range?"""
    import asyncio
    import gzip
    import os

    import tornado.httpclient
    import tornado.httpserver
    import tornado.netutil
    import tornado.web

    from toolkit.web.app import Static

    style = tmp_path / "look.css"
    style.write_text("body { color: red; }\n" * 200)

    async def fetch(client, url, encoding="gzip", **headers):
        return await client.fetch(
            url,
            headers={"Accept-Encoding": encoding, **headers},
            decompress_response=False,
            raise_error=False,
        )

    async def check():
        app = tornado.web.Application(
            [(r"/static/(.*)", Static, {"path": str(tmp_path)})], compress_response=True
        )
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        server = tornado.httpserver.HTTPServer(app)
        server.add_sockets(sockets)
        url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}/static/look.css"
        client = tornado.httpclient.AsyncHTTPClient(force_instance=True)
        try:
            first, again = await fetch(client, url), await fetch(client, url)
            assert first.headers["Content-Encoding"] == "gzip"
            assert "Accept-Encoding" in first.headers["Vary"]
            assert int(first.headers["Content-Length"]) == len(first.body)
            assert gzip.decompress(first.body) == style.read_bytes()
            assert again.body == first.body
            style.write_text("body { color: blue; }\n" * 200)
            later = os.stat(style).st_mtime + 10
            os.utime(style, (later, later))
            changed = await fetch(client, url)
            assert gzip.decompress(changed.body) == style.read_bytes()
            plain = await fetch(client, url, "identity")
            assert "Content-Encoding" not in plain.headers
            assert plain.body == style.read_bytes()
            part = await fetch(client, url, Range="bytes=0-9")
            assert part.code == 206 and gzip.decompress(part.body) == style.read_bytes()[:10]
        finally:
            client.close()
            server.stop()

    asyncio.run(check())


# --- security headers, no inline script ------------------------------------------------------
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER_ATTRIBUTE = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def _headers_are_safe(response, where: str) -> None:
    headers = response.headers
    policy = headers.get("Content-Security-Policy", "")
    assert policy == CSP, (where, policy)
    parts = {p.split()[0]: p.split()[1:] for p in policy.split("; ")}
    assert parts["default-src"] == ["'self'"]
    assert parts["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert parts["frame-ancestors"] == ["'self'"] and parts["object-src"] == ["'none'"]
    assert headers["X-Content-Type-Options"] == "nosniff", where
    assert headers["X-Frame-Options"] == "SAMEORIGIN", where
    assert headers["Referrer-Policy"] == "no-referrer", where
    assert headers["Cache-Control"] == "no-store", where
    if headers.get("Content-Type", "").startswith("text/html"):
        text = response.text
        assert not INLINE_SCRIPT.search(text), (where, INLINE_SCRIPT.search(text).group(0))
        assert not HANDLER_ATTRIBUTE.search(text), (where, HANDLER_ATTRIBUTE.search(text))
        assert "javascript:" not in text.lower(), where
        for address in re.findall(r'(?:src|href|action)="([^"]*)"', text):
            assert address.startswith(("/", "#", "?", "data:")) or address.startswith(
                f"http://127.0.0.1:{response.url.port}/"
            ), (where, address)


def test_every_page_has_the_security_headers_and_no_inline_script(served):
    """Does every page and every refusal carry the CSP (``default-src 'self'``, scripts only
    from this server, ``frame-ancestors 'self'``), ``nosniff``, ``SAMEORIGIN``, no referrer
    and ``no-store``, with no inline script, no event-handler attribute and no address of
    another host in it? Is the map frame sandboxed with its own stricter policy?"""
    server, session, _ = served
    code = session.code
    with _joined(server, session) as visitor:
        for page in _pages(session):
            _headers_are_safe(visitor.get(page), page)
        frame = visitor.get(f"/s/{code}/map/frame")
        assert frame.status_code == 200
        assert frame.headers["Content-Security-Policy"] == MAP_CSP
        assert "sandbox allow-scripts" in MAP_CSP and "frame-ancestors 'self'" in MAP_CSP
        assert "default-src 'none'" in MAP_CSP and "form-action 'none'" in MAP_CSP
        assert frame.headers["X-Content-Type-Options"] == "nosniff"
        refusals = {
            "404 page": visitor.get("/nergens"),
            "no xsrf": visitor.post(f"/s/{code}/e/bestuurstafel/visie", {"v": "2"}, xsrf=False),
            "no xsrf (json)": visitor.post(
                f"/s/{code}/e/bestuurstafel/visie", {"v": "2"}, xsrf=False, json_reply=True
            ),
            "refused answer": visitor.answer("bestuurstafel", "visie", {"v": "9"}),
            "refused answer (page)": visitor.answer(
                "bestuurstafel", "visie", {"v": "9"}, json_reply=False
            ),
            "bad screen": visitor.get(f"/s/{code}/live?screen=nergens"),
        }
        with Visitor(server.url) as newcomer:
            refusals["unknown resume link"] = newcomer.get(f"/s/{code}/r?t=nep")
            refusals["join page"] = newcomer.get(f"/s/{code}/")
        for where, response in refusals.items():
            assert response.status_code in (200, 400, 403, 404), (where, response.status_code)
            _headers_are_safe(response, where)
    with Visitor(server.url, local="127.0.0.3") as stranger:
        _headers_are_safe(stranger.get("/join?code=NERGENS"), "wrong code")
        _headers_are_safe(stranger.get("/s/NERGENS/"), "unknown session")


# --- one participant cannot reach another's answers ------------------------------------------
def _answers(db: Path, session_id: int) -> list[tuple]:
    return stored(
        db, "SELECT participant_id, item, value FROM answers WHERE session_id = ?", session_id
    )


def _sees_only_the_join_screen(server, code: str, token: str, pseudonym: str) -> None:
    """A browser holding ``token`` as its resume cookie for session ``code``."""
    with Visitor(server.url) as forger:
        forger.http.cookies.set("wt", token, path=f"/s/{code}/")
        page = forger.page(f"/s/{code}/")
        assert page.status_code == 200, token
        assert f'action="/s/{code}/join"' in page.text, token
        assert pseudonym not in _text(page), token
        assert f'action="/s/{code}/leave"' not in page.text, token  # not an overview
        exercise = forger.get(f"/s/{code}/e/bestuurstafel")
        assert exercise.status_code == 303 and exercise.headers["Location"] == f"/s/{code}/"
        assert forger.get(f"/s/{code}/map").status_code == 303
        assert forger.get(f"/s/{code}/map/frame").status_code == 403
        assert forger.get(f"/s/{code}/live?screen=e/bestuurstafel").status_code == 403
        refused = forger.post(f"/s/{code}/e/bestuurstafel/visie", {"v": "1"}, json_reply=True)
        assert refused.status_code == 403 and refused.json()["ok"] is False, token
        plain = forger.post(f"/s/{code}/e/bestuurstafel/visie", {"v": "1"})
        assert plain.status_code == 303 and plain.headers["Location"] == f"/s/{code}/"
        link = forger.get(f"/s/{code}/r", params={"t": token})
        assert link.status_code == 404, token
        assert t("w_resume_unknown", "nl") in _text(link) and pseudonym not in _text(link)


def test_forged_resume_tokens_show_the_join_screen(served):
    """With two participants joined (the first has answered), does a browser whose resume
    cookie or personal link holds a forged token (random, near misses, the stored hash, an
    id, SQL) or a token of another session see the join screen, never the first
    participant's overview or answers, and can it store nothing?"""
    server, _, db = served
    store = Store.open(f"sqlite:///{db}")
    try:
        session = store.create_session("Tokens", exercises=list(EXERCISES))
        elsewhere = store.create_session("Elders", exercises=list(EXERCISES))
    finally:
        store.close()
    first = Visitor(server.url)
    first.join(session.code, "Eerste Egel 11")
    token = first.token
    assert first.answer("bestuurstafel", "visie", {"v": "4"}).json()["ok"]
    with _joined(server, session) as second:
        other = second.token
    with Visitor(server.url) as third:
        third.join(elsewhere.code, "Derde Das 33")
        foreign = third.token
    before = _answers(db, session.id)
    assert len(before) == 1
    with sqlite3.connect(db) as connection:
        (person_id,) = connection.execute(
            "SELECT id FROM participants WHERE token_hash = ?",
            (hashlib.sha256(token.encode()).hexdigest(),),
        ).fetchone()
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    guesses = [
        secrets.token_urlsafe(24),  # a random token of the right form
        flipped,  # one character off
        token[:-1],
        token + "x",
        token.swapcase(),
        hashlib.sha256(token.encode()).hexdigest(),  # what the store keeps
        str(person_id),
        "' OR '1'='1",
        "%25",
        foreign,  # a real token, of another session
    ]
    for guess in guesses:
        _sees_only_the_join_screen(server, session.code, guess, "Eerste Egel 11")
    assert _answers(db, session.id) == before
    assert other != token and TOKEN.match(other) and TOKEN.match(foreign)
    # the real token does open the first participant's overview (so the test can tell)
    with Visitor(server.url) as back:
        link = back.get(f"/s/{session.code}/r", params={"t": token})
        assert link.status_code == 303
        overview = back.get(f"/s/{session.code}/")
        assert t("p_welcome_name", "nl", name="Eerste Egel 11") in _text(overview)
    first.close()


def test_resume_cookie_is_httponly_lax_and_stays_with_its_session(served):
    """Is the resume token set as an HttpOnly, SameSite=Lax cookie scoped to the session's
    own pages (``Path=/s/CODE/``), is the ``_xsrf`` cookie HttpOnly and Lax too, and is the
    token in no page but the participant's own overview (their personal link)?"""
    server, session, _ = served
    with Visitor(server.url) as visitor:
        joined = visitor.join(session.code, "Koekje Kever 20")
        cookies = joined.headers.get_list("set-cookie")
        resume = [c for c in cookies if c.startswith("wt=")]
        assert len(resume) == 1, cookies
        attributes = {part.strip().split("=")[0].lower(): part for part in resume[0].split(";")}
        assert "httponly" in attributes and attributes["samesite"].strip() == "SameSite=Lax"
        assert attributes["path"].strip() == f"Path=/s/{session.code}/", resume
        assert "domain" not in attributes
        xsrf = [c for c in visitor.http.cookies.jar if c.name == "_xsrf"]
        assert xsrf and xsrf[0].has_nonstandard_attr("HttpOnly"), xsrf
        assert (xsrf[0].get_nonstandard_attr("SameSite") or "").lower() == "lax"
        token = visitor.token
        overview = visitor.get(f"/s/{session.code}/")
        assert overview.text.count(token) == 2  # the personal link, as href and as text
        for page in _pages(session)[2:]:
            assert token not in visitor.get(page).text, page
        assert token not in visitor.get("/").text


def test_tokens_are_random_and_only_their_hash_is_kept(tmp_path):
    """Are resume tokens 32 url-safe characters, all different, kept only as their SHA-256
    (no token in the database file or its WAL), and is a token useful only in its own
    session and only exactly as issued?"""
    db = tmp_path / "w.db"
    store = Store.open(f"sqlite:///{db}")
    try:
        one, two = store.create_session("A"), store.create_session("B")
        issued = [store.join(one.code, f"Deelnemer {i}") for i in range(40)]
        tokens = [token for _, token in issued]
        assert all(TOKEN.match(token) for token in tokens)
        assert len(set(tokens)) == len(tokens)
        with sqlite3.connect(db) as connection:
            stored_hashes = dict(connection.execute("SELECT id, token_hash FROM participants"))
        for person, token in issued:
            assert stored_hashes[person.id] == hashlib.sha256(token.encode()).hexdigest()
        raw = b"".join(p.read_bytes() for p in (db, Path(f"{db}-wal")) if p.exists())
        assert not any(token.encode() in raw for token in tokens)
        person, token = issued[0]
        assert store.resume(one.code, token) == person
        assert store.resume(two.code, token) is None  # another session's code
        for guess in (
            token[:-1],
            token + "x",
            token.swapcase(),
            token.upper(),
            f" {token}",
            stored_hashes[person.id],
            str(person.id),
            person.pseudonym,
            "",
            "%",
            "*",
            "' OR '1'='1",
            token * 4,
            "\x00",
            f"{token}\x00",
        ):
            assert store.resume(one.code, guess) is None, guess
        assert all(store.resume(one.code, secrets.token_urlsafe(24)) is None for _ in range(200))
    finally:
        store.close()


# --- join codes cannot be guessed at speed ---------------------------------------------------
_WAIT = re.compile(r"(\d+) seconden")


def test_wrong_codes_are_slowed_down_per_client(served):
    """After ten wrong join codes from one address within a minute, does the eleventh try
    (typed, or as an address ``/s/CODE/``) get a 429 that says how long to wait (page and
    JSON, with ``Retry-After``), even for the right code, while another address
    (127.0.0.10) still finds its session? Does the code page say so beforehand?"""
    server, session, _ = served
    with Visitor(server.url, local="127.0.0.9") as guesser:
        assert t("w_tries_note", "nl") in _text(guesser.get("/"))
        for n in range(10):
            wrong = guesser.get("/join", params={"code": f"FOUT{n:02d}"})
            assert wrong.status_code == 404, n
            assert t("w_code_wrong", "nl") in _text(wrong)
        for attempt in (
            guesser.get("/join", params={"code": "FOUT99"}),
            guesser.get("/join", params={"code": session.code}),
            guesser.get("/s/FOUT98/"),
        ):
            assert attempt.status_code == 429, attempt.url
            shown = _text(attempt)
            wait = _WAIT.search(shown)
            assert wait and 1 <= int(wait.group(1)) <= 61, shown[-600:]
            assert t("w_too_many_tries", "nl", seconds=wait.group(1)) in shown
            assert 1 <= int(attempt.headers["Retry-After"]) <= 61
        as_json = guesser.get("/s/FOUT97/", headers={"Accept": "application/json"})
        assert as_json.status_code == 429 and as_json.json()["ok"] is False
        assert "seconden" in as_json.json()["message"]
    with Visitor(server.url, local="127.0.0.10") as neighbour:
        found = neighbour.get("/join", params={"code": session.code.lower()})
        assert found.status_code == 303 and found.headers["Location"] == f"/s/{session.code}/"
        assert neighbour.get("/join", params={"code": "FOUT00"}).status_code == 404


# --- the facilitator's side is not on the LAN ------------------------------------------------
def _refused(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=5).close()
    except OSError:
        return True
    return False


def test_presenter_and_dashboard_are_not_reachable_from_the_lan(tmp_path):
    """With `workshop serve --host 127.0.0.2` (the LAN address): does the participant port
    serve no presenter view, dashboard or Voila page, is the dashboard port closed on the
    LAN address and the participant port on loopback, and does the presenter view refuse a
    request whose Host is not a loopback name (a page elsewhere rebinding its own name to
    127.0.0.1)?"""
    with WorkshopServe(tmp_path / "data", host="127.0.0.2", args=("--new",)) as serve:
        lan = f"http://127.0.0.2:{serve.port}"
        for path in (
            "/presenter",
            "/presenter/live",
            "/presenter/static/participant.css",
            "/voila/render/facilitator.ipynb",
            "/voila/render/explorer.ipynb",
            "/voila/tree",
            "/workshop/static/vis-network.min.js",
        ):
            response = httpx.get(lan + path, timeout=60)
            assert response.status_code == 404, (path, response.status_code)
        assert httpx.get(serve.join_url, timeout=60).status_code == 200  # the LAN door is open
        assert _refused("127.0.0.2", serve.dashboard_port)
        assert _refused("127.0.0.1", serve.port)
        local = f"http://127.0.0.1:{serve.dashboard_port}"
        presenter = httpx.get(local + "/presenter", timeout=120)
        assert presenter.status_code == 200 and serve.code in presenter.text
        for host in ("evil.example", f"127.0.0.2:{serve.dashboard_port}", "workshop.lan"):
            for path in ("/presenter", "/presenter/live", "/presenter/static/participant.css"):
                response = httpx.get(local + path, headers={"Host": host}, timeout=120)
                assert response.status_code in (403, 400), (host, path, response.status_code)
                assert serve.code not in response.text, (host, path)
