"""EventStore over PostGIS: the GeoPackage store's behaviour, SQL filters, concurrent writers.

Runs against a throw-away cluster (``tests/pg_cluster.py``) or ``GEOMAP_TEST_PG_DSN``.
"""

from __future__ import annotations

import multiprocessing as mp
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
import psycopg
import pytest
import shapely
from pyproj import Geod

from geomap.errors import GeomapError, InputError
from geomap.records.read import read_records
from geomap.schema import events_to_gdf
from geomap.spatial.filters import filter_events
from geomap.store import EventStore
from geomap.store.postgis import PostGISBackend, parse_dsn
from tests.pg_cluster import pg_dsn, with_table  # noqa: F401 - pytest fixture

pytestmark = pytest.mark.postgis

GED = Path(__file__).parent.parent / "data" / "events" / "ucdp_ged_ukraine_excerpt.csv"


def synthetic_events(n: int, seed: int = 7, prefix: str = "syn") -> pd.DataFrame:
    """``n`` events scattered over the Russia–Ukraine border area with varied attributes."""
    rng = np.random.default_rng(seed)
    days = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    span = pd.to_timedelta(rng.integers(0, 4, n), unit="D")
    return pd.DataFrame({
        "event_id": [f"{prefix}:{i:05d}" for i in range(n)],
        "event_date": days.strftime("%Y-%m-%d"),
        "end_date": np.where(rng.random(n) < 0.3, (days + span).strftime("%Y-%m-%d"), ""),
        "event_type": rng.choice(["Battles", "Explosions/Remote violence",
                                  "Violence against civilians"], n),
        "sub_event_type": rng.choice(["Armed clash", "Air/drone strike",
                                      "Shelling/artillery/missile attack", ""], n),
        "actor1": rng.choice(["Military Forces of Russia (2000-)", "Military Forces of Ukraine",
                              "ЗСУ", "Wagner Group", ""], n),
        "actor2": rng.choice(["Civilians (Ukraine)", "Military Forces of Ukraine", ""], n),
        "claimed_by": rng.choice(["", "Russian Ministry of Defence", "Генштаб ЗСУ"], n),
        "verification": rng.choice(["claimed", "unverified", "independently_verified"], n),
        "confidence": np.round(rng.random(n), 3),
        "latitude": np.round(rng.uniform(46.5, 52.5, n), 6),
        "longitude": np.round(rng.uniform(33.0, 39.5, n), 6),
        "location": "synthetic",
        "country": "",
    })


@pytest.fixture(scope="module")
def ged():
    return read_records(GED).records


@pytest.fixture(scope="module")
def events(ged):
    return events_to_gdf(pd.concat([pd.DataFrame(ged.drop(columns="geometry")),
                                    synthetic_events(600)], ignore_index=True))


@pytest.fixture
def dsn(pg_dsn):  # noqa: F811 - the imported fixture
    """A DSN naming a fresh table (dropped afterwards)."""
    table = f"t_{uuid.uuid4().hex[:12]}"
    yield with_table(pg_dsn, table)
    with psycopg.connect(pg_dsn, autocommit=True) as con:
        con.execute(f'DROP TABLE IF EXISTS "{table}"')


@pytest.fixture
def store(dsn):
    with EventStore(dsn) as st:
        yield st


# --------------------------------------------------------------------------- PostGIS specifics
# (the behaviour every backend shares is tested in test_store.py, on both backends)
def test_dsn_selects_postgis(store):
    assert isinstance(store.backend, PostGISBackend)
    assert parse_dsn("postgis://u:p@h:5/db?table=x.ev&sslmode=disable") == (
        "postgresql://u:p@h:5/db?sslmode=disable", "x", "ev")


# --------------------------------------------------------------------------- filters in SQL
FILTER_CASES = [
    {"bbox": (37.5, 47.8, 38.5, 48.3)},
    {"date_from": "2015-01-01", "date_to": "2015-12-31"},
    {"date_from": "2024-03-01", "date_to": "15/03/2024"},
    {"admin1": "Luhansk Oblast", "date_from": "2014-08-01"},
    {"admin1": ["Kursk Oblast", "Belgorod"]},
    {"admin2": "Sudzhansky District"},
    {"country": "Russia"},
    {"country": "UA", "event_type": "air/drone strike"},
    {"polygon": shapely.box(35.0, 50.0, 36.5, 51.5).buffer(0.3)},
    {"within_km": ((51.19, 35.27), 40)},
    {"within_km": ("48.0,37.8", 25), "date_to": "2015-06-30"},
    {"actor": "LPR"},
    {"actor": ["зсу", "wagner"]},  # case-insensitive in Cyrillic too
    {"event_type": ["Battles", "Shelling/artillery/missile attack"]},
    {"verification": "independently_verified", "min_confidence": 0.5},
]


