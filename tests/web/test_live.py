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
