"""Problems found in content files, reported all at once as ``file:line: column: message``."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Problem", "ContentError"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a content file, with where it is and how to fix it.

    Examples
    --------
    >>> str(Problem("orgs.csv", 4, "type", "unknown type 'bank'", "use one of: agency, network"))
    "orgs.csv:4: type: unknown type 'bank', use one of: agency, network"
    """

    file: str
    line: int | None
    column: str | None
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        column = f" {self.column}:" if self.column else ""
        fix = f", {self.fix}" if self.fix else ""
        return f"{where}:{column} {self.message}{fix}"


class ContentError(ValueError):
    """Raised with every problem of a content file (or set of files) at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(self.report())

    def report(self) -> str:
        """Return all problems, one per line, preceded by a count."""
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])
