"""Ingest existing event records: ACLED and UCDP GED exports, geomap tables, GeoJSON, GeoPackage.

``read_records(path)`` auto-detects the layout, maps it onto ``EVENT_COLUMNS``, validates
every row and returns the good rows as a GeoDataFrame plus a list of ``Problem`` for the
bad ones (each with its line number and reason).  Nothing is dropped silently.

Layouts
-------
``ucdp``
    UCDP GED (``id``, ``where_coordinates``, ``date_start``, ``side_a``, ...).  Mapping:
    ``id``→``event_id`` ("ucdp:<id>"), ``relid``→``report_id``, ``where_coordinates``→
    ``location``, ``adm_1``/``adm_2``→``admin1``/``admin2``, ``date_start``/``date_end``→
    ``event_date``/``end_date``, ``date_prec``→``date_precision`` (GED 1 day; 2–3 within a
    week/range→2; 4–5 month/year→3), ``side_a``/``side_b``→``actor1``/``actor2``,
    ``type_of_violence``→``event_type`` (1 state-based, 2 non-state→"Battles"; 3
    one-sided→"Violence against civilians"), ``low``/``best``/``high``→``fatalities_*``,
    ``source_article``→``source``, ``source_headline``→``notes``.
    ``where_prec``→``geo_precision`` (GED 1–7 to ACLED 1–3, see ``GED_TO_ACLED_PRECISION``):
    1 exact place→1; 2 within ~25 km of a known place→2; 3 second-order unit (raion)→2;
    4 first-order unit (oblast)→3; 5 a larger area/line ("Donets Basin Area")→3;
    6 only the country→3; 7 international waters/airspace→3.
``acled``
    ACLED export (``event_id_cnty``, ``event_date``, ``actor1``, ...): ``event_id_cnty``→
    ``event_id`` ("acled:<id>"), ``time_precision``→``date_precision``, ``fatalities``→
    ``fatalities_best``; the other columns keep their names.
``geomap``
    A table geomap wrote (the ``EVENT_COLUMNS`` names).
``generic``
    Any other table whose columns can be guessed (``lat``/``lon``, ``date``, ``village``,
    ``oblast``...) or are given with ``columns={"location": "village", ...}``.

Rows without coordinates but with a location are geocoded with
``geomap.geoparse.resolve_name`` (the row's own admin1/admin2/country as context).
``Problem.line`` is the physical line in a CSV (header = line 1), the sheet row in an
XLSX and the 1-based feature number in GeoJSON/GeoPackage.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geomap.errors import GeomapError, InputError
from geomap.events.coding import disorder_type, iso_numeric
from geomap.events.layouts import (
    GED_DATE_PRECISION,
    GED_TO_ACLED_PRECISION,
    GED_VIOLENCE_TYPES,
    detect_layout,
    layout_mapping,
    parse_columns_spec,
)
from geomap.events.tables import Problem, Table, is_delimited_text, read_table
from geomap.schema import (  # noqa: F401 (re-exported: geomap.events.records' old names)
    BOOL_COLUMNS,
    DATE_COLUMNS,
    EVENT_COLUMNS,
    FLOAT_COLUMNS,
    INT_COLUMNS,
    STR_COLUMNS,
    EventRecord,
    as_dates,
    events_to_gdf,
    iso_dates,
    point_coords,
    points_from_latlon,
)
from geomap.values import infer_dayfirst, parse_date  # noqa: F401 (re-exported)
from geomap.values import is_blank as _blank
from geomap.values import to_bool as _to_bool
from geomap.values import to_float as _to_float
from geomap.values import to_int as _to_int


# --------------------------------------------------------------------------- results
@dataclass
class RecordsResult:
    """Good rows of a records file (``records``) and every bad or doubtful one (``problems``)."""

    records: gpd.GeoDataFrame
    problems: list[Problem] = field(default_factory=list)
    layout: str = ""
    encoding: str = "utf-8"
    path: str = ""
    total_rows: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]

    def summary(self) -> str:
        return (
            f"{self.path}: {self.layout} layout, {self.total_rows} rows: {len(self.records)} "
            f"imported, {len(self.errors)} rejected, {len(self.warnings)} warnings"
        )


# --------------------------------------------------------------------------- ids
_ID_EXCLUDED = {"event_id", "needs_review"}


def _id_value(col: str, v) -> str:
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        return ""
    if col in ("latitude", "longitude") and isinstance(v, (int, float)):
        return f"{float(v):.5f}"
    if isinstance(v, float):
        return repr(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    return " ".join(unicodedata.normalize("NFKC", str(v)).casefold().split())


def content_event_id(layout: str, rec: dict) -> str:
    """A stable id from a row's parsed content (ISO dates, place, actors, numbers, text
    with case, width and spacing normalised), not from its raw cells: reordered or extra
    empty columns and another date format give the same id."""
    content = "\x1f".join(f"{c}={_id_value(c, rec.get(c))}" for c in EVENT_COLUMNS
                           if c not in _ID_EXCLUDED)
    digest = hashlib.sha1(content.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{layout}:{digest}"


# --------------------------------------------------------------------------- main
def read_records(path, columns=None, layout: str | None = None, geocode: bool = True,
                 gazetteer=None, progress: bool | None = None,
                 encoding: str | None = None) -> RecordsResult:
    """Read an events table, mapping its layout onto EVENT_COLUMNS and checking every row.

    Parameters
    ----------
    path : CSV/TSV, XLSX, GeoJSON, GeoPackage or KML file.
    columns : ``{"target": "source column"}`` or ``"target=source,..."``; overrides and
        extends the detected layout.
    layout : force "ucdp", "acled", "geomap" or "generic" instead of auto-detection.
    geocode : geocode rows that have a location but no coordinates (else they are errors).
    gazetteer : passed to ``resolve_name``.
    progress : show a tqdm bar (default: when stderr is a terminal and the file is long).
    encoding : text encoding of a CSV (default: detected; UTF-16/32 without a byte-order
        mark included, an undetectable one is an ``InputError`` asking for it).

    Returns
    -------
    RecordsResult with ``.records`` (GeoDataFrame, EVENT_COLUMNS + geometry, EPSG:4326) and
    ``.problems`` (``Problem(path, line, field, reason, severity)``).

    Raises
    ------
    InputError
        If the file cannot be read or lacks a required column altogether.
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise InputError("file not found", path=path)
    if os.path.isdir(path):
        raise InputError("is a directory, expected a records file", path=path)
    table = read_table(path, encoding=encoding)
    if not table.rows:  # nothing to import (an empty GeoJSON/KML has no columns either)
        return RecordsResult(events_to_gdf([]), list(table.problems),
                             layout or detect_layout(table.columns), table.encoding, path, 0)
    layout = layout or detect_layout(table.columns)
    if layout not in ("ucdp", "acled", "geomap", "generic"):
        raise InputError(f"unknown layout {layout!r}", path=path, field="layout")
    written_by_geomap = layout == "geomap" or {"event_id", "verification"} <= set(table.columns)
    if written_by_geomap and is_delimited_text(path):  # also --layout acled|ucdp exports
        _restore_formulas(table)
    mapping = layout_mapping(layout, table.columns)
    user = parse_columns_spec(columns)
    for target, source in user.items():
        if source not in table.columns:
            match = {c.lower(): c for c in table.columns}.get(source.lower())
            if match is None:
                raise InputError(
                    f"column {source!r} (for {target}) is not in the file; columns: "
                    f"{', '.join(table.columns)}", path=path, line=1, field=source)
            source = match
        mapping[target] = source
    has_xy = ("latitude" in mapping and "longitude" in mapping) or table.geometry_xy is not None
    if "event_date" not in mapping:
        raise InputError(
            f"no date column found (columns: {', '.join(table.columns)}); "
            "name it with --columns event_date=<column>", path=path, line=1, field="event_date")
    if not has_xy and "location" not in mapping:
        raise InputError(
            "no latitude/longitude and no location column found "
            f"(columns: {', '.join(table.columns)}); name them with --columns "
            "latitude=<col>,longitude=<col> or location=<col>", path=path, line=1, field="location")
    problems = list(table.problems)
    bad_lines = {p.line for p in problems if p.line is not None}
    if progress is None:
        progress = sys.stderr.isatty() and len(table.rows) > 2000
    records, lines = _convert_rows(table, mapping, layout, path, problems, bad_lines, progress)
    records, lines = _check_coordinates(records, lines, path, problems, mapping, geocode, gazetteer)
    gdf = events_to_gdf(records)
    problems.sort(key=lambda p: (p.line if p.line is not None else -1, p.severity != "error"))
    return RecordsResult(gdf, problems, layout, table.encoding, path, len(table.rows))


