"""Network metrics per organisation, what-if removal and the plain-language profiles."""

import math
import re
from pathlib import Path

import networkx as nx
import pytest

from toolkit.content.dataset import load_default, load_stakeholders
from toolkit.network import measures as metrics
from toolkit.network.graph import build_graph, simple_view
from toolkit.network.measures import METRICS, communities, metric_table, what_if
from toolkit.network.profiles import organisation_profiles

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "data" / "small"
METRIC_ORDER = [
    "degree",
    "betweenness",
    "pagerank",
    "eigenvector",
    "core_number",
    "constraint",
    "effective_size",
    "community",
]


def known_graph() -> nx.MultiDiGraph:
    """Two triangles joined through d-g, with parallel and mutual relations."""
    graph = nx.MultiDiGraph()
    graph.add_edge("a", "b", key="funds")
    graph.add_edge("a", "b", key="supports")  # parallel
    graph.add_edge("b", "a", key="supports")  # mutual
    graph.add_edges_from(
        [
            ("b", "c"),
            ("c", "a"),
            ("c", "d"),
            ("d", "e"),
            ("e", "f"),
            ("f", "d"),
            ("d", "g"),
            ("g", "h"),
            ("h", "i"),
            ("i", "g"),
            ("c", "g"),
            ("i", "j"),
        ]
    )
    for v in graph:
        graph.nodes[v]["name"] = v.upper()
        graph.nodes[v]["type"] = "network"
    return graph


@pytest.fixture(scope="module")
def shipped():
    return build_graph(load_default())


@pytest.fixture(scope="module")
def small():
    return build_graph(load_stakeholders(SMALL / "organisations.csv", SMALL / "relations.csv"))


def undirected(graph):
    return nx.Graph(graph.to_undirected())


@pytest.fixture(params=["known", "shipped"])
def graph(request, shipped):
    return known_graph() if request.param == "known" else shipped


# --- metric_table against networkx ---------------------------------------------------------


def test_degrees_count_every_relation(graph):
    """Do in/out degree count every relation, parallel ones included, like networkx?"""
    table = metric_table(graph)
    for v in graph:
        assert table.loc[v, "in_degree"] == graph.in_degree(v)
        assert table.loc[v, "out_degree"] == graph.out_degree(v)
        assert table.loc[v, "degree"] == graph.degree(v)
    assert table["degree"].sum() == 2 * graph.number_of_edges()


def test_known_graph_degree_values():
    """Does 'a' count both parallel outgoing relations and its two incoming ones?"""
    table = metric_table(known_graph())
    assert (table.loc["a", "in_degree"], table.loc["a", "out_degree"]) == (2, 2)


def test_betweenness_is_exact_on_undirected_view(graph):
    """Is betweenness networkx's exact value on the undirected simple graph?"""
    table = metric_table(graph)
    expected = nx.betweenness_centrality(undirected(graph))
    assert table["betweenness"].to_dict() == pytest.approx(expected, abs=1e-12)


def test_pagerank_follows_direction_and_counts_parallel_relations(graph):
    """Is PageRank networkx's value on the directed multigraph (parallel relations weigh)?"""
    table = metric_table(graph)
    assert table["pagerank"].to_dict() == pytest.approx(nx.pagerank(graph), abs=1e-6)
    assert table["pagerank"].sum() == pytest.approx(1.0)


def test_eigenvector_on_undirected_view(graph):
    """Is eigenvector centrality networkx's numpy value on the undirected simple graph?"""
    table = metric_table(graph)
    expected = nx.eigenvector_centrality_numpy(undirected(graph))
    assert table["eigenvector"].to_dict() == pytest.approx(expected, abs=1e-9)


def test_core_number(graph):
    """Is the k-core number networkx's core_number on the undirected simple graph?"""
    table = metric_table(graph)
    assert table["core_number"].to_dict() == nx.core_number(undirected(graph))


