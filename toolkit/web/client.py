"""A participant as a program: joins, answers and listens over the pages' own HTTP and
server-sent events, as a browser with the script does. For ``workshop check`` and the
benchmarks (one protocol, documented here):

1. ``GET /s/CODE/`` -> the join page; its form carries the ``_xsrf`` token (and sets the
   ``_xsrf`` cookie).
2. ``POST /s/CODE/join`` with ``_xsrf`` and ``pseudonym`` -> 303 and the ``wt`` cookie (the
   resume token; HttpOnly, path ``/s/CODE/``).
3. ``GET /s/CODE/live?screen=e/EXERCISE`` -> ``text/event-stream``: ``room``, ``results``
   (``{"blocks": {id: html}, "n": ...}``), ``map`` and ``people`` events.
4. ``POST /s/CODE/e/EXERCISE/QUESTION`` with the question's form fields and ``_xsrf``,
   ``Accept: application/json`` -> ``{"ok": true, "message", "own": {...}}`` once stored
   (or ``{"ok": false, "message"}`` with 400/409).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from tornado.httpclient import AsyncHTTPClient, HTTPRequest

__all__ = ["Participant"]

_XSRF = re.compile(r'name="_xsrf" value="([^"]+)"')


class Participant:
    """One participant of session ``code`` on the server at ``base`` (``http://host:port``);
    ``local``: the address its connections start from (e.g. ``127.0.0.9``, to tell a
    participant's address from the server's); ``headers``: sent with every request (e.g.
    the ``X-Real-IP`` a reverse proxy would pass on, so that many participants from one
    machine count as the many clients they stand for)."""

    def __init__(
        self,
        base: str,
        code: str,
        pseudonym: str = "Meetpunt",
        local: str | None = None,
        headers: dict | None = None,
    ):
        self.base, self.code, self.pseudonym = base.rstrip("/"), code, pseudonym
        self.local, self.extra = local, dict(headers or {})
        self.cookies: dict[str, str] = {}
        self.xsrf = ""
        self.events: list[tuple[float, str, dict]] = []
        self.client = AsyncHTTPClient()

    def _headers(self, extra: dict | None = None) -> dict:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {**self.extra, **({"Cookie": cookie} if cookie else {}), **(extra or {})}

    def _keep(self, response) -> None:
        for header in response.headers.get_list("Set-Cookie"):
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value

    async def fetch(self, path: str, *, body: dict | None = None, json_reply=False, **kwargs):
        headers = {"Accept": "application/json"} if json_reply else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = HTTPRequest(
            self.base + path,
            method="POST" if body is not None else "GET",
            body=urlencode(body, doseq=True) if body is not None else None,
            headers=self._headers(headers),
            follow_redirects=False,
            request_timeout=kwargs.pop("timeout", 60),
            network_interface=self.local,
            **kwargs,
        )
        response = await self.client.fetch(request, raise_error=False)
        self._keep(response)
        return response

    async def join(self) -> float:
        """Open the join page and join; return the seconds it took."""
        started = time.perf_counter()
        page = await self.fetch(f"/s/{self.code}/")
        match = _XSRF.search(page.body.decode("utf-8", "replace"))
        if page.code != 200 or not match:
            raise RuntimeError(f"join page answered {page.code}")
        self.xsrf = match.group(1)
        joined = await self.fetch(
            f"/s/{self.code}/join", body={"_xsrf": self.xsrf, "pseudonym": self.pseudonym}
        )
        if joined.code != 303 or "wt" not in self.cookies:
            raise RuntimeError(f"join answered {joined.code}")
        return time.perf_counter() - started

    async def answer(self, exercise: str, question: str, fields: dict) -> tuple[float, dict]:
        """Send one answer; return (seconds until acknowledged, the reply)."""
        took, _status, reply = await self.answer_with_status(exercise, question, fields)
        return took, reply

    async def answer_with_status(
        self, exercise: str, question: str, fields: dict
    ) -> tuple[float, int, dict]:
        """Send one answer; return (seconds until answered, the HTTP status, the reply)."""
        started = time.perf_counter()
        response = await self.fetch(
            f"/s/{self.code}/e/{exercise}/{question}",
            body={"_xsrf": self.xsrf, **fields},
            json_reply=True,
        )
        took = time.perf_counter() - started
        try:
            reply = json.loads(response.body or b"{}")
        except ValueError:
            reply = {"ok": False, "message": f"status {response.code}"}
        return took, response.code, reply

    def listen(self, screen: str, on_event=None, timeout: float = 3600) -> asyncio.Task:
        """Open the live stream of ``screen`` (a task that ends with the stream, giving its
        HTTP status or 599 when the connection was lost); every event is kept in
        ``events`` as (time, name, data) and passed to ``on_event``."""
        buffer = bytearray()

        def chunk(data: bytes) -> None:
            buffer.extend(data)
            while b"\n\n" in buffer:
                raw, _, rest = bytes(buffer).partition(b"\n\n")
                buffer[:] = rest
                name, payload = "message", ""
                for line in raw.decode("utf-8", "replace").split("\n"):
                    if line.startswith("event: "):
                        name = line[7:]
                    elif line.startswith("data: "):
                        payload += line[6:]
                if payload:
                    event = (time.perf_counter(), name, json.loads(payload))
                    self.events.append(event)
                    if on_event is not None:
                        on_event(*event)

        request = HTTPRequest(
            f"{self.base}/s/{self.code}/live?screen={screen}",
            headers=self._headers({"Accept": "text/event-stream"}),
            streaming_callback=chunk,
            request_timeout=timeout,
            network_interface=self.local,
        )

        async def stream() -> int:
            try:
                response = await self.client.fetch(request, raise_error=False)
            except Exception:  # the connection went away (closed, reset, timed out)
                return 599
            return response.code

        return asyncio.ensure_future(stream())
