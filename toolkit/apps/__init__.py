"""The screens the Voila notebooks show; each builder imports only what its screen needs."""

from __future__ import annotations

__all__ = ["explorer_app"]


def explorer_app(lang: str = "nl", **kwargs):
    """Return the explorer's root widget (see :class:`toolkit.apps.explorer.ExplorerApp`)."""
    from .explorer import ExplorerApp

    return ExplorerApp(lang=lang, **kwargs).widget
