"""Group results per question type, from small hand-made lists of answers."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from statistics import mean

import pytest

from toolkit.content.flows import load_flows
from toolkit.exercises.loader import load_exercises
from toolkit.exercises.spec import (
    AimQuestion,
    Axis,
    ContributionQuestion,
    DotVoteQuestion,
    Exercise,
    FlowCheckQuestion,
    FreeTextQuestion,
    GridQuestion,
    Level,
    MultipleChoiceQuestion,
    Option,
    RaciQuestion,
    ScaleQuestion,
    SingleChoiceQuestion,
    Text,
)
from toolkit.questions.aim import AIM_CELLS
from toolkit.questions.typed_text import need_key
from toolkit.results.aggregate import aggregate_exercise, aggregate_question, flow_risks
from toolkit.store import Answer

T = Text(nl="x", en="x")
AXIS = Axis(label=T, low=T, high=T)
_ids = itertools.count(1)


def options(*pairs: tuple[str, str]) -> list[Option]:
    return [Option(id=i, label=Text(nl=label, en=label)) for i, label in pairs]


def plain(*ids: str) -> list[Option]:
    return options(*((i, i) for i in ids))


SCALE = ScaleQuestion(
    id="scale",
    type="scale",
    prompt=T,
    levels=[Level(value=v, label=T, description=T) for v in (1, 2, 3)],
)
SINGLE = SingleChoiceQuestion(
    id="single", type="single_choice", prompt=T, options=plain("a", "b", "c")
)
MULTI = MultipleChoiceQuestion(
    id="multi", type="multiple_choice", prompt=T, options=plain("a", "b", "c")
)
NEEDS = FreeTextQuestion(id="needs", type="free_text", prompt=T, max_items=3)
VOTES = DotVoteQuestion(
    id="votes",
    type="dot_vote",
    prompt=T,
    budget=5,
    options_from="needs",
    options=options(("a", "Alpha"), ("b", "Beta"), ("c", "Gamma"), ("d", "Delta")),
)
GRID = GridQuestion(
    id="grid",
    type="grid",
    prompt=T,
    x_axis=AXIS,
    y_axis=AXIS,
    quadrants=[T] * 4,
    items=plain("x", "y", "z"),
)
RACI = RaciQuestion(
    id="raci",
    type="raci",
    prompt=T,
    tasks=plain("t1", "t2", "t3", "t4", "t5"),
    roles=plain("board", "ict", "im"),
)
AIM = AimQuestion(id="aim", type="aim", prompt=T, items=plain("im", "cio"))
FLOW = FlowCheckQuestion(id="flows", type="flow_check", prompt=T)
ADD = ContributionQuestion(id="add", type="contribution", prompt=T)
EXERCISE = Exercise(
    id="ex",
    order=1,
    title=T,
    purpose=T,
    sources=["https://example.org/"],
    questions=[SCALE, SINGLE, MULTI, NEEDS, VOTES, GRID, RACI, AIM, FLOW, ADD],
)


def answer(
    participant: int, item: str, value, *, hidden: bool = False, exercise: str = "ex"
) -> Answer:
    return Answer(
        next(_ids),
        participant,
        f"P{participant}",
        exercise,
        item,
        value,
        hidden,
        datetime(2024, 1, 1, tzinfo=UTC),
    )


def result(question, answers, participant=None, **options) -> dict:
    return aggregate_question(EXERCISE, question, answers, participant, **options)


# --- scale and choices ---------------------------------------------------------------------


SCALE_ANSWERS = [
    answer(1, "scale", 1),
    answer(2, "scale", 3),
    answer(3, "scale", 3),
    answer(4, "scale", 2, exercise="other"),  # another exercise, same question id
    answer(5, "single", 2),  # another question
]


def test_scale_gives_mean_counts_and_own():
    """Does a scale give the group mean, the count per level and one's own level?"""
    got = result(SCALE, SCALE_ANSWERS, participant=1)
    assert got["n"] == 3
    assert got["mean"] == pytest.approx(7 / 3)
    assert got["counts"] == {1: 1, 2: 0, 3: 2}
    assert got["own"] == 1
    assert result(SCALE, SCALE_ANSWERS, participant=4)["own"] is None  # other exercise


def test_scale_without_answers():
    """Does a scale nobody answered give n 0, no mean and zero counts?"""
    assert result(SCALE, []) == {"n": 0, "mean": None, "counts": {1: 0, 2: 0, 3: 0}, "own": None}


