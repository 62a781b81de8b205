"""Read and write event tables: GeoJSON (RFC 7946), GeoPackage, CSV and KML.

Every write goes to a temporary file in the target's directory and is moved into place
with ``os.replace``: a process killed mid-write leaves the old file (or no file), never
a truncated one.  GeoJSON carries a top-level ``metadata`` foreign member (generator,
time, attribution/provenance), GeoPackage the same as dataset metadata, KML in the
Document ``description``; CSV has no place for it.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import math
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geomap.csvsafe import _FORMULA_START, neutralise_formula, restore_formula  # noqa: F401
from geomap.errors import InputError
from geomap.gazetteer.record import gazetteer_attribution
from geomap.schema import point_coords
from geomap.values import jsonable  # noqa: F401 (geomap.io.jsonable for older callers)

FORMATS = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg", ".csv": "csv",
           ".kml": "kml"}
KML_NS = "http://www.opengis.net/kml/2.2"

UCDP_ATTRIBUTION = (
    "UCDP Georeferenced Event Dataset (GED), CC BY 4.0: Sundberg, Ralph & Erik Melander (2013) "
    "'Introducing the UCDP Georeferenced Event Dataset', Journal of Peace Research 50(4); "
    "Davies, Shawn, Therése Pettersson & Magnus Öberg (2023) 'Organized violence 1989–2022, "
    "and the return of conflict between states', Journal of Peace Research 60(4)"
)
ACLED_ATTRIBUTION = "Armed Conflict Location & Event Data (ACLED), acleddata.com — see ACLED terms of use"


# --------------------------------------------------------------------------- atomic
def check_output_path(path: str | os.PathLike) -> Path:
    """Raise ``InputError`` unless ``path`` can be written as a file (checked before work)."""
    path = Path(path)
    if path.is_dir():
        raise InputError("is a directory; give an output file name", path=str(path))
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError("output directory does not exist", path=str(path))
    if not os.access(directory, os.W_OK | os.X_OK):
        raise InputError("output directory is not writable", path=str(path))
    return path


_TMP_MARK = ".tmp"


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def remove_stale_temps(path: str | os.PathLike) -> list[Path]:
    """Delete temporary files that killed writes of ``path`` left behind.

    A temporary file is ``.NAME.<pid>.<random>.tmp<suffix>``; it is stale when process
    ``pid`` no longer runs on this machine.  Names without a pid (older geomap) count as
    stale after a day.  Returns the removed paths.
    """
    import time

    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    prefix = _temp_prefix(path)
    removed = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        if not name.startswith(prefix) or _TMP_MARK not in name[len(prefix):]:
            continue
        middle = name[len(prefix):].split(".", 1)[0]
        if middle.isdigit():
            stale = not _pid_alive(int(middle))
        else:
            try:
                stale = time.time() - entry.stat().st_mtime > 86400
            except OSError:
                continue
        if stale:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # exists under another user (or unknowable): keep its file
    return True


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[str]:
    """Yield a temporary path next to ``path``; move it over ``path`` only on success.

    The temporary file keeps ``path``'s suffix so drivers that look at it (GDAL) work.
    On any exception the temporary file is removed and ``path`` is left untouched.
    """
    path = check_output_path(path)
    directory = path.parent if str(path.parent) else Path(".")
    remove_stale_temps(path)
    fd, tmp = tempfile.mkstemp(prefix=f"{_temp_prefix(path)}{os.getpid()}.",
                               suffix=f"{_TMP_MARK}{path.suffix}", dir=directory)
    os.close(fd)
    os.unlink(tmp)  # writers (GDAL) want to create the file themselves
    try:
        yield tmp
        if not os.path.exists(tmp):
            raise OSError(f"writer did not create {tmp}")
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        if path.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        for leftover in (tmp, tmp + "-journal", tmp + "-wal", tmp + "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(leftover)
        raise


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8",
                newline: str | None = None):
    """``open()`` for writing that replaces ``path`` atomically when the block succeeds."""
    with atomic_path(path) as tmp:
        kwargs = {} if "b" in mode else {"encoding": encoding, "newline": newline}
        with open(tmp, mode, **kwargs) as fh:
            yield fh


# --------------------------------------------------------------------------- metadata
def provenance(gdf: pd.DataFrame, extra: dict | None = None) -> dict:
    """Generator, time, record count and the attribution the rows' sources require."""
    from geomap import __version__

    ids = gdf["event_id"].astype(str) if "event_id" in gdf else pd.Series([], dtype=str)
    attribution = []
    if ids.str.startswith("ucdp:").any():
        attribution.append(UCDP_ATTRIBUTION)
    if ids.str.startswith("acled:").any():
        attribution.append(ACLED_ATTRIBUTION)
    if "source" in gdf:
        others = int((~ids.str.startswith(("ucdp:", "acled:"))).sum())
        if others:
            attribution.append(
                "Events geoparsed from news reports by geomap; each row's 'source' and "
                "'source_url' name its report")
            attribution.append(gazetteer_attribution())
    meta = {
        "generator": f"geomap {__version__}",
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "records": int(len(gdf)),
        "attribution": attribution,
        "schema": "geomap EVENT_COLUMNS (ACLED/UCDP column names)",
    }
    meta.update(extra or {})
    return meta


