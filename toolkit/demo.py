"""A demo session with plausible answers to every exercise (for notebooks, tests, benchmarks)."""

from __future__ import annotations

import random
import uuid

from .exercises.answers import AIM_CELLS, clean_answer
from .exercises.loader import default_exercises
from .flows import load_flows
from .store import Store

__all__ = ["fill_demo_session", "demo_value"]

_NEEDS = (
    "Een gedeeld overzicht van alle applicaties",
    "Tijd en budget voor informatiemanagement",
    "Voorbeelden van een informatiebeleidsplan",
    "Hulp bij verwerkersovereenkomsten",
    "Een netwerk van collega-informatiemanagers",
    "Scholing voor schoolleiders",
)


def demo_value(question, rng: random.Random, exercise=None):
    """A random but valid answer to ``question`` (None for types without a single value)."""
    kind = question.type
    if kind == "scale":
        values = [lv.value for lv in question.levels]
        return rng.choices(values, weights=[2, 4, 5, 2, 1][: len(values)])[0]
    if kind == "single_choice":
        return rng.choice(question.options).id
    if kind == "multiple_choice":
        k = rng.randint(1, question.max_choices or len(question.options))
        return [o.id for o in rng.sample(question.options, k)]
    if kind == "dot_vote":
        counts: dict[str, int] = {}
        for _ in range(question.budget):
            option = rng.choice(question.options).id
            if not question.max_per_option or counts.get(option, 0) < question.max_per_option:
                counts[option] = counts.get(option, 0) + 1
        return counts
    if kind == "grid":
        from .apps.participant.questions.matrix import grid_items

        return {
            item: [rng.randint(1, 5), rng.randint(1, 5)] for item, _ in grid_items(question, "nl")
        }
    if kind == "raci":
        matrix = {}
        for task in question.tasks:
            roles = [r.id for r in question.roles]
            rng.shuffle(roles)
            row = {roles[0]: "A", roles[1]: "R"}
            for role in roles[2:]:
                letter = rng.choice(["C", "I", ""])
                if letter:
                    row[role] = letter
            matrix[task.id] = row
        return matrix
    if kind == "aim":
        cells = list(AIM_CELLS)
        return {item.id: rng.choice(cells) for item in question.items}
    if kind == "flow_check":
        return {
            flow["id"]: {
                "has": rng.choice(["yes", "yes", "no", "unknown"]),
                **(
                    {"agreement": rng.choice(["yes", "no", "unknown"])}
                    if flow["processor_agreement"] == "yes"
                    else {}
                ),
            }
            for flow in load_flows(question.flows_file)
        }
    return None


def fill_demo_session(store: Store, code: str, participants: int = 12, seed: int = 1) -> int:
    """Let ``participants`` demo participants answer every exercise; return answers stored.

    Examples
    --------
    >>> import tempfile
    >>> store = Store.open(f"sqlite:///{tempfile.mkdtemp()}/demo.db")
    >>> session = store.create_session("Demo")
    >>> fill_demo_session(store, session.code, participants=3) > 10
    True
    """
    rng = random.Random(seed)
    saved = 0
    for number in range(participants):
        person, _token = store.join(code, f"Deelnemer {number + 1}")
        for exercise in default_exercises():
            for question in exercise.questions:
                if question.type == "free_text":
                    for text in rng.sample(_NEEDS, rng.randint(0, question.max_items)):
                        store.save_answer(
                            person,
                            exercise.id,
                            f"{question.id}:{uuid.uuid4().hex[:12]}",
                            clean_answer(question, {"text": text}),
                        )
                        saved += 1
                    continue
                if question.type == "contribution":
                    if number % 4 == 0:
                        org_id = f"c-{uuid.uuid4().hex[:12]}"
                        store.add_contribution(
                            person,
                            uuid.uuid4().hex,
                            "organisation",
                            {
                                "id": org_id,
                                "name": f"Regionaal netwerk {number + 1}",
                                "type": "network",
                                "sectors": ["po", "vo"],
                            },
                        )
                        store.add_contribution(
                            person,
                            uuid.uuid4().hex,
                            "relation",
                            {
                                "source": org_id,
                                "target": "kennisnet",
                                "relation": "collaborates_with",
                            },
                        )
                    continue
                value = demo_value(question, rng, exercise)
                if value is not None:
                    store.save_answer(person, exercise.id, question.id, value)
                    saved += 1
    return saved
