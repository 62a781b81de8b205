"""``geomap export --layout acled|ucdp`` writes ACLED/UCDP columns that read back with no loss."""

from __future__ import annotations

import math
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest

from geomap.events.extract import extract_events
from geomap.io import write_events
from geomap.records.read import read_records
from geomap.schema import EVENT_COLUMNS, events_to_gdf
from tests.test_extract import PUB, SEED

ROOT = Path(__file__).resolve().parents[1]
GED = ROOT / "data" / "events" / "ucdp_ged_ukraine_excerpt.csv"
ACLED = ROOT / "tests" / "fixtures" / "records" / "acled_synthetic.csv"


@lru_cache(maxsize=1)
def _seed_rows():
    return tuple(extract_events(SEED, published=PUB))  # the real geoparser


def _seed_events():
    return events_to_gdf(list(_seed_rows()))


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Every EVENT_COLUMNS value equal (GeoJSON rounds coordinates to 7 decimals)."""
    assert len(a) == len(b)
    for col in EVENT_COLUMNS:
        for x, y in zip(a[col].tolist(), b[col].tolist(), strict=True):
            if isinstance(x, float) and isinstance(y, float):
                assert (math.isnan(x) and math.isnan(y)) or abs(x - y) < 1e-6, col
            else:
                assert (pd.isna(x) and pd.isna(y)) if pd.isna(x) is True else x == y, (col, x, y)


@pytest.mark.parametrize("layout", ["acled", "ucdp"])
@pytest.mark.parametrize("ext", ["csv", "gpkg", "geojson"])
def test_extracted_events_round_trip(tmp_path, layout, ext):
    events = _seed_events()
    out = tmp_path / f"events.{ext}"
    write_events(events, out, layout=layout)
    back = read_records(out, geocode=False)
    assert back.layout == layout and not back.problems
    _same(events, back.records)


def test_acled_columns_and_codes(tmp_path):
    out = tmp_path / "acled.csv"
    write_events(_seed_events(), out, layout="acled")
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(df.columns[:6]) == ["event_id_cnty", "event_date", "year", "time_precision",
                                    "disorder_type", "event_type"]
    plekhovo = df[df["location"] == "Plekhovo"].iloc[0]
    assert (plekhovo["year"], plekhovo["time_precision"], plekhovo["iso"]) == ("2024", "2", "643")
    assert plekhovo["actor1"] == "Military Forces of North Korea (2011-)"
    assert (plekhovo["inter1"], plekhovo["inter2"], plekhovo["interaction"]) == ("8", "8", "88")
    assert plekhovo["casualties_text"] == "at least 30 killed or wounded"
    assert plekhovo["fatalities"] == ""  # lumped casualties give no death count


def test_ucdp_columns(tmp_path):
    out = tmp_path / "ged.csv"
    write_events(_seed_events(), out, layout="ucdp")
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    for col in ("id", "type_of_violence", "side_a", "side_b", "where_prec", "date_prec",
                "date_start", "date_end", "best", "low", "high"):
        assert col in df.columns
    plekhovo = df[df["where_coordinates"] == "Plekhovo"].iloc[0]
    assert (plekhovo["date_start"], plekhovo["date_end"], plekhovo["date_prec"]) == (
        "2024-12-14", "2024-12-15", "2")
    assert (plekhovo["type_of_violence"], plekhovo["low"], plekhovo["best"]) == ("1", "0", "")


def test_ucdp_types_stay_distinct_and_ged_rows_round_trip(tmp_path):
    ged = read_records(GED, geocode=False).records
    raw = pd.read_csv(GED, dtype=str)
    assert ged["type_of_violence"].tolist() == raw["type_of_violence"].astype(int).tolist()
    # state-based (1) and non-state (2) are both ACLED Battles but stay apart in the data
    assert set(ged["type_of_violence"]) == {1, 2}
    assert set(ged["event_type"]) == {"Battles"}
    assert ged.loc[ged["type_of_violence"] == 2, "notes"].str.contains("non-state").all()
    for layout in ("ucdp", "acled"):
        out = tmp_path / f"ged_{layout}.csv"
        write_events(ged, out, layout=layout)
        _same(ged, read_records(out, geocode=False).records)


def test_acled_rows_round_trip(tmp_path):
    acled = read_records(ACLED, geocode=False).records
    out = tmp_path / "acled_again.csv"
    write_events(acled, out, layout="acled")
    _same(acled, read_records(out, geocode=False).records)


def test_cli_export_layout(tmp_path):
    src = tmp_path / "events.geojson"
    write_events(_seed_events(), src)
    out = tmp_path / "acled.csv"
    run = subprocess.run([sys.executable, "-m", "geomap", "export", str(src), "--layout", "acled",
                          "-o", str(out)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert pd.read_csv(out).columns[0] == "event_id_cnty"
    bad = subprocess.run([sys.executable, "-m", "geomap", "export", str(src), "--layout", "nope",
                          "-o", str(out)], capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_source_style_ids(tmp_path):
    out = tmp_path / "acled.csv"
    write_events(_seed_events(), out, layout="acled")
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert (df["event_id_cnty"] == "RUS-" + df["event_id"]).all()  # Kursk: Russia
    acled = read_records(ACLED, geocode=False).records
    write_events(acled, out, layout="acled")
    again = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert again["event_id_cnty"].tolist() == ["RUS9001", "UKR9002"]  # ACLED's own ids
    ged = read_records(GED, geocode=False).records
    write_events(ged, tmp_path / "ged.csv", layout="ucdp")
    raw = pd.read_csv(GED, dtype=str)
    assert pd.read_csv(tmp_path / "ged.csv", dtype=str)["id"].tolist() == raw["id"].tolist()


def test_ged_rows_get_acled_derived_columns():
    ged = read_records(GED, geocode=False).records
    assert set(ged["disorder_type"]) == {"Political violence"}
    assert set(ged["iso"]) == {804}  # Ukraine
