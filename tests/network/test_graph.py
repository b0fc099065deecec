"""The stakeholder graph: building, filters, ego networks, shortest paths and removal."""

import csv
from pathlib import Path

import networkx as nx
import pytest

from toolkit.content.dataset import load_default, load_stakeholders
from toolkit.network.graph import (
    build_graph,
    ego_network,
    filter_graph,
    shortest_paths,
    simple_view,
    without,
)

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "datasets" / "stakeholders"
SMALL = ROOT / "tests" / "data" / "small"


def csv_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def shipped_data():
    return load_default()


@pytest.fixture(scope="module")
def shipped(shipped_data):
    return build_graph(shipped_data)


@pytest.fixture(scope="module")
def small_data():
    return load_stakeholders(SMALL / "organisations.csv", SMALL / "relations.csv")


@pytest.fixture()
def small(small_data):
    return build_graph(small_data)


# --- build_graph ---------------------------------------------------------------------------


@pytest.mark.parametrize("folder", [SHIPPED, SMALL], ids=["shipped", "small"])
def test_node_and_edge_counts_equal_csv_rows(folder):
    """Does the graph have one node per organisations row and one edge per relations row?"""
    data = load_stakeholders(folder / "organisations.csv", folder / "relations.csv")
    graph = build_graph(data)
    assert graph.number_of_nodes() == len(csv_rows(folder / "organisations.csv"))
    assert graph.number_of_edges() == len(csv_rows(folder / "relations.csv"))
    assert isinstance(graph, nx.MultiDiGraph)


def test_edges_match_csv_triples(shipped):
    """Is every (source, target, relation) of the CSV an edge of the graph, and vice versa?"""
    rows = csv_rows(SHIPPED / "relations.csv")
    expected = sorted((r["source"], r["target"], r["relation"]) for r in rows)
    actual = sorted((u, v, d["relation"]) for u, v, d in shipped.edges(data=True))
    assert actual == expected


def test_parallel_relations_are_separate_edges(small):
    """Do two relations between the same pair stay two edges with their own attributes?"""
    data = small.get_edge_data("ocw", "kennisnet")
    assert set(data) == {"funds", "governs"}
    assert data["funds"]["confidence"] == "high"
    assert data["governs"]["confidence"] == "low"
    assert small.number_of_edges("ocw", "kennisnet") == 2


def test_node_attributes(small):
    """Do nodes carry name, type, ';'-joined sectors and contributed=False?"""
    attrs = small.nodes["surf"]
    assert attrs["name"] == "SURF"
    assert attrs["type"] == "cooperative"
    assert attrs["sectors"] == "mbo;ho"
    assert attrs["contributed"] is False
    assert "id" not in attrs


def test_contributed_rows_are_marked(small_data):
    """Are organisations and relations added by participants marked contributed=True?"""
    extra_org = {**small_data.organisation("surf"), "id": "new-board", "name": "New board"}
    extra_rel = {"source": "new-board", "target": "surf", "relation": "member_of"}
    graph = build_graph(small_data.with_additions([extra_org], [extra_rel]))
    assert graph.nodes["new-board"]["contributed"] is True
    assert graph.nodes["surf"]["contributed"] is False
    assert graph.edges["new-board", "surf", "member_of"]["contributed"] is True
    assert graph.edges["ocw", "kennisnet", "funds"]["contributed"] is False


@pytest.mark.parametrize("text", ["False", "false", "0", ""])
def test_contributed_text_false_is_not_contributed(small_data, text):
    """Is a 'False' read back from a GraphML/CSV export taken as not contributed?"""
    orgs = [{**o, "contributed": text} for o in small_data.organisations]
    rels = [{**r, "contributed": text} for r in small_data.relations]
    data = type(small_data)(orgs, rels, small_data.vocabulary)
    graph = build_graph(data)
    assert not any(d["contributed"] for _, d in graph.nodes(data=True))
    assert not any(d["contributed"] for _, _, d in graph.edges(data=True))


