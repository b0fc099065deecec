"""Result charts as self-contained, escaped inline SVG/HTML strings (plain data in, no JS)."""

from __future__ import annotations

import html
import math
import re
import textwrap
from functools import lru_cache

__all__ = [
    "OWN",
    "GROUP",
    "TARGET",
    "radar_svg",
    "grid_svg",
    "numbered_grid_svg",
    "bars_html",
    "counts_html",
    "raci_table_html",
    "aim_table_html",
    "risk_list_html",
]

OWN, GROUP, TARGET = "#d95f02", "#1b9e77", "#7570b3"
_INK, _MUTED, _OWN_INK, _WARN_BG, _WARN_INK = "#222", "#555", "#a34700", "#fff4e5", "#8a3b00"
_FONT = "system-ui,-apple-system,'Segoe UI',Roboto,sans-serif"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_HALO = 'paint-order="stroke" stroke="#fff" stroke-width="3" stroke-linejoin="round"'
_CELL = "border:1px solid #ccc;padding:.3em .45em;vertical-align:top;overflow-wrap:break-word;"
_HEAD = _CELL + "background:#f3f3f3;text-align:left;"
_SR_ONLY = (
    "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap"
)


def _e(text) -> str:
    """Escape a text for element content and attributes, dropping characters XML forbids."""
    return html.escape(_NOT_XML.sub("", str(text)), quote=True)


def _short(text, n: int) -> str:
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


def _num(value) -> str:
    return "–" if value is None else f"{value:.1f}".rstrip("0").rstrip(".")


def _label(text, n: int = 120) -> str:
    """An HTML label: direction-isolated, clipped when very long (full text as tooltip)."""
    short = _short(text, n)
    tip = f' title="{_e(text)}"' if short != str(text) else ""
    return f"<bdi{tip}>{_e(short)}</bdi>"


def _box(large: bool) -> str:
    return (
        f"font-family:{_FONT};color:{_INK};line-height:1.35;"
        f"font-size:{'max(1.6em,24px)' if large else 'max(1em,15px)'};"
    )


def _svg(w: float, h: float, large: bool, alt: str, body: str, decorative=False) -> str:
    """An SVG element of a chart; ``decorative`` for an overlay that the chart below it
    describes (hidden from screen readers, lets clicks through)."""
    fs, max_px = (15, 960) if large else (13, 520)
    a = _e(alt)
    role = (
        'aria-hidden="true" focusable="false" class="overlay"'
        if decorative
        else f'role="img" aria-label="{a}"'
    )
    title = "" if decorative else f"<title>{a}</title>"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0f} {h:.0f}" '
        f'width="100%" style="max-width:{max_px}px;height:auto;display:block;margin:0 auto" '
        f'{role} font-family="{_FONT}" font-size="{fs}" '
        f'fill="{_INK}">{title}{body}</svg>'
    )


def _text(x, y, lines, anchor="start", tip="", attrs="", lh=0.0) -> str:
    lines = [lines] if isinstance(lines, str) else lines
    body = (
        _e(lines[0])
        if len(lines) == 1
        else "".join(
            f'<tspan x="{x:.1f}" dy="{0 if i == 0 else lh:.1f}">{_e(s)}</tspan>'
            for i, s in enumerate(lines)
        )
    )
    tip = f"<title>{_e(tip)}</title>" if tip else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" unicode-bidi="isolate" '
        f"{attrs}>{tip}{body}</text>"
    )


def _marker(kind: str, x: float, y: float, size: float) -> str:
    if kind == "own":
        pts = " ".join(
            f"{x + dx * size:.1f},{y + dy * size:.1f}"
            for dx, dy in ((0, -1), (1, 0), (0, 1), (-1, 0))
        )
        return f'<polygon points="{pts}" fill="{OWN}" stroke="#fff" stroke-width="1.5"/>'
    if kind == "target":
        return (
            f'<line x1="{x - size:.1f}" y1="{y:.1f}" x2="{x + size:.1f}" y2="{y:.1f}" '
            f'stroke="{TARGET}" stroke-width="2.5" stroke-dasharray="5 3"/>'
        )
    return (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size:.1f}" fill="{GROUP}" '
        f'fill-opacity="0.6" stroke="{GROUP}" stroke-width="1.5"/>'
    )


