"""KML 2.2: events written placemark by placemark, placemarks read back safely.

``write_kml`` streams (memory flat for any row count); names and descriptions are
HTML-escaped because viewers render them as HTML, and the balloon never shows
ExtendedData as HTML.  ``read_kml`` parses with ``defusedxml`` (KML from outside is
untrusted) and reports placemarks whose coordinates are not ``lon,lat[,alt]``.
"""

from __future__ import annotations

import html
import json
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from xml.sax.saxutils import quoteattr

import geopandas as gpd
import pandas as pd

from geomap.errors import InputError
from geomap.io.atomic import atomic_open
from geomap.io.problems import Problem
from geomap.schema import point_coords
from geomap.values import jsonable

KML_NS = "http://www.opengis.net/kml/2.2"


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


def write_kml(gdf: gpd.GeoDataFrame, path: str, meta: dict) -> None:
    """KML 2.2, written placemark by placemark (memory does not grow with the row count)."""
    x, y = point_coords(gdf)
    props = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    head = ET.Element("Document")
    ET.SubElement(head, "name").text = _kml_plain(Path(path).stem)
    ET.SubElement(head, "description").text = _kml_plain(
        json.dumps(meta, ensure_ascii=False, indent=1))
    head_xml = ET.tostring(head, encoding="unicode").removesuffix("</Document>")
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
    frame, _ = read_kml(path)
    return frame.drop(columns="_line", errors="ignore")


def read_kml(path: str) -> tuple[pd.DataFrame, list]:
    """Placemarks of a KML file (ExtendedData fields + latitude/longitude) and the problems.

    The file is parsed with ``defusedxml`` (no entity expansion, no external entities:
    KML from outside is untrusted).  A placemark whose ``<coordinates>`` are not
    ``lon,lat[,alt]`` numbers is reported and left out; the others are kept.  The frame's
    ``_line`` column is each placemark's 1-based number in the file.
    """
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