def test_contributed_text_true_is_contributed(small_data):
    """Is a 'True' read back from a file taken as contributed?"""
    orgs = [{**o, "contributed": "True"} for o in small_data.organisations]
    graph = build_graph(type(small_data)(orgs, [], small_data.vocabulary))
    assert all(d["contributed"] is True for _, d in graph.nodes(data=True))


# --- filter_graph --------------------------------------------------------------------------


def test_filter_by_sector(shipped, shipped_data):
    """Does a sector filter keep exactly the organisations in that sector or without sectors?"""
    mbo = filter_graph(shipped, sectors=["mbo"])
    expected = {
        o["id"] for o in shipped_data.organisations if "mbo" in o["sectors"] or not o["sectors"]
    }
    assert set(mbo) == expected
    assert "mbo-raad" in mbo and "po-raad" not in mbo
    for u, v in mbo.edges():
        assert u in expected and v in expected


def test_filter_by_sector_keeps_all_relations_among_kept(shipped):
    """Are all relations among the kept organisations kept (none lost, none added)?"""
    ho = filter_graph(shipped, sectors=["ho"])
    expected = sum(1 for u, v in shipped.edges() if u in ho and v in ho)
    assert ho.number_of_edges() == expected > 0


def test_filter_by_type(shipped, shipped_data):
    """Does a type filter keep only organisations of the given types?"""
    kept = filter_graph(shipped, types=["sector_council", "cooperative"])
    expected = {
        o["id"]
        for o in shipped_data.organisations
        if o["type"] in ("sector_council", "cooperative")
    }
    assert set(kept) == expected
    assert {"po-raad", "vo-raad", "mbo-raad", "sivon", "surf"} <= expected


def test_filter_by_relation(shipped):
    """Does a relation filter keep every organisation but only relations of that type?"""
    funds = filter_graph(shipped, relations=["funds", "founded"])
    assert set(funds) == set(shipped)
    assert {d["relation"] for _, _, d in funds.edges(data=True)} == {"funds", "founded"}
    expected = sum(
        1 for _, _, d in shipped.edges(data=True) if d["relation"] in ("funds", "founded")
    )
    assert funds.number_of_edges() == expected


def test_filters_combine(small):
    """Do sector, type and relation filters apply together?"""
    kept = filter_graph(
        small,
        sectors=["po"],
        types=["sector_council", "cooperative", "support_organisation"],
        relations=["founded", "collaborates_with"],
    )
    assert set(kept) == {"kennisnet", "sivon", "po-raad"}
    assert sorted(kept.edges(keys=True)) == [
        ("po-raad", "sivon", "founded"),
        ("sivon", "kennisnet", "collaborates_with"),
    ]


def test_no_filter_is_a_copy(small):
    """Does filtering with no criteria return an equal graph that is not the same object?"""
    copy = filter_graph(small)
    assert copy is not small
    assert set(copy.edges(keys=True)) == set(small.edges(keys=True))
    copy.remove_node("ocw")
    assert "ocw" in small


def test_empty_filter_keeps_nothing(small):
    """Does an empty list of types keep no organisations?"""
    assert filter_graph(small, types=[]).number_of_nodes() == 0


# --- ego_network ---------------------------------------------------------------------------


@pytest.mark.parametrize("radius", [1, 2, 3])
def test_ego_network_radius(shipped, radius):
    """Does the ego network hold exactly the organisations within `radius` steps, any direction?"""
    distances = nx.single_source_shortest_path_length(
        nx.Graph(shipped.to_undirected()), "sivon", cutoff=radius
    )
    ego = ego_network(shipped, "sivon", radius)
    assert set(ego) == set(distances)
    assert "sivon" in ego


def test_ego_network_grows_with_radius(shipped):
    """Does a larger radius never give fewer organisations?"""
    sizes = [ego_network(shipped, "po-raad", r).number_of_nodes() for r in (1, 2, 3)]
    assert sizes[0] < sizes[1] <= sizes[2]


def test_ego_network_follows_incoming_relations(small):
    """Is an organisation that only points *to* the centre in its radius-1 network?"""
    ego = ego_network(small, "sivon", 1)
    assert set(ego) == {"sivon", "po-raad", "ocw", "kennisnet"}
    assert ego.number_of_edges("ocw", "kennisnet") == 2


