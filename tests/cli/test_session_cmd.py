"""`workshop session new` and `list`, and an unknown session as a clear error (exit code 2)
for every command that takes one."""

from __future__ import annotations

import pytest

from toolkit.cli import main


def test_session_new_and_list(data, capsys):
    """Does `session new` print a join code that `session list` then shows?"""
    assert main(["session", "new", "--title", "Ochtendsessie", "--lang", "en"]) == 0
    code = capsys.readouterr().out.strip()
    assert len(code) == 6
    assert main(["session", "list"]) == 0
    listing = capsys.readouterr().out
    assert code in listing and "Ochtendsessie" in listing


@pytest.mark.parametrize(
    "command",
    [
        ["export", "NOPE42", "--format", "json", "-o", "{tmp}/x.json"],
        ["report", "NOPE42", "-o", "{tmp}/r.html"],
        ["purge", "NOPE42", "--yes"],
    ],
)
def test_unknown_session_is_a_clear_error(data, tmp_path, capsys, command):
    """Does every command that takes a session say the code is unknown, exit 2, no traceback?"""
    argv = [part.replace("{tmp}", str(tmp_path)) for part in command]
    assert main(argv) == 2
    error = capsys.readouterr().err
    assert "no session with code 'NOPE42'" in error and "Traceback" not in error
