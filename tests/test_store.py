"""EventStore behaviour every backend shares (GeoPackage and PostGIS), then GeoPackage specifics.

The PostGIS-only checks (SQL filters, indexes, concurrent writers) are in
``test_store_postgis.py``; both run against real stores (a throw-away PostgreSQL cluster).
"""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
import psycopg
import pyogrio
import pytest
import shapely

from geomap.errors import InputError
from geomap.records.read import read_records
from geomap.schema import events_to_gdf
from geomap.spatial.filters import filter_events
from geomap.store import EventStore
from tests.pg_cluster import pg_dsn, with_table  # noqa: F401 - pytest fixture

GED = Path(__file__).parent.parent / "data" / "events" / "ucdp_ged_ukraine_excerpt.csv"


@pytest.fixture(scope="module")
def ged():
    return read_records(GED).records


@pytest.fixture(params=["gpkg", pytest.param("postgis", marks=pytest.mark.postgis)])
def store(request, tmp_path):
    """An empty store of each backend (a fresh PostGIS table, dropped afterwards)."""
    if request.param == "gpkg":
        with EventStore(tmp_path / "events.gpkg") as st:
            yield st
        return
    server = request.getfixturevalue("pg_dsn")
    table = f"t_{uuid.uuid4().hex[:12]}"
    with EventStore(with_table(server, table)) as st:
        yield st
    with psycopg.connect(server, autocommit=True) as con:
        con.execute(f'DROP TABLE IF EXISTS "{table}"')


@pytest.fixture
def gpkg_store(tmp_path):
    with EventStore(tmp_path / "events.gpkg") as st:
        yield st


# --------------------------------------------------------------------------- every backend
def test_upsert_is_idempotent(store, ged):
    assert store.upsert(ged) == (231, 0)
    assert store.upsert(ged) == (0, 0)
    assert len(store) == 231
    changed = ged.head(3).copy()
    changed.loc[changed.index[0], "notes"] = "corrected"
    # moved point (geometry and lat/lon edited together)
    changed.loc[changed.index[1], "geometry"] = shapely.Point(37.0, 50.0)
    changed.loc[changed.index[1], ["longitude", "latitude"]] = [37.0, 50.0]
    assert store.upsert(changed) == (0, 2)
    back = store.read(event_ids=changed["event_id"].tolist()).set_index("event_id")
    assert back.loc[changed["event_id"].iloc[0], "notes"] == "corrected"
    assert back.loc[changed["event_id"].iloc[1], "geometry"].y == 50.0
    assert back.loc[changed["event_id"].iloc[1], "latitude"] == 50.0
    assert len(store) == 231
    # a batch repeating an event_id: the last row wins
    twice = pd.concat([ged.head(1), ged.head(1)], ignore_index=True)
    twice.loc[1, "notes"] = "second"
    assert store.upsert(twice) == (0, 1)
    assert store.read(event_ids=[twice["event_id"][0]])["notes"].tolist() == ["second"]


def test_read_returns_what_was_stored(store, ged):
    store.upsert(ged)
    back = store.read().set_index("event_id").loc[ged["event_id"]].reset_index()
    pd.testing.assert_frame_equal(pd.DataFrame(back.drop(columns="geometry")),
                                  pd.DataFrame(ged.drop(columns="geometry")), check_dtype=False)
    assert back.geometry.geom_equals_exact(ged.geometry, 1e-9, align=False).all()


def test_read_filters_match_filter_events(store, ged):
    store.upsert(ged)
    cases = [
        {"bbox": (37.5, 47.8, 38.5, 48.3)},
        {"date_from": "2015-01-01", "date_to": "2015-12-31"},
        {"admin1": "Luhansk Oblast", "date_from": "2014-08-01"},
        {"actor": "LPR"},
    ]
    for filters in cases:
        got = store.read(**filters)
        want = filter_events(ged, **filters)
        assert 0 < len(got) < len(ged), filters
        assert sorted(got["event_id"]) == sorted(want["event_id"]), filters


