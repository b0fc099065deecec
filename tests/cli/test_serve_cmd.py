"""`workshop serve` refuses what it cannot do (a port in use, another machine's address, an
unknown session) with a clear message and exit code 2."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_serve_refuses_a_port_in_use(data):
    """Does `workshop serve` on a taken port say so, exit 2 and start nothing?"""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
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
                str(port + 1),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
        )
    assert result.returncode == 2
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_refuses_an_address_of_another_machine(data):
    """Is --host with an address this machine does not have refused clearly?"""
    result = subprocess.run(
        [sys.executable, "-m", "toolkit.cli", "serve", "--host", "192.0.2.1"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert "not an address of this machine" in result.stderr


def test_serve_refuses_an_unknown_session(data):
    """Does `serve --session` with an unknown code fail before starting anything?"""
    result = subprocess.run(
        [sys.executable, "-m", "toolkit.cli", "serve", "--session", "ZZZZZZ", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 2 and "no session with code 'ZZZZZZ'" in result.stderr
