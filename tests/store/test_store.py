"""The durable store, on a real SQLite file and a real PostgreSQL database.

Sessions, participants, answers and contributions; many writers at once; answers that
survive ``kill -9``; schema creation, upgrade and refusal; purging; a locked database.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import traceback
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, inspect, select, text, update
from sqlalchemy.engine import make_url

import toolkit.store.engine as store_engine
from toolkit.store import (
    SCHEMA_VERSION,
    NotAllowed,
    SchemaError,
    Store,
    StoreUnavailable,
)
from toolkit.store.schema import answers as answers_table
from toolkit.store.schema import contributions as contributions_table
from toolkit.store.schema import meta as meta_table
from toolkit.store.schema import metadata
from toolkit.store.schema import participants as participants_table
from toolkit.store.schema import sessions as sessions_table
from toolkit.store.store import CODE_ALPHABET, MAX_VALUE_BYTES

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_V1 = ROOT / "tests" / "data" / "schema_v1.sql"


# --- helpers ----------------------------------------------------------------------------------
def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path:
    return Path(make_url(url).database)


def count(store: Store, table, **where) -> int:
    query = select(func.count()).select_from(table)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    with store.engine.connect() as conn:
        return conn.execute(query).scalar_one()


def schema_version(url: str) -> str:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(
                select(meta_table.c.value).where(meta_table.c.key == "schema_version")
            ).scalar_one()
    finally:
        engine.dispose()


def table_names(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return set(inspect(conn).get_table_names())
    finally:
        engine.dispose()


def run_sql(url: str, script: str) -> None:
    """Run a script of plain statements (no parameters) in one transaction."""
    if is_sqlite(url):
        conn = sqlite3.connect(sqlite_path(url))
        try:
            conn.executescript(script)
            conn.commit()
        finally:
            conn.close()
        return
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(script)
    finally:
        engine.dispose()


def load_schema_v1(url: str) -> None:
    """Write tests/data/schema_v1.sql into an empty database, as toolkit 1 would have."""
    script = SCHEMA_V1.read_text(encoding="utf-8")
    if not is_sqlite(url):
        # Version 1 on PostgreSQL had SERIAL ids (SQLAlchemy's Integer primary key there).
        script = script.replace("id INTEGER PRIMARY KEY", "id SERIAL PRIMARY KEY")
        script += "".join(
            f"\nSELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM {t}));"
            for t in ("sessions", "participants", "answers", "contributions")
        )
    run_sql(url, script)


def files_of(path: Path) -> dict[str, bytes]:
    """The database file and every companion (-wal, -shm, -journal) that exists."""
    return {
        p.name: p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")) if p.is_file()
    }


# How long a test waits for processes it started before calling it a hang. Generous: 50
# Python processes starting on two cores busy with other work take minutes, not seconds;
# no assertion depends on how long anything took.
PATIENCE = 900


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


# --- 1. sessions ------------------------------------------------------------------------------
def test_create_session_gives_a_six_character_code_from_the_alphabet(store):
    """Does a new session get a fresh 6-character join code drawn from CODE_ALPHABET,
    and keep the title, organiser, language and open exercises it was made with?"""
    made = [
        store.create_session(f"Sessie {i}", lang="en", organiser="Noëlle", exercises=["needs"])
        for i in range(25)
    ]
    for session in made:
        assert len(session.code) == 6
        assert set(session.code) <= set(CODE_ALPHABET)
    assert len({s.code for s in made}) == len(made)
    first = made[0]
    assert (first.title, first.organiser, first.lang) == ("Sessie 0", "Noëlle", "en")
    assert first.open_exercises == ("needs",)
    assert first.is_open("needs") and not first.is_open("map")
    assert first.results_visible is True
    assert first.free_text_visible is False
    assert isinstance(first.created_at, datetime)


def test_get_session_ignores_case_and_surrounding_space(store):
    """Is a session found by its code typed in lower case or with spaces around it?"""
    session = store.create_session("Hoofdletters")
    for typed in (session.code, session.code.lower(), f"  {session.code.lower()} "):
        found = store.get_session(typed)
        assert found is not None and found.id == session.id
    assert store.session_by_id(session.id) == session


@pytest.mark.parametrize("code", ["ZZZZZZ", "", None, "   ", "A" * 13, "'; DROP TABLE sessions"])
def test_unknown_code_gives_none(store, code):
    """Does an unknown, empty or absurd join code give None instead of an error?"""
    store.create_session("Bestaat")
    assert store.get_session(code) is None
    assert count(store, sessions_table) == 1


def test_list_sessions_is_newest_first(store):
    """Does list_sessions give every session, the newest first?"""
    made = []
    for title in ("eerste", "tweede", "derde"):
        made.append(store.create_session(title))
    listed = store.list_sessions()
    assert [s.id for s in listed] == [s.id for s in reversed(made)]
    assert [s.title for s in listed] == ["derde", "tweede", "eerste"]


def test_update_session_changes_and_persists_the_settings(store, store_url):
    """Are open_exercises, results_visible and free_text_visible changed, returned and
    still there for another connection to the same database?"""
    session = store.create_session("Instellingen")
    other = store.create_session("Ander")
    updated = store.update_session(
        session.id,
        open_exercises=["needs", "map"],
        results_visible=False,
        free_text_visible=True,
    )
    assert updated.open_exercises == ("needs", "map")
    assert updated.results_visible is False
    assert updated.free_text_visible is True
    second = Store.open(store_url)
    try:
        again = second.get_session(session.code)
    finally:
        second.close()
    assert again == updated
    assert store.session_by_id(other.id) == other  # the other session is untouched
    closed = store.update_session(session.id, open_exercises=[])
    assert closed.open_exercises == () and not closed.is_open("needs")


def test_update_session_refuses_unknown_fields(store):
    """Is a change to a field that may not be changed (the code, the id) refused?"""
    session = store.create_session("Vast")
    with pytest.raises(NotAllowed, match="code"):
        store.update_session(session.id, code="AAAAAA")
    assert store.get_session(session.code) == session


@pytest.mark.parametrize("lang", ["de", "NL", "", "nld", None])
def test_invalid_language_is_refused(store, lang):
    """Is a language other than 'nl' or 'en' refused with NotAllowed, both when a
    session is created and when it is changed, and is nothing stored?"""
    with pytest.raises(NotAllowed):
        store.create_session("Taal", lang=lang)
    assert store.list_sessions() == []
    session = store.create_session("Taal", lang="en")
    with pytest.raises(NotAllowed):
        store.update_session(session.id, lang=lang)
    assert store.get_session(session.code).lang == "en"


# --- 2. participants --------------------------------------------------------------------------
def test_join_returns_a_token_that_resumes(store):
    """Does join return the participant and a secret token with which they can resume,
    also when the code is typed in lower case?"""
    session = store.create_session("Deelnemen")
    person, token = store.join(session.code, "Vrolijke Vos")
    assert isinstance(token, str) and len(token) >= 24
    assert person.session_id == session.id and person.pseudonym == "Vrolijke Vos"
    for code in (session.code, session.code.lower()):
        assert store.resume(code, token) == person
    other, other_token = store.join(session.code, "Stille Uil")
    assert other_token != token and other.id != person.id
    assert store.resume(session.code, other_token) == other


def test_join_unknown_session_is_refused(store):
    """Is joining a session that does not exist refused, and is nobody added?"""
    with pytest.raises(NotAllowed):
        store.join("ZZZZZZ", "Verdwaald")
    assert count(store, participants_table) == 0


def test_wrong_or_forged_token_does_not_resume(store):
    """Does a wrong, altered, empty, over-long token, or the stored hash itself, give None?"""
    session = store.create_session("Tokens")
    person, token = store.join(session.code, "Echte Eend")
    forged = [
        "",
        None,
        "x" * len(token),
        token[:-1] + ("A" if token[-1] != "A" else "B"),
        token.upper() if token.upper() != token else token.lower(),
        token + " ",
        " " + token,
        token * 5,
        hashlib.sha256(token.encode()).hexdigest(),  # what the database holds
        str(person.id),
    ]
    for attempt in forged:
        assert store.resume(session.code, attempt) is None, attempt
    assert store.resume("ZZZZZZ", token) is None
    assert store.resume(session.code, token) == person


def test_token_of_another_session_does_not_resume(store):
    """Does a valid token give None in a session it was not issued for?"""
    first = store.create_session("Eerste")
    second = store.create_session("Tweede")
    person, token = store.join(first.code, "Reiziger")
    assert store.resume(second.code, token) is None
    assert store.resume(first.code, token) == person


def test_only_the_hash_of_the_token_is_stored(store):
    """Is the resume token itself nowhere in the database, only its SHA-256?"""
    session = store.create_session("Geheim")
    people = [store.join(session.code, name) for name in ("Anna", "Bram", "Cas")]
    store.save_answer(people[0][0], "needs", "q1", {"text": "iets"})
    with store.engine.connect() as conn:
        rows = conn.execute(select(participants_table)).mappings().all()
        everything = {
            table.name: conn.execute(select(table)).all() for table in metadata.sorted_tables
        }
    assert len(rows) == 3
    by_id = {row["id"]: row for row in rows}
    for person, token in people:
        row = by_id[person.id]
        assert row["token_hash"] == hashlib.sha256(token.encode("utf-8")).hexdigest()
        for column, value in row.items():
            assert token not in str(value), f"token in participants.{column}"
        for table, table_rows in everything.items():
            for table_row in table_rows:
                assert all(token not in str(value) for value in table_row), table


def test_rename_changes_the_pseudonym_everywhere(store):
    """Does rename change the pseudonym that resume and the answers show, cut to 60
    characters, and leave the token working?"""
    session = store.create_session("Namen")
    person, token = store.join(session.code, "Oude Naam")
    store.save_answer(person, "needs", "q1", "antwoord")
    renamed = store.rename(person, "Nieuwe Naam")
    assert renamed.id == person.id and renamed.pseudonym == "Nieuwe Naam"
    assert store.resume(session.code, token).pseudonym == "Nieuwe Naam"
    assert [a.pseudonym for a in store.answers(session.id)] == ["Nieuwe Naam"]
    long = store.rename(person, "Ë" * 80)
    assert long.pseudonym == "Ë" * 60
    assert store.resume(session.code, token).pseudonym == "Ë" * 60


def test_participant_counts_joined_and_active(store):
    """Does participant_counts count everyone who joined, and as active only those seen
    in the last two minutes, per session?"""
    session = store.create_session("Tellen")
    other = store.create_session("Anders")
    assert store.participant_counts(session.id) == {"joined": 0, "active": 0}
    people = [store.join(session.code, f"P{i}")[0] for i in range(4)]
    store.join(other.code, "Elders")
    assert store.participant_counts(session.id) == {"joined": 4, "active": 4}
    long_ago = datetime.now(UTC) - timedelta(minutes=10)
    with store.engine.begin() as conn:
        conn.execute(
            update(participants_table)
            .where(participants_table.c.id.in_([people[0].id, people[1].id]))
            .values(last_seen_at=long_ago)
        )
    assert store.participant_counts(session.id) == {"joined": 4, "active": 2}
    store.touch(people[0])
    assert store.participant_counts(session.id) == {"joined": 4, "active": 3}
    store.save_answer(people[1], "needs", "q1", 1)  # saving counts as being seen
    assert store.participant_counts(session.id) == {"joined": 4, "active": 4}
    assert store.participant_counts(other.id) == {"joined": 1, "active": 1}


# --- 3. answers -------------------------------------------------------------------------------
@pytest.fixture
def two_people(store):
    session = store.create_session("Antwoorden", exercises=["needs", "map"])
    anna, _ = store.join(session.code, "Anna")
    bram, _ = store.join(session.code, "Bram")
    return session, anna, bram


def test_save_answer_is_idempotent_and_replaces(store, two_people):
    """Does retrying the same save leave one row, and does a new value replace the old
    one in that same row with a later updated_at?"""
    session, anna, _ = two_people
    for _ in range(3):
        store.save_answer(anna, "needs", "q1", {"text": "meer tijd"})
    saved = store.answers(session.id)
    assert len(saved) == 1 and saved[0].value == {"text": "meer tijd"}
    assert count(store, answers_table) == 1
    time.sleep(0.02)
    store.save_answer(anna, "needs", "q1", {"text": "minder vergaderen"})
    replaced = store.answers(session.id)
    assert len(replaced) == 1
    assert replaced[0].id == saved[0].id
    assert replaced[0].value == {"text": "minder vergaderen"}
    assert replaced[0].updated_at > saved[0].updated_at
    assert count(store, answers_table) == 1


def test_answers_filter_by_exercise_and_participant(store, two_people):
    """Does answers() give a session's answers, narrowed by exercise, by participant,
    or by both, and never another session's?"""
    session, anna, bram = two_people
    elsewhere = store.create_session("Elders")
    carl, _ = store.join(elsewhere.code, "Carl")
    store.save_answer(anna, "needs", "q1", "a-needs-1")
    store.save_answer(anna, "needs", "q2", "a-needs-2")
    store.save_answer(anna, "map", "q1", "a-map-1")
    store.save_answer(bram, "needs", "q1", "b-needs-1")
    store.save_answer(carl, "needs", "q1", "c-needs-1")

    def values(**kwargs):
        return sorted(a.value for a in store.answers(session.id, **kwargs))

    assert values() == ["a-map-1", "a-needs-1", "a-needs-2", "b-needs-1"]
    assert values(exercise="needs") == ["a-needs-1", "a-needs-2", "b-needs-1"]
    assert values(exercise="map") == ["a-map-1"]
    assert values(participant_id=bram.id) == ["b-needs-1"]
    assert values(exercise="needs", participant_id=anna.id) == ["a-needs-1", "a-needs-2"]
    assert values(exercise="nothing") == []
    assert values(participant_id=carl.id) == []
    assert [a.value for a in store.answers(elsewhere.id)] == ["c-needs-1"]
    first = store.answers(session.id, exercise="map")[0]
    assert (first.participant_id, first.pseudonym, first.exercise, first.item) == (
        anna.id,
        "Anna",
        "map",
        "q1",
    )
    assert first.hidden is False