def _restore_formulas(table: Table) -> None:
    """Undo the formula escaping geomap applies to the CSV it writes (``'=...`` → ``=...``)."""
    from geomap.csvsafe import restore_formula

    for row in table.rows:
        for key, value in row.items():
            if isinstance(value, str) and value[:1] == "'":
                row[key] = restore_formula(value)


def _convert_rows(table: Table, mapping: dict[str, str], layout: str, path: str,
                  problems: list[Problem], bad_lines: set,
                  progress: bool = False) -> tuple[list[dict], list[int]]:
    from tqdm import tqdm

    header = table.columns
    n_header = len(header)
    extra_columns = [c for c in header if c not in mapping.values() and c not in EVENT_COLUMNS
                     and not c.startswith("_")]
    required_src = {mapping[t] for t in ("event_date", "latitude", "longitude", "location") if t in mapping}
    dayfirst = infer_dayfirst(r.get(mapping["event_date"]) for r in table.rows)
    if dayfirst is None and layout == "ucdp":
        dayfirst = False
    id_src = mapping.get("event_id")
    prefix = {"ucdp": "ucdp", "acled": "acled"}.get(layout, "")
    if id_src == "event_id":  # geomap's own id (export --layout acled|ucdp): kept as is
        prefix = ""
    seen_ids: dict[str, int] = {}
    repeats: dict[str, int] = {}  # content id -> rows seen with that content
    out: list[dict] = []
    lines: list[int] = []

    def src(target: str, row: dict):
        col = mapping.get(target)
        return row.get(col, "") if col else ""

    rows_iter = tqdm(table.rows, desc=f"reading {Path(path).name}", unit="row",
                     disable=not progress, file=sys.stderr)
    for idx, row in enumerate(rows_iter):
        line = row["_line"]
        nfields = row["_nfields"]
        if nfields < n_header:
            missing = header[nfields:]
            problems.append(Problem(path, line, missing[0],
                                    f"row has {nfields} of {n_header} fields: missing "
                                    f"{', '.join(missing)} (values may be shifted)"))
            continue
        if nfields > n_header:
            problems.append(Problem(path, line, None,
                                    f"row has {nfields} fields but the header has {n_header} "
                                    "(unquoted delimiter?)"))
            continue
        rec: dict = {}
        row_problems: list[Problem] = []

        def err(fieldname, reason, severity="error", _rp=row_problems, _line=line):
            _rp.append(Problem(path, _line, fieldname, reason, severity))

        # identity
        raw_id = src("event_id", row)
        content_id = _blank(raw_id)
        if content_id:
            rec["event_id"] = ""  # from the parsed content, below
        else:
            rid = str(raw_id).strip()
            if isinstance(raw_id, float) and raw_id.is_integer():
                rid = str(int(raw_id))
            rec["event_id"] = f"{prefix}:{rid}" if prefix and not rid.startswith(prefix + ":") else rid
        # dates
        date_raw = src("event_date", row)
        if _blank(date_raw):
            if layout == "geomap":  # geomap's own output: an undated event stays, flagged
                err(mapping["event_date"], "date is empty", "warning")
                rec["event_date"] = ""
            else:
                err(mapping["event_date"], "required date is empty")
        else:
            iso = parse_date(date_raw, dayfirst)
            if iso is None:
                err(mapping["event_date"], f"cannot parse date {str(date_raw)!r}")
            rec["event_date"] = iso or ""
        end_raw = src("end_date", row)
        rec["end_date"] = ""
        if not _blank(end_raw):
            iso = parse_date(end_raw, dayfirst)
            if iso is None:
                err(mapping["end_date"], f"cannot parse end date {str(end_raw)!r}; left empty", "warning")
            elif rec.get("event_date") and iso < rec["event_date"]:
                err(mapping["end_date"], f"end date {iso} is before the start date; left empty", "warning")
            else:
                rec["end_date"] = iso if iso != rec.get("event_date") else ""
        # text columns
        for col in STR_COLUMNS:
            if col in ("event_id", "event_date", "end_date"):
                continue
            val = src(col, row)
            if isinstance(val, (_dt.date, pd.Timestamp)) and not _blank(val):
                val = parse_date(val) if getattr(val, "hour", 0) == getattr(val, "minute", 0) == 0 \
                    else val.isoformat()
            rec[col] = "" if _blank(val) else str(val).strip()
        # numbers
        for col in FLOAT_COLUMNS:
            val = src(col, row)
            try:
                rec[col] = _to_float(val)
            except ValueError:
                sev = "error" if col in ("latitude", "longitude") else "warning"
                err(mapping.get(col), f"{col} {str(val)!r} is not a number"
                    + ("" if sev == "error" else "; left empty"), sev)
                rec[col] = None
        for col in INT_COLUMNS:
            val = src(col, row)
            try:
                rec[col] = _to_int(val)
            except ValueError:
                err(mapping.get(col), f"{col} {str(val)!r} is not a whole number; left empty", "warning")
                rec[col] = None
        try:
            rec["needs_review"] = _to_bool(src("needs_review", row))
        except ValueError as exc:
            err(mapping.get("needs_review"), f"{exc}; set to true", "warning")
            rec["needs_review"] = True
        if rec["confidence"] is not None and not 0 <= rec["confidence"] <= 1:
            err(mapping.get("confidence"), f"confidence {rec['confidence']} not in [0, 1]; left empty",
                "warning")
            rec["confidence"] = None
        # layout specifics
        if layout == "ucdp":
            _apply_ucdp(rec, row, mapping, err)
        elif layout == "acled":
            if rec["geo_precision"] not in (None, 1, 2, 3):
                err(mapping.get("geo_precision"), f"geo_precision {rec['geo_precision']} not 1–3; left empty",
                    "warning")
                rec["geo_precision"] = None
            if rec["date_precision"] is None:
                rec["date_precision"] = 1
        if rec.get("date_precision") is None:
            rec["date_precision"] = 1
        if table.geometry_xy is not None and (rec["latitude"] is None or rec["longitude"] is None):
            xy = table.geometry_xy[idx]
            if xy is not None:
                rec["longitude"], rec["latitude"] = xy
        if line in bad_lines:
            rec["needs_review"] = True
        if content_id:
            rec["event_id"] = content_event_id(layout, rec)
        if not any(p.severity == "error" for p in row_problems):
            first = seen_ids.get(rec["event_id"])
            if first is not None and content_id:  # the same report twice: keep both, counted
                base = rec["event_id"]
                repeats[base] = repeats.get(base, 1) + 1
                rec["event_id"] = f"{base}-{repeats[base]}"
                row_problems.append(Problem(path, line, None,
                                            f"same content as line {first}: kept as repeat "
                                            f"{repeats[base]} ({rec['event_id']})", "warning"))
            elif first is not None:
                row_problems.append(Problem(path, line, id_src,
                                            f"duplicate event_id {rec['event_id']!r} (first on line {first}); skipped"))
            else:
                seen_ids[rec["event_id"]] = line
        problems.extend(row_problems)
        if any(p.severity == "error" for p in row_problems):
            continue
        if any(p.field in required_src for p in row_problems):
            rec["needs_review"] = True
        if layout == "geomap":  # a table geomap wrote keeps its extra columns (links, ...)
            rec.update({c: row.get(c) for c in extra_columns})
        out.append(rec)
        lines.append(line)
    return out, lines


