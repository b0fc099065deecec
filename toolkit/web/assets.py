"""The app's static files and their addresses (with a content hash, cached for a year)."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

__all__ = ["STATIC", "asset_url", "vis_dir"]

STATIC = Path(__file__).resolve().parent / "static"


def vis_dir() -> Path:
    """The folder of the vis-network bundle that pyvis ships (the map's script)."""
    from ..map.render import vis_network_path

    return vis_network_path().parent


@lru_cache(maxsize=64)
def _hash(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def asset_url(name: str, prefix: str = "/static") -> str:
    """The address of a static file with its content hash (a new address per version).

    Examples
    --------
    >>> asset_url("participant.js").startswith("/static/participant.js?v=")
    True
    """
    folder = vis_dir() if name == "vis-network.min.js" else STATIC
    return f"{prefix}/{name}?v={_hash(str(folder / name))}"
