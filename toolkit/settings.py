"""Every ``WORKSHOP_*`` environment variable in one place: name, meaning, default, parsing.

The toolkit reads its settings only through :func:`current` (or
:meth:`Settings.from_environ` for a given mapping) and hands them to a child process (a
server, its kernels, the report's nbconvert run) with :meth:`Settings.environ`, so a name
is spelled, documented and checked here alone. A value that cannot be used raises
:class:`SettingsError`, whose message names the variable, says what is wrong and how to
fix it; the command line and the servers print it instead of a traceback.

:func:`current` reads the environment on every call instead of once per process. That is
a few dictionary look-ups, and a cached copy would go stale: tests set variables at run
time (``monkeypatch.setenv("WORKSHOP_DB", ...)``), ``workshop serve`` and ``workshop
check`` set ``WORKSHOP_EXERCISES`` for a programme's folder after they have started, and
the report sets the report's variables for its run. An unset variable (or an empty one)
leaves its field at the default, and the module that owns the setting decides what that
means (``WORKSHOP_DATA`` unset: ``workshop-data/``, worked out in :mod:`toolkit.paths`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

__all__ = ["Settings", "SettingsError", "Variable", "VARIABLES", "BUSY_TIMEOUT_MS", "current"]

BUSY_TIMEOUT_MS = 15_000  # a SQLite writer's wait for a lock (WORKSHOP_BUSY_TIMEOUT_MS unset)


class SettingsError(ValueError):
    """A ``WORKSHOP_*`` variable holds a value that cannot be used; the message says which,
    what is wrong and how to fix it."""


def _text(name: str, raw: str) -> str:
    return raw


def _folder(name: str, raw: str) -> Path | None:
    return Path(raw).resolve() if raw else None


def _folders(name: str, raw: str) -> tuple[Path, ...]:
    return tuple(Path(p).resolve() for p in raw.split(os.pathsep) if p.strip())


def _whole_number(what: str, example: str, unset: str) -> Callable[[str, str], int | None]:
    def parse(name: str, raw: str) -> int | None:
        value = raw.strip()
        if not value:
            return None
        if not (value.isascii() and value.isdigit()):
            raise SettingsError(
                f"{name}={raw!r} is not {what}; set it to a whole number such as {example}, "
                f"or unset it ({unset})"
            )
        return int(value)

    return parse


def _show(value) -> str:
    if isinstance(value, tuple):
        return os.pathsep.join(str(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class Variable:
    """One environment variable: its name, the :class:`Settings` field it fills, what it
    means, what applies when it is unset, and how its text becomes the field's value."""

    name: str
    field: str
    meaning: str
    default: str
    parse: Callable[[str, str], object] = _text


VARIABLES = (
    Variable(
        "WORKSHOP_DB",
        "db",
        "the store: a SQLAlchemy URL (sqlite:///... or postgresql+psycopg://...)",
        "the SQLite file workshop.db in the data folder",
    ),
    Variable(
        "WORKSHOP_DATA",
        "data",
        "the folder for runtime data: the SQLite store, QR codes, logs, exports",
        "workshop-data/ in a source checkout, else in the current folder",
        _folder,
    ),
    Variable(
        "WORKSHOP_CONTENT",
        "content",
        "the folder holding datasets/, voila_apps/ and notebooks/",
        "the source checkout, or the copy inside the installed package",
        _folder,
    ),
    Variable(
        "WORKSHOP_EXERCISES",
        "exercises",
        "more exercise folders (separated by os.pathsep: ':' or ';' on Windows); "
        "workshop serve --programme sets it to the programme's folder",
        "only the shipped exercises",
        _folders,
    ),
    Variable(
        "WORKSHOP_BUSY_TIMEOUT_MS",
        "busy_timeout_ms",
        "how long (milliseconds) a SQLite writer waits for another writer's lock",
        f"{BUSY_TIMEOUT_MS}",
        _whole_number("a number of milliseconds", "500", f"the default is {BUSY_TIMEOUT_MS}"),
    ),
    Variable(
        "WORKSHOP_SESSION",
        "session",
        "the session code the dashboard and the presenter view show (set by workshop serve)",
        "the dashboard shows the newest session",
    ),
    Variable(
        "WORKSHOP_JOIN_URL",
        "join_url",
        "the join link the dashboard and the presenter view show (set by workshop serve)",
        "none shown",
    ),
    Variable(
        "WORKSHOP_VIS_URL",
        "vis_url",
        "where the map explorer loads vis-network from (set by workshop serve)",
        "the script is inlined in the map",
    ),
    Variable(
        "WORKSHOP_SUPERVISOR_PID",
        "supervisor_pid",
        "the process that started this server, which stops when it goes (set by the "
        "supervisor of workshop serve)",
        "the server does not watch",
        _whole_number("a process id", "4242", "the server then watches no process"),
    ),
    Variable(
        "WORKSHOP_REPORT_SESSION",
        "report_session",
        "the session the report notebook reports on (set by workshop report)",
        "a demo session",
    ),
    Variable(
        "WORKSHOP_REPORT_LANG",
        "report_lang",
        "the report notebook's language, nl or en (set by workshop report)",
        "the session's language",
    ),
    Variable(
        "WORKSHOP_EXPORT",
        "export",
        "the .json export that notebooks/03_workshop_results.ipynb analyses",
        "a demo session",
    ),
)


