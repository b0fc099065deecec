"""What every SVG chart shares: colours, escaped text and markers, the legend and the
``<svg>`` element itself (escaped by MarkupSafe; plain data in, no JS). The charts are
``radar.py`` and ``grid.py``."""

from __future__ import annotations

import re
import textwrap
from numbers import Real

from markupsafe import Markup, escape

__all__ = [
    "OWN",
    "GROUP",
    "TARGET",
    "svg_element",
    "markup",
    "format_number",
    "shorten",
]

OWN, GROUP, TARGET = "#d95f02", "#1b9e77", "#7570b3"
_INK, _MUTED = "#222", "#555"
_FONT = Markup("system-ui,-apple-system,'Segoe UI',Roboto,sans-serif")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_NONE = Markup("")
_HALO = Markup('paint-order="stroke" stroke="#fff" stroke-width="3" stroke-linejoin="round"')


def markup(template: str, *args) -> Markup:
    """``Markup(template).format(*args)`` at the speed of ``str.format``: a number is
    written as its format says, anything else escaped first (markup passes unchanged). A
    chart writes hundreds of numbers; MarkupSafe's own formatter, written in Python, took
    three quarters of a radar's time.

    Examples
    --------
    >>> markup('<text x="{:.1f}">{}</text>', 3.14159, "<b> & c")
    Markup('<text x="3.1">&lt;b&gt; &amp; c</text>')
    >>> markup("<g>{}</g>", Markup("<rect/>"))
    Markup('<g><rect/></g>')
    """
    return Markup(  # noqa: S704 - every argument but a number is escaped
        template.format(*[a if isinstance(a, Real) else escape(a) for a in args])
    )


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
        else markup('role="img" aria-label="{}"', alt)
    )
    title = Markup("") if decorative else markup("<title>{}</title>", alt)
    return str(
        xml_safe(
            markup(
                '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {:.0f} {:.0f}" '
                'width="100%" style="max-width:{}px;height:auto;display:block;margin:0 auto" '
                '{} font-family="{}" font-size="{}" fill="{}">{}{}</svg>',
                w,
                h,
                max_px,
                role,
                _FONT,
                fs,
                _INK,
                title,
                body,
            )
        )
    )


def _text(x, y, lines, anchor="start", tip="", attrs=_NONE, lh=0.0) -> Markup:
    """A ``<text>`` of one line or of ``lines`` (tspans), ``tip`` as its tooltip; ``attrs``
    are further attributes (markup)."""
    lines = [lines] if isinstance(lines, str) else lines
    body = (
        markup("{}", lines[0])
        if len(lines) == 1
        else Markup("").join(
            markup('<tspan x="{:.1f}" dy="{:.1f}">{}</tspan>', x, 0 if i == 0 else lh, s)
            for i, s in enumerate(lines)
        )
    )
    tip = markup("<title>{}</title>", tip) if tip else Markup("")
    return markup(
        '<text x="{:.1f}" y="{:.1f}" text-anchor="{}" unicode-bidi="isolate" {}>{}{}</text>',
        x,
        y,
        anchor,
        attrs,
        tip,
        body,
    )


def _marker(kind: str, x: float, y: float, size: float) -> Markup:
    if kind == "own":
        pts = " ".join(
            f"{x + dx * size:.1f},{y + dy * size:.1f}"
            for dx, dy in ((0, -1), (1, 0), (0, 1), (-1, 0))
        )
        return markup('<polygon points="{}" fill="{}" stroke="#fff" stroke-width="1.5"/>', pts, OWN)
    if kind == "target":
        return markup(
            '<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" '
            'stroke="{}" stroke-width="2.5" stroke-dasharray="5 3"/>',
            x - size,
            y,
            x + size,
            y,
            TARGET,
        )
    return markup(
        '<circle cx="{:.1f}" cy="{:.1f}" r="{:.1f}" fill="{}" '
        'fill-opacity="0.6" stroke="{}" stroke-width="1.5"/>',
        x,
        y,
        size,
        GROUP,
        GROUP,
    )


def _legend(items, y: float, w: float, fs: float) -> tuple[Markup, float]:
    """Legend rows of (kind, label) below ``y``: the SVG and its height."""
    layout = _legend_layout(items, w, fs)
    out = []
    for kind, label, text, x, row in layout:
        base = y + fs + row * fs * 1.6
        size = fs * (0.7 if kind == "target" else 0.5)
        out += [
            _marker(kind, x + fs * 0.6, base - fs * 0.35, size),
            _text(x + fs * 1.6, base, text, tip=label),
        ]
    return Markup("").join(out), _rows_height(layout, fs)


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


def _rows_height(layout: list[tuple], fs: float) -> float:
    return (layout[-1][4] + 1) * fs * 1.6 + 4 if layout else 0


def _legend_height(items, w: float, fs: float) -> float:
    """The height of :func:`_legend`'s rows, without drawing them (the own layer needs
    only the room the legend takes)."""
    return _rows_height(_legend_layout(items, w, fs), fs)
