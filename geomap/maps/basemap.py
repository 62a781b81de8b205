"""The offline base map: shipped boundaries, cut to the map's extent and generalised.

Geometries are clipped to the data extent plus a margin, simplified as a coverage in a
local azimuthal-equidistant projection (tolerance in metres, shared edges kept) and
rounded to 1e-5° (about 1 m), so that a map stays small but still lines up with the data.

One border source per drawing: the Russia–Ukraine border is the OpenStreetMap line; the
Russian border oblasts are drawn from the OSM districts (``admin2``) and the Ukrainian
ones from Minregion, which follow that line; Natural Earth country outlines are left out
within ``BORDER_GAP_KM`` of it, and all land has one fill, so that no Natural Earth edge
(1–6 km off near Sudzha) is drawn next to the OSM line.
"""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geomap import boundaries
from geomap.geodesy import destination, distance_km, local_crs
from geomap.paths import boundaries_dir

# the RU–UA border region, used when there is nothing to fit the map to
DEFAULT_EXTENT = (31.0, 46.5, 40.5, 52.8)
LAND_FILL = "#f4f1ea"
BORDER_GAP_KM = 8.0  # Natural Earth outlines closer than this to the OSM RU–UA line are dropped
CONTEXT_MARGIN_KM = 1500.0  # coarse countries around the detailed extent (zoomed-out view)
CONTEXT_TOLERANCE_M = 5000.0


def expand_extent(bounds, margin_km: float) -> tuple[float, float, float, float]:
    """(west, south, east, north) grown by ``margin_km`` on every side (geodesic)."""
    w, s, e, n = bounds
    lat_mid = (s + n) / 2
    lon_mid = (w + e) / 2
    n2, _ = destination(n, lon_mid, 0, margin_km * 1000)
    s2, _ = destination(s, lon_mid, 180, margin_km * 1000)
    _, e2 = destination(lat_mid, e, 90, margin_km * 1000)
    _, w2 = destination(lat_mid, w, 270, margin_km * 1000)
    return (max(w2, -180.0), max(s2, -85.0), min(e2, 180.0), min(n2, 85.0))


def _extent_width_km(extent) -> float:
    w, s, e, n = extent
    lat = (s + n) / 2
    return max(distance_km(lat, w, lat, e), distance_km(s, w, n, w))


def generalise(gdf: gpd.GeoDataFrame, extent, tolerance_m: float,
               keep: list[str]) -> gpd.GeoDataFrame:
    """Clip to ``extent``, simplify as a coverage in metres, round to 1e-5°."""
    w, s, e, n = extent
    sub = gdf[gdf.intersects(shapely.box(w, s, e, n))][keep + [gdf.geometry.name]]
    if sub.empty:
        return sub
    sub = sub.set_geometry(shapely.clip_by_rect(sub.geometry.values, w, s, e, n))
    sub = sub[~sub.geometry.is_empty]
    crs = local_crs((s + n) / 2, (w + e) / 2)
    proj = sub.to_crs(crs)
    polys = proj.geom_type.isin(["Polygon", "MultiPolygon"]).all()
    try:
        simple = proj.geometry.simplify_coverage(tolerance_m) if polys \
            else proj.geometry.simplify(tolerance_m)
    except (AttributeError, shapely.errors.GEOSException):
        simple = proj.geometry.simplify(tolerance_m)
    out = proj.set_geometry(simple).to_crs(4326)
    out = out.set_geometry(shapely.set_precision(out.geometry.values, 1e-5, mode="pointwise"))
    return out[~out.geometry.is_empty]


def _geojson(gdf: gpd.GeoDataFrame) -> dict:
    import json

    return json.loads(gdf.to_json(drop_id=True))


@lru_cache(maxsize=1)
def all_countries() -> gpd.GeoDataFrame:
    """RU, UA, BY (``countries.geojson``) and the rest of Europe (``europe_countries.geojson``)."""
    frames = [boundaries.countries()[["iso_a2", "name_en", "geometry"]]]
    europe = boundaries_dir() / "europe_countries.geojson"
    if europe.exists():
        frames.append(gpd.read_file(europe, engine="pyogrio")[["iso_a2", "name_en", "geometry"]])
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=4326)