def _normalise(gdf) -> gpd.GeoDataFrame:
    from geomap.schema import events_to_gdf

    gdf = events_to_gdf(gdf)
    nested = [c for c in gdf.columns if c != gdf.geometry.name and gdf[c].dtype == object
              and pd.api.types.infer_dtype(gdf[c], skipna=True) not in ("string", "empty")
              and gdf[c].map(lambda v: isinstance(v, (list, dict, tuple))).any()]
    if nested:  # e.g. lists of alternatives: JSON text in every format
        gdf = gdf.copy()
        for c in nested:
            gdf[c] = gdf[c].map(lambda v: json.dumps(v, ensure_ascii=False, default=str)
                                if isinstance(v, (list, dict, tuple)) else v)
    return gdf


# --------------------------------------------------------------------------- writers
def _write_geojson(gdf: gpd.GeoDataFrame, path: str, meta: dict) -> None:
    """RFC 7946 through GDAL (lon/lat, 7 decimals, no crs member); provenance as a
    top-level ``metadata`` foreign member."""
    import pyogrio

    options = {"RFC7946": "YES", "WRITE_NAME": "NO",
               "FOREIGN_MEMBERS_COLLECTION": json.dumps({"metadata": meta}, ensure_ascii=False)}
    with atomic_path(path) as tmp:
        pyogrio.write_dataframe(gdf, tmp, driver="GeoJSON", layer_options=options)


# GeoPackage 1.3: what the GDAL of QGIS LTR and Debian stable (3.6) validate; GDAL ≥ 3.7
# would write 1.4, whose R-tree triggers GDAL 3.6's validate_gpkg.py rejects.
GPKG_DATASET_OPTIONS = {"VERSION": "1.3"}


