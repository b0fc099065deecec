"""The WORKSHOP_* settings: parsing, defaults, bad values as messages, and the variables a
child process gets back."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from contextlib import closing
from dataclasses import fields
from pathlib import Path

import psutil
import pytest

from toolkit import paths
from toolkit.cli import main
from toolkit.exercises.library import extra_folders
from toolkit.server.launch import ServerSpec
from toolkit.settings import BUSY_TIMEOUT_MS, VARIABLES, Settings, SettingsError, current
from toolkit.store import Store
from toolkit.store import engine as store_engine

ROOT = Path(__file__).resolve().parents[1]

# One value for every field, none of them a default.
EVERYTHING = Settings(
    db="postgresql+psycopg://workshop@db.example/workshop",
    data=Path("/srv/workshop/data"),
    content=Path("/srv/workshop/content"),
    exercises=(Path("/srv/own/exercises"), Path("/srv/more/exercises")),
    busy_timeout_ms=500,
    session="K7Q2",
    join_url="http://10.0.0.5:8866/s/K7Q2/",
    vis_url="/workshop/static/vis-network.min.js?v=1",
    supervisor_pid=4242,
    report_session="K7Q2",
    report_lang="en",
    export="/srv/results.json",
)


@pytest.fixture
def clean(monkeypatch):
    """This process's environment without any WORKSHOP_* variable."""
    for name in list(os.environ):
        if name.startswith("WORKSHOP_"):
            monkeypatch.delenv(name)
    return monkeypatch


def test_every_field_has_one_variable():
    """Does each Settings field have exactly one WORKSHOP_* variable, each with a meaning
    and a default described?"""
    assert [v.field for v in VARIABLES] == [f.name for f in fields(Settings)]
    names = [v.name for v in VARIABLES]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"WORKSHOP_[A-Z_]+", name) for name in names)
    assert all(v.meaning and v.default for v in VARIABLES)


def test_nothing_set_gives_the_defaults(clean):
    """With no WORKSHOP_* variable (or only empty ones), is every field at its default,
    and do the modules that own the defaults fall back to theirs?"""
    assert Settings.from_environ({}) == Settings()
    assert Settings.from_environ({v.name: "" for v in VARIABLES}) == Settings()
    assert current() == Settings()
    assert store_engine.busy_timeout_ms() == BUSY_TIMEOUT_MS == 15_000
    assert extra_folders() == ()
    assert paths.content_root() == ROOT
    assert paths.data_dir() == ROOT / "workshop-data"
    assert store_engine.database_url() == f"sqlite:///{ROOT / 'workshop-data' / 'workshop.db'}"


def test_values_are_parsed(tmp_path, clean):
    """Are folders made absolute (from the current folder), exercise folders split on
    os.pathsep with blanks left out, and numbers read with spaces around them?"""
    clean.chdir(tmp_path)
    settings = Settings.from_environ(
        {
            "WORKSHOP_DATA": "data",
            "WORKSHOP_CONTENT": str(tmp_path / "content"),
            "WORKSHOP_EXERCISES": os.pathsep.join(["mine", " ", "", str(tmp_path / "theirs")]),
            "WORKSHOP_BUSY_TIMEOUT_MS": " 500 ",
            "WORKSHOP_SUPERVISOR_PID": "4242",
            "WORKSHOP_DB": "sqlite:///x.db",
        }
    )
    assert settings.data == tmp_path / "data"
    assert settings.content == tmp_path / "content"
    assert settings.exercises == (tmp_path / "mine", tmp_path / "theirs")
    assert settings.busy_timeout_ms == 500
    assert settings.supervisor_pid == 4242
    assert settings.db == "sqlite:///x.db"


def test_settings_are_read_at_each_call(tmp_path, clean):
    """Does a variable changed while the process runs (as tests and ``workshop serve
    --programme`` do) count from the next read on, in every module that reads it?"""
    clean.setenv("WORKSHOP_DB", "sqlite:///first.db")
    assert store_engine.database_url() == "sqlite:///first.db"
    clean.setenv("WORKSHOP_DB", "sqlite:///second.db")
    assert store_engine.database_url() == "sqlite:///second.db"
    clean.setenv("WORKSHOP_DATA", str(tmp_path / "a"))
    assert paths.data_dir() == tmp_path / "a"
    clean.setenv("WORKSHOP_EXERCISES", str(tmp_path / "own"))
    assert extra_folders() == (tmp_path / "own",)


def test_busy_timeout_reaches_the_sqlite_connection(tmp_path, clean):
    """Does WORKSHOP_BUSY_TIMEOUT_MS become the busy timeout of the store's SQLite
    connections?"""
    clean.setenv("WORKSHOP_BUSY_TIMEOUT_MS", "250")
    store = Store.open(f"sqlite:///{tmp_path / 'w.db'}")
    try:
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 250
    finally:
        store.close()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("WORKSHOP_BUSY_TIMEOUT_MS", "fast"),
        ("WORKSHOP_BUSY_TIMEOUT_MS", "-1"),
        ("WORKSHOP_BUSY_TIMEOUT_MS", "1.5"),
        ("WORKSHOP_BUSY_TIMEOUT_MS", "\uff15\uff10\uff10"),  # full-width digits
        ("WORKSHOP_SUPERVISOR_PID", "me"),
    ],
)
def test_a_bad_value_names_the_variable_and_the_fix(name, value):
    """Does a value that cannot be used raise SettingsError naming the variable and the
    value, saying what it should be and how to get the default back?"""
    with pytest.raises(SettingsError) as bad:
        Settings.from_environ({name: value})
    message = str(bad.value)
    assert message.startswith(f"{name}={value!r} is not ")
    assert "set it to a whole number such as" in message and "or unset it" in message


