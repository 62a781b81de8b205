"""The ground floor: the one event schema and the events GeoDataFrame.

``EventRecord`` (one event at one location) is shared by events extracted from text and
ingested records; its fields are ``EVENT_COLUMNS``, grouped by kind (``INT_COLUMNS``,
``FLOAT_COLUMNS``, ``BOOL_COLUMNS``, ``STR_COLUMNS``, ``DATE_COLUMNS``).
``events_to_gdf`` turns records, dicts or frames into the GeoDataFrame every later stage
takes (EVENT_COLUMNS + Point, EPSG:4326); ``points_from_latlon``/``point_coords`` go
between the latitude/longitude columns and the geometry.

Column names follow ACLED (event_date, event_type, sub_event_type, actor1, actor2,
admin1, admin2, location, latitude, longitude, geo_precision, notes, source) and UCDP
GED (fatalities low/best/high) where those exist.  See README "Event schema".
Nothing here imports another geomap module but ``errors`` and ``values``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geomap.errors import InputError
from geomap.values import is_blank, to_bool

VERIFICATION_STATES = (
    "claimed", "unverified", "denied", "confirmed_by_other_side", "independently_verified",
)

# ACLED event types and the sub-event types geomap assigns.
EVENT_TYPES = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Shelling/artillery/missile attack", "Air/drone strike", "Remote explosive/landmine/IED",
        "Grenade", "Suicide bomb", "Chemical weapon",
    ),
    "Violence against civilians": ("Attack", "Abduction/forced disappearance", "Sexual violence"),
    "Strategic developments": (
        "Change to group/activity", "Non-violent transfer of territory", "Headquarters or base established",
        "Looting/property destruction", "Disrupted weapons use", "Arrests", "Agreement", "Other",
    ),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
}


@dataclass
class EventRecord:
    """One event at one location (ACLED convention: one row per location and day range)."""

    event_id: str
    report_id: str = ""
    event_date: str = ""  # ISO date
    end_date: str = ""
    date_precision: int = 1  # 1 day, 2 week/range, 3 month (ACLED time_precision)
    event_type: str = ""
    sub_event_type: str = ""
    actor1: str = ""
    actor2: str = ""
    country: str = ""
    admin1: str = ""
    admin2: str = ""
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None  # 1 place, 2 near place / part of region, 3 region
    geonameid: str = ""
    killed: int | None = None
    wounded: int | None = None
    killed_or_wounded: int | None = None
    missing: int | None = None
    captured: int | None = None
    fatalities_low: int | None = None
    fatalities_best: int | None = None
    fatalities_high: int | None = None
    claimed_by: str = ""
    verification: str = ""
    source: str = ""
    source_url: str = ""
    published: str = ""
    notes: str = ""
    confidence: float | None = None
    needs_review: bool = False
    # ACLED / UCDP coding next to geomap's own (geomap.events.coding)
    casualties_text: str = ""  # "at least 30 killed or wounded": the numbers as written
    admin3: str = ""
    assoc_actor_1: str = ""
    assoc_actor_2: str = ""
    # ACLED actor types: extraction writes the numeric codes ("8", "78"; the two codes,
    # smaller first); an ingested ACLED file keeps its own values ("State forces", ...)
    inter1: str = ""
    inter2: str = ""
    interaction: str = ""
    civilian_targeting: str = ""  # "Civilian targeting" or ""
    disorder_type: str = ""  # Political violence | Demonstrations | Strategic developments
    iso: int | None = None  # ISO 3166-1 numeric country code
    type_of_violence: int | None = None  # UCDP: 1 state-based, 2 non-state, 3 one-sided

    def to_dict(self) -> dict:
        return asdict(self)


# Column order of every events table geomap writes: the fields of EventRecord.
EVENT_COLUMNS: list[str] = [f.name for f in fields(EventRecord)]

# Bookkeeping columns a store keeps next to EVENT_COLUMNS (never shown to readers):
# extra (JSON of the non-schema columns), record_hash, first_seen, last_seen.
STORE_COLUMNS: list[str] = ["extra", "record_hash", "first_seen", "last_seen"]

# column kinds: how each EVENT_COLUMNS column is typed in a GeoDataFrame
INT_COLUMNS = [
    "date_precision", "geo_precision", "killed", "wounded", "killed_or_wounded", "missing",
    "captured", "fatalities_low", "fatalities_best", "fatalities_high", "iso",
    "type_of_violence",
]
FLOAT_COLUMNS = ["latitude", "longitude", "confidence"]
BOOL_COLUMNS = ["needs_review"]
STR_COLUMNS = [c for c in EVENT_COLUMNS if c not in INT_COLUMNS + FLOAT_COLUMNS + BOOL_COLUMNS]
# parsed as ISO dates while reading; datetime64 (NaT when empty) in every GeoDataFrame
DATE_COLUMNS = ["event_date", "end_date"]


# --------------------------------------------------------------------------- gdf
def events_to_gdf(records) -> gpd.GeoDataFrame:
    """EventRecords, dicts or a DataFrame → GeoDataFrame (EVENT_COLUMNS + Point, EPSG:4326).

    Missing schema columns are added empty; extra columns are kept after the schema
    columns; rows without coordinates get an empty (None) geometry.  For a
    GeoDataFrame the ``latitude``/``longitude`` columns win where they hold numbers (so
    editing them moves the point); the geometry fills the rows where they are empty
    (non-point geometry: a representative point).
    """
    if isinstance(records, gpd.GeoDataFrame) and records.geometry.name in records:
        df = pd.DataFrame(records.drop(columns=records.geometry.name)).copy()
        geom = records.geometry
        if geom.crs is not None and geom.crs.to_epsg() != 4326:
            geom = geom.to_crs(4326)
        cur_lat, cur_lon = (pd.to_numeric(df[c], errors="coerce").to_numpy(dtype=float, copy=True)
                            if c in df else np.full(len(df), np.nan) for c in ("latitude", "longitude"))
        fill = (geom.notna() & ~geom.is_empty).to_numpy() & ~(np.isfinite(cur_lat) & np.isfinite(cur_lon))
        if fill.any():
            pts = geom[fill]
            if not (pts.geom_type == "Point").all():
                pts = pts.representative_point()
            cur_lat[fill] = pts.y.to_numpy()
            cur_lon[fill] = pts.x.to_numpy()
        df["latitude"], df["longitude"] = cur_lat, cur_lon
    elif isinstance(records, pd.DataFrame):
        df = pd.DataFrame(records).copy()
    else:
        rows = [r.to_dict() if isinstance(r, EventRecord) else dict(r) for r in records]
        df = pd.DataFrame(rows)
    if isinstance(records, pd.DataFrame) and len(df) and "event_id" not in df:
        raise InputError(
            "the table has no 'event_id' column; read ACLED/UCDP exports and other layouts "
            "with geomap.read_records (or rename the id column)", field="event_id")
    df = df.reset_index(drop=True)
    for col in EVENT_COLUMNS:
        if col not in df:
            df[col] = None
    for col in STR_COLUMNS:
        df[col] = as_dates(df[col], col) if col in DATE_COLUMNS else _as_text(df[col])
    for col in FLOAT_COLUMNS:
        df[col] = pd.to_numeric(df[col], errors="coerce").astype(float)
    for col in INT_COLUMNS:
        df[col] = pd.to_numeric(df[col], errors="coerce").round().astype("Int64")
    if df["needs_review"].dtype != bool:
        df["needs_review"] = df["needs_review"].map(
            lambda v: False if is_blank(v) else _safe_bool(v)).astype(bool)
    extra = [c for c in df.columns if c not in EVENT_COLUMNS and c != "geometry"]
    df = df[EVENT_COLUMNS + extra]
    return gpd.GeoDataFrame(df, geometry=points_from_latlon(df), crs=4326)


def as_dates(col: pd.Series, name: str = "event_date") -> pd.Series:
    """A date column as ``datetime64[ms]`` (NaT when empty); a value that is not a date
    is an error naming the column and row, never a silent NaT."""
    if pd.api.types.is_datetime64_any_dtype(col):
        if getattr(col.dt, "tz", None) is not None:
            col = col.dt.tz_convert("UTC").dt.tz_localize(None)
        return col.astype("datetime64[ms]")
    text = _as_text(col)
    dates = pd.to_datetime(text.where(text != "", None), errors="coerce", format="ISO8601")
    bad = dates.isna() & (text != "")
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"row {row + 1}: {text.iloc[row]!r} is not an ISO date (YYYY-MM-DD)",
                         field=name)
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_convert("UTC").dt.tz_localize(None)
    return dates.astype("datetime64[ms]")


def iso_dates(col: pd.Series) -> pd.Series:
    """datetime64 dates back to 'YYYY-MM-DD' text ('' for NaT), for text formats."""
    if not pd.api.types.is_datetime64_any_dtype(col):
        return col
    return col.dt.strftime("%Y-%m-%d").fillna("").astype(object)


def points_from_latlon(df: pd.DataFrame) -> gpd.GeoSeries:
    """Point geometries (EPSG:4326) from ``latitude``/``longitude``; None where either is empty."""
    lat = pd.to_numeric(df["latitude"], errors="coerce").to_numpy(dtype=float)
    lon = pd.to_numeric(df["longitude"], errors="coerce").to_numpy(dtype=float)
    ok = np.isfinite(lat) & np.isfinite(lon)
    geom = np.full(len(df), None, dtype=object)
    if ok.any():
        geom[ok] = shapely.points(lon[ok], lat[ok])
    return gpd.GeoSeries(geom, index=df.index, crs=4326)


def point_coords(gdf: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(lon, lat) arrays of the point geometries; NaN where a row has no point."""
    geom = gdf.geometry
    ok = (geom.notna() & ~geom.is_empty).to_numpy()
    x = np.full(len(gdf), np.nan)
    y = np.full(len(gdf), np.nan)
    if ok.any():
        x[ok] = geom[ok].x.to_numpy()
        y[ok] = geom[ok].y.to_numpy()
    return x, y


def _as_text(col: pd.Series) -> pd.Series:
    """Text column: blanks (None, NaN, whitespace) → "", other values → str (vectorised
    for the common all-strings case, which 1M-row exports hit)."""
    if pd.api.types.infer_dtype(col, skipna=False) == "string":
        try:  # pyarrow's string kernels run in C
            keep = (col.astype("string[pyarrow]").str.strip() != "").to_numpy(dtype=bool, na_value=False)
        except ImportError:
            keep = (col.astype(object).str.strip() != "").to_numpy(dtype=bool, na_value=False)
        return col.astype(object).where(keep, "")
    return col.map(lambda v: "" if is_blank(v) else str(v)).astype(object)


def _safe_bool(v) -> bool:
    try:
        return to_bool(v)
    except ValueError:
        return True
