"""GeoJSON (RFC 7946) through GDAL: lon/lat, 7 decimals, provenance as ``metadata``."""

from __future__ import annotations

import json

import geopandas as gpd

from geomap.io.atomic import atomic_path


def write_geojson(gdf: gpd.GeoDataFrame, path: str, meta: dict) -> None:
    """RFC 7946 through GDAL (lon/lat, 7 decimals, no crs member); provenance as a
    top-level ``metadata`` foreign member."""
    import pyogrio

    options = {"RFC7946": "YES", "WRITE_NAME": "NO",
               "FOREIGN_MEMBERS_COLLECTION": json.dumps({"metadata": meta}, ensure_ascii=False)}
    with atomic_path(path) as tmp:
        pyogrio.write_dataframe(gdf, tmp, driver="GeoJSON", layer_options=options)
