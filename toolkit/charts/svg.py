"""Result charts as self-contained inline SVG, escaped by MarkupSafe (plain data in, no JS)."""

from __future__ import annotations

import math
import re
import textwrap
from functools import lru_cache

from markupsafe import Markup

__all__ = [
    "OWN",
    "GROUP",
    "TARGET",
    "radar_svg",
    "grid_svg",
    "numbered_grid_svg",
    "svg_element",
    "format_number",
    "shorten",
]

OWN, GROUP, TARGET = "#d95f02", "#1b9e77", "#7570b3"
_INK, _MUTED = "#222", "#555"
_FONT = Markup("system-ui,-apple-system,'Segoe UI',Roboto,sans-serif")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_NONE = Markup("")
_HALO = Markup('paint-order="stroke" stroke="#fff" stroke-width="3" stroke-linejoin="round"')


def xml_safe(markup: Markup) -> Markup:
    """``markup`` without the characters XML forbids (control characters, lone surrogates),
    which escaping leaves in place; applied once to a whole chart or table.

    Examples
    --------
    >>> xml_safe(Markup("<b>ctrl\x01</b>"))
    Markup('<b>ctrl</b>')
    """
    return Markup(_NOT_XML.sub("", markup))  # noqa: S704 - characters removed from markup


def shorten(text, n: int) -> str:
    """``text`` on one line, clipped to ``n`` characters with an ellipsis.

    Examples
    --------
    >>> shorten("Informatie  beveiliging", 12)
    'Informatie…'
    """
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _wrap(text, width: int, lines: int = 3) -> list[str]:
    """Wrap at spaces and hyphens; words longer than a line are split with a hyphen, except
    a word only a little longer (the width is an estimate: "Infrastructuur" stays whole).

    Examples
    --------
    >>> _wrap("Infrastructuur", 13)
    ['Infrastructuur']
    >>> _wrap("Informatiebeveiligingsbeleid", 13)
    ['Informatiebe-', 'veiligingsbe-', 'leid']
    """
    width = max(6, width)
    keep = width + max(2, width // 6)  # a word up to this long is not split
    parts = (
        p
        if len(p) <= keep
        else "- ".join(p[i : i + width - 1] for i in range(0, len(p), width - 1))
        for p in re.split(r"(?<=-)|( )", " ".join(str(text).split()))
        if p
    )
    out = textwrap.wrap("".join(parts), width, break_long_words=False) or [""]
    if len(out) > lines:
        out = out[: lines - 1] + [out[lines - 1].rstrip("-")[: width - 1] + "…"]
    return out


def format_number(value) -> str:
    """A value with at most one decimal, or a dash for none.

    Examples
    --------
    >>> format_number(3.0), format_number(2.46), format_number(None)
    ('3', '2.5', '–')
    """
    return "–" if value is None else f"{value:.1f}".rstrip("0").rstrip(".")


def svg_element(w: float, h: float, large: bool, alt: str, body: Markup, decorative=False) -> str:
    """The SVG element of a chart around ``body`` (markup; a plain string is escaped), with
    ``alt`` as its text alternative; ``decorative`` for an overlay that the chart below it
    describes (hidden from screen readers, lets clicks through).

    Examples
    --------
    >>> svg_element(10, 10, False, "<A & B>", Markup("<circle r='1'/>"))  # doctest: +ELLIPSIS
    '<svg ... role="img" aria-label="&lt;A &amp; B&gt;" ...><title>&lt;A &amp; B&gt;</title>...'
    """
    fs, max_px = (15, 960) if large else (13, 520)
    role = (
        Markup('aria-hidden="true" focusable="false" class="overlay"')
        if decorative
        else Markup('role="img" aria-label="{}"').format(alt)
    )
    title = Markup("") if decorative else Markup("<title>{}</title>").format(alt)
    return str(
        xml_safe(
            Markup(
                '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {:.0f} {:.0f}" '
                'width="100%" style="max-width:{}px;height:auto;display:block;margin:0 auto" '
                '{} font-family="{}" font-size="{}" fill="{}">{}{}</svg>'
            ).format(w, h, max_px, role, _FONT, fs, _INK, title, body)
        )
    )


def _text(x, y, lines, anchor="start", tip="", attrs=_NONE, lh=0.0) -> Markup:
    """A ``<text>`` of one line or of ``lines`` (tspans), ``tip`` as its tooltip; ``attrs``
    are further attributes (markup)."""
    lines = [lines] if isinstance(lines, str) else lines
    body = (
        Markup("{}").format(lines[0])
        if len(lines) == 1
        else Markup("").join(
            Markup('<tspan x="{:.1f}" dy="{:.1f}">{}</tspan>').format(x, 0 if i == 0 else lh, s)
            for i, s in enumerate(lines)
        )
    )
    tip = Markup("<title>{}</title>").format(tip) if tip else Markup("")
    return Markup(
        '<text x="{:.1f}" y="{:.1f}" text-anchor="{}" unicode-bidi="isolate" {}>{}{}</text>'
    ).format(x, y, anchor, attrs, tip, body)


def _marker(kind: str, x: float, y: float, size: float) -> Markup:
    if kind == "own":
        pts = " ".join(
            f"{x + dx * size:.1f},{y + dy * size:.1f}"
            for dx, dy in ((0, -1), (1, 0), (0, 1), (-1, 0))
        )
        return Markup('<polygon points="{}" fill="{}" stroke="#fff" stroke-width="1.5"/>').format(
            pts, OWN
        )
    if kind == "target":
        return Markup(
            '<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" '
            'stroke="{}" stroke-width="2.5" stroke-dasharray="5 3"/>'
        ).format(x - size, y, x + size, y, TARGET)
    return Markup(
        '<circle cx="{:.1f}" cy="{:.1f}" r="{:.1f}" fill="{}" '
        'fill-opacity="0.6" stroke="{}" stroke-width="1.5"/>'
    ).format(x, y, size, GROUP, GROUP)


def _legend(items, y: float, w: float, fs: float) -> tuple[Markup, float]:
    """Legend rows of (kind, label) below ``y``: the SVG and its height."""
    out = []
    for kind, label, text, x, row in _legend_layout(items, w, fs):
        base = y + fs + row * fs * 1.6
        size = fs * (0.7 if kind == "target" else 0.5)
        out += [
            _marker(kind, x + fs * 0.6, base - fs * 0.35, size),
            _text(x + fs * 1.6, base, text, tip=label),
        ]
    return Markup("").join(out), _legend_height(items, w, fs)


def _legend_layout(items, w: float, fs: float) -> list[tuple]:
    """Per legend entry (kind, label, shortened text, x, row)."""
    out, x, row = [], 8.0, 0
    for kind, label in items:
        text = shorten(label, 24)
        width = 1.6 * fs + len(text) * fs * 0.58
        if x > 8 and x + width > w - 4:
            x, row = 8.0, row + 1
        out.append((kind, label, text, x, row))
        x += width + fs
    return out


def _legend_height(items, w: float, fs: float) -> float:
    """The height of :func:`_legend`'s rows, without drawing them (the own layer needs
    only the room the legend takes)."""
    layout = _legend_layout(items, w, fs)
    return (layout[-1][4] + 1) * fs * 1.6 + 4 if layout else 0


def _radar_labels(axes, r: float, w: float, fs: float, lh: float) -> tuple[tuple, ...]:
    """Per axis (lines, anchor, dx, baseline dy, top dy, bottom dy), relative to the centre."""
    return _radar_label_layout(tuple(axes), r, w, fs, lh)


@lru_cache(maxsize=256)
def _radar_label_layout(axes: tuple, r: float, w: float, fs: float, lh: float) -> tuple:
    """:func:`_radar_labels` (cached: an exercise's axes are wrapped once per size)."""
    out = []
    for i, label in enumerate(axes):
        a = -math.pi / 2 + 2 * math.pi * i / len(axes)
        c, s = math.cos(a), math.sin(a)
        dx, dy = (r + 9) * c, (r + 9) * s
        anchor = "start" if c > 0.25 else "end" if c < -0.25 else "middle"
        room = w / 2 - abs(dx) - 6 if anchor != "middle" else w * 0.55
        lines = _wrap(label, int(room / (fs * 0.56)))
        extra = (len(lines) - 1) * lh
        y0 = dy - extra if s < -0.5 else dy + fs * 0.8 if s > 0.5 else dy - extra / 2 + fs * 0.35
        out.append((tuple(lines), anchor, dx, y0, y0 - fs * 0.9, y0 + extra + fs * 0.3))
    return tuple(out)


def radar_svg(
    axes,
    series,
    *,
    max_value=5,
    min_value=1,
    target=None,
    title="",
    large=False,
    target_label="doel",
    layer="all",
) -> str:
    """Radar chart of scale answers: a ring per level, group and own polygons, a target.

    Parameters
    ----------
    axes : list of str
        Short labels (3-8); long ones are wrapped/shortened, full text in ``<title>``.
    series : list of dict
        ``{"label", "values": [float | None], "kind": "own" | "group"}``; the polygon joins
        the answered points (``None`` = not answered; nothing when fewer than 2).
    max_value, min_value : int
        The scale's levels, a ring each.
    target : float or list of (float or None), optional
        A dashed target ring, or a polygon with a value per axis.
    title, target_label : str
        Start of the text alternative; legend text of the target.
    large : bool
        Bigger text and size, for a projector.
    layer : {"all", "group", "own"}
        ``"group"`` leaves the own polygon out (its legend entry stays); ``"own"`` draws the
        own polygon alone on a transparent chart of the same size, to lay over the group's.

    Examples
    --------
    >>> svg = radar_svg(["A", "B", "C"], [{"label": "jij", "values": [2, None, 4],
    ...                 "kind": "own"}], target=4, title="Volwassenheid")
    >>> svg.startswith("<svg") and "stroke-dasharray" in svg
    True
    """
    if layer == "own":
        # The own layer depends on the answers alone (not on the group's): everyone who
        # gave the same answers gets the same chart, drawn once.
        key = (
            tuple(axes),
            tuple((s["label"], s.get("kind"), tuple(s["values"])) for s in series),
            max_value,
            min_value,
            tuple(target) if isinstance(target, list) else target,
            large,
            target_label,
        )
        try:
            return _own_layer(*key)
        except TypeError:  # a value that cannot be a key (never a checked answer)
            pass
    return _radar(axes, series, max_value, min_value, target, title, large, target_label, layer)


@lru_cache(maxsize=4096)
def _own_layer(axes, series, max_value, min_value, target, large, target_label) -> str:
    """The own layer of :func:`radar_svg`, for hashable arguments (cached)."""
    series = [{"label": label, "kind": kind, "values": list(v)} for label, kind, v in series]
    return _radar(list(axes), series, max_value, min_value, target, "", large, target_label, "own")


def _radar(axes, series, max_value, min_value, target, title, large, target_label, layer) -> str:
    if len(axes) < 3:
        raise ValueError("a radar chart needs at least 3 axes")
    fs = 15 if large else 13
    # Larger type needs more room beside the rings ("Deskundigheid" was cut off at 400).
    lh, w, r, n = fs * 1.15, 460 if large else 400, 88, len(axes)
    labels = _radar_labels(axes, r, w, fs, lh)
    cx, cy = w / 2, 6 - min([-r] + [lab[4] for lab in labels])
    bottom = cy + max([r] + [lab[5] for lab in labels]) + 6

    def xy(i, v):
        v = min(max(v, min_value), max_value)
        rad, a = r * (v - min_value + 1) / (max_value - min_value + 1), 2 * math.pi * i / n
        return cx + rad * math.sin(a), cy - rad * math.cos(a)

    def path(values, attrs):
        pts = " ".join(
            "{:.1f},{:.1f}".format(*xy(i, v)) for i, v in enumerate(values) if v is not None
        )
        tag = "polygon" if pts.count(" ") > 1 else "polyline"
        return Markup('<{} points="{}" {}/>').format(tag, pts, attrs) if " " in pts else ""

    levels = range(min_value, max_value + 1)
    if layer == "own":
        own = [s for s in series if s.get("kind") == "own"]
        marks = [
            _marker("own", *xy(i, v), 5)
            for s in own
            for i, v in enumerate(s["values"])
            if v is not None
        ]
        lines = [
            path(
                s["values"],
                Markup('fill="none" stroke="{}" stroke-width="2.5" stroke-linejoin="round"').format(
                    OWN
                ),
            )
            for s in own
        ]
        items = [("own" if s.get("kind") == "own" else "group", s["label"]) for s in series]
        h = _legend_height(items + [("target", target_label)] * (target is not None), w, fs)
        return svg_element(w, bottom + h, large, "", Markup("").join(lines + marks), True)
    body = [path([lv] * n, Markup('fill="none" stroke="#c8c8c8"')) for lv in levels]
    body += [
        Markup('<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="#c8c8c8"/>').format(
            cx, cy, *xy(i, max_value)
        )
        for i in range(n)
    ]
    if target is not None:
        goal = [target] * n if isinstance(target, (int, float)) else list(target)
        body.append(
            path(
                goal,
                Markup('fill="none" stroke="{}" stroke-width="2.5" stroke-dasharray="6 4"').format(
                    TARGET
                ),
            )
        )
    group_fill = Markup('fill="{}" fill-opacity="0.25"').format(GROUP)
    for s in sorted(series, key=lambda s: s.get("kind") == "own"):
        own = s.get("kind") == "own"
        if own and layer == "group":
            continue
        fill = Markup('fill="none"') if own else group_fill
        body.append(
            path(
                s["values"],
                Markup('{} stroke="{}" stroke-width="2.5" stroke-linejoin="round"').format(
                    fill, OWN if own else GROUP
                ),
            )
        )
        body += [
            _marker("own" if own else "group", *xy(i, v), 5 if own else 3.5)
            for i, v in enumerate(s["values"])
            if v is not None
        ]
    body += [
        _text(
            xy(0, lv)[0] + 4,
            xy(0, lv)[1] + fs * 0.3,
            str(lv),
            attrs=Markup('font-size="{:.1f}" fill="{}" {}').format(fs * 0.75, _MUTED, _HALO),
        )
        for lv in levels
    ]
    body += [
        _text(cx + dx, cy + y0, lines, anchor, tip=full, lh=lh)
        for (lines, anchor, dx, y0, _, _), full in zip(labels, axes)
    ]
    items = [("own" if s.get("kind") == "own" else "group", s["label"]) for s in series]
    legend, h = _legend(items + [("target", target_label)] * (target is not None), bottom, w, fs)
    alt = "; ".join(
        [title] * bool(title)
        + [
            f"{s['label']}: "
            + ", ".join(f"{shorten(a, 40)} {format_number(v)}" for a, v in zip(axes, s["values"]))
            for s in series
        ]
    )
    return svg_element(w, bottom + h, large, alt, Markup("").join(body) + legend)


def grid_svg(
    *,
    x_label,
    y_label,
    x_low,
    x_high,
    y_low,
    y_high,
    quadrants,
    points,
    title="",
    large=False,
    own_label="jij",
    group_label="groep",
) -> str:
    """A 5x5 grid (e.g. power/interest, 1 = low) with faint quadrant labels and points.

    Parameters
    ----------
    x_label, y_label, x_low, x_high, y_low, y_high : str
        Axis names and the meaning of their low and high ends.
    quadrants : list of str
        Four background labels: top-left, top-right, bottom-left, bottom-right.
    points : list of dict
        ``{"label", "x", "y", "kind": "own" | "group", "n": int (optional)}``: group points
        are teal circles sized by ``n``, own points orange diamonds; points at the same place
        get a small deterministic offset.
    title, own_label, group_label : str
        Start of the text alternative; legend texts.
    large : bool
        Bigger text and size, for a projector.

    Examples
    --------
    >>> svg = grid_svg(x_label="Belang", y_label="Invloed", x_low="laag", x_high="hoog",
    ...                y_low="laag", y_high="hoog", quadrants=["a", "b", "c", "d"],
    ...                points=[{"label": "DUO", "x": 4, "y": 5, "kind": "own"}])
    >>> "DUO" in svg and 'role="img"' in svg
    True
    """
    frame, xy, (w, base, lane, fs, lh, cell) = _grid_frame(
        x_label, y_label, x_low, x_high, y_low, y_high, quadrants, large
    )
    body = frame + _grid_points(points, xy, fs, lh, w, cell)
    kinds = {p.get("kind") for p in points}
    legend, h = _legend(
        [(k, lab) for k, lab in (("own", own_label), ("group", group_label)) if k in kinds],
        base + lane + 4,
        w,
        fs,
    )
    alt = "; ".join(
        [title] * bool(title)
        + [f"{x_label} ({x_low} → {x_high}), {y_label} ({y_low} → {y_high})"]
        + [
            f"{shorten(p['label'], 40)}: {format_number(p['x'])}, {format_number(p['y'])}"
            for p in points
        ]
    )
    return svg_element(w, base + lane + 4 + h, large, alt, Markup("").join(body) + legend)


def _line(k: float) -> str:
    return "#999" if k == 2.5 else "#e2e2e2"  # the middle lines darker


def _grid_frame(x_label, y_label, x_low, x_high, y_low, y_high, quadrants, large):
    """The grid's board, quadrant names and axes: (SVG parts, xy(), dimensions)."""
    fs = 15 if large else 13
    lane, size, top, lh = fs * 1.3, 340, 8, fs * 1.15
    muted = Markup('fill="{}"').format(_MUTED)
    left, cell, half = 2 * lane + 6, size / 5, int(size / 2 / (fs * 0.56)) - 1
    w, base = left + size + 8, top + size + fs * 1.15

    def xy(x, y):
        return (left + (min(max(x, 1), 5) - 0.5) * cell, top + (5.5 - min(max(y, 1), 5)) * cell)

    body = [
        Markup('<rect x="{}" y="{}" width="{}" height="{}" fill="#fafafa" stroke="#999"/>').format(
            left, top, size, size
        )
    ]
    body += [
        Markup('<path d="M{:.1f} {}v{}M{} {:.1f}h{}" stroke="{}"/>').format(
            left + k * cell, top, size, left, top + k * cell, size, _line(k)
        )
        for k in (1, 2, 3, 4, 2.5)
    ]
    for i, text in enumerate(quadrants[:4]):  # between the two outer rows: away from points
        lines = _wrap(text, int(size / 2.2 / (fs * 0.56)), 2)
        qx, qy = left + size * (0.25 + 0.5 * (i % 2)), top + cell * (1 + 3 * (i // 2))
        body.append(
            _text(
                qx,
                qy - (len(lines) - 1) * lh / 2 + fs * 0.35,
                lines,
                "middle",
                text,
                Markup('fill="#6f6f6f" font-style="italic" {}').format(_HALO),
                lh,
            )
        )
    body += [
        _text(left, base, shorten(x_low, half), tip=x_low, attrs=muted),
        _text(left + size, base, shorten(x_high, half), "end", x_high, muted),
        _text(
            left + size / 2,
            base + lane,
            shorten(x_label, 2 * half) + " →",
            "middle",
            x_label,
            Markup('font-weight="600"'),
        ),
    ]
    for bx, txt, anchor, at, more in (
        (left - 6, y_low, "start", top + size, muted),
        (left - 6, y_high, "end", top, muted),
        (left - 6 - lane, y_label, "middle", top + size / 2, Markup('font-weight="600"')),
    ):
        shown = shorten(txt, 2 * half) + " →" if anchor == "middle" else shorten(txt, half)
        body.append(
            _text(
                bx,
                at,
                shown,
                anchor,
                txt,
                Markup('transform="rotate(-90 {:.1f} {:.1f})" {}').format(bx, at, more),
            )
        )
    return body, xy, (w, base, lane, fs, lh, cell)


def numbered_grid_svg(
    *,
    x_label,
    y_label,
    x_low,
    x_high,
    y_low,
    y_high,
    quadrants,
    points,
    title="",
    large=False,
    own_label="jij",
    group_label="groep",
    layer="all",
) -> str:
    """The grid with numbered marks instead of labels (a numbered list beside it names
    them), so that labels never overlap on a phone or a projector.

    ``points`` are ``{"number", "label", "x", "y", "kind", "n"}``; ``layer`` as in
    :func:`radar_svg` (``"own"``: the own marks alone, transparent, same size).

    Examples
    --------
    >>> svg = numbered_grid_svg(x_label="Belang", y_label="Invloed", x_low="laag",
    ...     x_high="hoog", y_low="laag", y_high="hoog", quadrants=["a", "b", "c", "d"],
    ...     points=[{"number": 1, "label": "DUO", "x": 4, "y": 5, "kind": "group", "n": 3}])
    >>> ">1</text>" in svg and "DUO: 4, 5" in svg
    True
    """
    frame, xy, (w, base, lane, fs, lh, cell) = _grid_frame(
        x_label, y_label, x_low, x_high, y_low, y_high, quadrants, large
    )
    kinds = [("own", own_label)] * bool(own_label) + [("group", group_label)]
    legend, h = _legend(kinds, base + lane + 4, w, fs)
    height = base + lane + 4 + h
    drawn = [p for p in points if layer == "all" or (p.get("kind") == "own") == (layer == "own")]
    own_size, marks = fs * 0.85, []
    sizes = [
        own_size if p.get("kind") == "own" else fs * 0.75 + min(4.0, float(p.get("n") or 1))
        for p in drawn
    ]
    (ax, ay), (bx, by) = xy(1, 5), xy(5, 1)  # the centres of the corner cells
    board = (ax - cell / 2, ay - cell / 2, bx + cell / 2, by + cell / 2)
    places = _spread([xy(p["x"], p["y"]) for p in drawn], sizes, bounds=board)
    order = sorted(range(len(drawn)), key=lambda i: drawn[i].get("kind") == "own")
    for i in order:
        p, (px, py), own = drawn[i], places[i], drawn[i].get("kind") == "own"
        marks.append(_marker("own" if own else "group", px, py, sizes[i]))
        marks.append(
            _text(
                px,
                py + fs * 0.32,
                str(p["number"]),
                "middle",
                p["label"],
                Markup('font-size="{:.1f}" font-weight="700" fill="{}"').format(
                    fs * 0.8, "#fff" if own else _INK
                ),
            )
        )
    if layer == "own":
        return svg_element(w, height, large, "", Markup("").join(marks), decorative=True)
    alt = "; ".join(
        [title] * bool(title)
        + [f"{x_label} ({x_low} → {x_high}), {y_label} ({y_low} → {y_high})"]
        + [
            f"{p['number']} {shorten(p['label'], 40)}: "
            f"{format_number(p['x'])}, {format_number(p['y'])}"
            for p in drawn
        ]
    )
    return svg_element(w, height, large, alt, Markup("").join(frame + marks) + legend)


def _grid_points(points, xy, fs, lh, w, cell) -> list[Markup]:
    seen, marks, labels = {}, [], []
    for p in points:
        key = (round(p["x"], 1), round(p["y"], 1))
        k = seen[key] = seen.get(key, -1) + 1  # how many came before at this place
        (px, py), own = xy(p["x"], p["y"]), p.get("kind") == "own"
        size = 7 if own else min(4 + 3 * math.sqrt(max(p.get("n") or 1, 1)), cell * 0.4)
        marks.append((own, _marker("own" if own else "group", px + 3 * k, py, size)))
        text = shorten(p["label"], 18)
        right = px + size + 4 + len(text) * fs * 0.58 <= w - 2
        lx = px + 3 * k + (size + 4 if right else -size - 4)
        ly = py + fs * 0.35 + k * lh * (1 if p["y"] >= 3 else -1)
        labels.append(_text(lx, ly, text, "start" if right else "end", p["label"], _HALO))
    return [m for own, m in marks if not own] + [m for own, m in marks if own] + labels


def _spread(centres, radii, bounds, rounds: int = 60) -> list[tuple[float, float]]:
    """Move marks apart until none overlaps another (a few rounds of pushing each
    overlapping pair apart), staying inside ``bounds`` (x0, y0, x1, y1). The mean positions
    of a group are often close together; overlapping numbered marks cannot be read.

    Examples
    --------
    >>> a, b = _spread([(50, 50), (50, 50)], [10, 10], (0, 0, 100, 100))
    >>> round(((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5) >= 20
    True
    """
    x0, y0, x1, y1 = bounds
    points = [list(c) for c in centres]
    for _ in range(rounds):
        moved = False
        for i in range(len(points)):
            for j in range(i + 1, len(points)):
                dx, dy = points[j][0] - points[i][0], points[j][1] - points[i][1]
                gap = radii[i] + radii[j] + 1.5
                dist = math.hypot(dx, dy)
                if dist >= gap:
                    continue
                if dist < 1e-6:  # the same place: side by side, in a fixed direction
                    dx, dy, dist = 1.0, 0.35 * ((i + j) % 3 - 1), 1.0
                push = (gap - dist) / 2 / dist
                points[i][0] -= dx * push
                points[i][1] -= dy * push
                points[j][0] += dx * push
                points[j][1] += dy * push
                moved = True
        for point, r in zip(points, radii):
            point[0] = min(max(point[0], min(x0, x1) + r), max(x0, x1) - r)
            point[1] = min(max(point[1], min(y0, y1) + r), max(y0, y1) - r)
        if not moved:
            break
    return [tuple(p) for p in points]
