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
import xml.etree.ElementTree as ET
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


_BOMS = [  # longest first: the UTF-32-LE BOM starts with the UTF-16-LE one
    (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"),
]
ENCODING_HINT = "give the encoding with --encoding (e.g. utf-16-le, utf-32, cp1251)"


def sniff_wide_encoding(raw: bytes) -> str | None:
    """UTF-16/UTF-32 (LE/BE) of BOM-less text, from where its NUL bytes fall, else None.

    Mostly-ASCII text in UTF-16 has a NUL in every other byte, in UTF-32 three of four.
    """
    sample = raw[:65536]
    n = len(sample) - len(sample) % 4
    if n < 4 or b"\x00" not in sample:
        return None
    sample = sample[:n]
    nul = [sum(1 for b in sample[k::4] if b == 0) / (n // 4) for k in range(4)]
    if min(nul[1], nul[2], nul[3]) > 0.9 and nul[0] < 0.5:
        return "utf-32-le"
    if min(nul[0], nul[1], nul[2]) > 0.9 and nul[3] < 0.5:
        return "utf-32-be"
    odd, even = (nul[1] + nul[3]) / 2, (nul[0] + nul[2]) / 2
    if odd > 0.6 and even < 0.2:
        return "utf-16-le"
    if even > 0.6 and odd < 0.2:
        return "utf-16-be"
    return None


def _decode_as(raw: bytes, encoding: str, path: str, how: str) -> str:
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        where = f" (byte {exc.start})" if isinstance(exc, UnicodeDecodeError) else ""
        raise InputError(f"cannot decode as {how} {encoding}{where}: {exc.reason if where else exc}; "
                         f"{ENCODING_HINT}", path=path, field="encoding") from None


def decode_bytes(raw: bytes, path: str, encoding: str | None = None
                 ) -> tuple[str, str, list[Problem]]:
    """Decode a text file, detecting UTF-8 (with/without BOM), UTF-16 and UTF-32 (with or
    without BOM), cp1251 and latin-1; ``encoding`` skips the detection.

    A file that is UTF-8 except for some lines keeps those lines, decoded with the best
    legacy code page, and reports each one.  Text that still holds NUL bytes (an
    encoding not detected) is an ``InputError`` pointing at ``--encoding``.
    """
    if encoding:
        text = _decode_as(raw, encoding, path, "the given")
        return text.removeprefix("\ufeff"), encoding, []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    else:
        for bom, enc in _BOMS:
            if raw.startswith(bom):
                return _decode_as(raw, enc, path, "BOM-marked"), enc, []
        wide = sniff_wide_encoding(raw)
        if wide:
            text = _decode_as(raw, wide, path, "detected")
            return text, wide, [Problem(path, None, None, f"file has no byte-order mark; "
                                        f"detected and decoded as {wide}", "warning")]
    if b"\x00" in raw:
        line = raw[:raw.index(b"\x00")].count(b"\n") + 1
        raise InputError(f"file holds NUL bytes: not UTF-8/cp1251/latin-1 text, encoding unknown; "
                         f"{ENCODING_HINT}", path=path, line=line, field="encoding")
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
    import json

    from geomap.schema import STORE_COLUMNS

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


def read_kml(path: str) -> tuple[pd.DataFrame, list]:
    """Placemarks of a KML file (ExtendedData fields + latitude/longitude) and the problems.

    The file is parsed with ``defusedxml`` (no entity expansion, no external entities:
    KML from outside is untrusted).  A placemark whose ``<coordinates>`` are not
    ``lon,lat[,alt]`` numbers is reported and left out; the others are kept.  The frame's
    ``_line`` column is each placemark's 1-based number in the file.
    """
    import html

    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    try:
        tree = DET.parse(path)
    except ET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise InputError(f"not valid KML/XML: {exc}", path=path, line=line) from exc
    except DefusedXmlException as exc:
        raise InputError(f"refused unsafe XML ({type(exc).__name__}: entities and DTDs are not "
                         "allowed in KML)", path=path) from None
    rows, problems = [], []
    number = 0
    for pm in tree.iter():
        if not isinstance(pm.tag, str) or not pm.tag.endswith("Placemark"):
            continue
        number += 1
        row: dict = {}
        for el in pm.iter():
            if not isinstance(el.tag, str):
                continue
            if el.tag.endswith("}Data") or el.tag == "Data":
                value = next((c.text for c in el if isinstance(c.tag, str)
                              and c.tag.endswith("value")), None)
                row[str(el.get("name"))] = value or ""
            elif el.tag.endswith("SimpleData"):
                row[str(el.get("name"))] = el.text or ""
        if "location" not in row:
            name = next((c.text for c in pm if isinstance(c.tag, str) and c.tag.endswith("name")),
                        "")
            row["location"] = html.unescape(name or "")
        coords = next((el.text for el in pm.iter()
                       if isinstance(el.tag, str) and el.tag.endswith("coordinates")), None)
        if coords and coords.strip():
            parts = coords.strip().split()[0].split(",")
            try:
                lon, lat = (float(v) for v in parts[:2])
                if len(parts) not in (2, 3):
                    raise ValueError
            except ValueError:
                problems.append(Problem(path, number, "coordinates",
                                        f"placemark coordinates {coords.strip()[:80]!r} are not "
                                        "lon,lat[,alt]; placemark skipped"))
                continue
            row["longitude"], row["latitude"] = parts[0], parts[1]
        row["_line"] = number
        rows.append(row)
    return pd.DataFrame(rows).fillna(""), problems
