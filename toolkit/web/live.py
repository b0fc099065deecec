"""Live updates: each process polls the store's change counters a few times a second (one
query for all its sessions) and pushes what changed to the pages it holds open, as
server-sent events. Group results are computed once per change and sent to everyone."""

from __future__ import annotations

import asyncio
import json
import logging
import time
import zlib
from dataclasses import dataclass, field

from ..questions import Ui
from ..store.store import MAP, ROOM
from .render import form_keys, question_form

__all__ = ["Hub", "Stream", "Outbox", "room_state", "POLL_SECONDS", "HEARTBEAT_SECONDS"]

log = logging.getLogger("workshop.live")
POLL_SECONDS = 0.25  # also the window in which changes are coalesced into one update
HEARTBEAT_SECONDS = 20.0
_COUNT = "#n"  # the digest of the participant count a presenter stream shows (no block id)
_FORM = "form:"  # before a question id: the digest of what its form shows of the group


def room_state(session, exercises) -> dict:
    """What every page of a session must know about the room, as plain JSON."""
    ends = session.countdown_ends
    return {
        "open": [e.id for e in exercises if session.is_open(e.id)],
        "current": session.current_exercise,
        "follow": session.follow,
        "results_visible": session.results_visible,
        "countdown_ends": ends.isoformat() if ends else None,
        "show_map": bool(session.room.get("show_map")),
    }


def _event(kind: str, data: dict) -> bytes:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"event: {kind}\ndata: {payload}\n\n".encode()


def _digest(text: str) -> int:
    return zlib.crc32(text.encode())


@dataclass(eq=False)
class Stream:
    """One open event stream: a page of a participant (or the presenter view).

    ``screen`` is ``e/<exercise>``, ``map`` or ``""`` (overview); ``presenter`` marks the
    projector's view (large charts, the participant count). Writes never
    pile up: while the previous message is still on its way to a slow client, newer ones are
    not queued; the stream is marked stale and gets one fresh snapshot once it is clear.
    """

    handler: object
    session_id: int
    screen: str
    lang: str
    presenter: bool = False
    sent: dict = field(default_factory=dict)  # block -> digest of what this page shows
    busy: bool = False
    stale: bool = False
    closed: bool = False

    @property
    def exercise_id(self) -> str:
        if self.screen.startswith("e/"):
            return self.screen[2:]
        return ""

    def send(self, message: bytes) -> bool:
        """Write ``message`` unless the previous one is still being flushed."""
        if self.closed:
            return False
        if self.busy:
            self.stale = True
            return False
        self.busy = True
        try:
            self.handler.write(message)
            future = self.handler.flush()
        except Exception:  # the connection is gone
            self.closed = True
            return False
        future.add_done_callback(self._flushed)
        return True

    def _flushed(self, future) -> None:
        self.busy = False
        if future.exception() is not None:
            self.closed = True
            return
        if self.stale and not self.closed:
            self.stale = False
            hub = getattr(self.handler, "hub", None)
            if hub is not None:
                asyncio.ensure_future(hub.snapshot(self))


