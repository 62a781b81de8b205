"""PostGIS backend: ``EventStore("postgresql://user@host:5432/db?table=events")``.

One table (default ``events``; choose another with ``?table=name`` or ``schema.name`` in
the DSN) keyed by ``event_id`` with the ``EVENT_COLUMNS``, a ``geometry(Point, 4326)``
column ``geom`` and the bookkeeping columns of ``geomap.store.base``.  Indexes: GiST on
``geom`` (bbox/region filters), GiST on ``geom::geography`` (``ST_DWithin`` in metres)
and a b-tree on ``event_date``.

Writes use ``psycopg`` 3: a batch is ``COPY``-ed into a temporary table and merged with
one ``INSERT ... ON CONFLICT (event_id) DO UPDATE ... WHERE record_hash changed``, in
``event_id`` order, so any number of processes can ingest at once: each event is
inserted exactly once, identical re-imports change nothing, and nothing is lost.

Every filter of ``geomap.spatial.filters.filter_events`` is executed in SQL by
``query``: regions (country/admin1/admin2 names resolved to the same refined polygons
``filter_events`` uses, tested with ``ST_Intersects``), ``polygon``, ``bbox`` (``&&``),
``within_km`` (geodesic ``ST_DWithin`` on ``geography``, metres), date overlap,
``event_type``, ``actor``, ``verification``, ``min_confidence``.  Case-insensitive
matches use the database's ``lower()``; create the database with a UTF-8 ``LC_CTYPE``
(e.g. ``C.UTF-8``) so Cyrillic names fold too.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterable, Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import geopandas as gpd
import numpy as np
import shapely

from geomap.errors import GeomapError, InputError
from geomap.places import centre_point
from geomap.schema import BOOL_COLUMNS, EVENT_COLUMNS, FLOAT_COLUMNS, INT_COLUMNS
from geomap.spatial.filters import _load_polygon, as_list, check_bbox, find_regions
from geomap.store.base import StoreBackend, StoreRow, rows_to_gdf
from geomap.values import parse_date

__all__ = ["PostGISBackend", "parse_dsn"]

DEFAULT_TABLE = "events"
_RETRIES = 5
FILTERS = frozenset({
    "bbox", "date_from", "date_to", "event_ids", "country", "admin1", "admin2", "polygon",
    "within_km", "actor", "event_type", "verification", "min_confidence",
})


def _sql_type(col: str) -> str:
    if col in INT_COLUMNS:
        return "bigint"
    if col in FLOAT_COLUMNS:
        return "double precision"
    if col in BOOL_COLUMNS:
        return "boolean NOT NULL DEFAULT false"
    return "text NOT NULL DEFAULT ''" if col != "event_id" else "text"


def parse_dsn(dsn: str) -> tuple[str, str | None, str]:
    """Split geomap's ``table`` option off a DSN: ``(libpq_dsn, schema, table)``.

    ``postgis://`` is accepted as an alias of ``postgresql://``.
    """
    text = str(dsn)
    if text.startswith("postgis://"):
        text = "postgresql://" + text[len("postgis://"):]
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - validates the port
    except ValueError as exc:
        raise InputError(f"not a valid PostgreSQL URL: {exc}", path=_redact_text(text),
                         field="store") from None
    query = parse_qsl(parts.query, keep_blank_values=True)
    table = DEFAULT_TABLE
    rest = []
    for k, v in query:
        if k == "table":
            table = v
        else:
            rest.append((k, v))
    schema, _, name = table.rpartition(".")
    if not name:
        raise InputError(f"empty table name in store DSN option table={table!r}", field="table")
    return urlunsplit(parts._replace(query=urlencode(rest))), schema or None, name


def _redact_text(dsn: str) -> str:
    """A DSN that may not even parse, with anything between ':' and '@' hidden."""
    return re.sub(r"(//[^/:@]*:)[^@/]*@", r"\1***@", dsn)


def _redact(dsn: str) -> str:
    parts = urlsplit(dsn)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return dsn


def _value(col: str, v, i: int):
    """A prepared row value in its column's SQL type (raises InputError naming row and field)."""
    if v is None:
        return False if col in BOOL_COLUMNS else (None if col in INT_COLUMNS + FLOAT_COLUMNS else "")
    try:
        if col in INT_COLUMNS:
            f = float(v)
            if not f.is_integer():
                raise ValueError(f"{v!r} is not a whole number")
            return int(f)
        if col in FLOAT_COLUMNS:
            return float(v)
        if col in BOOL_COLUMNS:
            return bool(v)
    except (TypeError, ValueError) as exc:
        raise InputError(f"row {i + 1}: bad {col} value {v!r} ({exc})", field=col) from exc
    return str(v)


