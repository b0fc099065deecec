"""The floor for the waves: the participant pages' protocol served by a bare Tornado app.

``python -m bench.baseline.floor --port P --db sqlite:///FILE --session CODE``

The same routes, cookies, status codes and live events as the participant web app, with
the least work behind them: fixed pages of the app's sizes (the join page with its XSRF
form, an exercise page), the app's own static files, a join that inserts a participant
row, an answer that upserts one row in one SQLite transaction (WAL, ``synchronous=FULL``
as the store does; one writer thread), and one ``results`` event of the app's size for
every open stream, encoded once, at most every 0.25 s while answers arrive. No checks, no
aggregation, no templates. What a wave costs here is what the traffic itself costs
(HTTP, gzip, SQLite commits, writing the events to every stream): the rest of what the
app spends is the app's own work. Not a product: a yardstick for ``bench/b_wave.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import secrets
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import tornado.httpserver
import tornado.web

from toolkit.web.assets import STATIC, asset_url

POLL_SECONDS = 0.25
FILLER = "<p>" + "Lorem ipsum dolor sit amet. " * 600 + "</p>"  # the exercise page's ~17 KB
RADAR = "<svg>" + "<polygon points='200.0,97.1 217.6,114.7'/>" * 120 + "</svg>"  # ~5 KB


def _now() -> str:
    return datetime.now(UTC).isoformat(sep=" ")


class Floor:
    """The one writer thread, the open streams and what the events say."""

    def __init__(self, path: str, code: str):
        self.code = code
        self.writer = ThreadPoolExecutor(1, thread_name_prefix="floor-writer")
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.session_id = self.db.execute(
            "SELECT id FROM sessions WHERE code = ?", (code,)
        ).fetchone()[0]
        self.streams: set = set()
        self.answered: set[int] = set()
        self.changed = False

    def write(self, sql: str, values: tuple) -> int:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            row = self.db.execute(sql, values).lastrowid
            self.db.execute("COMMIT")
            return row
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    async def run(self, sql: str, values: tuple) -> int:
        return await asyncio.get_running_loop().run_in_executor(
            self.writer, self.write, sql, values
        )

    def event(self) -> bytes:
        data = json.dumps({"blocks": {"_radar": RADAR}, "n": len(self.answered)})
        return f"event: results\ndata: {data}\n\n".encode()

    async def push(self) -> None:
        while True:
            await asyncio.sleep(POLL_SECONDS)
            if not self.changed:
                continue
            self.changed = False
            message = self.event()
            for handler in list(self.streams):
                try:
                    handler.write(message)
                    handler.flush()
                except tornado.iostream.StreamClosedError:
                    self.streams.discard(handler)


class Page(tornado.web.RequestHandler):
    def initialize(self, floor: Floor):
        self.floor = floor

    def person(self) -> int | None:
        token = self.get_cookie("wt")
        return int(token.split(".")[0]) if token else None


class Join(Page):
    def get(self, code):
        if self.person() is not None:
            self.finish(f"<!doctype html><main>{FILLER[:6000]}</main>")
            return
        links = "".join(
            f'<link rel="stylesheet" href="{asset_url(n)}">'
            for n in ("participant.css", "results.css")
        )
        self.finish(
            f'<!doctype html><html><head>{links}<script src="{asset_url("participant.js")}" '
            f"defer></script></head><body><main><h1>Welkom</h1>{FILLER[:2500]}"
            f'<form method="post" action="/s/{code}/join">{self.xsrf_form_html()}'
            '<input id="pseudonym" name="pseudonym"><button>Start</button></form></main>'
        )

    async def post(self, code):
        token = secrets.token_urlsafe(24)
        now = _now()
        row = await self.floor.run(
            "INSERT INTO participants (session_id, pseudonym, token_hash, created_at, "
            "last_seen_at, screen) VALUES (?, ?, ?, ?, ?, '')",
            (
                self.floor.session_id,
                self.get_body_argument("pseudonym")[:60],
                hashlib.sha256(token.encode()).hexdigest(),
                now,
                now,
            ),
        )
        self.set_cookie("wt", f"{row}.{token}", path=f"/s/{code}/", httponly=True)
        self.redirect(f"/s/{code}/e/bestuurstafel", status=303)


class Exercise(Page):
    def get(self, code, exercise):
        self.finish(f"<!doctype html><main>{self.xsrf_form_html()}{FILLER}</main>")


class Answer(Page):
    async def post(self, code, exercise, question):
        person = self.person()
        if person is None:
            raise tornado.web.HTTPError(403)
        value = json.dumps(int(self.get_body_argument("v")))
        await self.floor.run(
            "INSERT INTO answers (session_id, participant_id, exercise, item, value, hidden, "
            "approved, revision, updated_at) VALUES (?, ?, ?, ?, ?, 0, 0, 0, ?) ON CONFLICT "
            "(session_id, participant_id, exercise, item) DO UPDATE SET value = "
            "excluded.value, updated_at = excluded.updated_at",
            (self.floor.session_id, person, exercise, question, value, _now()),
        )
        self.floor.answered.add(person)
        self.floor.changed = True
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"ok": True, "message": "Opgeslagen", "own": {"_radar": RADAR}}))


class Live(Page):
    async def get(self, code):
        if self.person() is None:
            raise tornado.web.HTTPError(403)
        self._transforms = []
        self.set_header("Content-Type", "text/event-stream; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write(b"retry: 2000\n\n")
        self.write(b'event: room\ndata: {"open":["bestuurstafel"]}\n\n' + self.floor.event())
        await self.flush()
        self.done = asyncio.get_running_loop().create_future()
        self.floor.streams.add(self)
        try:
            await self.done
        finally:
            self.floor.streams.discard(self)

    def on_connection_close(self):
        if getattr(self, "done", None) is not None and not self.done.done():
            self.done.set_result(None)


async def main(args) -> None:
    floor = Floor(args.db.removeprefix("sqlite:///"), args.session)
    s = {"floor": floor}
    code = r"(?P<code>[A-Za-z0-9]{1,12})"
    name = r"[a-z0-9_-]{1,48}"
    app = tornado.web.Application(
        [
            (rf"/s/{code}/?", Join, s),
            (rf"/s/{code}/join", Join, s),
            (rf"/s/{code}/e/(?P<exercise>{name})", Exercise, s),
            (rf"/s/{code}/e/(?P<exercise>{name})/(?P<question>{name})", Answer, s),
            (rf"/s/{code}/live", Live, s),
            (r"/static/(.*)", tornado.web.StaticFileHandler, {"path": str(STATIC)}),
        ],
        xsrf_cookies=True,
        compress_response=True,
        log_function=lambda handler: None,
    )
    server = tornado.httpserver.HTTPServer(app, idle_connection_timeout=30.0)
    server.listen(args.port, "127.0.0.1")
    pusher = asyncio.ensure_future(floor.push())
    await asyncio.Event().wait()
    pusher.cancel()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.baseline.floor")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--session", required=True)
    asyncio.run(main(parser.parse_args()))
