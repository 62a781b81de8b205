"""Run the geomap benchmarks, print a table and write ``bench/results.json``.

    python bench/run.py [--quick] [--only gazetteer,geoparse,spatial,maps] [--output PATH]

Each benchmark module ``bench/bench_<name>.py`` exposes ``run(quick) -> list[dict]`` with
rows {benchmark, metric, value, unit, baseline_value, ratio, note}; ``ratio`` is
``value / baseline_value`` for a baseline measured in the same run (see bench/README.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path

if __package__ in (None, ""):  # run as a script: python bench/run.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, log

BENCHMARKS = ["gazetteer", "geoparse", "spatial", "maps", "text_scaling", "export_memory",
              "events_throughput", "number_words"]


def _fmt(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        if v == 0:
            return "0"
        if abs(v) >= 1000:
            return f"{v:,.0f}"
        if abs(v) >= 10:
            return f"{v:.1f}"
        if abs(v) >= 0.01:
            return f"{v:.3f}"
        return f"{v:.2e}"
    return str(v)


def format_table(rows: list[dict]) -> str:
    head = ["benchmark", "metric", "value", "unit", "baseline", "ratio"]
    body = [[r["benchmark"], r["metric"], _fmt(r["value"]), r["unit"], _fmt(r["baseline_value"]),
             "-" if r["ratio"] is None else f"{r['ratio']:.2f}x"] for r in rows]
    widths = [max(len(x[i]) for x in [head, *body]) for i in range(len(head))]
    right = {2, 4, 5}
    lines = []
    for i, line in enumerate([head, *body]):
        lines.append("  ".join(v.rjust(w) if j in right else v.ljust(w)
                               for j, (v, w) in enumerate(zip(line, widths, strict=True))))
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _git_commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                              capture_output=True, timeout=10).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="smaller inputs (whole run < 5 minutes on 2 cores)")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(BENCHMARKS)}")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.json"),
                        help="where to write the JSON results (default bench/results.json)")
    args = parser.parse_args(argv)
    names = BENCHMARKS
    if args.only:
        names = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in names if n not in BENCHMARKS]
        if unknown:
            parser.error(f"unknown benchmark(s) {', '.join(unknown)}; choose from "
                         f"{', '.join(BENCHMARKS)}")

    started = time.perf_counter()
    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
    rows: list[dict] = []
    seconds: dict[str, float] = {}
    errors: dict[str, str] = {}
    for name in names:
        path = ROOT / "bench" / f"bench_{name}.py"
        if not path.exists():
            log(f"{name}: {path.name} not present, skipped")
            continue
        log(f"{name}: running{' (quick)' if args.quick else ''}")
        t0 = time.perf_counter()
        try:
            module = importlib.import_module(f"bench.bench_{name}")
            got = module.run(args.quick)
        except Exception as exc:  # one failing benchmark must not hide the others
            errors[name] = f"{type(exc).__name__}: {exc}"
            log(f"{name}: FAILED\n{traceback.format_exc()}")
            got = []
        seconds[name] = round(time.perf_counter() - t0, 1)
        log(f"{name}: {seconds[name]} s, {len(got)} rows")
        rows += got

    result = {
        "generated": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join(["python bench/run.py", *(argv if argv is not None else sys.argv[1:])]),
        "quick": args.quick,
        "git_commit": _git_commit(),
        "machine": {
            "cpus": os.cpu_count(), "platform": platform.platform(),
            "python": platform.python_version(),
            "loadavg_before": load_before,
            "loadavg_after": os.getloadavg() if hasattr(os, "getloadavg") else None,
        },
        "seconds": {**seconds, "total": round(time.perf_counter() - started, 1)},
        "errors": errors,
        "rows": rows,
    }
    Path(args.output).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(format_table(rows))
    print(f"\n{len(rows)} rows in {result['seconds']['total']} s; ratio = value / baseline "
          f"(see notes in {args.output}); load average before/after: "
          f"{load_before} / {result['machine']['loadavg_after']}")
    if errors:
        print("FAILED: " + "; ".join(f"{k}: {v}" for k, v in errors.items()), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