def _apply_ucdp(rec: dict, row: dict, mapping: dict, err) -> None:
    tov = rec.get("type_of_violence")
    label = ""
    if tov is not None and tov not in GED_VIOLENCE_TYPES:
        err(mapping.get("type_of_violence"), f"unknown type_of_violence {tov!r}; left empty",
            "warning")
        rec["type_of_violence"] = tov = None
    if not rec.get("event_type") and tov in GED_VIOLENCE_TYPES:
        # a GED row: the ACLED type from UCDP's, the UCDP type kept in type_of_violence
        rec["event_type"] = GED_VIOLENCE_TYPES[tov][0]
        rec["sub_event_type"] = rec.get("sub_event_type") or GED_VIOLENCE_TYPES[tov][2]
        label = f"UCDP type_of_violence {tov} ({GED_VIOLENCE_TYPES[tov][1]})"
    # ACLED's derived columns next to UCDP's, where the file has none
    rec["disorder_type"] = rec.get("disorder_type") or disorder_type(rec.get("event_type", ""))
    if rec.get("iso") is None and rec.get("country"):
        rec["iso"] = iso_numeric(rec["country"])
    prec = rec.get("geo_precision")
    if prec is not None:
        if prec in GED_TO_ACLED_PRECISION:
            rec["geo_precision"] = GED_TO_ACLED_PRECISION[prec]
        else:
            err(mapping.get("geo_precision"), f"where_prec {prec} not 1–7; geo_precision left empty",
                "warning")
            rec["geo_precision"] = None
    dprec = rec.get("date_precision")
    rec["date_precision"] = GED_DATE_PRECISION.get(dprec, 1) if dprec is not None else 1
    desc = str(row.get("where_description", "") or "").strip()
    extra = "; ".join(x for x in (label, f"where: {desc}" if desc else "") if x)
    if extra:
        rec["notes"] = f"{rec['notes']} [{extra}]" if rec["notes"] else f"[{extra}]"


