"""Dutch and English interface strings of the apps (Dutch first)."""

from __future__ import annotations

from .dashboard import DASHBOARD
from .explorer import EXPLORER
from .map import MAP
from .network import (
    METRIC_TEXTS,
    NETWORK,
    PROFILE_AMOUNTS,
    PROFILE_BROKER,
    PROFILE_LEVELS,
    PROFILE_SENTENCES,
)
from .participant import PARTICIPANT
from .report import REPORT
from .web import WEB

__all__ = [
    "LANGUAGES",
    "STRINGS",
    "t",
    "METRIC_TEXTS",
    "PROFILE_SENTENCES",
    "PROFILE_LEVELS",
    "PROFILE_AMOUNTS",
    "PROFILE_BROKER",
]

LANGUAGES = ("nl", "en")


def _merge(*tables: dict) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for table in tables:
        clash = set(table) & set(merged)
        if clash:
            raise ValueError(f"texts defined twice: {', '.join(sorted(clash))}")
        merged.update(table)
    return merged


STRINGS = _merge(EXPLORER, PARTICIPANT, DASHBOARD, WEB, REPORT, MAP, NETWORK)
# Tables of another shape (per metric, per language), kept as they are: METRIC_TEXTS (label
# and explanation), PROFILE_SENTENCES (with placeholders) and the PROFILE_* words.


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
