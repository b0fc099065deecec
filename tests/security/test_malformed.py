"""Oversized and malformed input, at every level: through the real participant web app
(plain HTTP against a real server: what a hostile or broken client can post), at the store's
API (SQLite and PostgreSQL), and in the content files `workshop serve`, `workshop check` and
`workshop map validate` read.

Nothing malformed is stored (each case reads the SQLite file itself), the participant is
told why in plain words (JSON for the script, the page with the message otherwise), the
server keeps serving (this participant and the others), and broken content stops
`workshop serve` before anything listens, with every problem as ``file:line`` and no
traceback.
"""

from __future__ import annotations

import html
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.support.servers import ROOT, free_port, participant_server
from tests.support.web import Visitor, read_response, stored
from toolkit.exercises.loader import default_exercises
from toolkit.i18n import t
from toolkit.store import NotAllowed, Store
from toolkit.store.store import MAX_VALUE_BYTES

BIG = 10_000_000  # characters: the size of a pasted document
EXERCISES = {e.id: e for e in default_exercises()}
BEHOEFTEN = EXERCISES["behoeften"]
NEEDS = BEHOEFTEN.question("needs")
VOTES = BEHOEFTEN.question("votes")
ITEM = "needs:0123456789ab"  # a well-formed item name for one more need


# --- through the real app -------------------------------------------------------------------
@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A participant web server (as `workshop serve` runs it) on a SQLite store."""
    with participant_server(tmp_path_factory.mktemp("malformed"), "Misvormd", EXERCISES) as s:
        yield s


def _fresh_session(db: Path, **changes):
    """A session of its own for one test (every exercise open), on the server's store."""
    store = Store.open(f"sqlite:///{db}")
    try:
        session = store.create_session("Misvormd", exercises=list(EXERCISES))
        if changes:
            session = store.update_session(session.id, **changes)
        return session
    finally:
        store.close()


def _kept(db: Path, session_id: int) -> list[tuple]:
    """Everything the session holds besides its participants, read from the file."""
    return stored(
        db,
        "SELECT 'answer', participant_id, exercise, item, value FROM answers WHERE session_id = ?"
        " UNION ALL SELECT 'contribution', participant_id, kind, uid, payload FROM contributions"
        " WHERE session_id = ? ORDER BY 1, 4",
        session_id,
        session_id,
    )


def _joined(server, session, pseudonym: str = "Misvormde Meeuw 12", local=None) -> Visitor:
    visitor = Visitor(server.url, local=local)
    visitor.join(session.code, pseudonym)
    return visitor


def _refused_as_json(response, status: int, message: str) -> None:
    assert response.status_code == status, (response.status_code, response.text[:300])
    assert response.headers["Content-Type"].startswith("application/json")
    reply = response.json()
    assert reply["ok"] is False and reply["message"] == message, reply


def _refused_as_page(response, status: int, message: str) -> None:
    assert response.status_code == status, (response.status_code, response.text[:300])
    assert response.headers["Content-Type"].startswith("text/html")
    assert message in html.unescape(response.text), response.text[-1500:]


