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


# "Pionerske" and "Kryashchuvate" are names UCDP GED rows give in Luhansk Oblast that no
# embedded source has there (renamed or misspelt); a Pionerskoye lies in Crimea.
def test_village_missing_with_its_district_falls_back_to_the_district(gazetteer):
    m = resolve_name("Pionerske", country="UA", admin1="Luhansk Oblast",
                     admin2="Shchastynskyi Raion")
    assert m.place.feature_code == "ADM2" and m.place.admin2 == "Shchastynskyi Raion"
    assert m.precision == 2 and m.needs_review
    assert any(a.place.admin1_code == "UA-43" for a in m.alternatives)  # kept, not chosen


def test_village_missing_with_only_its_region_falls_back_to_the_region(gazetteer):
    m = resolve_name("Kryashchuvate", country="UA", admin1="Luhansk Oblast")
    assert m.place.id == "adm1:UA-09" and m.precision == 3 and m.needs_review


def test_village_of_the_russian_pack_resolves_at_its_own_point(gazetteer):
    m = resolve_name("Kurilovka", country="RU", admin1="Kursk Oblast")
    assert m.place.admin2 == "Sudzhansky District" and m.precision == 1
    assert haversine_km(m.lat, m.lon, 51.1442, 35.2700) < 1  # the pack's point


def test_village_known_only_to_ocha_sits_at_its_hromada(gazetteer):
    m = resolve_name("Moskalivshchyna", country="UA", admin1="Sumy Oblast")
    assert m.place.located_by == "hromada-centroid" and m.precision == 2 and m.needs_review
    assert m.place.admin3 == "Sadivska hromada" and "hromada" in m.reason


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

    from geomap.records.geocode import district_hint, geocode_table

    assert district_hint("Hranitne village (Volnovakha raion)") == (
        "Hranitne village", "Volnovakha raion")
    assert district_hint("Kyiv (capital)") == ("Kyiv (capital)", "")
    # two Hranitne in Donetsk Oblast (OSM): Mariupolskyi and Volnovaskyi raions
    table = pd.DataFrame({"place": ["Hranitne village (Mariupol raion)",
                                    "Hranitne village (Volnovakha raion)"],
                          "oblast": ["Donetsk oblast"] * 2})
    rows = geocode_table(table, "place", admin1_column="oblast").table
    assert rows["resolved"].all() and set(rows["resolved_admin1"]) == {"Donetsk Oblast"}
    assert haversine_km(rows["latitude"][0], rows["longitude"][0], 47.3206, 37.5515) < 2
    assert haversine_km(rows["latitude"][1], rows["longitude"][1], 47.4595, 37.8654) < 2


def test_former_raion_name_decides_between_namesakes(gazetteer):
    # GED rows name pre-2020 raions; Stepanivka of Shakhtarsk raion lies by Savur-Mohyla
    m = resolve_name("Stepanivka", country="UA", admin1="Donetsk Oblast",
                     admin2="Shakhtarsk raion")
    assert haversine_km(m.lat, m.lon, 47.927, 38.806) < 3


@pytest.mark.parametrize(("name", "admin1", "raion", "centre", "lat", "lon"), [
    # UCDP GED rows 154654 and 203420 with GED's points; both raions were abolished in
    # 2020 and their centres renamed (Sverdlovsk → Dovzhansk, Telmanove → Boikivske)
    ("Zelenopillya", "Luhansk Oblast", "Sverdlovsk raion", "Dovzhansk", 47.9148, 39.4715),
    ("Hranitne", "Donetsk Oblast", "Telmanove raion", "Boykivske", 47.4546, 37.8640),
])
def test_former_raion_centre_decides_between_namesakes(gazetteer, name, admin1, raion,
                                                      centre, lat, lon):
    m = resolve_name(name, country="UA", admin1=admin1, admin2=raion)
    assert haversine_km(m.lat, m.lon, lat, lon) < 3
    assert f"{centre} (centre of {raion})" in m.reason
