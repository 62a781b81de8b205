"""Embedded GeoPackage backend: one ``events`` point layer with an R-tree spatial index.

The file is created by GDAL (pyogrio), so any GIS opens it; rows are written with
``sqlite3`` in ``BEGIN IMMEDIATE`` transactions, which serialise concurrent writers
(other processes wait up to ``timeout`` seconds) and never leave a half-written batch.
GDAL's R-tree triggers call ``ST_IsEmpty``/``ST_MinX``/...; those SQL functions are
registered on every connection.  ``event_id`` has a UNIQUE index.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import struct
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from geomap.errors import GeomapError, InputError
from geomap.schema import BOOL_COLUMNS, DATE_COLUMNS, EVENT_COLUMNS, FLOAT_COLUMNS, INT_COLUMNS
from geomap.store.base import STORE_COLUMNS, StoreBackend, StoreRow, now_utc, rows_to_gdf

LAYER = "events"
GEOM = "geom"
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


# --------------------------------------------------------------------------- GPKG blobs
def point_blob(lon: float | None, lat: float | None, srs_id: int = 4326) -> bytes | None:
    """GeoPackage binary (``GP`` header, little-endian, no envelope) for a point."""
    if lon is None or lat is None:
        return None
    return b"GP\x00\x01" + struct.pack("<i", srs_id) + struct.pack("<BIdd", 1, 1, lon, lat)


def _wkb(blob: bytes) -> tuple[bytes, bool]:
    flags = blob[3]
    offset = 8 + _ENVELOPE_BYTES.get((flags >> 1) & 0x07, 0)
    return blob[offset:], bool(flags & 0x10)


def blobs_to_xy(blobs: Sequence[bytes | None]) -> tuple[np.ndarray, np.ndarray]:
    """Longitudes and latitudes of GeoPackage point blobs (NaN for NULL/empty)."""
    xs = np.full(len(blobs), np.nan)
    ys = np.full(len(blobs), np.nan)
    idx, wkbs = [], []
    for i, blob in enumerate(blobs):
        if blob is None:
            continue
        body, empty = _wkb(bytes(blob))
        if not empty:
            idx.append(i)
            wkbs.append(body)
    if idx:
        geoms = shapely.from_wkb(wkbs)
        pts = shapely.point_on_surface(geoms)
        xs[idx] = shapely.get_x(pts)
        ys[idx] = shapely.get_y(pts)
    return xs, ys


def _bounds(blob):
    if blob is None:
        return None
    body, empty = _wkb(bytes(blob))
    if empty:
        return None
    if body[0] == 1 and struct.unpack_from("<I", body, 1)[0] == 1:
        x, y = struct.unpack_from("<dd", body, 5)
        return (x, y, x, y)
    return shapely.from_wkb(body).bounds


def _register_functions(con: sqlite3.Connection) -> None:
    def is_empty(blob):
        if blob is None:
            return None
        return 1 if _wkb(bytes(blob))[1] else 0

    def bound(i):
        def fn(blob):
            b = _bounds(blob)
            return None if b is None else b[i]
        return fn

    con.create_function("ST_IsEmpty", 1, is_empty, deterministic=True)
    for name, i in (("ST_MinX", 0), ("ST_MinY", 1), ("ST_MaxX", 2), ("ST_MaxY", 3)):
        con.create_function(name, 1, bound(i), deterministic=True)


# --------------------------------------------------------------------------- schema
def _empty_layer() -> gpd.GeoDataFrame:
    cols = {}
    for c in EVENT_COLUMNS:
        if c in DATE_COLUMNS:  # GeoPackage DATE fields (written through Arrow's date32)
            cols[c] = pd.Series([], dtype=pd.ArrowDtype(pa.date32()))
        elif c in INT_COLUMNS:
            cols[c] = pd.Series([], dtype="Int64")
        elif c in FLOAT_COLUMNS:
            cols[c] = pd.Series([], dtype=float)
        elif c in BOOL_COLUMNS:
            cols[c] = pd.Series([], dtype=bool)
        else:
            cols[c] = pd.Series([], dtype=object)
    for c in STORE_COLUMNS:
        cols[c] = pd.Series([], dtype=object)
    return gpd.GeoDataFrame(cols, geometry=gpd.GeoSeries([], crs=4326), crs=4326)


def _create(path: Path) -> None:
    """Create the GeoPackage atomically: build it aside, then link it into place."""
    import pyogrio

    from geomap.io import GPKG_DATASET_OPTIONS, provenance, remove_stale_temps

    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError("store directory does not exist", path=str(path))
    remove_stale_temps(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp.gpkg",
                               dir=directory)
    os.close(fd)
    os.unlink(tmp)
    try:
        meta = provenance(pd.DataFrame({"event_id": []}), {"store": "geomap EventStore (GeoPackage)"})
        pyogrio.write_dataframe(_empty_layer().rename_geometry(GEOM), tmp, layer=LAYER,
                                driver="GPKG", geometry_type="Point",
                                layer_options={"SPATIAL_INDEX": "YES", "FID": "fid"},
                                dataset_options=GPKG_DATASET_OPTIONS, use_arrow=True,
                                dataset_metadata={k: str(v) for k, v in meta.items()})
        con = sqlite3.connect(tmp)
        with con:
            con.execute(f'CREATE UNIQUE INDEX "idx_{LAYER}_event_id" ON "{LAYER}"(event_id)')
            con.execute(f'CREATE INDEX "idx_{LAYER}_event_date" ON "{LAYER}"(event_date)')
        con.close()
        try:
            os.link(tmp, path)  # fails if another process created the store meanwhile
        except FileExistsError:
            pass
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


class GeoPackageBackend(StoreBackend):
    """Events in a GeoPackage file (created on first use unless ``create=False``)."""

    def __init__(self, path: str | os.PathLike = "events.gpkg", timeout: float = 120.0,
                 create: bool = True):
        self.path = Path(path)
        if self.path.is_dir():
            raise InputError("is a directory, not a GeoPackage store", path=str(self.path))
        if not self.path.exists():
            if not create:
                raise InputError("no such event store (create one with 'geomap ingest')",
                                 path=str(self.path))
            _create(self.path)
        self.con = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        _register_functions(self.con)
        self._check()

    def _check(self) -> None:
        try:
            cols = {r[1] for r in self.con.execute(f'PRAGMA table_info("{LAYER}")')}
        except sqlite3.DatabaseError as exc:
            raise InputError(f"not a GeoPackage/SQLite file: {exc}", path=str(self.path)) from exc
        missing = [c for c in ["event_id", GEOM, *STORE_COLUMNS] if c not in cols]
        if missing:
            raise InputError(f"not a geomap event store (layer {LAYER!r} lacks {', '.join(missing)})",
                             path=str(self.path))
        for c in EVENT_COLUMNS:  # a store made by an older geomap: add new schema columns
            if c not in cols:
                kind = "INTEGER" if c in INT_COLUMNS + BOOL_COLUMNS else (
                    "REAL" if c in FLOAT_COLUMNS else "TEXT")
                self.con.execute(f'ALTER TABLE "{LAYER}" ADD COLUMN "{c}" {kind}')

    # ----------------------------------------------------------------- writing
    def upsert_rows(self, rows: list[StoreRow]) -> tuple[int, int]:
        if not rows:
            return 0, 0
        stamp = now_utc()
        cols = EVENT_COLUMNS + ["extra", "record_hash"]
        con = self.con
        try:
            con.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise GeomapError(f"{self.path}: store is locked by another writer ({exc})") from exc
        try:
            existing: dict[str, str] = {}
            ids = [r.values["event_id"] for r in rows]
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                marks = ",".join("?" * len(chunk))
                existing.update(con.execute(
                    f'SELECT event_id, record_hash FROM "{LAYER}" WHERE event_id IN ({marks})',
                    chunk).fetchall())
            inserts, updates = [], []
            for r in rows:
                params = [_sql(r.values[c], c) for c in EVENT_COLUMNS] + [r.extra, r.record_hash]
                blob = point_blob(r.lon, r.lat)
                old = existing.get(r.values["event_id"])
                if old is None:
                    inserts.append([blob, *params, stamp, stamp])
                    existing[r.values["event_id"]] = r.record_hash
                elif old != r.record_hash:
                    updates.append([blob, *params, stamp, r.values["event_id"]])
                    existing[r.values["event_id"]] = r.record_hash
            names = ", ".join(f'"{c}"' for c in [GEOM, *cols, "first_seen", "last_seen"])
            marks = ", ".join("?" * (len(cols) + 3))
            con.executemany(f'INSERT INTO "{LAYER}" ({names}) VALUES ({marks})', inserts)
            sets = ", ".join(f'"{c}" = ?' for c in [GEOM, *cols, "last_seen"])
            con.executemany(f'UPDATE "{LAYER}" SET {sets} WHERE event_id = ?', updates)
            if inserts or updates:
                self._update_contents()
                self._update_metadata()
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return len(inserts), len(updates)

    def _update_contents(self) -> None:
        ext = self.con.execute(
            "SELECT min(minx), min(miny), max(maxx), max(maxy) FROM rtree_events_geom").fetchone()
        self.con.execute(
            "UPDATE gpkg_contents SET min_x=?, min_y=?, max_x=?, max_y=?, "
            "last_change=strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name=?", (*ext, LAYER))

    def _update_metadata(self) -> None:
        """Rewrite the dataset metadata (counts, sources, attribution, licences) to match
        the rows as they are now, in the writing transaction (GDAL reads it as dataset
        metadata: ``ogrinfo -so``, QGIS layer properties)."""
        from xml.sax.saxutils import escape

        from geomap.io import provenance

        frame = pd.DataFrame(self.con.execute(
            f'SELECT event_id, source FROM "{LAYER}"').fetchall(), columns=["event_id", "source"])
        meta = store_metadata(frame, provenance)
        items = "".join(f'    <MDI key="{escape(k)}">{escape(v)}</MDI>\n'
                        for k, v in sorted(meta.items()))
        xml = f"<GDALMultiDomainMetadata>\n  <Metadata>\n{items}  </Metadata>\n</GDALMultiDomainMetadata>\n"
        row = self.con.execute(
            "SELECT md_file_id FROM gpkg_metadata_reference WHERE reference_scope='geopackage'"
        ).fetchone()
        if row:
            self.con.execute("UPDATE gpkg_metadata SET metadata=? WHERE id=?", (xml, row[0]))
            self.con.execute("UPDATE gpkg_metadata_reference SET timestamp="
                             "strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE md_file_id=?", (row[0],))

    def delete(self, event_ids: Iterable[str]) -> int:
        ids = list(event_ids)
        if not ids:
            return 0
        self.con.execute("BEGIN IMMEDIATE")
        try:
            n = 0
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                cur = self.con.execute(
                    f'DELETE FROM "{LAYER}" WHERE event_id IN ({",".join("?" * len(chunk))})', chunk)
                n += cur.rowcount
            if n:
                self._update_metadata()
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return n

    # ----------------------------------------------------------------- reading
    def count(self) -> int:
        return self.con.execute(f'SELECT count(*) FROM "{LAYER}"').fetchone()[0]

    def query(self, bbox=None, date_from=None, date_to=None, event_ids=None) -> gpd.GeoDataFrame:
        where, params = [], []
        if bbox is not None:
            minx, miny, maxx, maxy = (float(v) for v in bbox)
            where.append(f"fid IN (SELECT id FROM rtree_{LAYER}_{GEOM} WHERE maxx >= ? AND "
                         "minx <= ? AND maxy >= ? AND miny <= ?)")
            params += [minx, maxx, miny, maxy]
        if date_from is not None:
            where.append("COALESCE(NULLIF(end_date, ''), event_date) >= ?")
            params.append(date_from)
        if date_to is not None:
            where.append("event_date <= ?")
            params.append(date_to)
        if event_ids is not None:
            ids = list(event_ids)
            if not ids:
                return rows_to_gdf([], [], [])
            where.append(f"event_id IN ({','.join('?' * len(ids))})")
            params += ids
        cols = ", ".join(f'"{c}"' for c in [*EVENT_COLUMNS, "extra", GEOM])
        sql = f'SELECT {cols} FROM "{LAYER}"'
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY event_date, event_id"
        cur = self.con.execute(sql, params)
        fetched = cur.fetchall()
        names = [*EVENT_COLUMNS, "extra"]
        records = [dict(zip(names, row[:-1], strict=True)) for row in fetched]
        xs, ys = blobs_to_xy([row[-1] for row in fetched])
        return rows_to_gdf(records, xs, ys)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.con.close()


LICENCES = {"ucdp": "CC BY 4.0 (UCDP GED)", "acled": "ACLED terms of use",
            "text": "geomap output from news reports: each row's source_url names its report"}


def store_metadata(frame: pd.DataFrame, provenance) -> dict[str, str]:
    """The store's dataset metadata for its current rows (``event_id``, ``source``)."""
    ids = frame["event_id"].astype(str)
    origin = np.where(ids.str.startswith("ucdp:"), "ucdp",
                      np.where(ids.str.startswith("acled:"), "acled", "text"))
    sources = pd.Series(origin).value_counts().sort_index()
    meta = provenance(frame, {"store": "geomap EventStore (GeoPackage)"})
    meta["sources"] = {k: int(v) for k, v in sources.items()}
    meta["licences"] = [LICENCES[k] for k in sources.index]
    return {k: (v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
            for k, v in meta.items()}


def _sql(v, column: str = ""):
    if isinstance(v, bool):
        return int(v)
    if column in DATE_COLUMNS and v == "":
        return None  # a GeoPackage DATE field holds NULL, not ''
    return v
