"""Who a participant is: a pseudonym (never a real name) and a secret resume token."""

from __future__ import annotations

import secrets
import unicodedata

__all__ = ["suggest_pseudonym", "clean_pseudonym", "PSEUDONYM_LIMIT", "token_cookie"]

PSEUDONYM_LIMIT = 40
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
# Unicode categories left out of a pseudonym: controls, format characters (zero-width
# characters, direction overrides and isolates), surrogates, private use, unassigned.
_DROPPED = ("Cc", "Cf", "Cs", "Co", "Cn")
# Letters and symbols that draw nothing: the Hangul fillers (default-ignorable code points
# of category Lo) and the blank braille pattern, a favourite for names that look empty.
_BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def suggest_pseudonym() -> str:
    """Return a random pseudonym such as 'Wijze Otter 42'.

    Examples
    --------
    >>> len(suggest_pseudonym().split()) == 3
    True
    """
    return f"{secrets.choice(_ADJECTIVES)} {secrets.choice(_ANIMALS)} {10 + secrets.randbelow(90)}"


def clean_pseudonym(text) -> str | None:
    """The pseudonym as it will be shown, or None when it is not usable.

    Normalised to NFC; controls, zero-width characters, direction overrides and
    characters that draw nothing (Hangul fillers, the blank braille pattern) removed; runs
    of spaces made one; then it needs 2 to 40 characters of which at least two are visible
    (not spaces or combining marks alone).

    Examples
    --------
    >>> clean_pseudonym("  Noe\\u0308lle  ")
    'Noëlle'
    >>> clean_pseudonym("\\u200b\\u200b\\u200b") is None, clean_pseudonym("x") is None
    (True, True)
    >>> clean_pseudonym("\\u202eUil")
    'Uil'
    >>> clean_pseudonym("\\u3164\\u3164") is None, clean_pseudonym("\\u2800x") is None
    (True, True)
    """
    if not isinstance(text, str):
        return None
    normal = unicodedata.normalize("NFC", text)
    kept = "".join(c for c in normal if unicodedata.category(c) not in _DROPPED and c not in _BLANK)
    name = " ".join(kept.split())
    visible = sum(1 for c in name if unicodedata.category(c)[0] in "LNPS")
    if visible < 2 or len(name) > PSEUDONYM_LIMIT:
        return None
    return name


def token_cookie(code: str) -> dict:
    """Name and attributes of the cookie that holds a participant's resume token: HttpOnly,
    SameSite=Lax, and only sent to the pages of its own session.

    Examples
    --------
    >>> token_cookie("ABC123")["path"]
    '/s/ABC123/'
    """
    return {
        "name": "wt",
        "path": f"/s/{code}/",
        "httponly": True,
        "samesite": "Lax",
        "expires_days": 7,
    }