class Hub:
    """The open streams of this process and the change counters they depend on."""

    def __init__(self, site, poll_seconds: float = POLL_SECONDS):
        self.site = site
        self.poll_seconds = poll_seconds
        self.streams: dict[int, set[Stream]] = {}
        self.known: dict[tuple[int, str], int] = {}
        self.rooms: dict[int, object] = {}  # session id -> SessionInfo as last polled
        self._wake = asyncio.Event()
        self._task = None
        self._last_beat = time.monotonic()

    # --- streams ------------------------------------------------------------------------
    def add(self, stream: Stream) -> None:
        self.streams.setdefault(stream.session_id, set()).add(stream)
        self.poke()

    def remove(self, stream: Stream) -> None:
        stream.closed = True
        group = self.streams.get(stream.session_id)
        if group is not None:
            group.discard(stream)
            if not group:
                del self.streams[stream.session_id]
                self.rooms.pop(stream.session_id, None)
                for key in [k for k in self.known if k[0] == stream.session_id]:
                    del self.known[key]

    def count(self) -> int:
        return sum(len(group) for group in self.streams.values())

    # --- the loop -----------------------------------------------------------------------
    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.ensure_future(self._loop())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def poke(self) -> None:
        """Poll as soon as the interval allows (after this process wrote something)."""
        self._wake.set()

    async def _loop(self) -> None:
        last = 0.0
        while True:
            try:
                await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
            except TimeoutError:
                pass
            # A poke polls early when the hub was idle, never more often than once per
            # interval: a room answering at full speed is pushed a few updates a second.
            wait = self.poll_seconds - (time.monotonic() - last)
            if wait > 0:
                await asyncio.sleep(wait)
            self._wake.clear()
            last = time.monotonic()
            try:
                await self.poll()
            except Exception:  # keep pushing; one failed poll must not end live updates
                log.exception("live update failed")
                await asyncio.sleep(self.poll_seconds)
            if time.monotonic() - self._last_beat > HEARTBEAT_SECONDS:
                self._last_beat = time.monotonic()
                self._heartbeat()

    def _heartbeat(self) -> None:
        for group in list(self.streams.values()):
            for stream in list(group):
                stream.send(b": still here\n\n")

    async def poll(self) -> None:
        """One round: read the counters of every session with open streams, push changes."""
        ids = list(self.streams)
        if not ids:
            return
        versions = await self.site.run(self.site.store.versions, ids)
        changed: dict[int, set[str]] = {}
        for sid in ids:
            scopes = {
                scope
                for (s, scope), v in versions.items()
                if s == sid and self.known.get((s, scope)) != v
            }
            if sid not in self.rooms:
                scopes.add(ROOM)
            if scopes:
                changed[sid] = scopes
        self.known.update(versions)
        for sid, scopes in changed.items():
            await self._push(sid, scopes, versions)

    async def _push(self, sid: int, scopes: set[str], versions: dict) -> None:
        streams = [s for s in self.streams.get(sid, ()) if not s.closed]
        if not streams:
            return
        outbox = Outbox()
        if ROOM in scopes or sid not in self.rooms:
            session = await self.site.run(self.site.store.session_by_id, sid)
            if session is None:
                return
            self.rooms[sid] = session
            message = _event("room", room_state(session, self.site.exercises_of(session)))
            for stream in streams:
                outbox.add(stream, message)
        session = self.rooms[sid]
        wanted = {s.exercise_id for s in streams if s.exercise_id}
        if ROOM not in scopes:
            wanted = {e for e in wanted if e in scopes or (MAP in scopes and self._has_map(e))}
        presenters = [s for s in streams if s.presenter]
        if presenters and (scopes - {MAP}):
            counts = await self.site.run(self.site.store.participant_counts, session.id)
            for stream in presenters:
                outbox.add(stream, _event("people", counts))
        if MAP in scopes:
            for stream in streams:
                if stream.screen == "map":
                    outbox.add(stream, _event("map", {}))
        for exercise_id in wanted:
            await self._results(session, exercise_id, streams, versions, outbox)
        await outbox.send()

    def _has_map(self, exercise_id: str) -> bool:
        exercise = self.site.exercise(exercise_id)
        return exercise is not None and any(q.type == "contribution" for q in exercise.questions)

    async def _results(self, session, exercise_id, streams, versions, outbox) -> None:
        """Add to ``outbox`` the result blocks each stream on this exercise does not show
        yet (one message per distinct set of blocks, encoded once)."""
        exercise = self.site.exercise(exercise_id)
        if exercise is None:
            return
        by_view: dict[tuple, list[Stream]] = {}
        for stream in streams:
            if stream.exercise_id == exercise_id:
                by_view.setdefault((stream.lang, stream.presenter), []).append(stream)
        for (lang, large), group in by_view.items():
            blocks = await self.site.run(self._blocks, session, exercise, lang, versions, large)
            digests = {block: _digest(html) for block, html in blocks.html.items()}
            keys = {} if large else form_keys(exercise, blocks.groups)
            digests.update({_FORM + q: _digest(key) for q, key in keys.items()})
            if large:  # the projector also shows how many took part, which can change
                # while no block does (results hidden, a text waiting for approval)
                digests[_COUNT] = _digest(str(blocks.n))
            messages: dict[frozenset, bytes] = {}
            drawn: dict[str, str] = {}  # question id -> its form without own answers
            for stream in group:
                changed = frozenset(b for b, d in digests.items() if stream.sent.get(b) != d)
                if not changed:
                    continue
                if changed not in messages:
                    shown = {b: blocks.html[b] for b in changed if b in blocks.html}
                    event = {"blocks": shown, "n": blocks.n}
                    for q in keys:  # each form drawn once for all the messages
                        if _FORM + q in changed and q not in drawn:
                            drawn[q] = self._form(exercise, q, blocks, lang)
                    forms = {
                        q: {"key": k, "html": drawn[q]}
                        for q, k in keys.items()
                        if _FORM + q in changed
                    }
                    if forms:  # the page draws such a form again when its key differs
                        event["forms"] = forms
                    messages[changed] = _event("results", event)
                outbox.add(stream, messages[changed], {b: digests[b] for b in changed})

    def _form(self, exercise, question_id, blocks, lang) -> str:
        """A form that shows something of the group, drawn without anyone's own answer (the
        page puts its own values back in)."""
        question = exercise.question(question_id)
        ui = Ui(lang=lang, content=self.site.content)
        group = blocks.groups.get(question_id, {})
        return str(question_form(self.site.env, exercise, question, {}, group, ui))

    def _blocks(self, session, exercise, lang, versions, large):
        """The results as of ``versions`` (None: the counters as they are now, read in the
        same trip to the store's threads). Blocking."""
        if versions is None:
            versions = self.site.store.versions([session.id])
        return self.site.results.get(session, exercise, lang, versions, 0.0, large)

    async def snapshot(self, stream: Stream) -> None:
        """Bring one stream up to date at once (a new page, or one that fell behind)."""
        session = self.rooms.get(stream.session_id)
        if session is None:
            session = await self.site.run(self.site.store.session_by_id, stream.session_id)
            if session is None:
                return
        outbox = Outbox()
        if stream.exercise_id:
            await self._results(session, stream.exercise_id, [stream], None, outbox)
        # The room as the hub knows it after that wait, not before it: a round that went
        # out to this page meanwhile carried this state or an older one, so the snapshot
        # cannot undo it (a countdown stopped, a follow switched off).
        session = self.rooms.get(stream.session_id) or session
        room = _event("room", room_state(session, self.site.exercises_of(session)))
        outbox.parts.setdefault(stream, []).insert(0, room)
        await outbox.send()


class Outbox:
    """The messages of one round per stream, written as one piece each (so a stream is
    never busy with the first while the second arrives).

    The writes go out ``BATCH`` streams at a time, with the event loop free in between: a
    round to 1,000 pages is some 60 ms of writes, and an answer arriving meanwhile is
    acknowledged between two batches instead of after the whole round.
    """

    BATCH = 16

    def __init__(self):
        self.parts: dict[Stream, list[bytes]] = {}
        self.sent: dict[Stream, dict] = {}

    def add(self, stream: Stream, message: bytes, digests: dict | None = None) -> None:
        self.parts.setdefault(stream, []).append(message)
        if digests:
            self.sent.setdefault(stream, {}).update(digests)

    async def send(self) -> None:
        for i, (stream, parts) in enumerate(self.parts.items()):
            if i and not i % self.BATCH:
                await asyncio.sleep(0)  # let waiting requests run
            if stream.send(b"".join(parts)):
                stream.sent.update(self.sent.get(stream, {}))
            elif stream.stale:
                stream.sent.clear()  # it missed these: the snapshot after its flush sends all
