"""Answers -> group results per question type (plain Python: the participant kernel stays lean)."""

from __future__ import annotations

from collections import Counter, defaultdict
from statistics import mean

from ..exercises.answers import AIM_CELLS, need_key, raci_problems
from ..exercises.spec import Exercise

__all__ = ["dot_vote_options", "aggregate_exercise", "aggregate_question", "flow_risks"]


def _visible(answer, include_hidden: bool) -> bool:
    return include_hidden or not answer.hidden


def dot_vote_options(
    exercise: Exercise, question, answers, lang: str = "nl", include_hidden: bool = False
) -> list[tuple[str, str]]:
    """The (key, label) options of a dot vote: its fixed options, then the group's texts
    from ``options_from`` (hidden ones left out; equal texts merged).

    Examples
    --------
    >>> from toolkit.exercises.loader import default_exercises
    >>> ex = {e.id: e for e in default_exercises()}["behoeften"]
    >>> keys = [k for k, _ in dot_vote_options(ex, ex.question("votes"), [])]
    >>> len(keys) >= 3
    True
    """
    options = [(o.id, o.label(lang)) for o in question.options]
    if question.options_from:
        seen = {key for key, _ in options}
        prefix = question.options_from + ":"
        for answer in answers:
            if answer.exercise != exercise.id or not answer.item.startswith(prefix):
                continue
            if not _visible(answer, include_hidden):
                continue
            text = (answer.value or {}).get("text", "")
            key = need_key(text)
            if text and key not in seen:
                seen.add(key)
                options.append((key, text))
    return options


def flow_risks(value: dict, flows: list[dict]) -> list[dict]:
    """Flows a participant has where a processing agreement is needed but not in place.

    Examples
    --------
    >>> flows = [{"id": "f1", "processor_agreement": "yes"}, {"id": "f2",
    ...          "processor_agreement": "no"}]
    >>> [f["id"] for f in flow_risks({"f1": {"has": "yes", "agreement": "unknown"},
    ...                              "f2": {"has": "yes", "agreement": "no"}}, flows)]
    ['f1']
    """
    risks = []
    for flow in flows:
        row = value.get(flow["id"]) or {}
        if (
            row.get("has") == "yes"
            and flow.get("processor_agreement") == "yes"
            and row.get("agreement") != "yes"
        ):
            risks.append(flow)
    return risks


def aggregate_question(
    exercise: Exercise,
    question,
    answers,
    participant_id=None,
    *,
    lang: str = "nl",
    include_hidden: bool = False,
    free_text_visible: bool = True,
) -> dict:
    """Group result of one question from the session's answers (of any exercise)."""
    mine = [a for a in answers if a.exercise == exercise.id and a.item == question.id]
    own = next((a.value for a in mine if a.participant_id == participant_id), None)
    values = [a.value for a in mine]
    kind = question.type
    if kind == "scale":
        counts = Counter(values)
        return {
            "n": len(values),
            "mean": mean(values) if values else None,
            "counts": {lv.value: counts.get(lv.value, 0) for lv in question.levels},
            "own": own,
        }
    if kind == "single_choice":
        counts = Counter(values)
        return {
            "n": len(values),
            "counts": {o.id: counts.get(o.id, 0) for o in question.options},
            "own": own,
        }
    if kind == "multiple_choice":
        counts = Counter(v for value in values for v in value)
        return {
            "n": len(values),
            "counts": {o.id: counts.get(o.id, 0) for o in question.options},
            "own": own or [],
        }
    if kind == "dot_vote":
        options = dot_vote_options(exercise, question, answers, lang, include_hidden)
        totals, voters = Counter(), Counter()
        for value in values:
            for key, count in value.items():
                totals[key] += count
                voters[key] += 1
        ranking = sorted(
            (
                {"key": k, "label": label, "dots": totals.get(k, 0), "voters": voters.get(k, 0)}
                for k, label in options
            ),
            key=lambda r: (-r["dots"], -r["voters"], r["label"].casefold()),
        )
        return {"n": len(values), "ranking": ranking, "own": own or {}}
    if kind == "free_text":
        prefix = question.id + ":"
        texts = []
        for a in answers:
            if a.exercise != exercise.id or not a.item.startswith(prefix):
                continue
            is_own = a.participant_id == participant_id
            shown = is_own or (
                free_text_visible and question.shared != "never" and _visible(a, include_hidden)
            )
            if shown:
                texts.append(
                    {
                        "answer_id": a.id,
                        "item": a.item,
                        "text": a.value.get("text", ""),
                        "pseudonym": a.pseudonym,
                        "hidden": a.hidden,
                        "own": is_own,
                    }
                )
        authors = {
            a.participant_id
            for a in answers
            if a.exercise == exercise.id and a.item.startswith(prefix)
        }
        return {"n": len(authors), "texts": texts}
    if kind == "grid":
        points = defaultdict(list)
        for value in values:
            for item, (x, y) in value.items():
                points[item].append((x, y))
        items = {
            item: {"n": len(p), "mean": [mean(x for x, _ in p), mean(y for _, y in p)], "points": p}
            for item, p in points.items()
        }
        return {"n": len(values), "items": items, "own": own or {}}
    if kind == "raci":
        cells = defaultdict(lambda: defaultdict(Counter))
        for value in values:
            for task, row in value.items():
                for role, letter in row.items():
                    cells[task][role][letter] += 1
        consensus = {
            task: {role: counts.most_common(1)[0][0] for role, counts in row.items()}
            for task, row in cells.items()
        }
        gaps = raci_problems(question, consensus)
        unanswered = [t.id for t in question.tasks if t.id not in consensus]
        plain = {task: {role: dict(c) for role, c in row.items()} for task, row in cells.items()}
        return {
            "n": len(values),
            "cells": plain,
            "consensus": consensus,
            "gaps": gaps,
            "unanswered": unanswered,
            "own": own or {},
            "own_gaps": raci_problems(question, own or {}),
        }
    if kind == "aim":
        cells = {cell: Counter() for cell in AIM_CELLS}
        for value in values:
            for item, cell in value.items():
                cells[cell][item] += 1
        own_cells = set((own or {}).values())
        return {
            "n": len(values),
            "cells": {c: dict(v) for c, v in cells.items()},
            "empty": [c for c in AIM_CELLS if not cells[c]],
            "own": own or {},
            "own_empty": [c for c in AIM_CELLS if c not in own_cells],
        }
    if kind == "flow_check":
        has, agreement = defaultdict(Counter), defaultdict(Counter)
        for value in values:
            for flow, row in value.items():
                if row.get("has"):
                    has[flow][row["has"]] += 1
                if row.get("agreement"):
                    agreement[flow][row["agreement"]] += 1
        return {
            "n": len(values),
            "has": {k: dict(v) for k, v in has.items()},
            "agreement": {k: dict(v) for k, v in agreement.items()},
            "own": own or {},
        }
    return {"n": len(values), "own": own}


def aggregate_exercise(exercise: Exercise, answers, participant_id=None, **options) -> dict:
    """Group results of every question of an exercise, keyed by question id."""
    return {
        q.id: aggregate_question(exercise, q, answers, participant_id, **options)
        for q in exercise.questions
        if q.type != "contribution"
    }
