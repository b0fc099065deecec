"""Write a stakeholder graph as GraphML, GEXF, a CSV pair or a standalone HTML map."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx

from ..content.dataset import ORGANISATION_COLUMNS, RELATION_COLUMNS

__all__ = ["FORMATS", "export_graph", "write_csv_pair"]

FORMATS = ("graphml", "gexf", "csv", "html")


def _clean(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attribute values are all str/int/float/bool (what the XML formats take)."""
    out = nx.MultiDiGraph()
    out.graph.update({k: str(v) for k, v in graph.graph.items()})
    allowed = (str, int, float, bool)
    for v, d in graph.nodes(data=True):
        out.add_node(
            v,
            **{k: (x if isinstance(x, allowed) else str(x)) for k, x in d.items() if x is not None},
        )
    for u, v, k, d in graph.edges(keys=True, data=True):
        out.add_edge(
            u,
            v,
            key=k,
            **{a: (x if isinstance(x, allowed) else str(x)) for a, x in d.items() if x is not None},
        )
    return out


def write_csv_pair(graph: nx.MultiDiGraph, folder: str | Path) -> tuple[Path, Path]:
    """Write ``organisations.csv`` and ``relations.csv`` in the dataset's own format, so the
    pair loads back with :func:`toolkit.content.dataset.load_stakeholders`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    nodes_path, edges_path = folder / "organisations.csv", folder / "relations.csv"
    extra_nodes = sorted(
        {k for _, d in graph.nodes(data=True) for k in d} - set(ORGANISATION_COLUMNS)
    )
    with nodes_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*ORGANISATION_COLUMNS, *extra_nodes])
        for v, d in graph.nodes(data=True):
            writer.writerow(
                [
                    v,
                    *(d.get(c, "") for c in ORGANISATION_COLUMNS[1:]),
                    *(d.get(c, "") for c in extra_nodes),
                ]
            )
    extra_edges = sorted(
        {k for _, _, d in graph.edges(data=True) for k in d} - set(RELATION_COLUMNS)
    )
    with edges_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*RELATION_COLUMNS, *extra_edges])
        for u, v, d in graph.edges(data=True):
            writer.writerow(
                [
                    u,
                    v,
                    *(d.get(c, "") for c in RELATION_COLUMNS[2:]),
                    *(d.get(c, "") for c in extra_edges),
                ]
            )
    return nodes_path, edges_path


def export_graph(
    graph: nx.MultiDiGraph,
    fmt: str,
    path: str | Path,
    *,
    lang: str = "nl",
    colour_by: str = "type",
    size_by: str = "degree",
) -> list[Path]:
    """Export ``graph`` in ``fmt`` to ``path`` (a folder for ``csv``); return the files written.

    Examples
    --------
    >>> import tempfile, os
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="funds", relation="funds")
    'funds'
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in export_graph(G, "graphml", os.path.join(tmp, "g.graphml"))]
    ['g.graphml']
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format '{fmt}': use one of {', '.join(FORMATS)}")
    path = Path(path)
    if fmt == "csv":
        return list(write_csv_pair(graph, path))
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        nx.write_graphml(_clean(graph), path)
    elif fmt == "gexf":
        nx.write_gexf(_clean(graph), path)
    else:
        from .render import render_map

        path.write_text(
            render_map(graph, lang=lang, colour_by=colour_by, size_by=size_by), encoding="utf-8"
        )
    return [path]
