"""Link events extracted from text with existing records (ACLED/UCDP/...) instead of counting twice.

``join_events(text_events, records)`` returns every row of both inputs (no source is
dropped) with four link columns:

``match_id``
    the ``event_id`` of the record a text event matches ("" if none);
``match_kind``
    ``duplicate_of`` — same event: date ranges overlap, within ``duplicate_km`` and the
    same event type where both are known; ``corroborates`` — a looser match within
    ``max_km`` and ``max_days`` with compatible actors and type; "" otherwise;
``match_km``
    geodesic distance (WGS84) between the two points, km;
``match_days``
    days between the two date ranges (0 if they overlap).

Records carrying a text event's own ``event_id`` are that same event (a store the text
events were ingested into) and are left out: an event never joins itself and every
``event_id`` appears once. Plus ``origin`` ("text" or "record") and, on record rows, ``corroborated_by`` (the text
event ids that matched it, ";"-separated).  Count distinct events with
``distinct_events(joined)`` (rows without a ``match_id``).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geomap.geodesy import distance_km
from geomap.schema import events_to_gdf

LINK_COLUMNS = ["match_id", "match_kind", "match_km", "match_days"]

# Actor name fragments → conflict side (first hit wins per actor).
_SIDES = [
    ("CIV", ("civilian",)),
    ("RU", ("russia", "dpr", "lpr", "donetsk people", "luhansk people", "lugansk people",
            "novorossiya", "wagner", "north korea", "dprk", "korean", "kadyrov", "chechen",
            "rosgvard", "separatist", "supporters of independence", "akhmat")),
    ("UA", ("ukrain", "afu", "zsu", "government of ukraine", "azov", "territorial defen",
            "maidan", "kyiv", "kiev", "sbu", "gur")),
]
_TYPE_GROUPS = {
    "battles": "violence", "explosions/remote violence": "violence",
    "violence against civilians": "violence", "protests": "demonstrations",
    "riots": "demonstrations", "strategic developments": "strategic",
}


def actor_sides(*actors: str) -> frozenset[str]:
    """Conflict sides ("UA", "RU", "CIV") named by actor strings; empty if unknown."""
    sides = set()
    for actor in actors:
        text = str(actor or "").casefold()
        if not text:
            continue
        for side, needles in _SIDES:
            if any(n in text for n in needles):
                sides.add(side)
                break
    return frozenset(sides)


def _type_key(value: str) -> str:
    return str(value or "").strip().casefold()


def _candidate_pairs(t: gpd.GeoDataFrame, r: gpd.GeoDataFrame, max_km: float) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (text, record) whose points may be within ``max_km`` (lat/lon window prefilter)."""
    t_ok = (t.geometry.notna() & ~t.geometry.is_empty).to_numpy()
    r_ok = (r.geometry.notna() & ~r.geometry.is_empty).to_numpy()
    if not t_ok.any() or not r_ok.any():
        return np.array([], dtype=int), np.array([], dtype=int)
    ti = np.flatnonzero(t_ok)
    x = t.geometry.x.to_numpy()[ti]
    y = t.geometry.y.to_numpy()[ti]
    # generous window: 1° latitude ≥ 110.5 km; longitude shrinks with cos(latitude)
    dlat = max_km / 110.5 * 1.05
    coslat = np.clip(np.cos(np.radians(np.minimum(np.abs(y) + dlat, 89.9))), 1e-3, None)
    dlon = np.minimum(max_km / (111.3 * coslat) * 1.05, 180)
    boxes = shapely.box(x - dlon, y - dlat, x + dlon, y + dlat)
    windows = gpd.GeoDataFrame({"ti": ti}, geometry=boxes, crs=4326)
    points = gpd.GeoDataFrame({"ri": np.flatnonzero(r_ok)}, geometry=r.geometry.values[r_ok], crs=4326)
    joined = gpd.sjoin(windows, points, how="inner", predicate="intersects")
    return joined["ti"].to_numpy(), joined["ri"].to_numpy()


def _interval(gdf: gpd.GeoDataFrame) -> tuple[pd.Series, pd.Series]:
    start = pd.to_datetime(gdf["event_date"].replace("", None), errors="coerce", format="ISO8601")
    end = pd.to_datetime(gdf["end_date"].replace("", None), errors="coerce", format="ISO8601")
    return start, end.fillna(start)


