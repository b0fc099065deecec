"""The participant app (one notebook: join, exercises, own vs group results, the map)."""

from .app import ParticipantApp

__all__ = ["ParticipantApp"]