def test_constraint_matches_networkx(graph):
    """Does the sparse Burt constraint equal nx.constraint on the undirected simple graph?"""
    table = metric_table(graph)
    expected = nx.constraint(undirected(graph))
    assert table["constraint"].to_dict() == pytest.approx(expected, abs=1e-9)


def test_effective_size_matches_networkx(graph):
    """Does the sparse effective size equal nx.effective_size on the undirected simple graph?"""
    table = metric_table(graph)
    expected = nx.effective_size(undirected(graph))
    assert table["effective_size"].to_dict() == pytest.approx(expected, abs=1e-9)


def test_known_graph_bridge_values():
    """Are the hand-computable values of the known graph right (leaf j, bridge d-g)?"""
    table = metric_table(known_graph())
    assert table.loc["j", "betweenness"] == 0
    assert table.loc["j", "core_number"] == 1
    assert table.loc["j", "constraint"] == pytest.approx(1.0)
    assert table.loc["j", "effective_size"] == pytest.approx(1.0)
    assert table["betweenness"].idxmax() in {"c", "d", "g"}


def test_isolated_organisation_has_nan_brokerage():
    """Does an organisation without relations get NaN constraint/effective size and 0 degree?"""
    graph = known_graph()
    graph.add_node("alone", name="ALONE", type="other")
    table = metric_table(graph)
    assert table.loc["alone", "degree"] == 0
    assert math.isnan(table.loc["alone", "constraint"])
    assert math.isnan(table.loc["alone", "effective_size"])
    assert table.loc["alone", "betweenness"] == 0


def test_empty_graph_gives_empty_table():
    """Does an empty graph give an empty table that still has every metric column?"""
    table = metric_table(nx.MultiDiGraph())
    assert len(table) == 0
    assert set(METRICS) <= set(table.columns)


def test_table_has_every_metric_and_names(small):
    """Has the table a column for every metric and the organisations' names and types?"""
    table = metric_table(small)
    assert set(METRICS) <= set(table.columns)
    assert table.loc["surf", "name"] == "SURF"
    assert table.loc["surf", "type"] == "cooperative"
    assert list(table.index) == list(small.nodes)


# --- sampled betweenness and communities are deterministic ---------------------------------


def test_sampled_betweenness_is_deterministic(shipped, monkeypatch):
    """Above the exact limit, is sampled betweenness the same on every run (fixed seed)?"""
    monkeypatch.setattr(metrics, "EXACT_BETWEENNESS_LIMIT", 10)
    monkeypatch.setattr(metrics, "BETWEENNESS_MIN_SAMPLES", 8)
    monkeypatch.setattr(metrics, "BETWEENNESS_WORK", 1)  # so the minimum, 8 pivots, is used
    first = metric_table(shipped)["betweenness"]
    second = metric_table(shipped)["betweenness"]
    assert first.to_dict() == second.to_dict()
    sampled = nx.betweenness_centrality(simple_view(shipped), k=8, seed=metrics.SEED)
    assert first.to_dict() == pytest.approx(sampled)
    exact = nx.betweenness_centrality(simple_view(shipped))
    assert first.to_dict() != pytest.approx(exact)  # it really sampled


def test_betweenness_exact_at_the_limit(small, monkeypatch):
    """With exactly EXACT_BETWEENNESS_LIMIT organisations, is betweenness still exact?"""
    monkeypatch.setattr(metrics, "EXACT_BETWEENNESS_LIMIT", small.number_of_nodes())
    monkeypatch.setattr(metrics, "BETWEENNESS_MIN_SAMPLES", 2)
    table = metric_table(small)
    assert table["betweenness"].to_dict() == pytest.approx(
        nx.betweenness_centrality(simple_view(small))
    )


def test_communities_are_deterministic(shipped):
    """Do the Louvain communities come out the same on every run?"""
    view = simple_view(shipped)
    first, second = communities(view), communities(view)
    assert first == second
    assert metric_table(shipped)["community"].to_dict() == first


