"""Shared fixtures: real stores (SQLite file, PostgreSQL server) and test content."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from tests.support.postgres import PostgresServer

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
_counter = itertools.count()


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server for the whole run (fails, never skips, when it can't start)."""
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A fresh, empty database URL: a SQLite file, then a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'workshop.db'}"
    server = request.getfixturevalue("postgres")
    return server.create_database(f"t{next(_counter)}_{abs(hash(request.node.name)) % 10**8}")


@pytest.fixture
def store(store_url):
    from toolkit.store import Store

    opened = Store.open(store_url)
    yield opened
    opened.close()
