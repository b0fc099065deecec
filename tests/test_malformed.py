"""Oversized and malformed input, at every level: through the real participant app (a
protocol client against a real server), at the store's API (SQLite and PostgreSQL), and in
the content files `workshop serve`, `workshop check` and `workshop map validate` read.

Nothing malformed is stored, the participant is told why in plain words, the kernel and the
server keep serving (this participant and the others), and broken content stops
`workshop serve` before anything listens, with every problem as ``file:line`` and no
traceback.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.servers import ROOT, free_port
from tests.test_doors import EXERCISES, Wire
from toolkit.store import NotAllowed, Store
from toolkit.store.store import MAX_VALUE_BYTES

BIG = 10_000_000  # characters: the size of a pasted document, within the websocket's limit
BEHOEFTEN = EXERCISES["behoeften"]
NEEDS = next(q for q in BEHOEFTEN.questions if q.type == "free_text")
VOTES = next(q for q in BEHOEFTEN.questions if q.type == "dot_vote")


# --- through the real app -------------------------------------------------------------------


def _fresh_session(db: Path):
    """A session of its own for one test (every exercise open), on the server's store."""
    store = Store.open(f"sqlite:///{db}")
    try:
        return store.create_session("Misvormd", exercises=list(EXERCISES))
    finally:
        store.close()


def _joined(server, code: str) -> Wire:
    wire = Wire(server.url, f"?code={code}")
    wire.join()
    return wire


def _status_after(wire: Wire, status: str, action, timeout: float = 120) -> str:
    """Run ``action`` and return the status line's next outcome (every outcome carries a
    new sequence number, so the same text twice is still seen)."""
    before = wire.text(status)
    action()
    return wire.until(
        lambda: (
            "workshop-status-" in wire.text(status)
            and wire.text(status) != before
            and wire.text(status)
        ),
        timeout,
    )


def _answer_a_scale(wire: Wire) -> None:
    """Open the maturity scan and answer its first scale; wait for 'saved'."""
    wire.open_exercise("bestuurstafel")
    scale = sorted(wire.with_class("workshop-scale"))[0]
    status = wire.status_of(wire.question_of(scale))
    said = _status_after(wire, status, lambda: wire.update(scale, {"index": 2}))
    assert "workshop-status-ok" in said, said


# --- the store's API ------------------------------------------------------------------------
BAD_KEYS = [
    ("", "q1"),
    ("   ", "q1"),
    ("behoeften", " \t"),
    (None, "q1"),
    ("behoeften", None),
    (123, "q1"),
    ("behoeften", 7),
    ("behoeften", ["q1"]),
    (("behoeften",), "q1"),
    ("behoeften", {"q": 1}),
    ("be\x00hoeften", "q1"),
    ("behoeften", "q1\x00"),
    ("behoeften", "q1\n"),
    ("behoeften", "q\x1b[31m"),
    ("behoeften", "q\ud800"),
    ("e" * 65, "q1"),
    ("behoeften", "i" * 161),
]


@pytest.mark.parametrize("exercise, item", BAD_KEYS, ids=[repr(k)[:30] for k in BAD_KEYS])
def test_store_refuses_unknown_or_empty_ids(store, exercise, item):
    """Is an answer with an empty, blank, non-text, overlong or control-character
    exercise or item id refused with NotAllowed (not a TypeError, not a 'database
    unavailable, try again') and nothing stored?"""
    session = store.create_session("Ids")
    person, _ = store.join(session.code, "Anna")
    store.save_answer(person, "behoeften", "eerder", "blijft")
    with pytest.raises(NotAllowed):
        store.save_answer(person, exercise, item, "waarde")
    assert [(a.exercise, a.item, a.value) for a in store.answers(session.id)] == [
        ("behoeften", "eerder", "blijft")
    ]


def _circular():
    loop = []
    loop.append(loop)
    return loop


def _deep():
    value = []
    for _ in range(100_000):
        value = [value]
    return value


BAD_VALUES = {
    "over-limit": "x" * MAX_VALUE_BYTES,
    "multibyte-over-limit": "ë" * (MAX_VALUE_BYTES // 2 + 1),
    "ten-megabytes": "x" * BIG,
    "nan": float("nan"),
    "infinity": {"a": float("-inf")},
    "set": {1, 2},
    "bytes": b"bytes",
    "object": object(),
    "lone-surrogate": {"text": "ab\ud800cd"},
    "circular": _circular(),
    "deep": _deep(),
}


@pytest.mark.parametrize("value", list(BAD_VALUES.values()), ids=list(BAD_VALUES))
def test_store_refuses_values_that_are_not_small_plain_json(store, value):
    """Is a value over MAX_VALUE_BYTES, or one that is not plain JSON (NaN, infinity, a
    set, bytes, a lone surrogate, a cycle, absurd nesting), refused with NotAllowed and
    nothing stored, for answers and for map additions?"""
    session = store.create_session("Waarden")
    person, _ = store.join(session.code, "Anna")
    with pytest.raises(NotAllowed):
        store.save_answer(person, "behoeften", "q1", value)
    with pytest.raises(NotAllowed):
        store.add_contribution(person, "c-1", "organisation", {"id": "c-1", "name": value})
    assert store.answers(session.id) == []
    assert store.contributions(session.id) == []


@pytest.mark.parametrize(
    "uid",
    ["", " ", None, 5, "u\x00", "u" * 41],
    ids=["empty", "blank", "none", "number", "nul", "long"],
)
def test_store_refuses_malformed_contribution_ids(store, uid):
    """Is a map addition with an empty, blank, non-text, NUL-holding or overlong id refused
    with NotAllowed and not stored?"""
    session = store.create_session("Bijdragen")
    person, _ = store.join(session.code, "Anna")
    with pytest.raises(NotAllowed):
        store.add_contribution(person, uid, "organisation", {"id": "c-1", "name": "X"})
    assert store.contributions(session.id) == []


@pytest.mark.parametrize(
    "pseudonym",
    ["", "   ", None, 5, "An\x00na", "Bo\ud800b"],
    ids=["empty", "blank", "none", "number", "nul", "surrogate"],
)
def test_store_refuses_malformed_pseudonyms(store, pseudonym):
    """Is joining with an empty, non-text or NUL-holding pseudonym refused with NotAllowed
    (PostgreSQL cannot store NUL: it must not look like an outage) and nobody added?"""
    session = store.create_session("Namen")
    with pytest.raises(NotAllowed):
        store.join(session.code, pseudonym)
    assert store.participant_counts(session.id)["joined"] == 0


# --- malformed content files ----------------------------------------------------------------
@pytest.fixture
def content(tmp_path):
    """A content root the test may break: a copy of the datasets, the real apps."""
    from toolkit.paths import apps_dir, datasets_dir

    root = (tmp_path / "content").resolve()
    shutil.copytree(datasets_dir(), root / "datasets")
    (root / "voila_apps").symlink_to(apps_dir())
    (tmp_path / "data").mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("WORKSHOP_DB", "WORKSHOP_SESSION")}
    env.update(WORKSHOP_CONTENT=str(root), WORKSHOP_DATA=str(tmp_path / "data"))
    return root, env