def join_events(text_events_gdf, records_gdf, max_km: float = 25, max_days: float = 3,
                duplicate_km: float = 5) -> gpd.GeoDataFrame:
    """Link text events to the closest compatible record; keep every row of both inputs.

    Parameters
    ----------
    text_events_gdf : events from text (anything ``events_to_gdf`` accepts).
    records_gdf : existing records (ACLED, UCDP GED, a store...).
    max_km : the largest geodesic distance between linked points.
    max_days : the largest gap in days between the two date ranges.
    duplicate_km : a match this close, on overlapping dates and of the same type, is
        ``duplicate_of`` rather than ``corroborates``.

    Returns
    -------
    GeoDataFrame: the text events (with link columns) followed by the records.
    """
    t = events_to_gdf(text_events_gdf)
    r = events_to_gdf(records_gdf)
    for col in LINK_COLUMNS + ["origin", "corroborated_by"]:
        for frame in (t, r):
            if col in frame:
                frame.drop(columns=col, inplace=True)
    # A record with a text event's own id is that event (e.g. a store the text events were
    # ingested into): it is not another source, so it neither matches nor repeats the id.
    own = set(t["event_id"]) - {""}
    r = r[~r["event_id"].isin(own)].reset_index(drop=True)
    ti, ri = _candidate_pairs(t, r, max_km)
    pairs = pd.DataFrame({"ti": ti, "ri": ri})
    if len(pairs):
        pairs["km"] = distance_km(t.geometry.y.to_numpy()[ti], t.geometry.x.to_numpy()[ti],
                                  r.geometry.y.to_numpy()[ri], r.geometry.x.to_numpy()[ri])
        pairs = pairs[pairs["km"] <= max_km]
    if len(pairs):
        ts, te = _interval(t)
        rs, re_ = _interval(r)
        a_s, a_e = ts.to_numpy()[pairs["ti"]], te.to_numpy()[pairs["ti"]]
        b_s, b_e = rs.to_numpy()[pairs["ri"]], re_.to_numpy()[pairs["ri"]]
        gap = np.maximum(a_s, b_s) - np.minimum(a_e, b_e)
        days = gap / np.timedelta64(1, "D")
        pairs["days"] = np.maximum(days, 0)
        pairs = pairs[np.isfinite(pairs["days"]) & (pairs["days"] <= max_days)]
    if len(pairs):
        t_sides = [actor_sides(a, b, c) for a, b, c in t[["actor1", "actor2", "claimed_by"]].itertuples(index=False)]
        r_sides = [actor_sides(a, b, c) for a, b, c in r[["actor1", "actor2", "claimed_by"]].itertuples(index=False)]
        t_type = t["event_type"].map(_type_key).to_numpy()
        r_type = r["event_type"].map(_type_key).to_numpy()
        ok, same_type = [], []
        for i, j in zip(pairs["ti"], pairs["ri"], strict=True):
            a, b = t_sides[i], r_sides[j]
            actors_ok = not a or not b or bool(a & b)
            ta, tb = t_type[i], r_type[j]
            types_ok = not ta or not tb or _TYPE_GROUPS.get(ta, ta) == _TYPE_GROUPS.get(tb, tb)
            ok.append(actors_ok and types_ok)
            same_type.append(not ta or not tb or ta == tb)
        pairs["same_type"] = same_type
        pairs = pairs[np.array(ok, dtype=bool)]
    t["match_id"], t["match_kind"] = "", ""
    t["match_km"], t["match_days"] = np.nan, np.nan
    r["corroborated_by"] = ""
    if len(pairs):
        pairs["score"] = (pairs["km"] / max_km + pairs["days"] / max(max_days, 1)
                          + np.where(pairs["same_type"], 0, 0.25))
        best = pairs.sort_values(["score", "km"]).drop_duplicates("ti")
        kind = np.where((best["km"] <= duplicate_km) & (best["days"] == 0) & best["same_type"],
                        "duplicate_of", "corroborates")
        rows = best["ti"].to_numpy()
        t.loc[t.index[rows], "match_id"] = r["event_id"].to_numpy()[best["ri"]]
        t.loc[t.index[rows], "match_kind"] = kind
        t.loc[t.index[rows], "match_km"] = best["km"].round(3).to_numpy()
        t.loc[t.index[rows], "match_days"] = best["days"].to_numpy()
        backlinks = (pd.DataFrame({"ri": best["ri"], "tid": t["event_id"].to_numpy()[rows]})
                     .groupby("ri")["tid"].agg(";".join))
        r.loc[r.index[backlinks.index.to_numpy()], "corroborated_by"] = backlinks.to_numpy()
    t["origin"], r["origin"] = "text", "record"
    t["corroborated_by"] = ""
    r["match_id"], r["match_kind"] = "", ""
    r["match_km"], r["match_days"] = np.nan, np.nan
    out = pd.concat([t, r], ignore_index=True)
    return events_to_gdf(gpd.GeoDataFrame(out, geometry="geometry", crs=4326))


def distinct_events(joined: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Rows of a ``join_events`` result that are not linked to another row (count these)."""
    return joined[joined["match_id"].fillna("") == ""].copy()