@contextlib.contextmanager
def _db_errors(dsn: str):
    """Lost connections and server errors → GeomapError naming the (redacted) store."""
    import psycopg

    try:
        yield
    except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
        raise GeomapError(f"PostgreSQL store {_redact(dsn)}: {str(exc).strip()}") from exc


class PostGISBackend(StoreBackend):
    """Events in a PostGIS table (created on first use, concurrently safe).

    Parameters
    ----------
    dsn : ``postgresql://user:pass@host:port/db`` (libpq URL; ``?table=name`` picks the table).
    table : table name (overrides the DSN's ``table`` option); may be ``schema.name``.
    connect_timeout : seconds to wait for the server.
    """

    pushdown = FILTERS

    def __init__(self, dsn: str, table: str | None = None, connect_timeout: int = 10,
                 create: bool = True):
        import psycopg
        from psycopg import sql

        self.dsn, schema, name = parse_dsn(dsn)
        if table is not None:
            schema, _, name = table.rpartition(".")
            schema = schema or None
        self.schema, self.table = schema, name
        self._t = sql.Identifier(schema, name) if schema else sql.Identifier(name)
        try:
            self.con = psycopg.connect(self.dsn, autocommit=True, connect_timeout=connect_timeout)
        except psycopg.Error as exc:
            raise GeomapError(f"cannot connect to PostgreSQL at {_redact(self.dsn)}: "
                              f"{str(exc).strip()}") from exc
        try:
            self._ensure_schema(create)
        except BaseException:
            self.con.close()
            raise

    # ----------------------------------------------------------------- schema
    def _ident(self, suffix: str):
        from psycopg import sql

        return sql.Identifier(f"{self.table}_{suffix}"[:63])

    def _ensure_schema(self, create: bool = True) -> None:
        import psycopg
        from psycopg import sql

        full = f"{self.schema}.{self.table}" if self.schema else self.table
        with self.con.transaction():
            # serialise concurrent first uses (CREATE ... IF NOT EXISTS is not race-free)
            self.con.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"geomap.store:{full}"])
            if not self.con.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").fetchone():
                try:
                    with self.con.transaction():  # savepoint: a refusal leaves the outer one usable
                        self.con.execute("CREATE EXTENSION IF NOT EXISTS postgis")
                except psycopg.Error as exc:
                    raise GeomapError(
                        f"{_redact(self.dsn)}: the PostGIS extension is not installed in this "
                        f"database and cannot be created ({str(exc).strip()}); run "
                        "'CREATE EXTENSION postgis' as a superuser") from exc
            cols = self._columns()
            if not cols and not create:
                raise InputError(f"no event store here (table {full!r} does not exist); "
                                 "create it with 'geomap ingest'", path=_redact(self.dsn))
            if not cols:
                defs = [sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(_sql_type(c)))
                        for c in EVENT_COLUMNS]
                self.con.execute(sql.SQL(
                    "CREATE TABLE {t} ({defs}, geom geometry(Point, 4326), "
                    "extra text NOT NULL DEFAULT '', record_hash text NOT NULL, "
                    "first_seen timestamptz NOT NULL DEFAULT now(), "
                    "last_seen timestamptz NOT NULL DEFAULT now(), "
                    "CONSTRAINT {pk} PRIMARY KEY (event_id))").format(
                        t=self._t, defs=sql.SQL(", ").join(defs), pk=self._ident("pkey")))
                self.con.execute(sql.SQL("CREATE INDEX {} ON {} USING GIST (geom)").format(
                    self._ident("geom_gist"), self._t))
                self.con.execute(sql.SQL(
                    "CREATE INDEX {} ON {} USING GIST ((geom::geography))").format(
                        self._ident("geog_gist"), self._t))
                self.con.execute(sql.SQL("CREATE INDEX {} ON {} (event_date)").format(
                    self._ident("event_date"), self._t))
                return
            missing = [c for c in ("event_id", "geom", "extra", "record_hash") if c not in cols]
            if missing:
                raise InputError(f"table {full!r} is not a geomap event store (lacks "
                                 f"{', '.join(missing)})", path=_redact(self.dsn))
            for c in EVENT_COLUMNS:  # a store made by an older geomap: add new schema columns
                if c not in cols:
                    self.con.execute(sql.SQL("ALTER TABLE {} ADD COLUMN {} {}").format(
                        self._t, sql.Identifier(c), sql.SQL(_sql_type(c))))

    def _columns(self) -> set[str]:
        rows = self.con.execute(
            "SELECT a.attname FROM pg_attribute a WHERE a.attrelid = to_regclass(%s) "
            "AND a.attnum > 0 AND NOT a.attisdropped",
            [self._t.as_string(self.con)]).fetchall()
        return {r[0] for r in rows}

    # ----------------------------------------------------------------- writing
    def upsert_rows(self, rows: list[StoreRow]) -> tuple[int, int]:
        import psycopg

        latest = {r.values["event_id"]: r for r in rows}  # ON CONFLICT cannot hit a row twice
        batch = [latest[k] for k in sorted(latest)]  # one lock order for every writer
        if not batch:
            return 0, 0
        table_rows = [
            [_value(c, r.values.get(c), i) for c in EVENT_COLUMNS]
            + [r.extra or "", r.record_hash, r.lon, r.lat]
            for i, r in enumerate(batch)
        ]
        for attempt in range(_RETRIES):
            try:
                with _db_errors(self.dsn):
                    return self._merge(table_rows)
            except (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure):
                if attempt == _RETRIES - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
            except psycopg.errors.DataError as exc:
                raise InputError(f"value rejected by PostgreSQL: {str(exc).strip()}") from exc
        raise AssertionError("unreachable")

    def _merge(self, table_rows: list[list]) -> tuple[int, int]:
        from psycopg import sql

        names = [*EVENT_COLUMNS, "extra", "record_hash"]
        stage_defs = [sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(
            "bigint" if c in INT_COLUMNS else "double precision" if c in FLOAT_COLUMNS
            else "boolean" if c in BOOL_COLUMNS else "text")) for c in names]
        stage = sql.Identifier("_geomap_stage")
        cols = sql.SQL(", ").join(sql.Identifier(c) for c in names)
        updates = sql.SQL(", ").join(
            sql.SQL("{c} = EXCLUDED.{c}").format(c=sql.Identifier(c))
            for c in [*names, "geom", "last_seen"] if c != "event_id")
        with self.con.transaction(), self.con.cursor() as cur:
            cur.execute(sql.SQL(
                "CREATE TEMP TABLE {s} ({defs}, lon double precision, lat double precision) "
                "ON COMMIT DROP").format(s=stage, defs=sql.SQL(", ").join(stage_defs)))
            copy_sql = sql.SQL("COPY {s} ({cols}, lon, lat) FROM STDIN").format(s=stage, cols=cols)
            with cur.copy(copy_sql) as copy:
                for row in table_rows:
                    copy.write_row(row)
            cur.execute(sql.SQL(
                "INSERT INTO {t} AS cur ({cols}, geom, first_seen, last_seen) "
                "SELECT {cols}, CASE WHEN lon IS NULL OR lat IS NULL THEN NULL "
                "ELSE ST_SetSRID(ST_MakePoint(lon, lat), 4326) END, now(), now() "
                "FROM {s} ORDER BY event_id "
                "ON CONFLICT (event_id) DO UPDATE SET {updates} "
                "WHERE cur.record_hash IS DISTINCT FROM EXCLUDED.record_hash "
                "RETURNING (xmax = 0)").format(t=self._t, cols=cols, s=stage, updates=updates))
            flags = [r[0] for r in cur.fetchall()]
        inserted = sum(1 for f in flags if f)
        return inserted, len(flags) - inserted

    def delete(self, event_ids: Iterable[str]) -> int:
        from psycopg import sql

        ids = [str(i) for i in event_ids]
        if not ids:
            return 0
        with _db_errors(self.dsn), self.con.transaction():
            cur = self.con.execute(sql.SQL("DELETE FROM {} WHERE event_id = ANY(%s)").format(self._t),
                                   [ids])
            return cur.rowcount

    # ----------------------------------------------------------------- reading
    def count(self) -> int:
        from psycopg import sql

        with _db_errors(self.dsn):
            return self.con.execute(sql.SQL("SELECT count(*) FROM {}").format(self._t)).fetchone()[0]

    def query(self, bbox: Sequence[float] | None = None, date_from=None, date_to=None,
              event_ids: Sequence[str] | None = None, country=None, admin1=None, admin2=None,
              polygon=None, within_km=None, actor=None, event_type=None, verification=None,
              min_confidence: float | None = None) -> gpd.GeoDataFrame:
        """Stored events passing every given filter, all evaluated in SQL.

        Keywords and semantics are those of ``geomap.spatial.filters.filter_events``
        (plus ``event_ids``); rows come back ordered by ``event_date, event_id``.
        """
        from psycopg import sql

        where: list = []
        params: list = []
        regions = self._region_wkbs(country, admin1, admin2, polygon)
        for wkbs in regions:
            where.append(sql.SQL(
                "EXISTS (SELECT 1 FROM unnest(%s::bytea[]) AS r(wkb) "
                "WHERE ST_Intersects(e.geom, ST_GeomFromWKB(r.wkb, 4326)))"))
            params.append(wkbs)
        if bbox is not None:
            minx, miny, maxx, maxy = check_bbox(bbox)
            where.append(sql.SQL("e.geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326)"))
            params += [minx, miny, maxx, maxy]
        if within_km is not None:
            lat0, lon0, km = _check_within(within_km)
            where.append(sql.SQL("ST_DWithin(e.geom::geography, "
                                 "ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, %s)"))
            params += [lon0, lat0, km * 1000.0]
        start = sql.SQL(r"(CASE WHEN e.event_date ~ '^\d{4}-\d{2}-\d{2}' THEN e.event_date END)")
        end = sql.SQL(r"(CASE WHEN e.end_date ~ '^\d{4}-\d{2}-\d{2}' THEN e.end_date "
                      r"WHEN e.event_date ~ '^\d{4}-\d{2}-\d{2}' THEN e.event_date END)")
        if date_from is not None:
            where.append(sql.SQL("{} >= %s").format(end))
            params.append(_iso(date_from, "date_from"))
        if date_to is not None:
            where.append(sql.SQL("{} <= %s").format(start))
            params.append(_iso(date_to, "date_to"))
        if event_ids is not None:
            where.append(sql.SQL("e.event_id = ANY(%s)"))
            params.append([str(i) for i in event_ids])
        if actor is not None:
            wanted = [str(w).casefold().strip() for w in as_list(actor)]
            where.append(sql.SQL(
                "EXISTS (SELECT 1 FROM unnest(%s::text[]) AS w(s) WHERE "
                "strpos(lower(e.actor1), w.s) > 0 OR strpos(lower(e.actor2), w.s) > 0 "
                "OR strpos(lower(e.claimed_by), w.s) > 0)"))
            params.append(wanted)
        if event_type is not None:
            wanted = [str(w).casefold().strip() for w in as_list(event_type)]
            where.append(sql.SQL("(lower(e.event_type) = ANY(%s) OR lower(e.sub_event_type) = ANY(%s))"))
            params += [wanted, wanted]
        if verification is not None:
            where.append(sql.SQL("lower(e.verification) = ANY(%s)"))
            params.append([str(w).casefold().strip() for w in as_list(verification)])
        if min_confidence is not None:
            where.append(sql.SQL("e.confidence >= %s"))
            params.append(float(min_confidence))
        cols = sql.SQL(", ").join(sql.SQL("e.{}").format(sql.Identifier(c))
                                  for c in [*EVENT_COLUMNS, "extra"])
        q = sql.SQL("SELECT {cols}, ST_X(e.geom), ST_Y(e.geom) FROM {t} AS e").format(
            cols=cols, t=self._t)
        if where:
            q += sql.SQL(" WHERE ") + sql.SQL(" AND ").join(where)
        q += sql.SQL(" ORDER BY e.event_date, e.event_id")
        with _db_errors(self.dsn):
            fetched = self.con.execute(q, params).fetchall()
        names = [*EVENT_COLUMNS, "extra"]
        records = [dict(zip(names, row[:-2], strict=True)) for row in fetched]
        return rows_to_gdf(records, [r[-2] for r in fetched], [r[-1] for r in fetched])

    def read(self, **filters) -> gpd.GeoDataFrame:
        """``query`` with ``filter_events`` keyword names (unknown keywords raise TypeError)."""
        return self.query(**{k: v for k, v in filters.items() if v is not None})

    @staticmethod
    def _region_wkbs(country, admin1, admin2, polygon) -> list[list[bytes]]:
        """One list of polygon WKBs per region filter (a row must intersect one of each)."""
        out = []
        for level, value in (("country", country), ("admin1", admin1), ("admin2", admin2)):
            names = as_list(value)
            if names:
                shapes = find_regions(level, names, field=level)
                out.append(_wkbs(shapes.to_crs(4326) if shapes.crs else shapes))
        if polygon is not None:
            out.append(_wkbs(_load_polygon(polygon)))
        return out

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.con.close()

    def __repr__(self) -> str:
        return f"PostGISBackend({_redact(self.dsn)!r}, table={self.table!r})"


def _wkbs(shapes: gpd.GeoDataFrame) -> list[bytes]:
    geoms = shapes.geometry.values
    geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    return [bytes(b) for b in shapely.to_wkb(np.asarray(geoms), hex=False)]


def _check_within(within_km) -> tuple[float, float, float]:
    try:
        place, km = within_km
        km = float(km)
    except (TypeError, ValueError) as exc:
        raise InputError(f"within_km must be (place, km), got {within_km!r}",
                         field="within_km") from exc
    if not np.isfinite(km) or km < 0:
        raise InputError("within_km distance must be >= 0", field="within_km")
    lat0, lon0 = centre_point(place, field="within_km")
    return lat0, lon0, km


def _iso(value, field: str) -> str:
    iso = parse_date(value)
    if iso is None:
        raise InputError(f"cannot parse date {value!r}", field=field)
    return iso