# (exercise, question, fields, message) the form never sends; each refused, nothing stored.
NEVER_OFFERED = {
    "single choice: unknown option": (
        "informatiestromen",
        "register",
        {"v": "de-conciërge"},
        t("error_choice"),
    ),
    "single choice: nothing chosen": ("informatiestromen", "register", {}, t("error_empty_choice")),
    "multiple choice: unknown option": (
        "ibp-bestuurstafel",
        "jaarverslag",
        [("v", "datalekken"), ("v", "geheim")],
        t("error_choice"),
    ),
    "scale: level 7": ("bestuurstafel", "visie", {"v": "7"}, t("error_choice")),
    "scale: level 0": ("bestuurstafel", "visie", {"v": "0"}, t("error_choice")),
    "scale: not a number": ("bestuurstafel", "visie", {"v": "drie"}, t("error_choice")),
    "scale: a fraction": ("bestuurstafel", "visie", {"v": "2.5"}, t("error_choice")),
    "grid: 0": ("stakeholders", "belang-invloed", {"x.gmr": "0", "y.gmr": "3"}, t("error_type")),
    "grid: 6": ("stakeholders", "belang-invloed", {"x.gmr": "3", "y.gmr": "6"}, t("error_type")),
    "grid: one axis only": (
        "stakeholders",
        "belang-invloed",
        {"x.gmr": "3", "y.gmr": ""},
        t("error_grid_both"),
    ),
    "grid: unknown organisation": (
        "stakeholders",
        "belang-invloed",
        {"x.nergens": "3", "y.nergens": "3"},
        t("error_choice"),
    ),
    "aim: a cell that does not exist": (
        "professionalisering",
        "negenvlak",
        {"m.cio": "strategy:finance"},
        t("error_choice"),
    ),
    "aim: unknown item": (
        "professionalisering",
        "negenvlak",
        {"m.conciërge": "strategy:business"},
        t("error_choice"),
    ),
    "raci: letter X": (
        "professionalisering",
        "taken",
        {"r.visie-beleid.bestuur": "X"},
        t("error_choice"),
    ),
    "raci: unknown task": (
        "professionalisering",
        "taken",
        {"r.koffie.bestuur": "A"},
        t("error_choice"),
    ),
    "raci: unknown role": (
        "professionalisering",
        "taken",
        {"r.visie-beleid.conciërge": "A"},
        t("error_choice"),
    ),
    "flows: unknown flow id": (
        "informatiestromen",
        "stromen",
        {"f.geheime-stroom.has": "yes"},
        t("error_choice"),
    ),
    "flows: an answer not offered": (
        "informatiestromen",
        "stromen",
        {"f.las-rod.has": "misschien"},
        t("error_choice"),
    ),
    "flows: a part not asked": (
        "informatiestromen",
        "stromen",
        {"f.las-rod.kosten": "yes"},
        t("error_type"),
    ),
    "dots: unknown option": ("behoeften", "votes", {"d.nergens": "1"}, t("error_choice")),
    "dots: negative": ("behoeften", "votes", {"d.training-im": "-1"}, t("error_type")),
    "dots: not a number": ("behoeften", "votes", {"d.training-im": "veel"}, t("error_type")),
    "dots: a step of 5": (
        "behoeften",
        "votes",
        {"d.training-im": "0", "step": "training-im:5"},
        t("error_type"),
    ),
    "dots: over the budget": (
        "behoeften",
        "votes",
        {"d.training-im": "3", "d.fora-praktijk": "2", "d.model-verwerkersovereenkomst": "1"},
        t("error_budget", used=6, budget=5),
    ),
    "dots: over the most per option": (
        "behoeften",
        "votes",
        {"d.training-im": "4"},
        t("error_per_option", limit=3),
    ),
    "dots: a step past the most per option": (
        "behoeften",
        "votes",
        {"d.training-im": "3", "step": "training-im:1"},
        t("error_per_option", limit=3),
    ),
    "text: empty": ("behoeften", "needs", {"text": "  ", "item": ITEM}, t("error_empty")),
    "text: too long": (
        "behoeften",
        "needs",
        {"text": "x" * 201, "item": ITEM},
        t("error_too_long", length=201, limit=200),
    ),
    "text: a made-up item name": (
        "behoeften",
        "needs",
        {"text": "Meer tijd", "item": "needs:../../x"},
        t("error_type"),
    ),
    "text: another question's item": (
        "behoeften",
        "needs",
        {"text": "Meer tijd", "item": "votes:0123456789ab"},
        t("error_type"),
    ),
    "text: removing what is not one's own": (
        "behoeften",
        "needs",
        {"remove": "needs:ffffffffffff"},
        t("error_choice"),
    ),
    "map: a made-up addition id": (
        "stakeholders",
        "aanvullen",
        {"uid": "1", "add": "organisation", "name": "X"},
        t("error_type"),
    ),
    "map: a kind not offered": (
        "stakeholders",
        "aanvullen",
        {"uid": "a" * 32, "add": "persoon", "name": "X"},
        t("error_choice"),
    ),
}


@pytest.mark.parametrize("case", list(NEVER_OFFERED))
def test_values_the_form_never_offers_are_refused(served, case):
    """Is a value the page never offers (an unknown option, level 7, grid 0 or 6, a cell of
    the information model that does not exist, RACI letter X, an unknown flow, more dots than
    the budget, a made-up item) refused with the rule in plain words, as JSON for the
    script and as the page for the plain form, with nothing stored?"""
    server, _, db = served
    session = _fresh_session(db)
    exercise, question, fields, message = NEVER_OFFERED[case]
    with _joined(server, session) as visitor:
        _refused_as_json(visitor.answer(exercise, question, fields), 400, message)
        page = visitor.answer(exercise, question, fields, json_reply=False)
        _refused_as_page(page, 400, message)
        assert f'id="q-{question}"' in page.text  # the exercise page, the message at its form
    assert _kept(db, session.id) == []


def test_a_plain_form_answer_is_stored_and_redirected_with_see_other(served):
    """Does a plain form's answer that is fine get stored and answered with ``303 See
    Other`` back to the exercise (a 301 would tell the browser the form's address moved
    for good)?"""
    server, _, db = served
    session = _fresh_session(db)
    with _joined(server, session) as visitor:
        saved = visitor.answer("bestuurstafel", "visie", {"v": "3"}, json_reply=False)
        assert saved.status_code == 303, saved.status_code
        assert saved.headers["Location"] == (
            f"/s/{session.code}/e/bestuurstafel?saved=visie#q-visie"
        )
        page = visitor.get(saved.headers["Location"])
        assert t("p_saved") in html.unescape(page.text)
    assert [row[2:] for row in _kept(db, session.id)] == [("bestuurstafel", "visie", "3")]


