"""Filter event GeoDataFrames by region, shape, distance, date, actor, type and confidence.

Region names are matched leniently against the shipped boundaries (``name_en``,
``name_ru``, ``name_uk``, ``name_local``, ISO codes): "Kursk Oblast", "Kursk",
"Курская область", "RU-KRS" and "Sumy region" all work.  Point-in-polygon tests are
vectorised (``geopandas.sjoin``); distances are geodesic (``geomap.geodesy``, WGS84);
region lookups live in ``geomap.regions``, place names are located by ``geomap.places``.

Near the Russia–Ukraine border the Natural Earth polygons are 1–3 km off, so region
polygons are refined: Ukraine and its oblasts come from the Minregion layer, and the
Russian border oblasts (Bryansk, Kursk, Belgorod, Voronezh, Rostov) are the union of
their OpenStreetMap districts (``admin2``).  Russia and Belarus lose any part that the
Minregion layer assigns to Ukraine.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geomap.errors import InputError
from geomap.geodesy import distance_km
from geomap.places import centre_point
from geomap.regions import (  # noqa: F401 (region lookups lived here; re-exported)
    find_regions,
    region_layer,
    region_name_to_iso,
    ua_cod_areas,
)
from geomap.values import parse_date


# --------------------------------------------------------------------------- helpers
def check_bbox(bbox) -> tuple[float, float, float, float]:
    """(minlon, minlat, maxlon, maxlat) as floats, or InputError naming the field."""
    try:
        minx, miny, maxx, maxy = (float(v) for v in bbox)
    except (TypeError, ValueError) as exc:
        raise InputError(f"bbox must be 4 numbers, got {bbox!r}", field="bbox") from exc
    if not (minx < maxx and miny < maxy and -90 <= miny and maxy <= 90):
        raise InputError(f"bbox {bbox!r} is not minlon,minlat,maxlon,maxlat", field="bbox")
    return minx, miny, maxx, maxy


def check_point(lat: float, lon: float, field: str) -> tuple[float, float]:
    """A (lat, lon) centre given by a user (``--buffer``, ``--within``): an error when it is
    out of range, or lies outside Russia/Ukraine/Belarus while (lon, lat) lies inside —
    coordinates that look swapped are never swapped silently."""
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        hint = " (are latitude and longitude swapped?)" if abs(lon) <= 90 else ""
        raise InputError(f"({lat:g}, {lon:g}) is not a valid (lat, lon){hint}", field=field)
    if abs(lon) <= 90:
        coverage = shapely.union_all(region_layer("country").geometry.values)
        if not shapely.contains_xy(coverage, lon, lat) and shapely.contains_xy(coverage, lat, lon):
            raise InputError(f"({lat:g}, {lon:g}) as (lat, lon) lies outside Russia, Ukraine "
                             f"and Belarus, but ({lon:g}, {lat:g}) lies inside: are latitude "
                             "and longitude swapped?", field=field)
    return lat, lon


def as_list(value) -> list:
    """A filter value as a list: None → [], a scalar → [value]."""
    if value is None:
        return []
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return [value]
    return list(value)


def _within(gdf: gpd.GeoDataFrame, regions: gpd.GeoDataFrame) -> np.ndarray:
    """Boolean mask: which rows of ``gdf`` lie in any of ``regions`` (vectorised sjoin)."""
    mask = np.zeros(len(gdf), dtype=bool)
    valid = ~(gdf.geometry.isna() | gdf.geometry.is_empty).to_numpy()
    if not valid.any() or regions.empty:
        return mask
    pts = gpd.GeoDataFrame(
        {"_pos": np.arange(len(gdf))[valid]}, geometry=gdf.geometry.values[valid], crs=gdf.crs
    )
    shapes = gpd.GeoDataFrame(geometry=regions.geometry.values, crs=regions.crs)
    if pts.crs is None:
        pts = pts.set_crs(4326)
    elif shapes.crs is not None and pts.crs != shapes.crs:
        shapes = shapes.to_crs(pts.crs)
    joined = gpd.sjoin(pts, shapes, how="inner", predicate="intersects")
    mask[np.unique(joined["_pos"].to_numpy())] = True
    return mask


def _load_polygon(polygon) -> gpd.GeoDataFrame:
    if isinstance(polygon, gpd.GeoDataFrame):
        shapes = polygon
    elif isinstance(polygon, gpd.GeoSeries):
        shapes = gpd.GeoDataFrame(geometry=polygon)
    elif isinstance(polygon, shapely.Geometry):
        shapes = gpd.GeoDataFrame(geometry=[polygon], crs=4326)
    else:
        path = os.fspath(polygon)
        if not os.path.exists(path):
            raise InputError("polygon file not found", path=path, field="polygon")
        try:
            shapes = gpd.read_file(path, engine="pyogrio")
        except Exception as exc:  # pyogrio raises DataSourceError and friends
            raise InputError(f"cannot read polygon file: {exc}", path=path, field="polygon") from exc
    shapes = shapes[shapes.geometry.notna()]
    shapes = shapes[shapes.geom_type.isin(["Polygon", "MultiPolygon", "GeometryCollection"])]
    if shapes.empty:
        raise InputError("polygon input holds no polygon", field="polygon")
    if shapes.crs is None:
        shapes = shapes.set_crs(4326)
    return shapes.to_crs(4326)


def geodesic_km(lat0: float, lon0: float, lats, lons) -> np.ndarray:
    """Geodesic (WGS84) distances in km from one point to arrays of points; NaN stays NaN."""
    return distance_km(lat0, lon0, np.asarray(lats, dtype=float), np.asarray(lons, dtype=float))


def _dates(series: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(series):
        return series
    return pd.to_datetime(series.replace("", None), errors="coerce", format="ISO8601")


def _require(gdf: pd.DataFrame, columns: list[str], field: str, any_of: bool = False) -> None:
    """A filter on a column the frame lacks is an error naming it, never 0 silent rows."""
    present = [c for c in columns if c in gdf.columns]
    if (any_of and present) or (not any_of and len(present) == len(columns)):
        return
    missing = columns if any_of else [c for c in columns if c not in present]
    what = " or ".join(repr(c) for c in missing) if any_of else ", ".join(map(repr, missing))
    raise InputError(f"the events have no {what} column to filter on", field=field)


def _lonlat(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The frame's geometry in WGS84 lon/lat (a frame without a CRS is taken as lon/lat)."""
    if "geometry" not in gdf or not isinstance(gdf, gpd.GeoDataFrame):
        raise InputError("the events have no geometry column", field="geometry")
    geo = gpd.GeoDataFrame(geometry=gdf.geometry.values, crs=gdf.crs, index=gdf.index)
    if geo.crs is None:
        return geo.set_crs(4326)
    return geo if geo.crs.equals("EPSG:4326") else geo.to_crs(4326)


