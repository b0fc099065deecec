"""Helpers shared by the sub-commands: user errors and writable output paths."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["CommandError", "writable_target", "open_store", "use_programme", "unlabelled"]


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


def use_programme(path):
    """Read the programme file at ``path`` (its problems raise ContentError, which ``main``
    prints) and add its own exercises folder to the library: of this process and of the
    servers and report runs it starts. Returns the programme."""
    from ..exercises.programme import load_programme
    from ..settings import Settings

    programme, folder = load_programme(path)
    if folder is not None:
        os.environ.update(Settings(exercises=(folder.resolve(),)).environ())
    return programme


def unlabelled(store, session) -> list[str]:
    """The exercises ``session`` ran (its programme's steps, its answers) that the library
    here does not hold: a facilitator's own, whose programme was not given."""
    from ..exercises.library import exercise_library, missing_exercises

    answered = {a.exercise for a in store.answers(session.id)}
    return missing_exercises(session, exercise_library(), sorted(answered))
