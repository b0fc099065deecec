"""The store's tables (SQLAlchemy Core), identical on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = [
    "SCHEMA_VERSION",
    "metadata",
    "meta",
    "sessions",
    "participants",
    "answers",
    "contributions",
    "changes",
    "summaries",
]

SCHEMA_VERSION = 4

metadata = MetaData()

meta = Table(
    "workshop_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", String(200), nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(12), nullable=False, unique=True),
    Column("title", String(200), nullable=False, default=""),
    Column("organiser", String(200), nullable=False, default=""),
    Column("lang", String(2), nullable=False, default="nl"),
    Column("open_exercises", Text, nullable=False, default="[]"),  # JSON list of ids
    Column("results_visible", Boolean, nullable=False, default=True),  # since schema 2
    Column("free_text_visible", Boolean, nullable=False, default=False),  # since schema 2
    # The room's state as JSON (since schema 3): the current exercise, follow-the-facilitator,
    # which free-text questions need approval, a countdown. See SessionInfo.
    Column("room", Text, nullable=False, default="{}"),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

participants = Table(
    "participants",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("pseudonym", String(60), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),  # sha256 of the token
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("screen", String(80), nullable=False, default=""),  # since schema 3: last page
    Index("ix_participants_session", "session_id"),
)

answers = Table(
    "answers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column(
        "participant_id", Integer, ForeignKey("participants.id", ondelete="CASCADE"), nullable=False
    ),
    Column("exercise", String(64), nullable=False),
    Column("item", String(160), nullable=False),
    Column("value", Text, nullable=False),  # JSON
    Column("hidden", Boolean, nullable=False, default=False),  # since schema 2
    Column("approved", Boolean, nullable=False, default=False),  # since schema 3
    # The exercise's change counter when the row was last written (since schema 3): a
    # reader that saw revision r fetches only the rows above it.
    Column("revision", Integer, nullable=False, default=0),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("session_id", "participant_id", "exercise", "item", name="uq_answer_per_item"),
    Index("ix_answers_session_exercise", "session_id", "exercise", "revision"),
)

contributions = Table(
    "contributions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uid", String(40), nullable=False, unique=True),  # made by the app: retries dedupe
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column(
        "participant_id", Integer, ForeignKey("participants.id", ondelete="CASCADE"), nullable=False
    ),
    Column("kind", String(20), nullable=False),  # organisation | relation
    Column("payload", Text, nullable=False),  # JSON
    Column("hidden", Boolean, nullable=False, default=False),
    Column("approved", Boolean, nullable=False, default=False),  # since schema 3
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_contributions_session", "session_id"),
)

# A change counter per session and scope (an exercise id, "~room", "~people", "~map", or
# "~gone:<exercise>" when answers were removed), raised in the same transaction as every
# write (since schema 3). Each server process polls it, one
# query for all its sessions, to learn what changed elsewhere and push live updates.
changes = Table(
    "changes",
    metadata,
    Column(
        "session_id",
        Integer,
        ForeignKey("sessions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("scope", String(64), primary_key=True),
    Column("version", Integer, nullable=False, default=0),
)

# What `workshop purge` keeps of a session once its participants are deleted (since schema
# 4): per exercise the group results as JSON (counts, means, the texts a dot vote ranked, the
# map's additions; no pseudonyms), and a "~session" row (participants, when purged). The
# report is made from these when the answers are gone.
summaries = Table(
    "summaries",
    metadata,
    Column(
        "session_id",
        Integer,
        ForeignKey("sessions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("exercise", String(64), primary_key=True),
    Column("data", Text, nullable=False),  # JSON
    Column("created_at", DateTime(timezone=True), nullable=False),
)
