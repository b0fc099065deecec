"""Every content file read at once, so that all problems are reported before anything starts."""

from __future__ import annotations

__all__ = ["check_content"]


def check_content() -> None:
    """Load every content file; raise ContentError (all problems) before anything starts."""
    from .dataset import load_default
    from .exercise_library import exercise_library
    from .flows import load_flows
    from .problems import ContentError

    problems = []
    for loader in (load_default, exercise_library, load_flows):
        try:
            loader()
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
