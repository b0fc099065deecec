"""Errors of the store, each with a message a facilitator or participant can act on."""

from __future__ import annotations

__all__ = ["StoreError", "SchemaError", "StoreUnavailable", "NotAllowed", "ExerciseClosed"]


class StoreError(Exception):
    """Base class: something the store could not do."""


class SchemaError(StoreError):
    """The database is not one this toolkit can use (wrong or newer schema, bad URL)."""


class NotAllowed(StoreError):
    """A request the rules refuse: unknown session, closed exercise, foreign token."""


class ExerciseClosed(NotAllowed):
    """The exercise was closed when the answer arrived: nothing was stored."""


class StoreUnavailable(StoreError):
    """The database cannot take the write now (locked, disk full, connection lost).

    Nothing was written; the same call can be retried.
    """

    @classmethod
    def from_exception(cls, exc: Exception) -> StoreUnavailable:
        text = str(getattr(exc, "orig", exc)).lower()
        if "locked" in text or "busy" in text:
            reason = "the database is busy (locked by another writer)"
        elif "full" in text or "no space" in text:
            reason = "the disk is full"
        elif "i/o error" in text:
            reason = "the database file could not be read or written (disk I/O error)"
        elif "readonly" in text or "read-only" in text:
            reason = "the database file is read-only"
        elif "connect" in text or "server closed" in text or "terminat" in text:
            reason = "the database server cannot be reached"
        else:
            reason = "the database refused the write"
        error = cls(f"{reason}; nothing was saved, try again")
        error.reason = reason
        return error