def _check_coordinates(records: list[dict], lines: list[int], path: str, problems: list[Problem],
                       mapping: dict, geocode: bool, gazetteer) -> tuple[list[dict], list[int]]:
    """Range checks, swapped lat/lon, point-vs-country checks and geocoding of bare names."""
    lat_f, lon_f = mapping.get("latitude", "latitude"), mapping.get("longitude", "longitude")
    keep = np.ones(len(records), dtype=bool)
    to_geocode: list[int] = []
    for i, rec in enumerate(records):
        lat, lon = rec["latitude"], rec["longitude"]
        line = lines[i]
        if lat is None and lon is None:
            if rec["location"]:
                to_geocode.append(i)
            else:
                problems.append(Problem(path, line, lat_f, "no coordinates and no location"))
                keep[i] = False
            continue
        if lat is None or lon is None:
            problems.append(Problem(path, line, lat_f if lat is None else lon_f,
                                    "only one of latitude/longitude is given"))
            keep[i] = False
            continue
        if not (np.isfinite(lat) and np.isfinite(lon)):
            problems.append(Problem(path, line, lat_f, "coordinates are not finite numbers"))
            keep[i] = False
        elif abs(lat) > 90:  # never swapped silently: the row is rejected, the hint given
            hint = (f"; longitude {lon} is a valid latitude: are latitude and longitude swapped?"
                    if abs(lon) <= 90 and abs(lat) <= 180 else "")
            problems.append(Problem(path, line, lat_f,
                                    f"latitude {lat} out of range [-90, 90]{hint}"))
            keep[i] = False
        elif abs(lon) > 180:
            problems.append(Problem(path, line, lon_f, f"longitude {lon} out of range [-180, 180]"))
            keep[i] = False
    _check_countries(records, lines, keep, path, problems, lat_f)
    if to_geocode:
        if not geocode:
            for i in to_geocode:
                problems.append(Problem(path, lines[i], lat_f, "no coordinates (geocoding is off)"))
                keep[i] = False
        else:
            _geocode_rows(records, lines, to_geocode, keep, path, problems, mapping, gazetteer)
    return [r for r, k in zip(records, keep, strict=True) if k], [ln for ln, k in zip(lines, keep, strict=True) if k]


