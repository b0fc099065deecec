"""Measure what a participant costs this machine: one kernel's memory, start time and CPU.

Used by ``workshop check`` and by the benchmarks in ``bench/`` (same code, same numbers).
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["KernelCost", "measure_notebook_kernel", "capacity"]


@dataclass
class KernelCost:
    notebook: str
    start_seconds: float  # kernel start until the notebook's set-up cells have run
    cpu_seconds: float  # CPU the kernel used for that
    rss_mb: float
    uss_mb: float

    def as_dict(self) -> dict:
        return asdict(self)


def _cells(path: Path, count: int | None) -> list[str]:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    return code[:count] if count else code


# Run after the cells: wait until an app started with ``start_when_requested`` has built
# its first screen (it does so in the background, after its cell returned).
_SETTLE = """
_starting = getattr(globals().get("app"), "_starting", None)
if _starting is not None:
    await _starting
"""


def measure_notebook_kernel(
    notebook: str | Path, cells: int | None = 1, env: dict | None = None, timeout: float = 120
) -> KernelCost:
    """Start a fresh kernel, run the first ``cells`` code cells of ``notebook`` (all when
    None), measure it. For the participant app, all cells = the app rendered its first
    screen; cell 1 alone is what a preheated kernel runs before anyone arrives.
    """
    import psutil
    from jupyter_client.manager import start_new_kernel

    path = Path(notebook)
    with tempfile.TemporaryDirectory() as tmp:
        kernel_env = {**os.environ, "WORKSHOP_DB": f"sqlite:///{tmp}/measure.db", **(env or {})}
        started = time.perf_counter()
        manager, client = start_new_kernel(
            kernel_name="python3", cwd=str(path.parent), env=kernel_env
        )
        try:
            for source in [*_cells(path, cells), _SETTLE]:
                reply = client.execute_interactive(
                    source, timeout=timeout, store_history=False, output_hook=lambda _msg: None
                )
                if reply["content"]["status"] != "ok":
                    raise RuntimeError(
                        f"{path.name} failed while measuring: {reply['content'].get('ename')}"
                    )
            elapsed = time.perf_counter() - started
            process = psutil.Process(manager.provisioner.process.pid)
            info = process.memory_full_info()
            times = process.cpu_times()
            return KernelCost(
                path.name,
                round(elapsed, 3),
                round(times.user + times.system, 3),
                round(info.rss / 2**20, 1),
                round(info.uss / 2**20, 1),
            )
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)


def capacity(
    cost: KernelCost,
    *,
    cores: int | None = None,
    available_mb: float | None = None,
    server_mb: float = 250.0,
    reserve: float = 0.2,
) -> dict:
    """How many participants this machine holds, by memory and by CPU for a join wave.

    Memory: (available - servers) x (1 - reserve) / USS per kernel. CPU: seconds of work
    per join (a kernel's start CPU) over the cores; ``wave_seconds_per_100`` is how long
    starting kernels for 100 arrivals keeps every core busy.

    Examples
    --------
    >>> c = capacity(KernelCost("p", 1.0, 1.0, 90.0, 60.0), cores=2, available_mb=8000)
    >>> c["by_memory"], c["wave_seconds_per_100"]
    (103, 50.0)
    """
    import psutil

    cores = cores or psutil.cpu_count() or 1
    if available_mb is None:
        available_mb = psutil.virtual_memory().available / 2**20
    usable = max(0.0, (available_mb - server_mb) * (1 - reserve))
    return {
        "cores": cores,
        "available_mb": round(available_mb),
        "by_memory": int(usable // max(cost.uss_mb, 1.0)),
        "wave_seconds_per_100": round(100 * cost.cpu_seconds / cores, 1),
    }
