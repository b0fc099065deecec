"""``workshop session``: create and list workshop sessions."""

from __future__ import annotations

from ..i18n import LANGUAGES
from .common import CommandError, open_store

__all__ = ["register"]


def register(commands) -> None:
    parser = commands.add_parser("session", help="create or list workshop sessions")
    sub = parser.add_subparsers(dest="session_command", metavar="ACTION", required=True)
    new = sub.add_parser("new", help="create a session and print its join code")
    new.add_argument("--title", default="", help="shown on the join screen")
    new.add_argument(
        "--organiser",
        default="",
        help="who organises (and is responsible for the data), shown to participants",
    )
    new.add_argument("--lang", default="nl", choices=LANGUAGES)
    new.add_argument(
        "--closed",
        action="store_true",
        help="start with every exercise closed (open them from the dashboard)",
    )
    new.set_defaults(handler=_new)
    listing = sub.add_parser("list", help="list sessions with their number of participants")
    listing.set_defaults(handler=_list)


def _new(args) -> int:
    from ..exercises.loader import default_exercises

    exercises = [] if args.closed else [e.id for e in default_exercises()]
    store = open_store()
    session = store.create_session(
        args.title, lang=args.lang, organiser=args.organiser, exercises=exercises
    )
    print(session.code)
    return 0


def _list(args) -> int:
    store = open_store()
    sessions = store.list_sessions()
    if not sessions:
        print("no sessions yet: `workshop session new --title ...` creates one")
        return 0
    print(f"{'code':8} {'created (UTC)':17} {'joined':>6}  title")
    for s in sessions:
        counts = store.participant_counts(s.id)
        print(f"{s.code:8} {s.created_at:%Y-%m-%d %H:%M} {counts['joined']:>6}  {s.title}")
    return 0


def require_session(store, code: str):
    """Return the session with ``code`` or raise a CommandError that lists the codes."""
    session = store.get_session(code)
    if session is None:
        known = ", ".join(s.code for s in store.list_sessions()[:10]) or "none yet"
        raise CommandError(
            f"no session with code {code!r} (known: {known}); `workshop session list` shows them"
        )
    return session
