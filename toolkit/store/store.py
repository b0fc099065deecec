"""Sessions, participants, answers and contributions: every write idempotent and durable."""

from __future__ import annotations

import hashlib
import json
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, delete, func, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from ..i18n import LANGUAGES
from .engine import busy_timeout_ms, database_url, make_engine, prepare_schema
from .errors import ExerciseClosed, NotAllowed, StoreUnavailable
from .gate import WriteGate, write_gate
from .schema import answers, changes, contributions, participants, sessions, summaries
from .statements import Statements

__all__ = [
    "Store",
    "SessionInfo",
    "Participant",
    "Answer",
    "Contribution",
    "MAX_VALUE_BYTES",
    "CODE_ALPHABET",
    "ROOM",
    "PEOPLE",
    "MAP",
    "GONE",
]

# Change scopes besides exercise ids: the room's state, who joined, the map's additions.
ROOM, PEOPLE, MAP = "~room", "~people", "~map"
GONE = "~gone:"  # + exercise id: answers of it were removed (incremental readers reload)
MODERATION = "~moderation"  # raised with every hide, show or approval of a text
CHANGE_CHANNEL = "workshop_changes"  # PostgreSQL NOTIFY channel: payload "session_id:scope"

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 6
MAX_VALUE_BYTES = 32_000
ACTIVE_WINDOW = timedelta(minutes=2)


def _now() -> datetime:
    return datetime.now(UTC)


def _plain_text(value, limit: int | None = None) -> bool:
    """True for usable text (an id, a pseudonym): a str, not blank, at most ``limit``
    characters, without control characters or lone surrogates (PostgreSQL refuses NUL and
    UTF-8 has no surrogates: the write would fail as if the database were unavailable).

    Examples
    --------
    >>> _plain_text("needs:a1"), _plain_text(" "), _plain_text("q\\x00"), _plain_text(7)
    (True, False, False, False)
    """
    return (
        isinstance(value, str)
        and bool(value.strip())
        and (limit is None or len(value) <= limit)
        and not any(unicodedata.category(c) in ("Cc", "Cs") for c in value)
    )


def _encode(value, what: str) -> str:
    """``value`` as compact JSON; NotAllowed when it is not plain JSON (NaN, infinity, a
    set, bytes, a lone surrogate, a cycle, absurd nesting) or over MAX_VALUE_BYTES."""
    try:
        encoded = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        size = len(encoded.encode("utf-8"))
    except (TypeError, ValueError, RecursionError) as exc:  # UnicodeError is a ValueError
        raise NotAllowed(f"{what} is not plain JSON ({type(exc).__name__})") from None
    if size > MAX_VALUE_BYTES:
        raise NotAllowed(f"{what} too large ({size} bytes)")
    return encoded


def _decode(raw: str):
    """A stored JSON value; a whole number (a scale's level, most answers) without the
    JSON parser.

    Examples
    --------
    >>> _decode("3"), _decode("-2"), _decode('{"text": "ja"}'), _decode("2.5")
    (3, -2, {'text': 'ja'}, 2.5)
    """
    if raw.isdigit() and raw.isascii() and len(raw) < 16:
        return int(raw)
    return json.loads(raw)


