"""Windows and macOS: nothing imported at start-up needs a POSIX-only module, and the
store's writer gate works with the cross-platform lock Windows uses."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from toolkit.store.gate import PortalockerLocks, WriteGate

# Runs in a fresh interpreter: fcntl and resource are made unimportable (as on Windows),
# then every module of toolkit is imported and a SQLite store saves and reads an answer.
WITHOUT_POSIX = r"""
import importlib, importlib.abc, json, pkgutil, sys

BLOCKED = {"fcntl", "resource"}


class Windowsish(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ImportError(f"No module named {name!r} (blocked by the test)")
        return None


sys.meta_path.insert(0, Windowsish())
for name in BLOCKED:
    sys.modules.pop(name, None)

import toolkit

failed, imported = {}, []
for module in pkgutil.walk_packages(toolkit.__path__, "toolkit.", onerror=lambda n: None):
    if module.name.rpartition(".")[2] == "__main__":  # importing it would run the program
        continue
    try:
        importlib.import_module(module.name)
        imported.append(module.name)
    except Exception as exc:
        failed[module.name] = f"{type(exc).__name__}: {exc}"

from toolkit.web.limits import raise_open_file_limit
from toolkit.store import Store

store = Store.open("sqlite:///" + sys.argv[1])
session = store.create_session("Zonder POSIX")
person, _ = store.join(session.code, "Vensterbank")
store.save_answer(person, "needs", "q1", {"text": "het werkt"})
answers = [(a.item, a.value) for a in store.answers(session.id)]
store.close()
print(json.dumps({
    "imported": imported,
    "failed": failed,
    "answers": answers,
    "open_file_limit": raise_open_file_limit(),
    "posix_modules_loaded": sorted(BLOCKED & set(sys.modules)),
}))
"""


def test_every_module_imports_and_the_store_works_without_fcntl_and_resource(tmp_path):
    """With fcntl and resource unavailable (as on Windows), does every module of toolkit
    import, and does a SQLite store save and read back an answer?"""
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_POSIX, str(tmp_path / "workshop.db")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.splitlines()[-1])
    assert found["failed"] == {}
    assert {"toolkit.store.gate", "toolkit.server.launch", "toolkit.cli"} <= set(found["imported"])
    assert found["answers"] == [["q1", {"text": "het werkt"}]]
    assert found["open_file_limit"] == -1  # skipped, not failed
    assert found["posix_modules_loaded"] == []


HOLDER = """
import sys
from toolkit.store.gate import PortalockerLocks, WriteGate

gate = WriteGate(sys.argv[1], timeout=5, locks=PortalockerLocks())
with gate.hold():
    print("held", flush=True)
    sys.stdin.readline()  # hold until the test says so
print("released", flush=True)
sys.stdin.readline()
"""


def test_portalocker_gate_waits_times_out_and_takes_over(tmp_path):
    """With the lock Windows uses (portalocker): while another process holds the writer
    lock, does a write wait and time out; is the lock taken at once when the holder lets
    go; and does a holder killed with SIGKILL take its lock along?"""
    path = tmp_path / "workshop.db-writer.lock"
    gate = WriteGate(path, timeout=0.3, locks=PortalockerLocks())
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        for _ in range(2):  # the second attempt takes over the first one's abandoned wait
            with pytest.raises(TimeoutError), gate.hold():
                pass
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "released"
        with gate.hold():  # the abandoned wait gave the lock back, or this takes it now
            pass
        holder.kill()
        holder.wait(10)
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert holder.stdout.readline().strip() == "held"
        holder.kill()  # SIGKILL while holding
        holder.wait(10)
        with gate.hold():
            pass
    finally:
        if holder.poll() is None:
            holder.kill()
        gate.close()
