"""Resolving a records row's place name with its own admin columns: hierarchical fallback."""

import pytest

from geomap.gazetteer.index import haversine_km
from geomap.geoparse import resolve_name


@pytest.mark.parametrize(("admin1", "lat", "lon"), [
    ("Kharkiv Oblast", 49.66, 37.70),  # Kurylivka, Kupiansk Raion
    ("Vinnytsia Oblast", 49.50, 28.08),  # Kurylivka, Khmilnyk Raion
])
def test_namesakes_in_different_oblasts_the_row_decides(gazetteer, admin1, lat, lon):
    m = resolve_name("Kurylivka", country="UA", admin1=admin1)
    assert m.place.admin1 == admin1 and m.precision == 1
    assert haversine_km(m.lat, m.lon, lat, lon) < 5
    assert admin1 in m.reason


def test_village_missing_with_its_district_falls_back_to_the_district(gazetteer):
    m = resolve_name("Kurilovka", country="RU", admin1="Kursk Oblast", admin2="Sudzhansky District")
    assert m.place.feature_code == "ADM2" and m.place.admin2 == "Sudzhansky District"
    assert m.precision == 2 and m.needs_review
    assert any(a.place.admin1 == "Saratov Oblast" for a in m.alternatives)  # kept, not chosen


def test_village_missing_with_only_its_region_falls_back_to_the_region(gazetteer):
    m = resolve_name("Kurilovka", country="RU", admin1="Kursk Oblast")
    assert m.place.id == "adm1:RU-KRS" and m.precision == 3 and m.needs_review


def test_village_known_only_to_ocha_sits_at_its_hromada(gazetteer):
    m = resolve_name("Novenke", country="UA", admin1="Sumy Oblast", admin2="Sumy Raion")
    assert m.place.located_by == "hromada-centroid" and m.precision == 2 and m.needs_review
    assert m.place.admin3 == "Yunakivska hromada" and "hromada" in m.reason


def test_admin_units_resolve_as_units(gazetteer):
    assert resolve_name("Yunakivka hromada", country="UA").place.feature_code == "ADM3"
    oblast = resolve_name("Sumy region")
    assert oblast.place.id == "adm1:UA-59" and oblast.precision == 3
    assert resolve_name("Sudzhansky district").place.id == "adm2:RU-KRS-sudzhansky"


def test_typos_and_unknown_names(gazetteer):
    typo = resolve_name("Sudzah", country="RU", admin1="Kursk Oblast")
    assert typo.place.name == "Sudzha" and typo.confidence < 0.9
    assert not resolve_name("Xyzzyville").resolved
    assert not resolve_name("Qwertovka", country="UA").resolved


def test_row_context_reason_wording(gazetteer):
    m = resolve_name("Vorozhba", country="UA", admin1="Sumy Oblast")
    assert "given in the row" in m.reason and "named in the text" not in m.reason


def test_regions_that_are_no_admin_unit(gazetteer):
    m = resolve_name("Donets Basin")
    assert m.place.id == "region:donbas" and m.precision == 3


def test_parenthetical_district_in_a_records_row_is_used(gazetteer):
    import pandas as pd

    from geomap.events.geocode import district_hint, geocode_table

    assert district_hint("Hranitne village (Volnovakha raion)") == (
        "Hranitne village", "Volnovakha raion")
    assert district_hint("Kyiv (capital)") == ("Kyiv (capital)", "")
    table = pd.DataFrame({"place": ["Hranitne village (Volnovakha raion)"],
                          "oblast": ["Donetsk oblast"]})
    row = geocode_table(table, "place", admin1_column="oblast").table.iloc[0]
    assert row["resolved_admin1"] == "Donetsk Oblast" and row["resolved"]
    assert haversine_km(row["latitude"], row["longitude"], 47.32, 37.55) < 25  # GED's point
