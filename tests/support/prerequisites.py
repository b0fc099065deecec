"""Where the tests find what lives outside Python: Chromium, PostgreSQL, nginx and axe-core.

``tools/prerequisites`` (``make test`` runs it) installs what is missing and writes the paths
it chose to ``tests/.deps/paths.env``. An environment variable of the same name wins
(``WORKSHOP_CHROMIUM``, ``WORKSHOP_PG_BIN``, ``WORKSHOP_NGINX``, ``WORKSHOP_AXE``); without
either, Debian's locations and then ``PATH`` are tried.
"""

from __future__ import annotations

import glob
import os
import shutil
from pathlib import Path

__all__ = [
    "PATHS_FILE",
    "axe_script",
    "chromium",
    "missing",
    "nginx",
    "pg_bin",
    "require",
]

ROOT = Path(__file__).resolve().parents[2]
PATHS_FILE = ROOT / "tests" / ".deps" / "paths.env"
FIX = "run tools/prerequisites (make test does), which installs it"


def _configured(name: str) -> str | None:
    """The value of ``name`` from the environment, else from tests/.deps/paths.env."""
    if os.environ.get(name):
        return os.environ[name]
    try:
        lines = PATHS_FILE.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for line in lines:
        key, sep, value = line.partition("=")
        if sep and key.strip() == name and value.strip():
            return value.strip()
    return None


def _file(path: str | Path | None) -> Path | None:
    return Path(path) if path and Path(path).is_file() else None


def chromium() -> Path | None:
    """The Chromium (or Chrome) the browser tests drive, or None."""
    chosen = _configured("WORKSHOP_CHROMIUM")
    if chosen:
        return _file(chosen)
    return _file("/usr/bin/chromium") or _file(shutil.which("chromium"))


def _major(initdb: str) -> int:
    version = Path(initdb).parts[-3]
    return int(version) if version.isdigit() else 0


def pg_bin() -> Path | None:
    """The folder with PostgreSQL's initdb and pg_ctl (newest Debian version first), or None."""
    chosen = _configured("WORKSHOP_PG_BIN")
    if chosen:
        return Path(chosen) if _file(Path(chosen) / "initdb") else None
    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_major)
    found = debian[-1] if debian else shutil.which("initdb")
    return Path(found).parent if found else None


def nginx() -> Path | None:
    """The nginx binary a test may start on loopback with its own configuration, or None."""
    chosen = _configured("WORKSHOP_NGINX")
    if chosen:
        return _file(chosen)
    return _file("/usr/sbin/nginx") or _file(shutil.which("nginx"))


def axe_script() -> Path | None:
    """axe-core's ``axe.min.js``, to inject into a page for accessibility checks, or None."""
    default = ROOT / "tests" / ".deps" / "node_modules" / "axe-core" / "axe.min.js"
    return _file(_configured("WORKSHOP_AXE") or default)


FINDERS = {
    "Chromium": (chromium, "WORKSHOP_CHROMIUM"),
    "PostgreSQL": (pg_bin, "WORKSHOP_PG_BIN"),
    "nginx": (nginx, "WORKSHOP_NGINX"),
    "axe-core": (axe_script, "WORKSHOP_AXE"),
}


def missing(component: str) -> str:
    """The message for a missing ``component``: what, where it was looked for, the fix."""
    _, variable = FINDERS[component]
    where = _configured(variable)
    looked = f"{variable}={where}" if where else f"{variable} unset, default places"
    return f"{component} not found ({looked}): {FIX}, or set {variable}"


def require(component: str) -> Path:
    """The path of ``component`` ("Chromium", "PostgreSQL", "nginx", "axe-core"); a missing
    one fails the test (never skips it) with :func:`missing`'s message."""
    import pytest

    finder, _ = FINDERS[component]
    found = finder()
    if found is None:
        pytest.fail(missing(component), pytrace=False)
    return found
