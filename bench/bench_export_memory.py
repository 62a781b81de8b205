"""Peak memory of exporting many events: KML (streamed) against GeoJSON, and against the
KML writer of another checkout (the tree-building one) when ``--baseline-tree`` is given.

    python bench/bench_export_memory.py [--events 300000] [--baseline-tree /work/main]

Each writer runs in a fresh interpreter that builds the same events frame (the UCDP GED
excerpt repeated) and writes one file while a thread samples the process RSS every 2 ms;
the row is the peak RSS *of the write* (highest sample minus the RSS before), in MB,
with the ratio to GeoJSON in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, ROOT, log, row

CHILD = r"""
import json, os, sys, time
import pandas as pd
from geomap.records.read import read_records
from geomap.schema import events_to_gdf
from geomap.io import write_events

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) / 1024  # MB
n, out = int(sys.argv[1]), sys.argv[2]
import geomap.io; print(geomap.io.__file__, file=sys.stderr)
base = read_records("data/events/ucdp_ged_ukraine_excerpt.csv", geocode=False).records
reps = -(-n // len(base))
frame = pd.concat([pd.DataFrame(base.drop(columns="geometry"))] * reps, ignore_index=True).head(n)
frame["event_id"] = [f"bench:{i}" for i in range(len(frame))]
gdf = events_to_gdf(frame)
del frame, base
import gc; gc.collect()
before = status("VmRSS")
import threading
peak = [before]
done = threading.Event()
page_mb = os.sysconf("SC_PAGE_SIZE") / 2**20

def sample():  # RSS every 2 ms while the writer runs (VmHWM is not reset reliably)
    with open("/proc/self/statm") as fh:
        while not done.is_set():
            fh.seek(0)
            peak[0] = max(peak[0], int(fh.read().split()[1]) * page_mb)
            done.wait(0.002)

sampler = threading.Thread(target=sample, daemon=True)
sampler.start()
t0 = time.perf_counter()
write_events(gdf, out)
seconds = time.perf_counter() - t0
done.set()
sampler.join()
print(json.dumps({"before_mb": before, "peak_mb": max(peak[0], status("VmRSS")),
                  "seconds": seconds, "bytes": os.path.getsize(out)}))
"""


def measure(tree: Path, n: int, out: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    proc = subprocess.run([PYTHON, "-c", CHILD, str(n), str(out)], capture_output=True,
                          text=True, env=env, cwd=str(tree), timeout=3600)  # cwd: -c puts it first on sys.path
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["write_mb"] = result["peak_mb"] - result["before_mb"]
    out.unlink(missing_ok=True)
    return result


def run(quick: bool = False, events: int | None = None,
        baseline_tree: str | None = None) -> list[dict]:
    n = events or (20_000 if quick else 100_000)
    tmp = Path(os.environ.get("TMPDIR", "/tmp")) / f"geomap-bench-export-{os.getpid()}"
    tmp.mkdir(exist_ok=True)
    rows = []
    log(f"export memory: {n:,} events")
    geojson = measure(ROOT, n, tmp / "ev.geojson")
    kml = measure(ROOT, n, tmp / "ev.kml")
    note = f"{n:,} events; peak RSS of the write; baseline GeoJSON (pyogrio) same run; lower is better"
    rows.append(row("export_memory", "geojson_write_peak_mb", geojson["write_mb"], "MB",
                    geojson["write_mb"], note))
    rows.append(row("export_memory", "kml_write_peak_mb", kml["write_mb"], "MB",
                    geojson["write_mb"], note))
    rows.append(row("export_memory", "kml_write_seconds", kml["seconds"], "s",
                    geojson["seconds"], f"{n:,} events; baseline GeoJSON write time"))
    if baseline_tree:
        old = measure(Path(baseline_tree), n, tmp / "old.kml")
        rows.append(row("export_memory", "kml_tree_writer_peak_mb", old["write_mb"], "MB",
                        geojson["write_mb"], f"{note}; KML writer of {baseline_tree}"))
        rows.append(row("export_memory", "kml_streamed_vs_tree_peak", kml["write_mb"], "MB",
                        old["write_mb"], f"{n:,} events; streamed KML vs {baseline_tree}'s"))
    tmp.rmdir()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=None)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--baseline-tree", help="another checkout whose KML writer to measure")
    args = parser.parse_args()
    t0 = time.perf_counter()
    for r in run(args.quick, args.events, args.baseline_tree):
        ratio = "-" if r["ratio"] is None else f"{r['ratio']:.2f}"
        print(f"{r['metric']:32s} {r['value']:>10.1f} {r['unit']:3s} ratio {ratio:>6s}  {r['note']}")
    log(f"done in {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
