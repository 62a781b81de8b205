"""Provenance metadata of an events file: generator, time, record count, attribution.

GeoJSON carries it as a top-level ``metadata`` foreign member, GeoPackage as dataset
metadata, KML in the Document ``description``; CSV has no place for it.
"""

from __future__ import annotations

import datetime as _dt

import pandas as pd

from geomap import __version__
from geomap.gazetteer.record import gazetteer_attribution

UCDP_ATTRIBUTION = (
    "UCDP Georeferenced Event Dataset (GED), CC BY 4.0: Sundberg, Ralph & Erik Melander (2013) "
    "'Introducing the UCDP Georeferenced Event Dataset', Journal of Peace Research 50(4); "
    "Davies, Shawn, Therése Pettersson & Magnus Öberg (2023) 'Organized violence 1989–2022, "
    "and the return of conflict between states', Journal of Peace Research 60(4)"
)
ACLED_ATTRIBUTION = "Armed Conflict Location & Event Data (ACLED), acleddata.com — see ACLED terms of use"


def provenance(gdf: pd.DataFrame, extra: dict | None = None) -> dict:
    """Generator, time, record count and the attribution the rows' sources require."""
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
