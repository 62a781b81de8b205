"""join_events: link text events to UCDP GED records by geodesic distance, dates, actors, type."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from pyproj import Geod

from geomap.io import read_events
from geomap.records.join import LINK_COLUMNS, actor_sides, distinct_events, join_events
from geomap.records.read import read_records
from geomap.schema import EVENT_COLUMNS, EventRecord, events_to_gdf

GED = Path(__file__).parent.parent / "data" / "events" / "ucdp_ged_ukraine_excerpt.csv"
GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def records():
    return read_records(GED).records


@pytest.fixture(scope="module")
def anchor(records):
    """The Mariupol record of 2014-04-16 (no other record within 60 km and ±10 days)."""
    row = records.set_index("event_id").loc["ucdp:149876"]
    assert row["location"] == "Mariupol town"
    assert (row["event_date"], row["end_date"]) == (pd.Timestamp("2014-04-16"),
                                                    pd.Timestamp("2014-04-17"))
    return row


def offset(row, km: float, az: float = 90.0) -> tuple[float, float]:
    lon, lat, _ = GEOD.fwd(row["longitude"], row["latitude"], az, km * 1000)
    return lat, lon


def text_event(eid, row, km, days=0, **kw):
    import datetime as dt

    lat, lon = offset(row, km)
    date = (row["event_date"].date() + dt.timedelta(days=days)).isoformat()
    return EventRecord(eid, event_date=date, latitude=lat, longitude=lon, **kw)


def test_links_and_keeps_every_row(records, anchor):
    text = events_to_gdf([
        text_event("dup", anchor, 0.5, event_type="Battles", actor1="Ukrainian police"),
        text_event("near", anchor, 15, days=2, event_type="Battles"),
        text_event("far", anchor, 30, event_type="Battles"),
        text_event("late", anchor, 1, days=5, event_type="Battles"),
        text_event("protest", anchor, 1, event_type="Protests"),
        text_event("civ", anchor, 1, actor1="Civilians (Ukraine)", event_type="Battles"),
        EventRecord("nowhere", event_date="2014-04-16"),
    ])
    out = join_events(text, records, max_km=25, max_days=3)
    assert len(out) == len(text) + len(records)  # every source kept
    assert list(out.columns[:len(EVENT_COLUMNS)]) == EVENT_COLUMNS
    assert set(LINK_COLUMNS) <= set(out.columns)
    t = out[out["origin"] == "text"].set_index("event_id")
    assert t.loc["dup", "match_id"] == "ucdp:149876"
    assert t.loc["dup", "match_kind"] == "duplicate_of"
    assert t.loc["dup", "match_km"] == pytest.approx(0.5, abs=1e-3)
    assert t.loc["dup", "match_days"] == 0
    assert t.loc["near", "match_kind"] == "corroborates"
    assert t.loc["near", "match_km"] == pytest.approx(15, abs=1e-3)
    assert t.loc["near", "match_days"] == 1  # 2014-04-18 vs the record's 16–17 April
    for eid in ("far", "late", "protest", "civ", "nowhere"):
        assert t.loc[eid, "match_id"] == "", eid
        assert t.loc[eid, "match_kind"] == "", eid
    rec = out[out["origin"] == "record"].set_index("event_id")
    assert rec.loc["ucdp:149876", "corroborated_by"] == "dup;near"
    assert len(distinct_events(out)) == len(out) - 2


def test_picks_the_closest_record(records, anchor):
    base = records[records["event_id"] == "ucdp:149876"].copy()
    other = base.copy()
    other["event_id"] = "other"
    other["latitude"], other["longitude"] = offset(anchor, 3, az=0)
    both = events_to_gdf(pd.concat([base, other], ignore_index=True))
    lat, lon = offset(anchor, 2.5, az=0)
    text = events_to_gdf([EventRecord("t", event_date="2014-04-16", latitude=lat, longitude=lon)])
    out = join_events(text, both).set_index("event_id")
    assert out.loc["t", "match_id"] == "other"
    assert out.loc["t", "match_km"] == pytest.approx(0.5, abs=1e-3)


def test_distance_is_geodesic_far_north():
    """At 70° N a degree of longitude is ~38 km: a 20 km match must still be found."""
    recs = events_to_gdf([EventRecord("r", event_date="2024-01-01", latitude=70.0, longitude=30.0)])
    lon, lat, _ = GEOD.fwd(30.0, 70.0, 90, 24_000)
    lon2, lat2, _ = GEOD.fwd(30.0, 70.0, 90, 26_000)
    text = events_to_gdf([EventRecord("in", event_date="2024-01-01", latitude=lat, longitude=lon),
                          EventRecord("out", event_date="2024-01-01", latitude=lat2, longitude=lon2)])
    t = join_events(text, recs).set_index("event_id")
    assert t.loc["in", "match_id"] == "r" and t.loc["out", "match_id"] == ""


def test_actor_sides():
    assert actor_sides("Government of Ukraine", "DPR") == {"UA", "RU"}
    assert actor_sides("Military Forces of North Korea (2011-)") == {"RU"}
    assert actor_sides("Civilians (Ukraine)") == {"CIV"}
    assert actor_sides("") == frozenset()


def test_cli_join_links_the_seed_article_to_an_analysts_records(tmp_path, capsys):
    from geomap.cli import main

    root = Path(__file__).resolve().parents[1]
    article = root / "data" / "articles" / "kursk_2024-12-16_north_korean_casualties.txt"
    records = root / "tests" / "fixtures" / "records" / "analyst_kursk_records.csv"
    text = tmp_path / "text.geojson"
    assert main(["events", str(article), "-o", str(text)]) == 0
    out = tmp_path / "joined.geojson"
    assert main(["join", str(text), str(records), "-o", str(out)]) == 0
    assert "1 duplicate_of" in capsys.readouterr().err
    joined = read_events(out).set_index("event_id")  # extra link columns survive a round trip
    plekhovo = joined[joined["location"] == "Plekhovo"]
    assert "duplicate_of" in set(plekhovo["match_kind"]) and "rec-1" in set(plekhovo["match_id"])
    assert joined["origin"].value_counts().to_dict() == {"text": 6, "record": 2}  # all kept
    assert plekhovo.index[0] in str(joined.loc["rec-1", "corroborated_by"])


def test_an_event_never_joins_itself_through_a_store(tmp_path, capsys):
    """ingest text events into a store, then join them with that store: no self-links."""
    from geomap.cli import main

    root = Path(__file__).resolve().parents[1]
    article = root / "data" / "articles" / "kursk_2024-12-16_north_korean_casualties.txt"
    records = root / "tests" / "fixtures" / "records" / "analyst_kursk_records.csv"
    text, store = tmp_path / "text.geojson", tmp_path / "s.gpkg"
    assert main(["events", str(article), "-o", str(text)]) == 0
    assert main(["ingest", str(text), str(records), "--store", str(store)]) == 0
    out = tmp_path / "joined.geojson"
    assert main(["join", str(text), "--store", str(store), "-o", str(out)]) == 0
    capsys.readouterr()
    joined = read_events(out)
    assert joined["event_id"].is_unique
    assert not (joined["match_id"] == joined["event_id"]).any()
    assert joined["origin"].value_counts().to_dict() == {"text": 6, "record": 2}
    plekhovo = joined[(joined["origin"] == "text") & (joined["location"] == "Plekhovo")]
    assert "rec-1" in set(plekhovo["match_id"])  # the analyst's record still links
