"""Workshop toolkit for information management in Dutch education.

The public API, imported on first use (a participant's kernel loads only what its screens
need; ``import toolkit`` itself imports nothing heavy)::

    from toolkit import load_default, build_graph, metric_table, render_map
"""

from __future__ import annotations

from importlib import import_module

__version__ = "0.1.0"

_API = {
    "load_default": "content.dataset",
    "load_stakeholders": "content.dataset",
    "load_graph_file": "content.dataset",
    "StakeholderData": "content.dataset",
    "ContentError": "content.problems",
    "Problem": "content.problems",
    "build_graph": "network.graph",
    "filter_graph": "network.graph",
    "ego_network": "network.graph",
    "shortest_paths": "network.graph",
    "metric_table": "network.measures",
    "what_if": "network.measures",
    "METRICS": "network.measures",
    "organisation_profiles": "network.profiles",
    "render_map": "map.render",
    "map_iframe": "map.render",
    "export_graph": "map.export",
    "load_exercises": "exercises.loader",
    "flows_for": "content.flows",
    "session_map": "map.session",
    "Store": "store",
    "export_session": "after.export",
    "build_report": "after.report",
    "fill_demo_session": "after.demo",
    "t": "i18n",
}

__all__ = sorted(_API)


def __getattr__(name: str):
    if name in _API:
        value = getattr(import_module(f".{_API[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'toolkit' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *__all__])
