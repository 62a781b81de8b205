"""build_map and the ``geomap map`` / ``geomap zones`` commands (no browser needed)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from geomap.cli import main
from geomap.errors import InputError
from geomap.maps import build_map
from geomap.maps.inputs import parse_border_zone, parse_buffer, parse_km
from geomap.maps.payload import events_payload, safe_url, to_json
from geomap.maps.samples import seed_events, synthetic_events

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "data/articles/kursk_2024-12-16_north_korean_casualties.txt"
XSS_NOTES = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'
SRC_RE = re.compile(r"<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(https?:)?//", re.I)


def _payload(html: str) -> dict:
    """The JSON the runtime is initialised with, read back from the page."""
    m = re.search(r'<script type="application/json" id="[\w-]+-data">(.*?)</script>', html, re.S)
    assert m, "no geomap data element in the page"
    assert "geomap.init(" in html
    return json.loads(m.group(1))


def xss_events() -> gpd.GeoDataFrame:
    ev = seed_events()
    ev.loc[0, "notes"] = XSS_NOTES
    ev.loc[1, "location"] = '<img src=x onerror="window.__pwned=1">Martynovka'
    ev.loc[1, "source_url"] = "javascript:window.__pwned=1"
    return ev


@pytest.fixture(scope="module")
def seed_html() -> str:
    m = build_map(xss_events(), buffers={"Sudzha": (51.191, 35.271, 10)},
                  border_zones={"distances_km": [10, 30], "clip_to": "Kursk Oblast"},
                  title="Kursk <b>test</b>")
    return m.get_root().render()


def test_returns_folium_map():
    assert isinstance(build_map(seed_events()), folium.Map)


def test_offline_html_has_no_remote_script_or_css(seed_html):
    assert not SRC_RE.search(seed_html)
    assert "L.map(" in seed_html and "leaflet.markercluster" not in seed_html.split("<body>")[0][:200]
    # the vendored libraries are inlined
    assert 'version="1.9.3"' in seed_html or "1.9.3" in seed_html
    assert "MarkerClusterGroup" in seed_html and "heatLayer" in seed_html


def test_online_html_links_cdn():
    html = build_map(seed_events(), online=True, boundaries=False).get_root().render()
    assert 'src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"' in html
    assert "tile.openstreetmap.org" in html
    assert len(html) < 200_000


def test_untrusted_text_never_reaches_html_raw(seed_html):
    assert "<script>window.__pwned" not in seed_html
    assert '<img src=x onerror="window.__pwned=1">' not in seed_html
    assert "<b>test</b>" not in seed_html  # title escaped in <title> and in the payload
    assert "<title>Kursk &lt;b&gt;test&lt;/b&gt;</title>" in seed_html
    data = _payload(seed_html)
    assert XSS_NOTES in data["strings"]  # kept verbatim as data, escaped by the runtime
    assert "javascript:window.__pwned=1" not in data["strings"]


@pytest.mark.parametrize("url, ok", [
    ("https://www.trtworld.com/article/18244063", True), ("http://example.org/a?b=1", True),
    ("javascript:alert(1)", False), ("JaVaScRiPt:alert(1)", False), ("data:text/html,x", False),
    ("//evil.example/x", False), ('https://x.org/"onmouseover=1', False), ("ftp://x.org/f", False),
    ("", False), (None, False),
])
def test_safe_url(url, ok):
    assert safe_url(url) == (url if ok else "")


def test_to_json_cannot_close_the_script():
    text = to_json({"a": "</script><script>alert(1)</script>", "b": "\u2028"})
    assert "</" not in text and "<" not in text and "\u2028" not in text
    assert json.loads(text)["a"].startswith("</script>")


def test_payload_columns():
    ev = seed_events()
    data, ok = events_payload(ev, cluster=False, low_confidence=0.5, heat=True)
    assert data["n"] == 3 and data["dropped"] == 1  # Kurilovka has no coordinates
    assert list(ok) == [True, True, False, True]
    assert data["lat"][0] == 51.1 and data["lon"][0] == 35.3333
    loc = [data["strings"][i] for i in data["text"]["location"]]
    assert loc == ["Plekhovo", "Martynovka", "Sudzha"]
    # radius grows with casualties: Plekhovo (30 killed or wounded) is the largest
    assert data["r"][0] > data["r"][1] == data["r"][2]
    # day numbers: 2024-12-14 .. 2024-12-15, Sudzha 2024-08-06
    day = pd.Timestamp("2024-12-14").toordinal() - pd.Timestamp("1970-01-01").toordinal()
    assert data["d0"][0] == day and data["d1"][0] == day + 1
    assert data["dmin"] == data["d0"][2] and data["dmax"] == day + 1
    types = {t["name"]: t["count"] for t in data["types"]}
    assert types["Battles"] == 3
    assert data["num"]["killed_or_wounded"][0] == 30


def test_dropped_and_low_confidence_outliers_reported():
    ev = seed_events()
    far = ev.iloc[[0]].copy()
    far["location"], far["confidence"] = "Kurilovka (wrongly geocoded)", 0.3
    far["latitude"], far["longitude"] = 39.03, 125.75  # Pyongyang
    far = far.set_geometry([shapely.Point(125.75, 39.03)], crs=4326)
    data = _payload(build_map(pd.concat([ev, far], ignore_index=True)).get_root().render())
    assert data["dropped"] == 1
    assert data["outside"] == 1  # drawn, but the view stays on Kursk
    (s, w), (n, e) = data["fit"]
    assert 34 < w < e < 36 and 50.5 < s < n < 51.5


def test_buffers_resolve_names_and_appear_in_payload():
    data = _payload(build_map(seed_events(), buffers={"Sudzha": 10}).get_root().render())
    (zone,) = data["zones"]["features"]
    assert zone["properties"]["name"] == "Sudzha"
    assert zone["properties"]["area_km2"] == pytest.approx(314.2, rel=0.01)
    poly = shapely.geometry.shape(zone["geometry"])
    assert poly.contains(shapely.Point(35.271, 51.191))


def test_unknown_buffer_place_is_an_input_error():
    with pytest.raises(InputError, match="Qwzxvbnm"):
        build_map(seed_events(), buffers={"Qwzxvbnm": 10})


def test_buffer_events_and_bands():
    data = _payload(build_map(seed_events(), buffer_events_km=5, border_zones=[10, 30])
                    .get_root().render())
    kinds = [f["properties"]["kind"] for f in data["zones"]["features"]]
    assert kinds and set(kinds) == {"events"}
    bands = data["bands"]["features"]
    assert [f["properties"]["label"] for f in bands] == ["0–10 km band", "10–30 km band"]
    first = shapely.geometry.shape(bands[0]["geometry"])
    assert first.contains(shapely.Point(35.271, 51.191))  # Sudzha, 9.04 km from the border


def test_boundaries_are_cut_to_the_extent():
    data = _payload(build_map(seed_events()).get_root().render())
    b = data["boundaries"]
    names = {f["properties"]["name_en"] for f in b["admin1"]["features"]}
    assert {"Kursk Oblast", "Sumy Oblast"} <= names and "Moscow" not in names
    assert b["border"]["features"] and b["countries"]["features"]
    labels = {text for _, _, text, _ in data["labels"]}
    assert {"Plekhovo", "Martynovka", "Sudzha", "Kursk Oblast"} <= labels


def test_many_events_are_clustered_and_compact():
    ev = synthetic_events(20_000, seed=1)
    html = build_map(ev, title="load").get_root().render()
    data = _payload(html)
    assert data["cluster"] is True and data["n"] == 20_000
    assert len(html) / 20_000 < 250  # bytes per event, boundaries included
    assert not build_map(ev.head(50)).get_root().render().count('"cluster":true')


def test_context_places():
    places = {"Kursk": (51.7304, 36.1926), "Sumy": (50.9077, 34.7981)}
    data = _payload(build_map(seed_events(), places=places).get_root().render())
    assert data["context"]["name"] == ["Kursk", "Sumy"]


def test_empty_events_still_make_a_map():
    data = _payload(build_map(None, border_zones=[10]).get_root().render())
    assert data["n"] == 0 and data["bands"]["features"]


@pytest.mark.parametrize("text, km", [("10km", 10), ("10 km", 10), ("500m", 0.5), ("2.5", 2.5)])
def test_parse_km(text, km):
    assert parse_km(text, "x") == km


def test_parse_specs():
    assert parse_buffer("Sudzha:10km") == ("Sudzha", None, 10)
    assert parse_buffer("51.191,35.271:10km") == ("51.191, 35.271", (51.191, 35.271), 10)
    assert parse_border_zone("RU-UA:10km,30km") == ("RU-UA", [10, 30])
    for bad in ("Sudzha", "Sudzha:ten", ":10km", "95,10:5km"):
        with pytest.raises(InputError):
            parse_buffer(bad)
    with pytest.raises(InputError):
        parse_border_zone("RU-UA")


# ----------------------------------------------------------------------------- CLI
def test_cli_map_from_event_file(tmp_path, capsys):
    from geomap.io import write_events

    src = write_events(seed_events().dropna(subset=["latitude"]), tmp_path / "ev.geojson")
    out = tmp_path / "map.html"
    rc = main(["map", str(src), "--buffer", "51.191,35.271:10km", "--border-zone",
               "RU-UA:10km,30km", "--clip-admin1", "Kursk Oblast", "--title", "CLI", "-o", str(out)])
    assert rc == 0
    html = out.read_text(encoding="utf-8")
    assert not SRC_RE.search(html)
    data = _payload(html)
    assert data["n"] == 3 and data["title"] == "CLI"
    assert len(data["bands"]["features"]) == 2 and len(data["zones"]["features"]) == 1


def test_cli_map_from_article(tmp_path):
    out = tmp_path / "article.html"
    assert main(["map", str(ARTICLE), "-o", str(out)]) == 0
    data = _payload(out.read_text(encoding="utf-8"))
    locs = {data["strings"][i] for i in data["text"]["location"]}
    assert "Plekhovo" in locs
    # outlets with the number of events citing them
    assert ["TRT World", "https://www.trtworld.com/article/18244063", len(data["t"])] in data["sources"]


def test_cli_errors_name_the_problem(tmp_path, capsys):
    out = tmp_path / "x.html"
    assert main(["map", "--buffer", "Sudzha:ten", "-o", str(out)]) == 2
    assert "--buffer" in capsys.readouterr().err
    assert main(["map", str(tmp_path / "missing.geojson"), "-o", str(out)]) == 2
    assert "missing.geojson" in capsys.readouterr().err
    assert main(["zones", "--border-zone", "RU-UA:10km", "--clip-admin1", "Atlantis",
                 "-o", str(tmp_path / "z.geojson")]) == 2
    assert "Atlantis" in capsys.readouterr().err
    assert not out.exists()


def test_cli_zones_geojson(tmp_path):
    out = tmp_path / "zones.geojson"
    rc = main(["zones", "--buffer", "51.191,35.271:10km", "--border-zone", "RU-UA:10km,30km",
               "--clip-admin1", "Kursk Oblast", "-o", str(out)])
    assert rc == 0
    fc = json.loads(out.read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection" and "crs" not in fc
    props = [f["properties"] for f in fc["features"]]
    assert [p["kind"] for p in props] == ["buffer", "border", "border"]
    assert props[0]["area_km2"] == pytest.approx(np.pi * 100, rel=0.01)
    zones = gpd.read_file(out)
    assert zones.crs.to_epsg() == 4326
    assert zones.geometry.iloc[1].contains(shapely.Point(35.271, 51.191))


def test_region_level_events_do_not_drive_the_view():
    ev = seed_events()
    region = ev.iloc[[0]].copy()
    region["location"], region["geo_precision"] = "Kursk Oblast", 3
    region["latitude"], region["longitude"] = 51.67, 36.15  # oblast centroid, ~80 km away
    region = region.set_geometry([shapely.Point(36.15, 51.67)], crs=4326)
    data = _payload(build_map(pd.concat([ev, region], ignore_index=True)).get_root().render())
    (s, w), (n, e) = data["fit"]
    assert n < 51.3 and e < 35.5
    assert data["outside"] == 1 and data["n"] == 4


# ----------------------------------------------------------------------------- honest drawing
GED = ROOT / "data/events/ucdp_ged_ukraine_excerpt.csv"


def _region_event() -> gpd.GeoDataFrame:
    """The seed events plus one known only to Kursk Oblast (its centroid, precision 3)."""
    ev = seed_events()
    extra = ev.iloc[[3]].copy()
    extra["event_id"], extra["location"], extra["geo_precision"] = "trt-5", "Kursk Oblast", 3
    extra["latitude"], extra["longitude"] = 51.6, 36.1
    extra["admin2"] = None
    extra = extra.set_geometry(gpd.points_from_xy([36.1], [51.6]), crs=4326)
    return gpd.GeoDataFrame(pd.concat([ev, extra], ignore_index=True), geometry="geometry", crs=4326)


def test_popup_casualty_line_keeps_qualifier_and_claimant():
    data = _payload(build_map(seed_events()).get_root().render())
    lines = [data["strings"][i] for i in data["text"]["casualties"]]
    assert lines[0] == ("at least 30 killed or wounded (claimed by Ukraine (Defence Intelligence, "
                        "HUR))")
    assert lines[2] == ""  # Sudzha: no casualties reported
    assert data["cas"] == [30, 0, 0]


def test_region_level_event_is_its_region_and_never_buffered():
    data = _payload(build_map(_region_event(), buffer_events_km=5).get_root().render())
    k = data["reg"][3]
    assert data["reg"][:3] == [-1, -1, -1] and k >= 0
    region = data["regions"]["features"][k]
    assert region["properties"]["name_en"] == "Kursk Oblast"
    assert shapely.geometry.shape(region["geometry"]).area > 2.0  # the oblast, ~30,000 km²
    centroid = shapely.Point(36.1, 51.6)
    circles = [shapely.geometry.shape(f["geometry"]) for f in data["zones"]["features"]]
    assert circles and not any(c.contains(centroid) for c in circles)
    assert "1 region-level event not buffered" in data["zones"]["features"][0]["properties"]["label"]


def test_ged_title_names_outlets_with_counts():
    from geomap.io import read_events
    from geomap.maps.payload import outlets

    assert outlets('"Agence France Presse,2014-01-22,Police disperse";"UN OCHA,2014-12-31,Report"') \
        == ["Agence France Presse", "UN OCHA"]
    assert outlets("TRT World") == ["TRT World"]
    ged = read_events(str(GED))
    data = _payload(build_map(ged).get_root().render())
    names = [s[0] for s in data["sources"]]
    assert names and not any(re.search(r"\d{4}-\d{2}-\d{2}", s) for s in names)
    counts = [s[2] for s in data["sources"]]
    assert counts == sorted(counts, reverse=True) and counts[0] > 1


def test_types_outside_acled_get_their_own_colours():
    ev = seed_events()
    ev.loc[0, "event_type"], ev.loc[1, "event_type"] = "State-based conflict", "One-sided violence"
    colors = {t["name"]: t["color"] for t in _payload(build_map(ev).get_root().render())["types"]}
    assert colors["State-based conflict"] != colors["One-sided violence"]
    assert colors["Battles"] == "#d62728"


def test_base_map_covers_europe_and_uses_one_border_source():
    from geomap.geodesy import local_crs
    from geomap.maps import basemap

    layers = basemap.boundary_layers((14.0, 40.0, 42.0, 60.0), admin2=False)
    isos = {f["properties"]["iso_a2"] for f in layers["countries"]["features"]}
    assert {"PL", "MD", "RO", "SK", "HU", "BY", "LT", "LV", "EE", "RU", "UA"} <= isos
    assert {f["properties"]["fill"] for f in layers["countries"]["features"]} == {basemap.LAND_FILL}
    # near Sudzha: no Natural Earth outline next to the OSM border line
    near = basemap.boundary_layers(basemap.expand_extent((35.0, 51.0, 35.6, 51.4), 60))
    crs = local_crs(51.2, 35.3)
    border = gpd.GeoDataFrame.from_features(near["border"]["features"], crs=4326).to_crs(crs)
    outlines = gpd.GeoDataFrame.from_features(near["outlines"]["features"], crs=4326).to_crs(crs)
    gap = outlines.distance(border.union_all()).min()
    assert gap > (basemap.BORDER_GAP_KM - 0.5) * 1000
    # Kursk Oblast is drawn from the OSM districts, which meet the OSM border line
    kursk = next(f for f in near["admin1"]["features"] if f["properties"]["name_en"] == "Kursk Oblast")
    kursk_line = gpd.GeoSeries([shapely.geometry.shape(kursk["geometry"]).boundary], crs=4326).to_crs(crs)
    sudzha_border = border.clip(gpd.GeoSeries([shapely.Point(35.27, 51.19)], crs=4326).to_crs(crs)
                                .buffer(15_000).iloc[0])
    assert float(sudzha_border.geometry.apply(lambda g: kursk_line.distance(g).max()).max()) < 500


def test_lite_payload_for_huge_sets(monkeypatch):
    from geomap.maps import payload as payload_mod

    monkeypatch.setattr(payload_mod, "LITE_EVENTS", 1_000)
    ev = synthetic_events(1_500, seed=2)
    data, ok = payload_mod.events_payload(ev, cluster=True, low_confidence=0.5, heat=True)
    assert data["lite"] is True and data["cluster"] is False and data["heat"] is False
    assert data["text"] == {} and data["strings"] == [""] and data["r"] == []
    assert len(data["lat"]) == len(data["cas"]) == len(data["t"]) == 1_500
    assert data["d1"] is None  # one-day events: the end dates are not repeated
    assert list(data["num"]) == ["geo_precision"]


def test_cli_png_snapshot(tmp_path, capsys):
    import matplotlib.image as mpimg

    out = tmp_path / "kursk.png"
    assert main(["map", str(ARTICLE), "--buffer", "51.191,35.271:10km", "--png", str(out)]) == 0
    assert "static picture" in capsys.readouterr().err
    img = mpimg.imread(out)
    assert img.shape[0] > 800 and img.shape[1] > 1000
    rgb = (img[..., :3] * 255).round().astype(int)
    battles = np.all(np.abs(rgb - [0xD6, 0x27, 0x28]) <= 3, axis=-1)
    assert battles.sum() > 50  # the Battles markers and chart bars are drawn
    assert main(["map", str(ARTICLE)]) == 2
    assert "--png" in capsys.readouterr().err
