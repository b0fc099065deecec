"""Every content file read at once, so that all problems are reported before anything starts."""

from __future__ import annotations

__all__ = ["check_content"]


def check_content() -> None:
    """Load every content file; raise ContentError (all problems) before anything starts.

    The flows files are the shipped one and every one a ``flow_check`` question names."""
    from ..content.dataset import shipped_dataset
    from ..content.flows import DEFAULT_FLOWS, load_flows
    from ..content.problems import ContentError
    from .library import exercise_library

    problems = []
    library: dict = {}
    try:
        shipped_dataset()
    except ContentError as exc:
        problems.extend(exc.problems)
    try:
        library = exercise_library()
    except ContentError as exc:
        problems.extend(exc.problems)
    named = {q.flows_file for e in library.values() for q in e.questions if q.type == "flow_check"}
    for flows_file in [DEFAULT_FLOWS, *sorted(named - {DEFAULT_FLOWS})]:
        try:
            load_flows(flows_file)
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
