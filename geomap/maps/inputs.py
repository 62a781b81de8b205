"""Inputs of ``geomap map`` / ``geomap zones``: event files, articles and zone specs."""

from __future__ import annotations

import logging
import re
import sqlite3
from pathlib import Path

import pandas as pd

from geomap.errors import GeomapError, InputError
from geomap.events.extract import extract_events
from geomap.events.sidecar import read_sidecar
from geomap.io import read_events
from geomap.places import locate
from geomap.schema import events_to_gdf
from geomap.spatial.filters import check_point

_DIST_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(km|m)?\s*$", re.I)
MIN_SCORE = 0.85  # gazetteer score below which a --buffer name is not trusted
_COORD_RE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")


def parse_km(text: str, field: str) -> float:
    """``"10km"``, ``"10 km"``, ``"500m"`` or ``"10"`` (km) → kilometres."""
    m = _DIST_RE.match(str(text))
    if not m:
        raise InputError(f"{field}: {text!r} is not a distance like 10km or 500m", field=field)
    value = float(m.group(1)) / (1000.0 if (m.group(2) or "km").lower() == "m" else 1.0)
    if value <= 0:
        raise InputError(f"{field}: {text!r}: the distance must be positive", field=field)
    return value


def parse_buffer(spec: str) -> tuple[str, tuple[float, float] | None, float]:
    """``"Sudzha:10km"`` → (name, None, 10); ``"51.191,35.271:10km"`` → (label, (lat, lon), 10)."""
    where, sep, dist = str(spec).rpartition(":")
    if not sep or not where.strip():
        raise InputError(f"--buffer {spec!r}: expected PLACE:DISTANCE, e.g. Sudzha:10km or "
                         "51.191,35.271:10km", field="--buffer")
    radius = parse_km(dist, "--buffer")
    m = _COORD_RE.match(where)
    if m:
        lat, lon = float(m.group(1)), float(m.group(2))
        check_point(lat, lon, "--buffer")  # out of range, or (lon, lat) given: an error
        return f"{lat:g}, {lon:g}", (lat, lon), radius
    return where.strip(), None, radius


def parse_border_zone(spec: str) -> tuple[str, list[float]]:
    """``"RU-UA:10km,30km"`` → ("RU-UA", [10.0, 30.0])."""
    border, sep, dists = str(spec).partition(":")
    if not sep or not dists.strip():
        raise InputError(f"--border-zone {spec!r}: expected BORDER:D1,D2,..., e.g. RU-UA:10km,30km",
                         field="--border-zone")
    return border.strip(), [parse_km(d, "--border-zone") for d in dists.split(",") if d.strip()]


def resolve_place(name: str) -> tuple[float, float]:
    """Coordinates of ``name`` from the offline gazetteer (``places.locate``, no context)."""
    try:
        found = locate(name, min_score=MIN_SCORE)
    except (ImportError, OSError, sqlite3.Error, GeomapError) as exc:  # no usable gazetteer
        raise InputError(f"--buffer: cannot look up {name!r}: gazetteer unavailable ({exc}); give "
                         "coordinates instead, e.g. 51.191,35.271:10km", field="--buffer") from None
    if not found.resolved and found.alternatives:  # candidates, none good enough
        best = found.alternatives[0]
        place = best.place
        raise InputError(f"--buffer: no good match for {name!r} in the gazetteer (best: {place.name}, "
                         f"{place.admin1}, {place.country}, score {best.score:.2f}); give "
                         "coordinates instead, e.g. 51.191,35.271:10km", field="--buffer")
    if not found.resolved:
        raise InputError(f"--buffer: no place called {name!r} in the gazetteer; give coordinates "
                         "instead, e.g. 51.191,35.271:10km", field="--buffer")
    place = found.place
    logging.getLogger("geomap.maps").info("%s -> %s, %s, %s (%.5f, %.5f)", name, place.name,
                                          place.admin1, place.country, place.lat, place.lon)
    return found.point


def read_article(path: Path):
    """Events of one article ``.txt`` (metadata from the sibling ``.json`` if present)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path=str(path)) from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), path=str(path)) from None
    meta = read_sidecar(path)
    records = extract_events(text, published=meta.get("published"), source=meta.get("outlet") or "",
                             source_url=meta.get("url") or "", title=meta.get("title"))
    return events_to_gdf(records)


def load_events(paths: list[str]):
    """All events of the given files (articles ``.txt``; GeoJSON/GPKG/CSV/… event tables)."""
    import geopandas as gpd

    frames = []
    for p in paths:
        path = Path(p)
        if not path.exists():
            raise InputError("file not found", path=str(path))
        if path.suffix.lower() == ".txt":
            frames.append(read_article(path))
        else:
            frames.append(read_events(str(path)))
    if not frames:
        return None
    if len(frames) == 1:
        return frames[0]
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=4326)
