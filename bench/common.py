"""Shared by the benchmarks: machine facts, percentiles, writing results and the README table."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import time
from pathlib import Path

__all__ = ["RESULTS", "machine", "percentile", "save", "settle", "load_all", "Timer"]

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"


def machine() -> dict:
    """The machine a figure was measured on (cores, memory, CPU, Python)."""
    import psutil

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cores": psutil.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "system": platform.system(),
    }


def percentile(values, q: float) -> float | None:
    """The q-th percentile (0-100) by linear interpolation; None for no values.

    >>> percentile([1, 2, 3, 4], 50)
    2.5
    """
    values = sorted(values)
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    position = (len(values) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def summary(values) -> dict:
    values = list(values)
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "p50": round(percentile(values, 50), 4),
        "p95": round(percentile(values, 95), 4),
        "p99": round(percentile(values, 99), 4),
        "max": round(max(values), 4),
        "mean": round(statistics.fmean(values), 4),
    }


def settle(below: float, timeout: float = 900.0) -> float:
    """Wait until the 1-minute load average is below ``below`` (or ``timeout`` seconds
    have passed); return the load average then."""
    deadline = time.monotonic() + timeout
    while os.getloadavg()[0] >= below and time.monotonic() < deadline:
        time.sleep(5)
    return os.getloadavg()[0]


def save(name: str, command: str, figures: dict, mode: str, load: float | None = None) -> Path:
    """Write ``bench/results/<name>.json`` with the figures, the command and the machine."""
    RESULTS.mkdir(exist_ok=True)
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=BENCH
        ).stdout.strip()
    except OSError:
        commit = ""
    record = {
        "name": name,
        "mode": mode,
        "command": command,
        "measured_at": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "commit": commit,
        "machine": machine(),
        "load_average": load,
        "figures": figures,
    }
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    return path


def load_all() -> dict:
    return {p.stem: json.loads(p.read_text()) for p in sorted(RESULTS.glob("*.json"))}


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start


def env_with(**extra) -> dict:
    return {**os.environ, **{k: str(v) for k, v in extra.items()}}
