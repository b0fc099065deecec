"""A researcher's own graph, as networkx and Gephi write it: read as given and measured as
networkx measures it.

Graphs networkx ships (Zachary's karate club and Les Misérables, both undirected and
weighted; the Florentine families, undirected and unweighted; a small directed graph with
names as ids) are written to GraphML and GEXF with networkx, read with the toolkit, and
their degree, PageRank and betweenness compared with networkx's own functions on the
original graph. Ids are kept exactly as given (names with capitals and spaces, ``n0``,
markup) and escaped where they are shown.
"""

from __future__ import annotations

import math

import networkx as nx
import pytest

from toolkit.content.dataset import load_graph_file
from toolkit.content.problems import ContentError
from toolkit.map.render import render_map
from toolkit.network.graph import build_graph, ego_network, shortest_paths
from toolkit.network.measures import explain, metric_table
from toolkit.network.profiles import organisation_profiles

WRITERS = {".graphml": nx.write_graphml, ".gexf": nx.write_gexf}


def directed_names() -> nx.DiGraph:
    """A small directed network with names as ids (as Gephi and networkx users write)."""
    graph = nx.DiGraph()
    graph.add_edges_from(
        [
            ("Gemeente Den Haag", "Stichting Kennisnet"),
            ("Stichting Kennisnet", "SURF"),
            ("SURF", "Gemeente Den Haag"),
            ("SURF", "n0"),
            ("n0", "Stichting Kennisnet"),
            ("Ministerie van OCW", "Stichting Kennisnet"),
            ("Ministerie van OCW", "SURF"),
        ]
    )
    return graph


GRAPHS = {
    "karate": nx.karate_club_graph,  # undirected, 'weight' on every edge
    "les_miserables": nx.les_miserables_graph,  # undirected, weighted, names as ids
    "florentine": nx.florentine_families_graph,  # undirected, no weights
    "directed": directed_names,
}


def _read(graph: nx.Graph, suffix: str, tmp_path):
    path = tmp_path / f"net{suffix}"
    WRITERS[suffix](graph, path)
    return load_graph_file(path)


@pytest.mark.parametrize("suffix", sorted(WRITERS))
@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_measures_match_networkx(name, suffix, tmp_path):
    """Read back from the file, does every node keep its id, does an undirected graph stay
    undirected, and do degree (in- and out-degree where directed), PageRank (weighted
    where the file has weights, as networkx weighs them) and betweenness equal networkx's
    own measures on the original graph?"""
    original = GRAPHS[name]()
    data = _read(original, suffix, tmp_path)
    graph = build_graph(data)
    assert graph.is_directed() == original.is_directed()
    table = metric_table(graph)
    assert set(table.index) == {str(v) for v in original}
    pagerank = nx.pagerank(original)
    # betweenness follows links either way (a relation connects both organisations, by
    # design): for a directed graph that is networkx's betweenness of its undirected view
    betweenness = nx.betweenness_centrality(original.to_undirected(as_view=True))
    for v in original:
        row = table.loc[str(v)]
        assert row["degree"] == original.degree(v), (v, "degree")
        if original.is_directed():
            assert (row["in_degree"], row["out_degree"]) == (
                original.in_degree(v),
                original.out_degree(v),
            ), v
        else:
            assert math.isnan(row["in_degree"]) and math.isnan(row["out_degree"]), v
        assert row["pagerank"] == pytest.approx(pagerank[v], abs=1e-6), (v, "pagerank")
        assert row["betweenness"] == pytest.approx(betweenness[v], abs=1e-9), (v, "betweenness")


def test_an_undirected_graph_stays_undirected_in_every_view(tmp_path):
    """Are an undirected graph's ego network and shortest routes undirected too, and does a
    route name each relation once (not also as its reverse)?"""
    data = _read(nx.florentine_families_graph(), ".graphml", tmp_path)
    graph = build_graph(data)
    ego = ego_network(graph, "Medici", 1)
    assert not ego.is_directed()
    assert set(ego) == {"Medici", *nx.florentine_families_graph()["Medici"]}
    (route, *_rest) = shortest_paths(graph, "Pazzi", "Strozzi")
    steps = [relation for _, relation in route[:-1]]
    assert steps and all(relation == "related_to" for relation in steps), steps


