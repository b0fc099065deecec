"""Checking answers and map additions before they are stored (never trust the browser)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from toolkit.content.dataset import StakeholderData
from toolkit.content.vocabulary import default_vocabulary
from toolkit.exercises.spec import (
    AimQuestion,
    Axis,
    ContributionQuestion,
    DotVoteQuestion,
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
from toolkit.i18n import LANGUAGES, STRINGS, t
from toolkit.map.additions import merge_contributions
from toolkit.questions.aim import AIM_CELLS
from toolkit.questions.answers import clean_answer
from toolkit.questions.contribution import NAME_LIMIT, clean_organisation, clean_relation
from toolkit.questions.errors import AnswerError
from toolkit.questions.raci import raci_problems
from toolkit.questions.typed_text import clean_text, need_key
from toolkit.store import Contribution

ROOT = Path(__file__).resolve().parents[2]
T = Text(nl="x", en="x")


def options(*ids: str) -> list[Option]:
    return [Option(id=i, label=Text(nl=i, en=i)) for i in ids]


SCALE = ScaleQuestion(
    id="s",
    type="scale",
    prompt=T,
    levels=[Level(value=v, label=T, description=T) for v in (1, 2, 3)],
)
SINGLE = SingleChoiceQuestion(id="c", type="single_choice", prompt=T, options=options("a", "b"))
MULTI = MultipleChoiceQuestion(
    id="m", type="multiple_choice", prompt=T, options=options("a", "b", "c"), max_choices=2
)
DOTS = DotVoteQuestion(
    id="d", type="dot_vote", prompt=T, budget=5, max_per_option=3, options=options("a", "b", "c")
)
DOTS_NO_LIMIT = DotVoteQuestion(id="d2", type="dot_vote", prompt=T, budget=5, options=options("a"))
TEXT = FreeTextQuestion(id="f", type="free_text", prompt=T, max_length=20)
AXIS = Axis(label=T, low=T, high=T)
GRID = GridQuestion(
    id="g",
    type="grid",
    prompt=T,
    x_axis=AXIS,
    y_axis=AXIS,
    quadrants=[T, T, T, T],
    items=options("x", "y"),
)
RACI = RaciQuestion(
    id="r",
    type="raci",
    prompt=T,
    tasks=options("t1", "t2", "t3", "t4", "t5"),
    roles=options("board", "ict", "im"),
)
AIM = AimQuestion(id="a", type="aim", prompt=T, items=options("im", "cio"))
FLOW = FlowCheckQuestion(id="fc", type="flow_check", prompt=T)
CONTRIBUTION = ContributionQuestion(id="k", type="contribution", prompt=T)


# --- valid answers -------------------------------------------------------------------------

VALID = [
    ("scale", SCALE, 2, {}, 2),
    ("scale-lowest", SCALE, 1, {}, 1),
    ("single", SINGLE, "b", {}, "b"),
    ("multi-in-option-order", MULTI, ["c", "a"], {}, ["a", "c"]),
    ("multi-none", MULTI, [], {}, []),
    ("dots", DOTS, {"a": 2, "c": 3}, {}, {"a": 2, "c": 3}),
    ("dots-zero-dropped", DOTS, {"a": 2, "b": 0}, {}, {"a": 2}),
    (
        "dots-group-need",
        DOTS,
        {"n-abc": 2, "a": 1},
        {"dot_options": {"a", "n-abc"}},
        {"n-abc": 2, "a": 1},
    ),
    ("dots-none", DOTS, {}, {}, {}),
    ("text-dict", TEXT, {"text": "Meer tijd"}, {}, {"text": "Meer tijd"}),
    ("text-plain", TEXT, "Meer tijd", {}, {"text": "Meer tijd"}),
    ("text-nfc", TEXT, {"text": "  Noe\u0308lle  "}, {}, {"text": "No\u00eblle"}),
    ("text-control-removed", TEXT, "a\x00b\x07c\x1b\x7fd", {}, {"text": "abcd"}),
    ("text-at-limit", TEXT, "x" * 20, {}, {"text": "x" * 20}),
    ("grid", GRID, {"x": [1, 5], "y": (3, 3)}, {}, {"x": [1, 5], "y": [3, 3]}),
    (
        "grid-organisation",
        GRID,
        {"kennisnet": [2, 4]},
        {"grid_items": {"kennisnet"}},
        {"kennisnet": [2, 4]},
    ),
    (
        "raci",
        RACI,
        {"t1": {"board": "A", "ict": "R", "im": ""}, "t2": {"board": ""}},
        {},
        {"t1": {"board": "A", "ict": "R"}},
    ),
    (
        "raci-all-letters",
        RACI,
        {"t1": {"board": "C", "ict": "I", "im": "R"}},
        {},
        {"t1": {"board": "C", "ict": "I", "im": "R"}},
    ),
    ("aim", AIM, {"im": "structure:information", "cio": ""}, {}, {"im": "structure:information"}),
    (
        "flow",
        FLOW,
        {"f1": {"has": "yes", "agreement": "unknown"}, "f2": {"has": "no"}},
        {"flow_ids": {"f1", "f2"}},
        {"f1": {"has": "yes", "agreement": "unknown"}, "f2": {"has": "no"}},
    ),
    ("flow-empty", FLOW, {}, {}, {}),
]


@pytest.mark.parametrize(
    ("question", "value", "options", "expected"),
    [case[1:] for case in VALID],
    ids=[case[0] for case in VALID],
)
def test_valid_answer_is_kept_and_normalised(question, value, options, expected):
    """Is a valid answer accepted and returned in its normal form?"""
    assert clean_answer(question, value, **options) == expected


def test_every_aim_cell_is_accepted():
    """Can an item be put in each of the nine cells, and are there exactly nine?"""
    assert len(AIM_CELLS) == 9 == len(set(AIM_CELLS))
    for cell in AIM_CELLS:
        assert clean_answer(AIM, {"im": cell}) == {"im": cell}


# --- invalid answers -----------------------------------------------------------------------

INVALID = [
    # scale
    ("scale-text", SCALE, "2", {}, "error_choice", {}),
    ("scale-bool", SCALE, True, {}, "error_choice", {}),
    ("scale-float", SCALE, 2.0, {}, "error_choice", {}),
    ("scale-not-a-level", SCALE, 4, {}, "error_choice", {}),
    ("scale-none", SCALE, None, {}, "error_choice", {}),
    # single choice
    ("single-unknown", SINGLE, "z", {}, "error_choice", {}),
    ("single-list", SINGLE, ["a"], {}, "error_type", {}),
    ("single-dict", SINGLE, {"a": 1}, {}, "error_type", {}),
    ("single-number", SINGLE, 1, {}, "error_type", {}),
    # multiple choice
    ("multi-text", MULTI, "a", {}, "error_type", {}),
    ("multi-dict", MULTI, {"a": True}, {}, "error_type", {}),
    ("multi-twice", MULTI, ["a", "a"], {}, "error_type", {}),
    ("multi-nested", MULTI, [["a"]], {}, "error_type", {}),
    ("multi-unknown", MULTI, ["a", "z"], {}, "error_choice", {}),
    ("multi-too-many", MULTI, ["a", "b", "c"], {}, "error_max_choices", {"limit": 2}),
    # dot vote
    ("dots-list", DOTS, ["a"], {}, "error_type", {}),
    ("dots-bool", DOTS, {"a": True}, {}, "error_type", {}),
    ("dots-text-count", DOTS, {"a": "2"}, {}, "error_type", {}),
    ("dots-float", DOTS, {"a": 1.0}, {}, "error_type", {}),
    ("dots-negative", DOTS, {"a": 3, "b": -1}, {}, "error_type", {}),
    ("dots-unknown", DOTS, {"z": 1}, {}, "error_choice", {}),
    ("dots-not-offered-now", DOTS, {"a": 1}, {"dot_options": {"n-abc"}}, "error_choice", {}),
    ("dots-per-option", DOTS, {"a": 4}, {}, "error_per_option", {"limit": 3}),
    ("dots-10000-per-option", DOTS, {"a": 10000}, {}, "error_per_option", {"limit": 3}),
    ("dots-budget", DOTS, {"a": 3, "b": 3}, {}, "error_budget", {"used": 6, "budget": 5}),
    ("dots-10000", DOTS_NO_LIMIT, {"a": 10000}, {}, "error_budget", {"used": 10000, "budget": 5}),
    # free text
    ("text-empty", TEXT, "", {}, "error_empty", {}),
    ("text-whitespace", TEXT, {"text": " \t\n\u00a0 "}, {}, "error_empty", {}),
    ("text-only-control", TEXT, "\x00\x01\x7f", {}, "error_empty", {}),
    ("text-too-long", TEXT, "x" * 21, {}, "error_too_long", {"length": 21, "limit": 20}),
    ("text-number", TEXT, 5, {}, "error_type", {}),
    ("text-none", TEXT, {"text": None}, {}, "error_type", {}),
    ("text-list", TEXT, ["hoi"], {}, "error_type", {}),
    ("text-missing", TEXT, {"body": "hoi"}, {}, "error_type", {}),
    # grid
    ("grid-list", GRID, [[1, 1]], {}, "error_type", {}),
    ("grid-unknown-item", GRID, {"z": [1, 1]}, {}, "error_choice", {}),
    (
        "grid-not-an-organisation",
        GRID,
        {"x": [1, 1]},
        {"grid_items": {"kennisnet"}},
        "error_choice",
        {},
    ),
    ("grid-zero", GRID, {"x": [0, 3]}, {}, "error_type", {}),
    ("grid-six", GRID, {"x": [3, 6]}, {}, "error_type", {}),
    ("grid-half", GRID, {"x": [2.5, 3]}, {}, "error_type", {}),
    ("grid-bool", GRID, {"x": [True, 3]}, {}, "error_type", {}),
    ("grid-one-coordinate", GRID, {"x": [3]}, {}, "error_type", {}),
    ("grid-three-coordinates", GRID, {"x": [3, 3, 3]}, {}, "error_type", {}),
    ("grid-text", GRID, {"x": "3,3"}, {}, "error_type", {}),
    # raci
    ("raci-list", RACI, [], {}, "error_type", {}),
    ("raci-unknown-task", RACI, {"t9": {"board": "A"}}, {}, "error_choice", {}),
    ("raci-unknown-role", RACI, {"t1": {"nobody": "A"}}, {}, "error_choice", {}),
    ("raci-letter-x", RACI, {"t1": {"board": "X"}}, {}, "error_choice", {}),
    ("raci-lowercase", RACI, {"t1": {"board": "r"}}, {}, "error_choice", {}),
    ("raci-two-letters", RACI, {"t1": {"board": "RA"}}, {}, "error_choice", {}),
    ("raci-row-not-a-dict", RACI, {"t1": "A"}, {}, "error_choice", {}),
    # aim
    ("aim-list", AIM, ["im"], {}, "error_type", {}),
    ("aim-unknown-item", AIM, {"zz": "strategy:business"}, {}, "error_choice", {}),
    ("aim-unknown-cell", AIM, {"im": "strategy:people"}, {}, "error_choice", {}),
    ("aim-cell-reversed", AIM, {"im": "business:strategy"}, {}, "error_choice", {}),
    ("aim-none", AIM, {"im": None}, {}, "error_choice", {}),
    # flow check
    ("flow-list", FLOW, ["f1"], {}, "error_type", {}),
    ("flow-unknown", FLOW, {"f9": {"has": "yes"}}, {"flow_ids": {"f1"}}, "error_choice", {}),
    ("flow-row-text", FLOW, {"f1": "yes"}, {}, "error_type", {}),
    ("flow-unknown-field", FLOW, {"f1": {"owner": "yes"}}, {}, "error_type", {}),
    ("flow-bad-choice", FLOW, {"f1": {"has": "maybe"}}, {}, "error_choice", {}),
    ("flow-bool", FLOW, {"f1": {"agreement": True}}, {}, "error_choice", {}),
    # a contribution is not an answer
    ("contribution", CONTRIBUTION, {"id": "c-1"}, {}, "error_type", {}),
]


@pytest.mark.parametrize(
    ("question", "value", "options", "key", "values"),
    [case[1:] for case in INVALID],
    ids=[case[0] for case in INVALID],
)
def test_invalid_answer_is_refused_with_its_message_key(question, value, options, key, values):
    """Is an invalid answer refused with the right i18n key (and values), one that reads
    well in Dutch and English?"""
    with pytest.raises(AnswerError) as caught:
        clean_answer(question, value, **options)
    assert caught.value.key == key
    assert caught.value.values == values
    for lang in LANGUAGES:
        message = t(caught.value.key, lang, **caught.value.values)
        assert message and "{" not in message


def _keys_in_source(*patterns: str) -> set[str]:
    keys = set()
    for pattern in patterns:
        for path in ROOT.glob(pattern):
            keys |= set(re.findall(r'AnswerError\(\s*"(\w+)"', path.read_text()))
    return keys


def test_every_error_key_has_dutch_and_english_text():
    """Does every message key the answer checks can raise exist in STRINGS in nl and en?"""
    used = _keys_in_source("toolkit/content/*.py", "toolkit/questions/*.py")
    tested = {case[4] for case in INVALID} | {"error_same_org"}
    assert tested <= used  # the scan sees the keys the cases raise
    assert len(used) >= 7
    for key in sorted(used):
        assert key in STRINGS, key
        for lang in LANGUAGES:
            assert STRINGS[key].get(lang, "").strip(), (key, lang)


def test_clean_text_is_used_as_documented():
    """Does clean_text trim, normalise and keep ordinary characters (accents, emoji)?"""
    assert clean_text("  Café ☕ \n", 20) == "Café ☕"
    with pytest.raises(AnswerError) as caught:
        clean_text("x" * 11, 10)
    assert caught.value.values == {"length": 11, "limit": 10}


# --- raci rules and need keys ---------------------------------------------------------------


def test_raci_problems_names_each_broken_rule():
    """Does raci_problems report no_a, many_a and no_r per task, and nothing for good or
    unanswered tasks?"""
    value = {
        "t1": {"board": "R", "ict": "C"},  # no A
        "t2": {"board": "A", "ict": "A", "im": "R"},  # two A's
        "t3": {"board": "A", "ict": "C", "im": "I"},  # no R
        "t4": {"board": "A", "ict": "R", "im": "R"},  # fine
    }  # t5 unanswered
    assert raci_problems(RACI, value) == {"t1": "no_a", "t2": "many_a", "t3": "no_r"}
    assert raci_problems(RACI, {"t4": value["t4"]}) == {}
    assert raci_problems(RACI, {}) == {}


@pytest.mark.parametrize(
    "variant",
    ["Meer tijd", "meer tijd", "MEER TIJD", "  Meer   tijd ", "Meer\ttijd\n", "meer\u00a0tijd"],
)
def test_need_key_ignores_case_and_spacing(variant):
    """Do texts that differ only in capitals or spaces get the same need key?"""
    assert need_key(variant) == need_key("Meer tijd")


def test_need_key_tells_different_texts_apart():
    """Do different texts get different keys, and do keys look like 'n-' plus 12 hex digits?"""
    keys = {need_key(text) for text in ("Meer tijd", "Meer geld", "Meer tijden", "Minder tijd")}
    assert len(keys) == 4
    assert all(re.fullmatch(r"n-[0-9a-f]{12}", key) for key in keys)
    assert need_key("Noe\u0308lle") == need_key("No\u00eblle")  # same text after NFC


# --- map additions ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def vocab():
    return default_vocabulary()


def test_clean_organisation_normalises_a_good_addition(vocab):
    """Is a good organisation kept with a trimmed name, a default type and sorted sectors?"""
    cleaned = clean_organisation(
        {"id": "c-1", "name": " Coöperatie X ", "sectors": ["vo", "po", "po"]}, vocab
    )
    assert cleaned == {
        "id": "c-1",
        "name": "Coöperatie X",
        "type": "other",
        "sectors": ["po", "vo"],
    }
    assert (
        clean_organisation({"id": "c-2", "name": "N" * NAME_LIMIT, "type": "network"}, vocab)[
            "sectors"
        ]
        == []
    )


BAD_ORGANISATIONS = [
    ("unknown-type", {"id": "c-1", "name": "X", "type": "bank"}, "error_choice"),
    ("unknown-sector", {"id": "c-1", "name": "X", "sectors": ["po", "hbo"]}, "error_choice"),
    ("sectors-not-a-list", {"id": "c-1", "name": "X", "sectors": "po"}, "error_choice"),
    ("sectors-nested", {"id": "c-1", "name": "X", "sectors": [["po"]]}, "error_choice"),
    ("id-without-prefix", {"id": "kennisnet", "name": "X"}, "error_type"),
    ("id-missing", {"name": "X"}, "error_type"),
    ("id-too-long", {"id": "c-" + "x" * 39, "name": "X"}, "error_type"),
    ("name-too-long", {"id": "c-1", "name": "N" * (NAME_LIMIT + 1)}, "error_too_long"),
    ("name-empty", {"id": "c-1", "name": "   "}, "error_empty"),
    ("name-missing", {"id": "c-1"}, "error_type"),
]


@pytest.mark.parametrize(
    ("payload", "key"), [c[1:] for c in BAD_ORGANISATIONS], ids=[c[0] for c in BAD_ORGANISATIONS]
)
def test_clean_organisation_refuses_bad_additions(vocab, payload, key):
    """Is a bad organisation addition refused with the right message key?"""
    with pytest.raises(AnswerError) as caught:
        clean_organisation(payload, vocab)
    assert caught.value.key == key


KNOWN = {"kennisnet", "sivon", "c-1"}


def test_clean_relation_keeps_a_good_relation(vocab):
    """Is a relation between two known organisations kept, with related_to as default?"""
    assert clean_relation(
        {"source": "c-1", "target": "sivon", "relation": "funds"}, KNOWN, vocab
    ) == {"source": "c-1", "target": "sivon", "relation": "funds"}
    assert (
        clean_relation({"source": "kennisnet", "target": "sivon"}, KNOWN, vocab)["relation"]
        == "related_to"
    )


BAD_RELATIONS = [
    ("same-org", {"source": "sivon", "target": "sivon"}, "error_same_org"),
    ("unknown-source", {"source": "nope", "target": "sivon"}, "error_choice"),
    ("unknown-target", {"source": "sivon", "target": "c-9"}, "error_choice"),
    ("missing-target", {"source": "sivon"}, "error_choice"),
    ("source-a-list", {"source": ["sivon"], "target": "c-1"}, "error_choice"),
    ("unknown-type", {"source": "sivon", "target": "c-1", "relation": "owns"}, "error_choice"),
]


@pytest.mark.parametrize(
    ("payload", "key"), [c[1:] for c in BAD_RELATIONS], ids=[c[0] for c in BAD_RELATIONS]
)
def test_clean_relation_refuses_bad_relations(vocab, payload, key):
    """Is a bad relation refused with the right message key?"""
    with pytest.raises(AnswerError) as caught:
        clean_relation(payload, KNOWN, vocab)
    assert caught.value.key == key


def _org(org_id: str, name: str) -> dict:
    return {
        "id": org_id,
        "name": name,
        "type": "other",
        "sectors": [],
        "description_nl": "",
        "description_en": "",
        "url": "",
        "source": "",
    }


@pytest.fixture
def base() -> StakeholderData:
    return StakeholderData(
        organisations=[
            _org("kennisnet", "Kennisnet"),
            _org("sivon", "SIVON"),
            _org("surf", "SURF"),
        ],
        relations=[
            {
                "source": "kennisnet",
                "target": "sivon",
                "relation": "collaborates_with",
                "since": "",
                "description": "",
                "source_url": "",
                "confidence": "high",
            }
        ],
    )


_ids = iter(range(1, 10_000))


def contribution(kind: str, payload: dict, *, hidden: bool = False, who: str = "Uil"):
    number = next(_ids)
    return Contribution(
        number, f"u{number}", 1, who, kind, payload, hidden, datetime(2024, 1, 1, tzinfo=UTC)
    )


def org(org_id, name, **kw):
    return contribution(
        "organisation", {"id": org_id, "name": name, "type": "network", "sectors": ["po"]}, **kw
    )


def rel(source, target, relation="supports", **kw):
    return contribution(
        "relation", {"source": source, "target": target, "relation": relation}, **kw
    )


@pytest.fixture
def contributions():
    return [
        org("c-1", "Regionaal netwerk Noord", who="Uil"),
        org("c-2", "kennisnet", who="Vos"),  # same name as an existing organisation
        org("c-3", "  regionaal   NETWERK noord", who="Das"),  # same as c-1
        org("c-4", "Geheim netwerk", hidden=True),
        rel("c-1", "kennisnet", "member_of"),
        rel("c-1", "kennisnet", "member_of"),  # the same again
        rel("c-2", "surf"),  # follows c-2 -> kennisnet
        rel("c-3", "sivon"),  # follows c-3 -> c-1
        rel("c-2", "sivon", "collaborates_with"),  # already in the dataset (after merging)
        rel("c-2", "kennisnet"),  # becomes kennisnet -> kennisnet
        rel("c-1", "c-404"),  # to an unknown organisation
        rel("c-4", "kennisnet"),  # from a hidden organisation
        rel("c-1", "surf", "funds", hidden=True),  # hidden itself
    ]


def triples(data: StakeholderData, contributed: bool) -> set[tuple[str, str, str]]:
    return {
        (r["source"], r["target"], r["relation"])
        for r in data.relations
        if bool(r.get("contributed")) == contributed
    }


def test_merge_contributions_adds_visible_additions(base, contributions):
    """Are visible additions merged: same names onto existing ids, relations following them,
    unknown, duplicate and self relations dropped, new rows marked contributed?"""
    merged = merge_contributions(base, contributions)
    added = [o for o in merged.organisations if o.get("contributed")]
    assert [(o["id"], o["name"], o["added_by"]) for o in added] == [
        ("c-1", "Regionaal netwerk Noord", "Uil")
    ]
    assert [o["id"] for o in merged.organisations if not o.get("contributed")] == [
        "kennisnet",
        "sivon",
        "surf",
    ]
    assert [o["name"].casefold() for o in merged.organisations].count("kennisnet") == 1
    assert triples(merged, contributed=True) == {
        ("c-1", "kennisnet", "member_of"),
        ("kennisnet", "surf", "supports"),
        ("c-1", "sivon", "supports"),
    }
    assert triples(merged, contributed=False) == {("kennisnet", "sivon", "collaborates_with")}
    assert len(merged.relations) == 4
    assert all(r["confidence"] == "low" for r in merged.relations if r.get("contributed"))
    # the dataset itself is not changed
    assert len(base.organisations) == 3 and len(base.relations) == 1
    assert not any(o.get("contributed") for o in base.organisations)


def test_merge_contributions_can_include_hidden_ones(base, contributions):
    """With include_hidden, do hidden organisations and relations appear too?"""
    merged = merge_contributions(base, contributions, include_hidden=True)
    assert {o["id"] for o in merged.organisations if o.get("contributed")} == {"c-1", "c-4"}
    assert {("c-4", "kennisnet", "supports"), ("c-1", "surf", "funds")} <= triples(
        merged, contributed=True
    )


def test_merge_without_contributions_is_the_dataset(base):
    """Does merging nothing give the same organisations and relations?"""
    merged = merge_contributions(base, [])
    assert merged.organisations == base.organisations
    assert merged.relations == base.relations
