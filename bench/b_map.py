"""The map at scale. In Python: load (through the validating loader) + metrics + profiles +
HTML for 100, 1,000 and 10,000 organisations of a generated network with the ecosystem's
degree profile. In the browser: time until the map is drawn, and from a click on an
organisation until its profile shows, for 300 and 5,000 organisations.

Baseline (same run, same graphs): the straightforward pipeline, networkx's own metric
functions (exact betweenness, ``nx.constraint``, ...) and pyvis's ``Network.from_nx`` +
``generate_html``; its metrics only up to 1,000 organisations (exact betweenness alone
would take minutes at 10,000), its rendering at every size in full mode.
"""

from __future__ import annotations

import csv
import random
import tempfile
import time
from pathlib import Path

from bench.common import summary

__all__ = ["run", "generate"]


def generate(n: int, folder: Path, seed: int = 7) -> tuple[Path, Path]:
    """Write a CSV pair of ``n`` organisations whose degrees, types and relation types are
    drawn from the shipped dataset's own distributions."""
    import networkx as nx

    from toolkit.content.dataset import load_default
    from toolkit.network.graph import build_graph, simple_view

    rng = random.Random(seed)
    data = load_default()
    shipped = simple_view(build_graph(data))
    degrees = [d for _, d in shipped.degree()]
    types = [o["type"] for o in data.organisations]
    sectors = [o["sectors"] for o in data.organisations]
    relations = [r["relation"] for r in data.relations]
    sequence = [rng.choice(degrees) for _ in range(n)]
    if sum(sequence) % 2:
        sequence[0] += 1
    graph = nx.Graph(nx.configuration_model(sequence, seed=seed))
    graph.remove_edges_from(nx.selfloop_edges(graph))
    folder.mkdir(parents=True, exist_ok=True)
    orgs, rels = folder / "organisations.csv", folder / "relations.csv"
    with orgs.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["id", "name", "type", "sectors", "description_nl", "description_en", "url", "source"]
        )
        for v in graph:
            writer.writerow(
                [
                    f"org-{v}",
                    f"Organisatie {v}",
                    rng.choice(types),
                    ";".join(rng.choice(sectors)),
                    "Gegenereerd.",
                    "Generated.",
                    "",
                    "https://example.org/generated",
                ]
            )
    with rels.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["source", "target", "relation", "since", "description", "source_url", "confidence"]
        )
        for u, v in graph.edges():
            writer.writerow(
                [
                    f"org-{u}",
                    f"org-{v}",
                    rng.choice(relations),
                    "",
                    "",
                    "https://example.org/generated",
                    "medium",
                ]
            )
    return orgs, rels


def python_pipeline(orgs: Path, rels: Path) -> dict:
    from toolkit.content.dataset import load_stakeholders
    from toolkit.map.render import render_map
    from toolkit.network.graph import build_graph
    from toolkit.network.measures import metric_table
    from toolkit.network.profiles import organisation_profiles

    times = {}
    began = time.perf_counter()
    data = load_stakeholders(orgs, rels, require_sources=False)
    graph = build_graph(data)
    times["load_s"] = time.perf_counter() - began
    mark = time.perf_counter()
    table = metric_table(graph)
    times["metrics_s"] = time.perf_counter() - mark
    mark = time.perf_counter()
    profiles = organisation_profiles(graph, table, "nl")
    document = render_map(graph, table=table, profiles=profiles)
    times["render_s"] = time.perf_counter() - mark
    times["total_s"] = time.perf_counter() - began
    times["html_mb"] = len(document.encode()) / 2**20
    return {k: round(v, 3) for k, v in times.items()}, document, graph


def baseline(graph, with_metrics: bool = True) -> dict:
    """The straightforward pipeline: networkx's own metric functions (exact betweenness,
    nx.constraint, nx.effective_size, default Louvain) and pyvis's Network.from_nx +
    generate_html with the script inlined."""
    import networkx as nx
    from pyvis.network import Network

    from toolkit.network.graph import simple_view

    times = {}
    undirected = simple_view(graph)
    began = time.perf_counter()
    if with_metrics:
        nx.betweenness_centrality(undirected)
        nx.pagerank(nx.DiGraph(graph))
        nx.eigenvector_centrality_numpy(undirected)
        nx.core_number(undirected)
        nx.constraint(undirected)
        nx.effective_size(undirected)
        nx.community.louvain_communities(undirected, seed=42)
        times["metrics_s"] = round(time.perf_counter() - began, 3)
    mark = time.perf_counter()
    net = Network(directed=True, cdn_resources="in_line")
    net.from_nx(nx.DiGraph(graph))
    net.generate_html()
    times["render_s"] = round(time.perf_counter() - mark, 3)
    times["total_s"] = round(time.perf_counter() - began, 3)
    return times


def browser_timing(document: str, folder: Path, rounds: int) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import ARGS, CHROMIUM

    path = folder / "map.html"
    path.write_text(document, encoding="utf-8")
    drawn, clicks = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for _ in range(rounds):
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(path.as_uri())
            page.wait_for_function("() => window.__readyAt !== undefined", timeout=120_000)
            drawn.append(page.evaluate("window.__readyAt") / 1000)
            node = page.evaluate("() => window.workshopMap.network.body.data.nodes.getIds()[0]")
            page.evaluate(
                "id => window.workshopMap.network.focus(id, {scale: 1.5, animation: false})", node
            )
            page.wait_for_timeout(300)
            point = page.evaluate(
                "id => { const n = window.workshopMap.network;"
                " const d = n.canvasToDOM(n.getPositions([id])[id]);"
                " const r = document.getElementById('map').getBoundingClientRect();"
                " return {x: d.x + r.left, y: d.y + r.top}; }",
                node,
            )
            page.mouse.click(point["x"], point["y"])
            page.wait_for_function("() => window.__profileAt !== undefined", timeout=30_000)
            clicks.append((page.evaluate("window.__profileAt - window.__pointerAt")) / 1000)
            page.close()
        browser.close()
    return {"drawn_s": summary(drawn), "click_to_profile_s": summary(clicks)}


def run(quick: bool) -> dict:
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        sizes = (100, 1000, 10000)
        for n in sizes:
            orgs, rels = generate(n, tmp / f"n{n}")
            times, document, graph = python_pipeline(orgs, rels)
            entry = {
                "python": times,
                "organisations": graph.number_of_nodes(),
                "relations": graph.number_of_edges(),
            }
            if n <= 1000 or not quick:
                entry["baseline"] = baseline(graph, with_metrics=n <= 1000)
                if "metrics_s" in entry["baseline"]:
                    entry["ratio_vs_baseline"] = round(
                        times["total_s"] / entry["baseline"]["total_s"], 2
                    )
                entry["ratio_render_vs_pyvis"] = round(
                    times["render_s"] / entry["baseline"]["render_s"], 2
                )
            figures[f"python_{n}"] = entry
            print(f"  map python {n}: {times}", flush=True)
        for n in (300, 5000):
            orgs, rels = generate(n, tmp / f"b{n}")
            _times, document, _graph = python_pipeline(orgs, rels)
            figures[f"browser_{n}"] = browser_timing(document, tmp, 2 if quick else 5)
            print(f"  map browser {n}: {figures[f'browser_{n}']}", flush=True)
    return figures