ROUND_TRIP = [
    {"text": "Noëlle coöperatie", "score": 4, "tags": ["één", "twee"], "ok": True},
    ["Noëlle", "coöperatie", 1, 2.5, None, True, False, {"ë": []}],
    42,
    0,
    -7,
    "Noëlle coöperatie",
    "",
    "שלום \u200f(RTL-teken)\u200b nul-breedte\u200d verbinder \ufeff",
    "مرحبا \u202eomgekeerd\u202c \u2066isolaat\u2069",
    "tab\tregel\nnul\x00 emoji 👩🏽‍🏫",
    {"geneste": {"ë": ["\u200b", {"x": None}], "\u200f": "rtl-sleutel"}},
]


@pytest.mark.parametrize("value", ROUND_TRIP, ids=range(len(ROUND_TRIP)))
def test_json_values_round_trip_unchanged(store, two_people, value):
    """Does every JSON value (dict, list, number, text with diacritics, right-to-left
    and zero-width characters) come back exactly as it was saved?"""
    session, anna, _ = two_people
    store.save_answer(anna, "needs", "item-ë\u200b", value)
    (saved,) = store.answers(session.id)
    assert saved.value == value
    assert type(saved.value) is type(value)
    assert saved.item == "item-ë\u200b"
    assert json.dumps(saved.value, ensure_ascii=False) == json.dumps(value, ensure_ascii=False)


