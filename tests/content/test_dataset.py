"""Loading and validating stakeholder content: the shipped dataset, CSV pairs, GraphML, GEXF."""

import re
from pathlib import Path

import networkx as nx
import pytest

from toolkit.content.dataset import (
    ORGANISATION_COLUMNS,
    RELATION_COLUMNS,
    load_default,
    load_graph_file,
    load_stakeholders,
)
from toolkit.content.problems import ContentError, Problem

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "datasets" / "stakeholders"
SMALL = ROOT / "tests" / "data" / "small"
BAD = ROOT / "tests" / "data" / "bad"
ORG_HEADER = ",".join(ORGANISATION_COLUMNS)
REL_HEADER = ",".join(RELATION_COLUMNS)


def load_pair(folder: Path, **kwargs):
    return load_stakeholders(folder / "organisations.csv", folder / "relations.csv", **kwargs)


def problems_of(folder: Path, **kwargs) -> list[Problem]:
    with pytest.raises(ContentError) as caught:
        load_pair(folder, **kwargs)
    return caught.value.problems


def write_pair(folder: Path, organisations: str, relations: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "organisations.csv").write_text(organisations, encoding="utf-8")
    (folder / "relations.csv").write_text(relations, encoding="utf-8")
    return folder


# --- the shipped dataset -------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    return load_default()


def test_shipped_dataset_is_large_enough(shipped):
    """Does the shipped dataset hold at least 65 organisations and 170 relations?"""
    assert len(shipped.organisations) >= 65
    assert len(shipped.relations) >= 170


def test_shipped_dataset_loads_every_csv_row(shipped):
    """Does every data row of the shipped CSV files survive validation?"""
    import csv

    with (SHIPPED / "organisations.csv").open(encoding="utf-8", newline="") as handle:
        org_rows = list(csv.DictReader(handle))
    with (SHIPPED / "relations.csv").open(encoding="utf-8", newline="") as handle:
        rel_rows = list(csv.DictReader(handle))
    assert [row["id"] for row in org_rows] == shipped.ids()
    assert len(rel_rows) == len(shipped.relations)


def test_every_shipped_organisation_has_an_https_source(shipped):
    """Does every shipped organisation name the https page its facts come from?"""
    missing = [o["id"] for o in shipped.organisations if not o["source"].startswith("https://")]
    assert missing == []


def test_every_shipped_relation_has_an_https_source(shipped):
    """Does every shipped relation name the https page it comes from?"""
    missing = [
        (r["source"], r["target"])
        for r in shipped.relations
        if not r["source_url"].startswith("https://")
    ]
    assert missing == []


def test_shipped_relations_only_link_known_organisations(shipped):
    """Do all shipped relations connect two different, known organisations?"""
    ids = set(shipped.ids())
    for row in shipped.relations:
        assert row["source"] in ids and row["target"] in ids
        assert row["source"] != row["target"]


def test_shipped_sectors_are_lists_of_known_sectors(shipped):
    """Are sectors parsed into lists of vocabulary ids?"""
    allowed = set(shipped.vocabulary.ids("sectors"))
    assert shipped.organisation("sivon")["sectors"] == ["po", "vo"]
    for row in shipped.organisations:
        assert isinstance(row["sectors"], list)
        assert set(row["sectors"]) <= allowed


def test_unknown_organisation_lookup_raises_keyerror(shipped):
    """Does asking for an organisation that is not there raise KeyError?"""
    with pytest.raises(KeyError):
        shipped.organisation("no-such-organisation")


# --- the small test dataset ----------------------------------------------------------------


def test_small_dataset_loads_with_sources_required():
    """Does tests/data/small load completely with sources required?"""
    data = load_pair(SMALL)
    assert data.ids() == ["ocw", "kennisnet", "sivon", "po-raad", "mbo-raad", "surf"]
    assert len(data.relations) == 9
    assert str(SMALL / "organisations.csv") in data.origin


def test_small_dataset_keeps_quoted_commas_and_parallel_relations():
    """Does a quoted comma stay inside its field, and do two relations of one pair both load?"""
    data = load_pair(SMALL)
    assert data.organisation("kennisnet")["description_en"] == (
        "Public ICT organisation, guide and builder."
    )
    ocw_kennisnet = {
        r["relation"] for r in data.relations if (r["source"], r["target"]) == ("ocw", "kennisnet")
    }
    assert ocw_kennisnet == {"funds", "governs"}


