"""Filter event GeoDataFrames by region, shape, distance, date, actor, type and confidence.

Region names are matched leniently against the shipped boundaries (``name_en``,
``name_ru``, ``name_uk``, ``name_local``, ISO codes): "Kursk Oblast", "Kursk",
"Курская область", "RU-KRS" and "Sumy region" all work.  Point-in-polygon tests are
vectorised (``geopandas.sjoin``); distances are geodesic (``pyproj.Geod``, WGS84).

Near the Russia–Ukraine border the Natural Earth polygons are 1–3 km off, so region
polygons are refined: Ukraine and its oblasts come from the Minregion layer, and the
Russian border oblasts (Bryansk, Kursk, Belgorod, Voronezh, Rostov) are the union of
their OpenStreetMap districts (``admin2``).  Russia and Belarus lose any part that the
Minregion layer assigns to Ukraine.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geomap.errors import InputError

_NAME_COLUMNS = ("name_en", "name_ru", "name_uk", "name_local", "name_iso", "ne_name", "country")
_CODE_COLUMNS = ("iso_a2", "iso_a3", "iso_3166_2", "id", "adm0_a3", "code")
# Words that name the kind of unit, on top of geomap.gazetteer.normalize's list.
_EXTRA_TYPE_WORDS = {"special", "republican", "autonomous", "oblasti", "oblasty"}


# --------------------------------------------------------------------------- regions
@lru_cache(maxsize=None)
def region_layer(level: str) -> gpd.GeoDataFrame:
    """Boundary polygons for ``level`` in ("country", "admin1", "admin2"), refined at the border.

    Returns
    -------
    GeoDataFrame with the boundary attributes plus ``code`` (ISO code or district id).
    """
    from geomap import boundaries

    if level == "admin2":  # Russian border districts (OSM) + Ukrainian raions (OCHA areas)
        gdf = boundaries.admin2().copy()
        gdf["code"] = gdf["id"]
        gdf["country"] = "RU"
        raions = ua_cod_areas("raion")
        return gpd.GeoDataFrame(pd.concat([gdf, raions], ignore_index=True), crs=gdf.crs)
    if level == "hromada":
        return ua_cod_areas("hromada")
    adm1 = boundaries.admin1(high_resolution_ukraine=True).copy()
    adm2 = boundaries.admin2()
    ua = shapely.union_all(adm1.loc[adm1["adm0_a2"] == "UA", "geometry"].values)
    # Russian border oblasts: union of their OSM districts (same source as the border line).
    osm_oblasts = adm2.dissolve(by="adm1_iso")["geometry"]
    for iso, geom in osm_oblasts.items():
        adm1.loc[adm1["iso_3166_2"] == iso, "geometry"] = geom
    not_ua = adm1["adm0_a2"] != "UA"
    adm1.loc[not_ua, "geometry"] = shapely.difference(adm1.loc[not_ua, "geometry"].values, ua)
    if level == "admin1":
        adm1["code"] = adm1["iso_3166_2"]
        return adm1
    if level != "country":
        raise ValueError(f"unknown region level {level!r}")
    countries = boundaries.countries().copy()
    geoms = []
    for iso in countries["iso_a2"]:
        base = countries.loc[countries["iso_a2"] == iso, "geometry"].iloc[0]
        if iso == "UA":
            geoms.append(ua)
            continue
        own = adm1.loc[adm1["adm0_a2"] == iso, "geometry"].values
        geoms.append(shapely.union_all([shapely.difference(base, ua), *own]))
    countries["geometry"] = geoms
    countries["code"] = countries["iso_a2"]
    return countries


@lru_cache(maxsize=None)
def ua_cod_areas(level: str) -> gpd.GeoDataFrame:
    """Approximate areas of Ukraine's 1,469 hromadas (or 136 raions) from the OCHA COD.

    The shipped OCHA tables (gazetteer/ua_cod) give each unit's centroid, not its outline:
    each hromada is the Voronoi cell of its centroid inside its own oblast (Minregion
    polygons); a raion is the union of its hromadas. Edges between neighbouring units are
    therefore approximate (a few km); oblast and national borders are exact.
    """
    from geomap import boundaries
    from geomap.paths import gazetteer_dir

    table = pd.read_csv(gazetteer_dir() / "ua_cod" / "hromadas_ua.tsv", sep="\t", dtype=str)
    table = table.dropna(subset=["lat_centroid", "lon_centroid"])
    lon = table["lon_centroid"].astype(float).to_numpy()
    lat = table["lat_centroid"].astype(float).to_numpy()
    oblasts = boundaries.admin1(high_resolution_ukraine=True)
    oblasts = oblasts[oblasts["adm0_a2"] == "UA"]
    points = gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(lon, lat), crs=4326)
    cells = []
    for _, oblast in oblasts.iterrows():
        inside = points[points.within(oblast.geometry)]
        if inside.empty:
            continue
        voronoi = shapely.voronoi_polygons(shapely.multipoints(inside.geometry.values),
                                           extend_to=oblast.geometry)
        polys = gpd.GeoDataFrame(geometry=list(voronoi.geoms), crs=4326)
        owner = gpd.sjoin(inside, polys, how="inner", predicate="within")
        piece = gpd.GeoDataFrame(owner.drop(columns="geometry").reset_index(drop=True),
                                 geometry=polys.geometry.values[owner["index_right"].to_numpy()],
                                 crs=4326)
        piece["geometry"] = piece.geometry.intersection(oblast.geometry)
        cells.append(piece.drop(columns="index_right"))
    hromadas = gpd.GeoDataFrame(pd.concat(cells, ignore_index=True), crs=4326)
    hromadas["country"] = "UA"
    if level == "hromada":
        hromadas["code"] = hromadas["pcode"]
        return hromadas[["code", "name_en", "name_uk", "name_ru", "country", "geometry"]]
    raions = pd.read_csv(gazetteer_dir() / "ua_cod" / "raions_ua.tsv", sep="\t", dtype=str)
    shapes = hromadas.dissolve(by="parent_pcode")[["geometry"]]
    out = raions.merge(shapes, left_on="pcode", right_index=True, how="inner")
    out["code"], out["country"] = out["pcode"], "UA"
    return gpd.GeoDataFrame(out[["code", "name_en", "name_uk", "name_ru", "country", "geometry"]],
                            crs=4326)


def _core(name: str) -> str:
    from geomap.gazetteer.normalize import core_name

    return " ".join(w for w in core_name(name).split() if w not in _EXTRA_TYPE_WORDS)


@lru_cache(maxsize=None)
def _name_index(level: str) -> tuple[dict, dict, dict, dict]:
    """code/strict/core/loose key → row positions of ``region_layer(level)``."""
    from geomap.gazetteer.normalize import loose_key, strict_key

    layer = region_layer(level)
    codes: dict[str, set[int]] = {}
    strict: dict[str, set[int]] = {}
    core: dict[str, set[int]] = {}
    loose: dict[str, set[int]] = {}
    for pos, row in enumerate(layer.itertuples(index=False)):
        rowd = row._asdict()
        for col in _CODE_COLUMNS:
            val = rowd.get(col)
            if isinstance(val, str) and val:
                codes.setdefault(val.upper(), set()).add(pos)
        for col in _NAME_COLUMNS:
            if col == "country" and level != "country":
                continue
            val = rowd.get(col)
            if not isinstance(val, str) or not val:
                continue
            strict.setdefault(strict_key(val), set()).add(pos)
            c = _core(val)
            if c:
                core.setdefault(c, set()).add(pos)
                loose.setdefault(loose_key(c), set()).add(pos)
    return codes, strict, core, loose


def find_regions(level: str, names: str | Iterable[str], field: str | None = None) -> gpd.GeoDataFrame:
    """Rows of ``region_layer(level)`` named by ``names`` (lenient; see module doc).

    Raises
    ------
    InputError
        If a name matches no region (the message lists close names).
    """
    from geomap.gazetteer.normalize import loose_key, strict_key

    if isinstance(names, str):
        names = [names]
    layer = region_layer(level)
    codes, strict, core, loose = _name_index(level)
    hits: set[int] = set()
    for name in names:
        name = str(name).strip()
        found = (
            codes.get(name.upper())
            or strict.get(strict_key(name))
            or core.get(_core(name))
            or loose.get(loose_key(_core(name)) if _core(name) else "")
        )
        if not found:
            known = sorted(set(layer["name_en"].dropna()))
            from rapidfuzz import process

            close = [m[0] for m in process.extract(name, known, limit=3)]
            raise InputError(
                f"unknown {level} {name!r} (close: {', '.join(close)})", field=field or level
            )
        hits |= found
    return layer.iloc[sorted(hits)]


def region_name_to_iso(name: str) -> str | None:
    """ISO alpha-2 code of a country named in any language/ISO form, or None."""
    if not isinstance(name, str) or not name.strip():
        return None
    try:
        rows = find_regions("country", name)
    except InputError:
        return None
    return rows["iso_a2"].iloc[0] if len(rows) == 1 else None


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


def _resolve_point(place) -> tuple[float, float]:
    """(lat, lon) of a ``within_km`` centre given as a place name or a (lat, lon) pair."""
    if isinstance(place, str):
        text = place.strip()
        parts = [p.strip() for p in text.split(",")]
        if len(parts) == 2:
            try:
                place = (float(parts[0]), float(parts[1]))
            except ValueError:
                place = None
            if place is not None:
                return _resolve_point(place)
        from geomap.geoparse import resolve_name

        mention = resolve_name(text)
        if not mention.resolved or mention.place is None:
            raise InputError(
                f"cannot locate {text!r}: {mention.reason or 'not in the gazetteer'}",
                field="within_km",
            )
        return float(mention.place.lat), float(mention.place.lon)
    lat, lon = (float(v) for v in place)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        hint = " (are latitude and longitude swapped?)" if abs(lon) <= 90 else ""
        raise InputError(f"centre ({lat:g}, {lon:g}) is not a valid (lat, lon){hint}",
                         field="within_km")
    return lat, lon


def geodesic_km(lat0: float, lon0: float, lats, lons) -> np.ndarray:
    """Geodesic (WGS84) distances in km from one point to arrays of points; NaN stays NaN."""
    from pyproj import Geod

    lats = np.asarray(lats, dtype=float)
    lons = np.asarray(lons, dtype=float)
    out = np.full(lats.shape, np.nan)
    ok = np.isfinite(lats) & np.isfinite(lons)
    if ok.any():
        _, _, dist = Geod(ellps="WGS84").inv(
            np.full(ok.sum(), lon0), np.full(ok.sum(), lat0), lons[ok], lats[ok]
        )
        out[ok] = dist / 1000.0
    return out


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
    from geomap.values import parse_date

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
        lat0, lon0 = _resolve_point(place)
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