def test_answer_at_the_size_limit_is_stored(store, two_people):
    """Is an answer of exactly MAX_VALUE_BYTES (encoded as JSON) still accepted?"""
    session, anna, _ = two_people
    value = "x" * (MAX_VALUE_BYTES - 2)  # plus the two quotes
    store.save_answer(anna, "needs", "q1", value)
    assert store.answers(session.id)[0].value == value


@pytest.mark.parametrize(
    "value",
    [
        "x" * MAX_VALUE_BYTES,
        "ë" * (MAX_VALUE_BYTES // 2),  # fewer characters than the limit, more bytes
        {"text": "y" * (MAX_VALUE_BYTES + 10)},
        ["z"] * MAX_VALUE_BYTES,
    ],
    ids=["ascii", "multibyte", "dict", "list"],
)
def test_too_large_answer_is_refused_and_nothing_stored(store, two_people, value):
    """Is an answer larger than MAX_VALUE_BYTES refused with NotAllowed, leaving the
    earlier answer to that item as it was?"""
    session, anna, _ = two_people
    store.save_answer(anna, "needs", "q2", "klein")
    with pytest.raises(NotAllowed):
        store.save_answer(anna, "needs", "q1", value)
    with pytest.raises(NotAllowed):
        store.save_answer(anna, "needs", "q2", value)
    assert [(a.item, a.value) for a in store.answers(session.id)] == [("q2", "klein")]


@pytest.mark.parametrize(
    "exercise, item",
    [
        ("", "q1"),
        (None, "q1"),
        ("needs", ""),
        ("needs", None),
        ("e" * 65, "q1"),
        ("needs", "i" * 161),
    ],
    ids=["empty-exercise", "no-exercise", "empty-item", "no-item", "long-exercise", "long-item"],
)
def test_empty_or_unknown_exercise_or_item_is_refused(store, two_people, exercise, item):
    """Is an answer without an exercise or item (or with an absurdly long one) refused
    with NotAllowed and not stored?"""
    session, anna, _ = two_people
    with pytest.raises(NotAllowed):
        store.save_answer(anna, exercise, item, "waarde")
    assert store.answers(session.id) == []


def test_delete_answer_removes_only_ones_own(store, two_people):
    """Does delete_answer remove the participant's own answer and not another
    participant's answer to the same item?"""
    session, anna, bram = two_people
    store.save_answer(anna, "needs", "q1", "van Anna")
    store.save_answer(bram, "needs", "q1", "van Bram")
    store.save_answer(anna, "needs", "q2", "ook van Anna")
    store.delete_answer(bram, "needs", "q1")
    assert sorted(a.value for a in store.answers(session.id)) == ["ook van Anna", "van Anna"]
    store.delete_answer(bram, "needs", "q1")  # again: harmless
    store.delete_answer(anna, "needs", "q1")
    assert [a.value for a in store.answers(session.id)] == ["ook van Anna"]


def test_set_answer_hidden_only_within_its_session(store, two_people):
    """Does set_answer_hidden hide an answer only when given the answer's own session,
    and show it again on request?"""
    session, anna, _ = two_people
    elsewhere = store.create_session("Elders")
    store.save_answer(anna, "needs", "q1", "iets ongepasts")
    (answer,) = store.answers(session.id)
    store.set_answer_hidden(elsewhere.id, answer.id, True)
    assert store.answers(session.id)[0].hidden is False
    store.set_answer_hidden(session.id, answer.id, True)
    assert store.answers(session.id)[0].hidden is True
    store.set_answer_hidden(elsewhere.id, answer.id, False)
    assert store.answers(session.id)[0].hidden is True
    store.set_answer_hidden(session.id, answer.id, False)
    assert store.answers(session.id)[0].hidden is False


# --- 4. contributions -------------------------------------------------------------------------
def test_same_contribution_uid_twice_is_stored_once(store, two_people):
    """Does adding a contribution with the same uid twice (a retry) leave one row, the
    first one?"""
    session, anna, _ = two_people
    payload = {"name": "Stichting Coöperatie Noëlle", "type": "school"}
    store.add_contribution(anna, "uid-1", "organisation", payload)
    store.add_contribution(anna, "uid-1", "organisation", payload)
    store.add_contribution(anna, "uid-1", "organisation", {"name": "anders"})
    (saved,) = store.contributions(session.id)
    assert (saved.uid, saved.kind, saved.payload, saved.hidden) == (
        "uid-1",
        "organisation",
        payload,
        False,
    )
    assert (saved.participant_id, saved.pseudonym) == (anna.id, "Anna")
    store.add_contribution(anna, "uid-2", "relation", {"source": "a", "target": "b"})
    assert [c.uid for c in store.contributions(session.id)] == ["uid-1", "uid-2"]
    assert count(store, contributions_table) == 2


@pytest.mark.parametrize("kind", ["need", "", "Organisation", "relations", "answer"])
def test_other_contribution_kinds_are_refused(store, two_people, kind):
    """Is a contribution of a kind other than organisation or relation refused and not
    stored?"""
    session, anna, _ = two_people
    with pytest.raises(NotAllowed):
        store.add_contribution(anna, "uid-x", kind, {"name": "x"})
    assert store.contributions(session.id) == []


def test_contribution_can_be_removed_only_by_its_author(store, two_people):
    """Can a participant remove their own contribution but not someone else's?"""
    session, anna, bram = two_people
    store.add_contribution(anna, "uid-anna", "organisation", {"name": "Van Anna"})
    store.add_contribution(bram, "uid-bram", "organisation", {"name": "Van Bram"})
    store.remove_contribution(bram, "uid-anna")
    assert sorted(c.uid for c in store.contributions(session.id)) == ["uid-anna", "uid-bram"]
    store.remove_contribution(anna, "uid-anna")
    assert [c.uid for c in store.contributions(session.id)] == ["uid-bram"]
    assert [c.uid for c in store.contributions(session.id, participant_id=bram.id)] == ["uid-bram"]


def test_set_contribution_hidden_only_within_its_session(store, two_people):
    """Does set_contribution_hidden hide a contribution only with its own session id,
    and show it again?"""
    session, anna, _ = two_people
    elsewhere = store.create_session("Elders")
    store.add_contribution(anna, "uid-h", "relation", {"source": "a", "target": "b"})
    (contribution,) = store.contributions(session.id)
    store.set_contribution_hidden(elsewhere.id, contribution.id, True)
    assert store.contributions(session.id)[0].hidden is False
    store.set_contribution_hidden(session.id, contribution.id, True)
    assert store.contributions(session.id)[0].hidden is True
    store.set_contribution_hidden(session.id, contribution.id, False)
    assert store.contributions(session.id)[0].hidden is False


# --- 5. many writers at once -------------------------------------------------------------------
WRITERS = 50
ITEMS = 100
RETRIES = 10


def _writer(url, code, index, ready, go, results):
    """One Voila kernel: its own process and its own Store, writing as its own participant."""
    try:
        store = Store.open(url)
        person, _ = store.join(code, f"schrijver-{index:02d}")
        ready.put(("ready", index, person.id))
        if not go.wait(120):
            raise RuntimeError("never told to start")
        for i in range(ITEMS):
            store.save_answer(person, "load", f"item-{i:03d}", {"w": index, "i": i, "t": "ë"})
        for i in range(RETRIES):  # a kernel retrying calls it is not sure went through
            store.save_answer(person, "load", f"item-{i:03d}", {"w": index, "i": i, "t": "ë"})
        store.close()
        results.put(("done", index, person.id))
    except BaseException:
        failure = ("error", index, traceback.format_exc())
        ready.put(failure)  # whichever queue the test is waiting on
        results.put(failure)
        raise


def test_fifty_processes_writing_at_once_lose_and_double_nothing(store, store_url):
    """Do 50 processes, each with its own Store and participant, saving 100 answers and
    retrying 10 of them at the same time, leave exactly one row per (participant, item)?"""
    session = store.create_session("Drukte", exercises=["load"])
    context = multiprocessing.get_context("spawn")
    ready, results, go = context.Queue(), context.Queue(), context.Event()
    started = time.monotonic()
    processes = [
        context.Process(
            target=_writer, args=(store_url, session.code, i, ready, go, results), daemon=True
        )
        for i in range(WRITERS)
    ]
    try:
        for process in processes:
            process.start()
        people = {}
        for _ in range(WRITERS):
            state, index, person_id = ready.get(timeout=PATIENCE)
            assert state == "ready", person_id  # else: the writer's traceback
            people[index] = person_id
        spawned = time.monotonic() - started
        go.set()
        writing = time.monotonic()
        outcomes = [results.get(timeout=PATIENCE) for _ in range(WRITERS)]
        for process in processes:
            process.join(PATIENCE)
        written = time.monotonic() - writing
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
    errors = [o for o in outcomes if o[0] != "done"]
    assert errors == [], errors[0][2]
    assert [p.exitcode for p in processes] == [0] * WRITERS
    print(
        f"\n{make_url(store_url).get_backend_name()}: {WRITERS} processes started and joined "
        f"in {spawned:.1f} s, wrote {WRITERS * (ITEMS + RETRIES)} answers in {written:.1f} s"
    )

    saved = store.answers(session.id, exercise="load")
    assert len(saved) == WRITERS * ITEMS
    assert count(store, answers_table) == WRITERS * ITEMS
    pairs = [(a.participant_id, a.item) for a in saved]
    assert len(set(pairs)) == len(pairs)
    expected = {(people[w], f"item-{i:03d}") for w in range(WRITERS) for i in range(ITEMS)}
    assert set(pairs) == expected
    by_person = {person_id: index for index, person_id in people.items()}
    for answer in saved:
        assert answer.value == {
            "w": by_person[answer.participant_id],
            "i": int(answer.item[5:]),
            "t": "ë",
        }
    assert store.participant_counts(session.id)["joined"] == WRITERS


# --- 6. durability ----------------------------------------------------------------------------
CHILD = """
import sys
from toolkit.store import Store
url, code, token = sys.argv[1:4]
store = Store.open(url)
person = store.resume(code, token)
print("ready", flush=True)
for n in range(1_000_000):
    store.save_answer(person, "durable", f"n-{n:06d}", {"n": n, "tekst": "coöperatie"})
    print(f"ack {n}", flush=True)
"""


def test_acknowledged_answers_survive_kill_9(store, store_url):
    """Is every answer whose save_answer returned still there after the writing process
    is killed with SIGKILL in the middle of its work?"""
    session = store.create_session("Stroomuitval", exercises=["durable"])
    person, token = store.join(session.code, "Volhouder")
    store.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, store_url, session.code, token],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    lines: list[str] = []

    def read():
        for line in child.stdout:
            lines.append(line.strip())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        wait_for(
            lambda: sum(ln.startswith("ack ") for ln in lines) >= 200 or child.poll() is not None,
            60,
            "200 acknowledged answers",
        )
        assert child.poll() is None, child.stderr.read()
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
    reader.join(10)
    elapsed = time.monotonic() - started
    assert child.returncode == -signal.SIGKILL
    acked = [int(ln.split()[1]) for ln in lines if ln.startswith("ack ")]
    assert len(acked) >= 200
    assert acked == list(range(len(acked)))  # no gaps: each ack followed its own save
    print(
        f"\n{make_url(store_url).get_backend_name()}: {len(acked)} acknowledged saves before "
        f"kill -9, {elapsed:.1f} s"
    )

    reopened = Store.open(store_url)
    try:
        saved = {a.item: a.value for a in reopened.answers(session.id, "durable", person.id)}
        for n in acked:
            assert saved.get(f"n-{n:06d}") == {"n": n, "tekst": "coöperatie"}, n
        # at most the one save that was under way when the signal came is extra
        assert len(saved) in (len(acked), len(acked) + 1)
        # the store still works after the crash
        reopened.save_answer(person, "durable", "after", "weer heel")
        assert reopened.answers(session.id, "durable", person.id)[-1].value == "weer heel"
    finally:
        reopened.close()
    if is_sqlite(store_url):
        conn = sqlite3.connect(sqlite_path(store_url))
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        finally:
            conn.close()


