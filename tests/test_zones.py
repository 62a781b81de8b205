"""Buffer zones and border bands: geodesic radii, dissolution, areas, shipped-border checks."""

from __future__ import annotations

import json
import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod

from geomap.errors import InputError
from geomap.spatial.zones import (
    border_zones,
    buffer_zones,
    combine_zones,
    geodesic_circles,
    resolve_admin,
    zones_to_geojson,
)

GEOD = Geod(ellps="WGS84")
SUDZHA = (51.191, 35.271)
PLEKHOVO = (51.1, 35.3333)
MARTYNOVKA = (51.23889, 35.36639)
VOROZHBA = (51.173, 34.227)  # Sumy Oblast, Ukraine


def _point_at(origin, azimuth, km):
    lon, lat, _ = GEOD.fwd(origin[1], origin[0], azimuth, km * 1000)
    return shapely.Point(lon, lat)


@pytest.mark.parametrize("azimuth", [0, 45, 90, 135, 180, 225, 270, 315, 17, 283])
def test_circle_radius_is_geodesic(azimuth):
    zone = buffer_zones({"Sudzha": SUDZHA}, 10).geometry.iloc[0]
    assert zone.contains(_point_at(SUDZHA, azimuth, 9.9))
    assert not zone.contains(_point_at(SUDZHA, azimuth, 10.1))


def test_circle_vertices_lie_on_the_radius():
    poly = geodesic_circles(SUDZHA[0], SUDZHA[1], 25_000, n_vertices=64)[0]
    xy = np.asarray(poly.exterior.coords)
    _, _, dist = GEOD.inv(np.full(len(xy), SUDZHA[1]), np.full(len(xy), SUDZHA[0]),
                          xy[:, 0], xy[:, 1])
    assert np.allclose(dist, 25_000, atol=0.01)
    assert poly.exterior.is_ccw  # RFC 7946 winding


def test_circle_is_not_a_degree_buffer():
    # at 51° N a degree of longitude is ~70 km, of latitude ~111 km: the circle must be
    # wider in degrees of longitude than of latitude
    w, s, e, n = buffer_zones({"Sudzha": SUDZHA}, 10).total_bounds
    assert (e - w) / (n - s) == pytest.approx(1 / math.cos(math.radians(51.191)), rel=0.01)


@pytest.mark.parametrize("radius", [1, 10, 50])
def test_area_is_pi_r_squared(radius):
    z = buffer_zones({"Sudzha": SUDZHA}, radius)
    assert z["area_km2"].iloc[0] == pytest.approx(math.pi * radius**2, rel=0.01)


def test_overlapping_circles_are_dissolved():
    pts = {"Sudzha": SUDZHA, "Plekhovo": PLEKHOVO, "Martynovka": MARTYNOVKA, "Vorozhba": VOROZHBA}
    z = buffer_zones(pts, 10)
    # Sudzha–Plekhovo ~11 km, Sudzha–Martynovka ~7 km: one zone; Vorozhba (~73 km) alone
    assert len(z) == 2
    merged = z[z["name"].str.contains("Sudzha")].iloc[0]
    assert set(merged["name"].split("; ")) == {"Sudzha", "Plekhovo", "Martynovka"}
    assert merged["n_points"] == 3
    assert merged.geometry.geom_type == "Polygon"
    assert math.pi * 100 < merged["area_km2"] < 3 * math.pi * 100
    single = z[z["name"] == "Vorozhba"].iloc[0]
    assert single["area_km2"] == pytest.approx(math.pi * 100, rel=0.01)
    undissolved = buffer_zones(pts, 10, dissolve=False)
    assert len(undissolved) == 4


def test_per_point_radii_and_geodataframe_input():
    gdf = gpd.GeoDataFrame({"name": ["Sudzha", "Vorozhba"]},
                           geometry=gpd.points_from_xy([SUDZHA[1], VOROZHBA[1]],
                                                       [SUDZHA[0], VOROZHBA[0]]), crs=4326)
    z = buffer_zones(gdf, {"Sudzha": 5, "Vorozhba": 20})
    areas = dict(zip(z["name"], z["area_km2"], strict=True))
    assert areas["Sudzha"] == pytest.approx(math.pi * 25, rel=0.01)
    assert areas["Vorozhba"] == pytest.approx(math.pi * 400, rel=0.01)
    # a projected input is reprojected, not read as degrees
    z2 = buffer_zones(gdf.to_crs(3857), 5)
    assert z2.geometry.iloc[0].contains(shapely.Point(SUDZHA[1], SUDZHA[0]))


@pytest.mark.parametrize("bad", [{"x": (95.0, 10.0)}, {"x": "Sudzha"}, ["not", "a", "dict"]])
def test_bad_points_raise_input_error(bad):
    with pytest.raises(InputError):
        buffer_zones(bad, 10)


@pytest.mark.parametrize("radius", [0, -5, float("nan")])
def test_bad_radius_raises_input_error(radius):
    with pytest.raises(InputError, match="radius"):
        buffer_zones({"Sudzha": SUDZHA}, radius)


@pytest.fixture(scope="module")
def ru_bands():
    return border_zones([10, 30], inside="RU")


def test_ru_bands_are_rings(ru_bands):
    assert list(ru_bands["inner_km"]) == [0, 10]
    assert list(ru_bands["outer_km"]) == [10, 30]
    inner, outer = ru_bands.geometry
    assert inner.intersection(outer).area < 1e-9  # rings do not overlap
    # the 10 km band along ~1,500 km of border (2,009 km of wiggly OSM line)
    assert 12_000 < ru_bands["area_km2"].iloc[0] < 20_000
    assert 1.4 < ru_bands["area_km2"].iloc[1] / ru_bands["area_km2"].iloc[0] < 2.0