@pytest.mark.parametrize("filters", FILTER_CASES, ids=lambda f: ",".join(f))
def test_sql_filters_match_filter_events(store, events, filters):
    store.upsert(events)
    want = sorted(filter_events(events, **filters)["event_id"])
    assert 0 < len(want) < len(events), filters  # the case discriminates
    assert sorted(store.backend.query(**filters)["event_id"]) == want  # all in SQL
    assert sorted(store.read(**filters)["event_id"]) == want  # through EventStore


def test_within_km_is_geodesic_metres(store):
    """Points 9.95 km and 10.05 km from a centre at 60°N, in 8 directions."""
    geod = Geod(ellps="WGS84")
    lat0, lon0 = 60.0, 30.0
    az = np.repeat(np.arange(0, 360, 45.0), 2)
    dist = np.tile([9_950.0, 10_050.0], 8)
    lons, lats, _ = geod.fwd(np.full(16, lon0), np.full(16, lat0), az, dist)
    ids = [f"ring:{int(a)}:{int(d)}" for a, d in zip(az, dist, strict=True)]
    store.upsert(pd.DataFrame({"event_id": ids, "latitude": lats, "longitude": lons}))
    got = sorted(store.backend.query(within_km=((lat0, lon0), 10))["event_id"])
    assert got == sorted(i for i, d in zip(ids, dist, strict=True) if d < 10_000)


def test_bad_filter_values(store):
    with pytest.raises(InputError, match="bbox"):
        store.backend.query(bbox=(40, 50, 30, 45))
    with pytest.raises(InputError, match="unknown admin1"):
        store.backend.query(admin1="Atlantis Oblast")
    with pytest.raises(InputError, match="cannot parse date"):
        store.backend.query(date_from="someday")
    with pytest.raises(InputError, match="within_km"):
        store.backend.query(within_km=((50, 30), -1))


# --------------------------------------------------------------------------- PostGIS specifics
def test_table_has_spatial_indexes_used_by_queries(store, events):
    store.upsert(events)
    table = store.backend.table
    with psycopg.connect(store.backend.dsn, autocommit=True) as con:
        idx = dict(con.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
                               [table]).fetchall())
        gist = [d for d in idx.values() if "USING gist" in d]
        assert any("(geom)" in d for d in gist) and any("geography" in d for d in gist), idx
        assert con.execute(f"SELECT Find_SRID('public', '{table}', 'geom')").fetchone()[0] == 4326
        con.execute("SET enable_seqscan = off")
        plan = "\n".join(r[0] for r in con.execute(
            f'EXPLAIN SELECT event_id FROM "{table}" e '
            "WHERE e.geom && ST_MakeEnvelope(37.5, 47.8, 38.5, 48.3, 4326)"))
        assert f"{table}_geom_gist" in plan, plan
        plan = "\n".join(r[0] for r in con.execute(
            f'EXPLAIN SELECT event_id FROM "{table}" e WHERE ST_DWithin(e.geom::geography, '
            "ST_SetSRID(ST_MakePoint(35.27, 51.19), 4326)::geography, 40000)"))
        assert f"{table}_geog_gist" in plan, plan


def test_bad_input(store, ged, pg_dsn):  # noqa: F811
    g = ged.head(1).copy()
    g["event_id"] = ""
    with pytest.raises(InputError, match="no event_id"):
        store.upsert(g)
    table = f"other_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_dsn, autocommit=True) as con:
        con.execute(f'CREATE TABLE "{table}" (x int)')
    try:
        with pytest.raises(InputError, match="not a geomap event store"):
            EventStore(with_table(pg_dsn, table))
    finally:
        with psycopg.connect(pg_dsn, autocommit=True) as con:
            con.execute(f'DROP TABLE "{table}"')
    with pytest.raises(GeomapError, match="cannot connect") as err:
        EventStore("postgresql://someone:s3cret@127.0.0.1:1/nodb")
    assert "s3cret" not in str(err.value)


