"""Compact, JSON-safe data for the map runtime (``static/geomap.js``).

Events become columns (coordinates, type index, radius, day numbers) plus one shared
string table, so that 100k events stay a few MB and the browser builds popups lazily.
"""

from __future__ import annotations

import json
import math
import re
from urllib.parse import urlsplit

import geopandas as gpd
import numpy as np
import pandas as pd

from geomap.events.summary import casualty_summary

TYPE_COLORS = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Strategic developments": "#1f77b4",
    "Protests": "#2ca02c",
    "Riots": "#8c564b",
}
OTHER_COLOR = "#7f7f7f"
# colours for event types outside the ACLED six (ingested records with their own types)
EXTRA_COLORS = ["#17becf", "#bcbd22", "#e377c2", "#393b79", "#637939", "#8c6d31", "#843c39"]
LITE_EVENTS = 300_000  # above this many events: no per-event text or markers, density grid only
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


def type_colors(names: list[str]) -> dict[str, str]:
    """ACLED types keep their colours; other types get distinct ones (grey once they run out)."""
    extra = iter(EXTRA_COLORS)
    return {t: TYPE_COLORS.get(t) or (OTHER_COLOR if t == "Other / unknown" else next(extra, OTHER_COLOR))
            for t in names}


def casualty_texts(df: pd.DataFrame) -> pd.Series:
    """The popup's casualty line per row (qualifiers kept), computed once per distinct record."""
    cols = [c for c in CASUALTY_FIELDS + ["fatalities_low", "fatalities_best", "fatalities_high",
                                          "casualties_text", "notes", "claimed_by",
                                          "verification"] if c in df.columns]
    out = pd.Series([""] * len(df), index=df.index, dtype=object)
    counted = [c for c in cols if c in CASUALTY_FIELDS or c.startswith("fatalities")]
    if not counted:
        return out
    has = pd.DataFrame({c: pd.to_numeric(df[c], errors="coerce") for c in counted}).notna().any(axis=1)
    if not has.any():
        return out
    rows = df.loc[has, cols]
    key = rows.astype(object).where(rows.notna(), None).astype(str)
    groups = key.groupby(cols, sort=False, dropna=False).ngroup().to_numpy()
    first = pd.Series(np.arange(len(rows))).groupby(groups).first()
    texts = {g: casualty_summary(rows.iloc[i].to_dict()) for g, i in first.items()}
    out.loc[has] = [texts[g] for g in groups]
    return out


