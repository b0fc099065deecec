"""Check organisations and relations that participants add to the stakeholder map."""

from __future__ import annotations

from ..content.dataset import StakeholderData
from ..questions.errors import AnswerError
from ..questions.typed_text import clean_text, need_key

__all__ = ["clean_organisation", "clean_relation", "merge_contributions", "NAME_LIMIT"]

NAME_LIMIT = 80


def clean_organisation(payload: dict, vocabulary) -> dict:
    """Return a checked organisation contribution ``{id, name, type, sectors}``.

    Examples
    --------
    >>> from toolkit.content.vocabulary import default_vocabulary
    >>> clean_organisation({"id": "c-1", "name": " Coöperatie X ", "type": "cooperative",
    ...                     "sectors": ["po"]}, default_vocabulary())["name"]
    'Coöperatie X'
    """
    name = clean_text(payload.get("name"), NAME_LIMIT)
    org_type = payload.get("type") or "other"
    if org_type not in vocabulary.ids("organisation_types"):
        raise AnswerError("error_choice")
    sectors = payload.get("sectors") or []
    if (
        not isinstance(sectors, list)
        or not all(isinstance(s, str) for s in sectors)
        or not set(sectors) <= set(vocabulary.ids("sectors"))
    ):
        raise AnswerError("error_choice")
    org_id = str(payload.get("id", ""))
    if not org_id.startswith("c-") or len(org_id) > 40:
        raise AnswerError("error_type")
    return {"id": org_id, "name": name, "type": org_type, "sectors": sorted(set(sectors))}


def clean_relation(payload: dict, known_ids: set[str], vocabulary) -> dict:
    """Return a checked relation contribution ``{source, target, relation}``."""
    source, target = payload.get("source"), payload.get("target")
    if not isinstance(source, str) or not isinstance(target, str):
        raise AnswerError("error_choice")
    if source not in known_ids or target not in known_ids:
        raise AnswerError("error_choice")
    if source == target:
        raise AnswerError("error_same_org")
    relation = payload.get("relation") or "related_to"
    if relation not in vocabulary.ids("relation_types"):
        raise AnswerError("error_choice")
    return {"source": source, "target": target, "relation": relation}


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
