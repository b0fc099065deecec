"""The data flows of a school (``datasets/flows/flows.csv``) for the data-flow exercise."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..paths import datasets_dir
from .csvfile import file_stamp, read_rows
from .problems import ContentError, Problem

__all__ = ["FLOW_COLUMNS", "DEFAULT_FLOWS", "load_flows", "flows_for"]

FLOW_COLUMNS = (
    "id",
    "name_nl",
    "name_en",
    "from_system",
    "to_party",
    "data_nl",
    "data_en",
    "processor_agreement",
    "description_nl",
    "description_en",
    "source_url",
)
DEFAULT_FLOWS = "flows/flows.csv"  # relative to datasets/


def flows_for(question) -> tuple[dict, ...]:
    """The flows a ``flow_check`` question asks about: those of the file it names.

    The one way every screen gets a question's flows (the phones, the presenter view, the
    dashboard, the report and the exports), so all of them show the same ones.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> flows_for(SimpleNamespace(flows_file=DEFAULT_FLOWS)) == load_flows()
    True
    """
    return load_flows(getattr(question, "flows_file", None) or DEFAULT_FLOWS)


def load_flows(relative: str = DEFAULT_FLOWS) -> tuple[dict, ...]:
    """Read and check a flows file (relative to ``datasets/``), once per version of the file.

    Examples
    --------
    >>> flows = load_flows()
    >>> len(flows) >= 7 and all(f["processor_agreement"] in ("yes", "no") for f in flows)
    True
    """
    path = Path(datasets_dir()) / relative
    return _load(str(path), file_stamp(path))


@lru_cache(maxsize=8)
def _load(name: str, stamp: tuple) -> tuple[dict, ...]:
    path = Path(name)
    problems: list[Problem] = []
    rows, seen = [], set()
    for line, row in read_rows(path, FLOW_COLUMNS, problems):
        if row["id"] in seen:
            problems.append(
                Problem(
                    name, line, "id", f"duplicate id '{row['id']}'", "give each flow its own id"
                )
            )
        seen.add(row["id"])
        if row["processor_agreement"] not in ("yes", "no"):
            problems.append(
                Problem(
                    name,
                    line,
                    "processor_agreement",
                    f"'{row['processor_agreement']}' is not yes or no",
                    "write yes or no",
                )
            )
        if not row["source_url"].startswith(("https://", "http://")):
            problems.append(
                Problem(
                    name,
                    line,
                    "source_url",
                    "missing source",
                    "give the public page the flow is described on",
                )
            )
        rows.append(row)
    if problems:
        raise ContentError(problems)
    return tuple(rows)