def _legend(items, y: float, w: float, fs: float) -> tuple[str, float]:
    """Legend rows of (kind, label) below ``y``: the SVG and its height."""
    out, x, row = [], 8.0, 0
    for kind, label in items:
        text = _short(label, 24)
        width = 1.6 * fs + len(text) * fs * 0.58
        if x > 8 and x + width > w - 4:
            x, row = 8.0, row + 1
        base = y + fs + row * fs * 1.6
        size = fs * (0.7 if kind == "target" else 0.5)
        out += [
            _marker(kind, x + fs * 0.6, base - fs * 0.35, size),
            _text(x + fs * 1.6, base, text, tip=label),
        ]
        x += width + fs
    return "".join(out), ((row + 1) * fs * 1.6 + 4 if items else 0)


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
        return f'<{tag} points="{pts}" {attrs}/>' if " " in pts else ""

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
                f'fill="none" stroke="{OWN}" stroke-width="2.5" stroke-linejoin="round"',
            )
            for s in own
        ]
        items = [("own" if s.get("kind") == "own" else "group", s["label"]) for s in series]
        _, h = _legend(items + [("target", target_label)] * (target is not None), bottom, w, fs)
        return _svg(w, bottom + h, large, "", "".join(lines + marks), decorative=True)
    body = [path([lv] * n, 'fill="none" stroke="#c8c8c8"') for lv in levels]
    body += [
        '<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="#c8c8c8"/>'.format(
            cx, cy, *xy(i, max_value)
        )
        for i in range(n)
    ]
    if target is not None:
        goal = [target] * n if isinstance(target, (int, float)) else list(target)
        body.append(
            path(goal, f'fill="none" stroke="{TARGET}" stroke-width="2.5" stroke-dasharray="6 4"')
        )
    for s in sorted(series, key=lambda s: s.get("kind") == "own"):
        own = s.get("kind") == "own"
        if own and layer == "group":
            continue
        fill = 'fill="none"' if own else f'fill="{GROUP}" fill-opacity="0.25"'
        body.append(
            path(
                s["values"],
                f'{fill} stroke="{OWN if own else GROUP}" '
                'stroke-width="2.5" stroke-linejoin="round"',
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
            attrs=f'font-size="{fs * 0.75:.1f}" fill="{_MUTED}" {_HALO}',
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
            + ", ".join(f"{_short(a, 40)} {_num(v)}" for a, v in zip(axes, s["values"]))
            for s in series
        ]
    )
    return _svg(w, bottom + h, large, alt, "".join(body) + legend)


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
        + [f"{_short(p['label'], 40)}: {_num(p['x'])}, {_num(p['y'])}" for p in points]
    )
    return _svg(w, base + lane + 4 + h, large, alt, "".join(body) + legend)


def _grid_frame(x_label, y_label, x_low, x_high, y_low, y_high, quadrants, large):
    """The grid's board, quadrant names and axes: (SVG parts, xy(), dimensions)."""
    fs = 15 if large else 13
    lane, size, top, lh = fs * 1.3, 340, 8, fs * 1.15
    left, cell, half = 2 * lane + 6, size / 5, int(size / 2 / (fs * 0.56)) - 1
    w, base = left + size + 8, top + size + fs * 1.15

    def xy(x, y):
        return (left + (min(max(x, 1), 5) - 0.5) * cell, top + (5.5 - min(max(y, 1), 5)) * cell)

    body = [
        f'<rect x="{left}" y="{top}" width="{size}" height="{size}" fill="#fafafa" stroke="#999"/>'
    ]
    body += [
        f'<path d="M{left + k * cell:.1f} {top}v{size}M{left} {top + k * cell:.1f}'
        f'h{size}" stroke="{"#999" if k == 2.5 else "#e2e2e2"}"/>'
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
                f'fill="#6f6f6f" font-style="italic" {_HALO}',
                lh,
            )
        )
    body += [
        _text(left, base, _short(x_low, half), tip=x_low, attrs=f'fill="{_MUTED}"'),
        _text(left + size, base, _short(x_high, half), "end", x_high, f'fill="{_MUTED}"'),
        _text(
            left + size / 2,
            base + lane,
            _short(x_label, 2 * half) + " →",
            "middle",
            x_label,
            'font-weight="600"',
        ),
    ]
    for bx, txt, anchor, at, more in (
        (left - 6, y_low, "start", top + size, f'fill="{_MUTED}"'),
        (left - 6, y_high, "end", top, f'fill="{_MUTED}"'),
        (left - 6 - lane, y_label, "middle", top + size / 2, 'font-weight="600"'),
    ):
        shown = _short(txt, 2 * half) + " →" if anchor == "middle" else _short(txt, half)
        body.append(
            _text(bx, at, shown, anchor, txt, f'transform="rotate(-90 {bx:.1f} {at:.1f})" {more}')
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
                f'font-size="{fs * 0.8:.1f}" font-weight="700" fill="{"#fff" if own else _INK}"',
            )
        )
    if layer == "own":
        return _svg(w, height, large, "", "".join(marks), decorative=True)
    alt = "; ".join(
        [title] * bool(title)
        + [f"{x_label} ({x_low} → {x_high}), {y_label} ({y_low} → {y_high})"]
        + [f"{p['number']} {_short(p['label'], 40)}: {_num(p['x'])}, {_num(p['y'])}" for p in drawn]
    )
    return _svg(w, height, large, alt, "".join(frame + marks) + legend)


