"""``workshop programme``: write a starting point for a workshop programme."""

from __future__ import annotations

from pathlib import Path

from .common import CommandError

__all__ = ["register"]


def register(commands) -> None:
    parser = commands.add_parser("programme", help="prepare a workshop programme (YAML)")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    new = actions.add_parser("new", help="write a commented programme to start from")
    new.add_argument("-o", "--output", required=True, metavar="FILE", help="where to write it")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")
    new.set_defaults(handler=_new)


def _new(args) -> int:
    from ..exercises.programme import PROGRAMME_TEMPLATE

    target = Path(args.output)
    if target.exists() and not args.force:
        raise CommandError(f"{target} exists; choose another name or add --force")
    if target.is_dir():
        raise CommandError(f"{target} is a folder; give a file name such as programma.yaml")
    try:
        target.write_text(PROGRAMME_TEMPLATE, encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot write {target} ({exc.strerror})") from None
    print(f"Wrote {target}. Check it with: workshop check --programme {target}")
    return 0
