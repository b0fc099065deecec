"""axe-core in a real page: the serious and critical accessibility violations it finds.

axe-core is an npm package, not part of the Python environment; ``tools/prerequisites``
(run by ``make test``) installs it and ``tests.support.prerequisites`` finds it (or
``WORKSHOP_AXE``). Missing, the check fails: an accessibility test never passes by skipping.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["axe_path", "check_accessibility", "describe"]

SERIOUS = ("serious", "critical")

_RUN = """async () => {
  const result = await window.axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.html.slice(0, 120)),
  }));
}"""


def axe_path() -> Path:
    """Where ``axe.min.js`` is (the one place the tests look it up: ``prerequisites``)."""
    from .prerequisites import require

    return require("axe-core")


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
