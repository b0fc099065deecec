"""Typed texts: normalised before they are checked, and a key that ignores case and spaces."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from .errors import AnswerError

__all__ = ["clean_text", "need_key"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value, max_length: int) -> str:
    """Normalise a typed text: NFC, no control characters, trimmed, within ``max_length``.

    Examples
    --------
    >>> clean_text("  Noe\\u0308lle  ", 20)
    'Noëlle'
    """
    if not isinstance(value, str):
        raise AnswerError("error_type")
    text = _CONTROL.sub("", unicodedata.normalize("NFC", value)).strip()
    if not text:
        raise AnswerError("error_empty")
    if len(text) > max_length:
        raise AnswerError("error_too_long", length=len(text), limit=max_length)
    return text


def need_key(text: str) -> str:
    """A stable key for a need text, equal for texts that differ only in case or spacing.

    Examples
    --------
    >>> need_key("Meer  tijd") == need_key("meer tijd ")
    True
    """
    normal = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    return "n-" + hashlib.sha1(normal.encode("utf-8")).hexdigest()[:12]  # noqa: S324 - an id