def test_sudzha_in_first_ru_band_vorozhba_in_none(ru_bands):
    sudzha = shapely.Point(SUDZHA[1], SUDZHA[0])
    vorozhba = shapely.Point(VOROZHBA[1], VOROZHBA[0])
    assert list(ru_bands.contains(sudzha)) == [True, False]  # 9.04 km from the OSM line
    assert not ru_bands.contains(vorozhba).any()


def _km_to_border(lat, lon):
    """Geodesic distance to the OSM border line (method of SOURCES.md, independent of zones)."""
    from pyproj import Transformer

    from geomap.boundaries import ru_ua_border

    line = shapely.union_all(ru_ua_border().geometry.values)
    aeqd = f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m"
    fwd = Transformer.from_crs(4326, aeqd, always_xy=True)
    inv = Transformer.from_crs(aeqd, 4326, always_xy=True)
    local = shapely.transform(line, lambda c: np.column_stack(fwd.transform(c[:, 0], c[:, 1])))
    near = shapely.ops.nearest_points(local, shapely.Point(0, 0))[0]
    nlon, nlat = inv.transform(near.x, near.y)
    return GEOD.inv(lon, lat, nlon, nlat)[2] / 1000


def test_band_membership_matches_geodesic_distance(ru_bands):
    import shapely.ops  # noqa: F401

    from geomap.boundaries import admin2

    russia = shapely.union_all(admin2().geometry.values)
    rng = np.random.default_rng(7)
    lats = rng.uniform(50.9, 51.6, 120)
    lons = rng.uniform(34.3, 35.9, 120)
    inner, outer = ru_bands.geometry
    checked = {"inner": 0, "outer": 0, "none": 0}
    for lat, lon in zip(lats, lons, strict=True):
        p = shapely.Point(lon, lat)
        if not russia.contains(p):
            continue
        d = _km_to_border(lat, lon)
        if min(abs(d - 10), abs(d - 30)) < 0.1:  # too close to an edge to call
            continue
        expect = "inner" if d < 10 else "outer" if d < 30 else "none"
        got = "inner" if inner.contains(p) else "outer" if outer.contains(p) else "none"
        assert got == expect, (lat, lon, d)
        checked[expect] += 1
    assert min(checked.values()) >= 5, checked


def test_natural_earth_band_misses_sudzha():
    ne = border_zones([10], high_resolution=False)
    assert not ne.contains(shapely.Point(SUDZHA[1], SUDZHA[0])).any()  # 11.99 km from NE line


def test_ua_band_contains_vorozhba_not_sudzha():
    ua = border_zones([10, 30], inside="UA")
    assert list(ua.contains(shapely.Point(VOROZHBA[1], VOROZHBA[0]))) == [True, False]
    assert not ua.contains(shapely.Point(SUDZHA[1], SUDZHA[0])).any()


def test_clip_to_kursk_oblast(ru_bands):
    kursk = border_zones([10, 30], clip_to="Kursk Oblast")
    assert kursk.contains(shapely.Point(SUDZHA[1], SUDZHA[0])).iloc[0]
    assert (kursk["area_km2"] < ru_bands["area_km2"] * 0.3).all()
    belgorod = shapely.Point(36.587, 50.595)  # Belgorod city, ~35 km from the border
    assert not kursk.intersects(belgorod).any()
    assert resolve_admin("RU-KRS").equals(resolve_admin("Курская область"))


@pytest.mark.parametrize("kwargs, field", [
    ({"inside": "PL"}, "inside"), ({"border": "RU-BY"}, "border"),
    ({"distances_km": [0, 10]}, "distances_km"), ({"distances_km": ["x"]}, "distances_km"),
    ({"clip_to": "Kursk Oblst"}, "clip_to"),
])
def test_bad_band_arguments(kwargs, field):
    with pytest.raises(InputError) as err:
        border_zones(**kwargs)
    assert err.value.field == field


def test_unknown_oblast_suggests_names():
    with pytest.raises(InputError, match="Kursk Oblast"):
        border_zones([10], clip_to="Kursk Oblst")


def test_geojson_export_is_rfc7946():
    z = combine_zones(buffer=buffer_zones({"Sudzha": SUDZHA}, 10),
                      border=border_zones([10], clip_to="Kursk Oblast"))
    fc = json.loads(json.dumps(zones_to_geojson(z)))
    assert "crs" not in fc
    kinds = [f["properties"]["kind"] for f in fc["features"]]
    assert kinds == ["buffer", "border"]
    ring = fc["features"][0]["geometry"]["coordinates"][0]
    lon, lat = ring[0]
    assert 35 < lon < 36 and 51 < lat < 51.4  # lon/lat order
    assert shapely.LinearRing(ring).is_ccw
    back = gpd.GeoDataFrame.from_features(fc["features"], crs=4326)
    assert back.geometry.iloc[0].contains(shapely.Point(SUDZHA[1], SUDZHA[0]))


def test_buffer_centre_given_as_lon_lat_is_an_error():
    import pytest

    from geomap.errors import InputError
    from geomap.maps.inputs import parse_buffer

    assert parse_buffer("51.19,35.27:1km")[1] == (51.19, 35.27)  # Sudzha
    with pytest.raises(InputError, match="swapped"):
        parse_buffer("35.27,51.19:1km")  # Sudzha as lon,lat
    with pytest.raises(InputError, match="not a valid"):
        parse_buffer("95,35:1km")
