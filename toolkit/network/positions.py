"""Node positions computed in Python for graphs too large for in-browser physics."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

__all__ = ["SPRING_LIMIT", "positions"]

SPRING_LIMIT = 800
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def positions(graph: nx.Graph, community: dict, scale: float = 1000.0, seed: int = 42) -> dict:
    """Return ``{node: (x, y)}`` in pixels, deterministic for a given graph and seed.

    Up to ``SPRING_LIMIT`` organisations a spring layout; above it a clustered layout:
    communities are placed by a spring layout of the community graph and each community's
    members on a sunflower spiral, best connected in the middle (linear in the graph size).

    Examples
    --------
    >>> G = nx.path_graph(4)
    >>> pos = positions(G, {v: 1 for v in G})
    >>> sorted(pos) == [0, 1, 2, 3] and all(len(p) == 2 for p in pos.values())
    True
    """
    if len(graph) == 0:
        return {}
    if len(graph) <= SPRING_LIMIT:
        raw = nx.spring_layout(graph, seed=seed, iterations=60)
        return {v: (float(x) * scale, float(y) * scale) for v, (x, y) in raw.items()}
    return _clustered(graph, community, scale, seed)


def _clustered(graph: nx.Graph, community: dict, scale: float, seed: int) -> dict:
    members: dict = {}
    for v in graph:
        members.setdefault(community.get(v, 0), []).append(v)
    quotient = nx.Graph()
    quotient.add_nodes_from(members)
    for u, v in graph.edges():
        cu, cv = community.get(u, 0), community.get(v, 0)
        if cu != cv:
            weight = quotient.get_edge_data(cu, cv, {"weight": 0})["weight"]
            quotient.add_edge(cu, cv, weight=weight + 1)
    centres = nx.spring_layout(quotient, seed=seed, weight="weight", iterations=100)
    spacing = 28.0  # pixels between neighbouring organisations inside a community
    radii = {c: spacing * math.sqrt(len(m)) for c, m in members.items()}
    largest = max(radii.values())
    spread = scale * max(1.0, 2.2 * largest / scale * math.sqrt(len(members)) / 2)
    degree = dict(graph.degree())
    result = {}
    for c, nodes in members.items():
        cx, cy = centres[c] * spread
        nodes.sort(key=lambda v: -degree[v])
        idx = np.arange(len(nodes))
        r = spacing * np.sqrt(idx + 0.5)
        theta = idx * _GOLDEN_ANGLE
        xs, ys = cx + r * np.cos(theta), cy + r * np.sin(theta)
        for v, x, y in zip(nodes, xs, ys):
            result[v] = (float(x), float(y))
    return result
