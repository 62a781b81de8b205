"""The dask-geopandas path on a 2-process LocalCluster gives exactly the single-machine results."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geomap.cli import build_parser
from geomap.cli import main as geomap_main
from geomap.distributed import (
    filter_parquet,
    geocode_parquet,
    read_partitioned,
    to_partitioned_parquet,
    upsert_parquet,
)
from geomap.errors import InputError
from geomap.records.geocode import geocode_table
from geomap.records.read import read_records
from geomap.schema import events_to_gdf
from geomap.spatial.filters import filter_events
from tests.pg_cluster import pg_dsn, with_table  # noqa: F401 - pytest fixture

GED = Path(__file__).parent.parent / "data" / "events" / "ucdp_ged_ukraine_excerpt.csv"


def synthetic(n: int, seed: int = 3) -> pd.DataFrame:
    """``n`` events over the Russia–Ukraine border area (varied dates, types, actors)."""
    rng = np.random.default_rng(seed)
    days = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    return pd.DataFrame({
        "event_id": [f"d:{i:05d}" for i in range(n)],
        "event_date": days.strftime("%Y-%m-%d"),
        "event_type": rng.choice(["Battles", "Explosions/Remote violence",
                                  "Violence against civilians"], n),
        "sub_event_type": rng.choice(["Armed clash", "Air/drone strike", ""], n),
        "actor1": rng.choice(["Military Forces of Russia (2000-)", "Military Forces of Ukraine",
                              "Wagner Group", ""], n),
        "latitude": np.round(rng.uniform(46.5, 52.5, n), 6),
        "longitude": np.round(rng.uniform(33.0, 39.5, n), 6),
        "confidence": np.round(rng.random(n), 3),
    })


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def events():
    ged = read_records(GED).records
    return events_to_gdf(pd.concat([pd.DataFrame(ged.drop(columns="geometry")), synthetic(3000)],
                                   ignore_index=True))


@pytest.fixture(scope="module")
def parts(events, tmp_path_factory):
    path = tmp_path_factory.mktemp("dist") / "events.parquet"
    res = to_partitioned_parquet(events, path, npartitions=6)
    assert (res.rows, res.partitions) == (len(events), 6)
    return path


def test_partitions_round_trip(events, parts, tmp_path):
    back = read_partitioned(parts)
    assert back.npartitions == 6
    back = back.compute().set_index("event_id").loc[events["event_id"]].reset_index()
    pd.testing.assert_frame_equal(pd.DataFrame(back.drop(columns="geometry")),
                                  pd.DataFrame(events.drop(columns="geometry")), check_dtype=False)
    assert back.geometry.geom_equals_exact(events.geometry, 0, align=False).all()
    # Hilbert-sorted partitions: same rows, each partition a compact area
    res = to_partitioned_parquet(events, tmp_path / "spatial", npartitions=4, spatial=True)
    spatial = read_partitioned(res.path)
    assert sorted(spatial.compute()["event_id"]) == sorted(events["event_id"])
    areas = [shapely.box(*d.compute().total_bounds).area for d in spatial.to_delayed()]
    assert max(areas) < shapely.box(*events.total_bounds).area / 2


def _polygon_file(tmp_path) -> Path:
    path = tmp_path / "area.geojson"
    poly = shapely.Polygon([(35.0, 50.0), (37.5, 50.2), (36.8, 51.8), (34.6, 51.4)])
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(poly)}]}))
    return path


CASES = [
    {"admin1": "Kursk Oblast", "date_from": "2024-08-06"},
    {"within_km": ("Sudzha", 60), "event_type": "Air/drone strike"},
    {"country": "UA", "actor": "wagner", "date_to": "2024-09-30"},
    {"bbox": (37.5, 47.8, 38.5, 48.3)},
    {"polygon": "FILE", "min_confidence": 0.5},
]


@pytest.mark.parametrize("filters", CASES, ids=lambda f: ",".join(f))
def test_filter_parquet_equals_filter_events(client, events, parts, tmp_path, filters):
    if filters.get("polygon") == "FILE":
        filters = {**filters, "polygon": str(_polygon_file(tmp_path))}
    want = filter_events(events, **filters)
    assert 0 < len(want) < len(events)
    res = filter_parquet(parts, tmp_path / "out", client=client, **filters)
    got = read_partitioned(res.path).compute()
    assert res.rows == len(want) and res.partitions == 6
    assert sorted(got["event_id"]) == sorted(want["event_id"])
    assert got["event_id"].is_unique


def test_geocode_parquet_equals_geocode_table(client, tmp_path):
    raw = pd.read_csv(GED, usecols=["id", "where_coordinates", "adm_1", "country"])
    rows = pd.concat([raw] * 9, ignore_index=True)  # 2079 rows, 88 distinct places
    rows["row"] = np.arange(len(rows))
    rows.loc[rows["row"] % 97 == 0, "where_coordinates"] = "Xyzzyqwerty village"  # unresolvable
    src = tmp_path / "rows.parquet"
    src.mkdir()
    for i, chunk in enumerate(np.array_split(np.arange(len(rows)), 4)):
        rows.iloc[chunk].to_parquet(src / f"part.{i}.parquet", index=False)
    res = geocode_parquet(src, tmp_path / "geo", "where_coordinates", admin1_column="adm_1",
                          country_column="country", client=client)
    assert res.rows == len(rows)
    got = read_partitioned(res.path).compute().set_index("row").sort_index()
    want = geocode_table(rows, "where_coordinates", admin1_column="adm_1",
                         country_column="country", progress=False).table.set_index("row")
    assert isinstance(got, gpd.GeoDataFrame) and got.crs.to_epsg() == 4326
    for col in ("latitude", "longitude", "confidence"):
        np.testing.assert_array_equal(got[col].to_numpy(float), want[col].to_numpy(float))
    for col in ("place_id", "resolved_name", "resolved_admin1", "resolved", "needs_review"):
        assert got[col].tolist() == want[col].tolist(), col
    assert 0 < int(got["resolved"].sum()) < len(got)
    ok = got["resolved"].to_numpy()
    np.testing.assert_array_equal(got.geometry[ok].y.to_numpy(), got["latitude"][ok].to_numpy())
    assert got.geometry[~ok].isna().all()


@pytest.mark.postgis
def test_workers_upsert_into_postgis(client, events, parts, pg_dsn):  # noqa: F811
    import psycopg

    dsn = with_table(pg_dsn, "dist_events")
    try:
        assert upsert_parquet(parts, dsn, client=client) == (len(events), 0)
        assert upsert_parquet(parts, dsn, client=client) == (0, 0)
        from geomap.store import EventStore

        with EventStore(dsn) as st:
            assert len(st) == len(events)
    finally:
        with psycopg.connect(pg_dsn, autocommit=True) as con:
            con.execute('DROP TABLE IF EXISTS "dist_events"')


def test_bad_input(client, parts, tmp_path):
    with pytest.raises(InputError, match="unknown admin1"):
        filter_parquet(parts, tmp_path / "o1", client=client, admin1="Atlantis Oblast")
    assert not (tmp_path / "o1").exists()
    (tmp_path / "o2").mkdir()
    with pytest.raises(InputError, match="exists"):
        filter_parquet(parts, tmp_path / "o2", client=client, bbox=(30, 45, 40, 55))
    with pytest.raises(InputError, match="not found"):
        filter_parquet(tmp_path / "missing", tmp_path / "o3", client=client)
    with pytest.raises(InputError, match="no column 'village'"):
        geocode_parquet(parts, tmp_path / "o4", "village", client=client)


def main(argv: list[str]) -> int:
    """``geomap distributed ...`` (one CLI: no separate ``python -m geomap.distributed``)."""
    return geomap_main(["distributed", *argv])


def _options(*path: str) -> set[str]:
    parser = build_parser()
    for name in path:
        parser = next(a for a in parser._actions if a.dest in ("command", "distributed_command")
                      ).choices[name]
    return {o for a in parser._actions for o in a.option_strings}


def test_distributed_shares_option_names_with_filter_and_geocode():
    assert _options("filter") - {"--store", "-o", "--output", "--format", "--no-csv-escape"} <= \
        _options("distributed", "filter")
    assert {"--from", "--to", "--hromada"} <= _options("distributed", "filter")
    assert {"--location-column", "--admin1-column", "--country"} <= \
        _options("distributed", "geocode")
    assert not {"--date-from", "--location"} & _options("distributed", "filter")


def test_command_line(client, events, tmp_path, capsys):
    out = tmp_path / "ged.parquet"
    assert main(["partition", str(GED), str(out), "-n", "3"]) == 0
    assert "231 rows in 3 partitions" in capsys.readouterr().err
    kyiv = tmp_path / "kyiv.parquet"
    assert main(["--scheduler", client.scheduler.address, "filter", str(out), str(kyiv),
                 "--admin1", "Kyiv"]) == 0
    assert "6 rows" in capsys.readouterr().err
    assert main(["filter", str(out), str(kyiv), "--admin1", "Kyiv"]) == 2
    assert "exists" in capsys.readouterr().err
    # options after the action, and the shared --from/--to names
    later = tmp_path / "kyiv2014.parquet"
    assert main(["filter", str(out), str(later), "--admin1", "Kyiv", "--from", "2014-02-19",
                 "--to", "2014-02-20", "--scheduler", client.scheduler.address]) == 0
    rows = read_partitioned(later).compute()
    expected = filter_events(events, admin1="Kyiv", date_from="2014-02-19", date_to="2014-02-20")
    assert sorted(rows["event_id"]) == sorted(expected["event_id"])
