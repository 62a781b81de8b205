"""Merge real GeoNames dumps into the compiled index.

Accepted files (zipped or plain, recognised by name):

* geoname tables — country zips (``RU.zip``), ``allCountries.zip``/``.txt``,
  ``cities500/1000/5000/15000.zip``: 19 tab-separated columns;
* ``alternateNamesV2.zip``/``alternateNames.zip`` (or a country's ``RU.txt`` from the
  alternatenames folder when named ``alternateNames*``): adds names to known places;
* ``admin1CodesASCII.txt``, ``admin2Codes.txt``: admin code → name tables.

Everything is streamed line by line (allCountries has ~12M rows) inside one SQLite
transaction: a malformed or truncated file raises ``InputError`` naming the file and
line, the transaction is rolled back and the existing index stays as it was.
"""

from __future__ import annotations

import codecs
import json
import sqlite3
import time
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from geomap.errors import InputError
from geomap.gazetteer.harmonize import (
    HARMONISED_COUNTRIES,
    POINT_QUALITY,
    SAME_PLACE_KM,
    assign_admin_from_polygons,
)
from geomap.gazetteer.index import (
    STRICT,
    connect,
    delete_place,
    haversine_km,
    progress,
    row_to_place,
    write_lookup_tables,
    write_places,
)
from geomap.gazetteer.normalize import strict_key
from geomap.gazetteer.record import Place

GEONAME_COLUMNS = 19
_SKIP_LANGUAGES = {"link", "post", "iata", "icao", "faac", "fr_1793", "wkdt", "unlc", "tcid"}
_BATCH = 20_000


def detect_kind(path: Path, member: str | None = None) -> str:
    name = (member or path.name).lower()
    if name.startswith("admin1codes"):
        return "admin1"
    if name.startswith("admin2codes"):
        return "admin2"
    if name.startswith("alternatename"):
        return "alternate_names"
    if name.startswith(("readme", "iso-languagecodes", "featurecodes", "timezones")):
        return "skip"
    return "geonames"


MAX_LINE_CHARS = 1 << 20  # no GeoNames row is near 1 MiB; a longer "line" is not a dump
MAX_RATIO = 200  # GeoNames zips inflate ~4x; far beyond that is a zip bomb
_RATIO_FLOOR = 8 << 20  # small archives may inflate more (repetitive test data)
_CHUNK = 1 << 16
_READABLE_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate",
                     zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "lzma"}


