"""Checking record rows: every cell coerced to its column's type, every bad value reported.

Nothing is dropped or fixed silently: a row with an error is left out and named in a
``Problem(path, line, field, reason)``; a doubtful value is left empty (or the row
flagged ``needs_review``) with a warning.  A missing column altogether is an
``InputError(path, line, field)``.  ``content_event_id`` gives rows without an id a
stable one from their parsed content.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import unicodedata
from collections.abc import Mapping

import numpy as np
import pandas as pd
import shapely

from geomap.errors import InputError
from geomap.geodesy import distance_km
from geomap.io.problems import Problem
from geomap.io.tables import Table
from geomap.records.layouts import Layout, ReportProblem
from geomap.regions import region_layer, region_name_to_iso
from geomap.schema import EVENT_COLUMNS, FLOAT_COLUMNS, INT_COLUMNS, STR_COLUMNS
from geomap.values import is_blank, parse_date, to_bool, to_float, to_int

__all__ = ["InputError", "Problem", "check_points", "check_row_width", "coerce_row",
           "content_event_id", "require_columns", "RepeatedIds"]


# --------------------------------------------------------------------------- columns
def require_columns(mapping: Mapping[str, str], table: Table, path: str) -> None:
    """Raise ``InputError`` unless the table has a date and a point or a location column."""
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


# --------------------------------------------------------------------------- rows
def check_row_width(row: dict, header: list[str], path: str) -> Problem | None:
    """An error when a row has fewer or more fields than the header (values shifted)."""
    line, nfields, n_header = row["_line"], row["_nfields"], len(header)
    if nfields < n_header:
        missing = header[nfields:]
        return Problem(path, line, missing[0],
                       f"row has {nfields} of {n_header} fields: missing "
                       f"{', '.join(missing)} (values may be shifted)")
    if nfields > n_header:
        return Problem(path, line, None,
                       f"row has {nfields} fields but the header has {n_header} "
                       "(unquoted delimiter?)")
    return None


def coerce_row(raw: dict, layout: Layout, mapping: Mapping[str, str], dayfirst: bool | None,
               err: ReportProblem) -> tuple[dict, bool]:
    """A row's raw cells (``Layout.map_row``) as typed EVENT_COLUMNS values.

    Returns the record and whether its id must come from its content (no id cell).
    """
    rec: dict = {}
    # identity
    prefix = "" if mapping.get("event_id") == "event_id" else layout.id_prefix
    raw_id = raw["event_id"]
    content_id = is_blank(raw_id)
    if content_id:
        rec["event_id"] = ""  # from the parsed content, once the row is checked
    else:
        rid = str(raw_id).strip()
        if isinstance(raw_id, float) and raw_id.is_integer():
            rid = str(int(raw_id))
        rec["event_id"] = f"{prefix}:{rid}" if prefix and not rid.startswith(prefix + ":") else rid
    # dates
    date_raw = raw["event_date"]
    if is_blank(date_raw):
        if not layout.date_required:  # geomap's own output: an undated event stays, flagged
            err(mapping["event_date"], "date is empty", "warning")
            rec["event_date"] = ""
        else:
            err(mapping["event_date"], "required date is empty")
    else:
        iso = parse_date(date_raw, dayfirst)
        if iso is None:
            err(mapping["event_date"], f"cannot parse date {str(date_raw)!r}")
        rec["event_date"] = iso or ""
    end_raw = raw["end_date"]
    rec["end_date"] = ""
    if not is_blank(end_raw):
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
        val = raw[col]
        if isinstance(val, (_dt.date, pd.Timestamp)) and not is_blank(val):
            val = parse_date(val) if getattr(val, "hour", 0) == getattr(val, "minute", 0) == 0 \
                else val.isoformat()
        rec[col] = "" if is_blank(val) else str(val).strip()
    # numbers
    for col in FLOAT_COLUMNS:
        val = raw[col]
        try:
            rec[col] = to_float(val)
        except ValueError:
            sev = "error" if col in ("latitude", "longitude") else "warning"
            err(mapping.get(col), f"{col} {str(val)!r} is not a number"
                + ("" if sev == "error" else "; left empty"), sev)
            rec[col] = None
    for col in INT_COLUMNS:
        val = raw[col]
        try:
            rec[col] = to_int(val)
        except ValueError:
            err(mapping.get(col), f"{col} {str(val)!r} is not a whole number; left empty", "warning")
            rec[col] = None
    try:
        rec["needs_review"] = to_bool(raw["needs_review"])
    except ValueError as exc:
        err(mapping.get("needs_review"), f"{exc}; set to true", "warning")
        rec["needs_review"] = True
    if rec["confidence"] is not None and not 0 <= rec["confidence"] <= 1:
        err(mapping.get("confidence"), f"confidence {rec['confidence']} not in [0, 1]; left empty",
            "warning")
        rec["confidence"] = None
    return rec, content_id


class RepeatedIds:
    """Ids seen so far in a file: a repeated source id is an error (the row is skipped); the
    same content twice without an id is kept as a counted repeat, with a warning."""

    def __init__(self, path: str, id_column: str | None):
        self.path, self.id_column = path, id_column
        self.seen: dict[str, int] = {}  # event_id -> first line
        self.repeats: dict[str, int] = {}  # content id -> rows seen with that content

    def check(self, rec: dict, line: int, content_id: bool) -> Problem | None:
        first = self.seen.get(rec["event_id"])
        if first is not None and content_id:  # the same report twice: keep both, counted
            base = rec["event_id"]
            self.repeats[base] = self.repeats.get(base, 1) + 1
            rec["event_id"] = f"{base}-{self.repeats[base]}"
            return Problem(self.path, line, None,
                           f"same content as line {first}: kept as repeat "
                           f"{self.repeats[base]} ({rec['event_id']})", "warning")
        if first is not None:
            return Problem(self.path, line, self.id_column,
                           f"duplicate event_id {rec['event_id']!r} (first on line {first}); skipped")
        self.seen[rec["event_id"]] = line
        return None


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


# --------------------------------------------------------------------------- points
def check_points(records: list[dict], lines: list[int], path: str, problems: list[Problem],
                 mapping: dict) -> tuple[np.ndarray, list[int]]:
    """Range checks, swapped lat/lon and point-vs-country checks of the rows' points.

    Returns which rows to keep and the rows with a location but no point (to geocode).
    """
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
    check_countries(records, lines, keep, path, problems, lat_f)
    return keep, to_geocode


def check_countries(records, lines, keep, path, problems, lat_f) -> None:
    """Reject points outside the row's country (RU/UA/BY; 5 km tolerance), naming swaps."""
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
        dist_km = np.zeros(len(rows))
        dist_km[~inside] = distance_km(lat[~inside], lon[~inside],
                                       shapely.get_y(nearest), shapely.get_x(nearest))
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