# --- 7. schema --------------------------------------------------------------------------------
def test_fresh_database_gets_the_current_schema(store, store_url):
    """Does an empty database get every table and SCHEMA_VERSION in workshop_meta?"""
    assert schema_version(store_url) == str(SCHEMA_VERSION)
    assert SCHEMA_VERSION == 4
    assert table_names(store_url) == {t.name for t in metadata.sorted_tables}
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(meta_table)).scalar_one() == 1


@pytest.mark.parametrize("start", ["empty", "version 1"])
def test_sqlite_store_is_switched_to_wal(tmp_path, start):
    """Is a SQLite store, new or upgraded from an old rollback-journal file, in WAL mode
    once opened (so readers never block the writer)?"""
    url = f"sqlite:///{tmp_path / 'workshop.db'}"
    if start == "version 1":
        load_schema_v1(url)
    store = Store.open(url)
    try:
        with store.engine.connect() as conn:  # every store connection syncs each commit
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        store.close()
    conn = sqlite3.connect(sqlite_path(url))
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        conn.close()


def test_opening_twice_is_fine(store, store_url):
    """Can the same database be opened again (also while open) without losing data or
    changing the schema version?"""
    session = store.create_session("Twee keer")
    person, token = store.join(session.code, "Trouw")
    store.save_answer(person, "needs", "q1", "blijft")
    second = Store.open(store_url)
    third = Store.open(store_url)
    try:
        assert second.resume(session.code, token) == person
        assert [a.value for a in third.answers(session.id)] == ["blijft"]
        third.save_answer(person, "needs", "q2", "erbij")
        assert len(store.answers(session.id)) == 2
    finally:
        second.close()
        third.close()
    assert schema_version(store_url) == str(SCHEMA_VERSION)
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(meta_table)).scalar_one() == 1


