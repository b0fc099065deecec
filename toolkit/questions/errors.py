"""The error an answer raises when it breaks its question's rules."""

from __future__ import annotations

__all__ = ["AnswerError"]


class AnswerError(ValueError):
    """An answer that breaks its question's rules; ``key`` names the i18n message.

    Examples
    --------
    >>> AnswerError("error_budget", used=6, budget=5).values
    {'used': 6, 'budget': 5}
    """

    def __init__(self, key: str, **values):
        self.key, self.values = key, values
        super().__init__(f"{key}: {values}" if values else key)
