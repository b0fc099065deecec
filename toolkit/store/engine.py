"""Open the store: engine settings per database, schema creation, version check and upgrade."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from ..paths import data_dir
from ..settings import BUSY_TIMEOUT_MS, current
from .errors import SchemaError, StoreUnavailable
from .schema import SCHEMA_VERSION, meta, metadata

__all__ = ["database_url", "make_engine", "prepare_schema", "BUSY_TIMEOUT_MS", "busy_timeout_ms"]


def busy_timeout_ms() -> int:
    """How long (milliseconds) a SQLite writer waits for a lock before it gives up.

    ``WORKSHOP_BUSY_TIMEOUT_MS`` overrides the default of 15000 (15 s), read when an engine
    is created. Tests set it low (e.g. 500) to see a locked database fail fast; a workshop
    keeps the default, so a writer rides out another writer's lock instead of failing.
    A value that is not a non-negative whole number raises
    :class:`~toolkit.settings.SettingsError`.
    """
    chosen = current().busy_timeout_ms
    return BUSY_TIMEOUT_MS if chosen is None else chosen


def database_url(url: str | None = None) -> str:
    """Return the store URL: ``url``, else ``WORKSHOP_DB``, else the embedded SQLite file.

    Examples
    --------
    >>> database_url("sqlite:///x.db")
    'sqlite:///x.db'
    """
    if url:
        return url
    return current().db or f"sqlite:///{data_dir() / 'workshop.db'}"


def _create_engine(url, **kwargs) -> Engine:
    """``create_engine``, with a missing or unknown database driver as a SchemaError."""
    try:
        return create_engine(url, **kwargs)
    except (ImportError, ArgumentError) as exc:
        raise SchemaError(
            f"cannot use the database driver of {make_url(url).drivername!r} ({exc}); use "
            "e.g. sqlite:///workshop-data/workshop.db or postgresql+psycopg://user@host/db"
        ) from None


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout, full sync and explicit BEGINs.

    Write transactions on SQLite start with ``BEGIN IMMEDIATE`` (execution option
    ``sqlite_begin="IMMEDIATE"``), so a writer waits for the lock instead of failing
    half-way; readers use plain deferred transactions and never block writers in WAL mode.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise SchemaError(
            f"WORKSHOP_DB is not a database URL: {url!r}; use e.g. "
            "sqlite:///workshop-data/workshop.db or "
            "postgresql+psycopg://user@host/db"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        # A plain path gets its folder; a SQLite URI ("file:...?uri=true") names an
        # existing file and must not become a folder named "file:" here.
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        timeout_ms = busy_timeout_ms()
        engine = _create_engine(
            url, connect_args={"timeout": timeout_ms / 1000}, pool_pre_ping=False
        )

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection, _record):
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
            cursor = dbapi_connection.cursor()
            # WAL is switched on by prepare_schema, once the file is known to be ours: a
            # foreign or newer database must be refused without being changed.
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute(f"PRAGMA busy_timeout={timeout_ms}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection):
            mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
            connection.exec_driver_sql(f"BEGIN {mode}")

        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":  # no driver named: the one we install
            parsed = parsed.set(drivername="postgresql+psycopg")
        return _create_engine(parsed, pool_pre_ping=True, pool_size=5, max_overflow=5)
    raise SchemaError(
        f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL"
    )


# Upgrades from each older schema version to the next one.
_UPGRADES = {
    1: [
        "ALTER TABLE sessions ADD COLUMN results_visible BOOLEAN NOT NULL DEFAULT TRUE",
        "ALTER TABLE sessions ADD COLUMN free_text_visible BOOLEAN NOT NULL DEFAULT FALSE",
        "ALTER TABLE answers ADD COLUMN hidden BOOLEAN NOT NULL DEFAULT FALSE",
    ],
    2: [  # the room's state, approvals, the participant's last page; `changes` is created
        "ALTER TABLE sessions ADD COLUMN room TEXT NOT NULL DEFAULT '{}'",
        "ALTER TABLE answers ADD COLUMN approved BOOLEAN NOT NULL DEFAULT FALSE",
        "ALTER TABLE answers ADD COLUMN revision INTEGER NOT NULL DEFAULT 0",
        "DROP INDEX ix_answers_session_exercise",
        "CREATE INDEX ix_answers_session_exercise ON answers (session_id, exercise, revision)",
        "ALTER TABLE contributions ADD COLUMN approved BOOLEAN NOT NULL DEFAULT FALSE",
        "ALTER TABLE participants ADD COLUMN screen VARCHAR(80) NOT NULL DEFAULT ''",
    ],
    3: [],  # `summaries` (what purge keeps) is a new table: created by create_all below
}


def _write_connection(engine: Engine):
    return engine.connect().execution_options(sqlite_begin="IMMEDIATE")


def prepare_schema(engine: Engine) -> int:
    """Create the tables of an empty database, upgrade an older one, refuse anything else.

    Returns the schema version in use. Runs in one write transaction (serialised between
    processes: ``BEGIN IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL), so an upgrade
    is all or nothing.
    """
    try:
        with _write_connection(engine) as conn, conn.begin():
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(804211)"))
            tables = set(inspect(conn).get_table_names())
            if not tables:
                metadata.create_all(conn)
                conn.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
            elif meta.name not in tables:
                raise SchemaError(
                    f"the database at {engine.url.render_as_string(hide_password=True)} holds "
                    f"other tables ({', '.join(sorted(tables)[:5])}) and is not a workshop "
                    "store; point WORKSHOP_DB at an empty or workshop database"
                )
            row = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version"))
            found = int(row.scalar_one())
            if found > SCHEMA_VERSION:
                raise SchemaError(
                    f"this database was written by a newer toolkit (schema {found}; this "
                    f"version knows up to {SCHEMA_VERSION}); upgrade the toolkit or use "
                    "another database"
                )
            for version in range(found, SCHEMA_VERSION):
                for statement in _UPGRADES[version]:
                    conn.execute(text(statement))
            if found != SCHEMA_VERSION:
                conn.execute(
                    meta.update()
                    .where(meta.c.key == "schema_version")
                    .values(value=str(SCHEMA_VERSION))
                )
            metadata.create_all(conn, checkfirst=True)  # added since: changes 3, summaries 4
        if engine.dialect.name == "sqlite":
            # Persistent; outside any transaction (SQLite refuses the switch inside one).
            raw = engine.raw_connection()
            try:
                raw.execute("PRAGMA journal_mode=WAL")
            finally:
                raw.close()
        return SCHEMA_VERSION
    except (OperationalError, sqlite3.OperationalError) as exc:
        raise StoreUnavailable.from_exception(exc) from None