def _grid_points(points, xy, fs, lh, w, cell) -> list[str]:
    seen, marks, labels = {}, [], []
    for p in points:
        key = (round(p["x"], 1), round(p["y"], 1))
        k = seen[key] = seen.get(key, -1) + 1  # how many came before at this place
        (px, py), own = xy(p["x"], p["y"]), p.get("kind") == "own"
        size = 7 if own else min(4 + 3 * math.sqrt(max(p.get("n") or 1, 1)), cell * 0.4)
        marks.append((own, _marker("own" if own else "group", px + 3 * k, py, size)))
        text = _short(p["label"], 18)
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


def bars_html(
    rows, *, max_value=None, value_label="", own_marker="●", ranked=True, large=False
) -> str:
    """Horizontal bars as a list in the order given (e.g. the dot-vote ranking).

    Parameters
    ----------
    rows : list of dict
        ``{"label", "value", "note", "own": bool, "value_text"}`` (only label and value
        required); own rows are bold with ``own_marker`` and an orange bar.
    max_value : float, optional
        Value of a full bar (default: the largest).
    value_label, own_marker : str
        Unit after the values; mark of the own rows.
    ranked, large : bool
        Show the position (1., 2., ...); bigger text for a projector.

    Examples
    --------
    >>> out = bars_html([{"label": "Privacy", "value": 7, "own": True},
    ...                  {"label": "Kosten", "value": 3}], value_label="stippen")
    >>> out.index("Privacy") < out.index("Kosten") and "7 stippen" in out
    True
    """
    top = max_value or max([r["value"] for r in rows] + [0]) or 1
    items = "".join(_bar(i, r, top, value_label, own_marker, ranked) for i, r in enumerate(rows, 1))
    return f'<ol role="list" style="{_box(large)}list-style:none;margin:0;padding:0">{items}</ol>'


def _bar(pos, row, top, unit, marker, ranked) -> str:
    own, span = bool(row.get("own")), "2/-1" if ranked else "1/-1"
    pct = max(0.0, min(100.0, 100 * row["value"] / top))
    value = row.get("value_text") or (_num(row["value"]) + (f" {unit}" if unit else ""))
    mark = f' <span style="color:{OWN}">{_e(marker)}</span>' if own else ""
    note = (
        f'<span style="grid-column:{span};font-size:.85em;color:{_MUTED};'
        f'overflow-wrap:anywhere">{_label(row["note"])}</span>'
        if row.get("note")
        else ""
    )
    return (
        f'<li style="display:grid;grid-template-columns:'
        f"{'1.8em ' if ranked else ''}minmax(0,1fr) auto;column-gap:.5em;"
        f'align-items:baseline;margin:0 0 .6em">'
        + (f'<span style="color:{_MUTED}">{pos}.</span>' if ranked else "")
        + f'<span style="overflow-wrap:anywhere;font-weight:{700 if own else 400}">'
        f'{_label(row["label"])}{mark}</span><span style="white-space:nowrap;'
        f'font-variant-numeric:tabular-nums">{_e(value)}</span><span aria-hidden="true" '
        f'style="grid-column:{span};display:block;height:.6em;background:#e8e8e8;'
        f'border-radius:.3em;overflow:hidden"><span style="display:block;height:100%;'
        f'width:{pct:.1f}%;background:{OWN if own else GROUP}"></span></span>{note}</li>'
    )


