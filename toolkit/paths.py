"""Where the project's content (datasets, apps, notebooks) and runtime data live."""

from __future__ import annotations

from pathlib import Path

from .settings import current

__all__ = ["content_root", "datasets_dir", "apps_dir", "notebooks_dir", "data_dir"]

_PACKAGE = Path(__file__).resolve().parent


def content_root() -> Path:
    """Return the folder holding ``datasets/``, ``voila_apps/`` and ``notebooks/``.

    A source checkout (or editable install) uses the repository itself; a wheel carries a
    copy under ``toolkit/_content``. ``WORKSHOP_CONTENT`` overrides both.

    Examples
    --------
    >>> (content_root() / "datasets").is_dir()
    True
    """
    override = current().content
    if override is not None:
        return override
    bundled = _PACKAGE / "_content"
    if bundled.is_dir():
        return bundled
    return _PACKAGE.parent


def datasets_dir() -> Path:
    """Return the ``datasets/`` folder."""
    return content_root() / "datasets"


def apps_dir() -> Path:
    """Return the ``voila_apps/`` folder."""
    return content_root() / "voila_apps"


def notebooks_dir() -> Path:
    """Return the ``notebooks/`` folder."""
    return content_root() / "notebooks"


def data_dir() -> Path:
    """Return the folder for runtime data (the embedded database, QR codes, exports).

    ``WORKSHOP_DATA`` overrides the default: ``workshop-data/`` in a source checkout (next
    to ``pyproject.toml``, whatever the current folder), else in the current folder.
    """
    chosen = current().data
    if chosen is not None:
        return chosen
    root = content_root()
    if (root / "pyproject.toml").is_file():
        return root / "workshop-data"
    return Path("workshop-data").resolve()
