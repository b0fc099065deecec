"""HTML of the participant pages: one Jinja2 environment with autoescape, question forms
from their types, and the group's result blocks computed once per change."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..questions import TYPES, Ui, View, question_type
from ..questions.contribution import OWN_CONTRIBUTIONS
from ..questions.free_text import new_item
from ..results.aggregate import group_results
from ..results.views import radar_html, stack
from ..store.store import GONE, MAP, MODERATION, ROOM

__all__ = [
    "environment",
    "question_form",
    "form_keys",
    "Results",
    "Blocks",
    "RADAR",
    "own_blocks",
    "compute_blocks",
]

TEMPLATES = Path(__file__).resolve().parent / "templates"
RADAR = "_radar"  # the block of an exercise's scale questions drawn as one radar


def _question_template(name: str) -> str | None:
    """``q/<type>.html``: the form macros of a question type (its module's ``template``)."""
    if name.startswith("q/") and name.endswith(".html"):
        kind = TYPES.get(name[2:-5])
        if kind is not None:
            return kind.template
    return None


def environment() -> jinja2.Environment:
    """The environment every participant page and fragment is rendered with.

    Examples
    --------
    >>> env = environment()
    >>> env.from_string("{{ x }}").render(x="<script>")
    '&lt;script&gt;'
    """
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [jinja2.FileSystemLoader(TEMPLATES), jinja2.FunctionLoader(_question_template)]
        ),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals["new_item"] = new_item
    return env


def question_form(env, exercise, question, own, group: dict, ui: Ui) -> Markup:
    """The inputs of one question, filled with the participant's own answer."""
    kind = question_type(question)
    macro = env.get_template(f"q/{question.type}.html").module.form
    mine = kind.own(question, own)
    extra = kind.form_extra(exercise, question, group, ui, own=mine)
    return macro(question, mine, ui, extra)


def form_keys(exercise, groups: dict) -> dict[str, str]:
    """Per question whose form shows something of the group, the key of what it shows now
    (``QuestionType.form_key``); the page carries it and the live stream sends it."""
    keys = {}
    for question in exercise.questions:
        key = question_type(question).form_key(question, groups.get(question.id, {}))
        if key is not None:
            keys[question.id] = key
    return keys


def _uses_radar(exercise) -> bool:
    return sum(q.type == "scale" for q in exercise.questions) >= 3


def _has_map_part(exercise) -> bool:
    return any(q.type == "contribution" for q in exercise.questions)


@dataclass
class Blocks:
    """The group's result of one exercise in one language, as of ``version``."""

    version: tuple
    groups: dict  # question id -> aggregate
    html: dict  # block id (question id or RADAR) -> group-layer HTML
    n: int  # participants who answered something
    computed_at: float = field(default_factory=time.monotonic)


class AnswerSet:
    """One exercise's answers in memory, brought up to date with the rows written since the
    last read (their ``revision``); read whole again when answers were removed."""

    def __init__(self):
        self.rows: dict[tuple, object] = {}
        self.revision = -1
        self.gone = -1

    def refresh(self, store, session_id: int, exercise_id: str, versions: dict) -> list:
        gone = versions.get((session_id, GONE + exercise_id), 0)
        if gone != self.gone or self.revision < 0:
            rows = store.answer_rows(session_id, exercise_id)
            self.rows = {(r.participant_id, r.item): r for r in rows}
            self.gone = gone
        elif versions.get((session_id, exercise_id), 0) > self.revision:
            rows = store.answer_rows(session_id, exercise_id, after=self.revision)
            self.rows.update({(r.participant_id, r.item): r for r in rows})
        else:
            rows = []
        self.revision = max([self.revision, 0, *(r.revision for r in rows)])
        return sorted(self.rows.values(), key=lambda r: r.id)