def test_small_dataset_frames():
    """Do the pandas views have one row per organisation and per relation?"""
    data = load_pair(SMALL)
    orgs = data.organisations_frame()
    assert list(orgs.index) == data.ids()
    assert orgs.loc["surf", "sectors"] == "mbo;ho"
    assert len(data.relations_frame()) == 9


# --- one bad file per kind of error --------------------------------------------------------

# (folder, file, line, column, message part, fix part)
BAD_CASES = [
    (
        "unknown_id",
        "relations.csv",
        4,
        "target",
        "unknown organisation id 'surf'",
        "use an id from the organisations file",
    ),
    (
        "duplicate_id",
        "organisations.csv",
        5,
        "id",
        "duplicate id 'kennisnet' (first on line 3)",
        "give every organisation its own id",
    ),
    (
        "unknown_type",
        "organisations.csv",
        4,
        "type",
        "unknown value 'bank'",
        "use one of: government, agency",
    ),
    (
        "missing_source",
        "organisations.csv",
        3,
        "source",
        "missing source",
        "give the https:// address",
    ),
    (
        "missing_source_url",
        "relations.csv",
        3,
        "source_url",
        "missing source",
        "give the https:// address",
    ),
    (
        "bad_sector",
        "organisations.csv",
        2,
        "sectors",
        "unknown value 'hbo'",
        "use one of: po, vo, mbo, ho",
    ),
    (
        "bad_since",
        "relations.csv",
        3,
        "since",
        "'last year' is not a year or date",
        "write YYYY or YYYY-MM-DD",
    ),
    (
        "unknown_relation",
        "relations.csv",
        2,
        "relation",
        "unknown value 'sponsors'",
        "use one of: member_of, founded, funds",
    ),
    (
        "wrong_fields",
        "organisations.csv",
        3,
        None,
        "9 fields, header has 8",
        "quote values that contain a comma",
    ),
    ("not_utf8", "relations.csv", 3, None, "not UTF-8", "save it as CSV UTF-8"),
    (
        "missing_column",
        "relations.csv",
        1,
        "target",
        "required column missing",
        "add it to the header row",
    ),
    (
        "self_loop",
        "relations.csv",
        4,
        "target",
        "a relation from an organisation to itself",
        "remove the row or correct the target",
    ),
    (
        "duplicate_relation",
        "relations.csv",
        4,
        "relation",
        "duplicate of line 2",
        "remove one of the two rows",
    ),
]


def test_every_bad_fixture_is_covered():
    """Does every folder under tests/data/bad have a test case (and vice versa)?"""
    folders = {p.name for p in BAD.iterdir() if p.is_dir()}
    assert folders == {case[0] for case in BAD_CASES} | {"several"}


@pytest.mark.parametrize(
    ("folder", "file", "line", "column", "message", "fix"), BAD_CASES, ids=[c[0] for c in BAD_CASES]
)
def test_bad_file_names_file_line_column_and_fix(folder, file, line, column, message, fix):
    """Does each kind of error give exactly one problem, as `file:line: column: message, fix`?"""
    problems = problems_of(BAD / folder)
    assert len(problems) == 1, "\n".join(map(str, problems))
    text = str(problems[0])
    path = str(BAD / folder / file)
    prefix = f"{path}:{line}: {column}: " if column else f"{path}:{line}: "
    assert text.startswith(prefix), text
    assert message in text
    assert text.endswith(problems[0].fix)
    assert fix in problems[0].fix


@pytest.mark.parametrize("folder", [c[0] for c in BAD_CASES])
def test_bad_file_report_names_the_short_prefix(folder):
    """Does the ContentError message itself carry the `name.csv:line:` prefix of the problem?"""
    case = next(c for c in BAD_CASES if c[0] == folder)
    _, file, line, column, *_ = case
    with pytest.raises(ContentError) as caught:
        load_pair(BAD / folder)
    short = f"{file}:{line}: {column}:" if column else f"{file}:{line}:"
    assert short in str(caught.value)
    assert str(caught.value).startswith("1 problem found:")