def test_version_1_database_is_upgraded(store_url):
    """Is a database written by schema version 1 upgraded to the current version on
    opening: the new columns and tables present with their defaults, the old rows intact
    and usable?"""
    load_schema_v1(store_url)
    assert schema_version(store_url) == "1"
    store = Store.open(store_url)
    try:
        assert schema_version(store_url) == str(SCHEMA_VERSION)
        engine = create_engine(store_url)
        try:
            with engine.connect() as conn:
                columns = {
                    table: {c["name"] for c in inspect(conn).get_columns(table)}
                    for table in ("sessions", "answers", "participants", "contributions")
                }
                tables = set(inspect(conn).get_table_names())
        finally:
            engine.dispose()
        assert {"results_visible", "free_text_visible", "room"} <= columns["sessions"]
        assert {"hidden", "approved"} <= columns["answers"]
        assert "screen" in columns["participants"] and "approved" in columns["contributions"]
        assert "changes" in tables and "summaries" in tables

        old = store.get_session("oldaaa")
        assert (old.id, old.title, old.organiser, old.lang) == (
            1,
            "Werksessie coöperatie 2024",
            "Noëlle",
            "nl",
        )
        assert old.open_exercises == ("needs", "map")
        assert old.results_visible is True and old.free_text_visible is False
        assert old.room == {} and old.current_exercise == "" and old.follow is False
        assert old.created_at.replace(tzinfo=None) == datetime(2024, 3, 1, 9, 0)
        assert [s.code for s in store.list_sessions()] == ["OLDBBB", "OLDAAA"]

        vos = store.resume("OLDAAA", "v1-token-vos")
        assert (vos.id, vos.pseudonym, vos.screen) == (1, "Vrolijke Vos", "")
        assert store.resume("OLDAAA", "v1-token-beer") is None  # Beer is in the other one
        saved = store.answers(1)
        assert [(a.id, a.pseudonym, a.exercise, a.item, a.value, a.hidden) for a in saved] == [
            (1, "Vrolijke Vos", "needs", "q1", {"text": "meer tijd voor coöperatie"}, False),
            (2, "Stille Uil", "needs", "q1", "ja", False),
            (3, "Vrolijke Vos", "map", "rating", 4, False),
        ]
        assert [a.value for a in store.answers(2)] == [["a", "b"]]
        assert [(c.uid, c.kind, c.payload, c.hidden) for c in store.contributions(1)] == [
            ("uid-old-1", "organisation", {"name": "Stichting Oud"}, False),
            ("uid-old-2", "relation", {"source": "a", "target": "b"}, True),
        ]
        assert store.participant_counts(1) == {"joined": 2, "active": 0}

        # and it takes new writes like any store
        store.save_answer(vos, "needs", "q1", {"text": "bijgewerkt"})
        store.save_answer(vos, "needs", "q9", "nieuw")
        store.set_answer_hidden(1, 2, True)
        newcomer, token = store.join("OLDAAA", "Nieuwkomer")
        assert newcomer.id == 4 and store.resume("OLDAAA", token) == newcomer
        fresh = store.create_session("Na de upgrade")
        assert fresh.id == 3 and fresh.results_visible is True
        updated = store.update_session(1, results_visible=False, free_text_visible=True)
        assert updated.results_visible is False and updated.free_text_visible is True
        after = {(a.id, a.item): (a.value, a.hidden) for a in store.answers(1)}
        assert after[(1, "q1")] == ({"text": "bijgewerkt"}, False)
        assert after[(2, "q1")] == ("ja", True)
        assert ("nieuw", False) in after.values() and len(after) == 4
    finally:
        store.close()
    again = Store.open(store_url)  # the upgrade is not run twice
    try:
        assert len(again.answers(1)) == 4
        assert schema_version(store_url) == str(SCHEMA_VERSION)
    finally:
        again.close()


