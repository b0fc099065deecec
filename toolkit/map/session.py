"""A session's map data: the stakeholder dataset plus the additions an audience may see."""

from __future__ import annotations

from ..content.dataset import StakeholderData, shipped_dataset
from ..questions import View
from ..questions.contribution import shown_additions
from .additions import merge_contributions

__all__ = ["AUDIENCES", "map_additions", "session_map"]

#: Who looks at a session's map. ``room``: the participants' phones, the presenter view and
#: the facilitator's dashboard, which show what the room may see now; ``report``: the report
#: and what ``workshop purge`` keeps, where the facilitator's moderation applies whatever the
#: room was shown, and nobody's pseudonym.
AUDIENCES = ("room", "report")


def map_additions(store, session, *, audience: str, exercises=None) -> list:
    """The additions to a session's map that ``audience`` (one of ``AUDIENCES``) may see.

    ``exercises`` are the ones whose contribution question moderates the additions: for the
    room by default the session's own (its programme's), for the report the shipped ones
    (as ``session_results`` has them). The report's come without pseudonyms, and after
    ``workshop purge`` from what the purge kept.
    """
    if audience == "room":
        if exercises is None:
            from ..exercises.library import exercise_library, session_exercises

            exercises = session_exercises(session, exercise_library())
        return shown_additions(exercises, store.contributions(session.id), View.of(session))
    if audience == "report":
        from ..results.session import report_additions

        return report_additions(store, session, exercises)
    raise ValueError(f"unknown audience '{audience}'; use one of: {', '.join(AUDIENCES)}")


def session_map(
    store, session, *, audience: str, exercises=None, dataset: StakeholderData | None = None
) -> StakeholderData:
    """The map data of a session: ``dataset`` (default the shipped one) with the additions
    ``audience`` may see merged in (``map_additions``), ready for ``build_graph``.

    The one source of a session's map for the phones, the presenter view, the dashboard
    (``audience="room"``) and the report (``audience="report"``).

    Examples
    --------
    >>> import tempfile
    >>> from toolkit.after.demo import fill_demo_session
    >>> from toolkit.store import Store
    >>> store = Store.open(f"sqlite:///{tempfile.mkdtemp()}/m.db")
    >>> code = store.create_session("Demo").code
    >>> _ = fill_demo_session(store, code, participants=1)
    >>> session = store.get_session(code)
    >>> def added(data):
    ...     return [o["added_by"] for o in data.organisations if o.get("contributed")]
    >>> added(session_map(store, session, audience="room"))  # free texts not shown yet
    []
    >>> added(session_map(store, session, audience="report"))  # no pseudonyms
    ['']
    >>> session = store.update_session(session.id, free_text_visible=True)
    >>> added(session_map(store, session, audience="room"))
    ['Deelnemer 1']
    >>> store.close()
    """
    additions = map_additions(store, session, audience=audience, exercises=exercises)
    return merge_contributions(dataset if dataset is not None else shipped_dataset(), additions)
