"""After the workshop: ``workshop export``, ``workshop report`` and ``workshop purge``."""

from __future__ import annotations

import sys

from ..i18n import LANGUAGES
from .common import CommandError, open_store, unlabelled, use_programme, writable_target
from .session_cmd import require_session

__all__ = ["register"]


_PROGRAMME_HELP = (
    "the programme the session ran (YAML), when it has exercises of its own "
    "(exercises_folder): their results are then labelled and kept"
)


def register(commands) -> None:
    export = commands.add_parser(
        "export",
        help="a session's results: a summary, then per exercise one row per participant",
    )
    export.add_argument("session", metavar="SESSION", help="the session code")
    export.add_argument("--format", required=True, choices=["xlsx", "csv", "json"])
    export.add_argument(
        "-o", "--output", required=True, metavar="PATH", help="output file (for csv: a folder)"
    )
    export.add_argument(
        "--lang",
        default=None,
        choices=LANGUAGES,
        help="language of the labels (default: the session's)",
    )
    export.add_argument("--programme", metavar="FILE", help=_PROGRAMME_HELP)
    export.set_defaults(handler=_export)

    report = commands.add_parser("report", help="a self-contained HTML report of a session")
    report.add_argument("session", metavar="SESSION")
    report.add_argument("-o", "--output", required=True, metavar="FILE.html")
    report.add_argument(
        "--lang", default=None, choices=LANGUAGES, help="language (default: the session's)"
    )
    report.add_argument(
        "--notebook", default=None, help="your own copy of notebooks/02_workshop_report.ipynb"
    )
    report.add_argument("--programme", metavar="FILE", help=_PROGRAMME_HELP)
    report.set_defaults(handler=_report)

    purge = commands.add_parser(
        "purge",
        help="delete what identifies people in a session (keeps the group results)",
        description=(
            "Without --all: delete the session's participants (their pseudonyms and resume "
            "tokens), every individual answer and map addition, and free texts except those "
            "that are part of a group result (the needs a dot vote ranked); keep the group "
            "results, so 'workshop report' and 'workshop export' still give the summary. "
            "With --all: delete the session and everything in it, group results included."
        ),
    )
    purge.add_argument("session", metavar="SESSION")
    purge.add_argument(
        "--all",
        action="store_true",
        help="delete everything, the group results and the session itself too",
    )
    purge.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    purge.add_argument("--programme", metavar="FILE", help=_PROGRAMME_HELP)
    purge.set_defaults(handler=_purge)


def _session_of(args):
    """The store and the session of ``args``, with the programme's own exercises (given
    with --programme) in the library."""
    if args.programme:
        use_programme(args.programme)
    store = open_store()
    return store, require_session(store, args.session)


def _unlabelled_names(store, session) -> str:
    """The exercises of ``session`` not known here, quoted for a message ('' if none)."""
    return ", ".join(f"'{m}'" for m in unlabelled(store, session))


def _note_unlabelled(store, session, what: str) -> None:
    """Say on standard error which exercises of ``session`` are not known here, and how to
    include them."""
    names = _unlabelled_names(store, session)
    if names:
        print(
            f"note: session {session.code} ran exercises not found here ({names}): {what}. "
            "Give the session's programme with --programme FILE.",
            file=sys.stderr,
        )


def _export(args) -> int:
    from ..after.export import export_session

    target = writable_target(args.output, folder=args.format == "csv")
    store, session = _session_of(args)
    _note_unlabelled(store, session, "their answers are exported without labels")
    try:
        written = export_session(store, session.code, args.format, target, lang=args.lang)
    except OSError as exc:
        raise CommandError(f"cannot write {target}: {exc.strerror}") from None
    for path in written:
        print(f"wrote {path}")
    return 0


def _report(args) -> int:
    from ..after.report import build_report
    from ..store import database_url

    target = writable_target(args.output)
    store, session = _session_of(args)
    _note_unlabelled(store, session, "the report leaves them out")
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
    from ..results.session import purge_people

    store, session = _session_of(args)
    names = "" if args.all else _unlabelled_names(store, session)
    if names:
        raise CommandError(
            f"session {session.code} ran exercises not found here ({names}), whose group "
            "results could not be kept; nothing deleted. Give the session's programme with "
            "--programme FILE (or delete everything with --all)"
        )
    counts = store.participant_counts(session.id)
    if not args.yes:
        if not sys.stdin.isatty():
            raise CommandError("refusing to delete without confirmation; add --yes")
        what = (
            "delete the whole session, its group results included"
            if args.all
            else f"delete its {counts['joined']} participants and all their answers (the "
            "group results are kept)"
        )
        answer = input(
            f"In session {session.code} ({session.title or 'untitled'}) {what}? "
            "Type the code to confirm: "
        )
        if answer.strip().upper() != session.code:
            print("Nothing deleted.")
            return 1
    if args.all:
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
    deleted = purge_people(store, session)
    print(
        f"Deleted from session {session.code}: {deleted['participants']} participants with "
        f"their pseudonyms and tokens, {deleted['answers']} answers and "
        f"{deleted['contributions']} contributions. Kept the group results of "
        f"{max(deleted['kept'] - 1, 0)} exercises: 'workshop report {session.code}' still works; "
        f"'workshop purge {session.code} --all' deletes them too."
    )
    return 0
