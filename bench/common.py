"""Shared helpers for the benchmarks: timing, result rows, subprocess measurements.

Every benchmark module exposes ``run(quick: bool) -> list[dict]``; each row is::

    {benchmark, metric, value, unit, baseline_value, ratio, note}

``ratio`` is always ``value / baseline_value`` for the baseline measured in the same run;
the note says which baseline and whether higher or lower is better.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def row(benchmark: str, metric: str, value: float, unit: str,
        baseline_value: float | None, note: str) -> dict:
    """One result row; ratio = value / baseline_value."""
    ratio = None
    if baseline_value not in (None, 0) and value is not None:
        ratio = value / baseline_value
    return {"benchmark": benchmark, "metric": metric, "value": value, "unit": unit,
            "baseline_value": baseline_value, "ratio": ratio, "note": note}


def timed(fn: Callable, *args, repeat: int = 1, **kwargs) -> tuple[float, object]:
    """Best wall time (s) over ``repeat`` calls, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn(*args, **kwargs)
        best = min(best, time.perf_counter() - t0)
    return best, result


def median(values: list[float]) -> float:
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def run_python(code: str, env: dict | None = None, timeout: float = 600) -> tuple[float, str]:
    """Run ``python -c code`` in a fresh interpreter; (wall seconds, stdout)."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    t0 = time.perf_counter()
    proc = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, env=full_env,
                          timeout=timeout, cwd=str(ROOT))
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"subprocess failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return elapsed, proc.stdout


def run_python_json(code: str, **kwargs) -> tuple[float, dict]:
    """Like ``run_python`` but the code prints one JSON object as its last line."""
    elapsed, out = run_python(code, **kwargs)
    return elapsed, json.loads(out.strip().splitlines()[-1])


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)