def test_file_with_several_problems_reports_all_of_them():
    """Does a pair with eight different mistakes report all eight at once, in file order?"""
    problems = problems_of(BAD / "several")
    where = [(Path(p.file).name, p.line, p.column) for p in problems]
    assert where == [
        ("organisations.csv", 5, "id"),
        ("organisations.csv", 6, "type"),
        ("organisations.csv", 7, "sectors"),
        ("organisations.csv", 8, "source"),
        ("relations.csv", 4, "target"),
        ("relations.csv", 5, "since"),
        ("relations.csv", 6, "relation"),
        ("relations.csv", 7, "target"),
    ]
    with pytest.raises(ContentError) as caught:
        load_pair(BAD / "several")
    report = str(caught.value)
    assert report.startswith("8 problems found:")
    assert len(report.splitlines()) == 9
    assert all(p.fix for p in problems)


def test_relation_to_an_organisation_with_a_bad_row_is_not_called_unknown():
    """Is a relation to an organisation whose own row is wrong left alone (no 'unknown id')?"""
    problems = problems_of(BAD / "unknown_type")
    assert not any("unknown organisation id" in p.message for p in problems)


def test_problem_after_blank_line_and_multiline_field_names_the_right_line(tmp_path):
    """Does a problem after a blank line and a multi-line quoted field name its own line?"""
    orgs = (
        f"{ORG_HEADER}\n"
        'a,A,network,po,"twee\nregels",,,https://example.org/a\n'  # lines 2-3
        "\n"  # line 4: blank
        "b,B,bank,po,,,,https://example.org/b\n"  # line 5
    )
    rels = f"{REL_HEADER}\na,b,funds,,,https://example.org/r,high\n"
    problems = problems_of(write_pair(tmp_path, orgs, rels))
    assert [(Path(p.file).name, p.line, p.column) for p in problems] == [
        ("organisations.csv", 5, "type")
    ]


def test_relation_with_empty_target_is_reported(tmp_path):
    """Is a relation with an empty target reported, even next to a blank organisations row?"""
    orgs = f"{ORG_HEADER}\na,A,network,po,,,,https://e.org/a\n,,,,,,,\n"
    rels = f"{REL_HEADER}\na,,funds,,,https://e.org/r,high\n"
    problems = problems_of(write_pair(tmp_path, orgs, rels))
    assert [(Path(p.file).name, p.line, p.column, p.message) for p in problems] == [
        ("relations.csv", 2, "target", "unknown organisation id ''")
    ]


def test_unicode_line_separator_inside_a_field_does_not_split_the_row(tmp_path):
    """Does a U+2028 pasted into a description stay in the field (not split the row)?"""
    orgs = (
        f"{ORG_HEADER}\n"
        "a,A,network,po,een\u2028twee,,,https://example.org/a\n"
        "b,B,network,po,,,,https://example.org/b\n"
    )
    rels = f"{REL_HEADER}\na,b,funds,,,https://example.org/r,high\n"
    data = load_pair(write_pair(tmp_path, orgs, rels))
    assert data.organisation("a")["description_nl"] == "een\u2028twee"


@pytest.mark.parametrize("since", ["2019", "2019-09", "2019-09-30", ""])
def test_valid_since_values_pass(tmp_path, since):
    """Are a year, a year-month and a full date (or nothing) accepted as `since`?"""
    orgs = f"{ORG_HEADER}\na,A,network,po,,,,https://e.org/a\nb,B,network,po,,,,https://e.org/b\n"
    rels = f"{REL_HEADER}\na,b,funds,{since},,https://e.org/r,high\n"
    data = load_pair(write_pair(tmp_path, orgs, rels))
    assert data.relations[0]["since"] == since


@pytest.mark.parametrize("since", ["19", "2019/09", "2019-13", "2019-02-30", "sinds 2019"])
def test_invalid_since_values_are_problems(tmp_path, since):
    """Is a `since` that is not a real year, month or date reported on its line?"""
    orgs = f"{ORG_HEADER}\na,A,network,po,,,,https://e.org/a\nb,B,network,po,,,,https://e.org/b\n"
    rels = f"{REL_HEADER}\na,b,funds,{since},,https://e.org/r,high\n"
    problems = problems_of(write_pair(tmp_path, orgs, rels))
    assert [(Path(p.file).name, p.line, p.column) for p in problems] == [
        ("relations.csv", 2, "since")
    ]


def test_missing_file_is_a_problem_not_a_traceback(tmp_path):
    """Does a path that does not exist give a ContentError naming it?"""
    problems = problems_of(tmp_path)
    assert [(Path(p.file).name, p.message) for p in problems] == [
        ("organisations.csv", "file not found"),
        ("relations.csv", "file not found"),
    ]


