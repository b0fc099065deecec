"""``workshop map``: validate, analyse and export the stakeholder network."""

from __future__ import annotations

import argparse
import sys

from ..i18n import LANGUAGES
from .common import CommandError, writable_target

__all__ = ["register", "load_from_args"]


def register(commands) -> None:
    """Add ``workshop map`` and its sub-commands."""
    parser = commands.add_parser("map", help="the stakeholder network: validate, metrics, export")
    sub = parser.add_subparsers(dest="map_command", metavar="ACTION", required=True)

    def source_options(p):
        group = p.add_argument_group("data (default: the shipped dataset)")
        group.add_argument("--nodes", metavar="FILE", help="organisations CSV of your own")
        group.add_argument("--edges", metavar="FILE", help="relations CSV of your own")
        group.add_argument("--graph", metavar="FILE", help="a .graphml or .gexf file")
        group.add_argument(
            "--strict", action="store_true", help="require a source for every row of your own data"
        )

    check = sub.add_parser("validate", help="check the data and list every problem")
    source_options(check)
    check.set_defaults(handler=_validate)

    metrics = sub.add_parser("metrics", help="print the metrics table")
    source_options(metrics)
    metrics.add_argument("--top", type=int, default=15, help="rows to show (default 15)")
    metrics.add_argument("--sort", default="betweenness", help="metric to sort by")
    metrics.set_defaults(handler=_metrics)

    path = sub.add_parser("path", help="shortest paths between two organisations")
    source_options(path)
    path.add_argument("source")
    path.add_argument("target")
    path.set_defaults(handler=_path)

    export = sub.add_parser("export", help="write GraphML, GEXF, a CSV pair or an HTML map")
    source_options(export)
    export.add_argument("--format", required=True, choices=["graphml", "gexf", "csv", "html"])
    export.add_argument(
        "-o", "--output", required=True, metavar="PATH", help="output file (for csv: a folder)"
    )
    export.add_argument("--lang", default="nl", choices=LANGUAGES, help="language of the map")
    export.add_argument("--colour-by", default="type", choices=["type", "community"])
    export.add_argument("--size-by", default="degree")
    export.set_defaults(handler=_export)


def load_from_args(args: argparse.Namespace):
    """Load the dataset named by --nodes/--edges/--graph, or the shipped one."""
    from ..content.dataset import load_default, load_graph_file, load_stakeholders

    if args.graph:
        if args.nodes or args.edges:
            raise CommandError("give either --graph or --nodes/--edges, not both")
        return load_graph_file(args.graph, require_sources=args.strict)
    if args.nodes or args.edges:
        if not (args.nodes and args.edges):
            raise CommandError("--nodes and --edges go together: give both files")
        return load_stakeholders(args.nodes, args.edges, require_sources=args.strict)
    return load_default()


def _graph(args):
    from ..network.graph import build_graph

    return build_graph(load_from_args(args))


def _validate(args) -> int:
    data = load_from_args(args)
    print(
        f"OK: {len(data.organisations)} organisations, {len(data.relations)} relations "
        f"({data.origin})"
    )
    return 0


def _metrics(args) -> int:
    from ..network.measures import metric_table

    table = metric_table(_graph(args))
    if args.sort not in table.columns:
        raise CommandError(
            f"unknown metric '{args.sort}': use one of "
            f"{', '.join(c for c in table.columns if c not in ('name', 'type'))}"
        )
    shown = table.sort_values(args.sort, ascending=args.sort == "constraint").head(args.top)
    print(shown.drop(columns=["type"]).round(3).to_string())
    return 0


def _path(args) -> int:
    from ..network.graph import shortest_paths

    graph = _graph(args)
    for node in (args.source, args.target):
        if node not in graph:
            raise CommandError(
                f"unknown organisation id '{node}'; `workshop map metrics --top 100` lists the ids"
            )
    paths = shortest_paths(graph, args.source, args.target)
    if not paths:
        print(f"{args.source} and {args.target} are not connected")
        return 1
    for steps in paths:
        print(" -> ".join(f"{node}" + (f" [{rel}]" if rel else "") for node, rel in steps))
    return 0


def _export(args) -> int:
    from ..map.export import export_graph

    target = writable_target(args.output, folder=args.format == "csv")
    graph = _graph(args)
    try:
        written = export_graph(
            graph,
            args.format,
            target,
            lang=args.lang,
            colour_by=args.colour_by,
            size_by=args.size_by,
        )
    except OSError as exc:
        raise CommandError(f"cannot write {target}: {exc.strerror}") from None
    for path in written:
        print(f"wrote {path}", file=sys.stdout)
    return 0
