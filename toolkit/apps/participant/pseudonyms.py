"""Suggested pseudonyms: a Dutch adjective and animal, never a real name."""

from __future__ import annotations

import secrets

__all__ = ["suggest_pseudonym", "clean_pseudonym"]

_ADJECTIVES = (
    "Vrolijke",
    "Snelle",
    "Slimme",
    "Rustige",
    "Dappere",
    "Nieuwsgierige",
    "Heldere",
    "Stille",
    "Vlotte",
    "Wijze",
    "Zonnige",
    "Kalme",
)
_ANIMALS = (
    "Vos",
    "Uil",
    "Das",
    "Reiger",
    "Egel",
    "Otter",
    "Specht",
    "Haas",
    "Meeuw",
    "Bever",
    "Lepelaar",
    "Zeehond",
)


def suggest_pseudonym() -> str:
    """Return a random pseudonym such as 'Wijze Otter 42'.

    Examples
    --------
    >>> len(suggest_pseudonym().split()) == 3
    True
    """
    return f"{secrets.choice(_ADJECTIVES)} {secrets.choice(_ANIMALS)} {10 + secrets.randbelow(90)}"


def clean_pseudonym(text: str) -> str | None:
    """Return the trimmed pseudonym if it has 2 to 40 printable characters, else None.

    Examples
    --------
    >>> clean_pseudonym("  Noëlle  ")
    'Noëlle'
    >>> clean_pseudonym("x") is None
    True
    """
    from ...exercises.answers import AnswerError, clean_text

    try:
        cleaned = clean_text(text or "", 40)
    except AnswerError:
        return None
    return cleaned if len(cleaned) >= 2 else None