def test_communities_numbered_from_largest(shipped):
    """Is group 1 the largest group, and are the groups numbered 1..k without gaps?"""
    groups = communities(simple_view(shipped))
    sizes = {}
    for number in groups.values():
        sizes[number] = sizes.get(number, 0) + 1
    assert sorted(sizes) == list(range(1, len(sizes) + 1))
    assert [sizes[k] for k in sorted(sizes)] == sorted(sizes.values(), reverse=True)
    assert set(groups) == set(shipped)


def test_communities_split_two_cliques():
    """Are two cliques joined by one edge split into two groups?"""
    groups = communities(nx.barbell_graph(6, 0))
    assert len(set(groups.values())) == 2
    assert len({groups[v] for v in range(6)}) == 1
    assert groups[0] != groups[11]


# --- what_if -------------------------------------------------------------------------------


def star(leaves: int = 5) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for i in range(leaves):
        graph.add_edge("hub", f"leaf{i}")
    for v in graph:
        graph.nodes[v]["name"] = v
    return graph


def test_what_if_hub_of_a_star():
    """Does removing the hub of a 5-leaf star leave 5 separate organisations and no relations?"""
    result = what_if(star(5), ["hub"])
    summary = result["summary"]
    assert summary.loc["organisations"].tolist() == [6, 5]
    assert summary.loc["relations"].tolist() == [5, 0]
    assert summary.loc["components"].tolist() == [1, 5]
    assert summary.loc["largest_component"].tolist() == [6, 1]
    assert summary.loc["density", "before"] == pytest.approx(5 / 15)
    assert summary.loc["density", "after"] == 0


def test_what_if_changes_exclude_removed():
    """Are the removed organisations left out of the changes, the rest listed with 0 change?"""
    changes = what_if(star(5), ["hub"])["changes"]
    assert "hub" not in changes.index
    assert sorted(changes.index) == [f"leaf{i}" for i in range(5)]
    assert (changes["change"] == 0).all()


def test_what_if_a_leaf_keeps_the_hub():
    """Does removing one leaf keep one component and the hub at full betweenness?"""
    result = what_if(star(5), ["leaf0"])
    summary = result["summary"]
    assert summary.loc["components"].tolist() == [1, 1]
    assert summary.loc["organisations", "after"] == 5
    assert result["changes"].loc["hub", "betweenness_after"] == pytest.approx(1.0)


def test_what_if_takes_over_bridge():
    """When a bridge drops out of a path, does the betweenness change of the others show it?"""
    graph = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "d"), ("a", "x"), ("x", "d")])
    changes = what_if(graph, ["b"])["changes"]
    assert changes.loc["x", "change"] > 0
    assert abs(changes["change"]).is_monotonic_decreasing


# --- labels, sentences and profiles --------------------------------------------------------


@pytest.mark.parametrize("metric", list(METRICS))
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_metric_has_label_and_sentence(metric, lang):
    """Has every metric a label and an explaining sentence in Dutch and English?"""
    label, sentence = METRICS[metric][lang]
    assert label.strip()
    assert len(sentence) > 30 and sentence.endswith(".")


def test_metric_texts_differ_between_languages():
    """Are the Dutch and English explanations really different texts?"""
    for metric, texts in METRICS.items():
        assert texts["nl"][1] != texts["en"][1], metric


@pytest.fixture(scope="module")
def small_table(small):
    return metric_table(small)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_profile_has_a_sentence_per_metric(small, small_table, lang):
    """Does every organisation's profile have one filled sentence per metric, in each language?"""
    profiles = organisation_profiles(small, small_table, lang)
    assert set(profiles) == set(small)
    for profile in profiles.values():
        assert [m["metric"] for m in profile["metrics"]] == METRIC_ORDER
        for line in profile["metrics"]:
            assert line["label"] == METRICS[line["metric"]][lang][0]
            assert profile["name"] in line["sentence"]
            assert "{" not in line["sentence"] and "}" not in line["sentence"]


