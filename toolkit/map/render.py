"""Graph -> self-contained, escaped HTML map (vis-network from pyvis, the project's template)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
import networkx as nx
from markupsafe import escape

from ..content.vocabulary import Vocabulary, default_vocabulary
from ..i18n import LANGUAGES, STRINGS

__all__ = [
    "LAYOUT_THRESHOLD",
    "vis_network_js",
    "vis_network_path",
    "render_map",
    "map_iframe",
    "COMMUNITY_COLOURS",
]

LAYOUT_THRESHOLD = 300  # above this many organisations: positions from Python, physics off
PROJECTOR_LABELS = 18  # organisations labelled on a projected map (the most connected)
COMMUNITY_COLOURS = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
    "#86bcb6",
    "#d37295",
)
# The map's texts (toolkit/texts/map.py, keys "map_..."), per language without the prefix.
_TEXT = {
    lang: {key[4:]: entry[lang] for key, entry in STRINGS.items() if key.startswith("map_")}
    for lang in LANGUAGES
}


def short_name(name: str) -> str:
    """The short form of a name for a projected map: the abbreviation in its last brackets,
    when it has one.

    Examples
    --------
    >>> short_name("Dienst Uitvoering Onderwijs (DUO)"), short_name("Kennisnet")
    ('DUO', 'Kennisnet')
    """
    name = name.strip()
    if name.endswith(")") and "(" in name:
        inner = name[name.rindex("(") + 1 : -1].strip()
        if 0 < len(inner) <= 16:
            return inner
    return name


def _vis_dir() -> Path:
    import pyvis

    return Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"


def vis_network_path() -> Path:
    """Return the path of the vis-network bundle that pyvis ships."""
    return _vis_dir() / "vis-network.min.js"


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """Return the vis-network script (inlined when the map must stand alone)."""
    return vis_network_path().read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
    )
    return env.get_template("map.html.j2")


def _scaled(values: dict, low: float = 1.0, high: float = 10.0) -> dict:
    finite = [v for v in values.values() if v == v]
    if not finite:
        return dict.fromkeys(values, low)
    lo, hi = min(finite), max(finite)
    span = (hi - lo) or 1.0
    return {
        k: (low + (high - low) * ((v - lo) / span) if v == v else low) for k, v in values.items()
    }


def _legend_order(item: tuple) -> tuple:
    """Community numbers in numeric order (2 before 10), type ids alphabetically."""
    key = item[0]
    return (0, key, "") if isinstance(key, int) else (1, 0, str(key))


def _options(n: int, projector: bool = False) -> dict:
    large = n > LAYOUT_THRESHOLD
    options = {
        "autoResize": True,
        "nodes": {
            "shape": "dot",
            "scaling": {
                "min": 6,
                "max": 36,
                "label": {"enabled": True, "min": 11, "max": 22, "drawThreshold": 7},
            },
            "font": {"size": 13, "face": "system-ui, sans-serif", "color": "#1d2733"},
        },
        "edges": {
            "smooth": False if large else {"type": "continuous"},
            "arrows": {"to": {"scaleFactor": 0.5}},
        },
        "physics": {
            "enabled": not large,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110},
            "stabilization": {"enabled": True, "iterations": 250, "fit": True},
        },
        "layout": {"improvedLayout": n <= 120, "randomSeed": 42},
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "navigationButtons": False,
            "keyboard": {"enabled": True, "bindToWindow": False},
        },
    }
    if projector:  # readable from the back of a room at 1600x900: fewer, larger labels
        options["nodes"]["font"] = {
            "size": 34,
            "face": "system-ui, sans-serif",
            "color": "#1d2733",
            "strokeWidth": 6,
            "strokeColor": "#ffffff",
        }
        options["nodes"]["scaling"]["label"] = {"enabled": False}
        options["physics"]["forceAtlas2Based"] = {
            "gravitationalConstant": -90,
            "centralGravity": 0.008,
            "springLength": 150,
            "avoidOverlap": 0.4,
        }
    return options


def render_map(
    graph: nx.MultiDiGraph,
    *,
    lang: str = "nl",
    colour_by: str = "type",
    size_by: str = "degree",
    table=None,
    profiles: dict | None = None,
    title: str | None = None,
    highlight=(),
    vis_js_url: str | None = None,
    vocabulary: Vocabulary | None = None,
    route=(),
    projector: bool = False,
) -> str:
    """Render the graph as one HTML document; every text is escaped (see the template).

    ``route`` (organisation ids in order) is drawn on the map, the rest faded;
    ``projector`` makes labels and text large enough to read on a projected screen.

    ``table`` (from :func:`toolkit.network.measures.metric_table`) and ``profiles`` are
    computed when not given. ``vis_js_url`` links the vis-network script instead of inlining
    it (the apps serve it once, cached); without it the document is standalone and requests
    nothing.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("x", name="<img src=x onerror=alert(1)>", type="network")
    >>> doc = render_map(G, vis_js_url="/vis.js")
    >>> "<img src=x" in doc
    False
    """
    from ..network.measures import metric_table
    from ..network.profiles import isolate_direction, organisation_profiles

    vocab = vocabulary or default_vocabulary()
    if table is None:
        table = metric_table(graph)
    if profiles is None:
        profiles = organisation_profiles(graph, table, lang, vocab)
    text = _TEXT.get(lang, _TEXT["en"])
    n = graph.number_of_nodes()
    positions = {}
    if n > LAYOUT_THRESHOLD:
        from ..network.graph import simple_view
        from ..network.positions import positions as compute_positions

        positions = compute_positions(simple_view(graph), table["community"].to_dict())
    metric = table[size_by] if size_by in table else table["degree"]
    sizes = _scaled({k: float(v) for k, v in metric.items()})
    communities = table["community"].to_dict() if "community" in table else {}
    highlight = set(highlight or ())
    route = [str(r) for r in (route or ())]
    on_route = set(route)
    route_pairs = {frozenset(pair) for pair in zip(route, route[1:])}
    nodes, legend_used = [], {}
    # On a projector only the most connected organisations (and the route) keep a label;
    # the others show theirs on hover.
    labelled = (
        set(sorted(sizes, key=lambda k: -sizes[k])[:PROJECTOR_LABELS]) | on_route
        if projector
        else None
    )
    for v, attrs in graph.nodes(data=True):
        if colour_by == "community":
            group = int(communities.get(v, 0))
            colour = COMMUNITY_COLOURS[(group - 1) % len(COMMUNITY_COLOURS)]
            legend_used[group] = (f"{text['group']} {group}", colour)
        else:
            type_id = attrs.get("type", "other")
            colour = vocab.colour(type_id)
            legend_used[type_id] = (vocab.label("organisation_types", type_id, lang), colour)
        name = str(attrs.get("name", v))
        type_label = vocab.label("organisation_types", attrs.get("type", "other"), lang)
        x, y = positions.get(v, (None, None))
        nodes.append(
            {
                "id": str(v),
                "name": name,
                "group": str(
                    int(communities.get(v, 0))
                    if colour_by == "community"
                    else attrs.get("type", "other")
                ),
                "label": (
                    name
                    if labelled is None
                    else short_name(name)
                    if v in labelled or attrs.get("contributed")
                    else ""
                ),
                "tooltip": f"{name}\n{type_label}",
                "colour": colour,
                "size": sizes.get(v, 1.0),
                "x": x,
                "y": y,
                "contributed": bool(attrs.get("contributed", False)),
                "highlight": v in highlight,
                "on_route": v in on_route,
                "profile": profiles.get(v, {}),
            }
        )
    merged: dict[tuple, dict] = {}
    for u, v, d in graph.edges(data=True):
        label = vocab.label("relation_types", d.get("relation", "related_to"), lang)
        since = f" ({d['since']})" if d.get("since") else ""
        entry = merged.setdefault(
            (str(u), str(v)), {"from": str(u), "to": str(v), "lines": [], "contributed": False}
        )
        source, target = (isolate_direction(str(graph.nodes[x].get("name", x))) for x in (u, v))
        entry["lines"].append(f"{source} {label} {target}{since}")
        entry["contributed"] |= bool(d.get("contributed", False))
    edges = [
        {
            "from": e["from"],
            "to": e["to"],
            "tooltip": "\n".join(e["lines"]),
            "contributed": e["contributed"],
            "width": 1 + 0.5 * (len(e["lines"]) - 1),
            "on_route": frozenset((e["from"], e["to"])) in route_pairs,
        }
        for e in merged.values()
    ]
    legend = [
        {"key": str(key), "label": label, "colour": colour}
        for key, (label, colour) in sorted(legend_used.items(), key=_legend_order)
    ]
    payload = {
        "title": text["title"] if title is None else title,
        "text": text,
        "nodes": nodes,
        "edges": edges,
        "legend": legend,
        "contributed": any(n["contributed"] for n in nodes),
        "route": [graph.nodes[r].get("name", r) for r in route if r in graph],
        "projector": projector,
        "options": _options(n, projector),
    }
    return _template().render(
        lang=lang,
        title=payload["title"],
        payload=payload,
        vis_js_url=vis_js_url,
        vis_js=None if vis_js_url else vis_network_js(),
    )


def map_iframe(document: str, height: str = "70vh", title: str = "map") -> str:
    """Wrap a map document in a sandboxed ``<iframe srcdoc>`` (scripts, no same-origin).

    Examples
    --------
    >>> map_iframe('<p title="a">x</p>')[:80]
    '<div class="workshop-map-wrap"><iframe class="workshop-map" title="map" sandbox='
    """
    return (
        '<div class="workshop-map-wrap">'
        f'<iframe class="workshop-map" title="{escape(title)}" '
        'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox allow-downloads" '
        f'style="width:100%;height:{escape(height)};border:0" '
        f'srcdoc="{escape(document)}"></iframe></div>'
    )
