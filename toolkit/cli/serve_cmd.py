"""``workshop serve``: one command for a whole workshop (participants + dashboard)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta

from ..i18n import LANGUAGES
from .common import CommandError, open_store, use_programme

__all__ = ["register", "write_qr"]

REUSE_WITHIN = timedelta(hours=12)


def register(commands) -> None:
    parser = commands.add_parser(
        "serve", help="start the participant app (LAN) and the facilitator dashboard (local)"
    )
    parser.add_argument("--session", metavar="CODE", help="continue this session")
    parser.add_argument(
        "--programme",
        metavar="FILE",
        help="run this workshop programme (YAML; `workshop programme new -o FILE` writes one)",
    )
    parser.add_argument(
        "--new", action="store_true", help="start a new session even if a recent one exists"
    )
    parser.add_argument(
        "--title", default="Workshop informatiemanagement", help="title of a new session"
    )
    parser.add_argument(
        "--organiser",
        default="",
        help="who organises and is responsible for the data (join screen)",
    )
    parser.add_argument("--lang", default="nl", choices=LANGUAGES)
    parser.add_argument(
        "--host",
        default="0.0.0.0",  # noqa: S104 - the LAN is the point
        help="address for participants (default: all interfaces)",
    )
    parser.add_argument("--port", type=int, default=8866, help="participant port (8866)")
    parser.add_argument(
        "--dashboard-port", type=int, default=8867, help="dashboard port on 127.0.0.1 (8867)"
    )
    parser.add_argument(
        "--expected",
        type=int,
        default=30,
        help="how many participants you expect (checked against what this machine holds)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="participant processes sharing the port, one per core at most (Linux and "
        "macOS; Windows runs one). `workshop check --expected N` suggests a number. 0: "
        "start only the dashboard; participants are served elsewhere (workers behind nginx "
        "on the same PostgreSQL, WORKSHOP_DB; needs --public-url)",
    )
    parser.add_argument(
        "--public-url",
        default="",
        metavar="URL",
        help="the address participants open when it is not this machine's, e.g. "
        "https://workshop.example.org (the join link and QR code use it)",
    )
    parser.set_defaults(handler=_serve)


def write_qr(url: str, folder, code: str) -> list:
    """Write the join QR code as SVG and PNG (for a slide); return the paths."""
    import segno

    folder.mkdir(parents=True, exist_ok=True)
    qr = segno.make(url, error="m")
    paths = [folder / f"join-{code}.svg", folder / f"join-{code}.png"]
    qr.save(paths[0], scale=10, border=2)
    qr.save(paths[1], scale=12, border=2)
    return paths


def _choose_session(store, args, programme=None):
    from ..exercises.library import exercise_library
    from ..exercises.programme import programme_room

    if args.session:
        from .session_cmd import require_session

        return require_session(store, args.session), "continuing"
    if not args.new:
        recent = store.list_sessions()
        if recent and _same_workshop(recent[0], programme):
            created = recent[0].created_at
            if created.tzinfo is None:
                created = created.replace(tzinfo=UTC)
            if datetime.now(UTC) - created < REUSE_WITHIN:
                return recent[0], "continuing"
    if programme is not None:
        session = store.create_session(
            programme.title,
            lang=programme.language,
            organiser=programme.organiser,
            exercises=[s.exercise for s in programme.steps if s.open],
            room=programme_room(programme),
            free_text_visible=programme.open_answers_visible,
        )
        return session, "new"
    session = store.create_session(
        args.title,
        lang=args.lang,
        organiser=args.organiser,
        exercises=list(exercise_library()),
    )
    return session, "new"


def _same_workshop(session, programme) -> bool:
    """Is ``session`` one of this programme (or, without one, one without a programme)?"""
    title = (session.room.get("programme") or {}).get("title")
    return title == (programme.title if programme is not None else None)


def _serve(args) -> int:
    from dataclasses import replace

    from ..exercises.check import check_content
    from ..paths import data_dir
    from ..server.plan import plan_servers, port_problem
    from ..server.supervisor import ServerFailed, Supervisor, install_signal_handlers
    from ..settings import current
    from ..store import database_url

    if not 1 <= args.expected <= 10_000:
        raise CommandError("--expected must be between 1 and 10000")
    if not 0 <= args.workers <= 64:
        raise CommandError("--workers must be between 0 and 64 (one per core is plenty)")
    public_url = _public_url(args.public_url)
    if args.workers == 0 and not public_url:
        raise CommandError(
            "--workers 0 starts only the dashboard; say where participants join with "
            "--public-url (e.g. --public-url https://workshop.example.org)"
        )
    programme = None
    if args.programme:  # its own exercises folder: the servers (children) read it too
        programme = use_programme(args.programme)
    check_content()
    addresses = [("127.0.0.1", args.dashboard_port)]
    if args.workers:
        addresses.insert(0, (args.host, args.port))
    for host, port in addresses:
        problem = port_problem(host, port)
        if problem:
            raise CommandError(problem)
    store = open_store()
    session, how = _choose_session(store, args, programme)
    store.close()
    folder = data_dir()
    url = database_url()
    # The servers get this process's settings, with the store and the data folder spelled out.
    env = {**replace(current(), db=url, data=folder).environ(), "PYTHONUNBUFFERED": "1"}
    plan = plan_servers(
        code=session.code,
        host=args.host,
        port=args.port,
        dashboard_port=args.dashboard_port,
        env=env,
        workers=args.workers,
        public_url=public_url,
    )
    if plan.participant is None and url.startswith("sqlite"):
        print(
            "Note: the store is a SQLite file on this machine; participant workers on other "
            "machines need the same database: set WORKSHOP_DB=postgresql://...",
            flush=True,
        )
    qr_paths = write_qr(plan.join_url, folder, session.code)
    specs = [spec for spec in (plan.participant, plan.dashboard) if spec is not None]
    supervisor = Supervisor(specs, folder / "logs")
    print(f"Starting the workshop servers ({how} session {session.code})...", flush=True)
    try:
        supervisor.start()
    except ServerFailed as exc:
        raise CommandError(str(exc)) from None
    stopping = []

    def on_stop(signum):
        if not stopping:
            stopping.append(signum)
            _stop(supervisor)

    install_signal_handlers(on_stop)
    _announce(session, how, plan, qr_paths, args.expected)
    failed = supervisor.wait()
    if stopping:
        print("Stopped. All answers are in the store; `workshop serve` continues the session.")
        return 0
    supervisor.stop()
    raise CommandError(
        f"the {failed} server stopped unexpectedly; see {folder / 'logs' / (str(failed) + '.log')}"
    )


def _public_url(value: str) -> str:
    """``--public-url`` checked: an http(s) address without query or fragment, or ""."""
    from urllib.parse import urlsplit

    if not value:
        return ""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise CommandError(
            f"--public-url must be an http:// or https:// address such as "
            f"https://workshop.example.org, not {value!r}"
        )
    return value.strip().rstrip("/")


def _stop(supervisor) -> None:
    print("\nStopping the servers...", flush=True)
    supervisor.stop()


def _announce(session, how, plan, qr_paths, expected) -> None:
    import segno

    title = f' "{session.title}"' if session.title else ""
    lines = [
        "",
        f"Workshop{title}: session {session.code} ({how})",
        f"  Participants join at:  {plan.join_url}",
        *(
            []
            if plan.participant
            else ["  (served by the participant workers there; none are started here)"]
        ),
        f"  QR code for a slide:   {qr_paths[0]}  (and .png)",
        f"  Facilitator dashboard: {plan.dashboard_url}  (this computer only)",
        f"  Presenter view:        {plan.dashboard_url}presenter  (for the projector)",
        f"  Expecting about {expected} participants (`workshop check` says what this "
        "machine holds).",
        "  Stop with Ctrl-C; run `workshop serve` again to continue this session.",
        "",
    ]
    print("\n".join(lines), flush=True)
    try:
        segno.make(plan.join_url, error="m").terminal(out=sys.stdout, compact=True)
    except (UnicodeEncodeError, OSError):
        pass
    sys.stdout.flush()