def _check_countries(records, lines, keep, path, problems, lat_f) -> None:
    """Reject points outside the row's country (RU/UA/BY; 5 km tolerance), naming swaps."""

    from geomap.spatial.filters import region_layer, region_name_to_iso

    idx = [i for i, r in enumerate(records)
           if keep[i] and r["latitude"] is not None and r["country"]]
    if not idx:
        return
    names = {records[i]["country"] for i in idx}
    isos = {n: region_name_to_iso(n) for n in names}
    layer = region_layer("country").set_index("iso_a2")
    by_iso: dict[str, list[int]] = {}
    for i in idx:
        iso = isos.get(records[i]["country"])
        if iso in layer.index:
            by_iso.setdefault(iso, []).append(i)
    for iso, rows in by_iso.items():
        poly = layer.loc[iso, "geometry"]
        lat = np.array([records[i]["latitude"] for i in rows])
        lon = np.array([records[i]["longitude"] for i in rows])
        inside = shapely.contains_xy(poly, lon, lat)
        if inside.all():
            continue
        swapped_inside = shapely.contains_xy(poly, lat, lon)
        out_pts = shapely.points(lon[~inside], lat[~inside])
        # distance (km) from the outside points to the country, for a tolerance at the border
        nearest = shapely.get_point(shapely.shortest_line(out_pts, poly), 1)
        from pyproj import Geod

        _, _, dist = Geod(ellps="WGS84").inv(lon[~inside], lat[~inside],
                                             shapely.get_x(nearest), shapely.get_y(nearest))
        dist_km = np.zeros(len(rows))
        dist_km[~inside] = dist / 1000
        for k, i in enumerate(rows):
            if inside[k]:
                continue
            rec = records[i]
            if swapped_inside[k]:
                keep[i] = False
                problems.append(Problem(path, lines[i], lat_f,
                                        f"point ({lat[k]}, {lon[k]}) is outside {rec['country']} but "
                                        "(longitude, latitude) would be inside: are latitude and "
                                        "longitude swapped?"))
            elif dist_km[k] > 5:
                keep[i] = False
                problems.append(Problem(path, lines[i], lat_f,
                                        f"point ({rec['latitude']}, {rec['longitude']}) lies "
                                        f"{dist_km[k]:.0f} km outside {rec['country']}"))