def test_ego_network_is_a_copy(small):
    """Can the ego network be changed without changing the graph?"""
    ego = ego_network(small, "sivon", 1)
    ego.remove_node("kennisnet")
    assert "kennisnet" in small


@pytest.mark.parametrize("radius", [0, 4, -1])
def test_ego_network_radius_out_of_range(small, radius):
    """Is a radius outside 1-3 refused?"""
    with pytest.raises(ValueError, match="radius must be 1, 2 or 3"):
        ego_network(small, "sivon", radius)


def test_ego_network_unknown_centre(small):
    """Is an unknown centre refused with its id?"""
    with pytest.raises(KeyError, match="nobody"):
        ego_network(small, "nobody", 1)


# --- shortest_paths ------------------------------------------------------------------------


def test_shortest_path_scholengroep_to_surf(shipped):
    """Does the route from Scholengroep Voorbeeld to SURF have networkx's length and real steps?"""
    paths = shortest_paths(shipped, "scholengroep-voorbeeld", "surf")
    length = nx.shortest_path_length(simple_view(shipped), "scholengroep-voorbeeld", "surf")
    assert paths
    for path in paths:
        assert len(path) == length + 1
        assert path[0][0] == "scholengroep-voorbeeld"
        assert path[-1] == ("surf", None)
        for (a, relation), (b, _) in zip(path, path[1:]):
            forward = {d["relation"] for d in shipped.get_edge_data(a, b, default={}).values()}
            backward = {d["relation"] for d in shipped.get_edge_data(b, a, default={}).values()}
            named = set(relation.split(";"))
            assert named == forward | {f"<-{r}" for r in backward}


def test_shortest_paths_respects_limit(shipped):
    """Are at most `limit` paths returned, all different?"""
    all_paths = shortest_paths(shipped, "scholengroep-voorbeeld", "surf", limit=100)
    limited = shortest_paths(shipped, "scholengroep-voorbeeld", "surf", limit=1)
    assert len(limited) == 1
    assert limited[0] in all_paths
    assert len({tuple(p) for p in all_paths}) == len(all_paths)


def test_shortest_path_marks_direction(small):
    """Is a relation against the walking direction written with '<-'?"""
    (path,) = shortest_paths(small, "kennisnet", "po-raad")
    assert path == [("kennisnet", "<-governs"), ("po-raad", None)]


def test_unconnected_pair_gives_no_paths(small):
    """Does a pair without any connection give an empty list?"""
    graph = small.copy()
    graph.add_node("island", name="Island", type="other")
    assert shortest_paths(graph, "ocw", "island") == []


def test_paths_unknown_organisation(small):
    """Is an unknown organisation refused?"""
    with pytest.raises(KeyError, match="nobody"):
        shortest_paths(small, "ocw", "nobody")


# --- simple_view and without ---------------------------------------------------------------


def test_simple_view_counts_parallel_relations(small):
    """Does the undirected view count the relations of a pair as its weight?"""
    view = simple_view(small)
    assert view["ocw"]["kennisnet"]["weight"] == 2
    assert view.number_of_nodes() == small.number_of_nodes()
    directed = simple_view(small, directed=True)
    assert directed.has_edge("ocw", "kennisnet") and not directed.has_edge("kennisnet", "ocw")


def test_without_removes_organisations_and_their_relations(small):
    """Does `without` drop the organisations and every relation touching them, only in a copy?"""
    edges_before = small.number_of_edges()
    touching = sum(1 for u, v in small.edges() if "kennisnet" in (u, v))
    reduced = without(small, ["kennisnet", "not-there"])
    assert "kennisnet" not in reduced
    assert reduced.number_of_nodes() == small.number_of_nodes() - 1
    assert reduced.number_of_edges() == edges_before - touching
    assert "kennisnet" in small and small.number_of_edges() == edges_before


def test_without_nothing_is_equal(small):
    """Does removing nobody keep the graph as it was?"""
    same = without(small, [])
    assert set(same.edges(keys=True)) == set(small.edges(keys=True))
    assert same is not small