def test_weights_are_read_as_numbers(tmp_path):
    """Does an edge's ``weight`` arrive as a number, and is a weight that is not a positive
    number one problem naming the edge's line?"""
    data = _read(nx.les_miserables_graph(), ".graphml", tmp_path)
    weights = {(r["source"], r["target"]): r["weight"] for r in data.relations}
    original = nx.les_miserables_graph()
    for (u, v), weight in weights.items():
        assert weight == original[u][v]["weight"]
    bad = nx.Graph()
    bad.add_edge("A", "B", weight="heavy")
    bad.add_edge("B", "C", weight=-2)
    path = tmp_path / "bad.graphml"
    nx.write_graphml(bad, path)
    with pytest.raises(ContentError) as caught:
        load_graph_file(path)
    problems = caught.value.problems
    assert [p.column for p in problems] == ["weight", "weight"]
    assert all(p.line and p.line > 1 for p in problems)


IDS = ["Gemeente Den Haag", "SURF", "n0", "  spaced  ", "Noëlle & Co", "<script>alert(1)</script>"]


@pytest.mark.parametrize("suffix", sorted(WRITERS))
def test_any_id_is_kept_as_given(suffix, tmp_path):
    """Are ids with capitals, spaces, diacritics, '&' and markup accepted as given (one
    error per node was the result), with no id problem at all?"""
    graph = nx.Graph()
    nx.add_path(graph, IDS)
    data = _read(graph, suffix, tmp_path)
    assert sorted(data.ids()) == sorted(IDS)
    assert {o["id"]: o["name"] for o in data.organisations} == {i: i for i in IDS}


def test_empty_or_control_character_ids_are_refused(tmp_path):
    """Is an empty id, or one with a line or paragraph separator (XML forbids the other
    control characters), refused with one clear problem each?"""
    graph = nx.Graph()
    graph.add_edge("", "B")
    graph.add_edge("B", "C\u2028D")
    path = tmp_path / "bad.graphml"
    nx.write_graphml(graph, path)
    with pytest.raises(ContentError) as caught:
        load_graph_file(path)
    messages = [p.message for p in caught.value.problems if p.column == "id"]
    assert len(messages) == 2, caught.value.problems
    assert "\\u2028" in messages[1] and "\u2028" not in messages[1]


def test_ids_and_names_are_escaped_in_the_map(tmp_path):
    """Does the HTML map of a graph whose ids and names are markup show them only as
    escaped data, never as markup, and keep the id exactly in the profile?"""
    graph = nx.Graph()
    nx.add_path(graph, IDS)
    data = _read(graph, ".graphml", tmp_path)
    built = build_graph(data)
    document = render_map(built, vis_js_url="/vis.js")
    assert "<script>alert(1)</script>" not in document
    assert document.count("<script") == 2, "only the map's own two scripts"
    profiles = organisation_profiles(built, metric_table(built), "nl")
    assert profiles["<script>alert(1)</script>"]["id"] == "<script>alert(1)</script>"


def test_explanations_follow_the_graph(tmp_path):
    """Does the explanation of a measure say what it counted: relations without direction
    for an undirected graph (no 'incoming'), weights where the file has them, and the
    profile's sentence likewise?"""
    undirected = build_graph(_read(nx.les_miserables_graph(), ".graphml", tmp_path))
    directed = build_graph(_read(directed_names(), ".graphml", tmp_path))
    _, degree = explain("degree", "nl", undirected)
    assert "inkomend" not in degree and "richting" in degree
    _, pagerank = explain("pagerank", "en", undirected)
    assert "weight" in pagerank.lower()
    assert "weight" not in explain("pagerank", "en", directed)[1].lower()
    assert "incoming" in explain("degree", "en", directed)[1]
    profiles = organisation_profiles(undirected, metric_table(undirected), "nl")
    sentence = next(m for m in profiles["Valjean"]["metrics"] if m["metric"] == "degree")
    assert "inkomend" not in sentence["sentence"]