def _geocode_rows(records, lines, rows, keep, path, problems, mapping, gazetteer) -> None:
    from geomap.events.geocode import Resolver

    try:
        resolver = Resolver(gazetteer=gazetteer)
    except GeomapError as exc:
        for i in rows:
            problems.append(Problem(path, lines[i], mapping.get("location"),
                                    f"no coordinates and cannot geocode: {exc}"))
            keep[i] = False
        return
    for i in rows:
        rec = records[i]
        res = resolver.resolve(rec["location"], admin1=rec["admin1"] or None,
                               admin2=rec["admin2"] or None, country=rec["country"] or None)
        if not res.resolved:
            problems.append(Problem(path, lines[i], mapping.get("location"),
                                    f"unknown place {rec['location']!r}: {res.reason}"))
            keep[i] = False
            continue
        rec["latitude"], rec["longitude"] = res.latitude, res.longitude
        rec["geo_precision"] = max(rec["geo_precision"] or 1, res.geo_precision or 1)
        rec["geonameid"] = rec["geonameid"] or res.geonameid or res.place_id
        rec["confidence"] = res.confidence if rec["confidence"] is None else rec["confidence"]
        rec["admin1"] = rec["admin1"] or res.admin1
        rec["admin2"] = rec["admin2"] or res.admin2
        rec["needs_review"] = rec["needs_review"] or res.needs_review
        if res.needs_review:
            problems.append(Problem(path, lines[i], mapping.get("location"),
                                    f"geocoded {rec['location']!r} needs review: {res.reason}", "warning"))