def _write_gpkg(gdf: gpd.GeoDataFrame, path: str, meta: dict, layer: str = "events") -> None:
    import pyarrow as pa
    import pyogrio

    from geomap.schema import DATE_COLUMNS

    out = gdf.copy()
    for col in DATE_COLUMNS:  # Arrow date32 → GeoPackage DATE fields
        if col in out:
            out[col] = out[col].astype(pd.ArrowDtype(pa.date32()))
    text_meta = {k: (v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
                 for k, v in meta.items()}
    with atomic_path(path) as tmp:
        pyogrio.write_dataframe(out, tmp, layer=layer, driver="GPKG", geometry_type="Point",
                                dataset_metadata=text_meta, dataset_options=GPKG_DATASET_OPTIONS,
                                use_arrow=True)


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells and column names cannot run as formulas."""
    out = df.copy()
    for col in out.columns:
        series = out[col]
        if not (series.dtype == object or pd.api.types.is_string_dtype(series)):
            continue
        try:
            first = series.str[:1]
        except AttributeError:  # no text in the column
            continue
        mask = first.isin(_FORMULA_START + ("'",)).to_numpy(dtype=bool, na_value=False)
        if mask.any():
            out[col] = series.where(~mask, series[mask].map(neutralise_formula))
    out.columns = [neutralise_formula(str(c)) for c in out.columns]
    return out


def write_csv(df: pd.DataFrame, path: str | os.PathLike, escape: bool = True) -> None:
    """Write any table as CSV atomically; ``escape`` neutralises formula cells."""
    if escape:
        df = neutralise_formulas(df)
    with atomic_open(path, "w", newline="") as fh:
        df.to_csv(fh, index=False)


def _write_csv(gdf: gpd.GeoDataFrame, path: str, escape: bool = True) -> None:
    x, y = point_coords(gdf)
    df = pd.DataFrame(gdf.drop(columns=gdf.geometry.name)).copy()
    df["latitude"] = np.where(np.isfinite(y), y, df["latitude"])
    df["longitude"] = np.where(np.isfinite(x), x, df["longitude"])
    write_csv(df, path, escape)


_XML_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_KML_CHUNK = 5000  # placemarks serialised per step: memory stays flat for any row count


def _kml_text(v) -> str:
    """A cell as XML-safe text (characters XML 1.0 forbids become U+FFFD)."""
    v = jsonable(v)
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return _XML_ILLEGAL_RE.sub("\ufffd", str(v))


def _kml_plain(text) -> str:
    """Text a KML viewer shows as written: viewers render ``name``/``description`` as
    HTML, so the text is HTML-escaped (and then XML-escaped by the serialiser)."""
    import html

    return html.escape(_kml_text(text), quote=False)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _kml_value(v) -> str:
    if type(v) is str:  # the common case, without jsonable's checks
        return _esc(_XML_ILLEGAL_RE.sub("\ufffd", v))
    return _esc(_kml_text(v))


def _kml_placemark(rec: dict, lon: float, lat: float, names: dict | None = None) -> str:
    """One ``<Placemark>`` as XML text (built as a string, faster than ElementTree);
    ``names`` caches the escaped ``Data name`` attribute of each column."""
    from xml.sax.saxutils import quoteattr

    escape = _esc
    if names is None:
        names = {k: quoteattr(_kml_text(k)) for k in rec}
    label = rec.get("location") or rec.get("event_id") or ""
    if rec.get("event_date"):
        label = f"{label} ({rec['event_date']})"
    desc = " — ".join(str(rec.get(k)) for k in ("event_type", "notes") if rec.get(k))
    parts = [f"<Placemark id={quoteattr(_xml_id(rec.get('event_id')))}>",
             f"<name>{escape(_kml_plain(label))}</name>",
             f"<description>{escape(_kml_plain(desc))}</description>",
             "<styleUrl>#geomap-event</styleUrl>"]
    if rec.get("event_date"):
        begin = escape(_kml_text(rec["event_date"]))
        end = escape(_kml_text(rec.get("end_date") or rec["event_date"]))
        parts.append(f"<TimeSpan><begin>{begin}</begin><end>{end}</end></TimeSpan>")
    parts.append("<ExtendedData>")
    parts.extend(f"<Data name={names[k]}><value>{_kml_value(v)}</value></Data>"
                 for k, v in rec.items())
    parts.append("</ExtendedData>")
    if math.isfinite(lon) and math.isfinite(lat):
        parts.append(f"<Point><coordinates>{lon:.7f},{lat:.7f}</coordinates></Point>")
    parts.append("</Placemark>\n")
    return "".join(parts)


# The balloon shows only the (escaped) name and description, never ExtendedData values
# as HTML; the values stay plain data for tools that read the file back.
_KML_STYLE = ('<Style id="geomap-event"><BalloonStyle><text><![CDATA[<b>$[name]</b><br/>'
              '$[description]]]></text></BalloonStyle></Style>')


def _write_kml(gdf: gpd.GeoDataFrame, path: str, meta: dict) -> None:
    """KML 2.2, written placemark by placemark (memory does not grow with the row count)."""
    x, y = point_coords(gdf)
    props = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    head = ET.Element("Document")
    ET.SubElement(head, "name").text = _kml_plain(Path(path).stem)
    ET.SubElement(head, "description").text = _kml_plain(
        json.dumps(meta, ensure_ascii=False, indent=1))
    head_xml = ET.tostring(head, encoding="unicode").removesuffix("</Document>")
    from xml.sax.saxutils import quoteattr

    names = {k: quoteattr(_kml_text(k)) for k in props.columns}
    with atomic_open(path, "w", encoding="utf-8") as fh:
        fh.write(f'<?xml version="1.0" encoding="utf-8"?>\n<kml xmlns="{KML_NS}">\n')
        fh.write(head_xml + "\n" + _KML_STYLE + "\n")
        for start in range(0, len(props), _KML_CHUNK):
            chunk = props.iloc[start:start + _KML_CHUNK].to_dict("records")
            fh.write("".join(_kml_placemark(rec, x[i], y[i], names)
                             for i, rec in enumerate(chunk, start)))
        fh.write("</Document>\n</kml>\n")


def _xml_id(value) -> str:
    text = "".join(c if c.isalnum() or c in "-_." else "_" for c in str(value or "event"))
    return text if text[:1].isalpha() or text[:1] == "_" else f"e_{text}"


def kml_to_frame(path: str) -> pd.DataFrame:
    """Placemarks of a KML file as a DataFrame (``read_kml`` without the problems)."""
    from geomap.events.tables import read_kml

    frame, _ = read_kml(path)
    return frame.drop(columns="_line", errors="ignore")


# --------------------------------------------------------------------------- public
def detect_format(path: str | os.PathLike, format: str | None = None) -> str:
    if format:
        fmt = format.lower().lstrip(".")
        fmt = {"json": "geojson", "geopackage": "gpkg"}.get(fmt, fmt)
        if fmt not in set(FORMATS.values()):
            raise InputError(f"unknown format {format!r}; use geojson, gpkg, csv or kml",
                             path=str(path), field="format")
        return fmt
    ext = Path(path).suffix.lower()
    if ext not in FORMATS:
        raise InputError(f"cannot tell the format from {ext or 'no extension'!r}; use .geojson, "
                         ".gpkg, .csv or .kml", path=str(path), field="format")
    return FORMATS[ext]


def write_events(gdf, path, format: str | None = None, metadata: dict | None = None,
                 csv_escape: bool = True, layout: str = "geomap") -> Path:
    """Write events atomically as GeoJSON (RFC 7946), GeoPackage, CSV or KML.

    Parameters
    ----------
    gdf : events GeoDataFrame (or anything ``events_to_gdf`` accepts).
    path : output file; the format comes from its extension unless ``format`` is given.
    metadata : extra provenance entries (merged into the generated metadata).
    csv_escape : in CSV, prefix text cells that start with ``= + - @``, TAB or CR with
        ``'`` so spreadsheets do not run them as formulas (turn off for pipelines).
    layout : "geomap" (EVENT_COLUMNS), or "acled" / "ucdp": their column names first,
        geomap's own columns after (``geomap.events.layouts.to_layout``; reads back as is).

    Returns
    -------
    Path of the written file.
    """
    from geomap.schema import DATE_COLUMNS, iso_dates

    fmt = detect_format(path, format)
    gdf = _normalise(gdf)
    meta = provenance(gdf, metadata)
    if fmt != "gpkg":  # text formats keep 'YYYY-MM-DD'; GeoPackage gets Date fields
        gdf = gdf.copy()
        for col in DATE_COLUMNS:
            if col in gdf:
                gdf[col] = iso_dates(gdf[col])
    if layout != "geomap":
        from geomap.events.layouts import to_layout

        gdf = to_layout(gdf, layout)
        meta["layout"] = layout
    path = Path(path)
    if fmt == "geojson":
        _write_geojson(gdf, str(path), meta)
    elif fmt == "gpkg":
        _write_gpkg(gdf, str(path), meta)
    elif fmt == "csv":
        _write_csv(gdf, str(path), csv_escape)
    else:
        _write_kml(gdf, str(path), meta)
    return path


def read_events(path, format: str | None = None, strict: bool = True) -> gpd.GeoDataFrame:
    """Read an events file (any layout ``read_records`` knows) into an events GeoDataFrame.

    With ``strict`` any rejected row raises ``InputError`` naming its line; use
    ``geomap.events.records.read_records`` to get good rows plus a problem list instead.
    """
    from geomap.events.records import read_records

    if format:
        detect_format(path, format)
    result = read_records(path, geocode=False)
    if strict and result.errors:
        first = result.errors[0]
        more = f" (and {len(result.errors) - 1} more bad rows)" if len(result.errors) > 1 else ""
        raise InputError(first.reason + more, path=first.path, line=first.line, field=first.field)
    return result.records