def test_extra_columns_and_missing_points_are_kept(store, ged):
    g = ged.head(3).copy()
    g["match_kind"] = ["duplicate_of", "", "x"]
    g.loc[g.index[2], ["latitude", "longitude"]] = np.nan
    g = events_to_gdf(pd.DataFrame(g.drop(columns="geometry")))
    assert store.upsert(g) == (3, 0)
    back = store.read().set_index("event_id")
    assert back.loc[g["event_id"].iloc[0], "match_kind"] == "duplicate_of"
    assert back.loc[g["event_id"].iloc[2], "geometry"] is None
    assert store.upsert(g) == (0, 0)


def test_delete(store, ged):
    store.upsert(ged)
    assert store.delete(ged["event_id"].head(5)) == 5
    assert store.delete(["nope"]) == 0
    assert len(store) == 226


# --------------------------------------------------------------------------- GeoPackage
def test_file_is_a_geopackage_with_spatial_index(gpkg_store, ged):
    gpkg_store.upsert(ged)
    path = gpkg_store.location
    info = pyogrio.read_info(path)
    assert info["features"] == 231 and info["geometry_type"] == "Point"
    assert info["capabilities"]["fast_spatial_filter"]
    con = sqlite3.connect(path)
    assert con.execute("SELECT count(*) FROM rtree_events_geom").fetchone()[0] == 231
    # GDAL's own bbox query (through the R-tree) sees the rows written with sqlite3
    box = (37.5, 47.8, 38.5, 48.3)
    via_gdal = pyogrio.read_dataframe(path, bbox=box)
    assert sorted(via_gdal["event_id"]) == sorted(filter_events(ged, bbox=box)["event_id"])


def test_bad_input(tmp_path, ged):
    with EventStore(tmp_path / "s.gpkg") as st:
        g = ged.head(1).copy()
        g["event_id"] = ""
        with pytest.raises(InputError, match="no event_id"):
            st.upsert(g)
    junk = tmp_path / "junk.gpkg"
    junk.write_text("not a database")
    with pytest.raises(InputError, match="not a GeoPackage"):
        EventStore(junk)
    with pytest.raises(InputError, match=".gpkg"):
        EventStore(tmp_path / "x.geojson")


def _writer(path: str, start: int, stop: int, queue) -> None:
    gdf = read_records(GED).records.iloc[start:stop]
    with EventStore(path) as st:
        total = [0, 0]
        for i in range(0, len(gdf), 10):  # many small transactions interleave
            ins, upd = st.upsert(gdf.iloc[i:i + 10])
            total[0] += ins
            total[1] += upd
    queue.put(tuple(total))


def test_concurrent_writers(tmp_path):
    path = str(tmp_path / "shared.gpkg")
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    # three processes, overlapping ranges, all creating/opening the same new store
    ranges = [(0, 120), (100, 231), (50, 150)]
    procs = [ctx.Process(target=_writer, args=(path, a, b, queue)) for a, b in ranges]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    results = [queue.get(timeout=5) for _ in procs]
    assert sum(r[0] for r in results) == 231  # each event inserted exactly once
    assert sum(r[1] for r in results) == 0
    with EventStore(path) as st:
        assert len(st) == 231
        assert st.read()["event_id"].is_unique


def test_cli_ingest_twice_adds_nothing(tmp_path, capsys):
    from geomap.cli import main

    db = str(tmp_path / "cli.gpkg")
    assert main(["ingest", str(GED), "--store", db]) == 0
    assert "231 inserted, 0 updated" in capsys.readouterr().err
    assert main(["ingest", str(GED), "--store", db]) == 0
    assert "0 inserted, 0 updated" in capsys.readouterr().err
    out = tmp_path / "kiev.geojson"
    assert main(["filter", "--store", db, "--admin1", "Kyiv", "-o", str(out)]) == 0
    assert "6 events pass" in capsys.readouterr().err
