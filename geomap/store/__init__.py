"""Persistent event storage: ``EventStore("events.gpkg")`` (embedded GeoPackage by default).

>>> store = EventStore("events.gpkg")
>>> store.upsert(gdf)            # (inserted, updated); re-importing the same rows: (0, 0)
>>> store.read(admin1="Kursk Oblast", date_from="2024-08-01")

A ``postgresql://`` DSN selects the PostGIS backend (``geomap/store/postgis.py``); see
``geomap.store.base`` for the backend interface.
"""

from __future__ import annotations

import os

import geopandas as gpd

from geomap.errors import InputError
from geomap.spatial.filters import filter_events
from geomap.store.base import StoreBackend, prepare_rows
from geomap.values import parse_date

__all__ = ["EventStore", "StoreBackend", "open_backend"]

_PUSHDOWN_DATES = ("date_from", "date_to")


def open_backend(location: str | os.PathLike, create: bool = True) -> StoreBackend:
    """The backend for a store location: a ``postgresql://`` DSN or a GeoPackage path.

    With ``create=False`` a store that does not exist yet is an ``InputError`` (for
    commands that only read, so a typo is not an empty store).
    """
    text = os.fspath(location)
    if text.startswith(("postgresql://", "postgres://", "postgis://")):
        try:
            from geomap.store.postgis import PostGISBackend
        except ImportError as exc:
            raise InputError(f"PostGIS backend is not available: {exc}", path=text) from exc
        return PostGISBackend(text, create=create)
    if text.lower().endswith((".geojson", ".csv", ".kml", ".json")):
        raise InputError("a store must be a .gpkg file or a postgresql:// DSN", path=text)
    return _gpkg(text, create)


def _gpkg(path: str, create: bool = True) -> StoreBackend:
    from geomap.store.gpkg import GeoPackageBackend

    return GeoPackageBackend(path, create=create)


class EventStore:
    """Events kept by ``event_id``: idempotent upserts, filtered reads.

    Parameters
    ----------
    path : GeoPackage file (created on first use) or a ``postgresql://`` DSN.
    backend : an already opened ``StoreBackend`` (overrides ``path``).
    create : create the store if it does not exist (default); ``False`` makes a missing
        store an ``InputError`` (reading commands: a typo must not read as "0 events").
    """

    def __init__(self, path: str | os.PathLike = "events.gpkg", backend: StoreBackend | None = None,
                 create: bool = True):
        self.location = os.fspath(path)
        self.backend = backend or open_backend(path, create=create)

    def upsert(self, gdf) -> tuple[int, int]:
        """Insert new events and update changed ones; return ``(inserted, updated)``.

        Rows identical to the stored ones count as neither, so re-importing a file adds
        nothing.  Raises ``InputError`` if an ``event_id`` is empty.  Within one batch
        the last row of a repeated ``event_id`` wins.
        """
        rows = prepare_rows(gdf)
        for i, r in enumerate(rows):
            if not r.values["event_id"]:
                raise InputError(f"row {i + 1} has no event_id", field="event_id")
        latest = {r.values["event_id"]: r for r in rows}
        return self.backend.upsert_rows(list(latest.values()))

    def read(self, **filters) -> gpd.GeoDataFrame:
        """Stored events passing ``filters`` (the keywords of ``filter_events``, plus ``event_ids``).

        Bounding boxes and date ranges are pushed down to the backend (spatial/date
        indexes); the other filters run on the result with ``filter_events``.
        """
        push = {}
        if filters.get("bbox") is not None:
            push["bbox"] = filters["bbox"]
        for key in _PUSHDOWN_DATES:
            if filters.get(key) is not None:
                iso = parse_date(filters[key])
                if iso is None:
                    raise InputError(f"cannot parse date {filters[key]!r}", field=key)
                push[key] = iso
        if filters.get("event_ids") is not None:
            push["event_ids"] = list(filters.pop("event_ids"))
        extra = {k: v for k, v in filters.items()
                 if v is not None and k in self.backend.pushdown and k not in push}
        gdf = self.backend.query(**push, **extra)
        rest = {k: v for k, v in filters.items() if v is not None and k not in extra}
        return filter_events(gdf, **rest) if rest else gdf

    def delete(self, event_ids) -> int:
        return self.backend.delete(event_ids)

    def __len__(self) -> int:
        return self.backend.count()

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> EventStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"EventStore({self.location!r})"
