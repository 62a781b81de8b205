"""Admin regions by name or code: countries, oblasts, districts, hromadas and their polygons.

The ground floor every room that names a region uses: ``find_regions("admin1", "Sumy
region")`` (names in en/ru/uk, ISO 3166-2 codes, "X Oblast"/"X region" forms),
``region_name_to_iso("Россия")``, ``canonical_admin1("Kiev Special Republican city")``,
``admin_polygon("RU-KRS")``.  The polygons are the shipped ones (``geomap.boundaries``),
refined at the Russia–Ukraine border:

Near the border the Natural Earth polygons are 1–3 km off, so region polygons are
refined: Ukraine and its oblasts come from the Minregion layer, and the Russian border
oblasts (Bryansk, Kursk, Belgorod, Voronezh, Rostov) are the union of their OpenStreetMap
districts (``admin2``).  Russia and Belarus lose any part that the Minregion layer assigns
to Ukraine.  Hromada and raion areas are approximate (``ua_cod_areas``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rapidfuzz import process
from shapely.geometry.base import BaseGeometry

from geomap import boundaries
from geomap.errors import GeomapError, InputError
from geomap.gazetteer.normalize import core_name, loose_key, strict_key
from geomap.paths import gazetteer_dir

_NAME_COLUMNS = ("name_en", "name_ru", "name_uk", "name_local", "name_iso", "ne_name", "country")
_CODE_COLUMNS = ("iso_a2", "iso_a3", "iso_3166_2", "id", "adm0_a3", "code")
# Words that name the kind of unit, on top of geomap.gazetteer.normalize's list.
_EXTRA_TYPE_WORDS = {"special", "republican", "autonomous", "oblasti", "oblasty"}

@lru_cache(maxsize=None)
def region_layer(level: str) -> gpd.GeoDataFrame:
    """Boundary polygons for ``level`` in ("country", "admin1", "admin2"), refined at the border.

    Returns
    -------
    GeoDataFrame with the boundary attributes plus ``code`` (ISO code or district id).
    """
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
    return " ".join(w for w in core_name(name).split() if w not in _EXTRA_TYPE_WORDS)


@lru_cache(maxsize=None)
def _name_index(level: str) -> tuple[dict, dict, dict, dict]:
    """code/strict/core/loose key → row positions of ``region_layer(level)``."""
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


def country_code(value: str | None) -> str | None:
    """ISO alpha-2 for RU/UA/BY names in any language; other values pass through."""
    if not value:
        return None
    if len(value.strip()) == 2:
        return value.strip().upper()
    return region_name_to_iso(value) or value


def canonical_admin1(value: str | None) -> str | None:
    """'Kiev Special Republican city' → 'Kyiv'; names of RU/UA/BY units in any form."""
    if not value or not value.strip():
        return None
    try:
        rows = find_regions("admin1", value)
    except GeomapError:
        return value
    return rows["name_en"].iloc[0] if len(rows) == 1 else value


def _norm(s) -> str:
    return " ".join(str(s).casefold().replace("’", "'").split())


def admin_polygon(name: str, field: str = "clip_to") -> BaseGeometry:
    """Polygon of an oblast (name in en/ru/uk or ISO 3166-2 code) or a Russian district.

    Russian border oblasts are built from their OSM districts, so that they meet the OSM
    border line exactly; other units come from ``admin1`` (Minregion for Ukraine).
    """
    want = _norm(name)
    a2 = boundaries.admin2()
    hit = a2[a2["adm1_name_en"].map(_norm).eq(want) | a2["adm1_name_ru"].map(_norm).eq(want)
             | a2["adm1_iso"].map(_norm).eq(want)]
    if hit.empty:
        a1 = boundaries.admin1()
        cols = [c for c in ("name_en", "name_local", "name_ru", "name_uk", "iso_3166_2")
                if c in a1.columns]
        mask = np.zeros(len(a1), bool)
        for c in cols:
            mask |= a1[c].map(_norm).eq(want).to_numpy()
        hit = a1[mask]
    if hit.empty:
        hit = a2[a2["name_en"].map(_norm).eq(want) | a2["name_ru"].map(_norm).eq(want)
                 | a2["id"].map(_norm).eq(want)]
    if hit.empty:
        known = sorted(set(boundaries.admin1()["name_en"]) | set(a2["name_en"]))
        close = difflib.get_close_matches(str(name), known, n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise InputError(f"unknown oblast or district {name!r}{hint}", field=field)
    return shapely.union_all(hit.geometry.values)
