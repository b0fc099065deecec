"""Network metrics per organisation in one DataFrame, each with a plain-language explanation."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

from ..i18n import METRIC_TEXTS
from .graph import is_weighted, simple_view

__all__ = [
    "METRICS",
    "EXACT_BETWEENNESS_LIMIT",
    "BETWEENNESS_WORK",
    "betweenness_samples",
    "SEED",
    "metric_table",
    "explain",
    "WEIGHTED",
    "burt_constraint",
    "effective_size",
    "communities",
    "what_if",
]

SEED = 42
EXACT_BETWEENNESS_LIMIT = 2000
BETWEENNESS_WORK = 1_500_000  # sampled betweenness: pivots x (nodes + edges), ~3 s in Python
BETWEENNESS_MIN_SAMPLES = 32

# Label and one plain sentence per metric, shown by the apps next to the numbers
# (toolkit/texts/network.py): metric -> language -> (label, explanation).
METRICS = METRIC_TEXTS


# The measures that weigh a relation by its ``weight`` where the file gives one (parallel
# relations add up); the others count relations.
WEIGHTED = frozenset({"pagerank", "community"})


def explain(metric: str, lang: str, graph: nx.Graph | None = None) -> tuple[str, str]:
    """Label and explanation of ``metric`` for ``graph``: what it counts in a network
    without direction, and that it weighs relations where the file has weights.

    Examples
    --------
    >>> explain("degree", "en", nx.MultiGraph([("a", "b")]))[1][:45]
    'The number of relations of an organisation (t'
    >>> "weight" in explain("pagerank", "en", nx.MultiGraph([("a", "b", {"weight": 3})]))[1]
    True
    """
    from ..i18n import t

    label, sentence = METRICS[metric][lang]
    if graph is None:
        return label, sentence
    if not graph.is_directed() and metric in ("degree", "pagerank"):
        sentence = t(f"metric_{metric}_undirected", lang)
    if metric in WEIGHTED and is_weighted(graph):
        sentence = f"{sentence} {t('metric_weighted', lang)}"
    return label, sentence


def metric_table(graph: nx.MultiDiGraph):
    """Return one row per organisation with every metric (pandas DataFrame, index = id).

    In a directed graph degrees count relations in and out, and PageRank follows the
    relations' direction; in an undirected one (a graph file without direction) the degree
    is the number of relations, in- and out-degree are NaN and PageRank runs on the
    undirected graph. Betweenness, eigenvector, k-core, constraint, effective size and
    communities use the undirected view (a relation links both organisations). PageRank
    and communities weigh relations by their ``weight`` where the file has one (parallel
    relations add up); the other measures count relations. Betweenness is exact up to
    ``EXACT_BETWEENNESS_LIMIT`` organisations and sampled with ``SEED`` above.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")])
    >>> table = metric_table(G)
    >>> int(table.loc["c", "degree"]), table.loc["c", "betweenness"] > 0
    (3, np.True_)
    """
    import pandas as pd

    undirected = simple_view(graph)
    directed = simple_view(graph, directed=True)
    nodes = list(graph.nodes)
    n = len(nodes)
    frame = pd.DataFrame(index=pd.Index(nodes, name="id"))
    frame["name"] = [graph.nodes[v].get("name", v) for v in nodes]
    frame["type"] = [graph.nodes[v].get("type", "other") for v in nodes]
    if graph.is_directed():
        frame["in_degree"] = [graph.in_degree(v) for v in nodes]
        frame["out_degree"] = [graph.out_degree(v) for v in nodes]
        frame["degree"] = frame["in_degree"] + frame["out_degree"]
    else:  # no direction: no in or out
        frame["in_degree"] = math.nan
        frame["out_degree"] = math.nan
        frame["degree"] = [graph.degree(v) for v in nodes]
    if n == 0:
        for column in METRICS:
            if column != "degree":
                frame[column] = []
        return frame
    k = betweenness_samples(n, undirected.number_of_edges())
    frame["betweenness"] = pd.Series(nx.betweenness_centrality(undirected, k=k, seed=SEED))
    frame["pagerank"] = pd.Series(nx.pagerank(directed, weight="weight"))
    frame["eigenvector"] = pd.Series(_eigenvector(undirected))
    frame["core_number"] = pd.Series(nx.core_number(undirected))
    frame["constraint"] = pd.Series(burt_constraint(undirected))
    frame["effective_size"] = pd.Series(effective_size(undirected))
    frame["community"] = pd.Series(communities(undirected))
    return frame


def _eigenvector(graph: nx.Graph) -> dict:
    """Eigenvector centrality (numpy variant); zeros where it is undefined (no edges)."""
    if graph.number_of_edges() == 0:
        return dict.fromkeys(graph, 0.0)
    try:
        return nx.eigenvector_centrality_numpy(graph)
    except (nx.NetworkXException, ArithmeticError, ValueError):
        return nx.eigenvector_centrality(graph, max_iter=2000, tol=1e-6)


def _adjacency(graph: nx.Graph):
    nodes = list(graph)
    matrix = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight=None, format="csr")
    matrix.data[:] = 1.0
    return nodes, matrix


def burt_constraint(graph: nx.Graph) -> dict:
    """Burt's constraint for an undirected, unweighted graph, as ``nx.constraint`` defines it,
    computed with sparse matrices (NaN for isolated organisations).

    Examples
    --------
    >>> G = nx.karate_club_graph()
    >>> ours, theirs = burt_constraint(G), nx.constraint(G)
    >>> all(abs(ours[v] - theirs[v]) < 1e-9 for v in G)
    True
    """
    nodes, adj = _adjacency(graph)
    degree = np.asarray(adj.sum(axis=1)).ravel()
    with np.errstate(divide="ignore"):
        inverse = np.where(degree > 0, 1.0 / degree, 0.0)
    import scipy.sparse as sp

    p = sp.diags(inverse) @ adj
    local = (p + (p @ p).multiply(adj)).multiply(adj)
    values = np.asarray(local.multiply(local).sum(axis=1)).ravel()
    return {v: (float(c) if d > 0 else math.nan) for v, c, d in zip(nodes, values, degree)}


def effective_size(graph: nx.Graph) -> dict:
    """Burt's effective size (Borgatti's form for undirected, unweighted graphs).

    Examples
    --------
    >>> G = nx.karate_club_graph()
    >>> ours, theirs = effective_size(G), nx.effective_size(G)
    >>> all(abs(ours[v] - theirs[v]) < 1e-9 for v in G)
    True
    """
    nodes, adj = _adjacency(graph)
    degree = np.asarray(adj.sum(axis=1)).ravel()
    ties = np.asarray((adj @ adj).multiply(adj).sum(axis=1)).ravel() / 2
    return {
        v: (float(d - 2 * t / d) if d > 0 else math.nan) for v, d, t in zip(nodes, degree, ties)
    }


def betweenness_samples(nodes: int, edges: int) -> int | None:
    """Pivots for sampled betweenness: None (exact) up to ``EXACT_BETWEENNESS_LIMIT``
    organisations, above that as many as ``BETWEENNESS_WORK`` allows (at least 32).

    Examples
    --------
    >>> betweenness_samples(500, 900) is None, betweenness_samples(10_000, 25_000)
    (True, 42)
    """
    if nodes <= EXACT_BETWEENNESS_LIMIT:
        return None
    return min(nodes, max(BETWEENNESS_MIN_SAMPLES, BETWEENNESS_WORK // (nodes + edges)))


def communities(graph: nx.Graph) -> dict:
    """Louvain communities with a fixed seed, numbered 1.. from the largest group.

    Above ``EXACT_BETWEENNESS_LIMIT`` organisations, those with a single partner join their
    partner's community instead of taking part in Louvain's passes (where they would end up
    anyway; it saves about 40 % of the time on the ecosystem's degree profile).

    Examples
    --------
    >>> G = nx.barbell_graph(5, 0)
    >>> groups = communities(G)
    >>> groups[0] != groups[9] and groups[0] == groups[1]
    True
    """
    leaves = []
    if graph.number_of_nodes() > EXACT_BETWEENNESS_LIMIT:
        leaves = [v for v in graph if graph.degree(v) == 1]
        leaf_set = set(leaves)
        leaves = [v for v in leaves if next(iter(graph[v])) not in leaf_set]
    core = graph.subgraph(set(graph) - set(leaves)) if leaves else graph
    found = [set(group) for group in nx.community.louvain_communities(core, seed=SEED)]
    index = {v: i for i, group in enumerate(found) for v in group}
    for leaf in leaves:
        found[index[next(iter(graph[leaf]))]].add(leaf)
    found = sorted(found, key=lambda group: (-len(group), sorted(map(str, group))[0]))
    return {v: number for number, group in enumerate(found, start=1) for v in group}


def what_if(graph: nx.MultiDiGraph, removed: list[str]):
    """Compare network figures before and after removing organisations.

    Returns a dict with ``summary`` (a DataFrame of whole-network figures before/after) and
    ``changes`` (per remaining organisation: betweenness before, after and the difference,
    largest changes first).

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "hub"), ("hub", "b"), ("b", "c")])
    >>> result = what_if(G, ["hub"])
    >>> int(result["summary"].loc["components", "after"])
    2
    """
    import pandas as pd

    from .graph import without

    after_graph = without(graph, removed)
    figures = {}
    for label, g in (("before", graph), ("after", after_graph)):
        simple = simple_view(g)
        figures[label] = {
            "organisations": g.number_of_nodes(),
            "relations": g.number_of_edges(),
            "components": nx.number_connected_components(simple) if len(simple) else 0,
            "largest_component": max((len(c) for c in nx.connected_components(simple)), default=0),
            "density": nx.density(simple) if len(simple) > 1 else 0.0,
        }
    summary = pd.DataFrame(figures)
    before = metric_table(graph)[["name", "betweenness"]]
    after = metric_table(after_graph)["betweenness"]
    changes = before.drop(index=[r for r in removed if r in before.index]).copy()
    changes["betweenness_after"] = after
    changes["change"] = changes["betweenness_after"] - changes["betweenness"]
    changes = changes.sort_values("change", key=abs, ascending=False)
    return {"summary": summary, "changes": changes}