def hash_token(token: str) -> str:
    """Return the stored form of a resume token (SHA-256, hex)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SessionInfo:
    id: int
    code: str
    title: str
    organiser: str
    lang: str
    open_exercises: tuple[str, ...]
    results_visible: bool
    free_text_visible: bool
    created_at: datetime
    room: dict = field(default_factory=dict)

    def is_open(self, exercise: str) -> bool:
        return exercise in self.open_exercises

    def results_shown(self, exercise: str) -> bool:
        """Do participants and the projector see this exercise's group results now?

        Examples
        --------
        >>> from datetime import datetime
        >>> s = SessionInfo(1, "ABC", "", "", "nl", (), True, True, datetime.now(),
        ...                 {"hidden_results": ["behoeften"]})
        >>> s.results_shown("behoeften"), s.results_shown("bestuurstafel")
        (False, True)
        """
        return self.results_visible and exercise not in (self.room.get("hidden_results") or [])

    @property
    def programme_steps(self) -> list[dict]:
        """The programme's steps (``{"exercise", "minutes"}``), or [] without one."""
        return list((self.room.get("programme") or {}).get("steps") or [])

    @property
    def current_exercise(self) -> str:
        """The exercise the facilitator has the room on ("" when none)."""
        return str(self.room.get("current") or "")

    @property
    def purged(self) -> bool:
        """True once ``purge_people`` deleted the participants: the session has ended."""
        return bool(self.room.get("purged"))

    @property
    def follow(self) -> bool:
        """True when phones follow the facilitator to the current exercise."""
        return bool(self.room.get("follow"))

    def needs_approval(self, exercise: str, question: str) -> bool:
        """True when texts of this question show to others only after approval.

        Examples
        --------
        >>> from datetime import datetime
        >>> s = SessionInfo(1, "ABC", "", "", "nl", (), True, True, datetime.now(),
        ...                 {"approval": {"behoeften/needs": True}})
        >>> s.needs_approval("behoeften", "needs"), s.needs_approval("x", "y")
        (True, False)
        """
        return bool((self.room.get("approval") or {}).get(f"{exercise}/{question}"))

    @property
    def step_started(self) -> datetime | None:
        """When the facilitator moved the room to the current step (UTC), or None."""
        raw = self.room.get("step_started")
        try:
            return datetime.fromisoformat(raw) if raw else None
        except (TypeError, ValueError):
            return None

    @property
    def countdown_ends(self) -> datetime | None:
        """When the facilitator's countdown ends (UTC), or None."""
        raw = self.room.get("countdown_ends")
        try:
            return datetime.fromisoformat(raw) if raw else None
        except (TypeError, ValueError):
            return None


@dataclass(frozen=True)
class Participant:
    id: int
    session_id: int
    pseudonym: str
    screen: str = ""  # the page they were on last ("" = the overview)


@dataclass(frozen=True)
class Answer:
    id: int
    participant_id: int
    pseudonym: str
    exercise: str
    item: str
    value: object
    hidden: bool
    updated_at: datetime
    approved: bool = False
    revision: int = 0


@dataclass(frozen=True)
class Contribution:
    id: int
    uid: str
    participant_id: int
    pseudonym: str
    kind: str
    payload: dict
    hidden: bool
    created_at: datetime
    approved: bool = False


def _room(raw) -> dict:
    try:
        value = json.loads(raw or "{}")
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _session(row) -> SessionInfo:
    return SessionInfo(
        row.id,
        row.code,
        row.title,
        row.organiser,
        row.lang,
        tuple(json.loads(row.open_exercises or "[]")),
        bool(row.results_visible),
        bool(row.free_text_visible),
        row.created_at,
        _room(getattr(row, "room", "{}")),
    )