# --- researcher data -----------------------------------------------------------------------


def test_researcher_data_without_sources_gets_defaults(tmp_path):
    """With require_sources=False, do a missing type/relation become 'other'/'related_to'?"""
    folder = write_pair(tmp_path, "id\nalpha\nbeta\n", "source,target\nalpha,beta\n")
    data = load_pair(folder, require_sources=False)
    assert [(o["id"], o["name"], o["type"], o["source"]) for o in data.organisations] == [
        ("alpha", "alpha", "other", ""),
        ("beta", "beta", "other", ""),
    ]
    (relation,) = data.relations
    assert relation["relation"] == "related_to"
    assert relation["confidence"] == "medium"
    assert relation["source_url"] == ""


def test_same_researcher_data_fails_when_sources_are_required(tmp_path):
    """Does the same minimal data fail with sources required (name, type, source, ...)?"""
    folder = write_pair(tmp_path, "id\nalpha\nbeta\n", "source,target\nalpha,beta\n")
    problems = problems_of(folder, require_sources=True)
    columns = {(Path(p.file).name, p.column) for p in problems}
    assert ("organisations.csv", "name") in columns
    assert ("organisations.csv", "type") in columns
    assert ("organisations.csv", "source") in columns
    assert ("relations.csv", "relation") in columns
    assert ("relations.csv", "source_url") in columns


def test_researcher_data_still_rejects_unknown_ids(tmp_path):
    """Are unknown ids still problems when sources are not required?"""
    folder = write_pair(tmp_path, "id\nalpha\n", "source,target\nalpha,gamma\n")
    (problem,) = problems_of(folder, require_sources=False)
    assert str(problem).startswith(f"{tmp_path / 'relations.csv'}:2: target: ")


def test_extra_columns_are_kept(tmp_path):
    """Is a column the dataset does not know kept on the row?"""
    folder = write_pair(
        tmp_path, "id,region\nalpha,noord\nbeta,zuid\n", "source,target\nalpha,beta\n"
    )
    data = load_pair(folder, require_sources=False)
    assert data.organisation("beta")["region"] == "zuid"


@pytest.mark.parametrize("column", ["url", "source"])
def test_javascript_url_is_rejected(tmp_path, column):
    """Is a `javascript:` address in url/source refused as not a web address?"""
    values = {"url": "", "source": "https://e.org/a"}
    values[column] = "javascript:alert(1)"
    orgs = f"{ORG_HEADER}\na,A,network,po,,,{values['url']},{values['source']}\n"
    orgs += "b,B,network,po,,,,https://e.org/b\n"
    rels = f"{REL_HEADER}\na,b,funds,,,https://e.org/r,high\n"
    (problem,) = problems_of(write_pair(tmp_path, orgs, rels))
    assert str(problem).startswith(f"{tmp_path / 'organisations.csv'}:2: {column}: ")
    assert "is not a web address" in problem.message


# --- GraphML and GEXF through the same loader ----------------------------------------------


def small_graph() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    graph.add_node("ocw", name="Ministerie van OCW", type="government", sectors="po;vo")
    graph.add_node("kennisnet", name="Kennisnet", type="support_organisation", sectors="po")
    graph.add_node("sivon", name="SIVON", type="cooperative", sectors="")
    graph.add_edge(
        "ocw",
        "kennisnet",
        key="funds",
        relation="funds",
        since="2001",
        source_url="https://e.org/funds",
    )
    graph.add_edge("ocw", "kennisnet", key="governs", relation="governs")
    graph.add_edge("sivon", "kennisnet", key="x", relation="collaborates_with")
    return graph


@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
def test_graph_file_loads_with_attributes(tmp_path, suffix):
    """Does a GraphML/GEXF file written by networkx load with its attributes and relations?"""
    path = tmp_path / f"net{suffix}"
    (nx.write_graphml if suffix == ".graphml" else nx.write_gexf)(small_graph(), path)
    data = load_graph_file(path)
    assert sorted(data.ids()) == ["kennisnet", "ocw", "sivon"]
    ocw = data.organisation("ocw")
    assert (ocw["name"], ocw["type"], ocw["sectors"]) == (
        "Ministerie van OCW",
        "government",
        ["po", "vo"],
    )
    assert data.organisation("sivon")["sectors"] == []
    triples = sorted((r["source"], r["target"], r["relation"]) for r in data.relations)
    assert triples == [
        ("ocw", "kennisnet", "funds"),
        ("ocw", "kennisnet", "governs"),
        ("sivon", "kennisnet", "collaborates_with"),
    ]
    funds = next(r for r in data.relations if r["relation"] == "funds")
    assert (funds["since"], funds["source_url"]) == ("2001", "https://e.org/funds")
    assert data.origin == str(path)


