"""``workshop check``: will this machine carry the workshop? Content, capacity, offline."""

from __future__ import annotations

import re
import urllib.request

from .common import CommandError

__all__ = ["register", "outside_references"]

_EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//(?!127\.|localhost)""", re.I)


def register(commands) -> None:
    parser = commands.add_parser("check", help="before the workshop: content, capacity, offline")
    parser.add_argument("--expected", type=int, default=30, help="how many participants you expect")
    parser.add_argument(
        "--skip-server",
        action="store_true",
        help="do not start a test server (content and kernel only)",
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
    from ..measure import capacity, measure_notebook_kernel
    from ..paths import apps_dir
    from ..server.plan import pool_size
    from .serve_cmd import check_content

    check_content()
    print("content: organisations, relations, exercises and data flows are valid")
    cost = measure_notebook_kernel(apps_dir() / "participant.ipynb", cells=None)
    fit = capacity(cost)
    print(
        f"participant kernel: {cost.uss_mb:.0f} MB own memory (USS), {cost.rss_mb:.0f} MB "
        f"RSS, ready in {cost.start_seconds:.1f} s using {cost.cpu_seconds:.1f} s CPU"
    )
    print(
        f"this machine: {fit['cores']} cores, {fit['available_mb']} MB available -> "
        f"room for about {fit['by_memory']} participants by memory"
    )
    pool = pool_size(args.expected)
    print(
        f"a join wave of 100 keeps {fit['cores']} cores busy for about "
        f"{fit['wave_seconds_per_100']:.0f} s; `workshop serve --expected {args.expected}` "
        f"preheats {pool} kernels"
    )
    ok = True
    if fit["by_memory"] < args.expected:
        ok = False
        print(
            f"SHORT: {args.expected} expected but memory holds about {fit['by_memory']}. "
            "Close other programs, use a machine with more memory, or run two sessions."
        )
    if not args.skip_server:
        ok &= _offline_check()
    print("verdict: OK" if ok else "verdict: NOT READY (see above)")
    return 0 if ok else 1


def _offline_check() -> bool:
    """Start the participant server on loopback; pages must carry the same-host-only CSP
    and reference no other host."""
    import socket
    import tempfile
    from pathlib import Path

    from ..server.launch import ServerSpec
    from ..server.plan import PARTICIPANT_LIMITS, VIS_URL
    from ..server.supervisor import ServerFailed, Supervisor
    from ..store import Store

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/check.db"
        store = Store.open(url)
        code = store.create_session("check").code
        store.close()
        spec = ServerSpec(
            routes={"/": "participant.ipynb", "/map": "explorer.ipynb"},
            ip="127.0.0.1",
            port=port,
            role="check",
            env={"WORKSHOP_DB": url, "WORKSHOP_DATA": tmp, "WORKSHOP_VIS_URL": VIS_URL},
            limits=dict(PARTICIPANT_LIMITS),
        )
        supervisor = Supervisor([spec], Path(tmp) / "logs")
        try:
            supervisor.start()
        except ServerFailed as exc:
            raise CommandError(f"the test server did not start: {exc}") from None
        try:
            for path in (f"/?code={code}", "/map"):
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}{path}",  # noqa: S310
                    timeout=180,
                ) as response:
                    page = response.read().decode("utf-8", "replace")
                    policy = response.headers.get("Content-Security-Policy", "")
                references = outside_references(page)
                if references or "default-src 'self'" not in policy:
                    ok = False
                    print(
                        f"OUTSIDE REQUESTS possible on {path.split('?')[0]}: "
                        f"{references or 'no same-host-only policy'}"
                    )
            if ok:
                print("offline: the participant app and the map load only from this server")
        finally:
            supervisor.stop()
    return ok
