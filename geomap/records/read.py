"""Reading a records file: ``read_records`` reads as read → map → validate → geocode.

1. read: ``geomap.io.tables.read_table`` gives the header, the rows and their lines;
2. map: the layout (``geomap.records.layouts``) names the source column of every
   target and picks each row's cells;
3. validate: ``geomap.records.validate`` types every cell, checks points, dates and ids
   and reports each bad or doubtful row as a ``Problem``;
4. geocode: rows with a location but no point get one from the gazetteer.

The result holds the good rows as a GeoDataFrame and the problems; nothing is dropped
silently.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
from tqdm import tqdm

from geomap.errors import GeomapError, InputError
from geomap.io.csv import restore_formula
from geomap.io.problems import Problem
from geomap.io.tables import Table, is_delimited_text, read_table
from geomap.records.geocode import RowGeocoder
from geomap.records.layouts import Layout, detect_layout, get_layout, parse_columns_spec
from geomap.records.validate import (
    RepeatedIds,
    check_points,
    check_row_width,
    coerce_row,
    content_event_id,
    require_columns,
)
from geomap.schema import EVENT_COLUMNS, events_to_gdf
from geomap.values import infer_dayfirst


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
    path = _existing_file(path)
    table = read_table(path, encoding=encoding)  # 1. read
    if not table.rows:  # nothing to import (an empty GeoJSON/KML has no columns either)
        return RecordsResult(events_to_gdf([]), list(table.problems),
                             layout or detect_layout(table.columns), table.encoding, path, 0)
    source = get_layout(layout or detect_layout(table.columns), path)
    written_by_geomap = source.name == "geomap" or {"event_id", "verification"} <= set(table.columns)
    if written_by_geomap and is_delimited_text(path):  # also --layout acled|ucdp exports
        _restore_formulas(table)
    mapping = column_mapping(source, table, columns, path)  # 2. map ...
    require_columns(mapping, table, path)
    problems = list(table.problems)
    if progress is None:
        progress = sys.stderr.isatty() and len(table.rows) > 2000
    records, lines = map_rows(table, source, mapping, path, problems, progress)  # ... 3. validate
    keep, to_geocode = check_points(records, lines, path, problems, mapping)
    lat_f = mapping.get("latitude", "latitude")
    if to_geocode and not geocode:
        for i in to_geocode:
            problems.append(Problem(path, lines[i], lat_f, "no coordinates (geocoding is off)"))
            keep[i] = False
    elif to_geocode:  # 4. geocode
        geocode_rows(records, lines, to_geocode, keep, path, problems, mapping, gazetteer)
    gdf = events_to_gdf([r for r, k in zip(records, keep, strict=True) if k])
    problems.sort(key=lambda p: (p.line if p.line is not None else -1, p.severity != "error"))
    return RecordsResult(gdf, problems, source.name, table.encoding, path, len(table.rows))


def _existing_file(path) -> str:
    path = os.fspath(path)
    if not os.path.exists(path):
        raise InputError("file not found", path=path)
    if os.path.isdir(path):
        raise InputError("is a directory, expected a records file", path=path)
    return path


def _restore_formulas(table: Table) -> None:
    """Undo the formula escaping geomap applies to the CSV it writes (``'=...`` → ``=...``)."""
    for row in table.rows:
        for key, value in row.items():
            if isinstance(value, str) and value[:1] == "'":
                row[key] = restore_formula(value)


# --------------------------------------------------------------------------- map
def column_mapping(layout: Layout, table: Table, columns, path: str) -> dict[str, str]:
    """The layout's target -> source column, overridden and extended by ``columns``."""
    mapping = layout.mapping(table.columns)
    for target, source in parse_columns_spec(columns).items():
        if source not in table.columns:
            match = {c.lower(): c for c in table.columns}.get(source.lower())
            if match is None:
                raise InputError(
                    f"column {source!r} (for {target}) is not in the file; columns: "
                    f"{', '.join(table.columns)}", path=path, line=1, field=source)
            source = match
        mapping[target] = source
    return mapping


def map_rows(table: Table, layout: Layout, mapping: dict[str, str], path: str,
             problems: list[Problem], progress: bool = False) -> tuple[list[dict], list[int]]:
    """Every row mapped and checked: the good records and their lines; problems appended."""
    header = table.columns
    extra_columns = [c for c in header if c not in mapping.values() and c not in EVENT_COLUMNS
                     and not c.startswith("_")]
    required_src = {mapping[t] for t in ("event_date", "latitude", "longitude", "location") if t in mapping}
    bad_lines = {p.line for p in problems if p.line is not None}
    dayfirst = infer_dayfirst(r.get(mapping["event_date"]) for r in table.rows)
    if dayfirst is None:
        dayfirst = layout.dayfirst
    ids = RepeatedIds(path, mapping.get("event_id"))
    out: list[dict] = []
    lines: list[int] = []
    rows_iter = tqdm(table.rows, desc=f"reading {Path(path).name}", unit="row",
                     disable=not progress, file=sys.stderr)
    for idx, row in enumerate(rows_iter):
        line = row["_line"]
        width = check_row_width(row, header, path)
        if width is not None:
            problems.append(width)
            continue
        row_problems: list[Problem] = []

        def err(fieldname, reason, severity="error", _rp=row_problems, _line=line):
            _rp.append(Problem(path, _line, fieldname, reason, severity))

        rec, content_id = coerce_row(layout.map_row(row, mapping), layout, mapping, dayfirst, err)
        layout.code_row(rec, row, mapping, err)
        if rec.get("date_precision") is None:
            rec["date_precision"] = 1
        if table.geometry_xy is not None and (rec["latitude"] is None or rec["longitude"] is None):
            xy = table.geometry_xy[idx]
            if xy is not None:
                rec["longitude"], rec["latitude"] = xy
        if line in bad_lines:
            rec["needs_review"] = True
        if content_id:
            rec["event_id"] = content_event_id(layout.name, rec)
        if not any(p.severity == "error" for p in row_problems):
            repeated = ids.check(rec, line, content_id)
            if repeated is not None:
                row_problems.append(repeated)
        problems.extend(row_problems)
        if any(p.severity == "error" for p in row_problems):
            continue
        if any(p.field in required_src for p in row_problems):
            rec["needs_review"] = True
        if layout.keeps_extra_columns:
            rec.update({c: row.get(c) for c in extra_columns})
        out.append(rec)
        lines.append(line)
    return out, lines


# --------------------------------------------------------------------------- geocode
def geocode_rows(records: list[dict], lines: list[int], rows: list[int], keep: np.ndarray,
                 path: str, problems: list[Problem], mapping: dict, gazetteer) -> None:
    """Fill the point of each row in ``rows`` from its location (the row's admin1/admin2/
    country as context); a name the gazetteer cannot place rejects its row."""
    try:
        resolver = RowGeocoder(gazetteer=gazetteer)
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