def _workshop(env: dict, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "toolkit.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.05)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _serve_refuses(env: dict, problems: list[str]) -> None:
    """`workshop serve` exits 2 within seconds, reports every problem once, prints no
    traceback, and never listens on either port."""
    port = free_port()
    dashboard = next(p for p in iter(free_port, None) if p != port)
    started = time.monotonic()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "toolkit.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--dashboard-port",
            str(dashboard),
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    listened = False
    while process.poll() is None and time.monotonic() - started < 600:
        listened |= _listening(port) or _listening(dashboard)
        time.sleep(0.05)
    stopped_by_itself = process.poll() is not None
    try:
        out, err = process.communicate(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
    assert stopped_by_itself, f"serve kept running with broken content\n{out}\n{err}"
    assert process.returncode == 2, f"exit {process.returncode}\n{out}\n{err}"
    assert not listened and not _listening(port) and not _listening(dashboard)
    _reports(out + err, problems)
    assert "Starting the workshop servers" not in out


def _reports(text: str, problems: list[str]) -> None:
    assert "Traceback" not in text, text
    count = len(problems)
    assert f"{count} problem{'s' if count != 1 else ''} found:" in text, text
    for problem in problems:
        times = text.count(problem)
        assert times == 1, f"{problem!r} reported {times} times:\n{text}"


def _check_reports(env: dict, problems: list[str], *, map_too: bool) -> None:
    checked = _workshop(env, "check", "--skip-server")
    assert checked.returncode == 2, checked.stdout + checked.stderr
    _reports(checked.stdout + checked.stderr, problems)
    assert "verdict: OK" not in checked.stdout
    validated = _workshop(env, "map", "validate")
    if map_too:
        assert validated.returncode == 2, validated.stdout + validated.stderr
        _reports(validated.stdout + validated.stderr, problems)
    else:  # `map validate` checks the stakeholder map only (README: exercises -> check)
        assert validated.returncode == 0 and validated.stdout.startswith("OK:"), validated


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_broken_csv_row_stops_serve(content):
    """An organisation row with an unquoted comma: does `workshop serve` refuse to start
    (exit 2, nothing listening) naming the file and line, and do `workshop check` and
    `workshop map validate` report the same?"""
    root, env = content
    orgs = root / "datasets" / "stakeholders" / "organisations.csv"
    lines = orgs.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(
        4,
        "stichting-komma,Stichting Komma, Punt,network,po,Een rij.,A row.,"
        "https://www.example.org/,https://www.example.org/over\n",
    )
    orgs.write_text("".join(lines), encoding="utf-8")
    problems = [f"{orgs}:5: 9 fields, header has 8, quote values that contain a comma"]
    _serve_refuses(env, problems)
    _check_reports(env, problems, map_too=True)


def test_relation_to_a_missing_organisation_stops_serve(content):
    """A relation to an organisation that is not in the dataset: is it reported with file,
    line and column by serve, check and map validate, once each?"""
    root, env = content
    relations = root / "datasets" / "stakeholders" / "relations.csv"
    with relations.open("a", encoding="utf-8") as handle:
        handle.write(
            "kennisnet,nergens-bekend,collaborates_with,,Bestaat niet.,"
            "https://www.example.org/,high\n"
        )
    line = _line_of(relations, "nergens-bekend")
    problems = [f"{relations}:{line}: target: unknown organisation id 'nergens-bekend'"]
    _serve_refuses(env, problems)
    _check_reports(env, problems, map_too=True)


def test_unknown_question_type_stops_serve(content):
    """An exercise with a question type that does not exist: is it reported with file and
    line (and the types that do exist) by serve and check?"""
    root, env = content
    exercise = root / "datasets" / "exercises" / "03_behoeften.yaml"
    text = exercise.read_text(encoding="utf-8")
    exercise.write_text(text.replace("type: free_text", "type: opstel", 1), encoding="utf-8")
    line = _line_of(exercise, "type: opstel")
    problems = [
        f"{exercise}:{line}: questions[0].type: unknown question type 'opstel'; use one of: scale,"
    ]
    _serve_refuses(env, problems)
    _check_reports(env, problems, map_too=False)
