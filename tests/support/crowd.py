"""Participants as programs for the multi-worker tests and benchmarks: the protocol client
of ``toolkit.web.client`` from a chosen loopback address (each a phone of its own), whose
live stream reconnects like a browser's EventSource and whose answers are resent until
acknowledged, like the page's offline queue."""

from __future__ import annotations

import asyncio
import time

from tornado.httpclient import AsyncHTTPClient

from toolkit.web.client import Participant

__all__ = ["Person", "wait_until"]

# Tornado's client runs at most 10 requests at once per event loop and queues the rest:
# a crowd holding live streams needs one place each.
AsyncHTTPClient.configure(None, max_clients=10_000)


class _FromAddress:
    """An AsyncHTTPClient whose requests leave from ``source`` (a loopback address)."""

    def __init__(self, client, source: str):
        self.client, self.source = client, source

    def fetch(self, request, **kwargs):
        request.network_interface = self.source
        return self.client.fetch(request, **kwargs)


class Person(Participant):
    """A participant of session ``code`` at ``base``, connecting from ``source``."""

    def __init__(self, base: str, code: str, pseudonym: str, source: str | None = None):
        super().__init__(base, code, pseudonym)
        self.source = source
        if source:
            self.client = _FromAddress(self.client, source)
        self.streams_opened = 0
        self.stream_ends: list[tuple[float, int]] = []
        self.retries = 0
        self.acknowledged: list[tuple[str, str, dict, float]] = []  # exercise, question, fields
        self._listening: asyncio.Task | None = None

    # --- the live stream, reopened when it ends --------------------------------------------
    def keep_listening(self, screen: str, retry_seconds: float = 0.2) -> asyncio.Task:
        """Hold the live stream of ``screen`` open, reopening it whenever it ends (a browser's
        EventSource does so after the server's ``retry``; shorter here). Cancel to stop."""

        async def loop() -> None:
            while True:
                self.streams_opened += 1
                code = await self.listen(screen)
                self.stream_ends.append((time.perf_counter(), code))
                await asyncio.sleep(retry_seconds)

        self._listening = asyncio.ensure_future(loop())
        return self._listening

    def stop_listening(self) -> None:
        if self._listening is not None:
            self._listening.cancel()

    def events_since(self, since: float, name: str | None = None) -> list[tuple]:
        return [e for e in self.events if e[0] >= since and (name is None or e[1] == name)]

    async def wait_event(self, predicate, *, since: float = 0.0, timeout: float = 30.0):
        """The first event (time, name, data) at or after ``since`` for which
        ``predicate(name, data)`` holds; AssertionError after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events:
                if event[0] >= since and predicate(event[1], event[2]):
                    return event
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{self.pseudonym}: no such event within {timeout} s "
                    f"(last events: {[e[1] for e in self.events[-5:]]})"
                )
            await asyncio.sleep(0.01)

    # --- answers, resent until acknowledged -----------------------------------------------
    async def answer_surely(
        self, exercise: str, question: str, fields: dict, *, timeout: float = 60.0
    ) -> dict:
        """Send the answer until the server acknowledges it (connection lost, 5xx: send it
        again, as the page's queue does); a refusal (4xx) is returned as it is."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                _took, reply = await self.answer(exercise, question, fields)
            except Exception as exc:  # connection refused or reset: a worker went away
                reply = {"ok": False, "message": type(exc).__name__, "lost": True}
            if reply.get("ok"):
                self.acknowledged.append((exercise, question, dict(fields), time.perf_counter()))
                return reply
            if not reply.get("lost") and reply.get("status", 500) < 500:
                return reply
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.pseudonym}: answer not acknowledged: {reply}")
            self.retries += 1
            await asyncio.sleep(0.05)

    async def answer(self, exercise: str, question: str, fields: dict):
        """One try (as the base client), with the HTTP status in the reply."""
        took, status, reply = await self.answer_with_status(exercise, question, fields)
        reply["status"] = status
        if status == 599:
            reply["lost"] = True
        return took, reply

    async def join_surely(self, timeout: float = 60.0) -> float:
        """Join, trying again when the connection is lost; the seconds the last try took."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                return await self.join()
            except Exception:
                if time.monotonic() > deadline:
                    raise
                self.retries += 1
                await asyncio.sleep(0.1)


async def wait_until(predicate, timeout: float, what: str, step: float = 0.02):
    """Wait (without blocking the loop) until ``predicate()`` is truthy; return its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(step)
