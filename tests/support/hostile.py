"""The hostile texts the tests type everywhere: markup and script, template syntax, a very
long string, direction and zero-width characters, and Dutch diacritics that must survive."""

from __future__ import annotations

SCRIPT = "<script>window.__x=1</script>"
IMG = "<img src=x onerror=window.__x=2>"
JS_URL = "javascript:window.__x=3"
SVG = '"><svg onload=window.__x=4>'
JINJA = "{{7*7}}"
TEMPLATE = "${7*7}"
LONG = ("Lang verhaal " * 385)[:4996] + "eind"  # 5,000 characters
RTL = "\u202eevil\u202c"
ZERO_WIDTH = "a\u200bb"
NOELLE, COOP = "Noëlle", "coöperatie"
PAYLOADS = [SCRIPT, IMG, JS_URL, SVG, JINJA, TEMPLATE, LONG, RTL, ZERO_WIDTH, NOELLE, COOP]
assert len(LONG) == 5000
