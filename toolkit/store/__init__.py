"""The durable store: sessions, participants, answers, contributions (SQLite or PostgreSQL)."""

from .engine import database_url
from .errors import ExerciseClosed, NotAllowed, SchemaError, StoreError, StoreUnavailable
from .schema import SCHEMA_VERSION
from .store import Answer, Contribution, Participant, SessionInfo, Store

__all__ = [
    "Store",
    "SessionInfo",
    "Participant",
    "Answer",
    "Contribution",
    "StoreError",
    "SchemaError",
    "StoreUnavailable",
    "NotAllowed",
    "ExerciseClosed",
    "SCHEMA_VERSION",
    "database_url",
]
