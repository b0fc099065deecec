"""Workshop programmes (``datasets/programmes/*.yaml``): which exercises, in which order,
for how long, what is open at the start, and how open answers are moderated."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from ..content.problems import ContentError, Problem
from ..i18n import LANGUAGES
from ..questions.parts import Model, Slug
from .yamlfile import read_model

__all__ = ["Programme", "Step", "load_programme", "programme_room", "PROGRAMME_TEMPLATE"]

_TEXT_TYPES = ("free_text", "word_cloud", "room_questions", "contribution")


class Step(Model):
    """One exercise of the programme."""

    exercise: Slug
    minutes: int | None = Field(default=None, ge=1, le=240)
    open: bool = True  # open for answers from the start
    results: Literal["shown", "hidden"] = "shown"  # hidden: until the facilitator shows them
    approval: list[Slug] = []  # questions whose open answers show only once approved


class Programme(Model):
    """A workshop: its title, organiser, language, the room's defaults and the steps."""

    title: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    organiser: Annotated[str, StringConstraints(max_length=200)] = ""
    language: Literal[LANGUAGES] = "nl"
    follow: bool = False  # phones follow the facilitator from the start
    open_answers_visible: bool = False  # participants see each other's open answers
    exercises_folder: str | None = None  # the facilitator's own exercises, beside this file
    steps: Annotated[list[Step], Field(min_length=1, max_length=30)]

    def minutes(self) -> int:
        return sum(s.minutes or 0 for s in self.steps)


def load_programme(path, library_loader=None) -> tuple[Programme, Path | None]:
    """Read and check a programme file; return it and its own exercises folder (or None).

    Every problem is raised at once as ContentError (``file:line: where: what is wrong``):
    the YAML and its fields, then steps naming an exercise that does not exist (shipped or
    in ``exercises_folder``), the same exercise twice, and approval for a question that has
    no open answers.
    """
    from .library import exercise_library

    path = Path(path)
    programme, root, line_of = read_model(Programme, path)
    name = str(path)
    folder = None
    problems = []
    if programme.exercises_folder:
        folder = (path.parent / programme.exercises_folder).resolve()
        if not folder.is_dir():
            problems.append(
                Problem(
                    name,
                    line_of(("exercises_folder",)),
                    "exercises_folder",
                    f"folder not found: {folder}",
                    "give a folder relative to the programme file",
                )
            )
            folder = None
    library = (library_loader or exercise_library)([folder] if folder else [])
    seen = {}
    for index, step in enumerate(programme.steps):
        where = f"steps[{index}]"
        exercise = library.get(step.exercise)
        if exercise is None:
            problems.append(
                Problem(
                    name,
                    line_of(("steps", index, "exercise")),
                    f"{where}.exercise",
                    f"no exercise with id '{step.exercise}'",
                    "use an id from datasets/exercises/ or your exercises_folder: "
                    + ", ".join(sorted(library)),
                )
            )
            continue
        if step.exercise in seen:
            problems.append(
                Problem(
                    name,
                    line_of(("steps", index, "exercise")),
                    f"{where}.exercise",
                    f"'{step.exercise}' is also steps[{seen[step.exercise]}]",
                    "use each exercise once",
                )
            )
        seen.setdefault(step.exercise, index)
        texts = {q.id for q in exercise.questions if q.type in _TEXT_TYPES}
        for j, question in enumerate(step.approval):
            if question not in texts:
                problems.append(
                    Problem(
                        name,
                        line_of(("steps", index, "approval", j)),
                        f"{where}.approval",
                        f"'{question}' is not a question with open answers in '{step.exercise}'",
                        "name one of: " + (", ".join(sorted(texts)) or "(none)"),
                    )
                )
    if problems:
        raise ContentError(problems)
    return programme, folder


def programme_room(programme: Programme) -> dict:
    """The room's state a session starts with under this programme."""
    return {
        "programme": {
            "title": programme.title,
            "steps": [{"exercise": s.exercise, "minutes": s.minutes} for s in programme.steps],
        },
        "follow": programme.follow,
        "current": programme.steps[0].exercise,
        "approval": {f"{s.exercise}/{q}": True for s in programme.steps for q in s.approval},
        "hidden_results": [s.exercise for s in programme.steps if s.results == "hidden"],
        "step_started": datetime.now(UTC).isoformat(),
    }


PROGRAMME_TEMPLATE = """\
# A workshop programme. Check it with:  workshop check --programme THIS_FILE
# Run it with:                          workshop serve --programme THIS_FILE
title: Mijn workshop informatiemanagement
organiser: Naam van de organisatie   # named on the join screen: who is responsible for the data
language: nl                         # nl or en: the language participants start in
follow: false                        # true: phones follow you to the exercise you show
open_answers_visible: false          # true: participants see each other's open answers
# exercises_folder: mijn-oefeningen  # your own exercise files (YAML), beside this file

steps:                               # in this order; ids from datasets/exercises/*.yaml
  - exercise: de-zaal
    minutes: 10
    approval: [vragen]               # questions from the room show once you approve them
  - exercise: bestuurstafel
    minutes: 15
  - exercise: behoeften
    minutes: 20
    results: hidden                  # the ranking shows when you press 'Resultaten tonen'
  - exercise: stakeholders
    minutes: 15
    open: false                      # open it from the dashboard when you get there
"""