def counts_html(rows, *, total=None, own_marker="●", large=False) -> str:
    """Labelled counts of a single or multiple choice question (bars in the order given).

    Parameters
    ----------
    rows : list of dict
        ``{"label", "count", "own": bool}``.
    total : int, optional
        Number of participants: bars are relative to it and a percentage is shown.
    own_marker : str
        Mark of the own choices.
    large : bool
        Bigger text, for a projector.

    Examples
    --------
    >>> "3 (75%)" in counts_html([{"label": "Ja", "count": 3, "own": True}], total=4)
    True
    """
    bars = [
        {
            "label": r["label"],
            "value": r["count"],
            "own": r.get("own", False),
            "value_text": f"{r['count']} ({round(100 * r['count'] / total)}%)"
            if total
            else str(r["count"]),
        }
        for r in rows
    ]
    return bars_html(
        bars, max_value=total or None, own_marker=own_marker, ranked=False, large=large
    )


def _scroll(table: str, large: bool) -> str:
    """A table in its own horizontal scroller, so the page never scrolls sideways (width 0
    and min-width 100%: the table's width does not widen a flex parent such as a widget)."""
    return (
        f'<div tabindex="0" style="{_box(large)}overflow-x:auto;width:0;min-width:100%;'
        f'-webkit-overflow-scrolling:touch">{table}</div>'
    )


def raci_table_html(
    tasks,
    roles,
    consensus,
    *,
    gaps=None,
    own=None,
    gap_labels=None,
    own_label="jij",
    gap_header="⚠",
    large=False,
) -> str:
    """RACI table: the group's letter per task and role, gaps in a last warning column.

    Parameters
    ----------
    tasks, roles : list of (id, label)
        Rows and columns.
    consensus, own : dict
        ``{task_id: {role_id: letter}}``: the group's letters; the participant's, shown
        small (tooltip ``own_label``) where they differ.
    gaps, gap_labels : dict, optional
        ``{task_id: code}`` and ``{code: text}``; with gaps a last column (``gap_header``).
    large : bool
        Bigger text, for a projector.

    Examples
    --------
    >>> out = raci_table_html([("t1", "Rooster")], [("a", "ICT"), ("b", "Directie")],
    ...                       {"t1": {"a": "R"}}, gaps={"t1": "no_a"},
    ...                       gap_labels={"no_a": "Niemand is eindverantwoordelijk"})
    >>> "overflow-x:auto" in out and "Niemand is eindverantwoordelijk" in out
    True
    """
    own, gap_labels, sticky = own or {}, gap_labels or {}, "position:sticky;left:0;z-index:1;"
    head = "".join(
        f'<th scope="col" style="{_HEAD}min-width:2.5em">{_label(lab, 40)}</th>' for _, lab in roles
    )
    head += f'<th scope="col" style="{_HEAD}">{_e(gap_header)}</th>' if gaps is not None else ""
    rows = []
    for tid, tlabel in tasks:
        cells = []
        for rid, _ in roles:
            group, mine = consensus.get(tid, {}).get(rid, ""), own.get(tid, {}).get(rid, "")
            extra = (
                f' <small style="color:{_OWN_INK}" title="{_e(own_label)}">'
                f"({_label(mine, 8)})</small>"
                if mine and mine != group
                else ""
            )
            cells.append(
                f'<td style="{_CELL}text-align:center;font-weight:700;'
                f'white-space:nowrap">{_label(group, 8)}{extra}</td>'
            )
        code = (gaps or {}).get(tid)
        if gaps is not None and code:
            cells.append(
                f'<td style="{_CELL}background:{_WARN_BG};color:{_WARN_INK};'
                f'border-left:4px solid {OWN};font-weight:600;min-width:9em">'
                f'<span aria-hidden="true">⚠ </span>'
                f"{_label(gap_labels.get(code, code))}</td>"
            )
        elif gaps is not None:
            cells.append(f'<td style="{_CELL}"></td>')
        rows.append(
            f'<tr><th scope="row" style="{_HEAD}{sticky}min-width:9.5em;width:14em;'
            'overflow-wrap:anywhere;hyphens:auto;font-weight:600">'
            f"{_label(tlabel)}</th>{''.join(cells)}</tr>"
        )
    return _scroll(
        f'<table style="border-collapse:collapse"><thead><tr><td style="{sticky}'
        f'background:#fff"></td>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
        "</table>",
        large,
    )


