"""`workshop purge`: people gone, group results kept (the report can be made again);
`workshop purge --all`: everything gone. Checked in the database itself: the SQLite file's
bytes, or every row of every PostgreSQL table."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url

from toolkit.cli import main as workshop
from toolkit.exercises.loader import default_exercises
from toolkit.questions import Content, Ui
from toolkit.questions.typed_text import need_key
from toolkit.results.session import purge_people, session_results
from toolkit.results.summary import exercise_headlines
from toolkit.store import Store
from toolkit.store.schema import metadata, participants, summaries
from toolkit.store.store import hash_token

MARK = uuid.uuid4().hex[:8]
PSEUDONYMS = [f"Pseudoniem-{MARK}-{i}" for i in range(6)]
VOTED_NEED = f"Samen inkopen bij SIVON {MARK}"
LONELY_NEED = f"Een eigen privacy officer {MARK}"  # written, never voted on: goes
HIDDEN_NEED = f"Bel Jan op 06-{MARK}"  # hidden by the facilitator
AGENDA = f"Agendapunt met een naam erin {MARK}"  # a free text no aggregate is made of
ADDED_ORG = f"Regionaal netwerk {MARK}"
HIDDEN_ORG = f"Stichting Verborgen {MARK}"
EXERCISES = {e.id: e for e in default_exercises()}
SCAN = ("visie", "deskundigheid", "inhoud-toepassingen", "ict-infrastructuur")


def fill(store: Store):
    """A session where six people answer the self-scan, the needs and the IBP scan, and add
    to the map; returns (session, tokens)."""
    session = store.create_session("Opschonen", organiser="Testbestuur")
    people, tokens = [], []
    for name in PSEUDONYMS:
        person, token = store.join(session.code, name)
        people.append(person)
        tokens.append(token)
    for i, person in enumerate(people):
        for j, question in enumerate(SCAN):
            store.save_answer(person, "bestuurstafel", question, 1 + (i + j) % 5)
        store.save_answer(person, "behoeften", "votes", {need_key(VOTED_NEED): 2, "training-im": 1})
    store.save_answer(people[0], "behoeften", "needs:aaaaaaaaaaaa", {"text": VOTED_NEED})
    store.save_answer(people[1], "behoeften", "needs:bbbbbbbbbbbb", {"text": LONELY_NEED})
    store.save_answer(people[2], "behoeften", "needs:cccccccccccc", {"text": HIDDEN_NEED})
    store.save_answer(people[3], "ibp-bestuurstafel", "agenda:dddddddddddd", {"text": AGENDA})
    hidden = next(a for a in store.answers(session.id) if a.item == "needs:cccccccccccc")
    store.set_answer_hidden(session.id, hidden.id, True)
    org = f"c-{uuid.uuid4().hex[:12]}"
    store.add_contribution(
        people[4],
        uuid.uuid4().hex,
        "organisation",
        {"id": org, "name": ADDED_ORG, "type": "network", "sectors": ["po"]},
    )
    store.add_contribution(
        people[4],
        uuid.uuid4().hex,
        "relation",
        {"source": org, "target": "kennisnet", "relation": "collaborates_with"},
    )
    store.add_contribution(
        people[5],
        uuid.uuid4().hex,
        "organisation",
        {"id": "c-verborgen", "name": HIDDEN_ORG, "type": "network", "sectors": []},
    )
    gone = next(c for c in store.contributions(session.id) if c.payload.get("name") == HIDDEN_ORG)
    store.set_contribution_hidden(session.id, gone.id, True)
    return store.get_session(session.code), tokens


def everything_stored(url: str) -> bytes:
    """The database as bytes: the SQLite files (what a copied file would hold, deleted
    pages included), or every row of every table on PostgreSQL."""
    if make_url(url).get_backend_name() == "sqlite":
        path = make_url(url).database
        from pathlib import Path

        main = Path(path)
        return b"".join(p.read_bytes() for p in sorted(main.parent.glob(main.name + "*")))
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = [
                repr(tuple(row))
                for table in metadata.sorted_tables
                for row in conn.execute(select(table))
            ]
    finally:
        engine.dispose()
    return "\n".join(rows).encode("utf-8")


def headlines(store, session, lang="nl") -> dict[str, list[str]]:
    results = session_results(store, session, lang)
    ui = Ui(lang=lang, content=Content(), own=False)
    return {e.id: exercise_headlines(e, results.results[e.id], ui) for e in results.exercises}


def test_purge_keeps_the_aggregates_and_removes_every_pseudonym_and_token(store, store_url):
    """After purge, are the pseudonyms, token hashes, the free texts no aggregate is made
    of and everything the facilitator hid gone from the database, while the group results
    (means, the ranked needs with their dots, the map's additions) are still there and
    read back the same?"""
    session, tokens = fill(store)
    before = session_results(store, session)
    before_lines = headlines(store, session)
    stored = everything_stored(store_url)
    for secret in (*PSEUDONYMS, hash_token(tokens[0]), AGENDA, HIDDEN_NEED, HIDDEN_ORG):
        assert secret.encode() in stored  # the search below can find each of them

    deleted = purge_people(store, session)
    assert deleted["participants"] == 6 and deleted["contributions"] == 3
    assert deleted["answers"] == len(PSEUDONYMS) * 5 + 4

    stored = everything_stored(store_url)
    gone = (*PSEUDONYMS, *map(hash_token, tokens), *tokens, AGENDA, LONELY_NEED, HIDDEN_NEED)
    for secret in (*gone, HIDDEN_ORG):
        assert secret.encode() not in stored, f"{secret[:30]!r} is still in the database"
    for kept in (VOTED_NEED, ADDED_ORG):  # part of the aggregate
        assert kept.encode() in stored
    assert store.answers(session.id) == [] and store.contributions(session.id) == []
    assert store.resume(session.code, tokens[0]) is None
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(participants)).scalar_one() == 0
        assert (
            conn.execute(
                select(func.count()).where(summaries.c.session_id == session.id)
            ).scalar_one()
            == len(EXERCISES) + 1
        )

    after = session_results(store, store.get_session(session.code))
    assert after.purged_at is not None and after.joined == 6
    assert [e.id for e in after.exercises] == [e.id for e in before.exercises]
    for question in SCAN:
        assert after.results["bestuurstafel"][question] == before.results["bestuurstafel"][question]
    ranking = after.results["behoeften"]["votes"]["ranking"]
    unvoted = [
        r for r in before.results["behoeften"]["votes"]["ranking"] if r["label"] == LONELY_NEED
    ]
    assert unvoted and unvoted[0]["dots"] == 0  # ranked while the answers were there
    assert ranking == [
        r for r in before.results["behoeften"]["votes"]["ranking"] if r["label"] != LONELY_NEED
    ]
    assert ranking[0] == {
        "key": need_key(VOTED_NEED),
        "label": VOTED_NEED,
        "dots": 12,
        "voters": 6,
    }
    assert LONELY_NEED not in [r["label"] for r in ranking]
    assert HIDDEN_NEED not in [r["label"] for r in ranking]
    assert after.results["behoeften"]["needs"]["texts"] == []
    assert after.results["ibp-bestuurstafel"]["agenda"]["texts"] == []
    assert [a.payload.get("name") for a in after.additions if a.kind == "organisation"] == [
        ADDED_ORG
    ]
    assert len(after.additions) == 2
    after_lines = headlines(store, store.get_session(session.code))
    for exercise, lines in before_lines.items():
        kept_lines = [x for x in lines if "teksten van" not in x]
        assert [x for x in after_lines[exercise] if "losse teksten" not in x] == kept_lines
    # kept in Dutch, shown in English: the fixed options take their English labels
    english = session_results(store, store.get_session(session.code), "en")
    labels = [r["label"] for r in english.results["behoeften"]["votes"]["ranking"]]
    assert "Training for information managers" in labels and VOTED_NEED in labels
    assert "Scholing voor informatiemanagers" not in labels
    assert "Mean" in headlines(store, store.get_session(session.code), "en")["bestuurstafel"][0]


def test_purging_again_keeps_the_first_results(store):
    """Does a second purge (nothing left to aggregate) leave the kept results alone?"""
    session, _tokens = fill(store)
    purge_people(store, session)
    first = store.kept_results(session.id)
    assert purge_people(store, session) == {
        "answers": 0,
        "contributions": 0,
        "participants": 0,
        "kept": len(EXERCISES) + 1,
    }
    assert store.kept_results(session.id) == first
    assert first["bestuurstafel"]["visie"]["n"] == 6


@pytest.fixture
def cli_store(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'workshop.db'}"
    monkeypatch.setenv("WORKSHOP_DB", url)
    monkeypatch.setenv("WORKSHOP_DATA", str(tmp_path))
    return url


def test_purge_command_keeps_results_and_all_deletes_them(cli_store, capsys):
    """Does `workshop purge CODE --yes` keep the session and its results (and say so), and
    `--all` then delete the session and the kept results too?"""
    store = Store.open(cli_store)
    session, _tokens = fill(store)
    store.close()
    assert workshop(["purge", session.code, "--yes"]) == 0
    said = capsys.readouterr().out
    assert "6 participants" in said and "Kept the group results" in said and "--all" in said
    store = Store.open(cli_store)
    try:
        assert store.get_session(session.code) is not None
        assert store.get_session(session.code).open_exercises == ()
        assert store.kept_results(session.id)["bestuurstafel"]["visie"]["n"] == 6
    finally:
        store.close()
    assert PSEUDONYMS[0].encode() not in everything_stored(cli_store)

    assert workshop(["purge", session.code, "--all", "--yes"]) == 0
    assert "Deleted session" in capsys.readouterr().out
    store = Store.open(cli_store)
    try:
        assert store.get_session(session.code) is None
        assert store.kept_results(session.id) == {}
    finally:
        store.close()
    stored = everything_stored(cli_store)
    for gone in (VOTED_NEED, ADDED_ORG, "Testbestuur"):
        assert gone.encode() not in stored


def test_purge_help_says_which_is_which(capsys):
    """Does the command's help say what purge keeps and what --all deletes?"""
    with pytest.raises(SystemExit):
        workshop(["purge", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "keep the group results" in text
    assert "With --all: delete the session and everything in it" in text


def test_nobody_joins_a_purged_session(tmp_path):
    """After the default purge, does the store refuse a new participant, and does the join
    page say the workshop has ended instead of offering a form?"""
    import asyncio

    from tests.support.servers import participant_server
    from toolkit.store import NotAllowed, Store
    from toolkit.web.client import Participant

    with participant_server(tmp_path, "Afgesloten", ["behoeften"]) as (server, session, db):
        store = Store.open(f"sqlite:///{db}")
        try:
            store.purge_people(session.id, {})
            with pytest.raises(NotAllowed, match="ended"):
                store.join(session.code, "Laatkomer")
        finally:
            store.close()

        async def visit():
            person = Participant(server.url, session.code, "Laatkomer")
            page = await person.fetch(f"/s/{session.code}/")
            return page.code, page.body.decode()

        status, page = asyncio.run(visit())
        assert status == 200 and "Meedoen kan niet meer" in page and 'name="pseudonym"' not in page
