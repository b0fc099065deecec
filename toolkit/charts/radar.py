"""The radar chart of a self-scan: the group's and one's own scores per theme, with a target."""

from __future__ import annotations

import math
from functools import lru_cache

from markupsafe import Markup

from .svg import (
    _HALO,
    _MUTED,
    GROUP,
    OWN,
    TARGET,
    _legend,
    _legend_height,
    _marker,
    _text,
    _wrap,
    format_number,
    markup,
    shorten,
    svg_element,
)

__all__ = ["radar_svg"]


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
        return markup('<{} points="{}" {}/>', tag, pts, attrs) if " " in pts else ""

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
                markup('fill="none" stroke="{}" stroke-width="2.5" stroke-linejoin="round"', OWN),
            )
            for s in own
        ]
        items = [("own" if s.get("kind") == "own" else "group", s["label"]) for s in series]
        h = _legend_height(items + [("target", target_label)] * (target is not None), w, fs)
        return svg_element(w, bottom + h, large, "", Markup("").join(lines + marks), True)
    body = [path([lv] * n, Markup('fill="none" stroke="#c8c8c8"')) for lv in levels]
    body += [
        markup(
            '<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="#c8c8c8"/>',
            cx,
            cy,
            *xy(i, max_value),
        )
        for i in range(n)
    ]
    if target is not None:
        goal = [target] * n if isinstance(target, (int, float)) else list(target)
        body.append(
            path(
                goal,
                markup('fill="none" stroke="{}" stroke-width="2.5" stroke-dasharray="6 4"', TARGET),
            )
        )
    group_fill = markup('fill="{}" fill-opacity="0.25"', GROUP)
    for s in sorted(series, key=lambda s: s.get("kind") == "own"):
        own = s.get("kind") == "own"
        if own and layer == "group":
            continue
        fill = Markup('fill="none"') if own else group_fill
        body.append(
            path(
                s["values"],
                markup(
                    '{} stroke="{}" stroke-width="2.5" stroke-linejoin="round"',
                    fill,
                    OWN if own else GROUP,
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
            attrs=markup('font-size="{:.1f}" fill="{}" {}', fs * 0.75, _MUTED, _HALO),
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