def snapshot(url: str):
    """What must not change: the SQLite file's bytes and mtime, or PostgreSQL's tables,
    columns and schema version."""
    if is_sqlite(url):
        path = sqlite_path(url)
        return (
            path.read_bytes(),
            path.stat().st_mtime_ns,
            sorted(p.name for p in path.parent.iterdir()),
        )
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            inspector = inspect(conn)
            tables = {
                t: [c["name"] for c in inspector.get_columns(t)]
                for t in inspector.get_table_names()
            }
            version = None
            if "workshop_meta" in tables:
                version = conn.execute(text("SELECT value FROM workshop_meta")).all()
            return tables, version
    finally:
        engine.dispose()


def test_newer_database_is_refused_untouched(store_url):
    """Is a database written by a newer toolkit (schema 99) refused with a SchemaError
    that says so, without changing it?"""
    made = Store.open(store_url)
    session = made.create_session("Toekomst")
    made.close()
    run_sql(store_url, "UPDATE workshop_meta SET value = '99' WHERE key = 'schema_version';")
    before = snapshot(store_url)
    time.sleep(0.05)
    with pytest.raises(SchemaError, match="newer") as refused:
        Store.open(store_url)
    assert "99" in str(refused.value)
    assert snapshot(store_url) == before
    assert schema_version(store_url) == "99"
    assert run_and_fetch(store_url, "SELECT code FROM sessions") == [(session.code,)]


def test_version_1_file_refused_when_newer_is_untouched(store_url):
    """Is an old-style database (not yet in WAL mode) that claims schema 99 refused
    without being changed in any way?"""
    load_schema_v1(store_url)
    run_sql(store_url, "UPDATE workshop_meta SET value = '99' WHERE key = 'schema_version';")
    before = snapshot(store_url)
    time.sleep(0.05)
    with pytest.raises(SchemaError, match="newer"):
        Store.open(store_url)
    assert snapshot(store_url) == before


def run_and_fetch(url: str, sql: str) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql)).all()]
    finally:
        engine.dispose()


def test_foreign_database_is_refused_untouched(store_url):
    """Is a database holding other tables and no workshop_meta refused with a
    SchemaError that names them, and left exactly as it was?"""
    run_sql(
        store_url,
        "CREATE TABLE leerlingen (id INTEGER PRIMARY KEY, naam VARCHAR(40));"
        "INSERT INTO leerlingen (id, naam) VALUES (1, 'Noëlle');",
    )
    before = snapshot(store_url)
    time.sleep(0.05)
    with pytest.raises(SchemaError, match="leerlingen") as refused:
        Store.open(store_url)
    assert "not a workshop store" in str(refused.value)
    assert snapshot(store_url) == before
    assert table_names(store_url) == {"leerlingen"}
    if is_sqlite(store_url):
        conn = sqlite3.connect(sqlite_path(store_url))
        try:
            assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        finally:
            conn.close()


@pytest.mark.parametrize(
    "url, hint",
    [
        ("not a database url", "sqlite:///"),
        ("workshop.db", "sqlite:///"),
        ("sqlite//workshop.db", "sqlite:///"),
        ("mysql://user@localhost/workshop", "SQLite or PostgreSQL"),
        ("postgresql+psycopg2://user@localhost/workshop", "postgresql+psycopg://"),
        ("postgresql+nosuchdriver://user@localhost/workshop", "postgresql+psycopg://"),
        ("sqlite+pysqlcipher:///workshop.db", "sqlite:///"),
    ],
)
def test_bad_url_gives_a_helpful_schema_error(url, hint):
    """Does a URL that is not one the store can use give a SchemaError that says what
    to write instead?"""
    with pytest.raises(SchemaError) as refused:
        Store.open(url)
    assert hint in str(refused.value)


def test_plain_postgresql_url_uses_the_installed_driver(postgres):
    """Does ``postgresql://...`` (no driver named, as PostgreSQL's own docs write it) work
    with the psycopg driver the project installs, whatever SQLAlchemy's default is?"""
    url = postgres.create_database("plain_url").replace("postgresql+psycopg://", "postgresql://")
    opened = Store.open(url)
    try:
        session = opened.create_session("Gewone URL")
        assert opened.get_session(session.code).title == "Gewone URL"
    finally:
        opened.close()


