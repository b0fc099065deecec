"""Exports: GraphML and GEXF round trips, the CSV pair and the standalone HTML map."""

import json
import os
import re
from pathlib import Path

import networkx as nx
import pytest

from toolkit.content.dataset import load_default, load_graph_file, load_stakeholders
from toolkit.map.export import FORMATS, export_graph
from toolkit.network.graph import build_graph

NODE_ATTRS = ("name", "type", "sectors")
EDGE_ATTRS = ("relation", "source_url")
READERS = {"graphml": nx.read_graphml, "gexf": nx.read_gexf}


@pytest.fixture(scope="module")
def shipped():
    return build_graph(load_default())


@pytest.fixture(scope="module")
def exported(shipped, tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    files = {}
    for fmt in ("graphml", "gexf"):
        (files[fmt],) = export_graph(shipped, fmt, folder / f"stakeholders.{fmt}")
    return files


def edge_triples(graph, attr="relation"):
    return sorted((str(u), str(v), d.get(attr)) for u, v, d in graph.edges(data=True))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_networkx_reads_the_export_back(shipped, exported, fmt):
    """Does networkx read the export with the same ids, edge count and attributes?"""
    back = READERS[fmt](exported[fmt])
    assert set(back) == set(shipped)
    assert back.number_of_edges() == shipped.number_of_edges()
    for v, attrs in shipped.nodes(data=True):
        for key in (*NODE_ATTRS, "source", "url"):
            assert back.nodes[v][key] == attrs[key], (v, key)
    for attr in EDGE_ATTRS:
        assert edge_triples(back, attr) == edge_triples(shipped, attr)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_loader_reads_the_export_back(shipped, exported, fmt):
    """Does toolkit.content.dataset.load_graph_file load the export, sources required, unchanged?"""
    data = load_graph_file(exported[fmt], require_sources=True)
    assert sorted(data.ids()) == sorted(shipped)
    assert len(data.relations) == shipped.number_of_edges()
    for row in data.organisations:
        original = shipped.nodes[row["id"]]
        assert row["name"] == original["name"]
        assert row["type"] == original["type"]
        assert ";".join(row["sectors"]) == original["sectors"]
        assert row["source"] == original["source"]
    rows = sorted(
        (r["source"], r["target"], r["relation"], r["source_url"]) for r in data.relations
    )
    originals = sorted(
        (u, v, d["relation"], d["source_url"]) for u, v, d in shipped.edges(data=True)
    )
    assert rows == originals


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_round_trip_graph_is_equal(shipped, exported, fmt):
    """Does export -> load -> build_graph give back the same nodes, edges and flags?"""
    again = build_graph(load_graph_file(exported[fmt]))
    assert set(again) == set(shipped)
    assert edge_triples(again) == edge_triples(shipped)
    for v in shipped:
        for key in (*NODE_ATTRS, "description_nl", "description_en", "url", "source"):
            assert again.nodes[v][key] == shipped.nodes[v][key], (v, key)
        assert again.nodes[v]["contributed"] is False, v
    assert not any(d["contributed"] for _, _, d in again.edges(data=True))


def test_contributed_flag_survives_a_round_trip(tmp_path):
    """Does a participant's contribution stay marked (and only it) after a GraphML round trip?"""
    data = load_default()
    extra = {
        **data.organisation("surf"),
        "id": "nieuw-bestuur",
        "name": "Nieuw bestuur",
        "sectors": ["po"],
    }
    rel = {
        "source": "nieuw-bestuur",
        "target": "sivon",
        "relation": "member_of",
        "since": "",
        "description": "",
        "source_url": "https://e.org/",
        "confidence": "low",
    }
    graph = build_graph(data.with_additions([extra], [rel]))
    (path,) = export_graph(graph, "graphml", tmp_path / "g.graphml")
    again = build_graph(load_graph_file(path))
    assert [v for v, d in again.nodes(data=True) if d["contributed"]] == ["nieuw-bestuur"]
    assert [(u, v) for u, v, d in again.edges(data=True) if d["contributed"]] == [
        ("nieuw-bestuur", "sivon")
    ]


def test_igraph_reads_the_graphml(shipped, exported):
    """Does python-igraph read the GraphML with the same numbers of vertices and edges?"""
    if os.environ.get("WORKSHOP_CI"):
        import igraph  # in CI a missing igraph must fail, not skip
    else:
        igraph = pytest.importorskip("igraph")
    graph = igraph.Graph.Read_GraphML(str(exported["graphml"]))
    assert graph.vcount() == shipped.number_of_nodes()
    assert graph.ecount() == shipped.number_of_edges()
    assert graph.is_directed()
    assert set(graph.vs["id"]) == set(shipped)
    assert sorted(graph.es["relation"]) == sorted(
        d["relation"] for _, _, d in shipped.edges(data=True)
    )


def test_csv_pair_loads_back_with_sources_required(shipped, tmp_path):
    """Does the CSV export load back through load_stakeholders with sources required?"""
    written = export_graph(shipped, "csv", tmp_path / "pair")
    assert [p.name for p in written] == ["organisations.csv", "relations.csv"]
    data = load_stakeholders(*written, require_sources=True)
    assert sorted(data.ids()) == sorted(shipped)
    assert len(data.relations) == shipped.number_of_edges()
    again = build_graph(data)
    assert edge_triples(again) == edge_triples(shipped)
    for v in shipped:
        assert again.nodes[v]["sectors"] == shipped.nodes[v]["sectors"]
        assert again.nodes[v]["contributed"] is False


def test_csv_pair_header_starts_with_dataset_columns(shipped, tmp_path):
    """Do the exported CSV headers start with the dataset's own columns, in order?"""
    from toolkit.content.dataset import ORGANISATION_COLUMNS, RELATION_COLUMNS

    nodes, edges = export_graph(shipped, "csv", tmp_path)
    org_header = nodes.read_text(encoding="utf-8").splitlines()[0].split(",")
    rel_header = edges.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert tuple(org_header[: len(ORGANISATION_COLUMNS)]) == ORGANISATION_COLUMNS
    assert tuple(rel_header[: len(RELATION_COLUMNS)]) == RELATION_COLUMNS


def test_html_export_is_one_self_contained_file(shipped, tmp_path):
    """Is the HTML export one file that requests no script, style or font from elsewhere?"""
    written = export_graph(shipped, "html", tmp_path / "sub" / "map.html", lang="en")
    assert written == [tmp_path / "sub" / "map.html"]
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["map.html"]
    text = written[0].read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in text
    assert re.findall(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", text) == []
    assert "<link" not in text
    assert "new vis.Network(" in text and "vis.DataSet" in text
    match = re.search(r"const PAYLOAD = (.*?);\n\(function", text, re.S)
    assert match
    payload = json.loads(match.group(1))
    assert sorted(n["id"] for n in payload["nodes"]) == sorted(shipped)


def test_unknown_format_is_refused(shipped, tmp_path):
    """Is an unknown format refused with the list of formats, writing nothing?"""
    with pytest.raises(ValueError, match="graphml, gexf, csv, html"):
        export_graph(shipped, "pdf", tmp_path / "x.pdf")
    assert list(tmp_path.iterdir()) == []
    assert FORMATS == ("graphml", "gexf", "csv", "html")


def test_export_creates_missing_folders(shipped, tmp_path):
    """Does exporting into a folder that does not exist yet create it?"""
    (path,) = export_graph(shipped, "gexf", tmp_path / "a" / "b" / "g.gexf")
    assert path.is_file() and path.stat().st_size > 0
    assert nx.read_gexf(path).number_of_nodes() == shipped.number_of_nodes()


def test_graph_attribute_values_are_all_plain(tmp_path):
    """Are non-scalar attribute values (a list) written as text rather than failing?"""
    graph = nx.MultiDiGraph()
    graph.add_node("a", name="A", tags=["x", "y"], empty=None)
    graph.add_edge("a", "b", key="k", relation="funds")
    (path,) = export_graph(graph, "graphml", tmp_path / "g.graphml")
    back = nx.read_graphml(path)
    assert back.nodes["a"]["tags"] == "['x', 'y']"
    assert "empty" not in back.nodes["a"]
    assert Path(path).read_text(encoding="utf-8").count("<edge ") == 1
