"""`workshop check`: it measures the participant server and the offline pages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.server
def test_check_measures_the_participant_server_and_the_offline_pages(data):
    """Does `workshop check` measure a real participant server (memory per participant,
    CPU per join and answer), state capacity, and find the pages offline-safe?"""
    result = subprocess.run(
        [sys.executable, "-m", "toolkit.cli", "check", "--expected", "5"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "participant server:" in out and "KB more per connected participant" in out
    assert "ms CPU per join" in out and "memory for about" in out
    assert "offline: the participant pages and the map load only from this server" in out
    assert "verdict: OK" in out
