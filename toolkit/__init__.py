"""Workshop toolkit for information management in Dutch education.

The public API, imported on first use (a participant's kernel loads only what its screens
need; ``import toolkit`` itself imports nothing heavy)::

    from toolkit import load_default, build_graph, metric_table, render_map
"""

from __future__ import annotations

from importlib import import_module

__version__ = "0.1.0"

_API = {
    "load_default": "data",
    "load_stakeholders": "data",
    "load_graph_file": "data",
    "StakeholderData": "data",
    "ContentError": "problems",
    "Problem": "problems",
    "build_graph": "network",
    "filter_graph": "network",
    "ego_network": "network",
    "shortest_paths": "network",
    "metric_table": "metrics",
    "what_if": "metrics",
    "METRICS": "metrics",
    "organisation_profiles": "profiles",
    "render_map": "mapview",
    "map_iframe": "mapview",
    "export_graph": "exports",
    "load_exercises": "exercises.loader",
    "Store": "store",
    "export_session": "export",
    "build_report": "report",
    "fill_demo_session": "demo",
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