def test_profile_sentences_differ_by_language(small, small_table):
    """Are the Dutch and English sentences of a profile in different words?"""
    nl = organisation_profiles(small, small_table, "nl")["kennisnet"]["metrics"]
    en = organisation_profiles(small, small_table, "en")["kennisnet"]["metrics"]
    for a, b in zip(nl, en):
        assert a["sentence"] != b["sentence"]
        assert a["value"] == b["value"]


@pytest.mark.parametrize(
    ("lang", "pattern"),
    [
        ("en", r"connects, for example, (.+) with (.+)\.$"),
        ("nl", r"verbindt bijvoorbeeld (.+) met (.+)\.$"),
    ],
)
def test_betweenness_sentence_names_two_unlinked_partners(small, small_table, lang, pattern):
    """Does the betweenness sentence of a bridge name two of its partners that are not linked?"""
    assert small_table.loc["kennisnet", "betweenness"] > 0
    profile = organisation_profiles(small, small_table, lang)["kennisnet"]
    line = next(m for m in profile["metrics"] if m["metric"] == "betweenness")
    match = re.search(pattern, line["sentence"])
    assert match, line["sentence"]
    by_name = {small.nodes[v]["name"]: v for v in small}
    a, b = by_name[match.group(1)], by_name[match.group(2)]
    view = simple_view(small)
    assert a != b
    assert view.has_edge("kennisnet", a) and view.has_edge("kennisnet", b)
    assert not view.has_edge(a, b)


def test_betweenness_sentence_without_bridging(small, small_table):
    """Does an organisation with zero betweenness get the 'does not sit between' sentence?"""
    zero = [v for v in small if small_table.loc[v, "betweenness"] == 0]
    assert zero
    profile = organisation_profiles(small, small_table, "en")[zero[0]]
    line = next(m for m in profile["metrics"] if m["metric"] == "betweenness")
    assert "does not sit between others" in line["sentence"]


def test_profile_facts(small, small_table):
    """Does the profile carry translated type and sectors, description, url and source?"""
    profile = organisation_profiles(small, small_table, "en")["surf"]
    assert profile["type"] == "Cooperative"
    assert profile["sectors"] == ["vocational education", "higher education"]
    assert profile["description"] == "ICT cooperative for mbo and ho."
    assert profile["url"] == "https://www.surf.nl"
    assert profile["source"].startswith("https://")
    assert profile["contributed"] is False
    assert organisation_profiles(small, small_table, "nl")["surf"]["type"] == "Coöperatie"


def test_profile_skips_undefined_metrics():
    """Does an isolated organisation's profile skip constraint and effective size (NaN)?"""
    graph = known_graph()
    graph.add_node("alone", name="ALONE", type="other")
    table = metric_table(graph)
    metrics_shown = [
        m["metric"] for m in organisation_profiles(graph, table, "en")["alone"]["metrics"]
    ]
    assert "constraint" not in metrics_shown and "effective_size" not in metrics_shown
    assert "degree" in metrics_shown


def test_profiles_are_the_same_on_every_run(small):
    """Are ranks and sentences identical across runs, even for organisations whose
    eigenvector values tie (numerical noise in the last digits must not reorder them)?"""
    runs = [organisation_profiles(small, metric_table(small), "en") for _ in range(6)]
    assert all(run == runs[0] for run in runs[1:])


def test_large_graph_communities_keep_leaves_with_their_partner(monkeypatch):
    """Above the limit, does an organisation with one partner land in its partner's group?"""
    monkeypatch.setattr(metrics, "EXACT_BETWEENNESS_LIMIT", 5)
    graph = nx.barbell_graph(6, 0)
    graph.add_edge(0, "leaf-a")
    graph.add_edge(11, "leaf-b")
    groups = communities(graph)
    assert groups["leaf-a"] == groups[0] and groups["leaf-b"] == groups[11]
    assert groups[0] != groups[11]
