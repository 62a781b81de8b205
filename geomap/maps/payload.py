"""Compact, JSON-safe data for the map runtime (``static/geomap.js``).

Events become columns (coordinates, type index, radius, day numbers) plus one shared
string table, so that 100k events stay a few MB and the browser builds popups lazily.
"""

from __future__ import annotations

import json
import math
from urllib.parse import urlsplit

import geopandas as gpd
import numpy as np
import pandas as pd

TYPE_COLORS = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Strategic developments": "#1f77b4",
    "Protests": "#2ca02c",
    "Riots": "#8c564b",
}
OTHER_COLOR = "#7f7f7f"
TEXT_FIELDS = [
    "event_id", "location", "admin2", "admin1", "country", "sub_event_type", "actor1", "actor2",
    "claimed_by", "verification", "source", "source_url", "published", "notes", "alternatives",
]
INT_FIELDS = [
    "killed", "wounded", "killed_or_wounded", "missing", "captured",
    "fatalities_low", "fatalities_best", "fatalities_high", "geo_precision", "date_precision",
]
CASUALTY_FIELDS = ["killed", "wounded", "killed_or_wounded", "missing", "captured"]
_EPOCH = pd.Timestamp("1970-01-01")


def safe_url(value) -> str:
    """``value`` if it is an absolute http(s) URL without spaces or quotes, else ``""``."""
    if not isinstance(value, str):
        return ""
    value = value.strip()
    if not value or any(c in value for c in " \t\r\n\"'<>`\\") or any(ord(c) < 32 for c in value):
        return ""
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    return value if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def to_json(obj) -> str:
    """JSON that can sit inside a ``<script>`` element (no ``</script>``, no U+2028)."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def event_coordinates(gdf: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude arrays (NaN where missing) from geometry or lat/lon columns."""
    n = len(gdf)
    lat = np.full(n, np.nan)
    lon = np.full(n, np.nan)
    if isinstance(gdf, gpd.GeoDataFrame) and gdf.geometry.name in gdf.columns:
        gs = gdf.geometry
        if gs.crs is not None and gs.crs.to_epsg() != 4326:
            gs = gs.to_crs(4326)
        pts = gs.notna().to_numpy() & ~gs.is_empty.to_numpy() & (gs.geom_type == "Point").to_numpy()
        lon[pts] = gs[pts].x.to_numpy()
        lat[pts] = gs[pts].y.to_numpy()
    for col, arr in (("latitude", lat), ("longitude", lon)):
        if col in gdf.columns:
            vals = pd.to_numeric(gdf[col], errors="coerce").to_numpy(dtype=float)
            fill = np.isnan(arr)
            arr[fill] = vals[fill]
    bad = ~(np.abs(lat) <= 90) | ~(np.abs(lon) <= 180)
    lat[bad] = np.nan
    lon[bad] = np.nan
    return lat, lon


def _days(series: pd.Series) -> np.ndarray:
    dt = pd.to_datetime(series.astype("string").str.slice(0, 10), errors="coerce", format="%Y-%m-%d")
    return ((dt - _EPOCH).dt.days).to_numpy(dtype=float)


def _col(df: pd.DataFrame, name: str) -> pd.Series:
    return df[name] if name in df.columns else pd.Series([None] * len(df), index=df.index)


def _text(series: pd.Series) -> pd.Series:
    def fmt(v) -> str:
        if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
            return ""
        if isinstance(v, list | tuple | np.ndarray):
            return "; ".join(_alt_text(x) for x in v)
        if isinstance(v, dict):
            return _alt_text(v)
        return str(v)

    return _map_unique(series, fmt)


def _map_unique(series: pd.Series, fn) -> pd.Series:
    """``series.map(fn)`` evaluated once per distinct value (news tables repeat a lot)."""
    try:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
    except TypeError:  # unhashable cells (lists of alternatives)
        return series.map(fn)
    mapped = np.array([fn(u) for u in uniques] + [fn(None)], dtype=object)
    return pd.Series(mapped[codes], index=series.index)


def _alt_text(v) -> str:
    if isinstance(v, dict):
        name = v.get("name") or v.get("location") or ""
        lat, lon = v.get("lat", v.get("latitude")), v.get("lon", v.get("longitude"))
        extra = f" ({lat:.4f}, {lon:.4f})" if isinstance(lat, int | float) and isinstance(lon, int | float) else ""
        score = v.get("score")
        return f"{name}{extra}" + (f" score {score:.2f}" if isinstance(score, int | float) else "")
    return str(v)


def _nullable(values: np.ndarray, digits: int | None = None) -> list:
    out = []
    for v in values.tolist():
        if v is None or (isinstance(v, float) and math.isnan(v)):
            out.append(None)
        elif digits is None:
            out.append(int(v))
        else:
            out.append(round(float(v), digits))
    return out


