"""Helpers shared by the sub-commands: user errors and writable output paths."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["CommandError", "writable_target", "open_store"]


class CommandError(Exception):
    """A mistake the user can fix; printed without a traceback, exit code 2."""


def writable_target(path: str | Path, *, folder: bool = False) -> Path:
    """Return ``path`` as a Path after checking it can be written, or raise CommandError."""
    path = Path(path).expanduser()
    target_dir = path if folder else path.parent
    probe = target_dir
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise CommandError(f"cannot write to {path}: {probe} is a file, not a folder")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise CommandError(
            f"cannot write to {path}: no permission to write in {probe}; "
            "choose another place with -o"
        )
    if not folder and path.is_dir():
        raise CommandError(f"cannot write to {path}: it is a folder; give a file name")
    return path


def open_store(url: str | None = None):
    """Open the store named by ``WORKSHOP_DB`` (or the embedded SQLite file), or raise a
    CommandError that says what is wrong with it."""
    from ..store import SchemaError, Store, StoreUnavailable

    try:
        return Store.open(url)
    except (SchemaError, StoreUnavailable) as exc:
        raise CommandError(f"cannot open the store: {exc}") from None