@dataclass(frozen=True)
class Settings:
    """The toolkit's settings, one field per ``WORKSHOP_*`` variable (see ``VARIABLES``).

    A field at its default means the variable is unset. Read the environment with
    :func:`current` or :meth:`from_environ`; pass the settings to a child process with
    :meth:`environ`.

    Examples
    --------
    >>> s = Settings.from_environ({"WORKSHOP_BUSY_TIMEOUT_MS": "500", "WORKSHOP_SESSION": "K7"})
    >>> s.busy_timeout_ms, s.session, s.db
    (500, 'K7', '')
    >>> s.environ()
    {'WORKSHOP_BUSY_TIMEOUT_MS': '500', 'WORKSHOP_SESSION': 'K7'}
    >>> Settings.from_environ(s.environ()) == s
    True
    """

    db: str = ""
    data: Path | None = None
    content: Path | None = None
    exercises: tuple[Path, ...] = ()
    busy_timeout_ms: int | None = None
    session: str = ""
    join_url: str = ""
    vis_url: str = ""
    supervisor_pid: int | None = None
    report_session: str = ""
    report_lang: str = ""
    export: str = ""

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read the settings from ``environ`` (default: this process's environment).

        Raises
        ------
        SettingsError
            When a variable's value cannot be used.

        Examples
        --------
        >>> try:
        ...     Settings.from_environ({"WORKSHOP_BUSY_TIMEOUT_MS": "soon"})
        ... except SettingsError as exc:
        ...     print(str(exc).replace("; ", ";\\n"))
        WORKSHOP_BUSY_TIMEOUT_MS='soon' is not a number of milliseconds;
        set it to a whole number such as 500, or unset it (the default is 15000)
        """
        environ = os.environ if environ is None else environ
        values = {}
        for variable in VARIABLES:
            raw = environ.get(variable.name, "")
            if raw:
                values[variable.field] = variable.parse(variable.name, raw)
        return cls(**{k: v for k, v in values.items() if v is not None})

    def environ(self) -> dict[str, str]:
        """The variables that carry these settings to a child process: one per field that
        is not at its default. A child started with ``{**os.environ, **s.environ()}`` reads
        back what ``s`` says.

        Examples
        --------
        >>> Settings(db="sqlite:///w.db", session="K7").environ()
        {'WORKSHOP_DB': 'sqlite:///w.db', 'WORKSHOP_SESSION': 'K7'}
        """
        defaults = {f.name: f.default for f in fields(self)}
        out = {}
        for variable in VARIABLES:
            value = getattr(self, variable.field)
            if value != defaults[variable.field]:
                out[variable.name] = _show(value)
        return out


def current() -> Settings:
    """The settings of this process's environment, read now (see the module's docstring).

    The variables are looked up on every call; they are parsed again only when one of them
    (or the working folder a relative folder is resolved against) has changed, so that a
    caller on a hot path (``datasets_dir()`` for every look at the dataset) pays a few
    dictionary look-ups, not the parsing and ``Path.resolve``.

    Examples
    --------
    >>> isinstance(current(), Settings)
    True
    >>> current() is current()
    True
    """
    raw = tuple(os.environ.get(variable.name, "") for variable in VARIABLES)
    return _parsed(raw, os.getcwd())


@lru_cache(maxsize=16)
def _parsed(raw: tuple[str, ...], cwd: str) -> Settings:
    return Settings.from_environ({v.name: value for v, value in zip(VARIABLES, raw, strict=True)})
