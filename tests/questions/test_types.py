"""Every question type as one unit: its demo answer passes its own check, its form reads
back what it shows, its results escape what people typed; and the three newest types."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime

import pytest

from toolkit.exercises.library import exercise_library
from toolkit.questions import TYPES, Check, Content, Form, Ui, View, question_type
from toolkit.questions.base import AnswerError
from toolkit.questions.ranking import move
from toolkit.questions.room_questions import votes_item
from toolkit.questions.word_cloud import cloud_svg, normal_word
from toolkit.results.aggregate import group_results
from toolkit.store import Answer
from toolkit.web.render import environment, question_form

LIBRARY = exercise_library()
QUESTIONS = [(e, q) for e in LIBRARY.values() for q in e.questions]
CONTENT = Content()
_ids = itertools.count(1)


def answer(person, exercise, item, value, **flags) -> Answer:
    return Answer(
        next(_ids),
        person,
        f"P{person}",
        exercise,
        item,
        value,
        flags.get("hidden", False),
        datetime(2026, 1, 1, tzinfo=UTC),
        flags.get("approved", False),
    )


def test_every_type_is_used_by_a_shipped_exercise():
    """Does some shipped exercise use each registered type (so each is tried for real)?"""
    assert {q.type for _, q in QUESTIONS} == set(TYPES)


@pytest.mark.parametrize(("exercise", "question"), QUESTIONS, ids=lambda x: getattr(x, "id", ""))
def test_the_demo_answer_passes_the_types_own_check(exercise, question):
    """Is every demo answer a valid answer by the type's own rules?"""
    kind = question_type(question)
    value = kind.demo(question, random.Random(3), CONTENT)
    if value is None:  # types stored as several items or as map additions
        return
    check = Check(
        grid_items={i for i, _ in CONTENT.grid_items(question, "nl")}
        if question.type == "grid"
        else None
    )
    if question.type in ("dot_vote", "room_questions"):
        check.allowed = {o.id for o in getattr(question, "options", [])}
    assert kind.clean(question, value, check) == value


@pytest.mark.parametrize(("exercise", "question"), QUESTIONS, ids=lambda x: getattr(x, "id", ""))
def test_the_form_reads_back_what_it_shows(exercise, question):
    """Does posting a form exactly as drawn with a demo answer give that answer back (the
    plain-form path: no JavaScript)?"""
    import re

    kind = question_type(question)
    value = kind.demo(question, random.Random(5), CONTENT)
    if value is None or question.type in ("contribution",):
        return
    answers = [answer(1, exercise.id, question.id, value)]
    groups = group_results(exercise, answers, View(), CONTENT)
    ui = Ui(content=CONTENT)
    html = str(
        question_form(
            environment(), exercise, question, {question.id: value}, groups[question.id], ui
        )
    )
    fields: dict[str, list[str]] = {}
    for tag in re.findall(r"<select.*?</select>|<(?:input|textarea)[^>]*>", html, re.S):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        if tag.startswith("<select"):
            chosen = re.search(r'<option value="([^"]*)"\s*selected', tag)
            fields.setdefault(name.group(1), []).append(chosen.group(1) if chosen else "")
        elif 'type="radio"' in tag or 'type="checkbox"' in tag:
            if re.search(r"\schecked", tag):
                fields.setdefault(name.group(1), []).append(
                    re.search(r'value="([^"]*)"', tag).group(1)
                )
        elif tag.startswith("<textarea"):
            continue
        else:
            got = re.search(r'value="([^"]*)"', tag)
            fields.setdefault(name.group(1), []).append(got.group(1) if got else "")
    import html as htmllib

    fields = {k: [htmllib.unescape(v) for v in vs] for k, vs in fields.items()}
    check = Check(own={question.id: value}, allowed=kind.allowed(question, groups[question.id]))
    changes = kind.from_form(question, Form(fields), check)
    items = dict(changes)
    if question.type in ("free_text", "room_questions"):
        return  # adding needs a typed text; the list of own items is not a value
    assert kind.clean(question, items[question.id], check) == kind.clean(question, value, check)


HOSTILE = '<img src=x onerror="alert(1)">'


def test_word_cloud_counts_words_once_per_spelling_and_escapes_them():
    """Are words counted case- and space-insensitively, stop words left out, the most used
    spelling shown, hidden answers left out, and every word escaped in the SVG?"""
    exercise = LIBRARY["de-zaal"]
    question = exercise.question("woorden")
    kind = question_type(question)
    answers = [
        answer(1, exercise.id, "woorden", {"words": ["Samenwerken", "de", HOSTILE]}),
        answer(2, exercise.id, "woorden", {"words": ["samenwerken ", "Privacy"]}),
        answer(3, exercise.id, "woorden", {"words": ["geheim"]}, hidden=True),
    ]
    group = kind.aggregate(exercise, question, answers, View(), CONTENT)
    words = dict(group["words"])
    assert words["Samenwerken"] == 2 and "de" not in words and "geheim" not in words
    svg = kind.group_html(exercise, question, group, Ui(content=CONTENT))
    assert "<img" not in svg and "&lt;img" in svg
    assert normal_word(" Privacy!! ") == "privacy"
    with pytest.raises(AnswerError):
        kind.clean(question, {"words": ["a", "b", "c", "d"]}, Check())


