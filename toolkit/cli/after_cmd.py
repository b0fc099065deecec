"""After the workshop: ``workshop export``, ``workshop report`` and ``workshop purge``."""

from __future__ import annotations

import sys

from .common import CommandError, open_store, writable_target
from .session_cmd import require_session

__all__ = ["register"]


def register(commands) -> None:
    export = commands.add_parser("export", help="every answer and contribution of a session")
    export.add_argument("session", metavar="SESSION", help="the session code")
    export.add_argument("--format", required=True, choices=["xlsx", "csv", "json"])
    export.add_argument(
        "-o", "--output", required=True, metavar="PATH", help="output file (for csv: a folder)"
    )
    export.set_defaults(handler=_export)

    report = commands.add_parser("report", help="a self-contained HTML report of a session")
    report.add_argument("session", metavar="SESSION")
    report.add_argument("-o", "--output", required=True, metavar="FILE.html")
    report.add_argument(
        "--lang", default=None, choices=["nl", "en"], help="language (default: the session's)"
    )
    report.add_argument(
        "--notebook", default=None, help="your own copy of notebooks/02_workshop_report.ipynb"
    )
    report.set_defaults(handler=_report)

    purge = commands.add_parser(
        "purge", help="delete a session's answers, participants and contributions"
    )
    purge.add_argument("session", metavar="SESSION")
    purge.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    purge.set_defaults(handler=_purge)


def _export(args) -> int:
    from ..export import export_session

    target = writable_target(args.output, folder=args.format == "csv")
    store = open_store()
    session = require_session(store, args.session)
    try:
        written = export_session(store, session.code, args.format, target)
    except OSError as exc:
        raise CommandError(f"cannot write {target}: {exc.strerror}") from None
    for path in written:
        print(f"wrote {path}")
    return 0


def _report(args) -> int:
    from ..report import build_report
    from ..store import database_url

    target = writable_target(args.output)
    store = open_store()
    session = require_session(store, args.session)
    try:
        path = build_report(
            session.code,
            target,
            db_url=database_url(),
            lang=args.lang or session.lang,
            notebook=args.notebook,
        )
    except OSError as exc:
        raise CommandError(f"cannot write {target}: {exc.strerror}") from None
    except Exception as exc:  # nbconvert's CellExecutionError and friends
        reason = f"{exc.ename}: {exc.evalue}" if hasattr(exc, "ename") else str(exc).splitlines()[0]
        raise CommandError(
            f"the report notebook failed ({reason[:300]}); open it in JupyterLab to see where"
        ) from None
    print(f"wrote {path}")
    return 0


def _purge(args) -> int:
    from ..paths import data_dir

    store = open_store()
    session = require_session(store, args.session)
    counts = store.participant_counts(session.id)
    if not args.yes:
        if not sys.stdin.isatty():
            raise CommandError("refusing to delete without confirmation; add --yes")
        answer = input(
            f"Delete session {session.code} ({session.title or 'untitled'}) with "
            f"its {counts['joined']} participants and all their answers? "
            "Type the code to confirm: "
        )
        if answer.strip().upper() != session.code:
            print("Nothing deleted.")
            return 1
    deleted = store.purge(session.id)
    removed = []
    for path in data_dir().glob(f"join-{session.code}.*"):
        path.unlink()
        removed.append(path.name)
    print(
        f"Deleted session {session.code}: {deleted['answers']} answers, "
        f"{deleted['contributions']} contributions, {deleted['participants']} participants"
        + (f"; removed {', '.join(removed)}" if removed else "")
        + "."
    )
    return 0