def bounded_lines(stream, label: str, max_bytes: int | None = None) -> Iterator[str]:
    """UTF-8 lines of a binary stream, read in chunks (never a whole member or line).

    Raises ``InputError`` when a line exceeds ``MAX_LINE_CHARS`` or more than
    ``max_bytes`` come out (a zip bomb), so memory stays bounded whatever the input.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    pending, total, line_no = "", 0, 0
    while True:
        chunk = stream.read(_CHUNK)
        total += len(chunk)
        if max_bytes is not None and total > max_bytes:
            raise InputError(f"inflates to more than {max_bytes:,} bytes ({MAX_RATIO}x its "
                             "compressed size): a zip bomb or a damaged archive; not imported",
                             path=label, line=line_no + 1)
        parts = (pending + decoder.decode(chunk, final=not chunk)).split("\n")
        pending = parts.pop()
        for part in parts:
            line_no += 1
            yield part + "\n"
        if len(pending) > MAX_LINE_CHARS:
            raise InputError(f"line is longer than {MAX_LINE_CHARS:,} characters: not a GeoNames "
                             "table (or a zip bomb); not imported", path=label, line=line_no + 1)
        if not chunk:
            break
    if pending:
        yield pending


def _check_member(path: Path, info: zipfile.ZipInfo) -> None:
    label = f"{path}:{info.filename}"
    if info.flag_bits & 0x1:
        raise InputError("archive member is encrypted; extract it with its password and "
                         "import the .txt", path=label)
    if info.compress_type not in _READABLE_METHODS:
        method = {9: "deflate64", 12: "bzip2", 14: "lzma", 93: "zstd"}.get(info.compress_type,
                                                                          str(info.compress_type))
        raise InputError(f"archive member uses compression method {method}, which geomap cannot "
                         "read; unzip it (or re-zip with deflate) and import the .txt", path=label)


@contextmanager
def _open_lines(path: Path) -> Iterator[list[tuple[str, str, Iterator[str]]]]:
    """Yield (kind, label, line iterator) for every data member of a file."""
    if not path.exists():
        raise InputError("file not found", path=str(path))
    if path.is_dir():
        raise InputError("is a directory; give GeoNames .zip or .txt files", path=str(path))
    if path.suffix.lower() == ".zip":
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise InputError(f"not a readable zip archive ({exc}); is the download truncated?",
                             path=str(path)) from None
        with archive:
            members = []
            infos = archive.infolist()
            for info in infos:
                if info.is_dir() or not info.filename.lower().endswith(".txt"):
                    continue
                kind = detect_kind(path, Path(info.filename).name)
                if kind == "skip":
                    continue
                if kind == "alternate_names" or detect_kind(path) == "alternate_names":
                    kind = "alternate_names"
                _check_member(path, info)
                label = f"{path}:{info.filename}"
                try:
                    raw = archive.open(info)
                except (NotImplementedError, RuntimeError, zipfile.BadZipFile) as exc:
                    raise InputError(f"cannot open archive member: {exc}", path=label) from None
                cap = max(_RATIO_FLOOR, MAX_RATIO * max(info.compress_size, 1))
                members.append((kind, label, bounded_lines(raw, label, cap)))
            if not members:
                names = ", ".join(i.filename for i in infos[:10]) or "none"
                raise InputError("no GeoNames data file in the archive (expected a table such as "
                                 f"RU.txt, allCountries.txt, alternateNamesV2.txt; members: "
                                 f"{names})", path=str(path))
            yield members
    else:
        if detect_kind(path) == "skip":
            raise InputError("not a GeoNames data table (a readme or code list); give the "
                             "country/allCountries/alternateNames/admin code files", path=str(path))
        with open(path, "rb") as fh:
            yield [(detect_kind(path), str(path), bounded_lines(fh, str(path)))]


def import_geonames(index_path: Path, paths: list[Path], feature_classes: str = "AP",
                    show_progress: bool = True) -> dict:
    """Import GeoNames files into the index at ``index_path``; all or nothing.

    Returns a summary ``{file: {"kind": ..., "rows": ..., "imported": ...}}``.
    """
    order = {"admin1": 0, "admin2": 1, "geonames": 2, "alternate_names": 3, "skip": 4}
    paths = sorted(paths, key=lambda p: order[detect_kind(p)])
    con = connect(index_path)
    con.execute("PRAGMA journal_mode=DELETE")
    summary: dict[str, dict] = {}
    try:
        con.execute("BEGIN IMMEDIATE")
        for path in paths:
            with _open_lines(path) as members:
                for kind, label, lines in members:
                    if show_progress:
                        lines = progress(lines, desc=Path(label).name)
                    summary[label] = _import_member(con, kind, label, lines, feature_classes)
        write_lookup_tables(con)  # lookups and typo matching see the imported names too
        _record_imports(con, summary)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    finally:
        con.close()
    return summary


def _import_member(con, kind: str, label: str, lines, feature_classes: str) -> dict:
    line_no = 0
    try:
        if kind in ("admin1", "admin2"):
            rows = 0
            for line_no, line in enumerate(lines, 1):
                rows += _import_admin_code(con, label, line_no, line)
            return {"kind": kind, "rows": rows, "imported": rows}
        if kind == "alternate_names":
            return _import_alternate_names(con, label, lines)
        if kind == "geonames":
            return _import_geonames(con, label, lines, feature_classes)
        return {"kind": "skipped", "rows": 0, "imported": 0}
    except (zlib.error, EOFError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise InputError(f"file is truncated or corrupt ({exc.__class__.__name__}: {exc})",
                         path=label, line=line_no + 1) from None


def _import_admin_code(con, label: str, line_no: int, line: str) -> int:
    if not line.strip():
        return 0
    parts = line.rstrip("\n").split("\t")
    if len(parts) != 4 or parts[0].count(".") not in (1, 2):
        raise InputError(f"expected 4 tab-separated columns 'CC.ADM1[.ADM2] name asciiname "
                         f"geonameid', got {len(parts)}", path=label, line=line_no)
    code, name, _, geonameid = parts
    con.execute("INSERT OR REPLACE INTO admin_codes VALUES (?, ?, ?)",
                (code, name, int(geonameid) if geonameid.isdigit() else None))
    column = "admin1" if code.count(".") == 1 else "admin2"
    con.execute(f"UPDATE places SET {column}=? WHERE {column}_code=? AND country NOT IN "
                f"({','.join('?' * len(HARMONISED_COUNTRIES))})", (name, code, *HARMONISED_COUNTRIES))
    return 1


def _parse_geoname(parts: list[str], label: str, line_no: int, codes: dict) -> Place:
    def number(field: str, value: str, cast):
        try:
            return cast(value)
        except ValueError:
            raise InputError(f"{value!r} is not a valid {field}", path=label, line=line_no,
                             field=field) from None

    geonameid = number("geonameid", parts[0], int)
    lat, lon = number("latitude", parts[4], float), number("longitude", parts[5], float)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InputError(f"coordinates out of range ({lat}, {lon})", path=label, line=line_no,
                         field="latitude")
    population = number("population", parts[14], int) if parts[14] else 0
    cc, a1, a2 = parts[8], parts[10], parts[11]
    a1_code = f"{cc}.{a1}" if a1 else ""
    a2_code = f"{cc}.{a1}.{a2}" if a2 else ""
    return Place(
        id=str(geonameid), geonameid=geonameid, name=parts[1], asciiname=parts[2],
        alternatenames=[n for n in parts[3].split(",") if n], lat=lat, lon=lon,
        feature_class=parts[6], feature_code=parts[7], country=cc, admin1_code=a1_code,
        admin1=codes.get(a1_code, ""), admin2_code=a2_code, admin2=codes.get(a2_code, ""),
        population=population, source="geonames-import",
    )


def _import_geonames(con, label: str, lines, feature_classes: str) -> dict:
    codes = dict(con.execute("SELECT code, name FROM admin_codes").fetchall())
    batch: list[Place] = []
    rows = imported = 0
    line_no = 0
    for line_no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        parts = line.rstrip("\n").split("\t")
        if len(parts) != GEONAME_COLUMNS:
            raise InputError(f"expected {GEONAME_COLUMNS} tab-separated columns of the GeoNames "
                             f"'geoname' table, got {len(parts)} (truncated or not a GeoNames dump?)",
                             path=label, line=line_no)
        rows += 1
        place = _parse_geoname(parts, label, line_no, codes)
        if feature_classes and place.feature_class not in feature_classes:
            continue
        batch.append(place)
        if len(batch) >= _BATCH:
            imported += _write_batch(con, batch)
            batch = []
    imported += _write_batch(con, batch)
    if rows == 0:
        raise InputError("no GeoNames rows found", path=label, line=line_no)
    return {"kind": "geonames", "rows": rows, "imported": imported}


def _write_batch(con, batch: list[Place]) -> int:
    if not batch:
        return 0
    assign_admin_from_polygons(batch)
    for place in batch:
        _keep_existing_knowledge(con, place)
    return write_places(con, batch, replace=True)


def _keep_existing_knowledge(con, place: Place) -> None:
    """An imported record replacing an embedded one keeps the names the index had.

    A settlement a data pack already has (same name, same country, within
    ``SAME_PLACE_KM``, no GeoNames id) becomes one record: the import's id, the pack's
    better point, names, hierarchy and codes.
    """
    row = con.execute("SELECT * FROM places WHERE id=?", (place.id,)).fetchone()
    if row is None:
        twin = _pack_twin(con, place)
        if twin is None:
            return
        rid = con.execute("SELECT rid FROM places WHERE id=?", (twin.id,)).fetchone()[0]
        delete_place(con, rid)
        _fold_pack_record(place, twin)
        return
    old = row_to_place(row)
    place.alternatenames = list(dict.fromkeys([*place.alternatenames, *old.alternatenames]))
    if "border-pack" in old.source:  # hand-checked point, district and note stay
        place.lat, place.lon, place.note = old.lat, old.lon, old.note
        place.admin2 = old.admin2 or place.admin2
        place.source = "geonames-import+border-pack"
    place.admin3 = place.admin3 or old.admin3
    if old.country == "UA" and old.admin2:  # post-2020 raion from OCHA
        place.admin2, place.admin2_code = old.admin2, old.admin2_code


def _pack_twin(con, place: Place) -> Place | None:
    if place.feature_class != "P" or not strict_key(place.name):
        return None
    rows = con.execute(
        "SELECT p.* FROM names n JOIN places p ON p.rid = n.place WHERE n.key=? AND n.kind=? "
        "AND p.country=? AND p.geonameid IS NULL AND p.feature_class='P'",
        (strict_key(place.name), STRICT, place.country)).fetchall()
    best, best_km = None, SAME_PLACE_KM
    for r in rows:
        other = row_to_place(r)
        km = haversine_km(place.lat, place.lon, other.lat, other.lon)
        if km <= best_km:
            best, best_km = other, km
    return best


def _fold_pack_record(place: Place, pack: Place) -> None:
    place.alternatenames = list(dict.fromkeys([*place.alternatenames, pack.name,
                                               *pack.alternatenames]))
    if POINT_QUALITY.get(pack.source.split("+")[0], 1) > POINT_QUALITY["geonames-import"]:
        place.lat, place.lon = pack.lat, pack.lon
    place.admin2 = pack.admin2 or place.admin2
    place.admin2_code = pack.admin2_code or place.admin2_code
    place.admin3 = pack.admin3 or place.admin3
    place.official_code = pack.official_code
    place.population = place.population or pack.population
    place.source = f"geonames-import+{pack.source}"
    place.provenance = f"id: GeoNames {place.geonameid}; {pack.provenance}"


def _import_alternate_names(con, label: str, lines) -> dict:
    known = {r[0] for r in con.execute("SELECT geonameid FROM places WHERE geonameid IS NOT NULL")}
    extra: dict[int, list[str]] = {}
    rows = 0
    for line_no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        parts = line.rstrip("\n").split("\t")
        if len(parts) < 4 or not parts[1].isdigit():
            raise InputError("expected the GeoNames alternateNames layout (alternateNameId, "
                             f"geonameid, isolanguage, alternate name, ...), got {len(parts)} columns",
                             path=label, line=line_no)
        rows += 1
        geonameid = int(parts[1])
        if geonameid in known and parts[2] not in _SKIP_LANGUAGES and parts[3]:
            extra.setdefault(geonameid, []).append(parts[3])
    updated = []
    for geonameid, names in extra.items():
        row = con.execute("SELECT * FROM places WHERE geonameid=?", (geonameid,)).fetchone()
        place = row_to_place(row)
        place.alternatenames = list(dict.fromkeys([*place.alternatenames, *names]))
        updated.append(place)
    write_places(con, updated, replace=True)
    return {"kind": "alternate_names", "rows": rows, "imported": len(updated)}


def _record_imports(con: sqlite3.Connection, summary: dict) -> None:
    row = con.execute("SELECT value FROM meta WHERE key='imports'").fetchone()
    imports = json.loads(row[0]) if row else []
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    imports += [{"file": label, **info, "date": stamp} for label, info in summary.items()]
    counts = dict(con.execute("SELECT source, COUNT(*) FROM places GROUP BY source").fetchall())
    con.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                    [("imports", json.dumps(imports)), ("counts", json.dumps(counts))])
