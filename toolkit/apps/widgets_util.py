"""Fewer widget models per screen, and screens that are closed when they are left.

Every ipywidget brings a Layout and a Style model; each model is a message to the browser
(and through the server). Static texts can share one Layout and one Style, which roughly
halves what a screen costs. Shared models are never mutated and never closed.
"""

from __future__ import annotations

from functools import lru_cache

import ipywidgets as widgets
from ipywidgets.widgets.widget_string import HTMLStyle

__all__ = ["static_html", "shared_layout", "shared_style", "close_tree"]

_SHARED: set[int] = set()


@lru_cache(maxsize=64)
def _layout(items: tuple) -> widgets.Layout:
    layout = widgets.Layout(**dict(items))
    _SHARED.add(id(layout))
    return layout


def shared_layout(**properties) -> widgets.Layout:
    """One Layout per distinct set of properties, shared by every widget that asks for it.

    Only for layouts nobody changes later (not for one that is shown and hidden).
    """
    return _layout(tuple(sorted(properties.items())))


@lru_cache(maxsize=16)
def shared_style(kind: type = HTMLStyle) -> widgets.Style:
    style = kind()
    _SHARED.add(id(style))
    return style


def static_html(value: str = "", **layout) -> widgets.HTML:
    """An HTML widget (escaped text is the caller's job) with a shared layout and style."""
    return widgets.HTML(value, layout=shared_layout(**layout), style=shared_style())


def close_tree(widget) -> None:
    """Close a widget, its children and its own (not shared) layout and style models."""
    for child in getattr(widget, "children", ()) or ():
        close_tree(child)
    for part in ("layout", "style"):
        model = getattr(widget, part, None)
        if model is not None and id(model) not in _SHARED and getattr(model, "comm", None):
            model.close()
    if getattr(widget, "comm", None) is not None and id(widget) not in _SHARED:
        widget.close()