def test_gexf_label_becomes_the_name(tmp_path):
    """Does a GEXF node's label (Gephi's name field) become the organisation's name?"""
    graph = nx.DiGraph()
    graph.add_node("a", label="Alpha")
    graph.add_node("b", label="Beta")
    graph.add_edge("a", "b")
    path = tmp_path / "g.gexf"
    nx.write_gexf(graph, path)
    data = load_graph_file(path)
    assert {o["id"]: o["name"] for o in data.organisations} == {"a": "Alpha", "b": "Beta"}
    assert data.relations[0]["relation"] == "related_to"
    assert all(o["type"] == "other" for o in data.organisations)


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def test_graphml_unknown_type_names_file_and_node_line(tmp_path):
    """Does a GraphML node with an unknown type give a problem at that node's line?"""
    graph = small_graph()
    graph.nodes["sivon"]["type"] = "bank"
    path = tmp_path / "net.graphml"
    nx.write_graphml(graph, path)
    with pytest.raises(ContentError) as caught:
        load_graph_file(path)
    (problem,) = caught.value.problems
    line = _line_of(path, '<node id="sivon"')
    assert line > 1
    assert str(problem).startswith(f"{path}:{line}: type: unknown value 'bank'")


def test_graphml_unknown_relation_names_the_edge_line(tmp_path):
    """Does a GraphML edge with an unknown relation give a problem at that edge's line?"""
    graph = small_graph()
    graph.add_edge("kennisnet", "sivon", key="s", relation="sponsors")
    path = tmp_path / "net.graphml"
    nx.write_graphml(graph, path)
    with pytest.raises(ContentError) as caught:
        load_graph_file(path)
    (problem,) = caught.value.problems
    line = _line_of(path, '<edge source="kennisnet" target="sivon"')
    assert str(problem).startswith(f"{path}:{line}: relation: unknown value 'sponsors'")


def test_graph_file_with_sources_required_reports_missing_sources(tmp_path):
    """With require_sources=True, does a graph without sources list every missing source?"""
    path = tmp_path / "net.graphml"
    nx.write_graphml(small_graph(), path)
    with pytest.raises(ContentError) as caught:
        load_graph_file(path, require_sources=True)
    missing = [p for p in caught.value.problems if p.message == "missing source"]
    # three organisations without `source`, two relations without `source_url`
    assert len(missing) == 5


def test_broken_xml_is_a_content_error(tmp_path):
    """Does a truncated GraphML file give a ContentError naming the file, not a traceback?"""
    path = tmp_path / "broken.graphml"
    nx.write_graphml(small_graph(), path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_graph_file(path)
    (problem,) = caught.value.problems
    assert problem.file == str(path)
    assert "cannot be read as GRAPHML" in problem.message


def test_broken_gexf_is_a_content_error(tmp_path):
    """Does a GEXF file that is not XML at all give a ContentError?"""
    path = tmp_path / "broken.gexf"
    path.write_text("this is not <xml", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_graph_file(path)
    assert "cannot be read as GEXF" in caught.value.problems[0].message


@pytest.mark.parametrize(
    ("name", "message"),
    [("net.json", "unknown file type '.json'"), ("absent.graphml", "file not found")],
)
def test_graph_file_wrong_suffix_or_absent(tmp_path, name, message):
    """Does an unsupported suffix or a missing graph file give a clear ContentError?"""
    with pytest.raises(ContentError) as caught:
        load_graph_file(tmp_path / name)
    assert caught.value.problems[0].message == message


def test_problem_str_format():
    """Does a Problem print as `file:line: column: message, fix`, dropping what is absent?"""
    assert str(Problem("o.csv", 4, "type", "bad", "fix it")) == "o.csv:4: type: bad, fix it"
    assert str(Problem("o.csv", None, None, "gone")) == "o.csv: gone"
    assert re.fullmatch(
        r"2 problems found:\n  a: x\n  b: y",
        ContentError([Problem("a", None, None, "x"), Problem("b", None, None, "y")]).report(),
    )