def test_two_accountables_in_a_raci_task_are_stored_and_shown_as_a_gap(served):
    """Two A's in one task break the RACI rule, but they are an answer worth keeping: is it
    stored (not refused), and does the participant's own line and the group's card show the
    rule as a gap?"""
    server, _, db = served
    session = _fresh_session(db)
    fields = {
        "r.visie-beleid.bestuur": "A",
        "r.visie-beleid.schoolleiding": "A",
        "r.visie-beleid.informatiemanagement": "R",
    }
    with _joined(server, session) as visitor:
        reply = visitor.answer("professionalisering", "taken", fields)
        assert reply.status_code == 200 and reply.json()["ok"], reply.text[:300]
        many = t("p_raci_many_a")
        assert many in html.unescape(reply.json()["own"]["taken"])
        page = html.unescape(visitor.get(f"/s/{session.code}/e/professionalisering").text)
        group = page.split('data-block="taken"', 1)[1]
        assert many in group and "card gap" in group
    (row,) = _kept(db, session.id)
    assert row[2:4] == ("professionalisering", "taken")
    assert json.loads(row[4]) == {
        "visie-beleid": {"bestuur": "A", "schoolleiding": "A", "informatiemanagement": "R"}
    }


def _cookie_header(visitor: Visitor) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in visitor.http.cookies.jar)


def _huge_post(server, visitor: Visitor, path: str, length: int, accept: str) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
        f"Cookie: {_cookie_header(visitor)}\r\nAccept: {accept}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {length}\r\n\r\n"
    ).encode()


def test_an_oversized_body_is_refused_before_it_is_read(served):
    """Does a request that announces a body over the limit (``Content-Length`` of 10 GB,
    none of it sent) get ``413`` with the plain-words message at once (JSON for the
    script, the page otherwise), so the server neither waits for nor keeps the body, and
    is nothing stored? Is a body far over the limit that does come dropped as it arrives,
    the answer still reaching the client that is sending it?"""
    server, _, db = served
    session = _fresh_session(db)
    too_large = t("w_too_large")
    with _joined(server, session) as visitor:
        path = f"/s/{session.code}/e/behoeften/needs"
        for accept, kind in (("application/json", "application/json"), ("text/html", "text/html")):
            request = _huge_post(server, visitor, path, 10 * 2**30, accept)
            with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
                sock.sendall(request)  # the headers only: the body never comes
                status, headers, body = read_response(sock)
            assert status == 413, (status, body[:200])
            assert headers["content-type"].startswith(kind)
            if kind == "application/json":
                assert json.loads(body) == {"ok": False, "message": too_large}
            else:
                assert too_large in html.unescape(body.decode("utf-8"))
            assert headers["content-security-policy"], headers
        # 20 MB that do come, in pieces, while the answer is read: dropped, not kept
        request = _huge_post(server, visitor, path, 20 * 2**20, "application/json")
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
            sock.sendall(request)
            piece = b"text=" + b"x" * (2**20 - 5)
            for _ in range(20):
                sock.sendall(piece)
            status, _, body = read_response(sock)
        assert status == 413 and json.loads(body)["message"] == too_large
    assert _kept(db, session.id) == []


def test_ten_megabytes_of_text_are_refused_and_others_still_served(served):
    """Is a 10 MB text posted as a need refused ("too much text at once", nothing stored),
    while a second participant on the same server still joins and has an answer saved,
    and does the same box then take a normal need?"""
    server, _, db = served
    session = _fresh_session(db)
    with _joined(server, session) as visitor:
        refused = visitor.answer("behoeften", "needs", {"text": "x" * BIG, "item": ITEM})
        _refused_as_json(refused, 413, t("w_too_large"))
        page = visitor.answer(
            "behoeften", "needs", {"text": "x" * BIG, "item": ITEM}, json_reply=False
        )
        _refused_as_page(page, 413, t("w_too_large"))
        assert _kept(db, session.id) == []
        with _joined(server, session, "Andere Otter 40") as other:
            assert other.answer("bestuurstafel", "visie", {"v": "2"}).json()["ok"]
        saved = visitor.answer(
            "behoeften", "needs", {"text": "Meer tijd voor informatiemanagement", "item": ITEM}
        )
        assert saved.status_code == 200 and saved.json()["ok"], saved.text[:300]
    kept = _kept(db, session.id)
    assert len(kept) == 2 and all(len(row[4]) < 1000 for row in kept)


