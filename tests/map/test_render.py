"""The HTML map: escaping of every text, standalone documents, large-graph layout, legend."""

import html
import json
import re
from pathlib import Path

import networkx as nx
import pytest

from toolkit.content.dataset import load_graph_file, load_stakeholders
from toolkit.content.problems import ContentError
from toolkit.map import render as mapview
from toolkit.map.render import COMMUNITY_COLOURS, LAYOUT_THRESHOLD, map_iframe, render_map
from toolkit.network.measures import metric_table

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "data" / "small"
NAME = "<img src=x onerror=window.__x=1>"
SCRIPT = "</script><script>alert(1)</script>"
VIS_URL = "/static/vis-network.min.js"
PAYLOAD_RE = re.compile(r"const PAYLOAD = (.*?);\n\(function", re.S)


def payload_of(document: str) -> dict:
    match = PAYLOAD_RE.search(document)
    assert match, "no PAYLOAD script in the document"
    return json.loads(match.group(1))


def hostile_graph() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    graph.add_node(
        "evil",
        name=NAME,
        type="network",
        sectors="po",
        description_nl=SCRIPT,
        description_en=SCRIPT,
        url="https://example.org/",
        source="https://example.org/",
    )
    graph.add_node("kind", name="Kind & <b>bold</b>", type=NAME, sectors="")
    graph.add_node("third", name="Third", type="service", sectors="vo")
    graph.add_edge("evil", "kind", key="x", relation=NAME, since=SCRIPT)
    graph.add_edge("kind", "third", key="funds", relation="funds", since="2020")
    graph.add_edge("third", "evil", key="uses", relation="uses", since="")
    return graph


@pytest.fixture(scope="module", params=["nl", "en"])
def hostile_doc(request):
    return render_map(
        hostile_graph(), lang=request.param, title=f"{SCRIPT}{NAME}", vis_js_url=VIS_URL
    )


@pytest.fixture(scope="module")
def small_graph():
    from toolkit.network.graph import build_graph

    return build_graph(load_stakeholders(SMALL / "organisations.csv", SMALL / "relations.csv"))


@pytest.fixture(scope="module")
def standalone(small_graph):
    return render_map(small_graph)


# --- escaping ------------------------------------------------------------------------------


def test_payload_never_appears_raw(hostile_doc):
    """Do the hostile name, description, relation and `since` never appear unescaped?"""
    assert "<img src=x" not in hostile_doc
    assert "</script><script>" not in hostile_doc
    assert "alert(1)</script>" not in hostile_doc
    assert "<b>bold</b>" not in hostile_doc


def test_only_the_two_own_scripts_exist(hostile_doc):
    """Are the only script elements the vis-network link and the map's own script?"""
    assert hostile_doc.count("<script") == 2
    assert hostile_doc.count("</script>") == 2
    assert f'<script src="{VIS_URL}"></script>' in hostile_doc


def test_title_is_escaped(hostile_doc):
    """Is a hostile title escaped inside <title>?"""
    match = re.search(r"<title>(.*?)</title>", hostile_doc, re.S)
    assert match and "<" not in match.group(1)
    assert html.unescape(match.group(1)) == f"{SCRIPT}{NAME}"


def test_hostile_text_survives_as_data(hostile_doc):
    """Does the escaped payload still decode to the exact original texts (shown as text)?"""
    payload = payload_of(hostile_doc)
    nodes = {n["id"]: n for n in payload["nodes"]}
    assert nodes["evil"]["label"] == NAME
    assert nodes["evil"]["profile"]["description"] == SCRIPT
    assert nodes["kind"]["label"] == "Kind & <b>bold</b>"
    (edge,) = [e for e in payload["edges"] if (e["from"], e["to"]) == ("evil", "kind")]
    assert NAME in edge["tooltip"] and SCRIPT in edge["tooltip"]
    assert payload["title"] == f"{SCRIPT}{NAME}"


def test_template_inserts_texts_with_textcontent_only():
    """Does the map script set texts only through textContent (never innerHTML)?"""
    source = (Path(mapview.__file__).parent / "templates" / "map.html.j2").read_text()
    assert "innerHTML" not in source
    assert "insertAdjacentHTML" not in source
    assert "document.write" not in source


def test_iframe_srcdoc_is_attribute_escaped(hostile_doc):
    """Is the whole document attribute-escaped in the iframe's srcdoc, and decodes back exactly?"""
    frame = map_iframe(hostile_doc, title='"><script>alert(1)</script>', height='1px"')
    match = re.fullmatch(
        r'<div class="workshop-map-wrap"><iframe ([^<>]*) srcdoc="([^"<>]*)"></iframe></div>',
        frame,
        re.S,
    )
    assert match, frame[:300]
    assert "<script" not in match.group(1)
    assert 'sandbox="allow-scripts allow-popups' in match.group(1)
    assert "allow-same-origin" not in frame
    assert html.unescape(match.group(2)) == hostile_doc


