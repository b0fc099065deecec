"""Project hygiene: environment.yml mirrors pyproject.toml; notebooks carry no outputs."""

import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _normalise(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)(\[[^\]]*\])?\s*(.*)$", requirement)
    name = match.group(1).lower().replace("_", "-")
    spec = ",".join(sorted(part.strip() for part in match.group(3).split(",") if part.strip()))
    return name, spec


def test_environment_yml_matches_pyproject():
    """Does environment.yml hold exactly the packages and ranges of pyproject.toml, with
    every extra (the conda environment is the researcher's: JupyterLab, tests, PostgreSQL)?"""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"]]
    for extra in project["optional-dependencies"].values():
        wanted += extra
    expected = dict(_normalise(r) for r in wanted)
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = [d for d in env["dependencies"] if isinstance(d, str)]
    for entry in env["dependencies"]:
        if isinstance(entry, dict):
            listed += [d for d in entry.get("pip", []) if not d.startswith("-")]
    actual = dict(_normalise(d) for d in listed if not d.startswith(("python", "pip")))
    assert actual == expected


def test_facilitators_install_leaves_out_jupyterlab_and_test_tools():
    """Does `pip install .` (what a facilitator gets) leave JupyterLab and the test tools to
    the `lab` and `test` extras?"""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = {_normalise(r)[0] for r in project["dependencies"]}
    extras = project["optional-dependencies"]
    for extra, names in {"lab": ["jupyterlab"], "test": ["pytest", "playwright", "nbval"]}.items():
        assert runtime.isdisjoint(names), f"{names} belong in the {extra} extra"
        assert set(names) <= {_normalise(r)[0] for r in extras[extra]}


NOTEBOOKS = sorted([*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("voila_apps/*.ipynb")])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_committed_without_outputs(path):
    """Is every notebook stored without outputs and execution counts?"""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"{path.name} has outputs: clear them before commit"
            assert cell["execution_count"] is None


def test_there_are_notebooks():
    """Are the researcher notebooks and the apps there at all?"""
    names = {p.name for p in NOTEBOOKS}
    assert "explorer.ipynb" in names


def test_the_package_has_layers_and_no_import_circles():
    """Does tools/layers find no module importing another that imports it back, and no two
    folders importing each other (besides the one exception it names)?"""
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "layers")], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "circle" not in run.stdout
    floors = dict(
        (line.split()[2].rstrip("/").removesuffix(".py"), int(line.split()[1]))
        for line in run.stdout.splitlines()
        if line.startswith("floor")
    )
    # the flow: content below questions below results below the apps and servers
    assert floors["content"] < floors["questions"] < floors["results"] < floors["web"]
    assert floors["i18n"] == floors["settings"] == 1


def test_every_public_name_of_the_package_resolves():
    """Does every name ``toolkit`` offers (``from toolkit import ...``) load, from the
    module the package's table names?"""
    import toolkit

    for name in toolkit.__all__:
        assert getattr(toolkit, name) is not None, name


def test_the_test_catalogue_names_only_tests_that_exist():
    """Does every test that tests/README.md names (``tests/x.py::name`` and the ``::name``
    after it) exist, so that the catalogue cannot claim a test that was moved or retired?"""
    missing = []
    for line in (ROOT / "tests" / "README.md").read_text().splitlines():
        current = None
        for m in re.finditer(r"`(tests/[\w/]+\.py)(?:::(\w+))?`|`::(\w+)`", line):
            path, name = m.group(1) or current, m.group(2) or m.group(3)
            current = path
            if not (ROOT / path).exists():
                missing.append(path)
            elif name and not re.search(rf"def {name}\b", (ROOT / path).read_text()):
                missing.append(f"{path}::{name}")
    assert not missing
