"""Plain-language profile of each organisation: its facts and one sentence per metric."""

from __future__ import annotations

import math

import networkx as nx

from ..content.vocabulary import Vocabulary, default_vocabulary
from ..i18n import (
    PROFILE_AMOUNTS,
    PROFILE_BROKER,
    PROFILE_LEVELS,
    PROFILE_SENTENCES,
    STRINGS,
)
from .measures import METRICS

__all__ = ["organisation_profiles", "metric_sentence", "isolate_direction"]

# Explicit direction controls: embeddings and overrides (LRE RLE PDF LRO RLO), isolates.
_DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ISOLATES, _CLOSE_ISOLATE = "\u2066\u2067\u2068", "\u2069"

# The sentences and words live in toolkit/texts/network.py.
_SENTENCES = PROFILE_SENTENCES
_LEVELS, _AMOUNTS, _BROKER = PROFILE_LEVELS, PROFILE_AMOUNTS, PROFILE_BROKER
_NONE, _AND = STRINGS["profile_nobody"], STRINGS["profile_and"]


def _level(rank: int, n: int, lang: str) -> str:
    third = max(n / 3, 1)
    return _LEVELS[lang][0 if rank <= third else 1 if rank <= 2 * third else 2]


def _bridge_pair(graph: nx.Graph, node, degree: dict, community: dict) -> tuple | None:
    """Two partners of ``node`` that are not linked, preferably from different groups."""
    partners = sorted(graph[node], key=lambda v: -degree[v])[:30]
    fallback = None
    for i, a in enumerate(partners):
        for b in partners[i + 1 :]:
            if graph.has_edge(a, b):
                continue
            if community[a] != community[b]:
                return a, b
            fallback = fallback or (a, b)
    return fallback


def isolate_direction(text: str) -> str:
    """``text`` ready to sit inside a longer plain text (a sentence, a tooltip line): when it
    holds explicit direction controls (e.g. a right-to-left override a participant never
    closed) it is wrapped in FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE, so its
    controls cannot turn the surrounding words around (the plain-text form of ``<bdi>``).
    A stray POP DIRECTIONAL ISOLATE, which would end that isolate early, is left out; it
    has no effect on the text itself. Other texts are returned unchanged.

    Examples
    --------
    >>> isolate_direction("Noëlle")
    'Noëlle'
    >>> isolate_direction("\u202eevil") == "\u2068\u202eevil\u2069"
    True
    >>> isolate_direction("\u2069\u202eevil") == "\u2068\u202eevil\u2069"
    True
    """
    if not _DIRECTION_CONTROLS.intersection(text):
        return text
    kept, open_isolates = [], 0
    for char in text:
        if char in _ISOLATES:
            open_isolates += 1
        elif char == _CLOSE_ISOLATE:
            if not open_isolates:
                continue
            open_isolates -= 1
        kept.append(char)
    return "\u2068" + "".join(kept) + "\u2069"


def metric_sentence(metric: str, lang: str, **values) -> str:
    """Fill in the sentence of one metric.

    Examples
    --------
    >>> metric_sentence("core_number", "en", name="SURF", value=3)[:40]
    'SURF belongs to a tight core group in wh'
    """
    return _SENTENCES[metric][lang].format(**values)


def organisation_profiles(
    graph: nx.MultiDiGraph, table, lang: str = "nl", vocabulary: Vocabulary | None = None
) -> dict[str, dict]:
    """Return, per organisation id, its facts and a list of (label, value, sentence) metrics.

    ``table`` is the result of :func:`toolkit.network.measures.metric_table` for ``graph``.
    """
    from .graph import simple_view

    vocab = vocabulary or default_vocabulary()
    undirected = simple_view(graph)
    n = len(table)
    # Rounded first: eigenvector values of tied organisations differ in the last digits from
    # run to run (ARPACK's random start), which must not change their rank.
    ranks = {
        m: table[m].round(9).rank(ascending=False, method="min")
        for m in ("degree", "betweenness", "pagerank", "eigenvector")
    }
    names = {v: isolate_direction(str(name)) for v, name in table["name"].to_dict().items()}
    ranks = {m: r.to_dict() for m, r in ranks.items()}
    degree = table["degree"].to_dict()
    community = table["community"].to_dict()
    groups: dict[int, list] = {}  # per community its four best connected members
    for v in table.sort_values("degree", ascending=False).index:
        members = groups.setdefault(community[v], [])
        if len(members) < 4:
            members.append(v)
    profiles = {}
    for v, row in table.to_dict("index").items():
        attrs = graph.nodes[v]
        name = str(row["name"])
        base = {"name": names[v], "n": n}  # in sentences: isolated from the words around it
        lines = []
        for metric in METRICS:
            label = METRICS[metric][lang][0]
            value = row[metric]
            if isinstance(value, float) and math.isnan(value):
                continue
            rank = int(ranks[metric][v]) if metric in ranks else None
            fill = {**base, "rank": rank, "value": value}
            key = metric
            if metric == "degree":
                fill["degree"] = int(row["degree"])
                if graph.is_directed():
                    fill.update(in_degree=int(row["in_degree"]), out_degree=int(row["out_degree"]))
                else:
                    key = "degree_undirected"
                shown = str(int(value))
            elif metric == "betweenness":
                pair = _bridge_pair(undirected, v, degree, community) if value > 0 else None
                if pair:
                    fill.update(a=names[pair[0]], b=names[pair[1]])
                else:
                    key = "betweenness_none"
                shown = f"{value:.3f}"
            elif metric in ("pagerank", "eigenvector"):
                fill["level"] = _level(rank, n, lang)
                if metric == "pagerank":
                    fill["level"] = _AMOUNTS[lang][_LEVELS[lang].index(fill["level"])]
                    if not graph.is_directed():
                        key = "pagerank_undirected"
                shown = f"{value:.3f}"
            elif metric == "constraint":
                fill["level"] = _LEVELS[lang][0 if value > 0.5 else 1 if value > 0.25 else 2]
                fill["meaning"] = _BROKER[lang][0 if value > 0.5 else 1 if value > 0.25 else 2]
                shown = f"{value:.2f}"
            elif metric == "effective_size":
                fill["partners"] = undirected.degree(v)
                shown = f"{value:.1f}"
            elif metric == "community":
                others = [names[o] for o in groups.get(value, []) if o != v][:3]
                fill["members"] = (
                    ", ".join(others[:-1]) + f" {_AND[lang]} {others[-1]}"
                    if len(others) > 1
                    else (others[0] if others else _NONE[lang])
                )
                shown = str(int(value))
            else:
                shown = str(int(value))
            lines.append(
                {
                    "metric": metric,
                    "label": label,
                    "value": shown,
                    "sentence": metric_sentence(key, lang, **fill),
                }
            )
        sectors = [s for s in str(attrs.get("sectors", "")).split(";") if s]
        profiles[v] = {
            "id": str(v),
            "name": name,
            "type": vocab.label("organisation_types", attrs.get("type", "other"), lang),
            "sectors": [vocab.label("sectors", s, lang) for s in sectors],
            "description": attrs.get(f"description_{lang}") or attrs.get("description_en", ""),
            "url": attrs.get("url", ""),
            "source": attrs.get("source", ""),
            "contributed": bool(attrs.get("contributed", False)),
            "metrics": lines,
        }
    return profiles