# --- unsafe addresses never reach the map --------------------------------------------------

ORG_HEADER = "id,name,type,sectors,description_nl,description_en,url,source"
REL_HEADER = "source,target,relation,since,description,source_url,confidence"


@pytest.mark.parametrize(
    ("column", "orgs", "rels"),
    [
        (
            "url",
            "a,A,network,po,,,javascript:alert(1),https://e.org/a",
            "a,b,funds,,,https://e.org/r,high",
        ),
        (
            "source",
            "a,A,network,po,,,https://e.org/,javascript:alert(1)",
            "a,b,funds,,,https://e.org/r,high",
        ),
        (
            "source_url",
            "a,A,network,po,,,https://e.org/,https://e.org/a",
            "a,b,funds,,,javascript:alert(1),high",
        ),
    ],
)
def test_javascript_address_is_rejected_by_the_loader(tmp_path, column, orgs, rels):
    """Is a `javascript:` address in url/source/source_url refused before any map is drawn?"""
    (tmp_path / "organisations.csv").write_text(
        f"{ORG_HEADER}\n{orgs}\nb,B,network,po,,,,https://e.org/b\n", encoding="utf-8"
    )
    (tmp_path / "relations.csv").write_text(f"{REL_HEADER}\n{rels}\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_stakeholders(tmp_path / "organisations.csv", tmp_path / "relations.csv")
    (problem,) = caught.value.problems
    assert problem.column == column
    assert "javascript:alert(1)" in problem.message and "not a web address" in problem.message


def test_javascript_address_in_graphml_is_rejected(tmp_path):
    """Is a `javascript:` url in a GraphML node refused by the same loader?"""
    graph = nx.DiGraph()
    graph.add_node("a", name="A", url="javascript:alert(1)")
    graph.add_edge("a", "b")
    path = tmp_path / "g.graphml"
    nx.write_graphml(graph, path)
    with pytest.raises(ContentError) as caught:
        load_graph_file(path)
    assert [p.column for p in caught.value.problems] == ["url"]


def test_template_only_links_http_addresses():
    """Does the map script itself only turn http(s) addresses into links?"""
    source = (Path(mapview.__file__).parent / "templates" / "map.html.j2").read_text()
    assert r"/^https?:\/\//i.test(u)" in source
    assert "a.href = u" in source and "safeUrl(p[key])" in source


# --- standalone or linked vis-network ------------------------------------------------------


def test_standalone_requests_nothing_from_the_web(standalone):
    """Does a standalone map have no src/href pointing to http(s) and no <link> at all?"""
    assert re.findall(r"""\bsrc\s*=\s*["']?\s*(?:https?:)?//""", standalone, re.I) == []
    assert re.findall(r"""\bhref\s*=\s*["']?\s*(?:https?:)?//""", standalone, re.I) == []
    assert re.findall(r"<link\b", standalone, re.I) == []
    assert re.findall(r"<script\b[^>]*\bsrc=", standalone, re.I) == []
    assert "@import" not in standalone


def test_standalone_inlines_vis_network(standalone):
    """Does a standalone map carry the whole vis-network script inline?"""
    assert mapview.vis_network_js() in standalone
    assert "new vis.Network(" in standalone


def test_linked_map_does_not_inline_vis_network(small_graph, standalone):
    """With vis_js_url, is vis-network linked once instead of inlined?"""
    linked = render_map(small_graph, vis_js_url=VIS_URL)
    assert linked.count(f'<script src="{VIS_URL}"></script>') == 1
    assert mapview.vis_network_js()[:400] not in linked
    assert len(linked) < len(standalone) - len(mapview.vis_network_js()) + 1000


def test_linked_map_has_same_payload(small_graph, standalone):
    """Is the map data the same whether vis-network is inlined or linked?"""
    assert payload_of(render_map(small_graph, vis_js_url=VIS_URL)) == payload_of(standalone)


def test_payload_describes_the_graph(small_graph, standalone):
    """Does the payload have every organisation once and one edge per linked ordered pair?"""
    payload = payload_of(standalone)
    assert sorted(n["id"] for n in payload["nodes"]) == sorted(small_graph)
    pairs = {(u, v) for u, v in small_graph.edges()}
    assert {(e["from"], e["to"]) for e in payload["edges"]} == pairs
    (double,) = [e for e in payload["edges"] if (e["from"], e["to"]) == ("ocw", "kennisnet")]
    assert len(double["tooltip"].splitlines()) == 2
    assert double["width"] == pytest.approx(1.5)


def test_highlight_marks_nodes(small_graph):
    """Are highlighted organisations marked in the payload, and only those?"""
    payload = payload_of(render_map(small_graph, vis_js_url=VIS_URL, highlight=["surf"]))
    assert [n["id"] for n in payload["nodes"] if n["highlight"]] == ["surf"]


# --- large graphs: positions from Python ---------------------------------------------------


def ring(n: int) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for i in range(n):
        graph.add_node(f"n{i}", name=f"Org {i}", type="network")
    for i in range(n):
        graph.add_edge(f"n{i}", f"n{(i + 1) % n}", relation="collaborates_with")
        if i % 7 == 0:
            graph.add_edge(f"n{i}", f"n{(i * 13 + 5) % n}", relation="funds")
    return graph


def test_above_threshold_positions_and_no_physics():
    """Above LAYOUT_THRESHOLD organisations, has every node x/y and is physics off?"""
    payload = payload_of(render_map(ring(LAYOUT_THRESHOLD + 1), vis_js_url=VIS_URL))
    assert payload["options"]["physics"]["enabled"] is False
    assert payload["options"]["edges"]["smooth"] is False
    assert len(payload["nodes"]) == LAYOUT_THRESHOLD + 1
    for node in payload["nodes"]:
        assert isinstance(node["x"], float) and isinstance(node["y"], float)
    spots = {(round(n["x"], 3), round(n["y"], 3)) for n in payload["nodes"]}
    assert len(spots) == len(payload["nodes"])


def test_at_threshold_browser_physics():
    """At exactly LAYOUT_THRESHOLD organisations, is the layout left to the browser?"""
    payload = payload_of(render_map(ring(LAYOUT_THRESHOLD), vis_js_url=VIS_URL))
    assert payload["options"]["physics"]["enabled"] is True
    assert all(n["x"] is None and n["y"] is None for n in payload["nodes"])


def test_large_layout_is_deterministic():
    """Does the same large graph get the same positions twice?"""
    graph = ring(LAYOUT_THRESHOLD + 1)
    first = payload_of(render_map(graph, vis_js_url=VIS_URL))["nodes"]
    second = payload_of(render_map(graph, vis_js_url=VIS_URL))["nodes"]
    assert [(n["x"], n["y"]) for n in first] == [(n["x"], n["y"]) for n in second]


# --- colours and legend --------------------------------------------------------------------


def test_type_colouring_legend(small_graph, standalone):
    """Colouring by type: is there one legend entry per type present, with its Dutch label?"""
    legend = payload_of(standalone)["legend"]
    types = {d["type"] for _, d in small_graph.nodes(data=True)}
    assert len(legend) == len(types)
    labels = {item["label"] for item in legend}
    assert {"Overheid", "Sectorraad", "Coöperatie"} <= labels


@pytest.mark.parametrize(("lang", "word"), [("nl", "Groep"), ("en", "Group")])
def test_community_colouring_legend(lang, word):
    """Colouring by community: is there a legend entry per group, matching the nodes' colours?"""
    graph = nx.MultiDiGraph(nx.barbell_graph(5, 0))
    graph = nx.relabel_nodes(graph, str)
    for v in graph:
        graph.nodes[v].update(name=f"Org {v}", type="network")
    table = metric_table(graph)
    groups = table["community"].to_dict()
    payload = payload_of(
        render_map(graph, lang=lang, colour_by="community", table=table, vis_js_url=VIS_URL)
    )
    legend = payload["legend"]
    assert [item["label"] for item in legend] == [f"{word} 1", f"{word} 2"]
    colour_of = {item["label"]: item["colour"] for item in legend}
    for node in payload["nodes"]:
        assert node["colour"] == colour_of[f"{word} {groups[node['id']]}"]
    assert {item["colour"] for item in legend} == set(COMMUNITY_COLOURS[:2])


def test_community_legend_in_numeric_order():
    """With ten or more groups, is the legend ordered 1, 2, ..., 10, 11 (not 1, 10, 11, 2)?"""
    graph = nx.MultiDiGraph()
    for c in range(11):
        nodes = [f"c{c}-{i}" for i in range(3)]
        graph.add_edges_from([(nodes[0], nodes[1]), (nodes[1], nodes[2]), (nodes[2], nodes[0])])
    for v in graph:
        graph.nodes[v].update(name=v, type="network")
    payload = payload_of(render_map(graph, lang="en", colour_by="community", vis_js_url=VIS_URL))
    assert [item["label"] for item in payload["legend"]] == [f"Group {i}" for i in range(1, 12)]
