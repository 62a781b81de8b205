"""Geocode a table: resolve each row's place name with the gazetteer, using the row's context.

``geocode_table(table, location_column="village", admin1_column="oblast")`` adds
``latitude``, ``longitude``, ``geo_precision``, ``confidence``, ``place_id``,
``geonameid``, ``resolved_name``, ``resolved_country``, ``resolved_admin1``,
``resolved_admin2``, ``resolved``, ``needs_review`` and ``reason`` to every row and
lists the rows it could not resolve.  Identical (name, admin1, admin2, country) tuples
are resolved once.  GED-style names ("Kiev city", "Donetsk town", "Luhansk airport",
"outside Mariupol") are cleaned first; "near"/"outside"/"airport" make the result
``geo_precision`` 2 (near the place).
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass

import pandas as pd
from tqdm import tqdm

from geomap.errors import InputError
from geomap.io.tables import read_table
from geomap.places import Resolution, clean_location, district_hint, locate

__all__ = ["ADDED_COLUMNS", "GeocodeResult", "RowGeocoder", "geocode_table", "clean_location",
           "district_hint"]

ADDED_COLUMNS = [
    "latitude", "longitude", "geo_precision", "confidence", "place_id", "geonameid",
    "resolved_name", "resolved_country", "resolved_admin1", "resolved_admin2",
    "resolved", "needs_review", "reason",
]


class RowGeocoder:
    """``places.locate`` for table rows, cached by the (name, admin1, admin2, country) tuple."""

    def __init__(self, gazetteer=None):
        self.gazetteer = gazetteer
        self.cache: dict[tuple, Resolution] = {}
        self.calls = 0

    def resolve(self, name: str, admin1: str | None = None, admin2: str | None = None,
                country: str | None = None) -> Resolution:
        key = (" ".join(str(name).split()).casefold(), (admin1 or "").strip().casefold(),
               (admin2 or "").strip().casefold(), (country or "").strip().casefold())
        hit = self.cache.get(key)
        if hit is None:
            self.calls += 1
            hit = self.cache[key] = locate(name, country=country, admin1=admin1, admin2=admin2,
                                           gazetteer=self.gazetteer)
        return hit




@dataclass
class GeocodeResult:
    """The geocoded table, the rows not resolved, and how many lookups were made."""

    table: pd.DataFrame
    unresolved: pd.DataFrame
    lookups: int = 0
    path: str = ""

    def summary(self) -> str:
        n = len(self.table)
        bad = len(self.unresolved)
        review = int(self.table["needs_review"].sum()) if n else 0
        return (f"{self.path or 'table'}: {n} rows, {n - bad} resolved, {bad} unresolved, "
                f"{review} need review ({self.lookups} distinct lookups)")


def _load_table(source) -> tuple[pd.DataFrame, str]:
    if isinstance(source, pd.DataFrame):
        df = pd.DataFrame(source).copy()
        if "geometry" in df.columns:
            df = df.drop(columns="geometry")
        if "_line" not in df:
            df["_line"] = range(2, len(df) + 2)
        return df, ""

    path = os.fspath(source)
    if not os.path.exists(path):
        raise InputError("file not found", path=path)
    table = read_table(path)
    for p in table.problems:  # the CLI shows geomap's log records on stderr
        logging.getLogger("geomap.geocode").warning("%s", p)
    bad = [r["_line"] for r in table.rows if r["_nfields"] != len(table.columns)]
    if bad:
        raise InputError(f"row has the wrong number of fields (header has {len(table.columns)})",
                         path=path, line=bad[0])
    df = pd.DataFrame([{k: v for k, v in r.items() if k != "_nfields"} for r in table.rows],
                      columns=table.columns + ["_line"])
    return df, path


def _column(df: pd.DataFrame, name: str | None, what: str, path: str) -> str | None:
    if name is None:
        return None
    if name in df.columns:
        return name
    lower = {c.lower(): c for c in df.columns if c != "_line"}
    if name.lower() in lower:
        return lower[name.lower()]
    cols = ", ".join(c for c in df.columns if c != "_line")
    raise InputError(f"no {what} column {name!r}; columns: {cols}", path=path or None, line=1,
                     field=name)


def geocode_table(table, location_column: str, admin1_column: str | None = None,
                  country_column: str | None = None, admin2_column: str | None = None,
                  country: str | None = None, gazetteer=None,
                  progress: bool | None = None) -> GeocodeResult:
    """Resolve every row's place name with the gazetteer, using the row's own context.

    Parameters
    ----------
    table : DataFrame or path (CSV in any common encoding, XLSX, GeoJSON, GeoPackage).
    location_column : column with the place name ("village", "where_coordinates").
    admin1_column, admin2_column, country_column : columns giving each row's context.
    country : one country (name or ISO code) for every row without a country column.
    gazetteer : passed to ``resolve_name``.
    progress : show a tqdm bar (default: when stderr is a terminal).

    Returns
    -------
    GeocodeResult with ``table`` (input columns + ADDED_COLUMNS; input columns whose
    names clash get an ``_input`` suffix) and ``unresolved`` (those rows, with ``line``).
    """
    df, path = _load_table(table)
    loc = _column(df, location_column, "location", path)
    a1 = _column(df, admin1_column, "admin1", path)
    a2 = _column(df, admin2_column, "admin2", path)
    cc = _column(df, country_column, "country", path)

    def text(col):
        if col is None:
            return pd.Series([""] * len(df), index=df.index)
        return df[col].map(lambda v: "" if v is None or pd.isna(v) else str(v).strip())

    names, adm1, adm2 = text(loc), text(a1), text(a2)
    ctry = text(cc) if cc else pd.Series([country or ""] * len(df), index=df.index)
    keys = list(zip(names, adm1, adm2, ctry, strict=True))
    resolver = RowGeocoder(gazetteer=gazetteer)
    unique = list(dict.fromkeys(keys))
    show = sys.stderr.isatty() if progress is None else progress
    for key in tqdm(unique, desc="geocoding", unit="place", disable=not show, file=sys.stderr):
        resolver.resolve(key[0], admin1=key[1], admin2=key[2], country=key[3])
    results = [resolver.resolve(k[0], admin1=k[1], admin2=k[2], country=k[3]) for k in keys]

    out = df.drop(columns="_line").rename(
        columns={c: f"{c}_input" for c in ADDED_COLUMNS if c in df.columns})
    places = [r.place for r in results]
    added = pd.DataFrame({
        "latitude": [r.lat for r in results],
        "longitude": [r.lon for r in results],
        "geo_precision": pd.array([r.precision for r in results], dtype="Int64"),
        "confidence": [round(r.confidence, 3) if r.confidence is not None else None for r in results],
        "place_id": [str(p.id or "") if p else "" for p in places],
        "geonameid": [str(p.geonameid or "") if p else "" for p in places],
        "resolved_name": [p.name if p else "" for p in places],
        "resolved_country": [(p.country or "") if p else "" for p in places],
        "resolved_admin1": [(p.admin1 or "") if p else "" for p in places],
        "resolved_admin2": [(p.admin2 or "") if p else "" for p in places],
        "resolved": [r.resolved for r in results],
        "needs_review": [r.needs_review or not r.resolved for r in results],
        "reason": [r.reason for r in results],
    }, index=out.index)
    out = pd.concat([out, added], axis=1)
    bad = ~added["resolved"].to_numpy(dtype=bool)
    unresolved = out[bad].copy()
    unresolved.insert(0, "line", df["_line"].to_numpy()[bad])
    return GeocodeResult(out, unresolved, resolver.calls, path)
