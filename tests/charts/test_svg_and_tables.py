"""Result charts: valid SVG, escaped texts, responsive, gaps and own answers marked."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from toolkit.charts.grid import grid_svg
from toolkit.charts.radar import radar_svg
from toolkit.charts.svg import GROUP, OWN, TARGET
from toolkit.charts.tables import (
    aim_table_html,
    bars_html,
    counts_html,
    raci_table_html,
    risk_list_html,
)

SVG = "{http://www.w3.org/2000/svg}"
LONG = "Informatiebeveiliging " * 227 + "x" * 6  # 5,000 characters
HOSTILE = [
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "{{7*7}}",
    "Noëlle",
    "coöperatie",
    "\u202eevil\u202c txt",
    "zero\u200bwidth",
    LONG,
    "ctrl\x01\x0bchars",
    "a & b 'quoted'",
]
AXES = ["Visie", "Privacy", "Beveiliging", "Data", "Leveranciers"]
VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "col"}


def radar(label="Groep", **kw):
    series = [
        {"label": label, "values": [3, 2.5, None, 4, 1], "kind": "group"},
        {"label": "jij", "values": [4, 3, 2, None, 5], "kind": "own"},
    ]
    return radar_svg(kw.pop("axes", AXES), kw.pop("series", series), **kw)


def grid(points, **kw):
    texts = dict(
        x_label="Belang",
        y_label="Invloed",
        x_low="laag",
        x_high="hoog",
        y_low="laag",
        y_high="hoog",
        quadrants=["TL", "TR", "BL", "BR"],
    )
    return grid_svg(**{**texts, **kw}, points=points)


def all_svgs(label):
    """Every SVG chart with ``label`` in every text it takes."""
    return [
        radar(
            label,
            axes=[label, "B", label, "D"],
            title=label,
            target=4,
            target_label=label,
            series=[{"label": label, "values": [1, 2, 3, 4], "kind": "own"}],
        ),
        grid(
            [
                {"label": label, "x": 2, "y": 3, "kind": "group", "n": 3},
                {"label": label, "x": 2, "y": 3, "kind": "own"},
            ],
            x_label=label,
            y_label=label,
            x_low=label,
            x_high=label,
            y_low=label,
            y_high=label,
            quadrants=[label] * 4,
            title=label,
            own_label=label,
            group_label=label,
        ),
    ]


def all_htmls(label):
    """Every HTML chart with ``label`` in every text it takes."""
    return [
        bars_html(
            [{"label": label, "value": 3, "note": label, "own": True}],
            value_label=label,
            own_marker=label,
        ),
        counts_html([{"label": label, "count": 2, "own": True}], total=3, own_marker=label),
        raci_table_html(
            [("t1", label)],
            [("r1", label), ("r2", "B")],
            {"t1": {"r1": label}},
            own={"t1": {"r1": label + "!"}},
            gaps={"t1": label},
            gap_labels={label: label},
            own_label=label,
            gap_header=label,
        ),
        aim_table_html(
            [("strategy", label)],
            [("business", label), ("information", "I")],
            {"strategy:business": {label: 2}},
            empty=["strategy:information"],
            own={"strategy:business"},
            empty_label=label,
            own_label=label,
        ),
        risk_list_html([{"title": label, "detail": label}], empty_text=label),
        risk_list_html([], empty_text=label),
    ]


class _Tags(HTMLParser):
    """Start tags with their attributes, nesting errors, and the open tags around each text."""

    def __init__(self, markup):
        super().__init__(convert_charrefs=True)
        self.tags, self.stack, self.errors, self.texts = [], [], [], []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)

    def handle_data(self, data):
        self.texts.append((data, list(self.stack)))


def shown_text(el) -> str:
    """The text an SVG <text> element shows (without its <title> tooltip)."""
    parts = [el.text or ""]
    for child in el:
        parts.append(
            ("" if child.tag == SVG + "title" else "".join(child.itertext())) + (child.tail or "")
        )
    return "".join(parts)


def label_positions(svg: str) -> dict:
    root = ET.fromstring(svg)
    return {shown_text(t): (float(t.get("x")), float(t.get("y"))) for t in root.iter(SVG + "text")}


def stroked(svg: str, colour: str) -> list:
    root = ET.fromstring(svg)
    return [
        el
        for el in root.iter()
        if el.tag in (SVG + "polygon", SVG + "polyline") and el.get("stroke") == colour
    ]


# ---- SVG structure -------------------------------------------------------------------------


@pytest.mark.parametrize("label", HOSTILE)
def test_every_svg_parses_scales_and_has_a_text_alternative(label):
    for svg in all_svgs(label):
        root = ET.fromstring(svg)
        assert root.tag == SVG + "svg"
        assert root.get("width") == "100%" and re.fullmatch(r"0 0 \d+ \d+", root.get("viewBox"))
        assert re.search(r"max-width:\d+px", root.get("style"))
        assert root.get("role") == "img" and root.get("aria-label")
        assert root[0].tag == SVG + "title" and root[0].text == root.get("aria-label")


def test_svg_text_sizes_are_relative_and_large_is_bigger():
    small, large = ET.fromstring(radar()), ET.fromstring(radar(large=True))
    assert "px" not in small.get("font-size")
    assert float(large.get("font-size")) > float(small.get("font-size"))
    assert int(re.search(r"max-width:(\d+)px", large.get("style"))[1]) > int(
        re.search(r"max-width:(\d+)px", small.get("style"))[1]
    )


def test_svg_labels_stay_inside_the_view_box():
    for svg in all_svgs(LONG) + [radar(axes=[LONG[:40]] * 8), grid([])]:
        root = ET.fromstring(svg)
        width, height = map(float, root.get("viewBox").split()[2:])
        for t in root.iter(SVG + "text"):
            assert 0 <= float(t.get("x")) <= width and 0 <= float(t.get("y")) <= height
            if "rotate" not in (t.get("transform") or ""):
                lines = [s.text for s in t.iter(SVG + "tspan")] or [shown_text(t)]
                assert max(len(line) for line in lines) < 50  # wrapped or shortened


# ---- escaping --------------------------------------------------------------------------------


@pytest.mark.parametrize("label", HOSTILE)
def test_hostile_texts_are_escaped_everywhere(label):
    for out in all_svgs(label) + all_htmls(label):
        low = out.lower()
        assert "<script" not in low
        assert low.count("<svg") == (1 if out.startswith("<svg") else 0)
        assert "\x01" not in out and "\x0b" not in out
        tags = _Tags(out)
        assert not tags.errors, tags.errors
        assert {tag for tag, _ in tags.tags} <= {
            "svg",
            "title",
            "text",
            "tspan",
            "polygon",
            "polyline",
            "line",
            "circle",
            "rect",
            "path",
            "ol",
            "ul",
            "li",
            "span",
            "bdi",
            "small",
            "strong",
            "em",
            "br",
            "p",
            "div",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
        }
        for _, attrs in tags.tags:
            assert not any(name.startswith("on") for name in attrs)
            assert "svg" not in attrs and "<" not in "".join(attrs)


@pytest.mark.parametrize("label", HOSTILE)
def test_texts_survive_escaping_unchanged(label):
    shown = label.replace("\x01", "").replace("\x0b", "")
    for out in all_svgs(label):
        texts = ["".join(el.itertext()) for el in ET.fromstring(out).iter(SVG + "title")]
        assert shown in texts  # full text in a tooltip / text alternative
    for out in all_htmls(label):
        assert shown in {d for d, _ in _Tags(out).texts} | {
            a.get("title") for _, a in _Tags(out).tags
        }


def test_diacritics_are_kept_as_is():
    for out in all_svgs("Noëlle coöperatie") + all_htmls("Noëlle coöperatie"):
        assert "Noëlle" in out and "coöperatie" in out and "&#" not in out.replace("&#x27;", "")


def test_right_to_left_override_cannot_leak_out_of_a_label():
    label = "\u202eevil"
    for out in all_htmls(label)[:5]:
        for data, stack in _Tags(out).texts:
            if "\u202e" in data:
                assert "bdi" in stack or stack[-1:] in (["em"], ["th"], ["span"], ["p"])
    for out in all_svgs(label):
        for t in ET.fromstring(out).iter(SVG + "text"):
            assert t.get("unicode-bidi") == "isolate"


def test_long_html_labels_are_clipped_with_the_full_text_as_tooltip():
    out = bars_html([{"label": LONG, "value": 1}])
    bdi = [a for tag, a in _Tags(out).tags if tag == "bdi"][0]
    assert bdi["title"] == LONG and len(out) < 2 * len(LONG)


def test_no_external_references():
    for out in all_svgs("x") + all_htmls("x"):
        assert "url(" not in out and "@import" not in out and "<img" not in out
        assert re.findall(r"https?://[^\"' ]+", out) in ([], ["http://www.w3.org/2000/svg"])


# ---- radar -----------------------------------------------------------------------------------


def test_radar_joins_answered_points_only():
    svg = radar()
    own, group = stroked(svg, OWN), stroked(svg, GROUP)
    assert len(own[0].get("points").split()) == 4 and len(group[0].get("points").split()) == 4
    diamonds = ET.fromstring(svg).findall(f".//{SVG}polygon[@fill='{OWN}']")
    assert len(diamonds) == 4 + 1  # the answered points and the legend
    assert stroked(svg, TARGET) == []
    rings = [p for p in ET.fromstring(svg).iter(SVG + "polygon") if p.get("stroke") == "#c8c8c8"]
    assert len(rings) == 5


def test_radar_with_one_or_two_answers_and_all_unanswered():
    two = radar(series=[{"label": "jij", "values": [4, None, None, 2, None], "kind": "own"}])
    assert [el.tag for el in stroked(two, OWN)] == [SVG + "polyline"]
    one = radar(series=[{"label": "jij", "values": [4, None, None, None, None], "kind": "own"}])
    assert stroked(one, OWN) == []
    none = radar(
        series=[
            {"label": "jij", "values": [None] * 5, "kind": "own"},
            {"label": "groep", "values": [None] * 5, "kind": "group"},
        ]
    )
    root = ET.fromstring(none)
    assert stroked(none, OWN) == stroked(none, GROUP) == [] and "–" in root.get("aria-label")
    assert radar(series=[]).startswith("<svg")


def test_radar_target_ring_or_polygon_and_legend():
    svg = radar(target=4, target_label="doel")
    ring = stroked(svg, TARGET)[0]
    assert len(ring.get("points").split()) == 5 and ring.get("stroke-dasharray")
    assert ring.get("fill") == "none" and "doel" in label_positions(svg)
    partial = radar(target=[3, None, 4, 4, 2])
    ring = [el for el in ET.fromstring(partial).iter(SVG + "polygon") if el.get("stroke") == TARGET]
    assert len(ring[0].get("points").split()) == 4
    assert {"Groep", "jij"} <= set(label_positions(svg))


def test_radar_values_outside_the_scale_are_clamped_and_axes_needed():
    svg = radar(series=[{"label": "jij", "values": [0, 9, 3, 3, 3], "kind": "own"}])
    root = ET.fromstring(svg)
    width, height = map(float, root.get("viewBox").split()[2:])
    for pair in stroked(svg, OWN)[0].get("points").split():
        x, y = map(float, pair.split(","))
        assert 0 < x < width and 0 < y < height
    with pytest.raises(ValueError):
        radar_svg(["a", "b"], [])


def test_radar_long_axis_labels_are_wrapped_with_the_full_text_in_title():
    label = "Leveranciersmanagement en contractbeheer van digitale leermiddelen"
    root = ET.fromstring(radar(axes=[label, "B", "C"], series=[]))
    text = [
        t
        for t in root.iter(SVG + "text")
        if t.find(SVG + "title") is not None and t.find(SVG + "title").text == label
    ][0]
    lines = [s.text for s in text.iter(SVG + "tspan")]
    assert 1 < len(lines) <= 3 and all(len(line) <= 40 for line in lines)


# ---- grid ------------------------------------------------------------------------------------


def test_grid_points_at_the_same_place_get_different_label_positions():
    svg = grid(
        [
            {"label": "A", "x": 4, "y": 4, "kind": "group", "n": 2},
            {"label": "B", "x": 4, "y": 4, "kind": "group", "n": 2},
            {"label": "C", "x": 4, "y": 4, "kind": "own"},
            {"label": "D", "x": 1, "y": 1, "kind": "group", "n": 1},
        ]
    )
    pos = label_positions(svg)
    assert len({pos["A"], pos["B"], pos["C"]}) == 3
    assert svg == grid(
        [
            {"label": "A", "x": 4, "y": 4, "kind": "group", "n": 2},
            {"label": "B", "x": 4, "y": 4, "kind": "group", "n": 2},
            {"label": "C", "x": 4, "y": 4, "kind": "own"},
            {"label": "D", "x": 1, "y": 1, "kind": "group", "n": 1},
        ]
    )


def test_grid_marks_group_circles_by_size_and_own_diamonds():
    svg = grid(
        [
            {"label": "A", "x": 1, "y": 5, "kind": "group", "n": 1},
            {"label": "B", "x": 5, "y": 1, "kind": "group", "n": 9},
            {"label": "C", "x": 3, "y": 3, "kind": "own"},
        ],
        own_label="jij",
        group_label="groep",
    )
    root = ET.fromstring(svg)
    circles = [c for c in root.iter(SVG + "circle") if c.get("fill") == GROUP]
    assert float(circles[1].get("r")) > float(circles[0].get("r"))
    assert len([p for p in root.iter(SVG + "polygon") if p.get("fill") == OWN]) == 2  # + legend
    pos = label_positions(svg)
    assert {"TL", "TR", "BL", "BR", "jij", "groep", "A", "B", "C"} <= set(pos)
    assert pos["TL"][0] < pos["TR"][0] and pos["TL"][1] < pos["BL"][1]
    assert pos["A"][1] < pos["B"][1]  # y = 5 is at the top


def test_grid_without_points_has_no_legend():
    pos = label_positions(grid([]))
    assert "jij" not in pos and "groep" not in pos


# ---- HTML ------------------------------------------------------------------------------------


def test_bars_keep_the_given_order_and_scale():
    out = bars_html(
        [
            {"label": "Laag", "value": 1},
            {"label": "Hoog", "value": 8, "own": True},
            {"label": "Nul", "value": 0},
        ],
        value_label="stippen",
        own_marker="●",
    )
    assert out.index("Laag") < out.index("Hoog") < out.index("Nul")
    assert re.findall(r"width:([\d.]+)%", out) == ["12.5", "100.0", "0.0"]
    assert out.count("●") == 1 and "8 stippen" in out and "1." in out and "3." in out
    assert re.findall(
        r"width:([\d.]+)%", bars_html([{"label": "a", "value": 5}], max_value=10)
    ) == ["50.0"]
    assert bars_html([]).startswith("<ol")


def test_counts_show_percentages_of_the_total():
    out = counts_html(
        [{"label": "Ja", "count": 3, "own": True}, {"label": "Nee", "count": 1}], total=4
    )
    assert "3 (75%)" in out and "1 (25%)" in out and ">1.<" not in out
    assert ">3<" in counts_html([{"label": "Ja", "count": 3}])


def test_raci_table_shows_gaps_own_letters_and_scrolls_by_itself():
    out = raci_table_html(
        [("t1", "Rooster"), ("t2", "Privacy")],
        [("a", "ICT"), ("b", "Directie")],
        {"t1": {"a": "R", "b": "A"}, "t2": {"a": "R"}},
        own={"t1": {"a": "R", "b": "R"}},
        gaps={"t2": "no_a"},
        gap_labels={"no_a": "Geen A"},
    )
    assert "overflow-x:auto;width:0;min-width:100%" in out  # never widens a flex parent
    assert out.count("Geen A") == 1 and "(<bdi>R</bdi>)" in out
    assert out.count("<small") == 1  # the same letter is not repeated
    row = re.search(r"<tr><th scope=\"row\"[^>]*><bdi>Privacy.*?</tr>", out)[0]
    assert "background:#fff4e5" in row and "Geen A" in row
    plain = raci_table_html([("t1", "Rooster")], [("a", "ICT")], {})
    assert "⚠" not in plain and "Geen A" not in plain


def test_aim_table_marks_empty_and_own_cells():
    rows = [("strategy", "Richten"), ("structure", "Inrichten"), ("operations", "Verrichten")]
    cols = [("business", "Bedrijf"), ("information", "Informatie"), ("technology", "Technologie")]
    cells = {"strategy:business": {"Directeur": 1, "Bestuurder": 4}}
    empty = [f"{r}:{c}" for r, _ in rows for c, _ in cols][1:]
    out = aim_table_html(
        rows, cols, cells, empty=empty, own={"strategy:business"}, empty_label="leeg"
    )
    assert out.count("dashed") == 8 and out.count("<em") == 8
    assert out.index("Bestuurder") < out.index("Directeur") and "×4" in out
    assert out.count("box-shadow") == 1 and out.count("<td") == 9 + 1


def test_risk_list_or_empty_text():
    out = risk_list_html(
        [{"title": "A", "detail": "x"}, {"title": "B", "detail": ""}], empty_text="Geen"
    )
    assert out.count("<li") == 2 and "Geen" not in out and out.count("<br>") == 1
    assert "Geen" in risk_list_html([], empty_text="Geen")


def test_large_html_is_bigger():
    for small, large in [
        (bars_html([], large=False), bars_html([], large=True)),
        (risk_list_html([], empty_text="x"), risk_list_html([], empty_text="x", large=True)),
    ]:
        assert "font-size:max(1em,15px)" in small and "font-size:max(1.6em,24px)" in large
