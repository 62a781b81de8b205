"""Offline gazetteer: GeoNames cities500 + admin units + border pack + OCHA settlements.

>>> gz = Gazetteer.default()
>>> gz.search("Plyokhovo")[0].place.admin2
'Sudzhansky District'
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable
from itertools import compress
from pathlib import Path

from geomap.errors import GeomapError
from geomap.gazetteer.index import (
    CORE,
    LOOSE,
    STEM,
    STRICT,
    build_index,
    build_lock,
    connect,
    default_index_path,
    forget_verified,
    fuzzy_keys,
    haversine_km,
    is_damaged,
    log,
    mark_verified,
    remove_stale_builds,
    row_to_place,
    sources_fingerprint,
)
from geomap.gazetteer.keytable import KeyTable
from geomap.gazetteer.normalize import core_name, loose_key, stem_key, strict_key
from geomap.gazetteer.record import Candidate, NameHolder, Place

__all__ = ["Gazetteer", "Place", "Candidate"]

# Match scores by how the query met the name.
# exact: the record's own name; alternate: one of its alternate names; strict/loose: the
# transliteration keys; core: an admin unit named with its type word ("Sumy region").
_LABEL_RANK = {"strict": 0, "core": 1, "loose": 2}
_LABELS = sorted(_LABEL_RANK, key=_LABEL_RANK.__getitem__)
# the match kinds of a record met under its strict key (label "strict"); a record met
# otherwise has no name of the query's strict key (else the lookup would label it strict)
_STRICT_MATCHES = frozenset(("exact", "alternate", "strict"))
_SCORES = {"exact": 1.0, "alternate": 0.98, "strict": 0.95, "core": 0.9, "loose": 0.85,
           "core-nonadmin": 0.8}
# Fuzzy fallback threshold: a name is a typo of a record's name when their loose keys
# (transliteration-neutral) are at most this many edits apart (insert, delete, substitute
# or swap two neighbours): one edit below 12 letters, two from 12. Anything further is no
# match ("Nowhereville" → nothing, not Niverville), whatever its similarity ratio; and one
# of the record's names as spelt must be at most one edit more away.
def max_typos(key: str) -> int:
    return 1 if len(key) < 12 else 2


def _spelled_close(query: str, place: Place, edits: int) -> bool:
    """Is one of the record's names (as spelt, not transliteration-neutral) ``edits`` away?"""
    from rapidfuzz.distance import OSA

    key = strict_key(query)
    return any(OSA.distance(key, strict_key(n)) <= edits
               for n in (place.name, place.asciiname, *place.alternatenames) if n)


# Admin units carry no population in the index; rank them as the sizes they typically are,
# so a state or region is not crowded out by a dozen villages of its name ("Florida").
_UNIT_POPULATION = {"PCLI": 3_000_000, "ADM1": 200_000, "ADM2": 50_000}
_FEATURE_PRIOR = {"PCLI": 0.03, "PPLC": 0.015, "ADM1": 0.01, "PPLA": 0.01, "PPLA2": 0.008}


# Per-connection memo sizes: names and records repeat across documents (a long-running
# geoparser asks for "Kharkiv" thousands of times). Each memo is emptied when full; all of
# them together stay well under 300 MB (a record with its names is ~1-2 KB).
_MEMO_NAMES = 100_000
_MEMO_PLACES = 50_000


def _remember(memo: dict, limit: int, key, value):
    """Store ``value`` under ``key`` in a bounded memo (emptied when it reaches ``limit``)."""
    if len(memo) >= limit:
        memo.clear()
    memo[key] = value
    return value


