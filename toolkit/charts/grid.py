"""The 5x5 grid (power/interest and the like): quadrants, points placed without overlap,
numbered with a legend for narrow screens."""

from __future__ import annotations

import math

from markupsafe import Markup

from .svg import (
    _HALO,
    _INK,
    _MUTED,
    _legend,
    _marker,
    _text,
    _wrap,
    format_number,
    markup,
    shorten,
    svg_element,
)

__all__ = ["grid_svg", "numbered_grid_svg"]


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
    muted = markup('fill="{}"', _MUTED)
    left, cell, half = 2 * lane + 6, size / 5, int(size / 2 / (fs * 0.56)) - 1
    w, base = left + size + 8, top + size + fs * 1.15

    def xy(x, y):
        return (left + (min(max(x, 1), 5) - 0.5) * cell, top + (5.5 - min(max(y, 1), 5)) * cell)

    body = [
        markup(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="#fafafa" stroke="#999"/>',
            left,
            top,
            size,
            size,
        )
    ]
    body += [
        markup(
            '<path d="M{:.1f} {}v{}M{} {:.1f}h{}" stroke="{}"/>',
            left + k * cell,
            top,
            size,
            left,
            top + k * cell,
            size,
            _line(k),
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
                markup('fill="#6f6f6f" font-style="italic" {}', _HALO),
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
                markup('transform="rotate(-90 {:.1f} {:.1f})" {}', bx, at, more),
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
                markup(
                    'font-size="{:.1f}" font-weight="700" fill="{}"',
                    fs * 0.8,
                    "#fff" if own else _INK,
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
