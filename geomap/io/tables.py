"""Reading record tables: CSV/TSV (any common encoding), XLSX, GeoJSON, GeoPackage, KML.

``read_table(path)`` returns the header, the rows with their physical line numbers and
the problems met while reading (a non-UTF-8 file decoded from its legacy encoding, an
unbalanced quote, a vector feature that is not a point).  Mapping the columns onto
events is ``geomap.records``' job.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geomap.errors import InputError
from geomap.io.encoding import decode_bytes
from geomap.io.kml import read_kml
from geomap.io.problems import Problem
from geomap.schema import STORE_COLUMNS


@dataclass
class Table:
    columns: list[str]
    rows: list[dict]  # column -> raw value, plus "_line" and "_nfields"
    encoding: str = "utf-8"
    problems: list[Problem] = field(default_factory=list)
    geometry_xy: list[tuple[float, float] | None] | None = None


MAX_HEADER_CELL = 1000  # characters in one column name: beyond it the file is not a table


def _read_csv(path: str, encoding: str | None = None) -> Table:
    raw = Path(path).read_bytes()
    text, encoding, problems = decode_bytes(raw, path, encoding)
    sample = text[:16384]
    try:
        dialect = csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    # a single field may be as long as the file (a long notes cell is data, not an error)
    csv.field_size_limit(max(csv.field_size_limit(), min(len(text) + 1, 2**31 - 1)))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise InputError("file is empty", path=path, line=1) from exc
    except csv.Error as exc:
        raise InputError(f"cannot parse the CSV header: {exc}", path=path, line=1) from None
    header = [h.strip() for h in header]
    if not any(header):
        raise InputError("first line has no column names", path=path, line=1)
    for i, name in enumerate(header):
        if len(name) > MAX_HEADER_CELL:
            raise InputError(f"column {i + 1} of the header is {len(name):,} characters long: "
                             "not a table with column names on line 1", path=path, line=1)
    if reader.line_num > 1:
        raise InputError("the header spans several lines (an unbalanced quote?)", path=path,
                         line=1)
    rows = []
    prev = reader.line_num
    try:
        for values in reader:
            line = prev + 1
            prev = reader.line_num
            if not values or all(not v.strip() for v in values):
                continue
            if prev > line and _swallowed_rows(values, delimiter, len(header)):
                problems.extend(_report_swallowed(path, line, prev, values, header))
                continue
            row = dict(zip(header, values, strict=False))
            row["_line"], row["_nfields"] = line, len(values)
            rows.append(row)
    except csv.Error as exc:
        raise InputError(f"cannot parse CSV: {exc}", path=path, line=prev + 1) from exc
    return Table(header, rows, encoding, problems)


def _swallowed_rows(values: list[str], delimiter: str, n_header: int) -> bool:
    """Whether a value that spans lines holds whole rows (an unbalanced quote folded them in)."""
    need = max(1, n_header - 1)
    for value in values:
        if "\n" not in value and "\r" not in value:
            continue
        for segment in value.splitlines()[1:]:
            if segment.count(delimiter) >= need:
                return True
    return False


def _report_swallowed(path: str, first: int, last: int, values: list[str],
                      header: list[str]) -> list[Problem]:
    """One error for the row that opened the quote and one for every row it swallowed."""
    col = next((header[i] if i < len(header) else None
                for i, v in enumerate(values) if "\n" in v or "\r" in v), None)
    out = [Problem(path, first, col, f"unbalanced quote: the quoted value runs over lines "
                   f"{first}-{last}, folding {last - first} rows into this one; row not imported")]
    out += [Problem(path, line, None, f"swallowed by the unbalanced quote opened on line {first}; "
                    "row not imported") for line in range(first + 1, last + 1)]
    return out


def _read_xlsx(path: str) -> Table:
    try:
        df = pd.read_excel(path, sheet_name=0, dtype=object)
    except Exception as exc:
        raise InputError(f"cannot read spreadsheet: {exc}", path=path) from exc
    header = [str(c).strip() for c in df.columns]
    df.columns = header
    rows = []
    for i, rec in enumerate(df.to_dict("records")):
        if all(v is None or (isinstance(v, float) and np.isnan(v)) or str(v).strip() == ""
               for v in rec.values()):
            continue
        rec = {k: ("" if v is None or (isinstance(v, float) and np.isnan(v)) else v)
               for k, v in rec.items()}
        rec["_line"], rec["_nfields"] = i + 2, len(header)
        rows.append(rec)
    return Table(header, rows)


def _as_store_reads_it(gdf: pd.DataFrame) -> pd.DataFrame:
    """A geomap store file read as a plain input: the columns and row order of ``--store``.

    The store's bookkeeping columns stay inside (``extra`` is unpacked into the columns
    it holds, ``record_hash``/``first_seen``/``last_seen`` dropped) and rows come in the
    store's order (event_date, event_id).
    """
    if not set(STORE_COLUMNS) <= set(gdf.columns):
        return gdf
    extras = [json.loads(e) if isinstance(e, str) and e else {} for e in gdf["extra"]]
    gdf = gdf.drop(columns=STORE_COLUMNS)
    for col in sorted({k for e in extras for k in e}):
        if col not in gdf:
            gdf[col] = [e.get(col) for e in extras]
    order = gdf[["event_date", "event_id"]].fillna("").astype(str)
    return gdf.loc[order.sort_values(["event_date", "event_id"], kind="stable").index] \
        .reset_index(drop=True)


def _read_vector(path: str) -> Table:
    import pyogrio

    # no .aux.xml sidecar next to the file: GDAL's PAM would write one on reading a GPKG
    pyogrio.set_gdal_config_options({"GDAL_PAM_ENABLED": "NO"})
    try:
        gdf = pyogrio.read_dataframe(path, datetime_as_string=True)
    except Exception as exc:
        raise InputError(f"cannot read vector file: {exc}", path=path) from exc
    gdf = _as_store_reads_it(gdf)
    geoms = gdf.geometry if isinstance(gdf, gpd.GeoDataFrame) else None
    if geoms is not None and gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        geoms = geoms.to_crs(4326)
    header = [c for c in gdf.columns if c != getattr(gdf, "_geometry_column_name", None)]
    frame = pd.DataFrame(gdf[header])
    xy: list[tuple[float, float] | None] = []
    problems: list[Problem] = []
    if geoms is not None:
        kinds = geoms.geom_type.to_numpy()
        not_point = [i for i, k in enumerate(kinds) if k not in ("Point", None)]
        pts = geoms.representative_point() if not_point else geoms
        for g in pts:
            xy.append(None if g is None or g.is_empty else (g.x, g.y))
        for i in not_point:
            problems.append(Problem(path, i + 1, "geometry",
                                    f"geometry is a {kinds[i]}; using a point inside it", "warning"))
    rows = []
    for i, rec in enumerate(frame.to_dict("records")):
        rec = {k: ("" if v is None or (isinstance(v, float) and np.isnan(v)) else v)
               for k, v in rec.items()}
        rec["_line"], rec["_nfields"] = i + 1, len(header)
        rows.append(rec)
    return Table(header, rows, problems=problems, geometry_xy=xy or None)


SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls")
VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg", ".kml", ".shp", ".fgb", ".gml")


def is_delimited_text(path: str) -> bool:
    """Whether ``read_table`` reads ``path`` as CSV/TSV (anything not a sheet or vector)."""
    return Path(path).suffix.lower() not in SPREADSHEET_SUFFIXES + VECTOR_SUFFIXES


def read_table(path: str, encoding: str | None = None) -> Table:
    """The header, rows and reading problems of a CSV/TSV, XLSX, KML or vector file.

    ``encoding`` (CSV only) overrides the detection of the text encoding.
    """
    ext = Path(path).suffix.lower()
    if ext in SPREADSHEET_SUFFIXES:
        return _read_xlsx(path)
    if ext in VECTOR_SUFFIXES:
        if ext == ".kml":
            frame, problems = read_kml(path)
            header = [c for c in frame.columns if c != "_line"]
            rows = []
            for rec in frame.to_dict("records"):
                rec["_nfields"] = len(header)
                rows.append(rec)
            return Table(header, rows, problems=problems)
        return _read_vector(path)
    return _read_csv(path, encoding)