def _xy(lonlat: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(lon, lat) arrays; NaN for rows without a point."""
    valid = ~(lonlat.geometry.isna() | lonlat.geometry.is_empty).to_numpy()
    x = np.full(len(lonlat), np.nan)
    y = np.full(len(lonlat), np.nan)
    if valid.any():
        x[valid] = lonlat.geometry.x.to_numpy()[valid]
        y[valid] = lonlat.geometry.y.to_numpy()[valid]
    return x, y


def _in_box(x: np.ndarray, y: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    minx, miny, maxx, maxy = box
    with np.errstate(invalid="ignore"):
        return (x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy)


def _is_coordinate_pair(place) -> bool:
    if isinstance(place, str):
        parts = place.split(",")
        try:
            return len(parts) == 2 and all(np.isfinite(float(p)) for p in parts)
        except ValueError:
            return False
    return not isinstance(place, str)


def _parse_bound(value, field: str) -> pd.Timestamp:
    iso = parse_date(value)
    if iso is None:
        raise InputError(f"cannot parse date {value!r}", field=field)
    return pd.Timestamp(iso)


def _text_match(series: pd.Series, wanted: Sequence[str], exact: bool) -> np.ndarray:
    values = series.fillna("").astype(str).str.casefold()
    mask = np.zeros(len(series), dtype=bool)
    for w in wanted:
        w = str(w).casefold().strip()
        mask |= (values == w).to_numpy() if exact else values.str.contains(w, regex=False).to_numpy()
    return mask


# --------------------------------------------------------------------------- public
def filter_events(
    gdf: gpd.GeoDataFrame,
    country=None,
    admin1=None,
    admin2=None,
    hromada=None,
    polygon=None,
    bbox: Sequence[float] | None = None,
    within_km: tuple | None = None,
    date_from=None,
    date_to=None,
    actor=None,
    event_type=None,
    verification=None,
    min_confidence: float | None = None,
) -> gpd.GeoDataFrame:
    """Rows of an events GeoDataFrame that pass every given filter (AND).

    Parameters
    ----------
    gdf : events GeoDataFrame (EVENT_COLUMNS + Point geometry, EPSG:4326).
    country, admin1, admin2 : region name(s) or ISO code(s); a list means "any of".
        admin2 covers the Russian border districts and Ukraine's raions ("Bakhmutskyi
        Raion", "Бахмутський", "UA1402").
    hromada : Ukrainian hromada name(s) or p-code(s) ("Bakhmutska hromada", "UA1402001");
        raion and hromada areas are approximate (see ``ua_cod_areas``).
    polygon : path to a polygon file, a shapely geometry or a GeoDataFrame.
    bbox : (minlon, minlat, maxlon, maxlat).
    within_km : (place, km): place is a gazetteer name, "lat,lon" or a (lat, lon) tuple.
    date_from, date_to : inclusive; an event passes if its [event_date, end_date] overlaps.
    actor : substring of actor1/actor2/claimed_by (case-insensitive); list means any.
    event_type : event_type or sub_event_type, case-insensitive exact; list means any.
    verification : verification state(s).
    min_confidence : keep rows with confidence >= this.

    Returns
    -------
    GeoDataFrame, a filtered copy with the same columns.
    """
    lonlat = _lonlat(gdf)  # any CRS in; tests run on WGS84 lon/lat; rows come back as given
    mask = np.ones(len(gdf), dtype=bool)
    for level, value in (("country", country), ("admin1", admin1), ("admin2", admin2),
                         ("hromada", hromada)):
        if value is not None and len(as_list(value)):
            mask &= _within(lonlat, find_regions(level, as_list(value), field=level))
    if polygon is not None:
        mask &= _within(lonlat, _load_polygon(polygon))
    x, y = _xy(lonlat)
    if bbox is not None:
        box = check_bbox(bbox)
        inside = _in_box(x, y, box)
        if len(gdf) and not inside.any():
            swapped = _in_box(x, y, (box[1], box[0], box[3], box[2]))
            if swapped.any():
                raise InputError(
                    f"bbox {','.join(f'{v:g}' for v in box)} (minlon,minlat,maxlon,maxlat) holds "
                    f"none of the {len(gdf)} events, but read as minlat,minlon,maxlat,maxlon it "
                    f"holds {int(swapped.sum())}: are latitude and longitude swapped?", field="bbox")
        mask &= inside
    if within_km is not None:
        try:
            place, km = within_km
            km = float(km)
        except (TypeError, ValueError) as exc:
            raise InputError(f"within_km must be (place, km), got {within_km!r}", field="within_km") from exc
        if not km >= 0:
            raise InputError("within_km distance must be >= 0", field="within_km")
        lat0, lon0 = centre_point(place, field="within_km")
        with np.errstate(invalid="ignore"):
            near = geodesic_km(lat0, lon0, y, x) <= km
            if len(gdf) and not near.any() and _is_coordinate_pair(place) and abs(lon0) <= 90:
                if (geodesic_km(lon0, lat0, y, x) <= km).any():
                    raise InputError(
                        f"no event lies within {km:g} km of ({lat0:g}, {lon0:g}) (lat,lon), but "
                        f"some lie within {km:g} km of ({lon0:g}, {lat0:g}): are latitude and "
                        "longitude swapped?", field="within_km")
        mask &= near
    if date_from is not None or date_to is not None:
        field = "date_from" if date_from is not None else "date_to"
        _require(gdf, ["event_date"], field)
        start = _dates(gdf["event_date"])
        end = _dates(gdf["end_date"]) if "end_date" in gdf else start
        end = end.fillna(start)
        if date_from is not None:
            mask &= (end >= _parse_bound(date_from, "date_from")).to_numpy()
        if date_to is not None:
            mask &= (start <= _parse_bound(date_to, "date_to")).to_numpy()
    if actor is not None:
        _require(gdf, ["actor1", "actor2", "claimed_by"], "actor", any_of=True)
        wanted = as_list(actor)
        sub = np.zeros(len(gdf), dtype=bool)
        for col in ("actor1", "actor2", "claimed_by"):
            if col in gdf:
                sub |= _text_match(gdf[col], wanted, exact=False)
        mask &= sub
    if event_type is not None:
        _require(gdf, ["event_type", "sub_event_type"], "event_type", any_of=True)
        wanted = as_list(event_type)
        sub = np.zeros(len(gdf), dtype=bool)
        for col in ("event_type", "sub_event_type"):
            if col in gdf:
                sub |= _text_match(gdf[col], wanted, exact=True)
        mask &= sub
    if verification is not None:
        _require(gdf, ["verification"], "verification")
        mask &= _text_match(gdf["verification"], as_list(verification), exact=True)
    if min_confidence is not None:
        _require(gdf, ["confidence"], "min_confidence")
        conf = pd.to_numeric(gdf["confidence"], errors="coerce").to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            mask &= conf >= float(min_confidence)
    return gdf[mask].copy()
