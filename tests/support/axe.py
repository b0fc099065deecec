"""axe-core in a real page: the serious and critical accessibility violations it finds.

axe-core is an npm package, not part of the Python environment. Its ``axe.min.js`` is found
at ``WORKSHOP_AXE`` (a path), else in ``tests/.deps/node_modules/axe-core/`` (the tests'
own installer), else in ``/tmp/axe/node_modules/axe-core/`` (``npm install --prefix /tmp/axe
axe-core@4``). Missing, the check fails: an accessibility test never passes by skipping.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

__all__ = ["axe_path", "check_accessibility", "describe"]

ROOT = Path(__file__).resolve().parents[2]
CANDIDATES = (
    ROOT / "tests" / ".deps" / "node_modules" / "axe-core" / "axe.min.js",
    Path("/tmp/axe/node_modules/axe-core/axe.min.js"),
)
SERIOUS = ("serious", "critical")

_RUN = """async () => {
  const result = await window.axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.html.slice(0, 120)),
  }));
}"""


def axe_path() -> Path:
    """Where ``axe.min.js`` is; AssertionError naming the ways to provide it."""
    given = os.environ.get("WORKSHOP_AXE")
    for path in ([Path(given)] if given else []) + list(CANDIDATES):
        if path.is_file():
            return path
    raise AssertionError(
        "axe-core not found: set WORKSHOP_AXE to axe.min.js, or run "
        "`npm install --prefix /tmp/axe axe-core@4`"
    )


@cache
def _source(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def check_accessibility(page) -> list[dict]:
    """Run axe-core on ``page`` as it is now; return its serious and critical violations
    (``id``, ``impact``, ``help`` and up to five offending elements each).

    The pages forbid inline scripts (``script-src 'self'``), so
    ``page.add_script_tag(content=...)`` is refused by their own policy (as it should be);
    axe goes into the page through the browser's debugging protocol instead
    (``page.evaluate``), which the policy does not govern and which also works in a
    context with JavaScript turned off.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_source(axe_path()))
    found = page.evaluate(_RUN)
    return [v for v in found if v["impact"] in SERIOUS]


def describe(violations: list[dict]) -> str:
    """Violations as lines for an assertion message."""
    return "\n".join(f"{v['impact']} {v['id']}: {v['help']} -> {v['nodes']}" for v in violations)
