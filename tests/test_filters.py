"""filter_events: regions near the real Russia–Ukraine border, geodesic distance, attributes."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely
from pyproj import CRS, Geod, Transformer

from geomap import boundaries
from geomap.errors import InputError
from geomap.schema import EventRecord, events_to_gdf
from geomap.spatial.filters import filter_events, find_regions

GEOD = Geod(ellps="WGS84")
SUDZHA = (51.191, 35.271)
VOROZHBA = (51.173, 34.227)


def ev(eid: str, lat: float | None, lon: float | None, **kw) -> EventRecord:
    return EventRecord(eid, event_date=kw.pop("event_date", "2024-12-16"), latitude=lat,
                       longitude=lon, **kw)


def ids(gdf) -> list[str]:
    return sorted(gdf["event_id"])


def nearest_border_point(lat: float, lon: float) -> tuple[float, float]:
    """(lat, lon) of the OSM border point nearest a town (azimuthal equidistant projection)."""
    crs = CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84")
    fwd = Transformer.from_crs(4326, crs, always_xy=True)
    inv = Transformer.from_crs(crs, 4326, always_xy=True)
    line = boundaries.ru_ua_border().geometry.iloc[0]
    projected = shapely.transform(line, lambda xy: np.column_stack(fwd.transform(xy[:, 0], xy[:, 1])))
    q = projected.interpolate(projected.project(shapely.Point(0, 0)))
    blon, blat = inv.transform(q.x, q.y)
    return blat, blon


def across_border(town: tuple[float, float], km: float = 1.0):
    """Points ``km`` either side of the border, on the line town → nearest border point."""
    blat, blon = nearest_border_point(*town)
    az_to_town, _, _ = GEOD.inv(blon, blat, town[1], town[0])
    town_lon, town_lat, _ = GEOD.fwd(blon, blat, az_to_town, km * 1000)
    far_lon, far_lat, _ = GEOD.fwd(blon, blat, az_to_town + 180, km * 1000)
    return (town_lat, town_lon), (far_lat, far_lon)


@pytest.fixture(scope="module")
def border_points():
    (ru_lat, ru_lon), (ua_lat, ua_lon) = across_border(SUDZHA)  # Sudzha is in Russia
    (ua2_lat, ua2_lon), (ru2_lat, ru2_lon) = across_border(VOROZHBA)  # Vorozhba in Ukraine
    return events_to_gdf([
        ev("sudzha", *SUDZHA), ev("vorozhba", *VOROZHBA),
        ev("ru_1km_sudzha", ru_lat, ru_lon), ev("ua_1km_sudzha", ua_lat, ua_lon),
        ev("ua_1km_vorozhba", ua2_lat, ua2_lon), ev("ru_1km_vorozhba", ru2_lat, ru2_lon),
        ev("no_coords", None, None),
        ev("kyiv", 50.45, 30.523), ev("belgorod", 50.595, 36.587), ev("gomel", 52.43, 30.99),
    ])


def test_points_1km_either_side_of_the_border(border_points):
    g = border_points
    russia = {"sudzha", "ru_1km_sudzha", "ru_1km_vorozhba", "belgorod"}
    ukraine = {"vorozhba", "ua_1km_sudzha", "ua_1km_vorozhba", "kyiv"}
    assert set(filter_events(g, country="RU")["event_id"]) == russia
    assert set(filter_events(g, country="Russia")["event_id"]) == russia
    assert set(filter_events(g, country="Украина")["event_id"]) == ukraine
    assert set(filter_events(g, country="UA")["event_id"]) == ukraine
    assert ids(filter_events(g, country="Belarus")) == ["gomel"]
    kursk = {"sudzha", "ru_1km_sudzha", "ru_1km_vorozhba"}
    sumy = {"vorozhba", "ua_1km_sudzha", "ua_1km_vorozhba"}
    for name in ("Kursk Oblast", "Kursk", "kursk region", "RU-KRS", "Курская область"):
        assert set(filter_events(g, admin1=name)["event_id"]) == kursk, name
    for name in ("Sumy Oblast", "Sumy region", "Sumy", "UA-59", "Сумська область", "Сумская область"):
        assert set(filter_events(g, admin1=name)["event_id"]) == sumy, name
    assert set(filter_events(g, admin1=["Kursk", "Belgorod Oblast"])["event_id"]) == kursk | {"belgorod"}


def test_admin2_lenient_names(border_points):
    for name in ("Sudzhansky District", "Sudzhanskiy", "Суджанский район"):
        got = set(filter_events(border_points, admin2=name)["event_id"])
        assert "sudzha" in got and "ru_1km_sudzha" in got and "vorozhba" not in got, name


def test_unknown_region_is_an_input_error(border_points):
    with pytest.raises(InputError, match="Kursk Oblast"):
        filter_events(border_points, admin1="Kurks")
    assert len(find_regions("admin1", "Kiev Special Republican city")) == 1


@pytest.mark.parametrize("centre", [SUDZHA, "Sudzha", "51.191,35.271"])
def test_within_km_is_geodesic(centre):
    lat0, lon0 = SUDZHA
    if centre == "Sudzha":  # the gazetteer's Sudzha point
        from geomap.geoparse import resolve_name

        place = resolve_name("Sudzha").place
        lat0, lon0 = place.lat, place.lon
    rows = []
    for az in (0, 77, 180, 260):
        for km in (9.9, 10.1):
            lon, lat, _ = GEOD.fwd(lon0, lat0, az, km * 1000)
            rows.append(ev(f"{km}_{az}", lat, lon))
    g = events_to_gdf(rows + [ev("none", None, None)])
    got = ids(filter_events(g, within_km=(centre, 10)))
    assert got == sorted(f"9.9_{az}" for az in (0, 77, 180, 260))


def test_bbox_and_polygon(border_points, tmp_path):
    bbox = (34.0, 51.0, 35.5, 51.5)
    assert ids(filter_events(border_points, bbox=bbox)) == sorted(
        ["sudzha", "vorozhba", "ru_1km_sudzha", "ua_1km_sudzha", "ua_1km_vorozhba", "ru_1km_vorozhba"])
    poly = shapely.box(35.0, 51.0, 35.5, 51.5)
    assert ids(filter_events(border_points, polygon=poly)) == sorted(
        ["sudzha", "ru_1km_sudzha", "ua_1km_sudzha"])
    path = tmp_path / "area.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(poly)}]}))
    assert ids(filter_events(border_points, polygon=str(path))) == sorted(
        ["sudzha", "ru_1km_sudzha", "ua_1km_sudzha"])
    with pytest.raises(InputError, match="not found"):
        filter_events(border_points, polygon=tmp_path / "missing.geojson")
    with pytest.raises(InputError, match="bbox"):
        filter_events(border_points, bbox=(36, 51, 35, 52))


def test_dates_overlap_ranges():
    g = events_to_gdf([
        ev("a", 51, 35, event_date="2024-08-06"),
        ev("b", 51, 35, event_date="2024-08-01", end_date="2024-08-10"),
        ev("c", 51, 35, event_date="2024-12-16"),
        ev("d", 51, 35, event_date=""),
    ])
    assert ids(filter_events(g, date_from="2024-08-05", date_to="2024-08-31")) == ["a", "b"]
    assert ids(filter_events(g, date_from="2024-08-08")) == ["b", "c"]
    assert ids(filter_events(g, date_to="6 August 2024")) == ["a", "b"]
    with pytest.raises(InputError, match="date"):
        filter_events(g, date_from="soon")


def test_attribute_filters():
    g = events_to_gdf([
        ev("a", 51, 35, actor1="Military Forces of Russia", actor2="Military Forces of Ukraine",
           event_type="Battles", sub_event_type="Armed clash", verification="claimed", confidence=0.9),
        ev("b", 51, 35, actor1="Military Forces of North Korea", event_type="Explosions/Remote violence",
           sub_event_type="Air/drone strike", verification="independently_verified", confidence=0.4),
        ev("c", 51, 35, claimed_by="Ukraine General Staff", event_type="Battles", confidence=None),
    ])
    assert ids(filter_events(g, actor="north korea")) == ["b"]
    assert ids(filter_events(g, actor="ukraine")) == ["a", "c"]
    assert ids(filter_events(g, event_type="battles")) == ["a", "c"]
    assert ids(filter_events(g, event_type="Air/drone strike")) == ["b"]
    assert ids(filter_events(g, verification=["claimed", "denied"])) == ["a"]
    assert ids(filter_events(g, min_confidence=0.5)) == ["a"]
    assert ids(filter_events(g, actor="ukraine", min_confidence=0.5, event_type="Battles")) == ["a"]


def test_cli_filter_within(tmp_path, capsys):
    from geomap.cli import main
    from geomap.io import read_events, write_events

    src = tmp_path / "pts.geojson"
    rows = []
    for km in (5, 19.5, 20.5, 40):
        lon, lat, _ = GEOD.fwd(SUDZHA[1], SUDZHA[0], 250, km * 1000)
        rows.append(ev(f"k{km}", lat, lon))
    write_events(events_to_gdf(rows), src)
    out = tmp_path / "near.csv"
    assert main(["filter", str(src), "--within", "51.191,35.271:20km", "-o", str(out)]) == 0
    assert ids(read_events(out)) == ["k19.5", "k5"]
    assert "2 of 4 events" in capsys.readouterr().err
    assert main(["filter", str(src), "--within", "Sudzha", "-o", str(out)]) == 2
    assert "PLACE:DISTANCE" in capsys.readouterr().err


def test_ged_oblast_labels_agree_with_polygons():
    """Real data: GED's own adm_1 label vs the admin1 polygon each point falls in."""
    from pathlib import Path

    from geomap.records.read import read_records

    ged = read_records(Path(__file__).parent.parent / "data" / "events" /
                       "ucdp_ged_ukraine_excerpt.csv").records
    for label, name in (("Luhansk oblast", "Luhansk Oblast"), ("Donetsk oblast", "Donetsk Oblast"),
                        ("Kiev Special Republican city", "Kyiv")):
        labelled = set(ged.loc[ged["admin1"] == label, "event_id"])
        inside = set(filter_events(ged, admin1=name)["event_id"])
        assert len(labelled) >= 6
        assert len(labelled & inside) / len(labelled) >= 0.97, label
        others = set(ged.loc[ged["admin1"].isin(
            {"Luhansk oblast", "Donetsk oblast", "Kiev Special Republican city"} - {label}),
            "event_id"])
        assert len(inside & others) <= 0.03 * len(inside), label  # GED labels are not perfect


