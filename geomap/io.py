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
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geomap.errors import InputError
from geomap.events.records import point_coords

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
@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[str]:
    """Yield a temporary path next to ``path``; move it over ``path`` only on success.

    The temporary file keeps ``path``'s suffix so drivers that look at it (GDAL) work.
    On any exception the temporary file is removed and ``path`` is left untouched.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise InputError("output directory does not exist", path=str(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=f".tmp{path.suffix}",
                               dir=directory)
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
                "'source_url' name its report. Gazetteer: GeoNames (CC BY 4.0) and the sources "
                "in gazetteer/SOURCES.md")
    meta = {
        "generator": f"geomap {__version__}",
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "records": int(len(gdf)),
        "attribution": attribution,
        "schema": "geomap EVENT_COLUMNS (ACLED/UCDP column names)",
    }
    meta.update(extra or {})
    return meta


# --------------------------------------------------------------------------- values
def jsonable(v):
    """A cell value as plain JSON-friendly Python (None for NA/NaN, ISO dates)."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if not math.isfinite(v) else float(v)
    if isinstance(v, pd.Timestamp) and v == v.normalize() and v.tzinfo is None:
        return v.date().isoformat()  # a date column: '2024-08-06', as in every text format
    if isinstance(v, (pd.Timestamp, _dt.date)):
        return v.isoformat()
    return v


def _normalise(gdf) -> gpd.GeoDataFrame:
    from geomap.events.records import events_to_gdf

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

    from geomap.events.records import DATE_COLUMNS

    out = gdf.copy()
    for col in DATE_COLUMNS:  # Arrow date32 → GeoPackage DATE fields
        out[col] = out[col].astype(pd.ArrowDtype(pa.date32()))
    text_meta = {k: (v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
                 for k, v in meta.items()}
    with atomic_path(path) as tmp:
        pyogrio.write_dataframe(out, tmp, layer=layer, driver="GPKG", geometry_type="Point",
                                dataset_metadata=text_meta, dataset_options=GPKG_DATASET_OPTIONS,
                                use_arrow=True)


def _write_csv(gdf: gpd.GeoDataFrame, path: str) -> None:
    x, y = point_coords(gdf)
    df = pd.DataFrame(gdf.drop(columns=gdf.geometry.name)).copy()
    df["latitude"] = np.where(np.isfinite(y), y, df["latitude"])
    df["longitude"] = np.where(np.isfinite(x), x, df["longitude"])
    with atomic_open(path, "w", newline="") as fh:
        df.to_csv(fh, index=False)


def _kml_text(v) -> str:
    v = jsonable(v)
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _write_kml(gdf: gpd.GeoDataFrame, path: str, meta: dict) -> None:
    ET.register_namespace("", KML_NS)
    q = f"{{{KML_NS}}}"
    root = ET.Element(f"{q}kml")
    doc = ET.SubElement(root, f"{q}Document")
    ET.SubElement(doc, f"{q}name").text = Path(path).stem
    ET.SubElement(doc, f"{q}description").text = json.dumps(meta, ensure_ascii=False, indent=1)
    x, y = point_coords(gdf)
    props = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    for rec, lon, lat in zip(props.to_dict("records"), x, y, strict=True):
        pm = ET.SubElement(doc, f"{q}Placemark", id=_xml_id(rec.get("event_id")))
        label = rec.get("location") or rec.get("event_id") or ""
        if rec.get("event_date"):
            label = f"{label} ({rec['event_date']})"
        ET.SubElement(pm, f"{q}name").text = _kml_text(label)
        desc = " — ".join(str(rec.get(k)) for k in ("event_type", "notes") if rec.get(k))
        ET.SubElement(pm, f"{q}description").text = desc
        if rec.get("event_date"):
            span = ET.SubElement(pm, f"{q}TimeSpan")
            ET.SubElement(span, f"{q}begin").text = str(rec["event_date"])
            ET.SubElement(span, f"{q}end").text = str(rec.get("end_date") or rec["event_date"])
        ext = ET.SubElement(pm, f"{q}ExtendedData")
        for k, v in rec.items():
            data = ET.SubElement(ext, f"{q}Data", name=str(k))
            ET.SubElement(data, f"{q}value").text = _kml_text(v)
        if math.isfinite(lon) and math.isfinite(lat):
            point = ET.SubElement(pm, f"{q}Point")
            ET.SubElement(point, f"{q}coordinates").text = f"{lon:.7f},{lat:.7f}"
    tree = ET.ElementTree(root)
    ET.indent(tree, space=" ")
    with atomic_open(path, "wb") as fh:
        tree.write(fh, encoding="utf-8", xml_declaration=True)


def _xml_id(value) -> str:
    text = "".join(c if c.isalnum() or c in "-_." else "_" for c in str(value or "event"))
    return text if text[:1].isalpha() or text[:1] == "_" else f"e_{text}"


def kml_to_frame(path: str) -> pd.DataFrame:
    """Placemarks of a KML file (ExtendedData fields + latitude/longitude) as a DataFrame."""
    try:
        tree = ET.parse(path)
    except ET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise InputError(f"not valid KML/XML: {exc}", path=path, line=line) from exc
    rows = []
    for pm in tree.iter():
        if not pm.tag.endswith("Placemark"):
            continue
        row: dict = {}
        for el in pm.iter():
            if el.tag.endswith("}Data") or el.tag == "Data":
                value = next((c.text for c in el if c.tag.endswith("value")), None)
                row[el.get("name")] = value or ""
            elif el.tag.endswith("SimpleData"):
                row[el.get("name")] = el.text or ""
        if "location" not in row:
            name = next((c.text for c in pm if c.tag.endswith("name")), "")
            row["location"] = name or ""
        coords = next((el.text for el in pm.iter() if el.tag.endswith("coordinates")), None)
        if coords and coords.strip():
            parts = coords.strip().split()[0].split(",")
            row["longitude"], row["latitude"] = parts[0], parts[1]
        rows.append(row)
    return pd.DataFrame(rows).fillna("")


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


def write_events(gdf, path, format: str | None = None, metadata: dict | None = None) -> Path:
    """Write events atomically as GeoJSON (RFC 7946), GeoPackage, CSV or KML.

    Parameters
    ----------
    gdf : events GeoDataFrame (or anything ``events_to_gdf`` accepts).
    path : output file; the format comes from its extension unless ``format`` is given.
    metadata : extra provenance entries (merged into the generated metadata).

    Returns
    -------
    Path of the written file.
    """
    from geomap.events.records import DATE_COLUMNS, iso_dates

    fmt = detect_format(path, format)
    gdf = _normalise(gdf)
    meta = provenance(gdf, metadata)
    path = Path(path)
    if fmt != "gpkg":  # text formats keep 'YYYY-MM-DD'; GeoPackage gets Date fields
        gdf = gdf.copy()
        for col in DATE_COLUMNS:
            gdf[col] = iso_dates(gdf[col])
    if fmt == "geojson":
        _write_geojson(gdf, str(path), meta)
    elif fmt == "gpkg":
        _write_gpkg(gdf, str(path), meta)
    elif fmt == "csv":
        _write_csv(gdf, str(path))
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
