"""An exercise's group results in sentences: its headline and the gaps and risks it shows
(each question type words its own; three or more scale questions are read as one radar)."""

from __future__ import annotations

from ..questions import Ui, question_type
from ..questions.base import listing, number_text

__all__ = ["exercise_headlines", "exercise_findings", "answered"]


def _scales(exercise) -> list:
    scales = [q for q in exercise.questions if q.type == "scale"]
    return scales if len(scales) >= 3 else []


def answered(exercise, results: dict) -> int:
    """How many participants answered (the largest ``n`` of the exercise's questions).

    Examples
    --------
    >>> from toolkit.exercises.loader import default_exercises
    >>> ex = {e.id: e for e in default_exercises()}["behoeften"]
    >>> answered(ex, {"needs": {"n": 3}, "votes": {"n": 5}})
    5
    """
    return max(
        (int(results[q.id].get("n") or 0) for q in exercise.questions if q.id in results), default=0
    )


def _radar_headline(exercise, results: dict, ui: Ui) -> list[str]:
    scales = _scales(exercise)
    n = max(results[q.id]["n"] for q in scales)
    if not n:
        return [ui.t("h_none")]
    label = {q.id: (q.short or q.prompt)(ui.lang) for q in scales}
    means = [
        f"{label[q.id]} {number_text(results[q.id]['mean'], ui.lang)}"
        for q in scales
        if results[q.id]["mean"] is not None
    ]
    out = [ui.t("h_radar_means", items=listing(means, ui.lang, limit=10), n=n)]
    target = scales[0].target
    if target is not None:
        below = [
            label[q.id]
            for q in scales
            if results[q.id]["mean"] is not None and results[q.id]["mean"] < target
        ]
        if below:
            out.append(ui.t("h_radar_below", target=target, items=listing(below, ui.lang)))
        else:
            out.append(
                ui.t("h_radar_met", target=target, items=listing(list(label.values()), ui.lang))
            )
    return out


def exercise_headlines(exercise, results: dict, ui: Ui) -> list[str]:
    """The group result of ``exercise`` in a few plain sentences (no HTML).

    Examples
    --------
    >>> from toolkit.exercises.loader import default_exercises
    >>> from toolkit.questions import Content
    >>> ex = {e.id: e for e in default_exercises()}["bestuurstafel"]
    >>> results = {q.id: {"n": 2, "mean": 2.5, "counts": {}} for q in ex.questions}
    >>> exercise_headlines(ex, results, Ui(lang="en", content=Content()))[1]
    'Below the target level 3: Vision, Expertise, Content & applications and Infrastructure.'
    """
    out = _radar_headline(exercise, results, ui) if _scales(exercise) else []
    for question in exercise.questions:
        if question.id not in results or (question.type == "scale" and _scales(exercise)):
            continue
        sentence = question_type(question).headline(exercise, question, results[question.id], ui)
        if sentence:
            out.append(sentence)
    return out


def exercise_findings(exercise, results: dict, ui: Ui) -> list[str]:
    """The gaps and risks the group result of ``exercise`` shows, one sentence each."""
    out = []
    for question in exercise.questions:
        if question.id in results:
            kind = question_type(question)
            out.extend(kind.findings(exercise, question, results[question.id], ui))
    return out
