"""Geocode a table: resolve each row's place name with the gazetteer, using the row's context.

``geocode_table(table, location_column="village", admin1_column="oblast")`` adds
``latitude``, ``longitude``, ``geo_precision``, ``confidence``, ``place_id``,
``geonameid``, ``resolved_name``, ``resolved_country``, ``resolved_admin1``,
``resolved_admin2``, ``resolved``, ``needs_review`` and ``reason`` to every row and
lists the rows it could not resolve.  Identical (name, admin1, admin2, country) tuples
are resolved once.  GED-style names ("Kiev city", "Donetsk town", "Luhansk airport",
"outside Mariupol") are cleaned first; "near"/"outside"/"airport" make the result
``geo_precision`` 2 (near the place).
"""

from __future__ import annotations

import logging
import os
import re
import sys
from dataclasses import dataclass, field

import pandas as pd

from geomap.errors import GeomapError, InputError

ADDED_COLUMNS = [
    "latitude", "longitude", "geo_precision", "confidence", "place_id", "geonameid",
    "resolved_name", "resolved_country", "resolved_admin1", "resolved_admin2",
    "resolved", "needs_review", "reason",
]

# Settlement type words written after (GED: "Donetsk town") or before ("village Plekhovo") a name.
_SETTLEMENT_WORDS = (
    r"urban[- ]type settlement|urban settlement|settlement|village|town|city|hamlet|selo|"
    r"smt|pgt|khutor|posyolok|poselok|stanitsa|township"
)
_TRAILING_TYPE = re.compile(rf"\s+(?:{_SETTLEMENT_WORDS})\.?$", re.IGNORECASE)
_LEADING_TYPE = re.compile(rf"^(?:the\s+)?(?:{_SETTLEMENT_WORDS})\.?\s+(?:of\s+)?", re.IGNORECASE)
_NEAR_PREFIX = re.compile(
    r"^(?:(?:the\s+)?(?:sea|area|outskirts|vicinity|surroundings|environs)\s+(?:outside|near|of|around)\s+"
    r"|near\s+|outside\s+(?:of\s+)?|around\s+|close\s+to\s+|just\s+outside\s+"
    r"|(?:\d+\s*km\s+)?(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)"
    r"(?:ern)?\s+of\s+)",
    re.IGNORECASE,
)
_NEAR_SUFFIX = re.compile(
    r"\s+(?:(?:international\s+)?airport|air\s*base|airbase|airfield|area|outskirts|vicinity|"
    r"railway station|station|(?:border\s+)?checkpoint|border post|bridge|monument|"
    r"district\s+of\s+the\s+city)$",
    re.IGNORECASE,
)


_PARENTHETICAL = re.compile(r"\s*\(([^()]*)\)\s*")
_DISTRICT_HINT = re.compile(r"\b(raion|rayon|district|hromada|okrug)\b", re.IGNORECASE)


def district_hint(name: str) -> tuple[str, str]:
    """'Hranitne village (Volnovakha raion)' → ('Hranitne village', 'Volnovakha raion')."""
    for inner in _PARENTHETICAL.findall(name):
        if _DISTRICT_HINT.search(inner):
            return _PARENTHETICAL.sub(" ", name).strip(), inner.strip()
    return name, ""


def clean_location(name: str) -> tuple[str, int, str]:
    """A table's place string → (name to look up, minimum geo_precision, note).

    >>> clean_location("Kiev city")
    ('Kiev', 1, '')
    >>> clean_location("sea outside Mariupol")
    ('Mariupol', 2, "near: 'sea outside Mariupol'")
    """
    text = " ".join(str(name).split())
    precision, note = 1, ""
    stripped = _NEAR_PREFIX.sub("", text)
    stripped = _NEAR_SUFFIX.sub("", stripped)
    if stripped != text and stripped:
        precision, note = 2, f"near: {text!r}"
    cleaned = _TRAILING_TYPE.sub("", stripped)
    cleaned = _LEADING_TYPE.sub("", cleaned) if _LEADING_TYPE.sub("", cleaned) else cleaned
    return (cleaned or stripped or text).strip(" ,.;"), precision, note


@dataclass
class Resolution:
    """How one (name, admin1, admin2, country) was resolved."""

    query: str
    resolved: bool = False
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    confidence: float | None = None
    place_id: str = ""
    geonameid: str = ""
    name: str = ""
    country: str = ""
    admin1: str = ""
    admin2: str = ""
    needs_review: bool = True
    reason: str = ""
    alternatives: list = field(default_factory=list)


