"""Which exercises there are: the shipped ones plus a facilitator's own folders, and the
ones a session runs, in its programme's order."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..content.problems import ContentError, Problem
from ..paths import datasets_dir
from ..settings import current
from .loader import load_exercises

__all__ = ["exercise_library", "extra_folders", "session_exercises", "missing_exercises"]


def extra_folders() -> tuple[Path, ...]:
    """The facilitator's own exercise folders (``WORKSHOP_EXERCISES``)."""
    return current().exercises


def _stamp(folders) -> tuple:
    out = []
    for folder in folders:
        for path in sorted(Path(folder).glob("*.yaml")):
            try:
                out.append((str(path), path.stat().st_mtime_ns))
            except OSError:
                out.append((str(path), None))
    return tuple(out)


@lru_cache(maxsize=4)
def _library(folders: tuple, stamp: tuple) -> dict:
    exercises = {}
    problems = []
    for folder in folders:
        try:
            found = load_exercises(folder)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        for exercise in found:
            if exercise.id in exercises:
                problems.append(
                    Problem(
                        str(folder),
                        None,
                        "id",
                        f"exercise id '{exercise.id}' is also used by a shipped exercise or "
                        "another folder",
                        "give your exercise its own id",
                    )
                )
            exercises[exercise.id] = exercise
    if problems:
        raise ContentError(problems)
    return dict(sorted(exercises.items(), key=lambda kv: (kv[1].order, kv[0])))


def exercise_library(folders=None) -> dict:
    """Every exercise by id: the shipped ones, then those of ``folders`` (default: the
    ``WORKSHOP_EXERCISES`` folders); read and checked once per version of the files.

    Examples
    --------
    >>> "behoeften" in exercise_library()
    True
    """
    extra = tuple(Path(f).resolve() for f in folders) if folders is not None else extra_folders()
    all_folders = (datasets_dir() / "exercises", *extra)
    return _library(all_folders, _stamp(all_folders))


def session_exercises(session, library: dict) -> list:
    """The exercises of a session in its programme's order (the whole library, in its own
    order, when the session has no programme).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> lib = exercise_library()
    >>> steps = [{"exercise": "behoeften"}, {"exercise": "bestuurstafel"}]
    >>> [e.id for e in session_exercises(SimpleNamespace(programme_steps=steps), lib)]
    ['behoeften', 'bestuurstafel']
    """
    steps = getattr(session, "programme_steps", None) if session is not None else None
    if steps:
        return [library[s["exercise"]] for s in steps if s.get("exercise") in library]
    return list(library.values())


def missing_exercises(session, library: dict, answered=()) -> list[str]:
    """The exercises ``session`` ran that ``library`` does not hold: its programme's steps
    and the exercises its answers name (``answered``), in that order, each once. Their
    answers can then not be labelled (a facilitator's own exercise, from a programme's
    folder that is not among ``WORKSHOP_EXERCISES`` here).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> steps = [{"exercise": "eigen"}, {"exercise": "behoeften"}]
    >>> session = SimpleNamespace(programme_steps=steps)
    >>> missing_exercises(session, exercise_library(), answered=["behoeften", "ander", "eigen"])
    ['eigen', 'ander']
    """
    ran = [s.get("exercise") for s in getattr(session, "programme_steps", None) or []]
    return [e for e in dict.fromkeys([*ran, *answered]) if e and e not in library]
