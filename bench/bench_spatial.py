"""Spatial filtering and export at scale, on synthetic events around the RU-UA border.

- polygon filter: ``filter_events(gdf, polygon=<Kursk Oblast>)`` vs a bare geopandas
  ``sjoin`` (the practical limit) and vs a Python point-in-polygon loop (shapely
  ``contains`` per event, timed on a 20k subsample and extrapolated);
- export: ``geomap.io.write_events`` to GeoJSON and GeoPackage vs a direct
  ``pyogrio.write_dataframe`` of the same frame (the limit);
- peak memory (``ru_maxrss`` of a fresh subprocess) of the whole path (build, filter,
  export both formats) vs a subprocess that only builds the frame.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from bench.common import log, row, run_python_json, timed

NAME = "spatial"
LOOP_SAMPLE = 20_000
_ACTORS = ["Military Forces of Russia (2000-)", "Military Forces of Ukraine (2019-)",
           "Civilians (Ukraine)", "Unidentified Armed Group (Ukraine)"]


def synthetic_events(n: int, seed: int = 1):
    """``n`` events in EVENT_COLUMNS, uniformly over lon 30-40, lat 47-54 (RU-UA border)."""
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    from geomap.schema import EVENT_COLUMNS, EVENT_TYPES

    rng = np.random.default_rng(seed)
    lon = rng.uniform(30.0, 40.0, n)
    lat = rng.uniform(47.0, 54.0, n)
    types = list(EVENT_TYPES)
    day = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 366, n), unit="D")
    df = pd.DataFrame({c: pd.Series([""] * n, dtype=object) for c in EVENT_COLUMNS})
    df["event_id"] = [f"syn:{i}" for i in range(n)]
    df["event_date"] = day.strftime("%Y-%m-%d")
    df["end_date"] = df["event_date"]
    df["date_precision"] = 1
    df["event_type"] = np.array(types, dtype=object)[rng.integers(0, len(types), n)]
    df["actor1"] = np.array(_ACTORS, dtype=object)[rng.integers(0, len(_ACTORS), n)]
    df["country"] = np.where(lon > 36, "RU", "UA").astype(object)
    df["latitude"], df["longitude"] = lat, lon
    df["geo_precision"] = rng.integers(1, 4, n)
    for c in ("killed", "wounded", "killed_or_wounded", "missing", "captured",
              "fatalities_low", "fatalities_best", "fatalities_high"):
        df[c] = pd.array(rng.integers(0, 5, n), dtype="Int64")
    df["verification"] = "claimed"
    df["source"] = "synthetic"
    df["notes"] = "synthetic benchmark event"
    df["confidence"] = rng.uniform(0, 1, n)
    df["needs_review"] = rng.uniform(0, 1, n) < 0.2
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(lon, lat), crs=4326)


def kursk():
    from geomap.boundaries import admin1

    a1 = admin1()
    code = a1["iso_3166_2"] if "iso_3166_2" in a1 else None
    sel = a1[code == "RU-KRS"] if code is not None else a1[a1["name_en"].str.contains("Kursk")]
    if sel.empty:
        raise RuntimeError("Kursk Oblast not found in geomap.boundaries.admin1()")
    return sel[[sel.geometry.name]].reset_index(drop=True)


_MEMORY_CODE = """
import json, os, resource, sys, tempfile
sys.path.insert(0, {root!r})
from bench.bench_spatial import synthetic_events, kursk
gdf = synthetic_events({n})
if {full}:
    from geomap.io import write_events
    from geomap.spatial.filters import filter_events
    sub = filter_events(gdf, polygon=kursk())
    with tempfile.TemporaryDirectory() as tmp:
        write_events(gdf, os.path.join(tmp, "e.geojson"))
        write_events(gdf, os.path.join(tmp, "e.gpkg"))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:  # VmHWM belongs to this process image; ru_maxrss can carry the parent's peak over exec
    with open("/proc/self/status") as fh:
        peak = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    pass
