"""What every participant screen shares: the store, who is answering, and saving answers."""

from __future__ import annotations

import html
import io
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

import ipywidgets as widgets

from ...exercises.answers import AnswerError, clean_answer
from ...i18n import t
from ...store import NotAllowed, Participant, SessionInfo, Store, StoreUnavailable

__all__ = ["Context", "SaveStatus", "log_to_server", "note_unavailable", "note_available"]

log = logging.getLogger("workshop.participant")
_outage = {"write": False, "read": False}  # an outage is logged once, not once per retry


def log_to_server() -> None:
    """In a kernel, write this app's log lines to the server's log (once per process).

    ipykernel turns ``sys.stderr`` into a stream to the page, so without this a warning
    would reach neither the server log nor the facilitator. ipykernel keeps a copy of the
    process's real stderr (inherited from the server: its log file) when it redirects file
    descriptor 2, and leaves descriptor 2 alone when it does not (e.g. under pytest); write
    there. Outside a kernel this does nothing.
    """
    if getattr(log, "_to_server", False):
        return
    original = getattr(sys.stderr, "_original_stdstream_copy", None)
    if original is None:
        if type(sys.stderr).__module__ != "ipykernel.iostream":
            return  # not in a kernel: leave logging to whoever runs us
        original = 2
    stream = io.TextIOWrapper(
        io.FileIO(os.dup(original), "w"), encoding="utf-8", errors="replace", write_through=True
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("[%(name)s] %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False  # not also into the page's stderr
    log._to_server = True


def note_unavailable(what: str, exc: Exception, kind: str = "write") -> None:
    """Log that the store refused a write (or, ``kind="read"``, a refresh): once per outage,
    without a traceback or any client detail; retries during the same outage add no lines."""
    if _outage[kind]:
        return
    _outage[kind] = True
    log.warning(
        "%s: %s (not logged again until the store works again)", what, getattr(exc, "reason", exc)
    )


def note_available(kind: str = "write") -> None:
    """A write (or read) worked: end a logged outage with one line, so the next is logged."""
    if _outage[kind]:
        _outage[kind] = False
        log.info("the store works again (%s)", "saving" if kind == "write" else "reading")


class SaveStatus:
    """A line under a question: saved, saving, refused (why) or not saved (retry)."""

    def __init__(self):
        self.label = widgets.HTML(layout=widgets.Layout(min_height="1.4em"))
        self.retry = widgets.Button(layout=widgets.Layout(display="none", width="auto"))
        self._pending = None
        self.sequence = 0
        self.retry.on_click(lambda _b: self._pending and self._pending())
        self.widget = widgets.HBox(
            [self.label, self.retry], layout=widgets.Layout(align_items="center")
        )
        self.widget.add_class("workshop-save-status")

    def show(self, kind: str, text: str, retry=None, retry_label: str = "") -> None:
        colour = {"ok": "#1b7a3a", "error": "#b00020", "busy": "#555"}.get(kind, "#555")
        self.sequence += 1  # every outcome is a new value, even the same text twice
        self.label.value = (
            f"<span class='workshop-status-{kind}' role='status' data-seq='{self.sequence}' "
            f"style='color:{colour}'>{html.escape(text)}</span>"
        )
        self._pending = retry
        self.retry.description = retry_label
        self.retry.layout.display = "" if retry else "none"


@dataclass
class Context:
    """The participant's session, identity and language, plus the save pipeline."""

    store: Store
    session: SessionInfo
    person: Participant
    token: str
    lang: str = "nl"
    resume_url: str = ""
    cache: dict = field(default_factory=dict)
    on_saved: Callable[[], None] | None = None  # after a save or removal went through

    def saved(self) -> None:
        """Tell the app that an answer was saved or removed (it redraws the results)."""
        if self.on_saved is not None:
            self.on_saved()

    def refresh_session(self) -> SessionInfo | None:
        """Re-read the session (open exercises, visibility); None when it was purged."""
        try:
            fresh = self.store.session_by_id(self.session.id)
        except StoreUnavailable:
            return self.session
        if fresh is not None:
            self.session = fresh
        return fresh

    def answers(self, exercise_id: str):
        """All answers of the session for one exercise (for group results)."""
        return self.store.answers(self.session.id, exercise=exercise_id)

    def own_answers(self, exercise_id: str | None = None):
        return self.store.answers(
            self.session.id, exercise=exercise_id, participant_id=self.person.id
        )

    def save(
        self,
        exercise,
        question,
        value,
        status: SaveStatus,
        *,
        item: str | None = None,
        **clean_options,
    ) -> bool:
        """Validate and store one answer; report the outcome in ``status``.

        Returns True when the answer is stored (acknowledged). On a store outage the
        status offers a retry that saves the same value again (idempotent).
        """
        lang = self.lang
        try:
            cleaned = clean_answer(question, value, **clean_options)
        except AnswerError as exc:
            status.show("error", t(exc.key, lang, **exc.values))
            return False
        return self.store_value(exercise, item or question.id, cleaned, status)

    def store_value(self, exercise, item: str, cleaned, status: SaveStatus) -> bool:
        """Store an already-checked value (after the open-exercise check)."""
        lang = self.lang
        session = self.refresh_session()
        if session is None:
            status.show("error", t("p_session_gone", lang))
            return False
        if not session.is_open(exercise.id):
            status.show("error", t("p_exercise_closed", lang))
            return False
        try:
            self.store.save_answer(self.person, exercise.id, item, cleaned)
        except StoreUnavailable as exc:
            note_unavailable("answer not saved", exc)
            status.show(
                "error",
                t("p_not_saved", lang, reason=t("error_unavailable", lang)),
                retry=lambda: self.store_value(exercise, item, cleaned, status),
                retry_label=t("p_retry", lang),
            )
            return False
        except NotAllowed:
            status.show("error", t("error_type", lang))
            return False
        note_available()
        status.show("ok", t("p_saved", lang))
        self.saved()
        return True

    def delete(self, exercise, item: str, status: SaveStatus) -> bool:
        """Remove one of the participant's own answers (while the exercise is open)."""
        session = self.refresh_session()
        if session is None or not session.is_open(exercise.id):
            status.show("error", t("p_exercise_closed", self.lang))
            return False
        try:
            self.store.delete_answer(self.person, exercise.id, item)
        except StoreUnavailable as exc:
            note_unavailable("answer not removed", exc)
            status.show(
                "error",
                t("p_not_saved", self.lang, reason=t("error_unavailable", self.lang)),
                retry=lambda: self.delete(exercise, item, status),
                retry_label=t("p_retry", self.lang),
            )
            return False
        note_available()
        status.show("ok", t("p_saved", self.lang))
        self.saved()
        return True
