"""CSV out: any table written atomically, text cells neutralised against formula injection.

``neutralise_formula`` prefixes a cell a spreadsheet would run (``= + - @``, TAB, CR)
with ``'`` the OWASP way and ``restore_formula`` undoes it exactly (for CSV files geomap
wrote and reads back).  CSV has no place for provenance metadata.
"""

from __future__ import annotations

import os
import re

import geopandas as gpd
import numpy as np
import pandas as pd

from geomap.io.atomic import atomic_open
from geomap.schema import point_coords

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_RE = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")


def _formula_like(text: str) -> bool:
    core = text.lstrip("'")
    return core[:1] in _FORMULA_START and not _NUMBER_RE.match(core)


def neutralise_formula(value):
    """A text cell a spreadsheet would run as a formula, prefixed with ``'`` (OWASP).

    Cells starting with ``= + - @``, TAB or CR are prefixed (and, so that
    ``restore_formula`` is exact, cells that already start with ``'`` before one of
    them); numbers (also ``-5`` written as text) and non-text values are unchanged.
    """
    if isinstance(value, str) and _formula_like(value):
        return "'" + value
    return value


def restore_formula(value):
    """The inverse of ``neutralise_formula`` (for CSV files geomap wrote)."""
    if isinstance(value, str) and value[:1] == "'" and _formula_like(value):
        return value[1:]
    return value


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells and column names cannot run as formulas."""
    out = df.copy()
    for col in out.columns:
        series = out[col]
        if not (series.dtype == object or pd.api.types.is_string_dtype(series)):
            continue
        try:
            first = series.str[:1]
        except AttributeError:  # no text in the column
            continue
        mask = first.isin(_FORMULA_START + ("'",)).to_numpy(dtype=bool, na_value=False)
        if mask.any():
            out[col] = series.where(~mask, series[mask].map(neutralise_formula))
    out.columns = [neutralise_formula(str(c)) for c in out.columns]
    return out


def write_csv(df: pd.DataFrame, path: str | os.PathLike, escape: bool = True) -> None:
    """Write any table as CSV atomically; ``escape`` neutralises formula cells."""
    if escape:
        df = neutralise_formulas(df)
    with atomic_open(path, "w", newline="") as fh:
        df.to_csv(fh, index=False)


def write_events_csv(gdf: gpd.GeoDataFrame, path: str, escape: bool = True) -> None:
    x, y = point_coords(gdf)
    df = pd.DataFrame(gdf.drop(columns=gdf.geometry.name)).copy()
    df["latitude"] = np.where(np.isfinite(y), y, df["latitude"])
    df["longitude"] = np.where(np.isfinite(x), x, df["longitude"])
    write_csv(df, path, escape)