# --- 8. purge ---------------------------------------------------------------------------------
def test_purge_deletes_one_session_and_nothing_else(store, store_url):
    """Does purge delete a session's answers, contributions, participants and the session,
    return the counts, leave other sessions alone, and (SQLite) leave no trace of the
    deleted text in the database files?"""
    doomed = store.create_session("Weg ermee")
    kept = store.create_session("Blijft")
    secret_name = "Verdwijnende-Pseudoniem-7f3a"
    secret_text = "geheim-antwoord-9c1e-coöperatie"
    people = [store.join(doomed.code, f"{secret_name}-{i}")[0] for i in range(3)]
    for i, person in enumerate(people):
        store.save_answer(person, "needs", "q1", {"text": f"{secret_text} {i}"})
        store.save_answer(person, "needs", "q2", i)
    for i in range(40):  # enough to fill pages that the delete frees
        store.save_answer(people[2], "long", f"l{i}", f"{secret_text} " + "lang " * 400)
    store.add_contribution(people[0], "uid-weg-1", "organisation", {"name": secret_text})
    store.add_contribution(people[1], "uid-weg-2", "relation", {"note": secret_text})
    keeper, keeper_token = store.join(kept.code, "Blijvende-Bever")
    store.save_answer(keeper, "needs", "q1", {"text": "blijvend-antwoord"})
    store.add_contribution(keeper, "uid-blijft", "organisation", {"name": "Blijvend"})
    kept_answers = store.answers(kept.id)
    kept_contributions = store.contributions(kept.id)

    if is_sqlite(store_url):
        path = sqlite_path(store_url)
        everything = b"".join(files_of(path).values())
        assert secret_name.encode() in everything  # the search below can find them
        assert secret_text.encode() in everything

    counts = store.purge(doomed.id)
    assert counts == {"answers": 46, "contributions": 2, "participants": 3, "sessions": 1}
    assert store.get_session(doomed.code) is None
    assert store.answers(doomed.id) == [] and store.contributions(doomed.id) == []
    assert store.participant_counts(doomed.id) == {"joined": 0, "active": 0}
    for table in (answers_table, contributions_table, participants_table):
        assert count(store, table, session_id=doomed.id) == 0
    assert store.get_session(kept.code) == kept
    assert store.answers(kept.id) == kept_answers
    assert store.contributions(kept.id) == kept_contributions
    assert store.resume(kept.code, keeper_token) == keeper
    assert store.purge(doomed.id) == {
        "answers": 0,
        "contributions": 0,
        "participants": 0,
        "sessions": 0,
    }

    if is_sqlite(store_url):
        conn = sqlite3.connect(path)
        try:  # VACUUM ran: no free pages left behind by the delete
            assert conn.execute("PRAGMA freelist_count").fetchone() == (0,)
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        finally:
            conn.close()
        for _ in range(2):  # while the store is open, then after closing it
            files = files_of(path)
            for name, content in files.items():
                assert secret_name.encode() not in content, name
                assert secret_text.encode() not in content, name
                assert "coöperatie".encode() not in content, name
            assert b"Blijvende-Bever" in b"".join(files.values())
            store.close()


# --- 9. store outage --------------------------------------------------------------------------
_GATE_HOLDER = """
import sys, time
from toolkit.store.gate import WriteGate
gate = WriteGate(sys.argv[1], timeout=5)
with gate.hold():
    print("held", flush=True)
    time.sleep(120)
"""


