"""Shipped administrative boundaries (``data/boundaries``) as GeoDataFrames.

Countries and oblasts: Natural Earth 10m (public domain); high-resolution Ukrainian
oblasts: Minregion (CC BY-SA); Russian border districts and the high-resolution
Russia–Ukraine border: OpenStreetMap (ODbL).  See ``data/boundaries/SOURCES.md``.
"""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import pandas as pd

from geomap.paths import boundaries_dir

ATTRIBUTION = (
    "Boundaries: Natural Earth (public domain); © OpenStreetMap contributors (ODbL); "
    "© Мінрегіон (CC BY-SA)"
)


def _read(name: str) -> gpd.GeoDataFrame:
    return gpd.read_file(boundaries_dir() / f"{name}.geojson", engine="pyogrio")


@lru_cache(maxsize=None)
def countries() -> gpd.GeoDataFrame:
    """Russia, Ukraine, Belarus (columns iso_a2, name_en, name_ru, name_uk, …)."""
    return _read("countries")


@lru_cache(maxsize=None)
def admin1(high_resolution_ukraine: bool = True) -> gpd.GeoDataFrame:
    """Every first-level unit of RU, UA and BY (iso_3166_2, name_en, adm0_a2, …).

    With ``high_resolution_ukraine`` the Ukrainian oblasts come from the Minregion
    layer, which follows the real border to within ~100 m (Natural Earth: 1–3 km).
    """
    frames = [_read("admin1"), _read("admin1_russia_rest")]
    gdf = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)
    if high_resolution_ukraine:
        ua = _read("admin1_ua_minregion")
        gdf = gdf[gdf["adm0_a2"] != "UA"]
        gdf = gpd.GeoDataFrame(pd.concat([gdf, ua], ignore_index=True), crs=ua.crs)
    return gdf


@lru_cache(maxsize=None)
def admin2() -> gpd.GeoDataFrame:
    """Russian districts of the border oblasts (id, name_en, name_ru, adm1_name_en, …)."""
    return _read("admin2")


@lru_cache(maxsize=None)
def ru_ua_border(high_resolution: bool = True) -> gpd.GeoDataFrame:
    """The Russia–Ukraine land border; the OSM line by default (Natural Earth is ≤6 km off)."""
    return _read("ru_ua_border_osm" if high_resolution else "ru_ua_border")
