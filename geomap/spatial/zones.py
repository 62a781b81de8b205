"""Buffer zones around places and distance bands along the Russia–Ukraine border.

All distances are in metres on the WGS84 ellipsoid: circles are traced with the
geodesic direct problem (``geomap.geodesy``), the border line is buffered piecewise in
local azimuthal-equidistant projections, and areas come from an equal-area projection.
Nothing is ever buffered in degrees.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from geomap import boundaries
from geomap.boundaries import ru_ua_border
from geomap.errors import InputError
from geomap.geodesy import geodesic_circles, line_buffer_m  # noqa: F401 (re-exported)
from geomap.regions import admin_polygon

WGS84 = "EPSG:4326"
EQUAL_AREA = "EPSG:6933"  # WGS 84 / NSIDC EASE-Grid 2.0 Global (cylindrical equal-area)
_COUNTRY_ALIASES = {
    "ru": "RU", "rus": "RU", "russia": "RU", "russian federation": "RU",
    "ua": "UA", "ukr": "UA", "ukraine": "UA",
}
_BORDER_ALIASES = {"ru-ua", "ua-ru", "ru_ua", "ua_ru", "russia-ukraine", "ukraine-russia"}


# --------------------------------------------------------------------------- circles
def _point_table(points) -> pd.DataFrame:
    """Normalise the inputs of :func:`buffer_zones` to columns name, lat, lon."""
    if isinstance(points, gpd.GeoDataFrame | gpd.GeoSeries):
        gs = points.geometry if isinstance(points, gpd.GeoDataFrame) else points
        if gs.crs is not None and not gs.crs.equals(CRS(WGS84)):
            gs = gs.to_crs(WGS84)
        if len(gs) and not (gs.geom_type == "Point").all():
            bad = gs.index[gs.geom_type != "Point"][0]
            raise InputError(f"row {bad!r} is a {gs.loc[bad].geom_type}, expected a Point",
                             field="geometry")
        if isinstance(points, gpd.GeoDataFrame):
            col = next((c for c in ("name", "location") if c in points.columns), None)
            names = points[col].astype(str) if col else pd.Series(points.index.astype(str))
        else:
            names = pd.Series(points.index.astype(str))
        table = pd.DataFrame({"name": names.to_numpy(), "lat": gs.y.to_numpy(),
                              "lon": gs.x.to_numpy()})
    elif isinstance(points, Mapping):
        rows = []
        for name, value in points.items():
            if hasattr(value, "lat") and hasattr(value, "lon"):
                lat, lon = value.lat, value.lon
            else:
                try:
                    lat, lon = value
                except (TypeError, ValueError):
                    raise InputError(f"{name!r}: expected (lat, lon), got {value!r}",
                                     field="points") from None
            rows.append((str(name), float(lat), float(lon)))
        table = pd.DataFrame(rows, columns=["name", "lat", "lon"])
    else:
        raise InputError("points must be a dict name -> (lat, lon) or a GeoDataFrame of points",
                         field="points")
    bad = ~(table["lat"].between(-90, 90) & table["lon"].between(-180, 180))
    if bad.any():
        row = table[bad].iloc[0]
        raise InputError(f"{row['name']!r}: coordinates ({row['lat']}, {row['lon']}) are not a "
                         "valid latitude/longitude", field="points")
    return table


def _radii_m(radius_km, names: pd.Series) -> np.ndarray:
    if isinstance(radius_km, Mapping):
        missing = [n for n in names if n not in radius_km]
        if missing:
            raise InputError(f"no radius given for {missing[0]!r}", field="radius_km")
        radii = np.array([float(radius_km[n]) for n in names])
    elif isinstance(radius_km, Sequence | np.ndarray | pd.Series) and not isinstance(radius_km, str):
        radii = np.asarray(radius_km, dtype=float)
        if radii.shape != (len(names),):
            raise InputError(f"{len(radii)} radii for {len(names)} points", field="radius_km")
    else:
        radii = np.full(len(names), float(radius_km))
    if len(radii) and not (np.isfinite(radii).all() and (radii > 0).all()):
        raise InputError("radius must be a positive number of kilometres", field="radius_km")
    return radii * 1000.0


def area_km2(geoms: gpd.GeoSeries) -> np.ndarray:
    """Areas in km² from an equal-area projection."""
    return (geoms.to_crs(EQUAL_AREA).area / 1e6).to_numpy()


def buffer_zones(points, radius_km, *, dissolve: bool = True,
                 n_vertices: int = 128) -> gpd.GeoDataFrame:
    """Geodesic circles around points, merged where they overlap.

    Parameters
    ----------
    points : dict name -> (lat, lon) (or objects with ``.lat``/``.lon``) or GeoDataFrame of
        points (names from its ``name`` or ``location`` column).
    radius_km : one radius, one per point (sequence), or a mapping name -> radius.
    dissolve : merge overlapping circles into one zone whose ``name`` lists its members.

    Returns
    -------
    GeoDataFrame (EPSG:4326) with columns name, radius_km (largest member radius),
    n_points, area_km2 and geometry.
    """
    table = _point_table(points)
    radii = _radii_m(radius_km, table["name"])
    columns = ["name", "radius_km", "n_points", "area_km2", "geometry"]
    if table.empty:
        return gpd.GeoDataFrame(columns=columns, geometry="geometry", crs=WGS84)
    # identical centres and radii give identical circles: trace each once
    key = pd.DataFrame({"lat": table["lat"].round(7), "lon": table["lon"].round(7), "r": radii})
    first = ~key.duplicated()
    circles = np.empty(len(table), dtype=object)
    circles[first.to_numpy()] = geodesic_circles(key["lat"][first], key["lon"][first],
                                                 key["r"][first], n_vertices)
    if not first.all():
        idx = key.groupby(["lat", "lon", "r"], sort=False).ngroup().to_numpy()
        uniq = circles[first.to_numpy()]
        circles = uniq[idx]
    if not dissolve:
        gdf = gpd.GeoDataFrame({"name": table["name"], "radius_km": radii / 1000.0,
                                "n_points": 1}, geometry=list(circles), crs=WGS84)
    else:
        parts = shapely.get_parts(shapely.union_all(circles[first.to_numpy()]))
        centres = shapely.points(table["lon"].to_numpy(), table["lat"].to_numpy())
        point_i, part_i = shapely.STRtree(parts).query(centres, predicate="within")
        owner = np.full(len(table), -1)
        owner[point_i] = part_i
        if (owner < 0).any():  # numerically on an edge: fall back to the nearest part
            lost = np.flatnonzero(owner < 0)
            owner[lost] = shapely.STRtree(parts).nearest(centres[lost])
        # zones in the order of their first member point
        rank = pd.Series(owner).drop_duplicates().reset_index(drop=True)
        order = pd.Series(np.arange(len(rank)), index=rank.to_numpy())
        members = pd.DataFrame({"part": order[owner].to_numpy(), "name": table["name"],
                                "r": radii / 1000.0})
        grouped = members.groupby("part", sort=True)
        names = grouped["name"].agg(lambda s: "; ".join(dict.fromkeys(s)))
        gdf = gpd.GeoDataFrame({"name": names.to_numpy(),
                                "radius_km": grouped["r"].max().to_numpy(),
                                "n_points": grouped.size().to_numpy()},
                               geometry=list(parts[rank.to_numpy()]), crs=WGS84)
    gdf["area_km2"] = area_km2(gdf.geometry)
    return gdf[columns].reset_index(drop=True)


# --------------------------------------------------------------------------- border bands
@lru_cache(maxsize=16)
def _border_buffer(distance_m: float, high_resolution: bool) -> BaseGeometry:
    return line_buffer_m(shapely.union_all(ru_ua_border(high_resolution).geometry.values),
                         distance_m)


@lru_cache(maxsize=4)
def _territory(country: str, high_resolution: bool) -> BaseGeometry:
    """Land of one country near the border, from the same source as the border line."""
    if country == "RU":
        if high_resolution:  # OSM districts: same source as the OSM border line
            return shapely.union_all(boundaries.admin2().geometry.values)
        c = boundaries.countries()
        return shapely.union_all(c[c["iso_a2"] == "RU"].geometry.values)
    a1 = boundaries.admin1(high_resolution_ukraine=high_resolution)
    ua = shapely.union_all(a1[a1["adm0_a2"] == "UA"].geometry.values)
    if high_resolution:  # Minregion and OSM differ by up to ~700 m: never overlap the RU side
        ua = ua.difference(_territory("RU", True))
    return ua


def _norm(s) -> str:
    return " ".join(str(s).casefold().replace("’", "'").split())


def resolve_admin(name: str) -> BaseGeometry:
    """Polygon of an oblast or a Russian district (see ``geomap.regions.admin_polygon``)."""
    return admin_polygon(name, field="clip_to")


def _clip_geometry(clip_to) -> BaseGeometry | None:
    if clip_to is None:
        return None
    if isinstance(clip_to, str):
        return resolve_admin(clip_to)
    if isinstance(clip_to, gpd.GeoDataFrame | gpd.GeoSeries):
        gs = clip_to.geometry if isinstance(clip_to, gpd.GeoDataFrame) else clip_to
        if gs.crs is not None:
            gs = gs.to_crs(WGS84)
        return shapely.union_all(gs.values)
    if isinstance(clip_to, BaseGeometry):
        return clip_to
    raise InputError(f"clip_to must be an oblast name or a geometry, got {type(clip_to).__name__}",
                     field="clip_to")


def _country_code(value: str, field: str) -> str:
    code = _COUNTRY_ALIASES.get(_norm(value))
    if code is None:
        raise InputError(f"{value!r} is not RU or UA", field=field)
    return code


def border_zones(distances_km: Sequence[float] = (10, 30), inside: str = "RU",
                 border: str = "RU-UA", clip_to=None, *,
                 high_resolution: bool = True) -> gpd.GeoDataFrame:
    """Bands along the Russia–Ukraine border, inside one country.

    Parameters
    ----------
    distances_km : band edges, e.g. ``[10, 30]`` gives the rings 0–10 km and 10–30 km.
    inside : ``"RU"`` (band clipped to the union of the OSM Russian districts) or ``"UA"``
        (Minregion oblasts).
    border : only ``"RU-UA"`` is shipped.
    clip_to : optional oblast/district name (e.g. ``"Kursk Oblast"``) or geometry.
    high_resolution : use the OSM border line (recommended); ``False`` uses Natural Earth.

    Returns
    -------
    GeoDataFrame (EPSG:4326) with columns name, inner_km, outer_km, inside, border,
    area_km2, geometry; one row per ring.
    """
    if _norm(border) not in _BORDER_ALIASES:
        raise InputError(f"unknown border {border!r}; only 'RU-UA' is shipped", field="border")
    country = _country_code(inside, "inside")
    try:
        edges = sorted({float(d) for d in distances_km})
    except (TypeError, ValueError):
        raise InputError(f"distances must be numbers of km, got {distances_km!r}",
                         field="distances_km") from None
    if not edges or edges[0] <= 0 or not np.isfinite(edges).all():
        raise InputError("distances must be positive numbers of km", field="distances_km")
    territory = _territory(country, high_resolution)
    clip = _clip_geometry(clip_to)
    if clip is not None:
        territory = territory.intersection(clip)
    rows, previous, inner = [], None, 0.0
    for outer in edges:
        buf = _border_buffer(outer * 1000.0, high_resolution)
        ring = buf if previous is None else buf.difference(previous)
        geom = shapely.make_valid(ring.intersection(territory))
        geom = shapely.union_all([g for g in shapely.get_parts(geom)
                                  if g.geom_type in ("Polygon", "MultiPolygon")]) \
            if geom.geom_type == "GeometryCollection" else geom
        rows.append({"name": f"{_fmt(inner)}–{_fmt(outer)} km from the RU–UA border "
                             f"({'Russia' if country == 'RU' else 'Ukraine'})",
                     "inner_km": inner, "outer_km": outer, "inside": country,
                     "border": "RU-UA", "geometry": geom})
        previous, inner = buf, outer
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs=WGS84)
    gdf["area_km2"] = area_km2(gdf.geometry)
    return gdf[["name", "inner_km", "outer_km", "inside", "border", "area_km2", "geometry"]]


def _fmt(km: float) -> str:
    return f"{km:g}"


# --------------------------------------------------------------------------- export
def combine_zones(**frames: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    """Stack zone tables into one, with a ``kind`` column naming where each row came from."""
    parts = [f.assign(kind=kind) for kind, f in frames.items() if f is not None and len(f)]
    if not parts:
        return gpd.GeoDataFrame({"kind": [], "name": [], "area_km2": []}, geometry=[], crs=WGS84)
    gdf = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs=WGS84)
    front = ["kind", "name"]
    return gdf[front + [c for c in gdf.columns if c not in front]]


def zones_to_geojson(gdf: gpd.GeoDataFrame, precision: int = 6) -> dict:
    """RFC 7946 FeatureCollection: lon/lat, counter-clockwise exteriors, no ``crs`` member."""
    gs = gdf.geometry
    if gs.crs is not None and not gs.crs.equals(CRS(WGS84)):
        gs = gs.to_crs(WGS84)
    geoms = shapely.orient_polygons(
        shapely.transform(gs.values, lambda c: np.round(c, precision)), exterior_cw=False)
    props = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    features = []
    for rec, geom in zip(props.to_dict("records"), geoms, strict=True):
        clean = {k: v.item() if isinstance(v, np.generic) else v for k, v in rec.items()
                 if v is not None and not (isinstance(v, float) and not np.isfinite(v))}
        if "n_points" in clean:
            clean["n_points"] = int(clean["n_points"])
        if "area_km2" in clean and clean["area_km2"] is not None:
            clean["area_km2"] = round(float(clean["area_km2"]), 3)
        features.append({"type": "Feature", "properties": clean,
                         "geometry": None if geom is None or geom.is_empty
                         else shapely.geometry.mapping(geom)})
    return {"type": "FeatureCollection", "features": features}
