"""The controlled vocabularies of the stakeholder dataset (types, relations, sectors)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from ..paths import datasets_dir
from .problems import ContentError, Problem

__all__ = ["Vocabulary", "load_vocabulary", "default_vocabulary"]

KINDS = ("organisation_types", "relation_types", "sectors", "confidence")


@dataclass(frozen=True)
class Vocabulary:
    """Allowed ids per kind, each with a Dutch and English label (and colour for types).

    Examples
    --------
    >>> vocab = default_vocabulary()
    >>> vocab.label("relation_types", "funds", "en")
    'funds'
    >>> "sector_council" in vocab.ids("organisation_types")
    True
    """

    entries: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)

    def ids(self, kind: str) -> list[str]:
        """Return the ids of one kind, in file order."""
        return list(self.entries.get(kind, {}))

    def label(self, kind: str, ident: str, lang: str = "nl") -> str:
        """Return the label of an id in ``lang`` (the id itself when unknown)."""
        entry = self.entries.get(kind, {}).get(ident)
        if not entry:
            return ident
        return entry.get(lang) or entry.get("en") or ident

    def colour(self, type_id: str) -> str:
        """Return the display colour of an organisation type."""
        entry = self.entries.get("organisation_types", {}).get(type_id, {})
        return entry.get("colour", "#999999")


def load_vocabulary(path: str | Path) -> Vocabulary:
    """Read and check a vocabulary YAML file; raise ContentError listing every problem."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise ContentError(
            [
                Problem(
                    str(path),
                    line,
                    None,
                    f"not valid YAML ({exc.__class__.__name__})",
                    "check the indentation and the colons",
                )
            ]
        ) from None
    problems = []
    entries: dict[str, dict[str, dict[str, str]]] = {}
    for kind in KINDS:
        section = raw.get(kind)
        if not isinstance(section, dict) or not section:
            problems.append(
                Problem(
                    str(path),
                    None,
                    kind,
                    "section missing or empty",
                    f"add a '{kind}:' mapping of id -> {{nl:, en:}}",
                )
            )
            continue
        entries[kind] = {}
        for ident, labels in section.items():
            if not isinstance(labels, dict) or not labels.get("nl") or not labels.get("en"):
                problems.append(
                    Problem(
                        str(path),
                        None,
                        kind,
                        f"'{ident}' lacks a label",
                        "give it both 'nl' and 'en'",
                    )
                )
                continue
            entries[kind][str(ident)] = {k: str(v) for k, v in labels.items()}
    if problems:
        raise ContentError(problems)
    return Vocabulary(entries)


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    """Return the vocabulary shipped in ``datasets/stakeholders/vocabulary.yaml``."""
    return load_vocabulary(datasets_dir() / "stakeholders" / "vocabulary.yaml")
