"""A session's group results for the exports and the report: computed from the answers, or
read from what ``workshop purge`` kept once the participants were deleted."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import NamedTuple

from ..questions import Content, View, question_type
from ..questions.contribution import shown_additions
from .aggregate import group_results
from .summary import answered

__all__ = [
    "SESSION_KEY",
    "Addition",
    "SessionResults",
    "report_view",
    "report_additions",
    "session_results",
    "kept_results",
    "purge_people",
]

#: The row of the kept results that describes the session itself (not an exercise).
SESSION_KEY = "~session"


class Addition(NamedTuple):
    """An organisation or relation added to the map, without who added it."""

    kind: str
    payload: dict
    hidden: bool = False
    pseudonym: str = ""
    approved: bool = True


@dataclass
class SessionResults:
    """What the report and the summary sheet show of a session."""

    exercises: list  # the exercises someone answered, in order
    results: dict[str, dict]  # exercise id -> {question id: group result}
    answered: dict[str, int]  # exercise id -> participants who answered
    joined: int
    additions: list[Addition] = field(default_factory=list)
    purged_at: datetime | None = None


def report_view(session) -> View:
    """How the report looks at texts: the facilitator's moderation applies (hidden texts and
    texts waiting for approval stay out) whatever participants were shown live; texts of a
    question that is never shared stay out too (``View.text_shown``)."""
    room = session.room
    approval = frozenset(k for k, v in (room.get("approval") or {}).items() if v)
    answered = frozenset(int(k) for k, v in (room.get("answered") or {}).items() if v)
    return View(free_text_visible=True, approval=approval, include_hidden=False, answered=answered)


def _exercises(exercises=None, session=None) -> list:
    """``exercises``, else the ones ``session`` ran as the library here knows them (the
    shipped exercises and the ``WORKSHOP_EXERCISES`` folders, in its programme's order)."""
    if exercises is not None:
        return list(exercises)
    from ..exercises.library import exercise_library, session_exercises

    return session_exercises(session, exercise_library())


def _live(store, session, exercises, view, content, lang) -> tuple[dict, list]:
    everything = store.contributions(session.id)
    results = {}
    for exercise in exercises:
        answers = store.answers(session.id, exercise=exercise.id)
        results[exercise.id] = group_results(
            exercise, answers, view, content, lang, contributions=everything
        )
    return results, _live_additions(exercises, everything, view)


def _live_additions(exercises, contributions, view) -> list[Addition]:
    return [Addition(c.kind, c.payload) for c in shown_additions(exercises, contributions, view)]


def _kept_additions(kept: dict) -> list[Addition]:
    meta = kept.get(SESSION_KEY, {})
    return [Addition(a["kind"], a["payload"]) for a in meta.get("additions", [])]


def report_additions(store, session, exercises=None) -> list[Addition]:
    """The map additions of a session's report (as in ``session_results``): those
    ``workshop purge`` kept, else the ones the facilitator's moderation lets through
    (``report_view``), without who added them."""
    kept = store.kept_results(session.id)
    if kept:
        return _kept_additions(kept)
    contributions = store.contributions(session.id)
    return _live_additions(_exercises(exercises, session), contributions, report_view(session))


def kept_results(store, session, exercises=None, content=None) -> dict[str, dict]:
    """What ``workshop purge`` keeps of a session: per exercise the group results as the
    report shows them, reduced by each question type's ``kept`` (no pseudonyms, free texts
    only where the aggregate is made of them), plus a ``~session`` row with the number of
    participants and the map additions. Computed in Dutch; ``relabel`` translates."""
    exercises = _exercises(exercises, session)
    content = content or Content()
    results, additions = _live(store, session, exercises, report_view(session), content, "nl")
    kept = {}
    for exercise in exercises:
        group = results[exercise.id]
        kept[exercise.id] = {
            q.id: question_type(q).kept(q, group[q.id]) for q in exercise.questions
        }
    kept[SESSION_KEY] = {
        "joined": store.participant_counts(session.id)["joined"],
        "additions": [{"kind": a.kind, "payload": a.payload} for a in additions],
        "purged_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    json.dumps(kept, allow_nan=False)  # plain JSON, or fail here rather than half-way
    return kept


def session_results(store, session, lang: str = "nl", exercises=None, content=None):
    """The group results of a session: from its answers, or (after ``workshop purge``)
    from the results kept at that moment.

    Examples
    --------
    >>> import tempfile
    >>> from toolkit.store import Store
    >>> from toolkit.after.demo import fill_demo_session
    >>> store = Store.open(f"sqlite:///{tempfile.mkdtemp()}/r.db")
    >>> session = store.create_session("Demo")
    >>> _ = fill_demo_session(store, session.code, participants=3)
    >>> results = session_results(store, session)
    >>> results.joined, results.answered["behoeften"], results.purged_at is None
    (3, 3, True)
    >>> store.close()
    """
    exercises = _exercises(exercises, session)
    content = content or Content()
    kept = store.kept_results(session.id)
    if kept:
        meta = kept.get(SESSION_KEY, {})
        results = {}
        for exercise in exercises:
            if exercise.id not in kept:
                continue
            stored = kept[exercise.id]
            results[exercise.id] = {
                q.id: question_type(q).relabel(exercise, q, stored[q.id], lang)
                for q in exercise.questions
                if q.id in stored
            }
        additions = _kept_additions(kept)
        joined = int(meta.get("joined", 0))
        purged = meta.get("purged_at")
        purged_at = datetime.fromisoformat(purged) if purged else None
    else:
        results, additions = _live(store, session, exercises, report_view(session), content, lang)
        joined = store.participant_counts(session.id)["joined"]
        purged_at = None
    counts = {e.id: answered(e, results[e.id]) for e in exercises if e.id in results}
    done = [e for e in exercises if counts.get(e.id)]
    return SessionResults(done, results, counts, joined, additions, purged_at)


def purge_people(store, session, exercises=None) -> dict[str, int]:
    """Keep the session's group results (``kept_results``), then delete its participants,
    their tokens, answers and additions, in one transaction; the session stays, closed.

    Purging again keeps the results of the first time (the answers are gone by then)."""
    kept = None if store.kept_results(session.id) else kept_results(store, session, exercises)
    return store.purge_people(session.id, kept)
