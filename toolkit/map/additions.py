"""The organisations and relations participants added, merged into the stakeholder map data."""

from __future__ import annotations

from ..content.dataset import StakeholderData
from ..questions.typed_text import need_key

__all__ = ["merge_contributions"]


def merge_contributions(
    data: StakeholderData, contributions, include_hidden: bool = False
) -> StakeholderData:
    """Return ``data`` plus the session's visible contributions (same names merged, relations
    to missing organisations dropped), marked ``contributed``."""
    known = {row["id"] for row in data.organisations}
    by_name = {need_key(row["name"]): row["id"] for row in data.organisations}
    alias, orgs = {}, []
    for c in contributions:
        if c.kind != "organisation" or (c.hidden and not include_hidden):
            continue
        p = c.payload
        key = need_key(p["name"])
        if key in by_name:  # same name as an existing organisation: reuse it
            alias[p["id"]] = by_name[key]
            continue
        by_name[key] = p["id"]
        known.add(p["id"])
        orgs.append(
            {
                "id": p["id"],
                "name": p["name"],
                "type": p.get("type", "other"),
                "sectors": p.get("sectors", []),
                "description_nl": "",
                "description_en": "",
                "url": "",
                "source": "",
                "added_by": c.pseudonym,
            }
        )
    rels, seen = [], {(r["source"], r["target"], r["relation"]) for r in data.relations}
    for c in contributions:
        if c.kind != "relation" or (c.hidden and not include_hidden):
            continue
        p = c.payload
        source, target = alias.get(p["source"], p["source"]), alias.get(p["target"], p["target"])
        key = (source, target, p["relation"])
        if source in known and target in known and source != target and key not in seen:
            seen.add(key)
            rels.append(
                {
                    "source": source,
                    "target": target,
                    "relation": p["relation"],
                    "since": "",
                    "description": "",
                    "source_url": "",
                    "confidence": "low",
                    "added_by": c.pseudonym,
                }
            )
    return data.with_additions(orgs, rels)
