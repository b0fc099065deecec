"""Answers -> group results: every question type aggregates its own answers
(``toolkit.questions``); this module runs them for an exercise and adds one's own answer."""

from __future__ import annotations

from ..questions import Content, View, question_type
from ..questions.dot_vote import dot_options
from ..questions.flow_check import flow_risks
from ..questions.raci import raci_problems

__all__ = [
    "group_results",
    "own_answers",
    "aggregate_exercise",
    "aggregate_question",
    "dot_options",
    "flow_risks",
]

_OWN_DEFAULTS = {
    "multiple_choice": list,
    "dot_vote": dict,
    "grid": dict,
    "raci": dict,
    "aim": dict,
    "flow_check": dict,
}


def group_results(
    exercise, answers, view: View, content=None, lang: str = "nl", contributions=()
) -> dict[str, dict]:
    """The group result of every question of ``exercise`` (the same for everyone who
    looks through ``view``), keyed by question id.

    Examples
    --------
    >>> from toolkit.exercises.loader import default_exercises
    >>> ex = {e.id: e for e in default_exercises()}["behoeften"]
    >>> group_results(ex, [], View())["votes"]["n"]
    0
    """
    content = content or Content()
    mine = [a for a in answers if a.exercise == exercise.id]
    out = {}
    for q in exercise.questions:
        kind = question_type(q)
        if q.type == "contribution":
            out[q.id] = kind.aggregate(
                exercise, q, mine, view, content, lang, contributions=contributions
            )
        else:
            out[q.id] = kind.aggregate(exercise, q, mine, view, content, lang)
    return out


def own_answers(exercise, answers, participant_id) -> dict:
    """``{item: value}`` of one participant's answers to ``exercise``."""
    return {
        a.item: a.value
        for a in answers
        if a.exercise == exercise.id and a.participant_id == participant_id
    }


def aggregate_question(
    exercise,
    question,
    answers,
    participant_id=None,
    *,
    lang: str = "nl",
    include_hidden: bool = False,
    free_text_visible: bool = True,
    content=None,
) -> dict:
    """Group result of one question with the participant's own answer as ``own`` (their
    own texts are listed with the group's, marked ``own``)."""
    view = View(free_text_visible=free_text_visible, include_hidden=include_hidden)
    kind = question_type(question)
    mine = [a for a in answers if a.exercise == exercise.id]
    result = kind.aggregate(exercise, question, mine, view, content or Content(), lang)
    own = own_answers(exercise, answers, participant_id)
    if question.type == "free_text":
        prefix = question.id + ":"
        by_id = {a.id: a for a in mine}
        listed = {x["answer_id"] for x in result["texts"]}
        texts = []
        for a in mine:
            if not a.item.startswith(prefix):
                continue
            is_own = a.participant_id == participant_id
            if a.id in listed or is_own:
                texts.append(
                    {
                        "answer_id": a.id,
                        "item": a.item,
                        "text": a.value.get("text", ""),
                        "pseudonym": by_id[a.id].pseudonym,
                        "hidden": a.hidden,
                        "own": is_own,
                    }
                )
        return {**result, "texts": texts}
    value = kind.own(question, own)
    if value is None and question.type in _OWN_DEFAULTS:
        value = _OWN_DEFAULTS[question.type]()
    result = {**result, "own": value}
    if question.type == "raci":
        result["own_gaps"] = raci_problems(question, value)
    if question.type == "aim":
        used = set(value.values())
        from ..questions.aim import AIM_CELLS

        result["own"] = value
        result["own_empty"] = [c for c in AIM_CELLS if c not in used]
    return result


def aggregate_exercise(exercise, answers, participant_id=None, **options) -> dict:
    """Group results of every question of an exercise (with ``own``), keyed by question id;
    contributions are left out (they go onto the map)."""
    return {
        q.id: aggregate_question(exercise, q, answers, participant_id, **options)
        for q in exercise.questions
        if q.type != "contribution"
    }