def _key_queries(name: str) -> tuple[frozenset[tuple[str, int]], str, tuple[str, ...]]:
    """The (key, kind) pairs a name is looked up under, its strict key, its core keys."""
    strict, loose = strict_key(name), loose_key(name)
    core = core_name(name)
    has_type_word = bool(core) and core != strict
    # strict_key is idempotent, so a core equal to the strict key has the name's loose key
    loose_core = loose_key(core) if has_type_word else loose
    queries = [(strict, STRICT), (loose, LOOSE)]
    if core:
        queries += [(core, CORE), (loose_core, CORE)]
        if has_type_word:
            queries += [(core, STRICT), (loose_core, LOOSE), (stem_key(name), STEM)]
    wanted = frozenset((key, kind) for key, kind in queries if key)
    return wanted, strict, (core, loose_core) if has_type_word else ()


def _nfc_casefold(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _spelt_as(place: Place, query_nfc: str) -> str:
    """'exact' if the query is the record's own name as spelt (case and Unicode form
    aside), 'alternate' if it is one of its alternate names, else ''."""
    if query_nfc in (_nfc_casefold(place.name), _nfc_casefold(place.asciiname)):
        return "exact"
    if "|" in query_nfc:  # no alternate name holds the separator
        return ""
    # one search of the joined names, not one comparison per name (a city has hundreds)
    joined = _nfc_casefold("|".join(place.alternatenames))
    return "alternate" if f"|{query_nfc}|" in f"|{joined}|" else ""


def admin_matches(query: str, *values: str) -> bool:
    """Does an admin name in a query ('Sumy region', 'RU-KRS') name one of ``values``?"""
    q_core = loose_key(core_name(query))
    q_code = query.strip().upper()
    for value in values:
        if not value:
            continue
        if value.upper() == q_code:
            return True
        v_core = loose_key(core_name(value))
        if q_core and v_core and (q_core == v_core or (
                min(len(q_core), len(v_core)) >= 4
                and (q_core.startswith(v_core) or v_core.startswith(q_core)))):
            return True
    return False


def _damage_is_an_error(method):
    """A damaged index met mid-query: one clear error (and a re-check at the next open),
    not a traceback. Opening already checks any index changed since geomap wrote it."""
    import functools

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            forget_verified(self.path)
            raise GeomapError(f"the gazetteer index {self.path} is damaged ({exc}); it is "
                              "rebuilt at the next run, or run 'geomap gazetteer build'") from None
    return wrapper


class Gazetteer:
    """Search the compiled index by name, with optional country/admin-1/proximity context."""

    _default: Gazetteer | None = None
    _lock = threading.Lock()

    def __init__(self, path: str | Path | None = None, rebuild: bool | None = None):
        self.pid = os.getpid()  # the process whose SQLite connection this is
        self.path = Path(path) if path else default_index_path()
        if rebuild or (rebuild is None and self._needs_build()):
            with build_lock(self.path):
                if rebuild or self._needs_build(announce=False):  # another process may have built it
                    build_index(self.path, keep_imports_from=self.path)
        else:
            self._clean_leftovers()
        self._con = connect(self.path, readonly=True)
        self._con.row_factory = None
        self._fuzzy_keys: dict[tuple[str, int], list[str]] = {}  # (initial, length) -> keys
        self._forget()

    def _forget(self) -> None:
        """Empty the per-connection memos (after an import changed the index)."""
        self._fuzzy_keys.clear()
        self._hits: dict[str, tuple[tuple[int, str], ...]] = {}  # lookup_keys
        self._records: dict[int, Place] = {}  # rid -> Place (shared: never mutate one)
        self._countries: dict[str, Place | None] = {}  # ISO2 -> country record
        self._key_table: KeyTable | None = None  # read at the first name lookup

    def _keys(self) -> KeyTable:
        """The index's name keys in memory (``keytable``), read once per connection."""
        if self._key_table is None:
            self._key_table = KeyTable(self._con)
        return self._key_table

    def _needs_build(self, announce: bool = True) -> bool:
        if self._is_stale():
            return True
        if is_damaged(self.path):
            if announce:
                log.warning("the gazetteer index %s is damaged (fails SQLite's integrity check); "
                            "rebuilding it", self.path)
            return True
        return False

    def _clean_leftovers(self) -> None:
        """Remove temp files of killed builds, unless a build is running right now."""
        if not any(self.path.parent.glob(f"{self.path.stem}.building-*")):
            return
        from filelock import FileLock, Timeout

        lock = FileLock(str(self.path.with_suffix(".lock")), timeout=0)
        try:
            with lock:
                remove_stale_builds(self.path)
        except (Timeout, OSError):
            pass  # a build holds the lock (its file is not stale) or the folder is read-only

    @classmethod
    def default(cls) -> Gazetteer:
        """The shared instance over the embedded default data (built on first use)."""
        with cls._lock:
            if cls._default is None:
                cls._default = cls()
            return cls._default

    def _is_stale(self) -> bool:
        if not self.path.exists():
            return True
        try:
            con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            row = con.execute("SELECT value FROM meta WHERE key='fingerprint'").fetchone()
            con.close()
        except sqlite3.DatabaseError:
            return True
        return row is None or row[0] != sources_fingerprint()

    def reopen(self) -> None:
        """Re-read the index after an import changed it."""
        self._con.close()
        self._con = connect(self.path, readonly=True)
        self._forget()

    # -- lookups -------------------------------------------------------------
    @_damage_is_an_error
    def get(self, place_id: str | int) -> Place | None:
        """The record with this id (GeoNames id or source-prefixed id)."""
        row = self._con.execute("SELECT * FROM places WHERE id=?", (str(place_id),)).fetchone()
        return row_to_place(row) if row else None

    def get_rid(self, rid: int) -> Place:
        """The record with this internal row id (from ``within_ids``)."""
        return self._places([rid])[rid]

    def _places(self, rids: list[int]) -> dict[int, Place]:
        """The records of these rids, in the order the chunked ``IN`` query yields them
        (ascending rid within each chunk of 500), read once per connection."""
        records = self._records
        missing = [rid for rid in dict.fromkeys(rids) if rid not in records]
        if len(missing) > _MEMO_PLACES // 2:  # a bulk read (the row geocoder): not kept
            records = {**records, **self._read_places(missing)}
        elif missing:
            if len(records) + len(missing) > _MEMO_PLACES:
                records.clear()
                missing = list(dict.fromkeys(rids))
            records.update(self._read_places(missing))
        out: dict[int, Place] = {}
        for i in range(0, len(rids), 500):
            for rid in sorted(set(rids[i:i + 500])):
                if rid in records:
                    out[rid] = records[rid]
        return out

    @_damage_is_an_error
    def _read_places(self, rids: list[int]) -> dict[int, Place]:
        return {row[0]: row_to_place(row)
                for row in self._rows_in("SELECT * FROM places WHERE rid", rids)}

    def _rows_in(self, select: str, ids: list[int]) -> list[tuple]:
        """Rows of ``{select} IN (ids)``, queried in chunks (SQLite's variable limit)."""
        rows: list[tuple] = []
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            rows += self._con.execute(f"{select} IN ({','.join('?' * len(chunk))})",
                                      chunk).fetchall()
        return rows

    @staticmethod
    def _label(key: str, kind: int, strict: str, core_keys: tuple[str, ...]) -> str:
        if kind == STRICT and key == strict:
            return "strict"
        if kind in (CORE, STEM) or key in core_keys:
            return "core"
        return "loose"

    def lookup_keys(self, name: str) -> list[tuple[int, str]]:
        """(place rid, match kind) for every record whose name keys meet this name."""
        hits = self._hits.get(name)
        if hits is None:  # a tuple of tuples of str/int: no work for the garbage collector
            hits = _remember(self._hits, _MEMO_NAMES, name, tuple(self._lookup_keys(name)))
        return list(hits)

    @_damage_is_an_error
    def _lookup_keys(self, name: str) -> list[tuple[int, str]]:
        wanted, strict, core_keys = _key_queries(name)
        table = self._keys()
        hits: dict[int, str] = {}
        for key in sorted({key for key, _ in wanted}):
            for rid, kind in table.rows(key):
                if (key, kind) not in wanted:
                    continue
                label = self._label(key, kind, strict, core_keys)
                if rid not in hits or _LABEL_RANK[label] < _LABEL_RANK[hits[rid]]:
                    hits[rid] = label
        return list(hits.items())

    @_damage_is_an_error
    def best_match(self, name: str) -> str:
        """The best match kind any record offers for this name ('strict', 'core', 'loose'),
        '' if none: ``lookup_keys`` without reading which records."""
        table = self._keys()
        strict = strict_key(name)
        if strict and table.kinds(strict) & (1 << STRICT):
            return "strict"  # the best kind there is: no other key need be computed
        wanted, strict, core_keys = _key_queries(name)
        kinds: dict[str, int] = {}  # key -> the kinds it has rows of (one trie lookup each)
        best = len(_LABEL_RANK)
        for key, kind in wanted:
            if key not in kinds:
                kinds[key] = table.kinds(key)
            if kinds[key] & (1 << kind):
                best = min(best, _LABEL_RANK[self._label(key, kind, strict, core_keys)])
        return _LABELS[best] if best < len(_LABELS) else ""

    @_damage_is_an_error
    def name_holders(self, name: str) -> list[NameHolder]:
        """Who carries this name (as its own name, an alternate or an admin core name):
        what a recogniser needs to judge a bare word.

        The holders are read as whole records, into the connection's memo: a name worth
        reading as a place is resolved next, from the same records."""
        labels = {rid: label for rid, label in self.lookup_keys(name) if label != "loose"}
        if not labels:
            return []
        query = _nfc_casefold(name.strip())
        out = []
        for rid, p in self._places(list(labels)).items():
            exact = query in (_nfc_casefold(p.name or ""), (p.asciiname or "").casefold())
            match = "exact" if exact else ("core" if labels[rid] == "core" else "alternate")
            out.append(NameHolder(match, p.population, p.is_admin, p.country))
        return out

    def search(self, name: str, country: str | None = None, admin1: str | None = None,
               near: tuple[float, float] | None = None, limit: int = 10,
               fuzzy: bool = True, feature_class: str | None = None) -> list[Candidate]:
        """Ranked candidates for a place name.

        Parameters
        ----------
        name : str
            Any spelling: Latin (any romanisation) or Cyrillic, "X Oblast"/"X region" too.
        country : str, optional
            ISO 3166-1 alpha-2 code; only records of that country are returned.
        admin1 : str, optional
            First-level unit by name or code ("Kursk Oblast", "Kursk region", "RU-KRS").
        near : (lat, lon), optional
            Prefer candidates close to this point.
        limit : int
            At most this many candidates.
        fuzzy : bool
            Fall back to typo-tolerant matching (scored lower) when nothing matches:
            at most :func:`max_typos` edits from a known name, else no candidate.
        """
        if not name or not strict_key(name):
            return []
        hits = self.lookup_keys(name)
        places = self._places([rid for rid, _ in hits])
        query_nfc = _nfc_casefold(name.strip())
        candidates = []
        narrowed = bool(country or admin1 or feature_class)  # else every record passes
        for rid, label in hits:
            place = places[rid]
            if narrowed and not self._passes(place, country, admin1, feature_class):
                continue
            kind = label
            if label == "core" and not place.is_admin:
                kind = "core-nonadmin"
            elif label != "core":
                kind = _spelt_as(place, query_nfc) or label
            candidates.append(Candidate(place, _SCORES[kind], place.name, kind))
        if fuzzy and not any(c.score >= _SCORES["core"] for c in candidates):
            candidates += self._fuzzy(name, country, admin1, feature_class,
                                      {c.place.id for c in candidates})
        candidates.sort(key=lambda c: self._rank(c, near), reverse=True)
        top = candidates[:limit]
        query_key = strict_key(name)
        for c in top:  # which of its names the query met (for display)
            if c.match in _STRICT_MATCHES:  # else no name has the query's strict key
                p = c.place
                c.matched_name = next((n for n in (p.name, p.asciiname, *p.alternatenames)
                                       if n and strict_key(n) == query_key), p.name)
        return top

    @staticmethod
    def _passes(place: Place, country, admin1, feature_class) -> bool:
        if country and place.country != country.upper():
            return False
        if feature_class and place.feature_class not in feature_class:
            return False
        if admin1 and not admin_matches(admin1, place.admin1, place.admin1_code):
            return False
        return True

    @staticmethod
    def _rank(c: Candidate, near) -> float:
        p = c.place
        population = p.population or _UNIT_POPULATION.get(p.feature_code, 0)
        prior = 0.06 * min(1.0, math.log10(population + 1) / 7)
        prior += _FEATURE_PRIOR.get(p.feature_code, 0.0)
        if p.located_by == "hromada-centroid":
            prior -= 0.01
        if near is not None:
            prior += 0.1 * math.exp(-haversine_km(near[0], near[1], p.lat, p.lon) / 50.0)
        return c.score + prior

    @_damage_is_an_error
    def _fuzzy(self, name, country, admin1, feature_class, exclude) -> list[Candidate]:
        from rapidfuzz import fuzz, process
        from rapidfuzz.distance import OSA

        key = loose_key(name)
        if len(key) < 4:
            return []
        first, allowed = key[0], max_typos(key)
        # only keys at most ``allowed`` letters longer or shorter can be that close; the
        # most similar first, equally similar ones in key order
        similar = [(k, ratio) for n in range(len(key) - allowed, len(key) + allowed + 1)
                   for k, ratio, _ in process.extract(
                       key, self._fuzzy_bucket(first, n), scorer=fuzz.ratio, score_cutoff=80,
                       limit=None)
                   if OSA.distance(key, k) <= allowed]
        matches = sorted(similar, key=lambda kr: (-kr[1], kr[0]))[:25]
        out = []
        for matched_key, ratio in matches:
            rids = [rid for rid, kind in self._keys().rows(matched_key) if kind == LOOSE]
            for place in self._places(rids).values():
                if place.id in exclude or not self._passes(place, country, admin1, feature_class):
                    continue
                if not _spelled_close(name, place, allowed + 1):  # loose keys are lossy
                    continue
                exclude.add(place.id)
                out.append(Candidate(place, 0.8 * ratio / 100, place.name, "fuzzy"))
        return out

    def _fuzzy_bucket(self, initial: str, length: int) -> list[str]:
        """The loose keys of this initial and length (read once per connection)."""
        bucket = self._fuzzy_keys.get((initial, length))
        if bucket is None:
            bucket = self._fuzzy_keys[initial, length] = fuzzy_keys(self._con, initial, length)
        return bucket

    def country(self, iso2: str) -> Place | None:
        """The country record of an ISO 3166-1 alpha-2 code (its shipped polygon if any)."""
        code = iso2.upper()
        if code not in self._countries:  # a scan of the places table: once per code
            row = self._con.execute(
                "SELECT * FROM places WHERE feature_code='PCLI' AND country=? "
                "ORDER BY source='boundary-polygon' DESC, population DESC LIMIT 1",
                (code,)).fetchone()
            self._countries[code] = row_to_place(row) if row else None
        return self._countries[code]

    def within(self, lat: float, lon: float, radius_km: float,
               feature_class: str | None = "P") -> list[tuple[Place, float]]:
        """Records within ``radius_km`` of a point, nearest first, with their distance (km)."""
        found = self.within_ids(lat, lon, radius_km, feature_class)
        places = self._places([rid for rid, _ in found])
        return [(places[rid], km) for rid, km in found]

    def within_ids(self, lat: float, lon: float, radius_km: float,
                   feature_class: str | None = "P") -> list[tuple[int, float]]:
        """``within`` as (record rid, km) pairs: an R-tree query, no records read."""
        dlat = radius_km / 111.0
        dlon = radius_km / (111.0 * max(0.05, math.cos(math.radians(lat))))
        sql = ("SELECT r.rid, r.min_lat, r.min_lon FROM places_rtree r"
               + (" JOIN places p ON p.rid = r.rid" if feature_class else "")
               + " WHERE r.min_lat <= ? AND r.max_lat >= ? AND r.min_lon <= ? AND r.max_lon >= ?")
        params: list = [lat + dlat, lat - dlat, lon + dlon, lon - dlon]
        if feature_class:
            sql += f" AND p.feature_class IN ({','.join('?' * len(feature_class))})"
            params += list(feature_class)
        out = []
        for rid, plat, plon in self._con.execute(sql, params):
            km = haversine_km(lat, lon, plat, plon)
            if km <= radius_km:
                out.append((rid, km))
        out.sort(key=lambda pk: pk[1])
        return out

    @_damage_is_an_error
    def settlement_keys_in(self, admin1_code: str, loose: bool = False) -> list[tuple[int, str]]:
        """(rid, strict name key) of every settlement record of one first-level unit
        (``loose``: their loose keys)."""
        return self._con.execute(
            f"SELECT n.place, n.key FROM places p JOIN names n ON n.place = p.rid "
            f"WHERE p.admin1_code = ? AND p.feature_class = 'P' AND n.kind = "
            f"{LOOSE if loose else STRICT}", (admin1_code,)).fetchall()

    @_damage_is_an_error
    def settlements_keyed(self, keys: Iterable[str], lat: float, lon: float,
                          radius_km: float) -> list[tuple[int, float, str]]:
        """(rid, km, key) of every settlement within ``radius_km`` of a point that has one
        of these strict name keys, its distance measured as ``within_ids`` does.

        The key table finds the records of a few hundred spellings faster than the
        strict names of every settlement around a point can be read.
        """
        table = self._keys()
        keys_of: dict[int, list[str]] = {}
        keys = list(keys)  # hundreds of spellings, a few of them names: filtered by maps
        for key in compress(keys, map((1 << STRICT).__and__, map(table.kinds, keys))):
            for rid, kind in table.rows(key):
                if kind == STRICT:
                    keys_of.setdefault(rid, []).append(key)
        out = []
        for rid, plat, plon in self._rows_in(
                "SELECT p.rid, r.min_lat, r.min_lon FROM places p JOIN places_rtree r "
                "ON r.rid = p.rid WHERE p.feature_class = 'P' AND p.rid", list(keys_of)):
            km = haversine_km(lat, lon, plat, plon)
            if km <= radius_km:
                out += [(rid, km, key) for key in keys_of[rid]]
        return out

    # -- information -----------------------------------------------------------
    @_damage_is_an_error
    def info(self) -> dict:
        meta = dict(self._con.execute("SELECT key, value FROM meta").fetchall())
        return {
            "path": str(self.path),
            "built": meta.get("built"),
            "build_seconds": meta.get("build_seconds"),
            "fingerprint": meta.get("fingerprint"),
            "counts": json.loads(meta.get("counts", "{}")),
            "imports": json.loads(meta.get("imports", "[]")),
            "records": self._con.execute("SELECT COUNT(*) FROM places").fetchone()[0],
            "names": self._con.execute("SELECT COUNT(*) FROM names").fetchone()[0],
        }

    def import_files(self, paths: list[str | Path], **kwargs) -> dict:
        """Merge GeoNames dump files into this index (see ``geomap.gazetteer.importer``)."""
        from geomap.gazetteer.importer import import_geonames

        self._con.close()
        try:
            summary = import_geonames(self.path, [Path(p) for p in paths], **kwargs)
            mark_verified(self.path)
            return summary
        finally:
            self.reopen()

