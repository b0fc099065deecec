"""A demo session with plausible answers to every exercise (for notebooks, tests, benchmarks)."""

from __future__ import annotations

import random
import uuid

from ..exercises.loader import default_exercises
from ..questions.answers import clean_answer
from ..store import Store

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
    from ..questions import Content, question_type

    return question_type(question).demo(question, rng, Content())


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