# ---- issue #10: silent wrong answers made loud or right --------------------------------
GED = __import__("pathlib").Path(__file__).parent.parent / "data" / "events" / \
    "ucdp_ged_ukraine_excerpt.csv"


@pytest.fixture(scope="module")
def ged():
    from geomap.records.read import read_records

    return read_records(GED).records


def test_any_crs_is_reprojected_and_returned_in_the_callers_crs(ged):
    wgs = filter_events(ged, within_km=("Horlivka", 30), admin1="Donetsk Oblast")
    assert 0 < len(wgs) < len(ged)
    for epsg in (3857, 32637):
        projected = filter_events(ged.to_crs(epsg), within_km=("Horlivka", 30),
                                  admin1="Donetsk Oblast")
        assert projected.crs.to_epsg() == epsg
        assert ids(projected) == ids(wgs)
    in_box = filter_events(ged.to_crs(3857), bbox=(37.5, 47.8, 38.5, 48.6))
    assert ids(in_box) == ids(filter_events(ged, bbox=(37.5, 47.8, 38.5, 48.6)))
    assert 0 < len(in_box) < len(ged)


def test_a_filter_on_a_missing_column_names_it(ged):
    with pytest.raises(InputError, match="'event_date'") as err:
        filter_events(ged.drop(columns=["event_date"]), date_from="2024-08-01")
    assert err.value.field == "date_from"
    with pytest.raises(InputError, match="'confidence'"):
        filter_events(ged.drop(columns=["confidence"]), min_confidence=0.5)
    with pytest.raises(InputError, match="'actor1' or 'actor2' or 'claimed_by'"):
        filter_events(ged.drop(columns=["actor1", "actor2", "claimed_by"]), actor="Ukraine")