print(json.dumps({{"maxrss_kb": peak}}))
"""


def bench_filter(rows: list[dict], gdf, n: int) -> None:
    import geopandas as gpd
    import numpy as np
    import shapely
    from shapely.geometry import Point

    from geomap.spatial.filters import filter_events

    region = kursk()
    filter_s, kept = timed(filter_events, gdf, polygon=region, repeat=2)
    sjoin_s, joined = timed(gpd.sjoin, gdf[[gdf.geometry.name]], region, how="inner",
                            predicate="intersects", repeat=2)
    assert len(kept) == joined.index.nunique(), "filter_events and sjoin disagree"
    poly = region.geometry.iloc[0]
    shapely.prepare(poly)  # even a prepared polygon: the loop pays per-point Python cost
    xs = gdf.geometry.x.to_numpy()[:LOOP_SAMPLE]
    ys = gdf.geometry.y.to_numpy()[:LOOP_SAMPLE]
    t0 = time.perf_counter()
    inside = [poly.intersects(Point(x, y)) for x, y in zip(xs, ys, strict=True)]
    loop_s = (time.perf_counter() - t0) * n / len(xs)
    kept_ids = set(kept["event_id"])
    agree = np.mean([(eid in kept_ids) == hit for eid, hit in
                     zip(gdf["event_id"].to_numpy()[:LOOP_SAMPLE], inside, strict=True)])
    rows.append(row(NAME, f"polygon filter, {n:,} events", filter_s, "s", sjoin_s,
                    f"filter_events(polygon=Kursk Oblast) kept {len(kept):,}; baseline: bare "
                    "gpd.sjoin (the practical limit); target ratio <= 1.5; lower is better"))
    rows.append(row(NAME, f"polygon filter vs Python loop, {n:,} events", filter_s, "s", loop_s,
                    f"baseline: shapely intersects(Point) per event in a Python loop, timed on "
                    f"{len(xs):,} events and extrapolated x{n / len(xs):.0f}; loop agrees with "
                    f"the filter on {agree:.2%} of them; lower is better"))


def bench_export(rows: list[dict], gdf, n: int) -> None:
    import pyogrio

    from geomap.io import write_events

    with tempfile.TemporaryDirectory(prefix="geomap-bench-") as tmp:
        for fmt, driver in (("geojson", "GeoJSON"), ("gpkg", "GPKG")):
            log(f"export {n:,} events to {fmt}")
            ours = Path(tmp) / f"events.{fmt}"
            ref = Path(tmp) / f"ref.{fmt}"
            ours_s, _ = timed(write_events, gdf, ours)
            ref_s, _ = timed(pyogrio.write_dataframe, gdf, ref, driver=driver)
            rows.append(row(NAME, f"export {fmt}, {n:,} events", ours_s, "s", ref_s,
                            f"geomap.io.write_events ({ours.stat().st_size / 1e6:.0f} MB, atomic, "
                            f"with provenance) vs direct pyogrio.write_dataframe "
                            f"({ref.stat().st_size / 1e6:.0f} MB); target ratio <= 1.5; "
                            "lower is better"))
            ours.unlink()
            ref.unlink()


def bench_memory(rows: list[dict], n: int) -> None:
    root = str(Path(__file__).resolve().parent.parent)
    log(f"peak memory subprocesses ({n:,} events)")
    _, full = run_python_json(_MEMORY_CODE.format(root=root, n=n, full=True), timeout=3600)
    _, base = run_python_json(_MEMORY_CODE.format(root=root, n=n, full=False), timeout=3600)
    gb = 1024 * 1024  # ru_maxrss is in KiB on Linux
    rows.append(row(NAME, f"peak memory, {n:,} events (build+filter+export)",
                    full["maxrss_kb"] / gb, "GiB", base["maxrss_kb"] / gb,
                    "peak RSS of a fresh subprocess (VmHWM; ru_maxrss on Linux also counts the "
                    "parent's peak across fork+exec); baseline: the same subprocess that only "
                    "builds the events frame; target < 4 GiB; lower is better"))


def run(quick: bool) -> list[dict]:
    if not Path(__file__).resolve().parent.parent.joinpath(
            "geomap", "spatial", "filters.py").exists():
        return []
    n = 200_000 if quick else 1_000_000
    log(f"building {n:,} synthetic events")
    build_s, gdf = timed(synthetic_events, n)
    log(f"built in {build_s:.1f} s; filtering")
    rows: list[dict] = []
    bench_filter(rows, gdf, n)
    bench_export(rows, gdf, n)
    del gdf
    bench_memory(rows, n)
    if os.environ.get("GEOMAP_BENCH_DEBUG"):
        log(str(rows))
    return rows