def casualty_total(df: pd.DataFrame) -> np.ndarray:
    """Reported casualties per event (sum of the counted categories, else best fatalities)."""
    parts = np.column_stack([pd.to_numeric(_col(df, c), errors="coerce").to_numpy(dtype=float)
                             for c in CASUALTY_FIELDS]) if len(df) else np.zeros((0, 1))
    total = np.nansum(parts, axis=1) if len(df) else np.zeros(0)
    counted = ~np.isnan(parts).all(axis=1) if len(df) else np.zeros(0, bool)
    best = pd.to_numeric(_col(df, "fatalities_best"), errors="coerce").to_numpy(dtype=float)
    return np.where(counted, total, np.nan_to_num(best, nan=0.0))


def events_payload(gdf: pd.DataFrame, *, cluster: bool, low_confidence: float,
                   heat: bool) -> tuple[dict, np.ndarray]:
    """Columns for the runtime and the boolean mask of rows that could be placed."""
    lat, lon = event_coordinates(gdf)
    ok = ~np.isnan(lat) & ~np.isnan(lon)
    df = gdf.loc[ok] if not ok.all() else gdf
    df = pd.DataFrame(df.drop(columns=[df.geometry.name]) if isinstance(df, gpd.GeoDataFrame) else df)
    n = len(df)
    types = _text(_col(df, "event_type")).replace("", "Other / unknown")
    type_names = list(TYPE_COLORS) + sorted(set(types) - set(TYPE_COLORS))
    type_index = {t: i for i, t in enumerate(type_names)}
    counts = types.value_counts()
    cas = casualty_total(df)
    radius = np.clip(np.round(4 + 2.2 * np.sqrt(cas)), 4, 24).astype(int)
    d0 = _days(_col(df, "event_date"))
    d1 = _days(_col(df, "end_date"))
    d1 = np.where(np.isnan(d1), d0, np.fmax(d1, d0))
    # one string table for every text column
    texts: dict[str, pd.Series] = {}
    for f in TEXT_FIELDS:
        if f in df.columns:
            s = _text(df[f])
            if f == "source_url":
                s = _map_unique(s, safe_url)
            if (s != "").any():
                texts[f] = s
    stacked = pd.concat([pd.Series([""])] + list(texts.values()), ignore_index=True)
    codes, uniques = pd.factorize(stacked, sort=False)
    text_cols, pos = {}, 1
    for f, s in texts.items():
        text_cols[f] = codes[pos:pos + len(s)].tolist()
        pos += len(s)
    nums = {}
    for f in INT_FIELDS:
        if f in df.columns:
            v = pd.to_numeric(df[f], errors="coerce").to_numpy(dtype=float)
            if not np.isnan(v).all():
                nums[f] = _nullable(v)
    if "confidence" in df.columns:
        v = pd.to_numeric(df["confidence"], errors="coerce").to_numpy(dtype=float)
        if not np.isnan(v).all():
            nums["confidence"] = _nullable(v, 2)
    if "needs_review" in df.columns:
        nr = df["needs_review"].map(lambda x: 1 if x is True or str(x).lower() in ("true", "1") else 0)
        nums["needs_review"] = nr.astype(int).tolist()
    valid_days = d0[~np.isnan(d0)]
    payload = {
        "n": n,
        "lat": np.round(lat[ok], 5).tolist(),
        "lon": np.round(lon[ok], 5).tolist(),
        "t": types.map(type_index).astype(int).tolist(),
        "r": radius.tolist(),
        "d0": _nullable(d0),
        "d1": _nullable(d1),
        "dmin": int(valid_days.min()) if len(valid_days) else None,
        "dmax": int(np.nanmax(d1)) if len(valid_days) else None,
        "types": [{"name": t, "color": TYPE_COLORS.get(t, OTHER_COLOR), "count": int(counts.get(t, 0))}
                  for t in type_names],
        "strings": [str(u) for u in uniques],
        "text": text_cols,
        "num": nums,
        "cluster": bool(cluster),
        "heat": bool(heat),
        "lowConfidence": float(low_confidence),
        "dropped": int((~ok).sum()),
    }
    return payload, ok


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def sources_summary(gdf: pd.DataFrame, limit: int = 3) -> tuple[list[list[str]], int]:
    """The most frequent sources as [name, url] pairs, and how many more there are."""
    if not len(gdf) or "source" not in gdf.columns:
        return [], 0
    src = _text(gdf["source"])
    url = _map_unique(_text(_col(gdf, "source_url")), safe_url)
    table = pd.DataFrame({"s": src, "u": url})
    table = table[table["s"] != ""]
    if table.empty:
        return [], 0
    # link a source only when all its rows cite the same article
    urls = table[table["u"] != ""].groupby("s")["u"].agg(lambda u: u.iloc[0] if u.nunique() == 1 else "")
    counts = table.groupby("s").size().sort_values(ascending=False, kind="stable")
    top = [[_short(s), str(urls.get(s, ""))] for s in counts.index[:limit]]
    return top, max(len(counts) - limit, 0)