def _country_code(value: str | None) -> str | None:
    """ISO alpha-2 for RU/UA/BY names in any language; other values pass through."""
    if not value:
        return None
    if len(value.strip()) == 2:
        return value.strip().upper()
    from geomap.spatial.filters import region_name_to_iso

    return region_name_to_iso(value) or value


def _canonical_admin1(value: str | None) -> str | None:
    """'Kiev Special Republican city' → 'Kyiv'; names of RU/UA/BY units in any form."""
    if not value or not value.strip():
        return None
    from geomap.spatial.filters import find_regions

    try:
        rows = find_regions("admin1", value)
    except GeomapError:
        return value
    return rows["name_en"].iloc[0] if len(rows) == 1 else value


class Resolver:
    """``resolve_name`` with a cache keyed by the cleaned (name, admin1, admin2, country)."""

    def __init__(self, gazetteer=None):
        try:
            from geomap.geoparse import resolve_name
        except ImportError as exc:
            raise GeomapError(f"the gazetteer resolver is not available ({exc})") from exc
        self._resolve_name = resolve_name
        self.gazetteer = gazetteer
        self.cache: dict[tuple, Resolution] = {}
        self.calls = 0

    def resolve(self, name: str, admin1: str | None = None, admin2: str | None = None,
                country: str | None = None) -> Resolution:
        key = (" ".join(str(name).split()).casefold(), (admin1 or "").strip().casefold(),
               (admin2 or "").strip().casefold(), (country or "").strip().casefold())
        hit = self.cache.get(key)
        if hit is None:
            hit = self.cache[key] = self._resolve(name, admin1, admin2, country)
        return hit

    def _resolve(self, name, admin1, admin2, country) -> Resolution:
        raw = " ".join(str(name).split())
        if not raw:
            return Resolution(query=raw, reason="empty place name")
        without_hint, hint = district_hint(raw)
        if hint and not admin2:
            admin2, raw = hint, without_hint
        query, min_precision, note = clean_location(raw)
        cc = _country_code(country)
        admin1 = _canonical_admin1(admin1)
        attempts = [query] + ([raw] if raw.casefold() != query.casefold() else [])
        mention = None
        for attempt in attempts:
            self.calls += 1
            mention = self._resolve_name(attempt, country=cc, admin1=admin1 or None,
                                         admin2=admin2 or None, gazetteer=self.gazetteer)
            if mention.resolved and mention.place is not None:
                break
        if mention is None or not mention.resolved or mention.place is None:
            reason = (mention.reason if mention is not None else "") or "no gazetteer match"
            alts = list(getattr(mention, "alternatives", []) or [])
            if alts:
                reason += "; candidates: " + ", ".join(
                    f"{c.place.name} ({c.place.hierarchy()})" for c in alts[:3])
            return Resolution(query=query, reason=reason, alternatives=alts)
        p = mention.place
        if cc and len(cc) == 2 and p.country and p.country.upper() != cc:
            return Resolution(query=query, reason=f"best match {p.name} ({p.hierarchy()}) is not in "
                              f"{cc}", alternatives=list(mention.alternatives or []))
        precision = max(mention.precision or 1, min_precision)
        reason = mention.reason or ""
        if note:
            reason = f"{reason}; {note}" if reason else note
        return Resolution(
            query=query, resolved=True, latitude=float(p.lat), longitude=float(p.lon),
            geo_precision=precision, confidence=float(mention.confidence),
            place_id=str(p.id or ""), geonameid=str(p.geonameid or ""), name=p.name,
            country=p.country or "", admin1=p.admin1 or "", admin2=p.admin2 or "",
            needs_review=bool(mention.needs_review), reason=reason,
            alternatives=list(mention.alternatives or []),
        )


@dataclass
class GeocodeResult:
    """The geocoded table, the rows not resolved, and how many lookups were made."""

    table: pd.DataFrame
    unresolved: pd.DataFrame
    lookups: int = 0
    path: str = ""

    def summary(self) -> str:
        n = len(self.table)
        bad = len(self.unresolved)
        review = int(self.table["needs_review"].sum()) if n else 0
        return (f"{self.path or 'table'}: {n} rows, {n - bad} resolved, {bad} unresolved, "
                f"{review} need review ({self.lookups} distinct lookups)")


