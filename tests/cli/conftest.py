"""What the command tests share: an isolated data folder and a demo session in it."""

from __future__ import annotations

import pytest

from toolkit.after.demo import fill_demo_session
from toolkit.store import Store


@pytest.fixture
def data(tmp_path, monkeypatch):
    """An isolated data folder (and so an isolated embedded SQLite store)."""
    folder = tmp_path / "data"
    monkeypatch.setenv("WORKSHOP_DATA", str(folder))
    monkeypatch.delenv("WORKSHOP_DB", raising=False)
    return folder


@pytest.fixture
def session_code(data):
    store = Store.open()
    code = store.create_session("Commands", organiser="Test").code
    fill_demo_session(store, code, participants=4)
    store.close()
    return code