def test_sqlite_writers_queue_on_a_lock_that_dies_with_its_holder(tmp_path, monkeypatch):
    """While another process holds the SQLite file's writer lock, does a write wait, then
    give up with StoreUnavailable (nothing written)? And when that process is killed with
    SIGKILL, does its lock go with it, so the next write goes through at once?"""
    monkeypatch.setattr(store_engine, "BUSY_TIMEOUT_MS", 300)
    path = tmp_path / "workshop.db"
    store = Store.open(f"sqlite:///{path}")
    holder = None
    try:
        session = store.create_session("Rij")
        person, _ = store.join(session.code, "Wachtende")
        holder = subprocess.Popen(
            [sys.executable, "-c", _GATE_HOLDER, f"{path}-writer.lock"],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert holder.stdout.readline().strip() == "held"
        for attempt in range(2):  # the second attempt finds the first one's wait abandoned
            with pytest.raises(StoreUnavailable) as refused:
                store.save_answer(person, "needs", f"q{attempt}", "in de rij")
            assert "busy" in str(refused.value) and "try again" in str(refused.value)
        assert store.answers(session.id) == []  # readers are not held up
        holder.kill()
        holder.wait(10)
        store.save_answer(person, "needs", "q0", "na de rij")
        assert [(a.item, a.value) for a in store.answers(session.id)] == [("q0", "na de rij")]
    finally:
        if holder is not None and holder.poll() is None:
            holder.kill()
        store.close()


def test_locked_sqlite_database_gives_store_unavailable(tmp_path, monkeypatch):
    """When another connection holds SQLite's write lock, does a write fail with
    StoreUnavailable within the busy timeout, write nothing, and succeed once the lock
    is released?"""
    monkeypatch.setattr(store_engine, "BUSY_TIMEOUT_MS", 300)
    path = tmp_path / "workshop.db"
    store = Store.open(f"sqlite:///{path}")
    try:
        session = store.create_session("Op slot")
        person, _ = store.join(session.code, "Geduldig")
        store.save_answer(person, "needs", "q0", "voor het slot")
        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            started = time.monotonic()
            with pytest.raises(StoreUnavailable) as refused:
                store.save_answer(person, "needs", "q1", {"text": "wacht"})
            waited = time.monotonic() - started
            assert waited >= 0.25, waited  # it waited for the lock (300 ms) before it gave up
            assert "busy" in str(refused.value) and "try again" in str(refused.value)
            with pytest.raises(StoreUnavailable):
                store.join(session.code, "Ook geduldig")
            with pytest.raises(StoreUnavailable):
                store.add_contribution(person, "uid-slot", "organisation", {"name": "x"})
            # readers are not blocked (WAL)
            assert [a.item for a in store.answers(session.id)] == ["q0"]
        finally:
            blocker.rollback()
            blocker.close()
        assert [a.item for a in store.answers(session.id)] == ["q0"]
        assert store.contributions(session.id) == []
        assert store.participant_counts(session.id)["joined"] == 1
        store.save_answer(person, "needs", "q1", {"text": "wacht"})
        assert [(a.item, a.value) for a in store.answers(session.id)] == [
            ("q0", "voor het slot"),
            ("q1", {"text": "wacht"}),
        ]
    finally:
        store.close()


def test_read_only_sqlite_database_gives_store_unavailable(tmp_path):
    """Does a store opened read-only (mode=ro) still read, and refuse writes with
    StoreUnavailable naming the read-only file, writing nothing?"""
    path = tmp_path / "workshop.db"
    writable = Store.open(f"sqlite:///{path}")
    session = writable.create_session("Alleen lezen")
    person, _ = writable.join(session.code, "Lezer")
    writable.save_answer(person, "needs", "q1", "al daar")
    writable.close()
    readonly = Store.open(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        assert readonly.get_session(session.code) == session
        with pytest.raises(StoreUnavailable, match="read-only"):
            readonly.save_answer(person, "needs", "q2", "nieuw")
        with pytest.raises(StoreUnavailable, match="read-only"):
            readonly.create_session("Kan niet")
        assert [a.item for a in readonly.answers(session.id)] == ["q1"]
    finally:
        readonly.close()
    again = Store.open(f"sqlite:///{path}")
    try:
        assert [a.item for a in again.answers(session.id)] == ["q1"]
        assert len(again.list_sessions()) == 1
    finally:
        again.close()


# --- 8. the room's state and the change counters ----------------------------------------------
def test_every_write_raises_the_counter_of_its_scope(store):
    """Does each kind of write raise exactly the change counter of what it touched (the
    exercise, the map, the people, the room), so another process knows what to refresh?"""
    from toolkit.store.store import MAP, MODERATION, PEOPLE, ROOM

    session = store.create_session("Tellers", exercises=["needs", "map"])
    other = store.create_session("Ander")
    assert store.versions([session.id]) == {}
    person, _ = store.join(session.code, "Teller")
    assert store.versions([session.id]) == {(session.id, PEOPLE): 1}
    store.save_answer(person, "needs", "q1", "een")
    store.save_answer(person, "needs", "q1", "een")  # a retry still counts as a change
    store.save_answer(person, "map", "q2", 3)
    store.add_contribution(person, "u1", "organisation", {"id": "c-1", "name": "X"})
    store.update_room(session.id, current="needs", follow=True)
    seen = store.versions([session.id, other.id])
    assert seen == {
        (session.id, PEOPLE): 1,
        (session.id, "needs"): 2,
        (session.id, "map"): 1,
        (session.id, MAP): 1,
        (session.id, ROOM): 1,
    }
    answer = store.answers(session.id, exercise="needs")[0]
    store.set_answer_approved(session.id, answer.id, True)
    store.set_answer_hidden(other.id, answer.id, True)  # another session's id: no change
    store.delete_answer(person, "map", "q2")
    after = store.versions([session.id])
    assert after[(session.id, "needs")] == 3 and after[(session.id, "map")] == 2
    assert after[(session.id, MODERATION)] == 1  # what others may see changed once
    assert store.answers(session.id, exercise="needs")[0].approved is True
    assert store.answers(session.id, exercise="needs")[0].hidden is False
    store.purge(session.id)
    assert store.versions([session.id]) == {}


def test_room_state_merges_and_refuses_what_it_does_not_know(store):
    """Are the current exercise, follow, approvals and the countdown kept in the store,
    approvals merged per question, and unknown or malformed changes refused unchanged?"""
    session = store.create_session("Kamer", exercises=["needs"])
    ends = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
    store.update_room(session.id, current="needs", approval={"needs/q1": True})
    store.update_room(session.id, approval={"needs/q2": True}, countdown_ends=ends)
    fresh = store.get_session(session.code)
    assert fresh.current_exercise == "needs" and fresh.follow is False
    assert fresh.needs_approval("needs", "q1") and fresh.needs_approval("needs", "q2")
    assert fresh.countdown_ends == ends
    store.update_room(session.id, approval={"needs/q1": False}, countdown_ends=None)
    fresh = store.get_session(session.code)
    assert not fresh.needs_approval("needs", "q1") and fresh.needs_approval("needs", "q2")
    assert fresh.countdown_ends is None
    for bad in (
        {"colour": "red"},
        {"current": "x" * 65},
        {"approval": ["needs/q1"]},
        {"countdown_ends": "morgen"},
    ):
        with pytest.raises(NotAllowed):
            store.update_room(session.id, **bad)
    assert store.get_session(session.code).room == fresh.room


def test_the_last_screen_comes_back_with_the_token(store):
    """Does a resume return the page the participant was on last?"""
    session = store.create_session("Scherm")
    person, token = store.join(session.code, "Terugkomer")
    store.set_screen(person, "e/behoeften")
    assert store.resume(session.code, token).screen == "e/behoeften"
    with pytest.raises(NotAllowed):
        store.set_screen(person, "x" * 81)


def test_writes_share_one_connection_and_a_failed_one_is_replaced(tmp_path):
    """On SQLite, do this process's writes (one at a time behind the write gate) go over
    one kept connection; does a write that fails half-way keep nothing of itself and
    leave the store writable, on a new connection, from another thread too?"""
    from sqlalchemy import update

    from toolkit.store.schema import sessions

    store = Store.open(f"sqlite:///{tmp_path / 'w.db'}")
    try:
        session = store.create_session("Gedeeld")
        kept = store._writer
        assert kept is not None
        store.join(session.code, "Anna")
        assert store._writer is kept

        def half_way(conn):
            conn.execute(update(sessions).where(sessions.c.id == session.id).values(title="x"))
            raise RuntimeError("stopped half-way")

        with pytest.raises(RuntimeError):
            store._run_write(half_way)
        assert store.get_session(session.code).title == "Gedeeld"
        done = []
        thread = threading.Thread(target=lambda: done.append(store.join(session.code, "Bram")))
        thread.start()
        thread.join(30)
        assert done and store._writer is not None and store._writer is not kept
        assert store.participant_counts(session.id)["joined"] == 2
    finally:
        store.close()
