"""One events table to or from a file: the format from the extension, every format's writer.

``write_events`` normalises the rows (``events_to_gdf``; nested values as JSON text),
adds provenance metadata and writes atomically as GeoJSON, GeoPackage, CSV or KML, in
geomap's layout or ACLED's/UCDP's; ``read_events`` reads any layout ``read_records`` knows.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geomap.errors import InputError
from geomap.io.csv import write_events_csv
from geomap.io.geojson import write_geojson
from geomap.io.gpkg import write_gpkg
from geomap.io.kml import write_kml
from geomap.io.provenance import provenance
from geomap.records.layouts import to_layout
from geomap.schema import DATE_COLUMNS, events_to_gdf, iso_dates

FORMATS = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".csv": "csv",
           ".kml": "kml"}


def _normalise(gdf) -> gpd.GeoDataFrame:
    gdf = events_to_gdf(gdf)
    nested = [c for c in gdf.columns if c != gdf.geometry.name and gdf[c].dtype == object
              and pd.api.types.infer_dtype(gdf[c], skipna=True) not in ("string", "empty")
              and gdf[c].map(lambda v: isinstance(v, (list, dict, tuple))).any()]
    if nested:  # e.g. lists of alternatives: JSON text in every format
        gdf = gdf.copy()
        for c in nested:
            gdf[c] = gdf[c].map(lambda v: json.dumps(v, ensure_ascii=False, default=str)
                                if isinstance(v, (list, dict, tuple)) else v)
    return gdf


def detect_format(path: str | os.PathLike, format: str | None = None) -> str:
    if format:
        fmt = format.lower().lstrip(".")
        fmt = {"json": "geojson", "geopackage": "gpkg"}.get(fmt, fmt)
        if fmt not in set(FORMATS.values()):
            raise InputError(f"unknown format {format!r}; use geojson, gpkg, csv or kml",
                             path=str(path), field="format")
        return fmt
    ext = Path(path).suffix.lower()
    if ext not in FORMATS:
        raise InputError(f"cannot tell the format from {ext or 'no extension'!r}; use .geojson, "
                         ".gpkg, .csv or .kml", path=str(path), field="format")
    return FORMATS[ext]


def write_events(gdf, path, format: str | None = None, metadata: dict | None = None,
                 csv_escape: bool = True, layout: str = "geomap") -> Path:
    """Write events atomically as GeoJSON (RFC 7946), GeoPackage, CSV or KML.

    Parameters
    ----------
    gdf : events GeoDataFrame (or anything ``events_to_gdf`` accepts).
    path : output file; the format comes from its extension unless ``format`` is given.
    metadata : extra provenance entries (merged into the generated metadata).
    csv_escape : in CSV, prefix text cells that start with ``= + - @``, TAB or CR with
        ``'`` so spreadsheets do not run them as formulas (turn off for pipelines).
    layout : "geomap" (EVENT_COLUMNS), or "acled" / "ucdp": their column names first,
        geomap's own columns after (``geomap.records.layouts.to_layout``; reads back as is).

    Returns
    -------
    Path of the written file.
    """
    fmt = detect_format(path, format)
    gdf = _normalise(gdf)
    meta = provenance(gdf, metadata)
    if fmt != "gpkg":  # text formats keep 'YYYY-MM-DD'; GeoPackage gets Date fields
        gdf = gdf.copy()
        for col in DATE_COLUMNS:
            if col in gdf:
                gdf[col] = iso_dates(gdf[col])
    if layout != "geomap":
        gdf = to_layout(gdf, layout)
        meta["layout"] = layout
    path = Path(path)
    if fmt == "geojson":
        write_geojson(gdf, str(path), meta)
    elif fmt == "gpkg":
        write_gpkg(gdf, str(path), meta)
    elif fmt == "csv":
        write_events_csv(gdf, str(path), csv_escape)
    else:
        write_kml(gdf, str(path), meta)
    return path


def read_events(path, format: str | None = None, strict: bool = True) -> gpd.GeoDataFrame:
    """Read an events file (any layout ``read_records`` knows) into an events GeoDataFrame.

    With ``strict`` any rejected row raises ``InputError`` naming its line; use
    ``geomap.records.read_records`` to get good rows plus a problem list instead.
    """
    # read_records sits above geomap.io (it reads through geomap.io.tables): imported on
    # call, so that importing geomap.io never waits for geomap.records (a cycle at load)
    from geomap.records.read import read_records

    if format:
        detect_format(path, format)
    result = read_records(path, geocode=False)
    if strict and result.errors:
        first = result.errors[0]
        more = f" (and {len(result.errors) - 1} more bad rows)" if len(result.errors) > 1 else ""
        raise InputError(first.reason + more, path=first.path, line=first.line, field=first.field)
    return result.records
