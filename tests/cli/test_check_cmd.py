"""`workshop check`: it measures the participant server and the offline pages."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.server
@pytest.mark.parametrize("expected", [5, 1000])
def test_check_measures_the_participant_server_and_the_offline_pages(data, expected):
    """Does `workshop check` measure a real participant server (memory per participant,
    CPU per join and answer), state capacity for the people expected (and for 1,000
    beside them, once), suggest as many workers as the rush needs (at most one per core),
    call the machine short only when that many still do not keep up, and find the pages
    offline-safe? (Whether 1,000 fit depends on this machine: the test checks that the
    advice follows from the figures it printed.)"""
    result = subprocess.run(
        [sys.executable, "-m", "toolkit.cli", "check", "--expected", str(expected)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    out = result.stdout
    assert "participant server:" in out and "KB more per connected participant" in out
    assert "ms CPU per join" in out and "memory for about" in out
    assert "offline: the participant pages and the map load only from this server" in out
    assert out.count("people: about") == (2 if expected == 5 else 1)
    cores = int(re.search(r"this machine: (\d+) cores", out).group(1))
    by_cpu = int(re.search(r"keeps up with about (\d+) people", out).group(1))
    workers = int(re.search(rf"--expected {expected} --workers (\d+)", out).group(1))
    assert workers == max(1, min(cores, math.ceil(expected / by_cpu)))
    short = by_cpu * workers < expected
    assert ("arriving within a minute need" in out) == short
    assert result.returncode == (1 if short else 0), out + result.stderr
    assert ("verdict: OK" in out) == (not short)
