"""Load and validate stakeholder content: a CSV pair, a GraphML file or a GEXF file."""

from __future__ import annotations

import datetime
import html
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from ..paths import datasets_dir
from .csvfile import file_stamp, read_rows
from .problems import ContentError, Problem
from .vocabulary import Vocabulary, default_vocabulary

__all__ = [
    "StakeholderData",
    "load_stakeholders",
    "load_graph_file",
    "load_default",
    "shipped_dataset",
    "ORGANISATION_COLUMNS",
    "RELATION_COLUMNS",
]

ORGANISATION_COLUMNS = (
    "id",
    "name",
    "type",
    "sectors",
    "description_nl",
    "description_en",
    "url",
    "source",
)
RELATION_COLUMNS = (
    "source",
    "target",
    "relation",
    "since",
    "description",
    "source_url",
    "confidence",
)
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SINCE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_URL = re.compile(r"^https?://[^\s<>\"']+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
MAX_TEXT = 2000


@dataclass
class StakeholderData:
    """Validated organisations and relations, as lists of plain dicts.

    ``organisations`` rows carry the columns of ``ORGANISATION_COLUMNS`` (``sectors`` as a
    list) plus any extra column of the source file; ``relations`` rows likewise (a
    ``weight``, where the file has one, as a number). Rows added by workshop participants
    carry ``contributed=True``. ``directed`` is False for an undirected graph file: its
    relations link both ends alike.

    Examples
    --------
    >>> data = load_default()
    >>> len(data.organisations) >= 35 and len(data.relations) >= 70
    True
    >>> data.organisation("kennisnet")["name"]
    'Kennisnet'
    """

    organisations: list[dict] = field(default_factory=list)
    relations: list[dict] = field(default_factory=list)
    vocabulary: Vocabulary = field(default_factory=default_vocabulary)
    origin: str = ""
    directed: bool = True  # relations have a direction (CSV); a graph file may have none

    def organisation(self, org_id: str) -> dict:
        """Return the row of one organisation (KeyError when unknown)."""
        for row in self.organisations:
            if row["id"] == org_id:
                return row
        raise KeyError(org_id)

    def ids(self) -> list[str]:
        """Return every organisation id."""
        return [row["id"] for row in self.organisations]

    def organisations_frame(self):
        """Return the organisations as a pandas DataFrame indexed by id."""
        import pandas as pd

        frame = pd.DataFrame(self.organisations)
        frame["sectors"] = frame["sectors"].map(";".join)
        return frame.set_index("id")

    def relations_frame(self):
        """Return the relations as a pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame(self.relations)

    def with_additions(self, organisations: Iterable[dict], relations: Iterable[dict]):
        """Return a copy with extra (already validated) rows, marked ``contributed``."""
        orgs = [*self.organisations, *({**o, "contributed": True} for o in organisations)]
        rels = [*self.relations, *({**r, "contributed": True} for r in relations)]
        return replace(self, organisations=orgs, relations=rels)


def shipped_dataset() -> StakeholderData:
    """The shipped dataset, read and validated once per version of its files, shared.

    Every caller gets the same object: read it, never change it (``load_default`` gives a
    copy of one's own). Editing ``organisations.csv`` or ``relations.csv`` (a new
    modification time or size) has the next call read them again.

    Examples
    --------
    >>> shipped_dataset() is shipped_dataset()
    True
    """
    folder = datasets_dir() / "stakeholders"
    paths = (folder / "organisations.csv", folder / "relations.csv")
    return _shipped(*map(str, paths), file_stamp(*paths))


@lru_cache(maxsize=4)
def _shipped(organisations: str, relations: str, stamp: tuple) -> StakeholderData:
    return load_stakeholders(organisations, relations)


def load_default() -> StakeholderData:
    """Load the shipped dataset from ``datasets/stakeholders/`` (sources required).

    The files are read and validated once per version (``shipped_dataset``); each call
    returns a copy of its own (new lists and rows), so changing it changes nobody else's.

    Examples
    --------
    >>> mine = load_default()
    >>> mine.organisations[0]["name"] = "changed"
    >>> load_default().organisations[0]["name"] != "changed"
    True
    """
    data = shipped_dataset()
    return replace(
        data,
        organisations=[{**row, "sectors": list(row["sectors"])} for row in data.organisations],
        relations=[dict(row) for row in data.relations],
    )


def load_stakeholders(
    organisations: str | Path,
    relations: str | Path,
    *,
    vocabulary: Vocabulary | None = None,
    require_sources: bool = True,
) -> StakeholderData:
    """Load a CSV pair and validate it; raise ContentError listing every problem.

    With ``require_sources=False`` (a researcher's own data) only ``id`` and ``source``/
    ``target`` are required; a missing type becomes ``other``, a missing relation
    ``related_to``.
    """
    vocab = vocabulary or default_vocabulary()
    problems: list[Problem] = []
    listed: set[str] = set()  # every id in the file, also on rows with a problem of their own
    org_rows = list(read_rows(Path(organisations), ("id",), problems, listed))
    rel_rows = list(read_rows(Path(relations), ("source", "target"), problems))
    validator = _Validator(vocab, require_sources, problems)
    orgs = validator.organisations(org_rows, str(organisations))
    rels = validator.relations(rel_rows, str(relations), listed)
    if problems:
        raise ContentError(problems)
    return StakeholderData(orgs, rels, vocab, origin=f"{organisations} + {relations}")


def load_graph_file(
    path: str | Path, *, vocabulary: Vocabulary | None = None, require_sources: bool = False
) -> StakeholderData:
    """Load a GraphML or GEXF file through the same validation as the CSV pair.

    Node ids are kept exactly as the file gives them (networkx and Gephi write names such
    as "Gemeente Den Haag" or ids such as ``n0``); only an empty id or one with a control
    character is refused. An undirected graph stays undirected (``directed=False``), and an
    edge's ``weight`` is read as a positive number.

    Examples
    --------
    >>> import tempfile, networkx as nx
    >>> path = f"{tempfile.mkdtemp()}/net.graphml"
    >>> nx.write_graphml(nx.florentine_families_graph(), path)
    >>> data = load_graph_file(path)
    >>> data.directed, "Medici" in data.ids()
    (False, True)
    """
    import networkx as nx

    path = Path(path)
    vocab = vocabulary or default_vocabulary()
    suffix = path.suffix.lower()
    readers = {".graphml": nx.read_graphml, ".gexf": nx.read_gexf}
    if suffix not in readers:
        raise ContentError(
            [
                Problem(
                    str(path),
                    None,
                    None,
                    f"unknown file type '{suffix}'",
                    "use a .graphml or .gexf file, or a CSV pair",
                )
            ]
        )
    if not path.is_file():
        raise ContentError([Problem(str(path), None, None, "file not found", "check the path")])
    try:
        graph = readers[suffix](path)
    except Exception as exc:  # networkx raises many kinds on broken XML
        raise ContentError(
            [
                Problem(
                    str(path),
                    None,
                    None,
                    f"cannot be read as {suffix[1:].upper()} ({exc})",
                    "export it again from Gephi or networkx",
                )
            ]
        ) from None
    node_lines, edge_lines = _xml_lines(path)
    org_rows = []
    for node, attrs in graph.nodes(data=True):
        row = {k: _text(v) for k, v in attrs.items()}
        row["id"] = str(node)
        row.setdefault("name", row.pop("label", "") or str(node))
        org_rows.append((node_lines.get(str(node)), row))
    rel_rows = []
    for u, v, attrs in graph.edges(data=True):
        row = {k: _text(v) for k, v in attrs.items() if k not in ("id", "key")}
        row.update(source=str(u), target=str(v))
        line = edge_lines.get((str(u), str(v)))
        if line is None and not graph.is_directed():
            line = edge_lines.get((str(v), str(u)))
        rel_rows.append((line, row))
    problems: list[Problem] = []
    validator = _Validator(vocab, require_sources, problems, any_id=True)
    orgs = validator.organisations(org_rows, str(path))
    rels = validator.relations(rel_rows, str(path), {row["id"] for _, row in org_rows})
    if problems:
        raise ContentError(problems)
    return StakeholderData(orgs, rels, vocab, origin=str(path), directed=graph.is_directed())


def _text(value) -> str:
    return "" if value is None else str(value)


def _weight(value) -> float | int | None:
    """A relation's weight as a positive finite number (an int stays an int), or None.

    Examples
    --------
    >>> _weight("2"), _weight("0.5"), _weight("-1"), _weight("heavy"), _weight("nan")
    (2, 0.5, None, None, None)
    """
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or number <= 0:
        return None
    return int(number) if number.is_integer() and "." not in str(value) else number


def _xml_lines(path: Path) -> tuple[dict, dict]:
    """Map node ids and (source, target) pairs to their line in an XML graph file."""
    nodes, edges = {}, {}
    node_re = re.compile(r"<node\b[^>]*\bid=\"([^\"]*)\"")
    edge_re = re.compile(r"<edge\b[^>]*")
    attr_re = re.compile(r"\b(source|target)=\"([^\"]*)\"")
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            for match in node_re.finditer(line):
                nodes.setdefault(_unescape(match.group(1)), number)
            for match in edge_re.finditer(line):
                ends = dict(attr_re.findall(match.group(0)))
                if "source" in ends and "target" in ends:
                    key = (_unescape(ends["source"]), _unescape(ends["target"]))
                    edges.setdefault(key, number)
    return nodes, edges


def _unescape(text: str) -> str:
    return html.unescape(text)


def _valid_since(value: str) -> bool:
    """True for YYYY, YYYY-MM or YYYY-MM-DD naming a real month or date."""
    if not _SINCE.match(value):
        return False
    parts = value.split("-")
    try:
        datetime.date(
            int(parts[0]),
            int(parts[1]) if len(parts) > 1 else 1,
            int(parts[2]) if len(parts) > 2 else 1,
        )
    except ValueError:
        return False
    return True


class _Validator:
    """Row checks shared by every input format; appends Problems instead of raising."""

    def __init__(
        self,
        vocab: Vocabulary,
        require_sources: bool,
        problems: list[Problem],
        *,
        any_id: bool = False,
    ):
        self.vocab = vocab
        self.strict = require_sources
        self.problems = problems
        self.any_id = any_id  # a graph file's ids: as given (not only lowercase slugs)

    def _add(self, file, line, column, message, fix):
        self.problems.append(Problem(file, line, column, message, fix))

    def _choice(self, file, line, column, value, kind):
        allowed = self.vocab.ids(kind)
        if not value:
            self._add(file, line, column, "missing value", f"fill in one of: {', '.join(allowed)}")
            return False
        if value not in allowed:
            shown = value if len(value) <= 40 else value[:40] + "..."
            self._add(
                file,
                line,
                column,
                f"unknown value '{shown}'",
                f"use one of: {', '.join(allowed)} (or add it to vocabulary.yaml)",
            )
            return False
        return True

    def _url(self, file, line, column, value, required):
        if not value:
            if required:
                self._add(
                    file,
                    line,
                    column,
                    "missing source",
                    "give the https:// address of the public page this fact comes from",
                )
            return
        if not _URL.match(value):
            self._add(
                file,
                line,
                column,
                f"'{value[:60]}' is not a web address",
                "use a full http:// or https:// address",
            )

    def _long_texts(self, file, line, row):
        for column, value in row.items():
            if isinstance(value, str) and len(value) > MAX_TEXT:
                self._add(
                    file,
                    line,
                    column,
                    f"text of {len(value)} characters",
                    f"shorten it to at most {MAX_TEXT}",
                )

    def organisations(self, rows, file) -> list[dict]:
        seen: dict[str, int | None] = {}
        result = []
        for line, row in rows:
            org_id = row.get("id", "")
            ok = True
            if self.any_id and (not org_id.strip() or _CONTROL.search(org_id)):
                ok = False
                shown = org_id[:40].encode("unicode_escape").decode()
                self._add(
                    file,
                    line,
                    "id",
                    f"'{shown}' is not a usable id (empty, or with a control character)",
                    "give every node a visible id (any text: names and spaces are fine)",
                )
            elif not self.any_id and not _SLUG.match(org_id):
                ok = False
                self._add(
                    file,
                    line,
                    "id",
                    f"'{org_id[:40]}' is not a valid id",
                    "use lowercase letters, digits and '-' (e.g. 'po-raad')",
                )
            elif org_id in seen:
                ok = False
                self._add(
                    file,
                    line,
                    "id",
                    f"duplicate id '{org_id}' (first on line {seen[org_id]})",
                    "give every organisation its own id",
                )
            seen.setdefault(org_id, line)
            row.setdefault("name", "")
            if not row["name"]:
                if self.strict:
                    self._add(file, line, "name", "missing name", "give the organisation's name")
                row["name"] = org_id
            row["type"] = row.get("type") or ("" if self.strict else "other")
            ok &= self._choice(file, line, "type", row["type"], "organisation_types")
            sectors = [s.strip() for s in re.split(r"[;,|]", row.get("sectors", "")) if s.strip()]
            for sector in sectors:
                ok &= self._choice(file, line, "sectors", sector, "sectors")
            row["sectors"] = sectors
            for column in ("description_nl", "description_en", "url", "source"):
                row.setdefault(column, "")
            self._url(file, line, "url", row["url"], required=False)
            self._url(file, line, "source", row["source"], required=self.strict)
            self._long_texts(file, line, row)
            if ok:
                result.append(row)
        return result

    def relations(self, rows, file, known_ids: set[str]) -> list[dict]:
        seen: dict[tuple, int | None] = {}
        result = []
        for line, row in rows:
            ok = True
            for column in ("source", "target"):
                if row.get(column, "") not in known_ids:
                    ok = False
                    self._add(
                        file,
                        line,
                        column,
                        f"unknown organisation id '{row.get(column)}'",
                        "use an id from the organisations file, or add that organisation",
                    )
            if ok and row["source"] == row["target"]:
                ok = False
                self._add(
                    file,
                    line,
                    "target",
                    "a relation from an organisation to itself",
                    "remove the row or correct the target",
                )
            row["relation"] = row.get("relation") or ("" if self.strict else "related_to")
            ok &= self._choice(file, line, "relation", row["relation"], "relation_types")
            row["confidence"] = row.get("confidence") or ("" if self.strict else "medium")
            ok &= self._choice(file, line, "confidence", row["confidence"], "confidence")
            row.setdefault("since", "")
            if row["since"] and not _valid_since(row["since"]):
                self._add(
                    file,
                    line,
                    "since",
                    f"'{row['since'][:20]}' is not a year or date",
                    "write YYYY or YYYY-MM-DD, or leave it empty",
                )
            for column in ("description", "source_url"):
                row.setdefault(column, "")
            if "weight" in row:
                weight = _weight(row["weight"])
                if weight is None:
                    ok = False
                    self._add(
                        file,
                        line,
                        "weight",
                        f"'{str(row['weight'])[:20]}' is not a positive number",
                        "give the relation's weight as a number above 0, or leave it out",
                    )
                else:
                    row["weight"] = weight
            self._url(file, line, "source_url", row["source_url"], required=self.strict)
            self._long_texts(file, line, row)
            key = (row.get("source"), row.get("target"), row["relation"])
            if ok and key in seen:
                ok = False
                self._add(
                    file,
                    line,
                    "relation",
                    f"duplicate of line {seen[key]}",
                    "remove one of the two rows",
                )
            seen.setdefault(key, line)
            if ok:
                result.append(row)
        return result
