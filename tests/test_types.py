"""Types a geopandas user expects: datetime64 dates, nullable counts, DATE fields (#10)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

import geomap
from geomap.errors import InputError
from geomap.schema import EventRecord

GED = Path(__file__).resolve().parents[1] / "data" / "events" / "ucdp_ged_ukraine_excerpt.csv"


@pytest.fixture(scope="module")
def ged():
    return geomap.read_events(GED)


def test_dates_are_datetime64_and_counts_nullable_ints(ged):
    assert pd.api.types.is_datetime64_any_dtype(ged["event_date"])
    assert pd.api.types.is_datetime64_any_dtype(ged["end_date"])
    assert ged["event_date"].notna().all() and ged["end_date"].isna().any()
    first = ged.set_index("event_id").loc["ucdp:149876"]
    assert first["event_date"] == pd.Timestamp("2014-04-16")
    assert first["end_date"] == pd.Timestamp("2014-04-17")
    for col in ("fatalities_best", "killed", "date_precision", "geo_precision"):
        assert str(ged[col].dtype) == "Int64", col
    assert ged["killed"].isna().all()  # UCDP gives no 'killed': missing, not 0
    # date arithmetic works without parsing
    assert (ged["end_date"] - ged["event_date"]).dropna().dt.days.max() >= 1


def test_geopackage_has_date_fields_text_formats_keep_iso_dates(ged, tmp_path):
    gpkg = geomap.write_events(ged, tmp_path / "e.gpkg")
    con = sqlite3.connect(gpkg)
    schema = con.execute("SELECT sql FROM sqlite_master WHERE name='events'").fetchone()[0]
    assert '"event_date" DATE' in schema and '"end_date" DATE' in schema
    assert con.execute("SELECT event_date FROM events WHERE event_id='ucdp:149876'"
                       ).fetchone()[0] == "2014-04-16"
    con.close()
    back = geomap.read_events(gpkg)
    assert pd.api.types.is_datetime64_any_dtype(back["event_date"])
    assert back["event_date"].tolist() == ged["event_date"].tolist()
    csv = geomap.write_events(ged, tmp_path / "e.csv")
    assert "ucdp:149876,UKR-" in csv.read_text("utf-8")
    row = next(line for line in csv.read_text("utf-8").splitlines()
               if line.startswith("ucdp:149876,"))
    assert ",2014-04-16,2014-04-17," in row


def test_store_has_date_fields_and_reads_datetime64(ged, tmp_path):
    with geomap.EventStore(tmp_path / "s.gpkg") as store:
        store.upsert(ged)
        assert store.upsert(ged) == (0, 0)  # dates round-trip: nothing looks changed
        got = store.read(date_from="2014-04-16", date_to="2014-04-16")
    assert pd.api.types.is_datetime64_any_dtype(got["event_date"])
    assert "ucdp:149876" in set(got["event_id"])
    con = sqlite3.connect(tmp_path / "s.gpkg")
    schema = con.execute("SELECT sql FROM sqlite_master WHERE name='events'").fetchone()[0]
    con.close()
    assert '"event_date" DATE' in schema


def test_a_date_that_is_not_a_date_is_an_error_naming_the_column():
    with pytest.raises(InputError, match="'yesterday' is not an ISO date") as err:
        geomap.events_to_gdf([EventRecord("e1", event_date="yesterday")])
    assert err.value.field == "event_date"
    ok = geomap.events_to_gdf([EventRecord("e1", event_date="2024-08-06")])
    assert ok["event_date"].iloc[0] == pd.Timestamp("2024-08-06")
    assert pd.isna(ok["end_date"].iloc[0])
