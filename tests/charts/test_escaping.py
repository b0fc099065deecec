"""Escaping by default: hostile texts come out of every result chart and table escaped exactly
once, and no module of the toolkit escapes by hand with ``html.escape``."""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import Markup

from toolkit.charts import grid, radar, svg, tables
from toolkit.questions.word_cloud import cloud_svg

TOOLKIT = Path(__file__).resolve().parents[2] / "toolkit"
HOSTILE = ["<script>alert(1)</script>", '" onmouseover="x', "&amp;", "a & b"]


def _grid(function, label, **extra):
    return function(
        x_label=label,
        y_label=label,
        x_low=label,
        x_high=label,
        y_low=label,
        y_high=label,
        quadrants=[label] * 4,
        points=[
            {"number": 1, "label": label, "x": 2, "y": 4, "kind": "group", "n": 3},
            {"number": 2, "label": label, "x": 4, "y": 2, "kind": "own"},
        ],
        title=label,
        own_label=label,
        group_label=label,
        **extra,
    )


def _radar(label, layer):
    series = [
        {"label": label, "values": [2, 3, 4], "kind": "own"},
        {"label": label, "values": [3, 3, 3], "kind": "group"},
    ]
    return radar.radar_svg(
        [label] * 3, series, target=4, title=label, target_label=label, layer=layer
    )


# Every chart and table of toolkit.charts with the label in each of its texts.
RENDERERS = {
    "radar_svg": lambda lab: _radar(lab, "all"),
    "radar_svg/group": lambda lab: _radar(lab, "group"),
    "grid_svg": lambda lab: _grid(grid.grid_svg, lab),
    "numbered_grid_svg": lambda lab: _grid(grid.numbered_grid_svg, lab),
    "numbered_grid_svg/group": lambda lab: _grid(grid.numbered_grid_svg, lab, layer="group"),
    "svg_element": lambda lab: svg.svg_element(10, 10, False, lab, Markup("")),
    "bars_html": lambda lab: (
        tables.bars_html(
            [{"label": lab, "value": 2, "own": True, "note": lab}, {"label": lab, "value": 1}],
            value_label=lab,
            own_marker=lab,
        )
        + tables.bars_html([{"label": lab, "value": 1, "value_text": lab}])
    ),
    "counts_html": lambda lab: tables.counts_html(
        [{"label": lab, "count": 2, "own": True}], total=3, own_marker=lab
    ),
    "raci_table_html": lambda lab: tables.raci_table_html(
        [("t", lab)],
        [("a", lab), ("b", lab)],
        {"t": {"a": lab}},
        gaps={"t": "gap"},
        gap_labels={"gap": lab},
        own={"t": {"a": "R", "b": lab}},
        own_label=lab,
        gap_header=lab,
    ),
    "aim_table_html": lambda lab: tables.aim_table_html(
        [("s", lab)],
        [("b", lab), ("i", lab)],
        {"s:b": {lab: 2}},
        empty=["s:i"],
        own={"s:b"},
        empty_label=lab,
        own_label=lab,
    ),
    "risk_list_html": lambda lab: (
        tables.risk_list_html([{"title": lab, "detail": lab}], empty_text=lab)
        + tables.risk_list_html([], empty_text=lab)
    ),
    "cloud_svg": lambda lab: cloud_svg([("x", 5), (lab, 1)], title=lab),
}


class _Parsed(HTMLParser):
    """The tags, attributes and texts a browser would see (entities decoded once)."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.texts = [], [], []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.texts.append(data)


def test_every_chart_and_table_is_checked():
    """Does this test cover every chart and table function that toolkit.charts offers?"""
    offered = {
        name
        for module in (svg, radar, grid, tables)
        for name in module.__all__
        if name.endswith(("_svg", "_html")) or name == "svg_element"
    }
    assert offered <= {name.split("/")[0] for name in RENDERERS}


@pytest.mark.parametrize("label", HOSTILE)
@pytest.mark.parametrize("name", sorted(RENDERERS))
def test_hostile_label_is_escaped_exactly_once(name, label):
    """Does a hostile label come out as the same text, escaped once: no tag, no attribute
    of its own, not escaped twice (``&amp;amp;``)?"""
    out = RENDERERS[name](label)
    assert type(out) is str  # plain HTML: concatenating it escapes nothing further
    parsed = _Parsed(out)
    assert "script" not in parsed.tags
    assert all(not key.startswith("on") for key, _ in parsed.attrs)
    assert "<script" not in out and '" onmouseover="' not in out
    shown = set(parsed.texts) | {value for _, value in parsed.attrs}
    assert label in shown  # decoded once, the text is the label again
    if "&" in label:  # decoded once, never the escaped form
        assert label.replace("&", "&amp;") not in shown
    if label != "&amp;":  # (whose single escape is &amp;amp;)
        assert "&amp;amp;" not in out


def test_a_literal_entity_is_shown_as_written():
    """Is the label ``&amp;`` shown as those five characters (escaped once to ``&amp;amp;``),
    not as ``&`` (not escaped) nor as ``&amp;amp;`` (escaped twice)?"""
    for name, render in RENDERERS.items():
        out = render("&amp;")
        assert "&amp;amp;" in out and "&amp;amp;amp;" not in out, name
        assert re.search(r"&amp;(?!amp;)", out) is None, name


def _sources():
    return sorted(TOOLKIT.rglob("*.py"))


def test_no_module_escapes_by_hand():
    """Is HTML escaped by MarkupSafe or an autoescaped template everywhere, never by a call
    to ``html.escape`` that someone must remember? (``html.unescape``, which reads texts,
    is allowed.)"""
    assert len(_sources()) > 50
    hand = re.compile(r"\bhtml\.escape\b|\bfrom html import\b[^\n]*\bescape\b")
    offenders = [str(p.relative_to(TOOLKIT)) for p in _sources() if hand.search(p.read_text())]
    assert offenders == []


def test_every_jinja_environment_autoescapes():
    """Does every Jinja2 environment in the toolkit have autoescape on?"""
    calls = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Environment":
                flags = {k.arg: k.value for k in node.keywords}
                on = isinstance(flags.get("autoescape"), ast.Constant)
                calls.append((path.name, on and flags["autoescape"].value is True))
    assert len(calls) >= 3 and all(on for _, on in calls), calls