def aim_table_html(
    row_labels,
    column_labels,
    cells,
    *,
    empty=(),
    own=None,
    empty_label="leeg",
    own_label="jij",
    large=False,
) -> str:
    """The 3x3 Amsterdam Information Model with the items the group placed per cell.

    Parameters
    ----------
    row_labels, column_labels : list of (id, label)
        strategy/structure/operations and business/information/technology.
    cells : dict
        ``{"row:col": {item_label: count}}``; items listed most placed first.
    empty : list of str
        ``"row:col"`` cells to mark as gaps: dashed border and ``empty_label``.
    own : set of str, optional
        Cells the participant used: an orange top stripe, ``own_label`` as text alternative.
    large : bool
        Bigger text, for a projector.

    Examples
    --------
    >>> out = aim_table_html([("strategy", "Richten")], [("business", "Bedrijf")],
    ...                      {}, empty=["strategy:business"], empty_label="leeg")
    >>> "dashed" in out and "leeg" in out
    True
    """
    own, empty, tight = set(own or ()), set(empty), "padding:.3em;font-size:.9em;"
    head = "".join(
        f'<th scope="col" style="{_HEAD}{tight}">{_label(lab, 40)}</th>' for _, lab in column_labels
    )
    rows = []
    for rid, rlabel in row_labels:
        tds = []
        for cid, _ in column_labels:
            key, style = f"{rid}:{cid}", _CELL + "overflow-wrap:anywhere;padding:.3em;"
            items = sorted((cells.get(key) or {}).items(), key=lambda kv: (-kv[1], str(kv[0])))
            body = "".join(
                f'<li>{_label(item, 60)} <span style="color:{_MUTED};'
                f'white-space:nowrap">×{_num(n)}</span></li>'
                for item, n in items
            )
            body = f'<ul style="list-style:none;margin:0;padding:0">{body}</ul>' if body else ""
            if key in empty:
                style += f"border:2px dashed {_OWN_INK};background:{_WARN_BG};"
                body += f'<em style="color:{_WARN_INK}">{_e(empty_label)}</em>'
            if key in own:
                style += f"box-shadow:inset 0 4px 0 {OWN};padding-top:.5em;"
                body = f'<span style="{_SR_ONLY}">{_e(own_label)}: </span>{body}'
            tip = f' title="{_e(own_label)}"' if key in own else ""
            tds.append(f'<td style="{style}"{tip}>{body}</td>')
        rows.append(
            f'<tr><th scope="row" style="{_HEAD}{tight}overflow-wrap:anywhere">'
            f"{_label(rlabel, 40)}</th>{''.join(tds)}</tr>"
        )
    return _scroll(
        f'<table style="border-collapse:collapse;table-layout:fixed;width:100%;'
        f'min-width:20em;font-size:.9em"><thead><tr><td style="width:6.2em"></td>'
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>",
        large,
    )


def risk_list_html(risks, *, empty_text, large=False) -> str:
    """Risks as a warning-styled list, or ``empty_text`` when there are none.

    Parameters
    ----------
    risks : list of dict
        ``{"title", "detail"}``.
    empty_text : str
        Shown when there are no risks.
    large : bool
        Bigger text, for a projector.

    Examples
    --------
    >>> risk_list_html([], empty_text="Geen risico's")  # doctest: +ELLIPSIS
    '<p style="...">Geen risico&#x27;s</p>'
    """
    if not risks:
        return f'<p style="{_box(large)}margin:0">{_e(empty_text)}</p>'
    items = "".join(
        f'<li style="border-left:4px solid {OWN};background:{_WARN_BG};padding:.45em .7em;'
        f'margin:0 0 .5em;border-radius:0 .3em .3em 0;overflow-wrap:anywhere">'
        f'<strong style="color:{_WARN_INK}"><span aria-hidden="true">⚠ </span>'
        f"{_label(r['title'])}</strong>"
        + (f"<br><bdi>{_e(r['detail'])}</bdi>" if r.get("detail") else "")
        + "</li>"
        for r in risks
    )
    return f'<ul role="list" style="{_box(large)}list-style:none;margin:0;padding:0">{items}</ul>'
