"""The interface texts live in one place, toolkit/i18n/, and reach the modules via i18n."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import networkx as nx

from toolkit import i18n
from toolkit.i18n import LANGUAGES, STRINGS
from toolkit.i18n.map import MAP
from toolkit.i18n.network import NETWORK, PROFILE_SENTENCES
from toolkit.map import render as mapview
from toolkit.network import measures as metrics
from toolkit.network import profiles

TOOLKIT = Path(__file__).resolve().parents[2] / "toolkit"


def language_tables(path: Path) -> list[int]:
    """Lines of ``path`` that write out a Dutch/English table: a dict with keys "nl" and
    "en", or a call with keywords ``nl=`` and ``en=``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if set(LANGUAGES) <= keys:
                found.append(node.lineno)
        elif isinstance(node, ast.Call) and set(LANGUAGES) <= {k.arg for k in node.keywords}:
            found.append(node.lineno)
    return found


def test_no_module_outside_texts_writes_out_a_language_table():
    """Does every Dutch/English table of the package live under toolkit/i18n/?"""
    outside = {
        str(path.relative_to(TOOLKIT)): lines
        for path in sorted(TOOLKIT.rglob("*.py"))
        if "i18n" not in path.relative_to(TOOLKIT).parts[:1]
        for lines in [language_tables(path)]
        if lines
    }
    assert outside == {}


def test_the_check_finds_a_table(tmp_path):
    """Would the check above notice a table written out in a module?"""
    probe = tmp_path / "probe.py"
    probe.write_text('WORDS = {"nl": "kaart", "en": "map"}\nText(nl="a", en="b")\n', "utf-8")
    assert language_tables(probe) == [1, 2]


def test_the_map_and_network_texts_are_merged_into_the_strings():
    """Are the map's texts and the profile words part of STRINGS, in both languages?"""
    for key, entry in {**MAP, **NETWORK}.items():
        assert STRINGS[key] is entry
        assert all(entry[lang].strip() for lang in LANGUAGES), key


def test_the_modules_read_the_tables_of_toolkit_texts():
    """Do metrics, profiles and the map use the tables of toolkit/texts (no copies)?"""
    assert metrics.METRICS is i18n.METRIC_TEXTS
    assert profiles.metric_sentence("core_number", "en", name="SURF", value=3) == (
        PROFILE_SENTENCES["core_number"]["en"].format(name="SURF", value=3)
    )
    graph = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")])
    doc = mapview.render_map(graph, lang="en", vis_js_url="/v.js")
    assert MAP["map_snapshot"]["en"] in doc and MAP["map_snapshot"]["nl"] not in doc


def test_both_languages_of_a_sentence_take_the_same_values():
    """Does the Dutch and the English profile sentence of each metric use the same
    placeholders (a sentence cannot miss a value in one language)?"""

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for metric, texts in PROFILE_SENTENCES.items():
        assert fields(texts["nl"]) == fields(texts["en"]), metric
