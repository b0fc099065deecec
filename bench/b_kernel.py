"""Kernel footprint: memory (RSS, USS) and start CPU of one participant kernel after the app
has rendered (every cell of the notebook run: set-up, then the first screen), against the
baseline notebook's kernel (imports pandas, networkx, pyvis and shows a slider). Measured
with ``toolkit.measure`` (the code ``workshop check`` uses)."""

from __future__ import annotations

from pathlib import Path

from toolkit.measure import measure_notebook_kernel
from toolkit.paths import apps_dir

__all__ = ["run"]

BASELINE = Path(__file__).resolve().parent / "baseline" / "baseline.ipynb"


def run(quick: bool) -> dict:
    rounds = 1 if quick else 3
    figures = {}
    for label, notebook in (
        ("baseline", BASELINE),
        ("participant", apps_dir() / "participant.ipynb"),
    ):
        costs = [measure_notebook_kernel(notebook, cells=None) for _ in range(rounds)]
        best = min(costs, key=lambda c: c.uss_mb)
        figures[label] = {
            "uss_mb": best.uss_mb,
            "rss_mb": best.rss_mb,
            "start_seconds": min(c.start_seconds for c in costs),
            "cpu_seconds": min(c.cpu_seconds for c in costs),
        }
        print(
            f"  kernel {label:12}: USS {best.uss_mb} MB, RSS {best.rss_mb} MB, start "
            f"{figures[label]['start_seconds']} s, CPU {figures[label]['cpu_seconds']} s",
            flush=True,
        )
    participant, baseline = figures["participant"], figures["baseline"]
    figures["ratio_uss"] = round(participant["uss_mb"] / baseline["uss_mb"], 2)
    return figures