@lru_cache(maxsize=1)
def drawing_admin1() -> gpd.GeoDataFrame:
    """Oblasts as drawn: Russian border oblasts dissolved from the OSM districts."""
    a1 = boundaries.admin1()[["name_en", "adm0_a2", "geometry"]]
    a2 = boundaries.admin2()
    osm = a2.dissolve(by="adm1_name_en", as_index=False)[["adm1_name_en", "geometry"]]
    osm = osm.rename(columns={"adm1_name_en": "name_en"}).assign(adm0_a2="RU")
    osm = osm.set_geometry(shapely.make_valid(osm.geometry.values))
    rest = a1[~((a1["adm0_a2"] == "RU") & a1["name_en"].isin(osm["name_en"]))]
    return gpd.GeoDataFrame(pd.concat([rest, osm[["name_en", "adm0_a2", "geometry"]]], ignore_index=True),
                            geometry="geometry", crs=4326)


def _outlines(polys: gpd.GeoDataFrame, border: gpd.GeoDataFrame, extent) -> gpd.GeoDataFrame:
    """Polygon outlines without the stretches within BORDER_GAP_KM of the OSM border."""
    w, s, e, n = extent
    crs = local_crs((s + n) / 2, (w + e) / 2)
    lines = polys.set_geometry(polys.geometry.boundary).to_crs(crs)
    if len(border):
        gap = shapely.buffer(shapely.union_all(border.to_crs(crs).geometry.values), BORDER_GAP_KM * 1000)
        lines = lines.set_geometry(lines.geometry.difference(gap))
    lines = lines[~lines.geometry.is_empty].to_crs(4326)
    lines = lines.set_geometry(shapely.set_precision(lines.geometry.values, 1e-5, mode="pointwise"))
    return lines[~lines.geometry.is_empty]


def context_countries(extent) -> dict | None:
    """Coarse countries within CONTEXT_MARGIN_KM around ``extent``, outside it (fill + outline)."""
    big = expand_extent(extent, CONTEXT_MARGIN_KM)
    c = generalise(all_countries(), big, CONTEXT_TOLERANCE_M, ["iso_a2", "name_en"])
    if c.empty:
        return None
    inner = shapely.box(*extent)
    lines = c.geometry.boundary.difference(inner)
    feats = gpd.GeoDataFrame({"part": ["fill"] * len(c) + ["outline"] * len(c)},
                             geometry=list(c.geometry.values) + list(lines.values), crs=4326)
    feats = feats[~feats.geometry.is_empty]
    feats = feats.set_geometry(shapely.set_precision(feats.geometry.values, 1e-3, mode="pointwise"))
    return _geojson(feats[~feats.geometry.is_empty])


def boundary_layers(extent, *, admin2: bool = True) -> dict:
    """GeoJSON dicts (countries fill, outlines, admin1, admin2, border) for the extent."""
    tol = float(np.clip(_extent_width_km(extent) / 3.0, 40.0, 1500.0))  # metres
    out: dict = {}
    b = generalise(boundaries.ru_ua_border(), extent, min(tol / 4, 50.0), [])
    c = generalise(all_countries(), extent, tol, ["iso_a2", "name_en"])
    if not c.empty:
        out["countries"] = _geojson(c.assign(fill=LAND_FILL))
        outlines = _outlines(c, b, extent)
        if not outlines.empty:
            out["outlines"] = _geojson(outlines)
    far = context_countries(extent)
    if far is not None:
        out["context_countries"] = far
    a1 = generalise(drawing_admin1(), extent, tol, ["name_en", "adm0_a2"])
    if not a1.empty:
        out["admin1"] = _geojson(a1)
    if admin2:
        a2 = generalise(boundaries.admin2(), extent, tol / 2, ["name_en"])
        if not a2.empty:
            out["admin2"] = _geojson(a2)
    if not b.empty:
        out["border"] = _geojson(b)
    return out


def admin_labels(extent, *, admin2: bool = True) -> list[list]:
    """[lat, lon, text, kind] labels of oblasts and (RU) districts inside the extent."""
    w, s, e, n = extent
    box = shapely.box(w, s, e, n)
    labels = []
    for gdf, kind in ((boundaries.admin1(), "oblast"),
                      (boundaries.admin2() if admin2 else None, "district")):
        if gdf is None:
            continue
        sub = gdf[gdf.intersects(box)]
        if sub.empty:
            continue
        pts = shapely.point_on_surface(shapely.clip_by_rect(sub.geometry.values, w, s, e, n))
        for name, p in zip(sub["name_en"], pts, strict=True):
            if p is not None and not p.is_empty:
                text = name if kind == "oblast" else name.replace(" District", "")
                labels.append([round(p.y, 5), round(p.x, 5), text, kind])
    return labels