def test_single_choice_counts_every_option():
    """Does a single choice count each option, unpicked ones as 0?"""
    answers = [answer(1, "single", "a"), answer(2, "single", "a"), answer(3, "single", "c")]
    got = result(SINGLE, answers, participant=3)
    assert got == {"n": 3, "counts": {"a": 2, "b": 0, "c": 1}, "own": "c"}


def test_multiple_choice_counts_ticks():
    """Does a multiple choice count every tick per option, with [] as own when unanswered?"""
    answers = [answer(1, "multi", ["a", "b"]), answer(2, "multi", ["b"]), answer(3, "multi", [])]
    got = result(MULTI, answers, participant=1)
    assert got == {"n": 3, "counts": {"a": 1, "b": 2, "c": 0}, "own": ["a", "b"]}
    assert result(MULTI, answers, participant=9)["own"] == []


# --- dot vote -------------------------------------------------------------------------------

TIJD, GEHEIM = need_key("Meer tijd"), need_key("Geheim")
VOTE_ANSWERS = [
    answer(1, "needs:1", {"text": "Meer tijd"}),
    answer(2, "needs:2", {"text": "  meer TIJD "}),  # the same need
    answer(3, "needs:3", {"text": "Geheim"}, hidden=True),
    answer(4, "needs:4", {"text": "Ander oefening"}, exercise="other"),
    answer(1, "votes", {TIJD: 3, "b": 2}),
    answer(2, "votes", {TIJD: 2, "b": 1}),
    answer(3, "votes", {"a": 3, GEHEIM: 2}),
]


def test_dot_vote_ranks_by_dots_then_voters_then_label():
    """Is the ranking ordered by dots, then by number of voters, then by label?"""
    got = result(VOTES, VOTE_ANSWERS, participant=1)
    assert [(r["key"], r["dots"], r["voters"]) for r in got["ranking"]] == [
        (TIJD, 5, 2),
        ("b", 3, 2),  # Beta before Alpha: same dots, more voters
        ("a", 3, 1),
        ("d", 0, 0),  # Delta before Gamma: same dots and voters, by label
        ("c", 0, 0),
    ]
    assert got["n"] == 3
    assert got["own"] == {TIJD: 3, "b": 2}
    assert result(VOTES, VOTE_ANSWERS, participant=9)["own"] == {}


def test_dot_vote_options_merge_equal_texts_and_leave_out_hidden_ones():
    """Are group needs options (equal texts once, first spelling kept), hidden needs and needs
    of other exercises left out?"""
    ranking = result(VOTES, VOTE_ANSWERS)["ranking"]
    labels = {r["key"]: r["label"] for r in ranking}
    assert labels[TIJD] == "Meer tijd"
    assert len(ranking) == 5
    assert GEHEIM not in labels
    assert need_key("Ander oefening") not in labels


def test_dot_vote_includes_hidden_needs_when_asked():
    """With include_hidden, does the hidden need take its place in the ranking?"""
    ranking = result(VOTES, VOTE_ANSWERS, include_hidden=True)["ranking"]
    assert [r["key"] for r in ranking] == [TIJD, "b", "a", GEHEIM, "d", "c"]
    assert next(r for r in ranking if r["key"] == GEHEIM)["label"] == "Geheim"


# --- free text ------------------------------------------------------------------------------

TEXT_ANSWERS = [
    answer(1, "needs:1", {"text": "mijn eerste"}),
    answer(1, "needs:2", {"text": "mijn tweede"}),
    answer(2, "needs:3", {"text": "zichtbaar"}),
    answer(3, "needs:4", {"text": "verborgen"}, hidden=True),
    answer(4, "needs-extra:1", {"text": "andere vraag"}),
    answer(5, "needs:5", {"text": "andere oefening"}, exercise="other"),
]
NEVER = NEEDS.model_copy(update={"shared": "never"})


def texts(question=NEEDS, participant=None, **options) -> list[str]:
    return [t["text"] for t in result(question, TEXT_ANSWERS, participant, **options)["texts"]]


