"""Stakeholder content as a networkx graph: filters, ego networks, paths and what-if removal."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from ..content.dataset import StakeholderData

__all__ = [
    "build_graph",
    "filter_graph",
    "ego_network",
    "shortest_paths",
    "simple_view",
    "is_weighted",
    "without",
]


def build_graph(data: StakeholderData) -> nx.MultiDiGraph | nx.MultiGraph:
    """Return a multigraph: one node per organisation, one edge per relation; directed
    unless the data came from an undirected graph file (``data.directed``).

    Node attributes are the organisation's columns (``sectors`` as a ';'-joined string so
    the graph exports to GraphML/GEXF as it is); edge attributes the relation's columns
    (its ``weight`` too, where the file gives one).

    Examples
    --------
    >>> from toolkit.content.dataset import load_default
    >>> G = build_graph(load_default())
    >>> G.nodes["surf"]["type"]
    'cooperative'
    >>> any(d["relation"] == "funds" for _, _, d in G.edges("ocw", data=True))
    True
    """
    kind = nx.MultiDiGraph if getattr(data, "directed", True) else nx.MultiGraph
    graph = kind(origin=data.origin)
    for row in data.organisations:
        attrs = {k: v for k, v in row.items() if k != "id"}
        attrs["sectors"] = ";".join(row.get("sectors", []))
        attrs["contributed"] = _flag(row.get("contributed", False))
        graph.add_node(row["id"], **attrs)
    for row in data.relations:
        attrs = {k: v for k, v in row.items() if k not in ("source", "target")}
        attrs["contributed"] = _flag(row.get("contributed", False))
        graph.add_edge(row["source"], row["target"], key=row["relation"], **attrs)
    return graph


def _flag(value) -> bool:
    """A boolean column: as text (read back from a CSV/GraphML/GEXF export) 'False', 'false',
    '0', 'no' and '' are false; any other text is true."""
    if isinstance(value, str):
        return value.strip().lower() not in ("", "false", "0", "no")
    return bool(value)


def _sectors(graph: nx.MultiDiGraph, node) -> set[str]:
    return {s for s in graph.nodes[node].get("sectors", "").split(";") if s}


def filter_graph(
    graph: nx.MultiDiGraph,
    *,
    sectors: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    relations: Iterable[str] | None = None,
) -> nx.MultiDiGraph:
    """Return the subgraph of organisations in any of ``sectors`` and ``types``, keeping
    only relations of the given types. ``None`` means no filter on that attribute;
    organisations without sectors (e.g. a ministry of another domain) pass a sector filter.

    Examples
    --------
    >>> from toolkit.content.dataset import load_default
    >>> G = build_graph(load_default())
    >>> mbo = filter_graph(G, sectors=["mbo"])
    >>> "mbo-raad" in mbo and "po-raad" not in mbo
    True
    >>> funds = filter_graph(G, relations=["funds"])
    >>> {d["relation"] for _, _, d in funds.edges(data=True)}
    {'funds'}
    """
    sectors = set(sectors) if sectors is not None else None
    types = set(types) if types is not None else None
    relations = set(relations) if relations is not None else None
    keep = [
        n
        for n, d in graph.nodes(data=True)
        if (types is None or d.get("type") in types)
        and (sectors is None or not _sectors(graph, n) or _sectors(graph, n) & sectors)
    ]
    result = type(graph)(**graph.graph)
    result.add_nodes_from((n, graph.nodes[n]) for n in keep)
    result.add_edges_from(
        (u, v, k, d)
        for u, v, k, d in graph.subgraph(keep).edges(keys=True, data=True)
        if relations is None or d.get("relation") in relations
    )
    return result


def ego_network(graph: nx.MultiDiGraph, center: str, radius: int = 1) -> nx.MultiDiGraph:
    """Return the organisations within ``radius`` steps (1-3) of ``center``, either direction.

    Examples
    --------
    >>> from toolkit.content.dataset import load_default
    >>> G = build_graph(load_default())
    >>> ego = ego_network(G, "sivon", 1)
    >>> "sivon" in ego and "kennisnet" in ego
    True
    """
    if center not in graph:
        raise KeyError(f"unknown organisation '{center}'")
    if not 1 <= int(radius) <= 3:
        raise ValueError("radius must be 1, 2 or 3")
    return nx.ego_graph(graph, center, radius=int(radius), undirected=True).copy()


def shortest_paths(graph: nx.MultiDiGraph, source: str, target: str, limit: int = 5) -> list:
    """Return up to ``limit`` shortest paths between two organisations, ignoring direction.

    Each path is a list of (organisation, relation-to-next) steps ending with (target, None).
    An empty list means they are not connected.

    Examples
    --------
    >>> from toolkit.content.dataset import load_default
    >>> G = build_graph(load_default())
    >>> path = shortest_paths(G, "onderwijsgroep-noord", "surf")[0]
    >>> path[0][0], path[-1]
    ('onderwijsgroep-noord', ('surf', None))
    """
    for node in (source, target):
        if node not in graph:
            raise KeyError(f"unknown organisation '{node}'")
    undirected = simple_view(graph)
    try:
        found = nx.all_shortest_paths(undirected, source, target)
        paths = []
        for nodes in found:
            steps = [(a, _relation_between(graph, a, b)) for a, b in zip(nodes, nodes[1:])]
            paths.append([*steps, (target, None)])
            if len(paths) >= limit:
                break
        return paths
    except nx.NetworkXNoPath:
        return []


def _relation_between(graph: nx.MultiDiGraph, a: str, b: str) -> str:
    """Describe the relations between a and b as 'a->b' direction-aware text ids (in an
    undirected graph each relation once, without direction)."""
    forward = [d["relation"] for d in graph.get_edge_data(a, b, default={}).values()]
    if not graph.is_directed():
        return ";".join(forward)
    backward = [d["relation"] for d in graph.get_edge_data(b, a, default={}).values()]
    parts = forward + [f"<-{r}" for r in backward]
    return ";".join(parts)


def simple_view(graph: nx.MultiDiGraph, directed: bool = False) -> nx.Graph:
    """Collapse parallel relations into one edge whose ``weight`` is the sum of theirs (a
    relation without a weight counts 1). ``directed=True`` keeps directions, if the graph
    has any: an undirected graph's view is undirected either way.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b"), ("a", "b"), ("b", "a")])
    >>> simple_view(G)["a"]["b"]["weight"]
    3
    >>> simple_view(nx.MultiGraph([("a", "b")]), directed=True).is_directed()
    False
    """
    simple = nx.DiGraph() if directed and graph.is_directed() else nx.Graph()
    simple.add_nodes_from(graph.nodes(data=True))
    for u, v, weight in graph.edges(data="weight", default=1):
        if u == v:
            continue
        if simple.has_edge(u, v):
            simple[u][v]["weight"] += weight
        else:
            simple.add_edge(u, v, weight=weight)
    return simple


def is_weighted(graph: nx.Graph) -> bool:
    """Does any relation carry a ``weight`` of its own (from the file)?

    Examples
    --------
    >>> is_weighted(nx.MultiGraph([("a", "b", {"weight": 2})])), is_weighted(nx.path_graph(3))
    (True, False)
    """
    return any("weight" in d for _, _, d in graph.edges(data=True))


def without(graph: nx.MultiDiGraph, removed: Iterable[str]) -> nx.MultiDiGraph:
    """Return a copy of the graph with the given organisations removed (what-if)."""
    copy = graph.copy()
    copy.remove_nodes_from([n for n in removed if n in copy])
    return copy
