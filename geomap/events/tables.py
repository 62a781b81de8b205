"""Reading record tables: CSV (any common encoding), XLSX, GeoJSON, GeoPackage, KML.

``read_table(path)`` returns the header, the rows with their physical line numbers and
the problems met while reading (a non-UTF-8 file decoded from its legacy encoding, a
vector feature that is not a point); ``decode_bytes`` guesses cp1251/latin-1 by word
shape when a file is not UTF-8.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geomap.errors import InputError


@dataclass
class Problem:
    """One bad (``severity="error"``, row dropped) or doubtful (``"warning"``, row kept) row."""

    path: str
    line: int | None
    field: str | None
    reason: str
    severity: str = "error"

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
        fld = f" [{self.field}]" if self.field else ""
        return f"{where}:{fld} {self.severity}: {self.reason}"


_WORD_RE = re.compile(r"[^\W\d_]+")
_LATIN_RE = re.compile(r"[A-Za-z]")
_CYR_RE = re.compile("[\u0400-\u04ff]")


def _guess_legacy(raw: bytes) -> str:
    """cp1251 if the bytes read as Cyrillic words in it, else cp1252 (latin-1 superset).

    Every byte 0xC0–0xFF is a Cyrillic letter in cp1251, so latin-1 text decoded as
    cp1251 shows words that mix Latin and Cyrillic letters ("Kдmpfe"); real Cyrillic
    text has whole Cyrillic words.
    """
    text = raw.decode("cp1251", errors="replace")
    cyrillic = mixed = 0
    for word in _WORD_RE.findall(text):
        if _CYR_RE.search(word):
            if _LATIN_RE.search(word):
                mixed += 1
            else:
                cyrillic += 1
    return "cp1251" if cyrillic > mixed else "cp1252"


def decode_bytes(raw: bytes, path: str) -> tuple[str, str, list[Problem]]:
    """Decode a text file, detecting UTF-8 (with/without BOM), UTF-16, cp1251 and latin-1.

    A file that is UTF-8 except for some lines keeps those lines, decoded with the best
    legacy code page, and reports each one.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16", []
    try:
        return raw.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    lines = raw.split(b"\n")
    bad = []
    for i, line in enumerate(lines):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(i)
    bad_set = set(bad)
    utf8_non_ascii = sum(1 for i, line in enumerate(lines)
                         if i not in bad_set and any(b > 127 for b in line))
    legacy = _guess_legacy(b"\n".join(lines[i] for i in bad))
    if utf8_non_ascii and utf8_non_ascii >= len(bad) / 2:  # a UTF-8 file with odd lines
        out, problems = [], []
        for i, line in enumerate(lines):
            if i in bad_set:
                out.append(line.decode(legacy, errors="replace"))
                problems.append(Problem(path, i + 1, None,
                                        f"line is not valid UTF-8; decoded as {legacy} — check its text",
                                        "warning"))
            else:
                out.append(line.decode("utf-8"))
        return "\n".join(out), f"utf-8 (+{legacy} lines)", problems
    enc = _guess_legacy(raw)
    label = "cp1251 (Cyrillic)" if enc == "cp1251" else "latin-1/cp1252"
    return raw.decode(enc, errors="replace"), enc, [
        Problem(path, None, None, f"file is not UTF-8; detected and decoded as {label}", "warning")
    ]


# --------------------------------------------------------------------------- reading
@dataclass
class Table:
    columns: list[str]
    rows: list[dict]  # column -> raw value, plus "_line" and "_nfields"
    encoding: str = "utf-8"
    problems: list[Problem] = field(default_factory=list)
    geometry_xy: list[tuple[float, float] | None] | None = None


def _read_csv(path: str) -> Table:
    raw = Path(path).read_bytes()
    text, encoding, problems = decode_bytes(raw, path)
    sample = text[:16384]
    try:
        dialect = csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise InputError("file is empty", path=path, line=1) from exc
    header = [h.strip() for h in header]
    if not any(header):
        raise InputError("first line has no column names", path=path, line=1)
    rows = []
    prev = reader.line_num
    try:
        for values in reader:
            line = prev + 1
            prev = reader.line_num
            if not values or all(not v.strip() for v in values):
                continue
            row = dict(zip(header, values, strict=False))
            row["_line"], row["_nfields"] = line, len(values)
            rows.append(row)
    except csv.Error as exc:
        raise InputError(f"cannot parse CSV: {exc}", path=path, line=prev + 1) from exc
    return Table(header, rows, encoding, problems)


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
    import json

    from geomap.events.schema import STORE_COLUMNS

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


def read_table(path: str) -> Table:
    ext = Path(path).suffix.lower()
    if ext in (".xlsx", ".xlsm", ".xls"):
        return _read_xlsx(path)
    if ext in (".geojson", ".json", ".gpkg", ".kml", ".shp", ".fgb", ".gml"):
        if ext == ".kml":
            from geomap.io import kml_to_frame

            frame = kml_to_frame(path)
            header = list(frame.columns)
            rows = []
            for i, rec in enumerate(frame.to_dict("records")):
                rec["_line"], rec["_nfields"] = i + 1, len(header)
                rows.append(rec)
            return Table(header, rows)
        return _read_vector(path)
    return _read_csv(path)


