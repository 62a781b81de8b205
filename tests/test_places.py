"""places.locate: one place-name lookup for every caller (issue #11), on real names."""

from __future__ import annotations

import pytest

from geomap.errors import GeomapError, InputError
from geomap.geodesy import haversine_km
from geomap.places import Resolution, centre_point, locate, namesakes


def test_vorobzha_in_kursk_oblast_is_the_sudzha_district_village(gazetteer):
    res = locate("Vorobzha", admin1="Kursk Oblast", min_score=0.85)
    assert isinstance(res, Resolution) and res.resolved
    assert res.place.admin2 == "Sudzhansky District" and res.country == "RU"
    assert haversine_km(res.lat, res.lon, 51.16, 35.49) < 3
    assert res.score == 1.0 and res.precision == 1 and "Kursk Oblast" in res.reason


@pytest.mark.parametrize(("admin1", "lat", "lon"), [
    ("Donetsk Oblast", 48.94, 37.96),  # Yampil near Lyman, Kramatorskyi Raion
    ("Vinnytsia Oblast", 48.25, 28.29),  # the town of Yampil on the Dniester
])
def test_yampil_the_row_oblast_decides(gazetteer, admin1, lat, lon):
    res = locate("Yampil", country="UA", admin1=admin1)
    assert res.place.admin1 == admin1
    assert haversine_km(res.lat, res.lon, lat, lon) < 5
    assert res.confidence > 0.9 and not res.needs_review


@pytest.mark.parametrize(("near", "admin1"), [
    ((48.95, 37.98), "Donetsk Oblast"),
    ((51.95, 33.80), "Sumy Oblast"),
    ((48.24, 28.28), "Vinnytsia Oblast"),
])
def test_a_point_breaks_the_tie_between_namesakes(gazetteer, near, admin1):
    res = locate("Yampil", near=near)
    assert res.place.admin1 == admin1 and haversine_km(*near, res.lat, res.lon) < 5


def test_the_resolution_holds_the_gazetteer_place(gazetteer):
    res = locate("Sudzha", country="Russia")
    assert res.place == gazetteer.get(res.place.id)
    assert res.point == (res.place.lat, res.place.lon)
    assert "admin1" not in Resolution.__dataclass_fields__  # the place's fields are not copied


def test_table_spellings_are_cleaned_and_near_is_precision_2(gazetteer):
    res = locate("outside Mariupol")
    assert res.place.name == "Mariupol" and res.precision == 2 and "near:" in res.reason
    assert locate("Kiev city").place.name == "Kyiv"


def test_country_is_a_hard_constraint(gazetteer):
    res = locate("Sudzha", country="UA")
    assert not res.resolved or res.country == "UA"
    assert locate("Sudzha", country="Россия").country == "RU"


def test_min_score_rejects_a_typo_grade_match(gazetteer):
    typo = locate("Sudzah", country="RU", admin1="Kursk Oblast", min_score=0.5)
    assert typo.place.name == "Sudzha" and typo.score < 0.85
    assert locate("Sudzah", country="RU", admin1="Kursk Oblast").score is None  # not asked for
    strict = locate("Sudzah", country="RU", admin1="Kursk Oblast", min_score=0.85)
    assert not strict.resolved and strict.alternatives[0].place.id == typo.place.id
    assert "below 0.85" in strict.reason
    with pytest.raises(GeomapError, match="not resolved"):
        _ = strict.point


def test_unknown_and_empty_names(gazetteer):
    assert not locate("Qwzxvbnm").resolved
    assert locate("   ").reason == "empty place name"


def test_centre_point_takes_names_pairs_and_strings(gazetteer):
    lat, lon = centre_point("Horlivka")
    assert haversine_km(lat, lon, 48.30, 38.05) < 5
    assert centre_point("48.3, 38.05") == (48.3, 38.05)
    with pytest.raises(InputError, match="swapped"):
        centre_point((95, 35))
    with pytest.raises(InputError, match="cannot locate 'Qwzxvbnm'"):
        centre_point("Qwzxvbnm", field="--within")


def test_namesakes_lists_every_plausible_record(gazetteer):
    oblasts = {c.place.admin1 for c in namesakes("Yampil", countries=["UA"])}
    assert {"Donetsk Oblast", "Sumy Oblast", "Vinnytsia Oblast"} <= oblasts
    assert [c.place.admin1 for c in namesakes("Yampil", admins=["Sumy Oblast"])] == ["Sumy Oblast"]


@pytest.mark.parametrize(("name", "admin1", "precision"), [
    # UCDP GED where_coordinates values; GED puts them at 48.075, 37.7256 (the airport)
    ("Donetsk International airport", "Donetsk oblast", 1),
    ("near Donetsk airport", "Donetsk oblast", 2),
])
def test_an_airport_in_a_table_is_the_airport(name, admin1, precision):
    r = locate(name, country="UA", admin1=admin1)
    assert r.place.feature_code == "AIRP" and r.precision == precision
    assert haversine_km(r.place.lat, r.place.lon, 48.075, 37.725556) < 2
