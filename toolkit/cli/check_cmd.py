"""``workshop check``: will this machine carry the workshop? Content, capacity, offline."""

from __future__ import annotations

import math
import re

from .common import CommandError

__all__ = ["register", "outside_references", "suggested_workers"]

_EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//(?!127\.|localhost)""", re.I)


def register(commands) -> None:
    parser = commands.add_parser("check", help="before the workshop: content, capacity, offline")
    parser.add_argument("--expected", type=int, default=30, help="how many participants you expect")
    parser.add_argument("--programme", metavar="FILE", help="also check this workshop programme")
    parser.add_argument(
        "--skip-server",
        action="store_true",
        help="only check the content (no measurement, no test server)",
    )
    parser.set_defaults(handler=_check)


def outside_references(html: str) -> list[str]:
    """src/href attributes in a page that point at another host.

    Examples
    --------
    >>> outside_references('<script src="https://cdn.example/x.js"></script><a href="/x">')
    ['src="https://']
    """
    return [m.group(0) for m in _EXTERNAL.finditer(html)]


def _check(args) -> int:
    from ..exercises.check import check_content
    from ..server.capacity import capacity, measure_participant_server

    if args.programme:
        import os

        from ..exercises.programme import load_programme
        from ..settings import Settings

        programme, folder = load_programme(args.programme)
        if folder is not None:
            os.environ.update(Settings(exercises=(folder.resolve(),)).environ())
        print(
            f"programme: '{programme.title}', {len(programme.steps)} steps, "
            f"{programme.minutes()} minutes planned"
        )
    check_content()
    print("content: organisations, relations, exercises and data flows are valid")
    if args.skip_server:
        print("verdict: OK (content only; run without --skip-server to measure this machine)")
        return 0
    cost = measure_participant_server()
    fit = capacity(cost, expected=args.expected)
    wave, thousand = fit["wave"], fit["wave_1000"]
    print(
        f"participant server: {cost.base_rss_mb:.0f} MB, {cost.mb_per_participant * 1000:.0f} KB "
        f"more per connected participant; {cost.cpu_ms_per_join:.0f} ms CPU per join and "
        f"{cost.answer_ms(0):.0f} ms per answer, plus {cost.cpu_ms_per_answer_per_page:.2f} ms "
        f"per connected page that gets its live update and "
        f"{1000 * cost.cpu_ms_per_answer_per_row:.0f} ms per 1,000 answers stored for the "
        f"exercise (answer acknowledged in {cost.ack_ms_p50:.0f} ms, median)"
    )
    print(
        f"this machine: {fit['cores']} cores, {fit['available_mb']} MB available -> memory "
        f"for about {fit['by_memory']} participants; one participant server process (one "
        f"core) keeps up with about {fit['by_cpu']} people joining within a minute and "
        f"answering 10 times each. {args.expected} people: about {wave['cpu_seconds']:.0f} "
        f"CPU seconds, {wave['busiest_second_core_share']:.0%} of a core at the busiest "
        "moment"
        + (
            f"; 1,000 people: about {thousand['cpu_seconds']:.0f} CPU seconds"
            if args.expected != 1000
            else ""
        )
    )
    workers = suggested_workers(args.expected, fit["by_cpu"], fit["cores"])
    print(
        f"suggested: `workshop serve --expected {args.expected} --workers {workers}`"
        + (" (one worker per core at most)" if workers > 1 else "")
    )
    ok = True
    if fit["by_memory"] < args.expected:
        ok = False
        print(
            f"SHORT: {args.expected} expected but memory holds about {fit['by_memory']}. "
            "Close other programs or use a machine with more memory."
        )
    if fit["by_cpu"] * workers < args.expected:
        ok = False
        print(
            f"SHORT: {args.expected} people arriving within a minute need "
            f"{wave['busiest_second_core_share']:.0%} of a core at the busiest moment; "
            f"answers will wait. About {fit['by_cpu'] * workers} fit with {workers} "
            f"worker{'s' if workers > 1 else ''}; let people join in groups, or use a "
            "machine with more or faster cores."
        )
    ok &= _offline_check()
    print("verdict: OK" if ok else "verdict: NOT READY (see above)")
    return 0 if ok else 1


def suggested_workers(expected: int, by_cpu: int, cores: int) -> int:
    """Workers for ``expected`` participants when one process keeps up with ``by_cpu`` of
    them (joining within a minute and answering ten times: the worst rush): one process
    per such share, never more than this machine's cores.

    Examples
    --------
    >>> [suggested_workers(n, by_cpu, cores) for n, by_cpu, cores in
    ...  [(100, 1683, 8), (1000, 778, 2), (3000, 778, 2), (3000, 778, 8)]]
    [1, 2, 2, 4]
    """
    return max(1, min(cores, math.ceil(expected / max(by_cpu, 1))))


def _offline_check() -> bool:
    """Start a participant server on loopback; its pages (join, an exercise, the map) must
    carry the same-host-only policy and reference no other host."""
    import asyncio
    import tempfile
    from pathlib import Path

    from ..exercises.loader import default_exercises
    from ..server.launch import ServerSpec
    from ..server.supervisor import ServerFailed, Supervisor
    from ..settings import Settings
    from ..store import Store
    from ..web.client import Participant

    port = _free_port()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/check.db"
        store = Store.open(url)
        exercises = [e.id for e in default_exercises()]
        code = store.create_session("check", exercises=exercises).code
        store.close()
        spec = ServerSpec(
            routes={},
            ip="127.0.0.1",
            port=port,
            role="check",
            kind="web",
            session=code,
            env=Settings(db=url, data=Path(tmp)).environ(),
        )
        supervisor = Supervisor([spec], Path(tmp) / "logs")
        try:
            supervisor.start()
        except ServerFailed as exc:
            raise CommandError(f"the test server did not start: {exc}") from None

        async def pages() -> list:
            person = Participant(f"http://127.0.0.1:{port}", code, "Controle")
            await person.join()
            found = []
            for path in (f"/s/{code}/", f"/s/{code}/e/{exercises[0]}", f"/s/{code}/map"):
                response = await person.fetch(path)
                found.append((path, response))
            return found

        try:
            for path, response in asyncio.run(pages()):
                page = response.body.decode("utf-8", "replace")
                policy = response.headers.get("Content-Security-Policy", "")
                references = outside_references(page)
                if response.code != 200 or references or "default-src 'self'" not in policy:
                    ok = False
                    print(
                        f"OUTSIDE REQUESTS possible on {path}: "
                        f"{references or 'no same-host-only policy'} (status {response.code})"
                    )
            if ok:
                print("offline: the participant pages and the map load only from this server")
        finally:
            supervisor.stop()
    return ok


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