@pytest.mark.parametrize(
    ("question", "participant", "options", "expected"),
    [
        (NEEDS, 1, {}, ["mijn eerste", "mijn tweede", "zichtbaar"]),
        (NEEDS, 1, {"free_text_visible": False}, ["mijn eerste", "mijn tweede"]),
        (NEEDS, 3, {}, ["mijn eerste", "mijn tweede", "zichtbaar", "verborgen"]),
        (NEEDS, 3, {"free_text_visible": False}, ["verborgen"]),
        (NEEDS, None, {}, ["mijn eerste", "mijn tweede", "zichtbaar"]),
        (
            NEEDS,
            None,
            {"include_hidden": True},
            ["mijn eerste", "mijn tweede", "zichtbaar", "verborgen"],
        ),
        (NEEDS, None, {"include_hidden": True, "free_text_visible": False}, []),
        (NEVER, 1, {"include_hidden": True}, ["mijn eerste", "mijn tweede"]),
        (NEVER, 2, {}, ["zichtbaar"]),
        (NEVER, None, {}, []),
    ],
    ids=[
        "own-and-visible",
        "not-shared-yet",
        "own-hidden",
        "own-hidden-only",
        "observer",
        "observer-with-hidden",
        "observer-not-shared",
        "never-own",
        "never-other",
        "never",
    ],
)
def test_free_text_visibility(question, participant, options, expected):
    """Are one's own texts always shown, and others' only when sharing is on, the text is
    not hidden and the question is not shared: never?"""
    assert texts(question, participant, **options) == expected


def test_free_text_rows_and_count():
    """Does each text row say whose it is and whether it is hidden, and does n count
    authors (not texts)?"""
    got = result(NEEDS, TEXT_ANSWERS, participant=3)
    rows = {row["text"]: row for row in got["texts"]}
    assert rows["verborgen"]["own"] is True and rows["verborgen"]["hidden"] is True
    assert rows["zichtbaar"]["own"] is False and rows["zichtbaar"]["pseudonym"] == "P2"
    assert rows["mijn eerste"]["item"] == "needs:1"
    assert got["n"] == 3


# --- grid, raci, aim ------------------------------------------------------------------------


def test_grid_gives_mean_positions():
    """Does the grid give each item's mean position, its points and one's own placement?"""
    answers = [answer(1, "grid", {"x": [1, 5], "y": [2, 2]}), answer(2, "grid", {"x": [4, 2]})]
    got = result(GRID, answers, participant=2)
    assert got["n"] == 2
    assert got["items"]["x"]["n"] == 2
    assert got["items"]["x"]["mean"] == [mean([1, 4]), mean([5, 2])]
    assert got["items"]["x"]["points"] == [(1, 5), (4, 2)]
    assert got["items"]["y"]["mean"] == [2, 2]
    assert "z" not in got["items"]  # nobody placed it
    assert got["own"] == {"x": [4, 2]}


RACI_ANSWERS = [
    answer(
        1,
        "raci",
        {
            "t1": {"board": "A", "ict": "R"},
            "t2": {"board": "R"},
            "t3": {"board": "A", "ict": "A", "im": "R"},
        },
    ),
    answer(
        2,
        "raci",
        {
            "t1": {"board": "A", "ict": "R", "im": "C"},
            "t2": {"board": "R", "ict": "C"},
            "t3": {"board": "A", "ict": "A"},
        },
    ),
    answer(3, "raci", {"t1": {"board": "C", "ict": "R"}, "t4": {"board": "A", "ict": "C"}}),
]


def test_raci_gives_consensus_gaps_and_unanswered_tasks():
    """Is the group table the most given letter per cell, are tasks breaking the rules in it
    gaps, and are tasks nobody filled in listed apart?"""
    got = result(RACI, RACI_ANSWERS, participant=1)
    assert got["n"] == 3
    assert got["cells"]["t1"]["board"] == {"A": 2, "C": 1}
    assert got["consensus"] == {
        "t1": {"board": "A", "ict": "R", "im": "C"},
        "t2": {"board": "R", "ict": "C"},
        "t3": {"board": "A", "ict": "A", "im": "R"},
        "t4": {"board": "A", "ict": "C"},
    }
    assert got["gaps"] == {"t2": "no_a", "t3": "many_a", "t4": "no_r"}
    assert got["unanswered"] == ["t5"]
    assert got["own_gaps"] == {"t2": "no_a", "t3": "many_a"}


def test_raci_without_answers_lists_every_task_as_unanswered():
    """Does a RACI nobody answered have no gaps and every task unanswered?"""
    got = result(RACI, [])
    assert got["gaps"] == {} and got["own"] == {} and got["own_gaps"] == {}
    assert got["unanswered"] == ["t1", "t2", "t3", "t4", "t5"]