class Store:
    """The workshop's durable state on SQLite (default) or PostgreSQL (``WORKSHOP_DB``).

    Examples
    --------
    >>> import tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> store = Store.open(f"sqlite:///{os.path.join(folder, 'w.db')}")
    >>> session = store.create_session("Demo", exercises=["needs"])
    >>> person, token = store.join(session.code, "Vrolijke Vos")
    >>> store.save_answer(person, "needs", "q1", {"text": "meer tijd"})
    >>> store.save_answer(person, "needs", "q1", {"text": "meer tijd"})  # a retry
    >>> len(store.answers(session.id))
    1
    >>> store.resume(session.code, token).pseudonym
    'Vrolijke Vos'
    >>> store.close()
    """

    def __init__(self, engine: Engine):
        self.engine = engine
        sqlite_file = engine.url.database if engine.dialect.name == "sqlite" else None
        self._gate = write_gate(sqlite_file, busy_timeout_ms() / 1000)
        self._sql = Statements(self._insert)
        self._writer = None  # the connection kept for writing, behind a gate (SQLite)

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        """Connect, then create or upgrade the schema (or refuse with SchemaError)."""
        engine = make_engine(database_url(url))
        try:
            prepare_schema(engine)
        except BaseException:
            engine.dispose()  # a refused database is not kept open
            raise
        return cls(engine)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        self.engine.dispose()
        self._gate.close()

    # --- plumbing ---------------------------------------------------------------------------
    def _write(self):
        return self.engine.connect().execution_options(sqlite_begin="IMMEDIATE")

    def _run_write(self, work):
        """Run ``work(conn)`` in one write transaction; map outages to StoreUnavailable."""
        try:
            with self._gate.hold():
                if isinstance(self._gate, WriteGate):
                    return self._kept_write(work)
                with self._write() as conn, conn.begin():
                    return work(conn)
        except TimeoutError:
            raise StoreUnavailable.from_exception(TimeoutError("database is locked")) from None
        except (OperationalError, DBAPIError) as exc:
            if isinstance(exc, IntegrityError):
                raise
            raise StoreUnavailable.from_exception(exc) from None

    def _kept_write(self, work):
        """Run ``work(conn)`` in a transaction on the connection kept for writing. Only
        behind the gate, which lets one write of this process through at a time: taking a
        connection from the pool and handing it back cost more than a short write's
        statements (``bench/README.md``). After a failure it is closed; the next write
        opens another."""
        conn = self._writer
        if conn is None:
            conn = self._writer = self._write()
        try:
            with conn.begin():
                return work(conn)
        except BaseException:
            self._writer = None
            conn.close()
            raise

    def _read(self, statement, params=None):
        try:
            with self.engine.connect() as conn:
                return (
                    conn.execute(statement, params).all()
                    if params
                    else conn.execute(statement).all()
                )
        except (OperationalError, DBAPIError) as exc:
            raise StoreUnavailable.from_exception(exc) from None

    def _bump(self, conn, session_id: int, scope: str) -> int:
        """Raise the change counter of ``scope`` in this write's transaction (and, on
        PostgreSQL, notify listeners when it commits); return its new value."""
        version = conn.execute(self._sql.bump, {"sid": session_id, "scope": scope}).scalar_one()
        if self.engine.dialect.name == "postgresql":
            conn.execute(
                text("SELECT pg_notify(:channel, :payload)"),
                {"channel": CHANGE_CHANNEL, "payload": f"{session_id}:{scope}"},
            )
        return version

    def versions(self, session_ids: Iterable[int]) -> dict[tuple[int, str], int]:
        """The change counters of these sessions: ``{(session_id, scope): version}``.

        One query, however many sessions: each server process polls this a few times a
        second to learn what another process changed.
        """
        ids = sorted(set(session_ids))
        if not ids:
            return {}
        rows = self._read(self._sql.versions, {"sids": ids})
        return {(r.session_id, r.scope): r.version for r in rows}

    # --- sessions ---------------------------------------------------------------------------
    def create_session(
        self,
        title: str = "",
        *,
        lang: str = "nl",
        organiser: str = "",
        exercises: Iterable[str] = (),
        room: dict | None = None,
        free_text_visible: bool = False,
    ) -> SessionInfo:
        """Create a session with a fresh join code; ``exercises`` are open from the start;
        ``room`` is the room's first state (a programme's, see ``exercises.programme``)."""
        if lang not in LANGUAGES:
            raise NotAllowed(f"language must be 'nl' or 'en', not {lang!r}")
        for _ in range(20):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            values = dict(
                code=code,
                title=title[:200],
                organiser=organiser[:200],
                lang=lang,
                open_exercises=json.dumps(list(exercises)),
                results_visible=True,
                free_text_visible=bool(free_text_visible),
                room=json.dumps(room or {}),
                created_at=_now(),
            )
            try:
                self._run_write(lambda conn, v=values: conn.execute(sessions.insert().values(**v)))
            except IntegrityError:
                continue  # code taken: draw another
            return self.get_session(code)
        raise StoreUnavailable("could not find a free join code; try again")

    def get_session(self, code: str) -> SessionInfo | None:
        """Return the session with this join code (case-insensitive), or None."""
        code = (code or "").strip().upper()
        if not code or len(code) > 12:
            return None
        rows = self._read(self._sql.session_by_code, {"code": code})
        return _session(rows[0]) if rows else None

    def session_by_id(self, session_id: int) -> SessionInfo | None:
        rows = self._read(self._sql.session_by_id, {"sid": session_id})
        return _session(rows[0]) if rows else None

    def list_sessions(self) -> list[SessionInfo]:
        """Every session, newest first."""
        rows = self._read(
            select(sessions).order_by(sessions.c.created_at.desc(), sessions.c.id.desc())
        )
        return [_session(r) for r in rows]

    def update_session(self, session_id: int, **changes) -> SessionInfo:
        """Change ``open_exercises``, ``results_visible``, ``free_text_visible`` or ``title``."""
        allowed = {
            "open_exercises",
            "results_visible",
            "free_text_visible",
            "title",
            "organiser",
            "lang",
        }
        unknown = set(changes) - allowed
        if unknown:
            raise NotAllowed(f"cannot change {', '.join(sorted(unknown))}")
        if "lang" in changes and changes["lang"] not in LANGUAGES:
            raise NotAllowed(f"language must be 'nl' or 'en', not {changes['lang']!r}")
        if "open_exercises" in changes:
            changes["open_exercises"] = json.dumps(list(changes["open_exercises"]))

        def work(conn):
            conn.execute(update(sessions).where(sessions.c.id == session_id).values(**changes))
            self._bump(conn, session_id, ROOM)

        self._run_write(work)
        return self.session_by_id(session_id)

    def update_room(self, session_id: int, **changes) -> SessionInfo:
        """Change the room's state: ``current`` (an exercise id or ""), ``follow`` (bool),
        ``approval`` (``{"exercise/question": bool}``, merged into what is there),
        ``answered`` (``{answer_id: bool}``: room questions the facilitator answered) or
        ``countdown_ends`` (an aware datetime, or None to stop it).

        Examples
        --------
        >>> import tempfile, os
        >>> store = Store.open(f"sqlite:///{os.path.join(tempfile.mkdtemp(), 'w.db')}")
        >>> s = store.create_session("Demo", exercises=["behoeften"])
        >>> s = store.update_room(s.id, current="behoeften", follow=True)
        >>> s.current_exercise, s.follow
        ('behoeften', True)
        >>> store.close()
        """
        unknown = set(changes) - {
            "current",
            "follow",
            "approval",
            "answered",
            "countdown_ends",
            "hidden_results",
            "step_started",
            "show_map",
        }
        if unknown:
            raise NotAllowed(f"cannot change {', '.join(sorted(unknown))} of the room")
        if "current" in changes and not (
            changes["current"] == "" or _plain_text(changes["current"], 64)
        ):
            raise NotAllowed("the current exercise is an exercise id")
        if "approval" in changes and not (
            isinstance(changes["approval"], dict)
            and all(_plain_text(k, 160) for k in changes["approval"])
        ):
            raise NotAllowed("approval maps 'exercise/question' to true or false")
        if "answered" in changes and not (
            isinstance(changes["answered"], dict)
            and all(isinstance(k, int) and not isinstance(k, bool) for k in changes["answered"])
        ):
            raise NotAllowed("answered maps answer ids to true or false")
        if "hidden_results" in changes and not (
            isinstance(changes["hidden_results"], list | tuple)
            and all(_plain_text(e, 64) for e in changes["hidden_results"])
        ):
            raise NotAllowed("hidden_results is a list of exercise ids")
        if changes.get("step_started") is not None:
            started = changes["step_started"]
            if not isinstance(started, datetime) or started.tzinfo is None:
                raise NotAllowed("step_started is an aware datetime")
            changes["step_started"] = started.astimezone(UTC).isoformat()
        if changes.get("countdown_ends") is not None:
            ends = changes["countdown_ends"]
            if not isinstance(ends, datetime) or ends.tzinfo is None:
                raise NotAllowed("countdown_ends is an aware datetime")
            changes["countdown_ends"] = ends.astimezone(UTC).isoformat()

        def work(conn):
            row = conn.execute(select(sessions.c.room).where(sessions.c.id == session_id)).first()
            if row is None:
                raise NotAllowed("no such session")
            room = _room(row.room)
            for key, value in changes.items():
                if key in ("approval", "answered"):
                    merged = dict(room.get(key) or {})
                    merged.update({str(k): bool(v) for k, v in value.items()})
                    room[key] = {k: v for k, v in merged.items() if v}
                elif key in ("follow", "show_map"):
                    room[key] = bool(value)
                elif key == "hidden_results":
                    room["hidden_results"] = list(dict.fromkeys(value))
                else:
                    room[key] = value
            conn.execute(
                update(sessions).where(sessions.c.id == session_id).values(room=json.dumps(room))
            )
            self._bump(conn, session_id, ROOM)

        self._run_write(work)
        return self.session_by_id(session_id)

    # --- participants -----------------------------------------------------------------------
    def join(self, code: str, pseudonym: str) -> tuple[Participant, str]:
        """Add a participant to a session; return them and their secret resume token."""
        if not _plain_text(pseudonym):
            raise NotAllowed("a pseudonym is text without control characters")
        session = self.get_session(code)
        if session is None:
            raise NotAllowed(f"no session with code {code!r}")
        if session.purged:
            raise NotAllowed("this session has ended: its participants were deleted")
        token = secrets.token_urlsafe(24)
        now = _now()
        values = dict(
            session_id=session.id,
            pseudonym=pseudonym[:60],
            token_hash=hash_token(token),
            created_at=now,
            last_seen_at=now,
        )

        def work(conn):
            result = conn.execute(participants.insert().values(**values))
            self._bump(conn, session.id, PEOPLE)
            return result.inserted_primary_key[0]

        return Participant(self._run_write(work), session.id, pseudonym[:60]), token

    def resume(self, code: str, token: str) -> Participant | None:
        """Return the participant this token belongs to in this session, or None."""
        session = self.get_session(code)
        if session is None or not token or len(token) > 100:
            return None
        rows = self._read(
            self._sql.participant_by_token, {"token_hash": hash_token(token), "sid": session.id}
        )
        if not rows:
            return None
        row = rows[0]
        return Participant(row.id, row.session_id, row.pseudonym, row.screen or "")

    def rename(self, person: Participant, pseudonym: str) -> Participant:
        if not _plain_text(pseudonym):
            raise NotAllowed("a pseudonym is text without control characters")
        self._run_write(
            lambda conn: conn.execute(
                update(participants)
                .where(participants.c.id == person.id)
                .values(pseudonym=pseudonym[:60])
            )
        )
        return Participant(person.id, person.session_id, pseudonym[:60])

    def set_screen(self, person: Participant, screen: str) -> None:
        """Remember the page the participant is on, so a reload or another device returns
        them there (``screen`` is a short route such as ``e/behoeften`` or ``map``)."""
        if not isinstance(screen, str) or len(screen) > 80:
            raise NotAllowed("a screen is a short route")
        self._run_write(
            lambda conn: conn.execute(
                update(participants).where(participants.c.id == person.id).values(screen=screen)
            )
        )

    def touch(self, person: Participant) -> None:
        """Record that the participant is active now (for the dashboard's 'active' count)."""
        self._run_write(
            lambda conn: conn.execute(
                update(participants)
                .where(participants.c.id == person.id)
                .values(last_seen_at=_now())
            )
        )

    def participant_counts(self, session_id: int) -> dict[str, int]:
        """Return ``{"joined": n, "active": m}`` (active: seen in the last two minutes)."""
        since = _now() - ACTIVE_WINDOW
        rows = self._read(
            select(
                func.count(),
                func.coalesce(
                    func.sum(case((participants.c.last_seen_at >= since, 1), else_=0)), 0
                ),
            ).where(participants.c.session_id == session_id)
        )
        joined, active = rows[0]
        return {"joined": int(joined), "active": int(active or 0)}

    def activity(self, session_id: int) -> tuple:
        """A cheap fingerprint of a session: it changes whenever an answer, a hide, a
        contribution, a participant or a session setting changes (for live refresh)."""
        hidden = func.coalesce(func.sum(case((answers.c.hidden, 1), else_=0)), 0)
        statements = [
            select(func.count(), func.max(answers.c.updated_at), hidden).where(
                answers.c.session_id == session_id
            ),
            select(
                func.count(), func.coalesce(func.sum(case((contributions.c.hidden, 1), else_=0)), 0)
            ).where(contributions.c.session_id == session_id),
            select(func.count()).where(participants.c.session_id == session_id),
            select(
                sessions.c.open_exercises,
                sessions.c.results_visible,
                sessions.c.free_text_visible,
                sessions.c.room,
            ).where(sessions.c.id == session_id),
        ]
        try:
            with self.engine.connect() as conn:
                return tuple(tuple(conn.execute(s).first() or ()) for s in statements)
        except (OperationalError, DBAPIError) as exc:
            raise StoreUnavailable.from_exception(exc) from None

    # --- answers ----------------------------------------------------------------------------
    def save_answer(self, person: Participant, exercise: str, item: str, value) -> None:
        """Store (or replace) the participant's answer to one item. Retrying is harmless."""
        if not _plain_text(exercise, 64) or not _plain_text(item, 160):
            raise NotAllowed("unknown exercise or item")
        self.apply_answers(person, exercise, [(item, value)], only_if_open=False)

    def apply_answers(
        self,
        person: Participant,
        exercise: str,
        changes,
        *,
        only_if_open: bool = True,
        touch: bool = True,
        read_back: bool = False,
    ) -> dict | None:
        """Store (or, for a value of None, remove) several of one participant's answers to
        ``exercise`` in one transaction; with ``only_if_open`` the exercise must be open
        at that moment (else ExerciseClosed and nothing written); ``touch`` also marks the
        participant as active. Retrying is harmless.

        With ``read_back``, return the participant's answers to ``exercise`` as they are
        once this write is in (``{item: value}``, from every device of theirs), read in the
        same transaction; otherwise None.

        Examples
        --------
        >>> import tempfile, os
        >>> store = Store.open(f"sqlite:///{os.path.join(tempfile.mkdtemp(), 'w.db')}")
        >>> session = store.create_session("Demo", exercises=["needs"])
        >>> person, _ = store.join(session.code, "Uil")
        >>> store.apply_answers(person, "needs", [("q1", 3), ("q2", "ja")])
        >>> store.apply_answers(person, "needs", [("q2", None)], read_back=True)
        {'q1': 3}
        >>> [(a.item, a.value) for a in store.answers(session.id)]
        [('q1', 3)]
        >>> store.apply_answers(person, "other", [("q1", 1)])
        Traceback (most recent call last):
        ...
        toolkit.store.errors.ExerciseClosed: exercise 'other' is closed
        >>> store.close()
        """
        if not _plain_text(exercise, 64):
            raise NotAllowed("unknown exercise or item")
        now = _now()
        base = {"sid": person.session_id, "pid": person.id, "exercise": exercise, "now": now}
        writes, removes = [], []
        for item, value in changes:
            if not _plain_text(item, 160):
                raise NotAllowed("unknown exercise or item")
            if value is None:
                removes.append({**base, "item": item})
            else:
                writes.append({**base, "item": item, "value": _encode(value, "answer")})
        sql = self._sql

        def work(conn):
            if only_if_open:
                row = conn.execute(sql.open_exercises, base).first()
                if row is None or exercise not in json.loads(row.open_exercises or "[]"):
                    raise ExerciseClosed(f"exercise {exercise!r} is closed")
            revision = self._bump(conn, person.session_id, exercise)
            if writes:
                conn.execute(sql.save_answer, [{**w, "revision": revision} for w in writes])
            if removes:
                conn.execute(sql.delete_answer, removes)
                self._bump(conn, person.session_id, GONE + exercise)
            if touch:
                conn.execute(sql.touch, base)
            if read_back:
                rows = conn.execute(sql.own_values, base).all()
                return {item: json.loads(value) for item, value in rows}
            return None

        return self._run_write(work)

    def delete_answer(self, person: Participant, exercise: str, item: str) -> None:
        """Remove one of the participant's own answers (e.g. a need they take back)."""
        self.apply_answers(person, exercise, [(item, None)], only_if_open=False, touch=False)

    def answers(
        self, session_id: int, exercise: str | None = None, participant_id: int | None = None
    ) -> list[Answer]:
        """Answers of a session, optionally of one exercise and/or one participant."""
        if exercise is not None:
            params = {"sid": session_id, "exercise": exercise}
            if participant_id is None:
                return self._answers(self._read(self._sql.answers_of_exercise, params))
            params["pid"] = participant_id
            return self._answers(self._read(self._sql.answers_of_participant, params))
        query = (
            select(*Statements.answer_columns())
            .join(participants, participants.c.id == answers.c.participant_id)
            .where(answers.c.session_id == session_id)
        )
        if participant_id is not None:
            query = query.where(answers.c.participant_id == participant_id)
        query = query.order_by(answers.c.id)
        return self._answers(self._read(query))

    def answer_rows(self, session_id: int, exercise: str, after: int = 0) -> list[Answer]:
        """The answers to one exercise written after revision ``after`` (all for 0), without
        pseudonyms or times: what group results need, read incrementally."""
        params = {"sid": session_id, "exercise": exercise, "after": after}
        statement = self._sql.answer_rows_after if after else self._sql.answer_rows
        # Rows unpacked by position (the statement names its columns in this order): a
        # row's attributes by name cost more than the rest of reading it.
        return [
            Answer(id_, pid, "", ex, item, _decode(value), bool(hidden), None, bool(ok), rev)
            for id_, pid, ex, item, value, hidden, ok, rev in self._read(statement, params)
        ]

    @staticmethod
    def _answers(rows) -> list[Answer]:
        """Answers from rows of :data:`Statements.answer_columns`, in that order."""
        return [
            Answer(id_, pid, name, ex, item, _decode(value), bool(hidden), at, bool(ok), rev)
            for id_, pid, name, ex, item, value, hidden, at, ok, rev in rows
        ]

    def set_answer_hidden(self, session_id: int, answer_id: int, hidden: bool) -> None:
        """Hide (or show again) one answer in every group view (moderation)."""
        self._moderate(answers, session_id, answer_id, hidden=bool(hidden))

    def set_answer_approved(self, session_id: int, answer_id: int, approved: bool) -> None:
        """Approve one text for the group views (when its question needs approval)."""
        self._moderate(answers, session_id, answer_id, approved=bool(approved))

    def _moderate(self, table, session_id: int, row_id: int, **values) -> None:
        def work(conn):
            scope_column = table.c.exercise if table is answers else None
            found = conn.execute(
                select(table.c.id, *([scope_column] if scope_column is not None else [])).where(
                    table.c.id == row_id, table.c.session_id == session_id
                )
            ).first()
            if found is None:
                return
            version = self._bump(conn, session_id, found.exercise if table is answers else MAP)
            written = {**values, "revision": version} if table is answers else values
            conn.execute(update(table).where(table.c.id == row_id).values(**written))
            self._bump(conn, session_id, MODERATION)

        self._run_write(work)

    # --- contributions ----------------------------------------------------------------------
    def add_contribution(self, person: Participant, uid: str, kind: str, payload: dict) -> None:
        """Store an organisation or relation a participant adds; the same ``uid`` twice is
        stored once."""
        if kind not in ("organisation", "relation"):
            raise NotAllowed(f"unknown contribution kind {kind!r}")
        if not _plain_text(uid, 40):
            raise NotAllowed("contribution without a usable id")
        encoded = _encode(payload, "contribution")
        statement = (
            self._insert(contributions)
            .values(
                uid=uid,
                session_id=person.session_id,
                participant_id=person.id,
                kind=kind,
                payload=encoded,
                hidden=False,
                created_at=_now(),
            )
            .on_conflict_do_nothing(index_elements=["uid"])
        )

        def work(conn):
            conn.execute(statement)
            self._bump(conn, person.session_id, MAP)

        self._run_write(work)

    def remove_contribution(self, person: Participant, uid: str) -> None:
        def work(conn):
            conn.execute(
                delete(contributions).where(
                    contributions.c.uid == uid, contributions.c.participant_id == person.id
                )
            )
            self._bump(conn, person.session_id, MAP)

        self._run_write(work)

    def contributions(
        self, session_id: int, participant_id: int | None = None
    ) -> list[Contribution]:
        query = (
            select(contributions, participants.c.pseudonym)
            .join(participants, participants.c.id == contributions.c.participant_id)
            .where(contributions.c.session_id == session_id)
        )
        if participant_id is not None:
            query = query.where(contributions.c.participant_id == participant_id)
        query = query.order_by(contributions.c.id)
        return [
            Contribution(
                r.id,
                r.uid,
                r.participant_id,
                r.pseudonym,
                r.kind,
                json.loads(r.payload),
                bool(r.hidden),
                r.created_at,
                bool(r.approved),
            )
            for r in self._read(query)
        ]

    def set_contribution_hidden(self, session_id: int, contribution_id: int, hidden: bool) -> None:
        """Hide (or show again) one map addition in every group view (moderation)."""
        self._moderate(contributions, session_id, contribution_id, hidden=bool(hidden))

    def set_contribution_approved(
        self, session_id: int, contribution_id: int, approved: bool
    ) -> None:
        """Approve one map addition for the group views (when additions need approval)."""
        self._moderate(contributions, session_id, contribution_id, approved=bool(approved))

    # --- deleting ---------------------------------------------------------------------------
    def purge(self, session_id: int) -> dict[str, int]:
        """Delete a session's answers, contributions, participants and the session itself.

        Returns how many rows of each kind were deleted. SQLite is vacuumed afterwards so the
        deleted rows do not linger in the file.
        """

        def work(conn):
            counts = {}
            conn.execute(delete(changes).where(changes.c.session_id == session_id))
            for name, table in (
                ("answers", answers),
                ("contributions", contributions),
                ("participants", participants),
                ("sessions", None),
            ):
                if table is None:
                    result = conn.execute(delete(sessions).where(sessions.c.id == session_id))
                else:
                    result = conn.execute(delete(table).where(table.c.session_id == session_id))
                counts[name] = result.rowcount
            return counts

        counts = self._run_write(work)
        self._compact()
        return counts

    def _compact(self) -> None:
        """On SQLite, give deleted pages back (VACUUM) and empty the write-ahead log, so that
        nothing of what was deleted stays in the database file."""
        if self.engine.dialect.name == "sqlite":
            raw = self.engine.raw_connection()
            try:
                raw.execute("VACUUM")
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                raw.close()

    # --- dialect helpers --------------------------------------------------------------------
    def _insert(self, table):
        if self.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return insert(table)

    # --- what purge keeps (schema 4) ----------------------------------------------------------
    def kept_results(self, session_id: int) -> dict[str, dict]:
        """The group results kept by :meth:`purge_people`: ``{exercise or "~session": data}``
        ({} while the participants are still there)."""
        rows = self._read(
            select(summaries.c.exercise, summaries.c.data).where(
                summaries.c.session_id == session_id
            )
        )
        return {r.exercise: json.loads(r.data) for r in rows}

    def purge_people(self, session_id: int, kept: dict[str, dict] | None) -> dict[str, int]:
        """Delete what identifies people in a session and keep its group results.

        In one transaction: store ``kept`` (``{exercise: JSON-able group results}``; None
        keeps what an earlier purge stored), delete every participant (pseudonym, token
        hash, last page), their answers and map additions, and close the session's
        exercises. The session itself (code, title, organiser, date) stays, so the report
        can be made again from the kept results. SQLite is vacuumed afterwards, so no
        deleted text lingers in the file. Returns the numbers of rows deleted.
        """
        now = _now()
        rows = [
            {
                "session_id": session_id,
                "exercise": str(exercise)[:64],
                "data": json.dumps(data, ensure_ascii=False, allow_nan=False),
                "created_at": now,
            }
            for exercise, data in (kept or {}).items()
        ]

        def work(conn):
            found = conn.execute(select(sessions.c.id).where(sessions.c.id == session_id))
            if found.first() is None:
                return {"answers": 0, "contributions": 0, "participants": 0, "kept": 0}
            if kept is not None:
                conn.execute(delete(summaries).where(summaries.c.session_id == session_id))
                if rows:
                    conn.execute(summaries.insert(), rows)
            counts = {}
            for name, table in (
                ("answers", answers),
                ("contributions", contributions),
                ("participants", participants),
            ):
                counts[name] = conn.execute(
                    delete(table).where(table.c.session_id == session_id)
                ).rowcount
            room = _room(
                conn.execute(select(sessions.c.room).where(sessions.c.id == session_id)).scalar()
            )
            room["purged"] = now.isoformat()  # nobody joins a session whose people are gone
            conn.execute(
                update(sessions)
                .where(sessions.c.id == session_id)
                .values(open_exercises="[]", room=json.dumps(room))
            )
            scopes = {ROOM, PEOPLE, MAP} | {GONE + e for e in (kept or {}) if e[:1] != "~"}
            for scope in sorted(scopes):
                self._bump(conn, session_id, scope)
            counts["kept"] = conn.execute(
                select(func.count()).where(summaries.c.session_id == session_id)
            ).scalar_one()
            return counts

        counts = self._run_write(work)
        self._compact()
        return counts
