"""read_records: layouts, bad rows with line numbers, encodings, events_to_gdf."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geomap.errors import InputError
from geomap.records.layouts import GED_TO_ACLED_PRECISION, detect_layout, parse_columns_spec
from geomap.records.read import read_records
from geomap.schema import EVENT_COLUMNS, EventRecord, events_to_gdf
from geomap.values import parse_date

FIX = Path(__file__).parent / "fixtures" / "records"
GED = Path(__file__).parent.parent / "data" / "events" / "ucdp_ged_ukraine_excerpt.csv"

# (line, field, severity, words in the reason) for every bad or doubtful row of bad_rows.csv
EXPECTED_BAD_ROWS = [
    (4, "village", "error", "unknown place"),
    (5, "lat", "error", "latitude 95.5 out of range"),
    (6, "lat", "error", "longitude swapped?"),  # point in Iran, swapped point in Russia
    (7, "lat", "error", "latitude 131.9 out of range"),  # and 43.1 would be a latitude
    (8, "date", "error", "cannot parse date 'yesterday'"),
    (9, "country", "error", "missing country, lat, lon"),
    (13, "lat", "error", "not a number"),
    (14, "date", "error", "date is empty"),
    (15, "id", "error", "duplicate event_id 'r2' (first on line 3)"),
    (16, "fatalities", "warning", "not a whole number"),
    (18, None, "warning", "not valid UTF-8; decoded as cp1251"),
]


@pytest.fixture(scope="module")
def bad():
    return read_records(FIX / "bad_rows.csv")


def test_every_bad_row_is_reported_with_its_line(bad):
    got = [(p.line, p.field, p.severity) for p in bad.problems]
    assert got == [(line, fld, sev) for line, fld, sev, _ in EXPECTED_BAD_ROWS]
    for p, (_, _, _, words) in zip(bad.problems, EXPECTED_BAD_ROWS, strict=True):
        assert words in p.reason, p
        assert p.path.endswith("bad_rows.csv")


def test_good_rows_are_imported_and_nothing_is_lost(bad):
    ids = bad.records["event_id"].tolist()
    assert ids == ["r1", "r2", "r9", "r12", "r13", "r14", "r15"]
    assert bad.total_rows == 16  # lines 10-12 are one record
    rejected = {p.line for p in bad.errors}
    # each record of the file is either imported or rejected with a reason
    assert len(ids) + len(rejected) == bad.total_rows


def test_swapped_coordinates_are_errors_never_silent_swaps(bad):
    by_line = {p.line: p for p in bad.problems}
    assert "(35.271, 51.191) is outside Russia" in by_line[6].reason
    assert "latitude 131.9 out of range [-90, 90]; longitude 43.1 is a valid latitude" \
        in by_line[7].reason
    assert {"r5", "r6"}.isdisjoint(bad.records["event_id"])


def test_row_values_survive(bad):
    rec = bad.records.set_index("event_id")
    assert rec.loc["r9", "notes"] == "multi-line\nnote spanning\nthree lines"
    assert pd.isna(rec.loc["r12", "fatalities_best"])  # 'many' reported, left empty
    assert rec.loc["r2", "fatalities_best"] == 2
    assert rec.loc["r14", "location"] == "Суджа"  # cp1251 line decoded
    assert rec.loc["r14", "admin1"] == "Курская область"
    assert rec.loc["r15", "location"] == "Плёхово"


def test_row_without_coordinates_is_geocoded_with_its_context(bad):
    r13 = bad.records.set_index("event_id").loc["r13"]
    # Plekhovo, Sudzhansky District, Kursk Oblast (border pack: 51.100 N, 35.333 E)
    assert abs(r13["latitude"] - 51.10) < 0.03 and abs(r13["longitude"] - 35.333) < 0.05
    assert r13["geo_precision"] == 1


def test_whole_file_in_cp1251_is_detected():
    res = read_records(FIX / "cp1251.csv")
    assert res.encoding == "cp1251"
    assert res.records["location"].tolist() == ["Суджа", "Плёхово", "Ворожба"]
    assert res.records["event_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-12-16", "2024-12-17", "2024-12-18"]
    assert [p.reason for p in res.problems] == ["file is not UTF-8; detected and decoded as cp1251 (Cyrillic)"]


def test_whole_file_in_latin1_is_detected():
    res = read_records(FIX / "latin1.csv")
    assert res.encoding == "cp1252"
    assert res.records["notes"].tolist()[0] == "Bericht über Kämpfe nahe Sudscha"
    assert res.problems[0].line is None and "latin-1" in res.problems[0].reason


def test_missing_required_column_rejects_the_file():
    with pytest.raises(InputError) as exc:
        read_records(FIX / "no_date_column.csv")
    assert exc.value.line == 1 and exc.value.field == "event_date"
    assert "--columns event_date=" in str(exc.value)


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_records(tmp_path / "nope.csv")


def test_ucdp_ged_mapping():
    res = read_records(GED)
    assert res.layout == "ucdp" and not res.errors
    raw = pd.read_csv(GED, dtype=str, keep_default_na=False)
    gdf = res.records
    assert len(gdf) == len(raw) == 231
    assert gdf["event_id"].tolist() == ["ucdp:" + i for i in raw["id"]]
    assert gdf["location"].tolist() == raw["where_coordinates"].tolist()
    assert gdf["admin1"].tolist() == raw["adm_1"].tolist()
    assert gdf["actor1"].tolist() == raw["side_a"].tolist()
    assert gdf["actor2"].tolist() == raw["side_b"].tolist()
    assert gdf["fatalities_best"].tolist() == raw["best"].astype(int).tolist()
    assert gdf["fatalities_low"].tolist() == raw["low"].astype(int).tolist()
    assert gdf["fatalities_high"].tolist() == raw["high"].astype(int).tolist()
    assert gdf["geo_precision"].tolist() == [GED_TO_ACLED_PRECISION[int(p)] for p in raw["where_prec"]]
    assert set(raw["where_prec"]) == {str(i) for i in range(1, 8)}
    # M/D/YYYY → ISO
    first = gdf.iloc[0]
    assert raw["date_start"].iloc[0] == "1/22/2014 12:00:00 AM" and first["event_date"] == pd.Timestamp("2014-01-22")
    assert first["location"] == "Kiev city" and first["event_type"] == "Battles"
    assert "state-based" in first["notes"]
    assert gdf["source"].tolist() == raw["source_article"].tolist()
    assert gdf["notes"].str.startswith(tuple(raw["source_headline"].str[:20])).all()
    assert gdf.geometry.x.tolist() == raw["longitude"].astype(float).tolist()
    assert gdf.geometry.y.tolist() == raw["latitude"].astype(float).tolist()
    non_state = gdf[raw["type_of_violence"].to_numpy() == "2"]
    assert len(non_state) == 1 and "non-state" in non_state["notes"].iloc[0]


def test_acled_layout():
    res = read_records(FIX / "acled_synthetic.csv")
    assert res.layout == "acled" and not res.problems
    row = res.records.iloc[0]
    assert row["event_id"] == "acled:RUS9001"
    assert row["event_date"] == pd.Timestamp("2024-12-16")  # "16 December 2024"
    assert row["sub_event_type"] == "Armed clash" and row["admin2"] == "Sudzhanskiy"
    assert res.records["fatalities_best"].tolist() == [0, 2]
    assert row["geo_precision"] == 1 and row["date_precision"] == 1


def test_columns_mapping(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("when,settlement_name,obl,y_coord,x_coord\n"
                    "2024-08-06,Sudzha,Kursk Oblast,51.191,35.271\n"
                    "2024-08-07,Vorozhba,Sumy Oblast,51.173,34.227\n")
    res = read_records(path, columns="event_date=when,location=settlement_name,admin1=obl,"
                                     "latitude=y_coord,longitude=x_coord")
    assert res.records["location"].tolist() == ["Sudzha", "Vorozhba"]
    assert res.records["admin1"].tolist() == ["Kursk Oblast", "Sumy Oblast"]
    assert res.records.geometry.y.tolist() == [51.191, 51.173]
    with pytest.raises(InputError, match="'village'"):
        read_records(path, columns="location=village")
    with pytest.raises(InputError, match="unknown target"):
        parse_columns_spec("town=settlement_name")


def test_xlsx_lines_are_sheet_rows(tmp_path):
    path = tmp_path / "events.xlsx"
    pd.DataFrame({
        "date": ["2024-08-06", "not a date", "2024-08-08"],
        "village": ["Sudzha", "Sudzha", "Vorozhba"],
        "lat": [51.191, 51.191, 51.173], "lon": [35.271, 35.271, 34.227],
    }).to_excel(path, index=False)
    res = read_records(path)
    assert [(p.line, p.field) for p in res.problems] == [(3, "date")]
    assert res.records["location"].tolist() == ["Sudzha", "Vorozhba"]


def test_geojson_and_gpkg_inputs(tmp_path):
    from geomap.io import write_events

    gdf = read_records(GED).records.head(20)
    for ext in ("geojson", "gpkg"):
        path = tmp_path / f"ev.{ext}"
        write_events(gdf, path)
        back = read_records(path)
        assert back.layout == "geomap" and not back.problems
        assert back.records["event_id"].tolist() == gdf["event_id"].tolist()
        assert back.records.geometry.geom_equals_exact(gdf.geometry, 1e-7).all()


def test_geojson_without_lat_lon_columns_uses_geometry(tmp_path):
    path = tmp_path / "pts.geojson"
    path.write_text('{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
                    '{"date":"2024-08-06","place":"Sudzha"},"geometry":{"type":"Point",'
                    '"coordinates":[35.271,51.191]}}]}')
    res = read_records(path)
    assert res.records[["latitude", "longitude"]].iloc[0].tolist() == [51.191, 35.271]


def test_detect_layout():
    assert detect_layout(["id", "where_coordinates", "date_start", "side_a"]) == "ucdp"
    assert detect_layout(["event_id_cnty", "event_date", "actor1"]) == "acled"
    assert detect_layout(EVENT_COLUMNS) == "geomap"
    assert detect_layout(["date", "village"]) == "generic"


@pytest.mark.parametrize("text,dayfirst,expected", [
    ("2024-12-16", None, "2024-12-16"),
    ("2024-12-16T08:30:00Z", None, "2024-12-16"),
    ("16 May 2025", None, "2025-05-16"),
    ("May 16, 2025", None, "2025-05-16"),
    ("1/22/2014 12:00:00 AM", None, "2014-01-22"),
    ("22/1/2014", None, "2014-01-22"),
    ("3/4/2014", False, "2014-03-04"),
    ("3/4/2014", True, "2014-04-03"),
    ("16.12.2024", None, "2024-12-16"),
    ("2024-02-30", None, None),
    ("yesterday", None, None),
    ("", None, None),
])
def test_parse_date(text, dayfirst, expected):
    assert parse_date(text, dayfirst) == expected


def test_events_to_gdf_from_records():
    gdf = events_to_gdf([EventRecord("a", event_date="2024-12-16", latitude=51.191, longitude=35.271),
                         EventRecord("b", event_date="2024-12-16")])
    assert list(gdf.columns) == EVENT_COLUMNS + ["geometry"]
    assert gdf.crs.to_epsg() == 4326
    assert (gdf.geometry.iloc[0].x, gdf.geometry.iloc[0].y) == (35.271, 51.191)
    assert gdf.geometry.iloc[1] is None


def test_events_to_gdf_geodataframe_coordinates():
    import shapely

    gdf = events_to_gdf([EventRecord("a", latitude=51.191, longitude=35.271),
                         EventRecord("b")])
    gdf.loc[0, "latitude"] = 51.0  # editing the column moves the point
    gdf.loc[1, "geometry"] = shapely.Point(34.227, 51.173)  # geometry fills empty columns
    out = events_to_gdf(gdf)
    assert (out.geometry.iloc[0].y, out.loc[0, "latitude"]) == (51.0, 51.0)
    assert (out.loc[1, "latitude"], out.loc[1, "longitude"]) == (51.173, 34.227)
    projected = events_to_gdf(out.to_crs(3857).drop(columns=["latitude", "longitude"]))
    assert projected.crs.to_epsg() == 4326
    assert projected.geometry.y.round(6).tolist() == [51.0, 51.173]
