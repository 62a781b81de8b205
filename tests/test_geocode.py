"""geocode_table: each row resolved with its own context; unresolved rows listed; CLI."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pyproj import Geod

from geomap.errors import InputError
from geomap.records.geocode import ADDED_COLUMNS, RowGeocoder, clean_location, geocode_table

FIX = Path(__file__).parent / "fixtures" / "records"
GED = Path(__file__).parent.parent / "data" / "events" / "ucdp_ged_ukraine_excerpt.csv"
GEOD = Geod(ellps="WGS84")

# line → (lat, lon) of the real place, and the geo_precision expected
EXPECTED = {
    2: ((51.191, 35.271), 1),    # Sudzha
    3: ((51.100, 35.333), 1),    # Plekhovo
    4: ((51.173, 34.227), 1),    # Vorozhba
    5: ((50.450, 30.523), 1),    # Kyiv
    6: ((48.015, 37.803), 1),    # Donetsk
    8: ((51.191, 35.271), 1),    # Суджа
    9: ((51.191, 35.271), 1),    # Sudzha again
    10: ((47.097, 37.543), 2),   # outside Mariupol
    11: ((48.4174, 39.3747), 1),  # Luhansk airport: the airport itself (GED puts it there)
}


def km(a, b) -> float:
    return GEOD.inv(a[1], a[0], b[1], b[0])[2] / 1000


@pytest.fixture(scope="module")
def result():
    return geocode_table(FIX / "villages.csv", location_column="village",
                         admin1_column="oblast", country_column="country")


def test_rows_resolve_near_the_real_places(result):
    t = result.table
    assert list(t.columns) == ["village", "oblast", "country", "note"] + ADDED_COLUMNS
    for line, ((lat, lon), precision) in EXPECTED.items():
        row = t.iloc[line - 2]
        assert row["resolved"], (line, row["reason"])
        assert km((row["latitude"], row["longitude"]), (lat, lon)) < 5, (line, row["resolved_name"])
        assert row["geo_precision"] == precision, line
    assert t.iloc[0]["resolved_admin1"] == "Kursk Oblast"
    assert t.iloc[0]["resolved_admin2"] == "Sudzhansky District"
    assert t.iloc[0]["geonameid"] == "486816"
    assert "near" in t.iloc[8]["reason"]


def test_unresolved_rows_are_listed_with_lines(result):
    un = result.unresolved
    assert un["line"].tolist() == [7]
    assert un["village"].tolist() == ["Xyzzyville"]
    assert un["reason"].iloc[0]
    row = result.table.iloc[5]
    assert not row["resolved"] and row["needs_review"] and np.isnan(row["latitude"])
    assert "1 unresolved" in result.summary()


def test_identical_rows_are_resolved_once():
    resolver = RowGeocoder()
    first = resolver.resolve("Sudzha", admin1="Kursk Oblast", country="Russia")
    calls = resolver.calls
    again = resolver.resolve(" sudzha ", admin1="kursk oblast", country="RUSSIA")
    assert again is first and resolver.calls == calls


def test_country_context_is_a_hard_constraint():
    res = RowGeocoder().resolve("Sudzha", country="Ukraine")
    assert not res.resolved or res.country == "UA"
    assert RowGeocoder().resolve("Sudzha", country="Россия").country == "RU"


@pytest.mark.parametrize("raw,expected", [
    ("Kiev city", ("Kiev", 1, "")),
    ("Donetsk town", ("Donetsk", 1, "")),
    ("Sokolniki village", ("Sokolniki", 1, "")),
    ("village of Plekhovo", ("Plekhovo", 1, "")),
    ("sea outside Mariupol", ("Mariupol", 2, "near: 'sea outside Mariupol'")),
    ("Luhansk airport", ("Luhansk", 2, "near: 'Luhansk airport'")),
    ("Donetsk oblast", ("Donetsk oblast", 1, "")),
])
def test_clean_location(raw, expected):
    assert clean_location(raw) == expected


def test_ged_excerpt_against_ged_coordinates():
    """Real data: GED's own coordinates for its exact (where_prec 1) places."""
    res = geocode_table(GED, location_column="where_coordinates", admin1_column="adm_1",
                        country_column="country")
    t = res.table
    assert len(t) == 231 and "latitude_input" in t.columns  # GED's columns kept, renamed
    exact = t[(t["where_prec"] == "1") & t["resolved"]]
    assert len(exact) >= 60
    dist = [km((a, b), (c, d)) for a, b, c, d in zip(
        exact["latitude_input"].astype(float), exact["longitude_input"].astype(float),
        exact["latitude"], exact["longitude"], strict=True)]
    assert np.median(dist) < 5
    assert np.mean(np.array(dist) < 25) > 0.8


def test_dataframe_input_and_bad_column():
    df = pd.DataFrame({"place": ["Vorozhba"], "obl": ["Sumy Oblast"]})
    res = geocode_table(df, location_column="place", admin1_column="obl", country="UA")
    assert res.table["resolved"].tolist() == [True]
    with pytest.raises(InputError, match="no location column 'village'"):
        geocode_table(df, location_column="village")


def test_cli_geocode(tmp_path, capsys):
    from geomap.cli import main

    out, un = tmp_path / "out.csv", tmp_path / "unresolved.csv"
    rc = main(["geocode", str(FIX / "villages.csv"), "--location-column", "village",
               "--admin1-column", "oblast", "--country-column", "country", "-o", str(out),
               "--unresolved", str(un)])
    assert rc == 0
    err = capsys.readouterr().err
    assert "10 rows, 9 resolved, 1 unresolved" in err
    assert "villages.csv:7: 'Xyzzyville'" in err
    df = pd.read_csv(out)
    assert len(df) == 10 and df["latitude"].notna().sum() == 9
    assert pd.read_csv(un)["line"].tolist() == [7]
    geo = tmp_path / "out.geojson"
    assert main(["geocode", str(FIX / "villages.csv"), "--location-column", "village",
                 "-o", str(geo)]) == 0
    assert main(["geocode", str(FIX / "villages.csv"), "--location-column", "nope",
                 "-o", str(out)]) == 2
    assert "no location column 'nope'" in capsys.readouterr().err