class Results:
    """Group results per (session, exercise, language), recomputed only when the store's
    change counters for them moved; shared by every page and live stream of a process."""

    def __init__(self, store, content):
        self.store, self.content = store, content
        self._cache: dict[tuple, Blocks] = {}
        self._answers: dict[tuple, AnswerSet] = {}
        self._locks: dict[tuple, threading.Lock] = {}
        self._guard = threading.Lock()

    @staticmethod
    def version_of(session, exercise, versions: dict) -> tuple:
        """The counters this exercise's result depends on (answers, room, map), then what
        decides which texts others may see (the settings and the moderation counter)."""
        sid = session.id
        return (
            versions.get((sid, exercise.id), 0),
            versions.get((sid, ROOM), 0),
            versions.get((sid, MAP), 0) if _has_map_part(exercise) else 0,
            session.results_shown(exercise.id),
            session.free_text_visible,
            tuple(sorted((session.room.get("approval") or {}).items())),
            versions.get((sid, MODERATION), 0),
        )

    def get(
        self,
        session,
        exercise,
        lang: str,
        versions: dict,
        max_age: float = 0.0,
        large: bool = False,
    ) -> Blocks:
        """The blocks for ``session`` as of ``versions`` (blocking: call from a worker
        thread); concurrent calls for the same key compute once.

        With ``max_age``, blocks computed less than that many seconds ago are good enough
        even when the counters moved since: pages and acknowledgements use it, so that a
        room answering at full speed costs one aggregation per interval, not one per answer
        (the live stream brings every page up to date within a poll). Never across a change
        of what others may see: a text hidden or no longer approved is gone at once.
        ``large``: drawn for the projector (no own layer goes over it).
        """
        key = (session.id, exercise.id, lang, large)
        version = self.version_of(session, exercise, versions)
        cached = self._cache.get(key)
        if cached is not None and (
            cached.version == version
            or (
                time.monotonic() - cached.computed_at < max_age
                and cached.version[3:] == version[3:]  # same settings, nothing moderated
            )
        ):
            return cached
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            cached = self._cache.get(key)
            if cached is not None and cached.version == version:
                return cached
            answers = self._answers.setdefault((session.id, exercise.id), AnswerSet())
            rows = answers.refresh(self.store, session.id, exercise.id, versions)
            blocks = self._compute(session, exercise, lang, version, large, rows)
            self._cache[key] = blocks
            return blocks

    def _compute(self, session, exercise, lang, version, large=False, answers=None) -> Blocks:
        if answers is None:
            answers = self.store.answer_rows(session.id, exercise.id)
        contributions = self.store.contributions(session.id) if _has_map_part(exercise) else ()
        ui = Ui(lang=lang, large=large, content=self.content, own=not large)
        return compute_blocks(
            exercise,
            answers,
            View.of(session),
            ui,
            contributions=contributions,
            results_visible=session.results_shown(exercise.id),
            version=version,
        )

    def cached(self, session, exercise, lang: str, large: bool = False) -> Blocks | None:
        """The last blocks computed for this key, or None (never blocks: a dict lookup,
        for the event loop's own thread)."""
        return self._cache.get((session.id, exercise.id, lang, large))

    def latest(self, session, exercise, lang: str, large: bool = False) -> Blocks:
        """The last blocks computed for this key, whatever changed since (computed now if
        there are none): for what needs labels and options, not the newest counts."""
        cached = self._cache.get((session.id, exercise.id, lang, large))
        if cached is not None:
            return cached
        return self.get(session, exercise, lang, self.store.versions([session.id]), 0.0, large)

    @staticmethod
    def block_ids(exercise) -> list[str]:
        """The result blocks of an exercise, in page order."""
        radar = _uses_radar(exercise)
        ids = [RADAR] if radar else []
        return ids + [
            q.id
            for q in exercise.questions
            if question_type(q).has_result and not (radar and q.type == "scale")
        ]


def compute_blocks(
    exercise,
    answers,
    view: View,
    ui: Ui,
    *,
    contributions=(),
    results_visible: bool = True,
    version: tuple = (),
) -> Blocks:
    """Aggregate an exercise's answers once and draw each result block's group layer."""
    groups = group_results(exercise, answers, view, ui.content, ui.lang, contributions)
    html = {}
    if not results_visible:
        hidden = f"<p class='results-hidden'>{ui.e(ui.t('p_results_hidden'))}</p>"
        html = {block: hidden for block in Results.block_ids(exercise)}
    else:
        if _uses_radar(exercise):
            html[RADAR] = radar_html(exercise, groups, ui, None, "group")
        for q in exercise.questions:
            if q.id in Results.block_ids(exercise):
                html[q.id] = question_type(q).group_html(exercise, q, groups[q.id], ui)
    people = {a.participant_id for a in answers} | {c.participant_id for c in contributions}
    return Blocks(version, groups, html, len(people))


def own_blocks(exercise, own: dict, blocks: Blocks, ui: Ui, only=None) -> dict[str, str]:
    """The participant's own layer of each result block (cheap: no aggregation); with
    ``only`` (a question), just the block(s) that question's answer shows in."""
    out = {}
    radar = _uses_radar(exercise)
    if radar and (only is None or only.type == "scale"):
        values = {q.id: own.get(q.id) for q in exercise.questions if q.type == "scale"}
        out[RADAR] = (
            radar_html(exercise, blocks.groups, ui, values, "own") if any(values.values()) else ""
        )
    for q in exercise.questions:
        if only is not None and q is not only:
            continue
        if q.id in Results.block_ids(exercise):
            kind = question_type(q)
            out[q.id] = kind.own_html(exercise, q, kind.own(q, own), blocks.groups[q.id], ui)
    return out


def result_block(block_id: str, group_html: str, own_html: str) -> Markup:
    """One result block as the page shows it: the group layer with the own layer."""
    return Markup(stack(group_html, own_html))  # noqa: S704 - built from escaped parts


__all__ += ["result_block", "OWN_CONTRIBUTIONS"]