def _load_table(source) -> tuple[pd.DataFrame, str]:
    if isinstance(source, pd.DataFrame):
        df = pd.DataFrame(source).copy()
        if "geometry" in df.columns:
            df = df.drop(columns="geometry")
        if "_line" not in df:
            df["_line"] = range(2, len(df) + 2)
        return df, ""
    from geomap.events.tables import read_table

    path = os.fspath(source)
    if not os.path.exists(path):
        raise InputError("file not found", path=path)
    table = read_table(path)
    for p in table.problems:  # the CLI shows geomap's log records on stderr
        logging.getLogger("geomap.geocode").warning("%s", p)
    bad = [r["_line"] for r in table.rows if r["_nfields"] != len(table.columns)]
    if bad:
        raise InputError(f"row has the wrong number of fields (header has {len(table.columns)})",
                         path=path, line=bad[0])
    df = pd.DataFrame([{k: v for k, v in r.items() if k != "_nfields"} for r in table.rows],
                      columns=table.columns + ["_line"])
    return df, path


def _column(df: pd.DataFrame, name: str | None, what: str, path: str) -> str | None:
    if name is None:
        return None
    if name in df.columns:
        return name
    lower = {c.lower(): c for c in df.columns if c != "_line"}
    if name.lower() in lower:
        return lower[name.lower()]
    cols = ", ".join(c for c in df.columns if c != "_line")
    raise InputError(f"no {what} column {name!r}; columns: {cols}", path=path or None, line=1,
                     field=name)


def geocode_table(table, location_column: str, admin1_column: str | None = None,
                  country_column: str | None = None, admin2_column: str | None = None,
                  country: str | None = None, gazetteer=None,
                  progress: bool | None = None) -> GeocodeResult:
    """Resolve every row's place name with the gazetteer, using the row's own context.

    Parameters
    ----------
    table : DataFrame or path (CSV in any common encoding, XLSX, GeoJSON, GeoPackage).
    location_column : column with the place name ("village", "where_coordinates").
    admin1_column, admin2_column, country_column : columns giving each row's context.
    country : one country (name or ISO code) for every row without a country column.
    gazetteer : passed to ``resolve_name``.
    progress : show a tqdm bar (default: when stderr is a terminal).

    Returns
    -------
    GeocodeResult with ``table`` (input columns + ADDED_COLUMNS; input columns whose
    names clash get an ``_input`` suffix) and ``unresolved`` (those rows, with ``line``).
    """
    from tqdm import tqdm

    df, path = _load_table(table)
    loc = _column(df, location_column, "location", path)
    a1 = _column(df, admin1_column, "admin1", path)
    a2 = _column(df, admin2_column, "admin2", path)
    cc = _column(df, country_column, "country", path)

    def text(col):
        if col is None:
            return pd.Series([""] * len(df), index=df.index)
        return df[col].map(lambda v: "" if v is None or pd.isna(v) else str(v).strip())

    names, adm1, adm2 = text(loc), text(a1), text(a2)
    ctry = text(cc) if cc else pd.Series([country or ""] * len(df), index=df.index)
    keys = list(zip(names, adm1, adm2, ctry, strict=True))
    resolver = Resolver(gazetteer=gazetteer)
    unique = list(dict.fromkeys(keys))
    show = sys.stderr.isatty() if progress is None else progress
    for key in tqdm(unique, desc="geocoding", unit="place", disable=not show, file=sys.stderr):
        resolver.resolve(key[0], admin1=key[1], admin2=key[2], country=key[3])
    results = [resolver.resolve(k[0], admin1=k[1], admin2=k[2], country=k[3]) for k in keys]

    out = df.drop(columns="_line").rename(
        columns={c: f"{c}_input" for c in ADDED_COLUMNS if c in df.columns})
    added = pd.DataFrame({
        "latitude": [r.latitude for r in results],
        "longitude": [r.longitude for r in results],
        "geo_precision": pd.array([r.geo_precision for r in results], dtype="Int64"),
        "confidence": [round(r.confidence, 3) if r.confidence is not None else None for r in results],
        "place_id": [r.place_id for r in results],
        "geonameid": [r.geonameid for r in results],
        "resolved_name": [r.name for r in results],
        "resolved_country": [r.country for r in results],
        "resolved_admin1": [r.admin1 for r in results],
        "resolved_admin2": [r.admin2 for r in results],
        "resolved": [r.resolved for r in results],
        "needs_review": [r.needs_review or not r.resolved for r in results],
        "reason": [r.reason for r in results],
    }, index=out.index)
    out = pd.concat([out, added], axis=1)
    bad = ~added["resolved"].to_numpy(dtype=bool)
    unresolved = out[bad].copy()
    unresolved.insert(0, "line", df["_line"].to_numpy()[bad])
    return GeocodeResult(out, unresolved, resolver.calls, path)
