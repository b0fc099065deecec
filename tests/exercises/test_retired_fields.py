"""Exercise fields the format no longer has: older files that still carry them load."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.content.problems import ContentError
from toolkit.exercises.loader import load_exercise
from toolkit.exercises.spec import Exercise

SHIPPED = Path(__file__).resolve().parents[2] / "datasets" / "exercises"
OLD_FILE = """\
id: oud
order: 1
title: {nl: Titel, en: Title}
purpose: {nl: Doel, en: Purpose}
sources:
  - https://example.org/bron
questions:
  - id: eens
    type: single_choice
    prompt: {nl: "Eens?", en: "Agree?"}
    options:
      - {id: ja, label: {nl: Ja, en: "Yes"}}
      - {id: nee, label: {nl: Nee, en: "No"}}
result: radar
"""


def test_an_older_file_with_result_still_loads(tmp_path):
    """Does a facilitator's older file with ``result:`` load, the field ignored?"""
    path = tmp_path / "oud.yaml"
    path.write_text(OLD_FILE, encoding="utf-8")
    exercise = load_exercise(path)
    assert exercise.id == "oud"
    assert "result" not in Exercise.model_fields
    assert exercise == load_exercise(_without_result(path, tmp_path))


def test_other_unknown_fields_are_still_errors(tmp_path):
    """Is a misspelt top-level field still refused (only ``result`` is let through)?"""
    path = tmp_path / "typo.yaml"
    path.write_text(OLD_FILE.replace("result: radar", "resutl: radar"), encoding="utf-8")
    with pytest.raises(ContentError, match="unknown field 'resutl'"):
        load_exercise(path)


def test_shipped_files_no_longer_carry_result():
    """Have the shipped exercises dropped the retired field?"""
    for path in sorted(SHIPPED.glob("*.yaml")):
        assert "\nresult:" not in path.read_text(encoding="utf-8"), path.name


def _without_result(path: Path, tmp_path: Path) -> Path:
    plain = tmp_path / "plain.yaml"
    plain.write_text(path.read_text(encoding="utf-8").replace("result: radar\n", ""), "utf-8")
    return plain
