"""The storage-backend interface behind ``EventStore``, and helpers every backend shares.

A backend keeps one row per ``event_id`` with the ``EVENT_COLUMNS``, a WGS84 point, and
four bookkeeping columns: ``extra`` (JSON of any non-schema columns, so nothing is
lost), ``record_hash`` (SHA-1 of the row's content, to tell an update from a re-import),
``first_seen`` and ``last_seen`` (UTC ISO timestamps).

To add a backend (e.g. ``geomap/store/postgis.py``):

1. subclass ``StoreBackend`` and implement ``upsert_rows``, ``query``, ``count``,
   ``delete`` and ``close``;
2. make ``upsert_rows`` one transaction that inserts rows whose ``event_id`` is new,
   updates rows whose ``record_hash`` changed, leaves identical rows alone, and
   returns ``(inserted, updated)``;
3. register its URL schemes in ``geomap.store.open_backend`` (``postgresql://`` is
   already routed to ``geomap.store.postgis.PostGISBackend``).

``EventStore`` normalises input (``events_to_gdf``), computes hashes and does the
filtering that a backend does not push down.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import math
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geomap.schema import (  # noqa: F401 - EVENT_COLUMNS, STORE_COLUMNS re-exported
    BOOL_COLUMNS,
    DATE_COLUMNS,
    EVENT_COLUMNS,
    FLOAT_COLUMNS,
    INT_COLUMNS,
    STORE_COLUMNS,
    events_to_gdf,
    point_coords,
)
from geomap.values import jsonable


@dataclass
class StoreRow:
    """One event prepared for a backend: schema values, lon/lat, extras as JSON, hash."""

    values: dict
    lon: float | None
    lat: float | None
    extra: str
    record_hash: str


def prepare_rows(gdf) -> list[StoreRow]:
    """Normalise events and compute each row's content hash (schema + extras + point)."""
    gdf = events_to_gdf(gdf)
    extras = [c for c in gdf.columns if c not in EVENT_COLUMNS and c != gdf.geometry.name]
    xs, ys = point_coords(gdf)
    rows = []
    frame = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    for rec, x, y in zip(frame.to_dict("records"), xs, ys, strict=True):
        values = {c: jsonable(rec[c]) for c in EVENT_COLUMNS}
        for c in DATE_COLUMNS:  # an empty date is '' in every backend (and in the hash)
            if values[c] is None:
                values[c] = ""
        extra = {c: jsonable(rec[c]) for c in extras if jsonable(rec[c]) not in (None, "")}
        extra_json = json.dumps(extra, ensure_ascii=False, sort_keys=True) if extra else ""
        lon = None if not math.isfinite(x) else round(float(x), 9)
        lat = None if not math.isfinite(y) else round(float(y), 9)
        payload = json.dumps([values, lon, lat, extra_json], ensure_ascii=False, sort_keys=True,
                             default=str)
        rows.append(StoreRow(values, lon, lat, extra_json,
                             hashlib.sha1(payload.encode("utf-8")).hexdigest()))
    return rows


def rows_to_gdf(records: Sequence[dict], lons: Iterable, lats: Iterable) -> gpd.GeoDataFrame:
    """Backend rows (schema columns + ``extra`` JSON) → events GeoDataFrame."""
    frame = pd.DataFrame(list(records), columns=EVENT_COLUMNS + ["extra"])
    frame["longitude"] = pd.to_numeric(pd.Series(list(lons), dtype=object), errors="coerce").to_numpy()
    frame["latitude"] = pd.to_numeric(pd.Series(list(lats), dtype=object), errors="coerce").to_numpy()
    extras = [json.loads(e) if e else {} for e in frame.pop("extra")]
    extra_cols = sorted({k for e in extras for k in e})
    for col in extra_cols:
        frame[col] = [e.get(col) for e in extras]
    for col in BOOL_COLUMNS:
        frame[col] = frame[col].fillna(False).astype(bool)
    for col in FLOAT_COLUMNS + INT_COLUMNS:
        frame[col] = pd.to_numeric(frame[col], errors="coerce")
    return events_to_gdf(frame)


def now_utc() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


class StoreBackend(ABC):
    """Storage of event rows keyed by ``event_id`` (see the module docstring)."""

    #: filters the backend applies itself in ``query`` (the rest run in Python)
    pushdown: frozenset[str] = frozenset({"bbox", "date_from", "date_to", "event_ids"})

    @abstractmethod
    def upsert_rows(self, rows: list[StoreRow]) -> tuple[int, int]:
        """Insert new / update changed rows in one transaction; return (inserted, updated)."""

    @abstractmethod
    def query(self, bbox: Sequence[float] | None = None, date_from: str | None = None,
              date_to: str | None = None, event_ids: Sequence[str] | None = None) -> gpd.GeoDataFrame:
        """Rows within ``bbox`` (minlon, minlat, maxlon, maxlat) overlapping the ISO dates."""

    @abstractmethod
    def count(self) -> int:
        """Number of stored events."""

    @abstractmethod
    def delete(self, event_ids: Iterable[str]) -> int:
        """Delete events by id; return how many were deleted."""

    def close(self) -> None:  # noqa: B027 - optional for backends without resources
        """Release connections."""