def test_postgis_extension_created_or_refused_clearly(pg_dsn):  # noqa: F811
    """A database without PostGIS gets it (superuser) or a clear error (plain owner)."""
    from urllib.parse import urlsplit, urlunsplit

    name = f"db_{uuid.uuid4().hex[:8]}"
    role = f"r_{uuid.uuid4().hex[:8]}"
    parts = urlsplit(pg_dsn)

    def dsn_for(db: str, user: str | None = None) -> str:
        netloc = parts.netloc if user is None else f"{user}@{parts.netloc.rpartition('@')[2]}"
        return urlunsplit(parts._replace(netloc=netloc, path=f"/{db}", query=""))

    with psycopg.connect(pg_dsn, autocommit=True) as con:
        con.execute(f'CREATE ROLE "{role}" LOGIN')
        con.execute(f'CREATE DATABASE "{name}" OWNER "{role}"')
    try:
        with pytest.raises(GeomapError, match="CREATE EXTENSION postgis"):
            EventStore(dsn_for(name, role))
        with EventStore(dsn_for(name)) as st:  # the superuser may create it
            assert st.upsert(pd.DataFrame({"event_id": ["a"], "latitude": [50.0],
                                           "longitude": [30.0]})) == (1, 0)
    finally:
        with psycopg.connect(pg_dsn, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            con.execute(f'DROP ROLE IF EXISTS "{role}"')


def _writer(dsn: str, ids: list[int], note: str, queue) -> None:
    frame = synthetic_events(600, seed=11)
    frame["notes"] = note
    batch = frame.iloc[ids]
    total = [0, 0]
    with EventStore(dsn) as st:
        for i in range(0, len(batch), 25):  # many small transactions interleave
            ins, upd = st.upsert(batch.iloc[i:i + 25])
            total[0] += ins
            total[1] += upd
    queue.put((note, *total))


def _run_writers(dsn: str, jobs: list[tuple[list[int], str]]) -> list[tuple]:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(dsn, ids, note, queue)) for ids, note in jobs]
    for p in procs:
        p.start()
    results = [queue.get(timeout=180) for _ in procs]
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    return results


def test_concurrent_writers_same_content(dsn):
    # four processes, overlapping ranges (some in reverse order), creating the same new table
    jobs = [(list(range(0, 250)), "same"), (list(range(150, 450))[::-1], "same"),
            (list(range(350, 600)), "same"), (list(range(0, 600, 3))[::-1], "same")]
    results = _run_writers(dsn, jobs)
    assert sum(r[1] for r in results) == 600  # each event inserted exactly once
    assert sum(r[2] for r in results) == 0  # identical rows are not updates
    with EventStore(dsn) as st:
        assert len(st) == 600
        back = st.read()
    assert back["event_id"].is_unique
    assert sorted(back["event_id"]) == [f"syn:{i:05d}" for i in range(600)]


def test_concurrent_writers_conflicting_versions(dsn):
    ids = list(range(0, 300))
    jobs = [(ids, "writer 0"), (ids[::-1], "writer 1"), (ids[100:], "writer 2"),
            (ids[:200][::-1], "writer 3")]
    results = _run_writers(dsn, jobs)
    assert sum(r[1] for r in results) == 300
    sizes = {note: len(job) for job, note in jobs}
    for note, ins, upd in results:
        assert ins + upd <= sizes[note]
    with EventStore(dsn) as st:
        back = st.read()
    assert len(back) == 300 and back["event_id"].is_unique
    # every stored row is one writer's complete version of that event
    frame = synthetic_events(600, seed=11).iloc[ids].set_index("event_id")
    back = back.set_index("event_id").loc[frame.index]
    assert back["notes"].isin([n for _, n in jobs]).all()
    assert (back["event_date"] == frame["event_date"]).all()
    assert np.allclose(back.geometry.y, frame["latitude"])


def test_cli_ingest_into_postgis(dsn, capsys, tmp_path):
    from geomap.cli import main

    assert main(["ingest", str(GED), "--store", dsn]) == 0
    assert "231 inserted, 0 updated" in capsys.readouterr().err
    assert main(["ingest", str(GED), "--store", dsn]) == 0
    assert "0 inserted, 0 updated" in capsys.readouterr().err
    out = tmp_path / "kiev.geojson"
    assert main(["filter", "--store", dsn, "--admin1", "Kyiv", "-o", str(out)]) == 0
    assert "6 events pass" in capsys.readouterr().err
    assert out.stat().st_size > 0
