"""geomap.OfflineGeocoder speaks geopy and geopandas (issue #10)."""

from __future__ import annotations

import geopandas
import pytest
from geopy.distance import geodesic
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders.base import Geocoder
from geopy.location import Location

import geomap

PLEKHOVO = (51.0997, 35.3306)


@pytest.fixture(scope="module")
def geocoder(gazetteer):
    return geomap.OfflineGeocoder(gazetteer)


def test_is_a_geopy_geocoder_exported_from_geomap(geocoder):
    assert isinstance(geocoder, Geocoder)
    assert "OfflineGeocoder" in dir(geomap)


def test_village_oblast_string_within_2_km_of_the_village(geocoder):
    loc = geocoder.geocode("Plekhovo, Kursk Oblast")
    assert isinstance(loc, Location)
    assert geodesic(PLEKHOVO, (loc.latitude, loc.longitude)).km < 2
    assert loc.raw["admin1"] == "Kursk Oblast" and loc.raw["country"] == "RU"
    assert loc.raw["name"] == "Plekhovo" and "Kursk Oblast" in loc.address


def test_village_oblast_country_string(geocoder):
    loc = geocoder.geocode("Plekhovo, Kursk Oblast, Russia")
    assert geodesic(PLEKHOVO, loc.point).km < 2
    # the Ivanovo Plekhovo is another village: the oblast part rules it out
    everywhere = geocoder.geocode("Plekhovo", exactly_one=False)
    assert {loc.raw["admin1"] for loc in everywhere} >= {"Kursk Oblast", "Ivanovo Oblast"}
    assert [loc.raw["admin1"] for loc in geocoder.geocode(
        "Plekhovo, Kursk Oblast, Russia", exactly_one=False)] == ["Kursk Oblast"]


def test_country_codes_narrow_the_answer(geocoder):
    ua = geocoder.geocode("Vorozhba", country_codes=["UA"], exactly_one=False)
    assert ua and {loc.raw["country"] for loc in ua} == {"UA"}
    ru = geocoder.geocode("Plekhovo", country_codes="ru", exactly_one=False)
    assert ru and {loc.raw["country"] for loc in ru} == {"RU"}
    assert geocoder.geocode("Plekhiv", country_codes="RU") is None  # a Ukrainian village


def test_exactly_one_false_lists_the_vorozhba_namesakes(geocoder):
    found = geocoder.geocode("Vorozhba", exactly_one=False)
    assert len(found) >= 2
    assert all(loc.raw["name"] == "Vorozhba" for loc in found)
    assert len({loc.raw["id"] for loc in found}) == len(found)
    # the namesakes are kilometres apart, not one record twice
    assert geodesic(found[0].point, found[1].point).km > 10


def test_no_plausible_match_is_none(geocoder):
    assert geocoder.geocode("Nowhereville") is None
    assert geocoder.geocode("Nowhereville", exactly_one=False) is None


def test_works_under_geopy_rate_limiter(geocoder):
    geocode = RateLimiter(geocoder.geocode, min_delay_seconds=0, max_retries=0)
    assert geodesic(PLEKHOVO, geocode("Plekhovo, Kursk Oblast").point).km < 2
    reverse = RateLimiter(geocoder.reverse, min_delay_seconds=0, max_retries=0)
    assert reverse(PLEKHOVO).raw["name"]


def test_geopandas_geocode_with_the_class_as_provider():
    gdf = geopandas.tools.geocode(["Sudzha", "Kharkiv"], provider=geomap.OfflineGeocoder)
    assert len(gdf) == 2 and not gdf.geometry.is_empty.any()
    assert gdf.crs.to_epsg() == 4326
    sudzha, kharkiv = gdf.geometry
    assert geodesic((51.19, 35.27), (sudzha.y, sudzha.x)).km < 3
    assert geodesic((49.99, 36.23), (kharkiv.y, kharkiv.x)).km < 10
    assert "Kursk Oblast" in gdf["address"][0] and "Kharkiv Oblast" in gdf["address"][1]


def test_reverse_gives_the_nearest_settlement_and_the_admin_chain(geocoder):
    loc = geocoder.reverse(PLEKHOVO)
    assert loc.raw["name"] == "Plekhovo" and loc.raw["distance_km"] < 2
    chain = loc.raw["admin_chain"]
    assert chain["country"] == "RU" and chain["admin1_code"] == "RU-KRS"
    assert chain["admin2"] == "Sudzhansky District"
    several = geocoder.reverse(PLEKHOVO, exactly_one=False, limit=5)
    distances = [loc.raw["distance_km"] for loc in several]
    assert len(several) == 5 and distances == sorted(distances)


def test_reverse_names_vorobzha(geocoder):
    """Needs the Russian settlement pack (the village gazetteer issue)."""
    loc = geocoder.reverse((51.1617, 35.4906))
    assert any(name in (loc.raw["name"], *loc.raw["alternatenames"])
               for name in ("Воробжа", "Vorobzha")), loc.raw["name"]
    assert loc.raw["distance_km"] < 2


def test_reverse_rejects_an_impossible_point(geocoder):
    with pytest.raises(ValueError, match="(?i)latitude"):
        geocoder.reverse((95.0, 35.0))


def test_online_fallback_is_off_by_default_and_caches_what_it_asks(geocoder, tmp_path,
                                                                    monkeypatch):
    """The fallback wraps any geopy geocoder; here the offline one stands in (no network)."""
    import json

    from geomap.geocoder import _OnlineFallback

    assert geocoder._online is None
    monkeypatch.setenv("GEOMAP_HOME", str(tmp_path))
    fallback = _OnlineFallback(geomap.OfflineGeocoder(geocoder.gazetteer), None)
    first = fallback.geocode("Sudzha, Kursk Oblast", exactly_one=True, country_codes=[])
    assert geodesic((51.19, 35.27), first.point).km < 3
    assert first.raw["source"] == "online:OfflineGeocoder"
    cache = json.loads((tmp_path / "online-offlinegeocoder.json").read_text("utf-8"))
    assert len(cache) == 1
    again = fallback.geocode("Sudzha, Kursk Oblast", exactly_one=True, country_codes=[])
    assert again.point == first.point
    assert fallback.geocode("Nowhereville", exactly_one=True, country_codes=[]) is None
    assert len(json.loads((tmp_path / "online-offlinegeocoder.json").read_text("utf-8"))) == 2


def test_reverse_in_ukraine_gives_raion_and_hromada(geocoder):
    loc = geocoder.reverse((48.5956, 38.0003))  # Bakhmut
    assert loc.raw["name"] == "Bakhmut" and loc.raw["distance_km"] < 3
    chain = loc.raw["admin_chain"]
    assert chain["country"] == "UA" and chain["admin1_code"] == "UA-14"
    assert chain["admin2"] == "Bakhmutskyi" and chain["admin2_code"] == "UA1402"
    assert chain["hromada"] == "Bakhmutska" and chain["hromada_code"].startswith("UA1402")