def test_a_bad_value_stops_a_command_with_a_message(clean, capsys):
    """Does ``workshop`` stop with the message and exit code 2 (no traceback) when a
    variable cannot be used, before the command does anything?"""
    clean.setenv("WORKSHOP_BUSY_TIMEOUT_MS", "15s")
    assert main(["session", "list"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "workshop session: WORKSHOP_BUSY_TIMEOUT_MS='15s' is not a number of milliseconds; "
        "set it to a whole number such as 500, or unset it (the default is 15000)\n"
    )


@pytest.mark.parametrize("server", ["toolkit.web", "toolkit.server"])
def test_a_bad_value_stops_a_server_with_a_message(server, tmp_path):
    """Does a server started with a bad value (in its environment, or in its spec's env)
    exit with code 2 and the message on standard error, not a traceback?"""
    env = {**os.environ, "WORKSHOP_DATA": str(tmp_path)}
    args = ["--port", "1"]
    if server == "toolkit.web":
        env["WORKSHOP_BUSY_TIMEOUT_MS"] = "soon"
    else:
        spec = ServerSpec(routes={}, port=1, env={"WORKSHOP_BUSY_TIMEOUT_MS": "soon"})
        args = ["--spec", spec.to_json()]
    done = subprocess.run(
        [sys.executable, "-m", server, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "WORKSHOP_BUSY_TIMEOUT_MS='soon' is not a number of milliseconds" in done.stderr


def test_environ_gives_only_what_is_set():
    """Does ``environ()`` give one variable per field that is not at its default, as text
    (exercise folders joined with os.pathsep)?"""
    assert Settings().environ() == {}
    assert Settings(session="K7Q2", busy_timeout_ms=0).environ() == {
        "WORKSHOP_BUSY_TIMEOUT_MS": "0",
        "WORKSHOP_SESSION": "K7Q2",
    }
    assert EVERYTHING.environ()["WORKSHOP_EXERCISES"] == os.pathsep.join(
        str(p) for p in EVERYTHING.exercises
    )
    assert set(EVERYTHING.environ()) == {v.name for v in VARIABLES}


def test_a_child_process_reads_back_the_settings(tmp_path):
    """Does a child process started with ``{**os.environ, **s.environ()}`` read back exactly
    ``s`` with ``current()``?"""
    wanted = Settings(
        db=f"sqlite:///{tmp_path / 'w.db'}",
        data=tmp_path / "data",
        content=EVERYTHING.content,
        exercises=(tmp_path / "one", tmp_path / "two"),
        busy_timeout_ms=500,
        session="K7Q2",
        join_url=EVERYTHING.join_url,
        vis_url=EVERYTHING.vis_url,
        supervisor_pid=os.getpid(),
        report_session="K7Q2",
        report_lang="en",
        export=str(tmp_path / "results.json"),
    )
    assert wanted.environ().keys() == EVERYTHING.environ().keys()  # every field is set
    script = (
        "import dataclasses, json; from toolkit.settings import current; "
        "print(json.dumps({k: str(v) if not isinstance(v, tuple) else [str(p) for p in v] "
        "for k, v in dataclasses.asdict(current()).items()}))"
    )
    parent = {k: v for k, v in os.environ.items() if not k.startswith("WORKSHOP_")}
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={**parent, **wanted.environ()},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    got = json.loads(done.stdout)
    assert got["exercises"] == [str(tmp_path / "one"), str(tmp_path / "two")]
    assert Settings.from_environ(wanted.environ()) == wanted
    assert got == {
        k: [str(p) for p in v] if isinstance(v, tuple) else str(v)
        for k, v in ((f.name, getattr(wanted, f.name)) for f in fields(Settings))
    }


_SUPERVISED = """
import sys
from pathlib import Path

from toolkit.server.launch import ServerSpec
from toolkit.server.supervisor import Supervisor
from toolkit.settings import Settings

folder, port = Path(sys.argv[1]), int(sys.argv[2])
env = Settings(db=f"sqlite:///{folder / 'w.db'}", data=folder).environ()
spec = ServerSpec(routes={}, port=port, env=env, role="participant", kind="web")
supervisor = Supervisor([spec], folder / "logs")
supervisor.start()
print(supervisor.processes["participant"].pid, flush=True)
sys.stdin.read()  # until the test kills this process
"""


def test_a_server_stops_with_the_supervisor_named_in_its_settings(tmp_path):
    """Does a server the Supervisor starts get WORKSHOP_SUPERVISOR_PID (the supervisor's
    process id) and, read back through the settings, stop once that process is killed?"""
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    supervisor = subprocess.Popen(
        [sys.executable, "-c", _SUPERVISED, str(tmp_path), str(port)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    server = None
    try:
        server = psutil.Process(int(supervisor.stdout.readline()))
        environ = server.environ()
        assert environ["WORKSHOP_SUPERVISOR_PID"] == str(supervisor.pid)
        assert Settings.from_environ(environ).supervisor_pid == supervisor.pid
        supervisor.kill()
        supervisor.wait(10)
        server.wait(30)  # raises psutil.TimeoutExpired if the server outlives its supervisor
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
        if server is not None and server.is_running():
            server.kill()


def test_the_readme_lists_every_variable():
    """Does the README's Settings table have one row per variable, in the same order?"""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(WORKSHOP_[A-Z_]+)` \|", section, flags=re.MULTILINE)
    assert rows == [v.name for v in VARIABLES]
