"""The `workshop map` command line, run in-process and once as the real console script."""

import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from toolkit.cli import main
from toolkit.content.dataset import load_default, load_stakeholders

ROOT = Path(__file__).resolve().parents[2]
SEVERAL = ROOT / "tests" / "data" / "bad" / "several"
SMALL = ROOT / "tests" / "data" / "small"
# the console script installed next to the Python running the tests (.venv/bin/workshop)
WORKSHOP = Path(sys.executable).parent / "workshop"


def run(capsys, *argv):
    code = main(list(map(str, argv)))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def shipped_counts():
    data = load_default()
    return len(data.organisations), len(data.relations)


# --- validate ------------------------------------------------------------------------------


def test_validate_shipped_dataset(capsys, shipped_counts):
    """Does `map validate` accept the shipped dataset and report its size?"""
    code, out, err = run(capsys, "map", "validate")
    orgs, rels = shipped_counts
    assert code == 0
    assert out.startswith(f"OK: {orgs} organisations, {rels} relations")
    assert err == ""


def test_validate_own_csv_pair(capsys):
    """Does `map validate --nodes --edges` load a researcher's own pair?"""
    code, out, _ = run(
        capsys,
        "map",
        "validate",
        "--nodes",
        SMALL / "organisations.csv",
        "--edges",
        SMALL / "relations.csv",
        "--strict",
    )
    assert code == 0
    assert out.startswith("OK: 6 organisations, 9 relations")


def test_validate_bad_files_lists_every_problem(capsys):
    """Does validating bad files exit 2 and list each problem (file:line: column:) on stderr?"""
    code, out, err = run(
        capsys,
        "map",
        "validate",
        "--nodes",
        SEVERAL / "organisations.csv",
        "--edges",
        SEVERAL / "relations.csv",
    )
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    # without --strict, a missing source is allowed: 7 of the 8 problems remain
    assert err.startswith("7 problems found:")
    for where in (
        "organisations.csv:5: id:",
        "organisations.csv:6: type:",
        "organisations.csv:7: sectors:",
        "relations.csv:4: target:",
        "relations.csv:5: since:",
        "relations.csv:6: relation:",
        "relations.csv:7: target:",
    ):
        assert where in err
    assert "organisations.csv:8: source:" not in err


def test_validate_strict_also_requires_sources(capsys):
    """With --strict, is the missing source reported too?"""
    code, _, err = run(
        capsys,
        "map",
        "validate",
        "--strict",
        "--nodes",
        SEVERAL / "organisations.csv",
        "--edges",
        SEVERAL / "relations.csv",
    )
    assert code == 2
    assert err.startswith("8 problems found:")
    assert "organisations.csv:8: source: missing source" in err


def test_nodes_without_edges(capsys):
    """Does --nodes without --edges exit 2 and say both are needed?"""
    code, _, err = run(capsys, "map", "validate", "--nodes", SMALL / "organisations.csv")
    assert code == 2
    assert "--nodes and --edges go together" in err
    assert "Traceback" not in err


def test_graph_and_nodes_together(capsys, tmp_path):
    """Does giving --graph and --nodes/--edges at once exit 2?"""
    code, _, err = run(
        capsys,
        "map",
        "validate",
        "--graph",
        tmp_path / "x.graphml",
        "--nodes",
        SMALL / "organisations.csv",
        "--edges",
        SMALL / "relations.csv",
    )
    assert code == 2
    assert "either --graph or --nodes/--edges" in err


def test_missing_graph_file(capsys, tmp_path):
    """Does a --graph that does not exist exit 2 naming the file?"""
    code, _, err = run(capsys, "map", "validate", "--graph", tmp_path / "absent.graphml")
    assert code == 2
    assert f"{tmp_path / 'absent.graphml'}: file not found" in err


def test_missing_sub_command_is_an_argparse_error(capsys):
    """Does `map` without an action stop with argparse's exit code 2 and a usage line?"""
    with pytest.raises(SystemExit) as caught:
        main(["map"])
    assert caught.value.code == 2
    assert "usage:" in capsys.readouterr().err


# --- export --------------------------------------------------------------------------------


def test_export_graphml(capsys, tmp_path, shipped_counts):
    """Does `map export --format graphml -o` write a GraphML networkx can read?"""
    target = tmp_path / "out" / "x.graphml"
    code, out, _ = run(capsys, "map", "export", "--format", "graphml", "-o", target)
    assert code == 0
    assert out.strip() == f"wrote {target}"
    graph = nx.read_graphml(target)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == shipped_counts


def test_export_csv_folder(capsys, tmp_path, shipped_counts):
    """Does `map export --format csv -o folder` write a pair that validates strictly?"""
    folder = tmp_path / "pair"
    code, out, _ = run(capsys, "map", "export", "--format", "csv", "-o", folder)
    assert code == 0
    assert sorted(p.name for p in folder.iterdir()) == ["organisations.csv", "relations.csv"]
    assert out.count("wrote ") == 2
    data = load_stakeholders(folder / "organisations.csv", folder / "relations.csv")
    assert (len(data.organisations), len(data.relations)) == shipped_counts


def test_graph_round_trip_through_the_cli(capsys, tmp_path, shipped_counts):
    """Does a GraphML written by `map export` validate and re-export through --graph?"""
    graphml = tmp_path / "net.graphml"
    assert run(capsys, "map", "export", "--format", "graphml", "-o", graphml)[0] == 0
    code, out, _ = run(capsys, "map", "validate", "--graph", graphml, "--strict")
    orgs, rels = shipped_counts
    assert code == 0
    assert out.startswith(f"OK: {orgs} organisations, {rels} relations ({graphml})")
    gexf = tmp_path / "net.gexf"
    assert run(capsys, "map", "export", "--graph", graphml, "--format", "gexf", "-o", gexf)[0] == 0
    again = nx.read_gexf(gexf)
    assert sorted(again) == sorted(nx.read_graphml(graphml))
    assert again.number_of_edges() == rels