def test_too_many_fields_are_refused_and_nothing_stored(served):
    """Are hundreds of fields the question does not have (or one option given hundreds of
    times) refused in plain words for every kind of form, is a body of more than a
    thousand fields refused as a whole (Tornado's limit: the work per request stays
    bounded), with nothing stored and the server still answering? Fields a question does
    not read at all are ignored, not stored."""
    server, _, db = served
    session = _fresh_session(db)
    n = 900
    many = {
        ("behoeften", "votes"): [(f"d.optie-{i}", "1") for i in range(n)],
        ("stakeholders", "belang-invloed"): [
            (f"{axis}.org-{i}", "3") for i in range(n // 2) for axis in "xy"
        ],
        ("professionalisering", "taken"): [(f"r.taak-{i}.bestuur", "A") for i in range(n)],
        ("professionalisering", "negenvlak"): [
            (f"m.rol-{i}", "strategy:business") for i in range(n)
        ],
        ("informatiestromen", "stromen"): [(f"f.stroom-{i}.has", "yes") for i in range(n)],
        ("ibp-bestuurstafel", "jaarverslag"): [("v", "datalekken")] * n,
    }
    with _joined(server, session) as visitor:
        for (exercise, question), fields in many.items():
            reply = visitor.answer(exercise, question, fields)
            assert reply.status_code == 400, (exercise, question, reply.text[:200])
            expected = t("error_type") if question == "jaarverslag" else t("error_choice")
            assert reply.json() == {"ok": False, "message": expected, "closed": False}
        over = [("v", "3")] + [(f"extra-{i}", "x") for i in range(1500)]
        _refused_as_json(
            visitor.answer("bestuurstafel", "visie", over),
            400,
            t("w_bad_request", reason="bad request"),
        )
        assert _kept(db, session.id) == []
        ignored = [("v", "3")] + [(f"extra-{i}", "x") for i in range(n)]
        assert visitor.answer("bestuurstafel", "visie", ignored).json()["ok"]
        assert visitor.get(f"/s/{session.code}/").status_code == 200
    assert [row[2:] for row in _kept(db, session.id)] == [("bestuurstafel", "visie", "3")]


def test_invalid_utf8_is_refused_and_nothing_stored(served):
    """Are bytes that are not UTF-8 in an answer, in a pseudonym or in a code refused with
    a plain-words message (not a 500), with nothing stored and nobody added?"""
    server, _, db = served
    session = _fresh_session(db)
    with _joined(server, session) as visitor:
        form = f"_xsrf={visitor.xsrf}&text=Meer%20tijd%20%ff%fe&item={ITEM}".encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        answer = visitor.http.post(
            f"/s/{session.code}/e/behoeften/needs",
            content=form,
            headers={**headers, "Accept": "application/json"},
        )
        _refused_as_json(answer, 400, t("error_type"))
        page = visitor.http.post(
            f"/s/{session.code}/e/behoeften/needs", content=form, headers=headers
        )
        _refused_as_page(page, 400, t("error_type"))
        with Visitor(server.url) as newcomer:
            newcomer.page(f"/s/{session.code}/")
            joined = newcomer.http.post(
                f"/s/{session.code}/join",
                content=f"_xsrf={newcomer.xsrf}&pseudonym=Uil%c3%28".encode(),
                headers=headers,
            )
            _refused_as_page(joined, 400, t("error_pseudonym"))
            assert newcomer.token is None
        found = visitor.get("/join?code=%ff%fe")
        _refused_as_page(found, 400, t("w_bad_request", reason="bad request"))
    assert _kept(db, session.id) == []
    people = stored(db, "SELECT pseudonym FROM participants WHERE session_id = ?", session.id)
    assert people == [("Misvormde Meeuw 12",)]


def test_a_missing_or_wrong_xsrf_value_is_refused_and_nothing_stored(served):
    """Is an answer (or a join) without the form's ``_xsrf`` value, with a value that does
    not match the cookie, or without the cookie, refused with 403 and 'reload the page',
    nothing stored and nobody added?"""
    server, _, db = served
    session = _fresh_session(db)
    expired = t("w_forbidden")
    with _joined(server, session) as visitor:
        path = f"/s/{session.code}/e/bestuurstafel/visie"
        other = Visitor(server.url)
        other.page(f"/s/{session.code}/")  # another browser's valid _xsrf value
        version, mask, masked, stamp = visitor.xsrf.split("|")
        flipped = masked[:-1] + ("0" if masked[-1] != "0" else "1")
        for value in (None, "", "nep", other.xsrf, "|".join((version, mask, flipped, stamp))):
            fields = {"v": "3"} if value is None else {"v": "3", "_xsrf": value}
            _refused_as_json(visitor.post(path, fields, xsrf=False, json_reply=True), 403, expired)
            _refused_as_page(visitor.post(path, fields, xsrf=False), 403, expired)
        without_cookie = Visitor(server.url)
        without_cookie.http.cookies.set("wt", visitor.token, path=f"/s/{session.code}/")
        refused = without_cookie.post(path, {"v": "3", "_xsrf": visitor.xsrf}, xsrf=False)
        _refused_as_page(refused, 403, expired)
        joined = other.post(f"/s/{session.code}/join", {"pseudonym": "Zonder Sleutel"}, xsrf=False)
        _refused_as_page(joined, 403, expired)
        other.close()
        without_cookie.close()
        assert visitor.answer("bestuurstafel", "visie", {"v": "3"}).json()["ok"]  # it can tell
    assert [row[2:] for row in _kept(db, session.id)] == [("bestuurstafel", "visie", "3")]
    people = stored(db, "SELECT pseudonym FROM participants WHERE session_id = ?", session.id)
    assert people == [("Misvormde Meeuw 12",)]


def test_a_forged_or_foreign_token_cannot_answer(served):
    """Is an answer sent with a resume cookie that is forged, another session's, or none
    (but a valid ``_xsrf``) refused (403 for the script, back to the join screen for the
    plain form), with nothing stored in either session?"""
    server, _, db = served
    session, elsewhere = _fresh_session(db), _fresh_session(db)
    with _joined(server, elsewhere, "Elders Eekhoorn 30") as foreign:
        tokens = [None, "nep", "' OR 1=1 --", foreign.token, foreign.token[:-1] + "x"]
    with Visitor(server.url) as stranger:
        stranger.page(f"/s/{session.code}/")
        stranger.code = session.code
        for token in tokens:
            stranger.http.cookies.clear()
            stranger.page(f"/s/{session.code}/")
            if token is not None:
                stranger.http.cookies.set("wt", token, path=f"/s/{session.code}/")
            _refused_as_json(
                stranger.answer("bestuurstafel", "visie", {"v": "2"}), 403, t("w_forbidden")
            )
            plain = stranger.answer("bestuurstafel", "visie", {"v": "2"}, json_reply=False)
            assert plain.status_code == 303 and plain.headers["Location"] == f"/s/{session.code}/"
    assert _kept(db, session.id) == [] and _kept(db, elsewhere.id) == []


def test_a_closed_exercise_refuses_answers(served):
    """When the facilitator closes the exercise a participant has open, is the next answer
    refused with 409 and the 'closed' message (JSON says ``closed``; the plain form shows
    the page with the message), nothing stored, and does it save again once reopened?"""
    server, _, db = served
    session = _fresh_session(db)
    with _joined(server, session) as visitor:
        assert visitor.get(f"/s/{session.code}/e/bestuurstafel").status_code == 200
        store = Store.open(f"sqlite:///{db}")
        try:
            store.update_session(session.id, open_exercises=[])
            closed = visitor.answer("bestuurstafel", "visie", {"v": "1"})
            _refused_as_json(closed, 409, t("w_closed_refused"))
            assert closed.json()["closed"] is True
            _refused_as_page(
                visitor.answer("bestuurstafel", "visie", {"v": "1"}, json_reply=False),
                409,
                t("w_closed_refused"),
            )
            assert _kept(db, session.id) == []
            store.update_session(session.id, open_exercises=["bestuurstafel"])
        finally:
            store.close()
        assert visitor.answer("bestuurstafel", "visie", {"v": "1"}).json()["ok"]
    assert [row[2:] for row in _kept(db, session.id)] == [("bestuurstafel", "visie", "1")]


def test_unknown_session_code_says_so(served):
    """Does an address or a typed code of a session that does not exist say that there is
    no session with that code (page and JSON), offer no join form, and store nothing?"""
    server, _, db = served
    wrong = t("w_code_wrong")
    before = stored(db, "SELECT count(*) FROM participants")
    with Visitor(server.url, local="127.0.0.4") as visitor:
        for path in ("/s/ZZZZZZ/", "/s/zzzzzz/join", "/s/ZZZZZZ/e/behoeften", "/s/ABC123/map"):
            page = visitor.get(path)
            _refused_as_page(page, 404, wrong)
            assert 'action="/join"' in page.text  # the form to type the code again
            assert 'name="pseudonym"' not in page.text
        _refused_as_json(
            visitor.get("/s/ZZZZZZ/", headers={"Accept": "application/json"}), 404, wrong
        )
        redirected = visitor.get("/?code=ZZZZZZ")
        assert redirected.status_code == 303
        _refused_as_page(visitor.get(redirected.headers["Location"]), 404, wrong)
        for code in ("<b>NOPE</b>", "X" * 300):
            typed = visitor.get("/join", params={"code": code})
            _refused_as_page(typed, 404, wrong)
            assert "<b>NOPE" not in typed.text
    assert stored(db, "SELECT count(*) FROM participants") == before


class _KeptAlive:
    """One keep-alive connection that sends prepared form posts and reads each answer
    (status, headers, body) before the next, as a browser's connection does, at the cost
    of a few system calls (the 10,000 clicks measure the server, not an HTTP library)."""

    def __init__(self, server, visitor: Visitor):
        self.sock = socket.create_connection(("127.0.0.1", server.port), timeout=60)
        self.head = (
            f"Host: 127.0.0.1:{server.port}\r\nCookie: {_cookie_header(visitor)}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
        )

    def post(self, path: str, body: str) -> int:
        data = body.encode()
        self.sock.sendall(
            f"POST {path} HTTP/1.1\r\n{self.head}Content-Length: {len(data)}\r\n\r\n".encode()
            + data
        )
        status, _, _ = read_response(self.sock)
        return status

    def close(self) -> None:
        self.sock.close()


def test_ten_thousand_dot_clicks_never_exceed_the_budget(served):
    """Do 10,000 plain-form '+' steps on the dot vote, sent over six keep-alive connections
    as fast as the server takes them, with counts a racing page made up, store at most the
    budget (5 dots, at most 3 on one option) at every moment, answer each with the page or
    a refusal (never a 5xx), and leave the server answering others at once?"""
    server, _, db = served
    session = _fresh_session(db)
    options = [o.id for o in VOTES.options]
    leader = _joined(server, session)
    path = f"/s/{session.code}/e/behoeften/votes"
    seen, done = [], threading.Event()

    def watch():
        while not done.is_set():
            seen.extend(v for (v,) in stored(db, "SELECT value FROM answers WHERE item = 'votes'"))
            time.sleep(0.05)

    def clicks(worker: int) -> list[int]:
        connection = _KeptAlive(server, leader)
        statuses = []
        try:
            for n in range(worker, 10_000, 6):
                made_up = random.Random(n)  # the counts a racing page shows: 0 to 8 in all
                fields = [(f"d.{key}", str(made_up.randint(0, 2))) for key in options]
                fields += [("step", f"{options[n % len(options)]}:1"), ("_xsrf", leader.xsrf)]
                statuses.append(connection.post(path, urlencode(fields)))
        finally:
            connection.close()
        return statuses

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        with ThreadPoolExecutor(6) as pool:
            statuses = [s for part in pool.map(clicks, range(6)) for s in part]
    finally:
        done.set()
        watcher.join(10)
    assert len(statuses) == 10_000
    counted = {status: statuses.count(status) for status in set(statuses)}
    assert set(counted) == {303, 400}, counted  # every click saved or refused, nothing else
    assert counted[303] > 100 and counted[400] > 100, counted
    final = [json.loads(v) for (v,) in stored(db, "SELECT value FROM answers WHERE item = 'votes'")]
    assert len(final) == 1
    for value in [*(json.loads(v) for v in seen), final[0]]:
        assert sum(value.values()) <= VOTES.budget, value
        assert max(value.values(), default=0) <= VOTES.max_per_option, value
        assert set(value) <= set(options), value
    assert len(seen) > 10  # the watcher did look while the clicks went on
    # still answering, this participant and another
    assert leader.get("/healthz").text == "ok"
    assert leader.answer("behoeften", "votes", {"d.fora-praktijk": "1"}).json()["ok"]
    with _joined(server, session, "Na Het Klikken 77") as other:
        assert other.answer("behoeften", "votes", {"d.training-im": "2"}).json()["ok"]
    leader.close()
    log = server.log.read_text(errors="replace")
    assert "Traceback" not in log and " ERROR " not in log, log[-2000:]


@pytest.mark.parametrize(
    "typed",
    [
        "\u200b\u200b\u200b",
        "\u200d\u2060\ufeff\u200c",
        "\u202e\u202d\u2066\u2069",
        "\u3164\u3164\u3164",  # Hangul fillers: letters that draw nothing
        "\u115f\u1160\uffa0",
        "\u2800\u2800",  # the blank braille pattern
        "\u0301\u0301\u0301",  # combining marks with nothing to sit on
        "\U000e0041\U000e0042",  # tag characters
        "\u00ad\u00ad\u00ad",  # soft hyphens
        "x\u200b\u200b\u3164",  # one visible character
        "\u3000\u2003\u00a0",
        "",
        "z" * 41,
    ],
    ids=[
        "zero-width",
        "joiners",
        "direction",
        "hangul-filler",
        "fillers",
        "braille-blank",
        "combining",
        "tags",
        "soft-hyphens",
        "one-visible",
        "spaces",
        "empty",
        "too-long",
    ],
)
def test_a_pseudonym_without_two_visible_characters_is_refused(served, typed):
    """Is a pseudonym with fewer than two visible characters (only zero-width characters,
    joiners, direction marks, fillers that draw nothing, combining marks, spaces) or over 40
    characters refused on the join form with the rule shown next to the field, and nobody
    added?"""
    server, _, db = served
    session = _fresh_session(db)
    with Visitor(server.url) as visitor:
        visitor.page(f"/s/{session.code}/")
        refused = visitor.post(f"/s/{session.code}/join", {"pseudonym": typed})
        _refused_as_page(refused, 400, t("error_pseudonym"))
        assert 'aria-invalid="true"' in refused.text and visitor.token is None
    assert stored(db, "SELECT count(*) FROM participants WHERE session_id = ?", session.id) == [
        (0,)
    ]


@pytest.mark.parametrize(
    "typed, shown",
    [
        ("\u202eUil Vos", "Uil Vos"),
        ("Uil\u202e soV\u202c", "Uil soV"),
        ("\u2067Bever\u2069 12", "Bever 12"),
        ("Noe\u0308lle", "No\u00eblle"),
        ("co\u00f6peratie\u200b", "co\u00f6peratie"),
        ("An\u200bna\ufeff", "Anna"),
        ("  Wijze \t  Otter\n ", "Wijze Otter"),
        ("\u3164Das\u3164", "Das"),
        ("Bo\u0007b", "Bob"),
    ],
)
def test_a_pseudonym_is_normalised_before_it_is_kept(served, typed, shown):
    """Is a pseudonym kept and shown normalised (NFC; control characters, zero-width
    characters, direction overrides and isolates and blank fillers removed; spaces
    collapsed), in the file and on the overview?"""
    server, _, db = served
    session = _fresh_session(db)
    with Visitor(server.url) as visitor:
        visitor.join(session.code, typed)
        overview = html.unescape(visitor.get(f"/s/{session.code}/").text)
        assert t("p_welcome_name", name=shown) in overview
    assert stored(db, "SELECT pseudonym FROM participants WHERE session_id = ?", session.id) == [
        (shown,)
    ]


# --- the store's API ------------------------------------------------------------------------
BAD_KEYS = [
    ("", "q1"),
    ("   ", "q1"),
    ("behoeften", " \t"),
    (None, "q1"),
    ("behoeften", None),
    (123, "q1"),
    ("behoeften", 7),
    ("behoeften", ["q1"]),
    (("behoeften",), "q1"),
    ("behoeften", {"q": 1}),
    ("be\x00hoeften", "q1"),
    ("behoeften", "q1\x00"),
    ("behoeften", "q1\n"),
    ("behoeften", "q\x1b[31m"),
    ("behoeften", "q\ud800"),
    ("e" * 65, "q1"),
    ("behoeften", "i" * 161),
]


@pytest.mark.parametrize("exercise, item", BAD_KEYS, ids=[repr(k)[:30] for k in BAD_KEYS])
def test_store_refuses_unknown_or_empty_ids(store, exercise, item):
    """Is an answer with an empty, blank, non-text, overlong or control-character
    exercise or item id refused with NotAllowed (not a TypeError, not a 'database
    unavailable, try again') and nothing stored?"""
    session = store.create_session("Ids")
    person, _ = store.join(session.code, "Anna")
    store.save_answer(person, "behoeften", "eerder", "blijft")
    with pytest.raises(NotAllowed):
        store.save_answer(person, exercise, item, "waarde")
    assert [(a.exercise, a.item, a.value) for a in store.answers(session.id)] == [
        ("behoeften", "eerder", "blijft")
    ]


def _circular():
    loop = []
    loop.append(loop)
    return loop


def _deep():
    value = []
    for _ in range(100_000):
        value = [value]
    return value


BAD_VALUES = {
    "over-limit": "x" * MAX_VALUE_BYTES,
    "multibyte-over-limit": "ë" * (MAX_VALUE_BYTES // 2 + 1),
    "ten-megabytes": "x" * BIG,
    "nan": float("nan"),
    "infinity": {"a": float("-inf")},
    "set": {1, 2},
    "bytes": b"bytes",
    "object": object(),
    "lone-surrogate": {"text": "ab\ud800cd"},
    "circular": _circular(),
    "deep": _deep(),
}


@pytest.mark.parametrize("value", list(BAD_VALUES.values()), ids=list(BAD_VALUES))
def test_store_refuses_values_that_are_not_small_plain_json(store, value):
    """Is a value over MAX_VALUE_BYTES, or one that is not plain JSON (NaN, infinity, a
    set, bytes, a lone surrogate, a cycle, absurd nesting), refused with NotAllowed and
    nothing stored, for answers and for map additions?"""
    session = store.create_session("Waarden")
    person, _ = store.join(session.code, "Anna")
    with pytest.raises(NotAllowed):
        store.save_answer(person, "behoeften", "q1", value)
    with pytest.raises(NotAllowed):
        store.add_contribution(person, "c-1", "organisation", {"id": "c-1", "name": value})
    assert store.answers(session.id) == []
    assert store.contributions(session.id) == []


@pytest.mark.parametrize(
    "uid",
    ["", " ", None, 5, "u\x00", "u" * 41],
    ids=["empty", "blank", "none", "number", "nul", "long"],
)
def test_store_refuses_malformed_contribution_ids(store, uid):
    """Is a map addition with an empty, blank, non-text, NUL-holding or overlong id refused
    with NotAllowed and not stored?"""
    session = store.create_session("Bijdragen")
    person, _ = store.join(session.code, "Anna")
    with pytest.raises(NotAllowed):
        store.add_contribution(person, uid, "organisation", {"id": "c-1", "name": "X"})
    assert store.contributions(session.id) == []


@pytest.mark.parametrize(
    "pseudonym",
    ["", "   ", None, 5, "An\x00na", "Bo\ud800b"],
    ids=["empty", "blank", "none", "number", "nul", "surrogate"],
)
def test_store_refuses_malformed_pseudonyms(store, pseudonym):
    """Is joining with an empty, non-text or NUL-holding pseudonym refused with NotAllowed
    (PostgreSQL cannot store NUL: it must not look like an outage) and nobody added?"""
    session = store.create_session("Namen")
    with pytest.raises(NotAllowed):
        store.join(session.code, pseudonym)
    assert store.participant_counts(session.id)["joined"] == 0


# --- malformed content files ----------------------------------------------------------------
@pytest.fixture
def content(tmp_path):
    """A content root the test may break: a copy of the datasets, the real apps."""
    from toolkit.paths import apps_dir, datasets_dir

    root = (tmp_path / "content").resolve()
    shutil.copytree(datasets_dir(), root / "datasets")
    (root / "voila_apps").symlink_to(apps_dir())
    (tmp_path / "data").mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("WORKSHOP_DB", "WORKSHOP_SESSION")}
    env.update(WORKSHOP_CONTENT=str(root), WORKSHOP_DATA=str(tmp_path / "data"))
    return root, env


def _workshop(env: dict, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "toolkit.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.05)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _serve_refuses(env: dict, problems: list[str]) -> None:
    """`workshop serve` exits 2 within seconds, reports every problem once, prints no
    traceback, and never listens on either port."""
    port = free_port()
    dashboard = next(p for p in iter(free_port, None) if p != port)
    started = time.monotonic()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "toolkit.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--dashboard-port",
            str(dashboard),
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    listened = False
    while process.poll() is None and time.monotonic() - started < 600:
        listened |= _listening(port) or _listening(dashboard)
        time.sleep(0.05)
    stopped_by_itself = process.poll() is not None
    try:
        out, err = process.communicate(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
    assert stopped_by_itself, f"serve kept running with broken content\n{out}\n{err}"
    assert process.returncode == 2, f"exit {process.returncode}\n{out}\n{err}"
    assert not listened and not _listening(port) and not _listening(dashboard)
    _reports(out + err, problems)
    assert "Starting the workshop servers" not in out


def _reports(text: str, problems: list[str]) -> None:
    assert "Traceback" not in text, text
    count = len(problems)
    assert f"{count} problem{'s' if count != 1 else ''} found:" in text, text
    for problem in problems:
        times = text.count(problem)
        assert times == 1, f"{problem!r} reported {times} times:\n{text}"


def _check_reports(env: dict, problems: list[str], *, map_too: bool) -> None:
    checked = _workshop(env, "check", "--skip-server")
    assert checked.returncode == 2, checked.stdout + checked.stderr
    _reports(checked.stdout + checked.stderr, problems)
    assert "verdict: OK" not in checked.stdout
    validated = _workshop(env, "map", "validate")
    if map_too:
        assert validated.returncode == 2, validated.stdout + validated.stderr
        _reports(validated.stdout + validated.stderr, problems)
    else:  # `map validate` checks the stakeholder map only (README: exercises -> check)
        assert validated.returncode == 0 and validated.stdout.startswith("OK:"), validated


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_broken_csv_row_stops_serve(content):
    """An organisation row with an unquoted comma: does `workshop serve` refuse to start
    (exit 2, nothing listening) naming the file and line, and do `workshop check` and
    `workshop map validate` report the same?"""
    root, env = content
    orgs = root / "datasets" / "stakeholders" / "organisations.csv"
    lines = orgs.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(
        4,
        "stichting-komma,Stichting Komma, Punt,network,po,Een rij.,A row.,"
        "https://www.example.org/,https://www.example.org/over\n",
    )
    orgs.write_text("".join(lines), encoding="utf-8")
    problems = [f"{orgs}:5: 9 fields, header has 8, quote values that contain a comma"]
    _serve_refuses(env, problems)
    _check_reports(env, problems, map_too=True)


def test_relation_to_a_missing_organisation_stops_serve(content):
    """A relation to an organisation that is not in the dataset: is it reported with file,
    line and column by serve, check and map validate, once each?"""
    root, env = content
    relations = root / "datasets" / "stakeholders" / "relations.csv"
    with relations.open("a", encoding="utf-8") as handle:
        handle.write(
            "kennisnet,nergens-bekend,collaborates_with,,Bestaat niet.,"
            "https://www.example.org/,high\n"
        )
    line = _line_of(relations, "nergens-bekend")
    problems = [f"{relations}:{line}: target: unknown organisation id 'nergens-bekend'"]
    _serve_refuses(env, problems)
    _check_reports(env, problems, map_too=True)


def test_unknown_question_type_stops_serve(content):
    """An exercise with a question type that does not exist: is it reported with file and
    line (and the types that do exist) by serve and check?"""
    root, env = content
    exercise = root / "datasets" / "exercises" / "03_behoeften.yaml"
    text = exercise.read_text(encoding="utf-8")
    exercise.write_text(text.replace("type: free_text", "type: opstel", 1), encoding="utf-8")
    line = _line_of(exercise, "type: opstel")
    problems = [
        f"{exercise}:{line}: questions[0].type: unknown question type 'opstel'; use one of: scale,"
    ]
    _serve_refuses(env, problems)
    _check_reports(env, problems, map_too=False)