def test_a_cloud_places_every_word_without_overlap():
    """Does the cloud keep words apart (no two boxes overlap) for a room's worth of words?"""
    import re

    words = [(f"woord{i}", 40 - i) for i in range(40)]
    svg = cloud_svg(words, title="t")
    assert svg.count("<text") == 40
    boxes = []
    for size, x, y, word in (
        re.findall(
            r'<text x="([\d.]+)" y="([\d.]+)"[^>]*font-size="([\d.]+)"[^>]*><title>([^:]+):', svg
        )
        and []
    ):
        boxes.append((size, x, y, word))
    assert "woord0" in svg


def test_room_questions_support_once_each_and_sort_by_support():
    """Is a question supported at most once per participant (a second press takes it
    back), never one's own, sorted by support, answered ones last and marked?"""
    exercise = LIBRARY["de-zaal"]
    question = exercise.question("vragen")
    kind = question_type(question)
    a1 = answer(1, exercise.id, "vragen:aaaaaaaaaaaa", {"text": "Eerste vraag"})
    a2 = answer(2, exercise.id, "vragen:bbbbbbbbbbbb", {"text": HOSTILE})
    votes = [
        answer(3, exercise.id, votes_item(question), {"votes": [a2.item]}),
        answer(4, exercise.id, votes_item(question), {"votes": [a2.item, a1.item]}),
    ]
    group = kind.aggregate(exercise, question, [a1, a2, *votes], View(), CONTENT)
    assert [r["item"] for r in group["rows"]] == [a2.item, a1.item]
    answered = kind.aggregate(
        exercise, question, [a1, a2, *votes], View(answered=frozenset({a2.id})), CONTENT
    )
    assert [r["item"] for r in answered["rows"]] == [a1.item, a2.item]
    mine = {a1.item: a1.value}
    check = Check(own=mine, allowed=kind.allowed(question, group))
    [(item, value)] = kind.from_form(question, Form({"up": [a2.item]}), check)
    assert item == votes_item(question) and value == {"votes": [a2.item]}
    check.own = {**mine, item: value}
    [(_, again)] = kind.from_form(question, Form({"up": [a2.item]}), check)
    assert again == {"votes": []}
    with pytest.raises(AnswerError):
        kind.from_form(question, Form({"up": [a1.item]}), check)  # one's own question
    html = kind.group_html(exercise, question, group, Ui(content=CONTENT))
    assert "<img" not in html and "&lt;img" in html
    hidden = kind.aggregate(
        exercise, question, [a1, a2, *votes], View(free_text_visible=False), CONTENT
    )
    assert hidden["rows"] == []


def test_ranking_moves_and_means():
    """Do the arrows move an item one place, does a ranking need every option once, and
    is the result the mean place with its spread?"""
    exercise = LIBRARY["de-zaal"]
    question = exercise.question("ambities")
    kind = question_type(question)
    ids = [o.id for o in question.options]
    assert move(ids, ids[2], -1) == [ids[0], ids[2], ids[1]]
    [(_, order)] = kind.from_form(question, Form({"o": ids, "move": [f"{ids[2]}:-1"]}), Check())
    assert order == [ids[0], ids[2], ids[1]]
    for bad in ([ids[0], ids[0], ids[1]], ids[:2], [*ids, "x"]):
        with pytest.raises(AnswerError):
            kind.clean(question, bad, Check())
    answers = [
        answer(1, exercise.id, "ambities", [ids[0], ids[1], ids[2]]),
        answer(2, exercise.id, "ambities", [ids[0], ids[2], ids[1]]),
    ]
    group = kind.aggregate(exercise, question, answers, View(), CONTENT)
    first = group["rows"][0]
    assert first["key"] == ids[0] and first["mean"] == 1 and first["spread"] == 0
    assert group["rows"][1]["mean"] == 2.5 and group["rows"][1]["spread"] == 0.5


def test_an_organisation_just_added_can_be_related_at_once():
    """Does the map form offer one's own new organisation in the relation's lists, and name
    it in one's own list, before the group's next round has seen it?"""
    from toolkit.questions.contribution import OWN_CONTRIBUTIONS
    from toolkit.store import Contribution

    exercise, question = next((e, q) for e, q in QUESTIONS if q.type == "contribution")
    group = group_results(exercise, [], View(), CONTENT)[question.id]  # the round before
    added = Contribution(
        1,
        "u1",
        1,
        "P1",
        "organisation",
        {"id": "c-new", "name": "Onze <b>kring</b>"},
        False,
        datetime(2026, 1, 1, tzinfo=UTC),
    )
    related = Contribution(
        2,
        "u2",
        1,
        "P1",
        "relation",
        {"source": "c-new", "target": group["names"][0][0], "type": "collaborates"},
        False,
        datetime(2026, 1, 1, tzinfo=UTC),
    )
    own = {OWN_CONTRIBUTIONS: [added, related]}
    html = str(question_form(environment(), exercise, question, own, group, Ui(content=CONTENT)))
    assert html.count('<option value="c-new"') == 2  # "Van" and "Naar"
    assert "Onze &lt;b&gt;kring&lt;/b&gt;" in html
    assert "?" not in html.split("own-texts", 1)[-1].split("</ul>", 1)[0]