def events_payload(gdf: pd.DataFrame, *, cluster: bool, low_confidence: float,
                   heat: bool) -> tuple[dict, np.ndarray]:
    """Columns for the runtime and the boolean mask of rows that could be placed.

    Above ``LITE_EVENTS`` events the payload is "lite": coordinates, type, day, casualty
    total and precision only (the map shows the density grid, not markers or popups).
    """
    lat, lon = event_coordinates(gdf)
    ok = ~np.isnan(lat) & ~np.isnan(lon)
    df = gdf.loc[ok] if not ok.all() else gdf
    df = pd.DataFrame(df.drop(columns=[df.geometry.name]) if isinstance(df, gpd.GeoDataFrame) else df)
    n = len(df)
    lite = n > LITE_EVENTS
    types = _text(_col(df, "event_type")).replace("", "Other / unknown")
    type_names = list(TYPE_COLORS) + sorted(set(types) - set(TYPE_COLORS))
    colors = type_colors(type_names)
    type_index = {t: i for i, t in enumerate(type_names)}
    counts = types.value_counts()
    cas = casualty_total(df)
    radius = np.clip(np.round(4 + 2.2 * np.sqrt(cas)), 4, 24).astype(int)
    d0 = _days(_col(df, "event_date"))
    d1 = _days(_col(df, "end_date"))
    d1 = np.where(np.isnan(d1), d0, np.fmax(d1, d0))
    # one string table for every text column
    texts: dict[str, pd.Series] = {}
    for f in [] if lite else TEXT_FIELDS:
        if f in df.columns:
            s = _text(df[f])
            if f == "source_url":
                s = _map_unique(s, safe_url)
            if (s != "").any():
                texts[f] = s
    if not lite:
        ctext = casualty_texts(df)
        if (ctext != "").any():
            texts["casualties"] = ctext
    stacked = pd.concat([pd.Series([""])] + list(texts.values()), ignore_index=True)
    codes, uniques = pd.factorize(stacked, sort=False)
    text_cols, pos = {}, 1
    for f, s in texts.items():
        text_cols[f] = codes[pos:pos + len(s)].tolist()
        pos += len(s)
    nums = {}
    for f in ["geo_precision"] if lite else INT_FIELDS:
        if f in df.columns:
            v = pd.to_numeric(df[f], errors="coerce").to_numpy(dtype=float)
            if not np.isnan(v).all():
                nums[f] = _nullable(v)
    if "confidence" in df.columns and not lite:
        v = pd.to_numeric(df["confidence"], errors="coerce").to_numpy(dtype=float)
        if not np.isnan(v).all():
            nums["confidence"] = _nullable(v, 2)
    if "needs_review" in df.columns and not lite:
        nr = df["needs_review"].map(lambda x: 1 if x is True or str(x).lower() in ("true", "1") else 0)
        nums["needs_review"] = nr.astype(int).tolist()
    valid_days = d0[~np.isnan(d0)]
    digits = 4 if lite else 5  # 4 decimals: 11 m
    same_day = bool(np.array_equal(np.nan_to_num(d0, nan=-1), np.nan_to_num(d1, nan=-1)))
    payload = {
        "n": n,
        "lite": lite,
        "lat": np.round(lat[ok], digits).tolist(),
        "lon": np.round(lon[ok], digits).tolist(),
        "t": types.map(type_index).astype(int).tolist(),
        "r": [] if lite else radius.tolist(),
        "cas": np.round(cas).astype(int).tolist(),
        "d0": _nullable(d0),
        "d1": None if same_day else _nullable(d1),
        "dmin": int(valid_days.min()) if len(valid_days) else None,
        "dmax": int(np.nanmax(d1)) if len(valid_days) else None,
        "types": [{"name": t, "color": colors[t], "count": int(counts.get(t, 0))}
                  for t in type_names],
        "strings": [str(u) for u in uniques],
        "text": text_cols,
        "num": nums,
        "cluster": bool(cluster) and not lite,
        "heat": bool(heat) and not lite,
        "lowConfidence": float(low_confidence),
        "dropped": int((~ok).sum()),
    }
    return payload, ok


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


# UCDP GED's source_article: "Outlet,YYYY-MM-DD,Headline" entries joined by ";"
_GED_ARTICLE = re.compile(r'(?:^|;)\s*"?([^,;"]+?)\s*,\s*\d{4}-\d{2}-\d{2}\s*,')


def outlets(source: str) -> list[str]:
    """Outlet names in one ``source`` value (GED article lists → their outlets)."""
    source = source.strip()
    if not source:
        return []
    found = _GED_ARTICLE.findall(source)
    return list(dict.fromkeys(f.strip() for f in found)) if found else [source]


def sources_summary(gdf: pd.DataFrame, limit: int = 4) -> tuple[list[list], int]:
    """The most cited outlets as [name, url, events] and how many more outlets there are."""
    if not len(gdf) or "source" not in gdf.columns:
        return [], 0
    src = _text(gdf["source"])
    url = _map_unique(_text(_col(gdf, "source_url")), safe_url)
    names = {v: outlets(v) for v in pd.unique(src)}
    table = pd.DataFrame({"s": src.map(names), "u": url}).explode("s")
    table = table[table["s"].notna() & (table["s"] != "")]
    if table.empty:
        return [], 0
    # link an outlet only when all its rows cite the same article
    urls = table[table["u"] != ""].groupby("s")["u"].agg(lambda u: u.iloc[0] if u.nunique() == 1 else "")
    counts = table.groupby("s").size().sort_values(ascending=False, kind="stable")
    top = [[_short(s), str(urls.get(s, "")), int(c)] for s, c in counts.iloc[:limit].items()]
    return top, max(len(counts) - limit, 0)