def test_aim_gives_cells_and_empty_cells():
    """Does the nine-cell model give the items per cell, the group's empty cells and one's
    own empty cells?"""
    answers = [
        answer(1, "aim", {"im": "strategy:information", "cio": "strategy:business"}),
        answer(2, "aim", {"im": "strategy:information"}),
    ]
    got = result(AIM, answers, participant=2)
    assert set(got["cells"]) == set(AIM_CELLS)
    assert got["cells"]["strategy:information"] == {"im": 2}
    assert got["cells"]["strategy:business"] == {"cio": 1}
    assert got["empty"] == [
        c for c in AIM_CELLS if c not in ("strategy:information", "strategy:business")
    ]
    assert got["own_empty"] == [c for c in AIM_CELLS if c != "strategy:information"]
    assert result(AIM, [])["empty"] == list(AIM_CELLS)


# --- flow check -----------------------------------------------------------------------------


def test_flow_check_counts_answers_per_flow():
    """Does the flow check count the has/agreement answers per flow?"""
    answers = [
        answer(1, "flows", {"f1": {"has": "yes", "agreement": "no"}, "f2": {"has": "no"}}),
        answer(2, "flows", {"f1": {"has": "yes", "agreement": "yes"}}),
    ]
    got = result(FLOW, answers, participant=2)
    assert got["n"] == 2
    assert got["has"] == {"f1": {"yes": 2}, "f2": {"no": 1}}
    assert got["agreement"] == {"f1": {"no": 1, "yes": 1}}
    assert got["own"] == {"f1": {"has": "yes", "agreement": "yes"}}


@pytest.mark.parametrize(
    ("needed", "row", "risk"),
    [
        ("yes", {"has": "yes", "agreement": "no"}, True),
        ("yes", {"has": "yes", "agreement": "unknown"}, True),
        ("yes", {"has": "yes"}, True),
        ("yes", {"has": "yes", "agreement": "yes"}, False),
        ("yes", {"has": "no", "agreement": "no"}, False),
        ("yes", {"has": "unknown", "agreement": "no"}, False),
        ("yes", {}, False),
        ("no", {"has": "yes", "agreement": "no"}, False),
        ("no", {"has": "yes", "agreement": "unknown"}, False),
        ("no", {"has": "yes"}, False),
    ],
)
def test_flow_risk_rule(needed, row, risk):
    """Is a flow a risk exactly when one has it, an agreement is needed and it is not 'yes'?"""
    flows = [
        {"id": "f1", "processor_agreement": needed},
        {"id": "f2", "processor_agreement": "yes"},
    ]
    got = flow_risks({"f1": row, "f2": {"has": "no"}}, flows)
    assert [f["id"] for f in got] == (["f1"] if risk else [])


def test_shipped_flows_without_agreement_are_never_risks():
    """With the shipped flows file, are flows that need no agreement never a risk, and every
    flow that needs one a risk when its agreement is missing?"""
    flows = list(load_flows())
    needed = [f["id"] for f in flows if f["processor_agreement"] == "yes"]
    assert needed and len(needed) < len(flows)
    value = {f["id"]: {"has": "yes", "agreement": "no"} for f in flows}
    assert [f["id"] for f in flow_risks(value, flows)] == needed


# --- whole exercises ------------------------------------------------------------------------


def test_aggregate_exercise_skips_contribution_questions():
    """Does aggregate_exercise give a result for every question except contributions, and
    pass its options on?"""
    answers = SCALE_ANSWERS + TEXT_ANSWERS
    got = aggregate_exercise(EXERCISE, answers, 1, free_text_visible=False)
    assert list(got) == [q.id for q in EXERCISE.questions if q.type != "contribution"]
    assert "add" not in got
    assert got["scale"]["own"] == 1
    assert [t["text"] for t in got["needs"]["texts"]] == ["mijn eerste", "mijn tweede"]


def test_aggregate_exercise_on_the_shipped_stakeholder_exercise():
    """Does the shipped stakeholder exercise give only its grid result?"""
    exercise = next(e for e in load_exercises() if e.id == "stakeholders")
    assert [q.type for q in exercise.questions] == ["grid", "contribution"]
    answers = [answer(1, "belang-invloed", {"kennisnet": [5, 4]}, exercise="stakeholders")]
    got = aggregate_exercise(exercise, answers, 1)
    assert list(got) == ["belang-invloed"]
    assert got["belang-invloed"]["items"]["kennisnet"]["mean"] == [5, 4]
