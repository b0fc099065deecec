"""An exercise as a participant sees it, as one piece of HTML for a notebook or a report:
its questions (the real forms, read-only) and the group's result beside one's own."""

from __future__ import annotations

from functools import lru_cache

from markupsafe import escape

from ..questions import Content, Ui, View
from ..questions.contribution import OWN_CONTRIBUTIONS
from ..results.aggregate import own_answers
from .assets import STATIC
from .render import Results, compute_blocks, environment, own_blocks, question_form, result_block

__all__ = ["exercise_preview_html"]


@lru_cache(maxsize=1)
def _style() -> str:
    css = (STATIC / "participant.css").read_text() + (STATIC / "results.css").read_text()
    # Scoped to the preview, so a notebook's own styles stay as they are.
    return f"<style>.workshop-preview{{max-width:46rem}}{css}</style>"


def exercise_preview_html(
    exercise,
    answers=(),
    participant_id=None,
    *,
    lang: str = "nl",
    contributions=(),
    content: Content | None = None,
) -> str:
    """The exercise's page for one participant (``participant_id``, or nobody) of a group
    that gave ``answers``: purpose, questions with that participant's answers filled in
    (disabled), and the results, with the page's own stylesheet inlined.

    Examples
    --------
    >>> from toolkit.exercises.loader import default_exercises
    >>> html = exercise_preview_html(default_exercises()[0])
    >>> "<form" in html and "disabled" in html
    True
    """
    content = content or Content()
    env = environment()
    ui = Ui(lang=lang, content=content)
    answers = [a for a in answers if a.exercise == exercise.id]
    blocks = compute_blocks(
        exercise, answers, View(free_text_visible=True), ui, contributions=contributions
    )
    own = own_answers(exercise, answers, participant_id)
    own[OWN_CONTRIBUTIONS] = [c for c in contributions if c.participant_id == participant_id]
    mine = own_blocks(exercise, own, blocks, ui)
    parts = [
        f"<h2>{escape(exercise.title(lang))}</h2>",
        f"<p>{escape(exercise.purpose(lang))}</p>",
    ]
    for q in exercise.questions:
        form = question_form(env, exercise, q, own, blocks.groups.get(q.id, {}), ui)
        parts.append(
            f"<section class='question'><h3 class='prompt'>{escape(q.prompt(lang))}</h3>"
            f"<form class='answer q-{q.type}'><fieldset class='body' disabled>{form}"
            "</fieldset></form></section>"
        )
    parts.append(f"<h3>{escape(ui.t('w_results_title'))}</h3>")
    for block in Results.block_ids(exercise):
        parts.append(
            f"<section class='result'>"
            f"{result_block(block, blocks.html.get(block, ''), mine.get(block, ''))}</section>"
        )
    return _style() + "<div class='workshop-preview'>" + "".join(parts) + "</div>"
