"""Geocode the real UCDP GED Ukraine file by name + region and score it against GED's points.

    python bench/ged_accuracy.py [../shared/data/events/ucdp_ged_ukraine_2014-2021.csv]

GED's own coordinates are the reference; only rows GED itself places at a named place or
near one (``where_prec`` ≤ 2) are scored.  Prints the shares within 5 and 25 km, the median error
and the share placed at hromada precision.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from pyproj import Geod

from geomap.records.geocode import geocode_table

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared/data/events/ucdp_ged_ukraine_2014-2021.csv"


def main(path: str | Path = DEFAULT) -> dict:
    result = geocode_table(str(path), location_column="where_coordinates",
                           admin1_column="adm_1", admin2_column="adm_2", country_column="country")
    table = result.table
    scored = (pd.to_numeric(table["where_prec"], errors="coerce") <= 2).to_numpy()
    lat, lon = table["latitude"].to_numpy(float), table["longitude"].to_numpy(float)
    ref_lat = pd.to_numeric(table["latitude_input"], errors="coerce").to_numpy(float)
    ref_lon = pd.to_numeric(table["longitude_input"], errors="coerce").to_numpy(float)
    km = np.full(len(table), np.inf)
    ok = ~np.isnan(lat)
    km[ok] = Geod(ellps="WGS84").inv(ref_lon[ok], ref_lat[ok], lon[ok], lat[ok])[2] / 1000
    at_hromada = table["reason"].fillna("").str.contains("hromada")
    figures = {
        "rows": int(len(table)),
        "rows_where_prec_le_2": int(scored.sum()),
        "within_5km": round(float((km[scored] <= 5).mean()), 4),
        "within_25km": round(float((km[scored] <= 25).mean()), 4),
        "median_km": round(float(np.median(km[scored])), 2),
        "share_at_hromada_precision": round(float(at_hromada[scored].mean()), 4),
        "unresolved_rows": int(len(result.unresolved)),
    }
    print(json.dumps(figures, indent=2))
    return figures


if __name__ == "__main__":
    main(*sys.argv[1:])