def test_a_raw_ged_frame_is_an_error_not_empty_ids():
    import pandas as pd

    with pytest.raises(InputError, match="no 'event_id' column.*read_records"):
        events_to_gdf(pd.read_csv(GED))


def test_swapped_bbox_and_centre_are_errors(ged):
    donbas = filter_events(ged, bbox=(37, 47, 40, 49))
    assert len(donbas) > 0
    with pytest.raises(InputError, match="swapped") as err:
        filter_events(ged, bbox=(47, 37, 49, 40))
    assert err.value.field == "bbox"
    assert len(filter_events(ged, within_km=("48.3,38.05", 20))) > 0  # Horlivka
    with pytest.raises(InputError, match="swapped"):
        filter_events(ged, within_km=("38.05,48.3", 20))
    with pytest.raises(InputError, match=r"\(95, 35\).*swapped"):
        filter_events(ged, within_km=((95, 35), 20))


def test_ukrainian_raion_and_hromada_filters(ged):
    bakhmut_raion = filter_events(ged, admin2="Bakhmutskyi Raion")
    assert len(bakhmut_raion) > 0
    assert ids(filter_events(ged, admin2="Бахмутський район")) == ids(bakhmut_raion)
    assert ids(filter_events(ged, admin2="UA1402")) == ids(bakhmut_raion)
    # every event in the raion lies in Donetsk Oblast; hromada ⊂ raion
    assert ids(filter_events(bakhmut_raion, admin1="Donetsk Oblast")) == ids(bakhmut_raion)
    hromada = filter_events(ged, hromada="Bakhmutska hromada")
    assert 0 < len(hromada) <= len(bakhmut_raion)
    assert set(hromada["event_id"]) <= set(bakhmut_raion["event_id"])
    assert "Artemivsk town" in set(hromada["location"])  # Bakhmut under its Soviet name


