"""The live round's writes (``toolkit.web.live.Outbox``): every page gets its message, and
the event loop is free between batches of pages."""

from __future__ import annotations

import asyncio

from toolkit.web.live import Outbox, Stream


class _Handler:
    """What a stream needs of its request handler: write, then flush (done at once)."""

    def __init__(self, log: list, name: str):
        self.log, self.name, self.written = log, name, b""

    def write(self, data: bytes) -> None:
        self.written += data
        self.log.append(self.name)

    def flush(self):
        future = asyncio.get_running_loop().create_future()
        future.set_result(None)
        return future


def test_a_round_reaches_every_page_and_lets_requests_in_between_batches():
    """With more pages than a batch, does every page get its messages of the round in one
    piece (and its digests noted), while a request waiting on the event loop runs before
    the round is over, not after it?"""
    pages = 3 * Outbox.BATCH + 5
    log: list = []

    async def round_() -> list:
        outbox = Outbox()
        streams = [Stream(_Handler(log, f"page{i}"), 1, "e/x", "nl") for i in range(pages)]
        for stream in streams:
            outbox.add(stream, b"event: room\n\n")
            outbox.add(stream, b"event: results\n\n", {"block": 7})
        asyncio.get_running_loop().call_soon(log.append, "an answer")
        await outbox.send()
        return streams

    streams = asyncio.run(round_())
    assert all(s.handler.written == b"event: room\n\nevent: results\n\n" for s in streams)
    assert all(s.sent == {"block": 7} for s in streams)
    waited = log.index("an answer")
    assert Outbox.BATCH <= waited < pages  # after the first batch, before the last page
    assert log.count("an answer") == 1 and len(log) == pages + 1


def test_a_snapshot_never_undoes_a_room_change_sent_while_it_waited(tmp_path):
    """A new page's snapshot waits for its results (in the store's threads). If the room
    changes meanwhile and a round tells the page, does the snapshot that follows carry
    the new room state, not the one from before its wait (a stopped countdown coming
    back on the phone)?"""
    import json
    from datetime import UTC, datetime, timedelta
    from types import SimpleNamespace

    from toolkit.exercises.library import exercise_library, session_exercises
    from toolkit.store import Store
    from toolkit.web.live import Hub, _event, room_state

    store = Store.open(f"sqlite:///{tmp_path / 'w.db'}")
    library = exercise_library()
    session = store.create_session("Zaal", exercises=["bestuurstafel"])
    store.update_room(session.id, countdown_ends=datetime.now(UTC) + timedelta(minutes=5))
    before = store.session_by_id(session.id)
    store.update_room(session.id, countdown_ends=None)
    after = store.session_by_id(session.id)
    store.close()
    blocks = SimpleNamespace(html={}, groups={}, n=0)

    async def scenario() -> list:
        held = asyncio.Event()
        waiting = asyncio.Event()

        async def run(function, *args, **kwargs):  # the store's threads, held on demand
            waiting.set()
            await held.wait()
            return blocks

        site = SimpleNamespace(
            run=run,
            exercise=lambda exercise_id, s=None: library.get(exercise_id),
            exercises_of=lambda s: session_exercises(s, library),
        )
        hub = Hub(site)
        hub.rooms[session.id] = before  # as last polled: the countdown still running
        log: list = []
        stream = Stream(_Handler(log, "phone"), session.id, "e/bestuurstafel", "nl")
        snapshot = asyncio.ensure_future(hub.snapshot(stream))
        await waiting.wait()
        hub.rooms[session.id] = after  # a round polled the change ...
        stream.send(_event("room", room_state(after, site.exercises_of(after))))  # ... and sent it
        held.set()
        await snapshot
        return [
            json.loads(line[6:])
            for line in stream.handler.written.decode().splitlines()
            if line.startswith("data: ")
        ]

    rooms = asyncio.run(scenario())
    assert len(rooms) == 2 and rooms[0]["countdown_ends"] is None
    assert rooms[-1]["countdown_ends"] is None  # the snapshot did not bring it back
