"""The private Voila hooks the workshop server patches: present, or a refusal to start."""

import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from toolkit.server.launch import ServerSpec, build_config
from toolkit.server.voila_app import VOILA_TESTED, WorkshopVoila, require_voila_hooks

ROOT = Path(__file__).resolve().parents[2]


HOOKS = {
    "_pools": {},
    "kernel_pools_config": {},
    "fill_delay": 0,
    "_kernel_connections": {},
    "fill_if_needed": lambda self, delay=None, notebook_name=None, **kwargs: None,
    "cull_kernel_if_idle": lambda self, kernel_id: None,
}


def stand_in(*missing: str):
    """A kernel manager as a Voila without the ``missing`` hooks might have it."""
    hooks = {name: value for name, value in HOOKS.items() if name not in missing}
    return type("OtherVoilaKernelManager", (), hooks)()


def test_missing_pools_stops_the_server_with_the_tested_version():
    """Does a manager lacking ``_pools`` stop the server with a message naming the
    installed and the tested Voila, the missing hook and the fix?"""
    with pytest.raises(SystemExit) as stopped:
        require_voila_hooks(stand_in("_pools"), pooled=True, culled=True)
    message = str(stopped.value)
    assert "lacks _pools in its kernel manager" in message
    assert f"tested with Voila {VOILA_TESTED}" in message
    assert f"installed Voila {version('voila')}" in message
    assert f"pip install 'voila=={VOILA_TESTED}'" in message


def test_missing_cull_hook_matters_only_when_culling():
    """Is a missing culling hook refused when culling, and ignored when not?"""
    manager = stand_in("_kernel_connections")
    require_voila_hooks(manager, pooled=True, culled=False)
    with pytest.raises(SystemExit, match="lacks _kernel_connections in"):
        require_voila_hooks(manager, pooled=True, culled=True)


def test_without_pools_nothing_is_required():
    """Does a server without preheated pools (Voila's plain manager) start as before?"""
    require_voila_hooks(object(), pooled=False, culled=True)


def test_installed_voila_passes_and_gets_paced_and_culled():
    """Does the installed Voila's own kernel manager pass the check, so that a pooled,
    culling server installs its pacing and culling?"""
    spec = ServerSpec(
        routes={"/": "facilitator.ipynb"}, pools={"facilitator.ipynb": 0}, cull_idle_seconds=60
    )
    app = WorkshopVoila(config=build_config(spec))
    app.initialize([])
    app.init_settings()
    manager = app.kernel_manager
    assert hasattr(manager, "_pools")
    assert manager.fill_if_needed.__qualname__.startswith("WorkshopVoila._pace_pool")
    assert manager.cull_kernel_if_idle.__qualname__.startswith(
        "WorkshopVoila._cull_when_disconnected"
    )


def test_tested_version_is_inside_the_pin():
    """Is the tested Voila one that pyproject.toml's pin (mirrored by environment.yml)
    allows?"""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    (pin,) = [Requirement(r) for r in project["dependencies"] if r.startswith("voila")]
    assert VOILA_TESTED in pin.specifier
