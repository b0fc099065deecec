"""Dutch and English interface strings of the apps (Dutch first)."""

from __future__ import annotations

from .dashboard import DASHBOARD
from .explorer import EXPLORER
from .participant import PARTICIPANT
from .report import REPORT
from .web import WEB

__all__ = ["LANGUAGES", "STRINGS", "t"]

LANGUAGES = ("nl", "en")


def _merge(*tables: dict) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for table in tables:
        clash = set(table) & set(merged)
        if clash:
            raise ValueError(f"texts defined twice: {', '.join(sorted(clash))}")
        merged.update(table)
    return merged


STRINGS = _merge(EXPLORER, PARTICIPANT, DASHBOARD, WEB, REPORT)


def t(key: str, lang: str = "nl", **values) -> str:
    """Return the string ``key`` in ``lang`` (Dutch when missing), filled with ``values``.

    Examples
    --------
    >>> t("counts", "en", orgs=3, rels=2)
    '3 organisations, 2 relations shown'
    >>> t("sector", "xx")
    'Sector'
    """
    entry = STRINGS[key]
    text = entry.get(lang) or entry["nl"]
    return text.format(**values) if values else text