def test_export_html_in_english(capsys, tmp_path):
    """Does `map export --format html --lang en` write an English standalone map?"""
    target = tmp_path / "map.html"
    code, _, _ = run(
        capsys,
        "map",
        "export",
        "--format",
        "html",
        "--lang",
        "en",
        "--colour-by",
        "community",
        "-o",
        target,
    )
    assert code == 0
    text = target.read_text(encoding="utf-8")
    assert '<html lang="en">' in text and "Group 1" in text


def test_export_under_a_regular_file_is_refused(capsys, tmp_path):
    """Is an output path whose parent is a regular file refused with exit 2 and a clear message?"""
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    code, out, err = run(
        capsys, "map", "export", "--format", "graphml", "-o", blocker / "x.graphml"
    )
    assert code == 2
    assert out == ""
    assert "cannot write to" in err and "is a file, not a folder" in err
    assert "Traceback" not in err
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_csv_export_onto_a_regular_file_is_refused(capsys, tmp_path):
    """Is a CSV export whose folder is an existing regular file refused with exit 2?"""
    blocker = tmp_path / "pair"
    blocker.write_text("x", encoding="utf-8")
    code, _, err = run(capsys, "map", "export", "--format", "csv", "-o", blocker)
    assert code == 2
    assert "is a file, not a folder" in err


def test_export_onto_a_folder_is_refused(capsys, tmp_path):
    """Is a file export onto an existing folder refused (asking for a file name)?"""
    code, _, err = run(capsys, "map", "export", "--format", "gexf", "-o", tmp_path)
    assert code == 2
    assert "it is a folder; give a file name" in err


def _lock(folder: Path) -> None:
    """Take away the right to write in ``folder``: its mode for a user, and for root (who
    writes anywhere the mode forbids) the immutable attribute, which binds root too."""
    folder.chmod(0o500)
    if os.geteuid() != 0:
        return
    made = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
    if made.returncode != 0:
        folder.chmod(0o700)
        reason = f"as root, this needs chattr +i ({made.stderr.strip() or 'not available'})"
        if os.environ.get("WORKSHOP_CI"):
            pytest.fail(reason)  # in CI a missing chattr fails, never skips
        pytest.skip(reason)


def _unlock(folder: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
    folder.chmod(0o700)


def test_export_into_read_only_folder_is_refused(capsys, tmp_path):
    """Is a folder without write permission refused with exit 2 and a hint to use -o, and
    nothing written?"""
    locked = tmp_path / "locked"
    locked.mkdir()
    _lock(locked)
    try:
        code, _, err = run(
            capsys, "map", "export", "--format", "graphml", "-o", locked / "x.graphml"
        )
    finally:
        _unlock(locked)
    assert code == 2
    assert "no permission to write" in err
    assert list(locked.iterdir()) == []


def test_export_bad_format_is_an_argparse_error(capsys, tmp_path):
    """Is an unknown --format refused by argparse (exit 2) listing the choices?"""
    with pytest.raises(SystemExit) as caught:
        main(["map", "export", "--format", "pdf", "-o", str(tmp_path / "x.pdf")])
    assert caught.value.code == 2
    assert "graphml" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


# --- path and metrics ----------------------------------------------------------------------


def test_path_between_known_organisations(capsys):
    """Does `map path` print routes from the first to the second organisation?"""
    code, out, _ = run(capsys, "map", "path", "scholengroep-voorbeeld", "surf")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines
    assert all(
        line.startswith("scholengroep-voorbeeld [") and line.endswith(" -> surf") for line in lines
    )


def test_path_unknown_organisation(capsys):
    """Does `map path` with an unknown id exit 2 naming the id?"""
    code, out, err = run(capsys, "map", "path", "scholengroep-voorbeeld", "no-such-org")
    assert code == 2
    assert out == ""
    assert "unknown organisation id 'no-such-org'" in err


def test_metrics_top_rows(capsys):
    """Does `map metrics --top 3 --sort degree` print three rows, most relations first?"""
    code, out, _ = run(capsys, "map", "metrics", "--top", "3", "--sort", "degree")
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == 3 + 2  # header line, index-name line, three rows
    assert lines[0].split()[0] == "name"


def test_metrics_unknown_sort(capsys):
    """Does sorting by an unknown metric exit 2 listing the metrics?"""
    code, _, err = run(capsys, "map", "metrics", "--sort", "fame")
    assert code == 2
    assert "unknown metric 'fame'" in err and "betweenness" in err


# --- the real console script ---------------------------------------------------------------


def test_console_script_validate(tmp_path):
    """Does the installed `workshop map validate` run and exit 0 from any folder?"""
    result = subprocess.run(
        [str(WORKSHOP), "map", "validate"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: ")
    assert "Traceback" not in result.stderr


def test_console_script_bad_files_without_traceback(tmp_path):
    """Does the real script report bad files on stderr with exit 2 and no traceback?"""
    result = subprocess.run(
        [
            str(WORKSHOP),
            "map",
            "validate",
            "--nodes",
            str(SEVERAL / "organisations.csv"),
            "--edges",
            str(SEVERAL / "relations.csv"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "problems found:" in result.stderr
