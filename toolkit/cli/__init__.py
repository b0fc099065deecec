"""The ``workshop`` command: map, serve, programme, session, export, report, purge, check."""

from __future__ import annotations

import argparse
import sys

from ..content.problems import ContentError
from ..settings import SettingsError, current
from .common import CommandError

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every sub-command registered."""
    from . import after_cmd, check_cmd, map_cmd, programme_cmd, serve_cmd, session_cmd

    parser = argparse.ArgumentParser(
        prog="workshop",
        description="Workshop toolkit for information management in Dutch education.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in (map_cmd, serve_cmd, programme_cmd, session_cmd, after_cmd, check_cmd):
        module.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 2 a user error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        current()  # a WORKSHOP_* variable that cannot be used stops the command before it starts
        return int(args.handler(args) or 0)
    except SettingsError as exc:
        print(f"workshop {args.command}: {exc}", file=sys.stderr)
        return 2
    except ContentError as exc:
        print(exc.report(), file=sys.stderr)
        return 2
    except CommandError as exc:
        print(f"workshop {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