def test_unknown_raion_suggests_ukrainian_raions():
    with pytest.raises(InputError, match=r"unknown admin2 .*close: Bakhmutskyi") as err:
        find_regions("admin2", "Bakhmutsky raion x")
    assert err.value.field == "admin2"


def test_cli_filter_by_raion(tmp_path, capsys):
    from geomap.cli import main

    out = tmp_path / "bakhmut.geojson"
    assert main(["filter", str(GED), "--admin2", "Bakhmutskyi Raion", "-o", str(out)]) == 0
    assert "events pass the filters" in capsys.readouterr().err
    assert main(["filter", str(GED), "--hromada", "Bakhmutska hromada", "-o", str(out)]) == 0


def test_check_point_names_swapped_centres():
    from geomap.spatial.filters import check_point

    assert check_point(51.19, 35.27, "buffer") == (51.19, 35.27)  # Sudzha
    assert check_point(48.85, 2.35, "buffer") == (48.85, 2.35)  # Paris: swapped is nowhere
    with pytest.raises(InputError, match="swapped") as err:
        check_point(35.27, 51.19, "buffer")  # "35.27,51.19:1km" for Sudzha
    assert err.value.field == "buffer"
    with pytest.raises(InputError, match=r"\(95, 35\).*swapped"):
        check_point(95, 35, "buffer")
