"""The data flows of a school (``datasets/flows/flows.csv``) for the data-flow exercise."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from ..paths import datasets_dir
from .problems import ContentError, Problem

__all__ = ["FLOW_COLUMNS", "load_flows"]

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


@lru_cache(maxsize=8)
def load_flows(relative: str = "flows/flows.csv") -> tuple[dict, ...]:
    """Read and check the flows file (relative to ``datasets/``).

    Examples
    --------
    >>> flows = load_flows()
    >>> len(flows) >= 7 and all(f["processor_agreement"] in ("yes", "no") for f in flows)
    True
    """
    path = Path(datasets_dir()) / relative
    problems, rows, seen = [], [], set()
    try:
        reader = csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines())
        missing = [c for c in FLOW_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ContentError(
                [
                    Problem(
                        str(path),
                        1,
                        ",".join(missing),
                        "column missing",
                        "add it to the header row",
                    )
                ]
            )
        for line, row in enumerate(reader, start=2):
            if row["id"] in seen:
                problems.append(
                    Problem(
                        str(path),
                        line,
                        "id",
                        f"duplicate id '{row['id']}'",
                        "give each flow its own id",
                    )
                )
            seen.add(row["id"])
            if row["processor_agreement"] not in ("yes", "no"):
                problems.append(
                    Problem(
                        str(path),
                        line,
                        "processor_agreement",
                        f"'{row['processor_agreement']}' is not yes or no",
                        "write yes or no",
                    )
                )
            if not row["source_url"].startswith(("https://", "http://")):
                problems.append(
                    Problem(
                        str(path),
                        line,
                        "source_url",
                        "missing source",
                        "give the public page the flow is described on",
                    )
                )
            rows.append({k: (v or "").strip() for k, v in row.items() if k})
    except OSError as exc:
        raise ContentError(
            [Problem(str(path), None, None, f"cannot be read ({exc})", "check the path")]
        ) from None
    if problems:
        raise ContentError(problems)
    return tuple(rows)
