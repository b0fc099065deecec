"""What every handler of one participant server shares: the store, the content, caches."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ..exercises.library import exercise_library, session_exercises
from ..questions import Content
from .limits import Connections, ParticipantLimits, WrongCodes
from .render import Results, environment

__all__ = ["Site", "TTLCache"]


class TTLCache:
    """A small dict whose entries expire after ``seconds`` (bounded in size).

    Examples
    --------
    >>> cache = TTLCache(seconds=60, size=2)
    >>> cache.put("a", 1); cache.get("a")
    1
    >>> cache.put("b", 2); cache.put("c", 3); cache.get("a") is None
    True
    """

    def __init__(self, seconds: float, size: int = 10_000):
        self.seconds, self.size = seconds, size
        self._items: dict = {}

    def get(self, key):
        item = self._items.get(key)
        if item is None or time.monotonic() - item[0] > self.seconds:
            self._items.pop(key, None)
            return None
        return item[1]

    def put(self, key, value) -> None:
        if len(self._items) >= self.size:
            self._items.pop(next(iter(self._items)))
        self._items[key] = (time.monotonic(), value)

    def drop(self, key) -> None:
        self._items.pop(key, None)


@dataclass
class Site:
    """The participant server's shared parts; handlers get it as ``self.site``."""

    store: object
    library: dict = field(default_factory=exercise_library)  # every exercise by id
    content: Content = field(default_factory=Content)
    limits: ParticipantLimits = field(default_factory=ParticipantLimits)
    session_code: str = ""  # the session `workshop serve` runs (the bare address's default)
    pool: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(8, thread_name_prefix="workshop-store")
    )

    def __post_init__(self):
        self.env = environment()
        self.results = Results(self.store, self.content)
        self.wrong_codes = WrongCodes(limit=self.limits.wrong_codes)
        self.streams = Connections(self.limits.max_streams_per_client, self.limits.max_streams)
        self.sessions = TTLCache(seconds=2.0, size=1000)  # code -> SessionInfo (pages only)
        self.people = TTLCache(seconds=30.0, size=20_000)  # (code, token) -> Participant
        self.touched = TTLCache(seconds=60.0, size=20_000)  # participant id: marked active
        self.hub = None  # set by the app (live.Hub)

    async def run(self, function, *args, **kwargs):
        """Run a blocking store call in the worker threads, keeping the event loop free."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.pool, lambda: function(*args, **kwargs))

    def exercise(self, exercise_id: str, session=None):
        """The exercise with this id (of ``session``'s programme, when given), or None."""
        exercise = self.library.get(exercise_id)
        if exercise is not None and session is not None:
            if exercise not in self.exercises_of(session):
                return None
        return exercise

    def exercises_of(self, session) -> list:
        """The exercises ``session`` runs, in its programme's order."""
        return session_exercises(session, self.library)

    def neighbours(self, session, exercise_id: str):
        """The exercises before and after this one in the session (None at the ends)."""
        exercises = self.exercises_of(session)
        ids = [e.id for e in exercises]
        i = ids.index(exercise_id)
        before = exercises[i - 1] if i > 0 else None
        after = exercises[i + 1] if i + 1 < len(ids) else None
        return before, after
