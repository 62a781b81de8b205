"""Geoparse UCDP GED's own place descriptions and score them against GED's points.

    python bench/ged_geoparse.py [GED.csv] [--misses N]

GED coders describe each event's place in the conventions of conflict reporting
("near the village of Karlivka (Maryinsky district), Donetsk region", "Mayorsk, Donetsk
Obl", "Novosvitlivka town, Krasnodon district, Luhansk region").  Each ``where_description``
of a row GED places at a named place or near one (``where_prec`` ≤ 2) is geoparsed as
free text, with no other context; the most specific location mention (a settlement
before a district before a region) is compared with GED's coordinates.  Prints the
shares within 5 and 25 km, the median error and the share with no place at all.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd
from pyproj import Geod

from geomap.geoparse import Geoparser

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared/data/events/ucdp_ged_ukraine_2014-2021.csv"


def most_specific(mentions):
    """The location mention a coder would take: settlement, else district, else region."""
    placed = [m for m in mentions if m.role == "location" and m.place is not None]
    if not placed:
        return None
    return min(placed, key=lambda m: (m.precision or 3, m.start))


def score(path: str | Path = DEFAULT, misses: int = 0) -> dict:
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table = table[pd.to_numeric(table["where_prec"], errors="coerce") <= 2]
    table = table[table["where_description"].str.strip() != ""]
    parse = Geoparser()
    picked = {d: most_specific(parse(d)) for d in table["where_description"].unique()}
    lat = np.array([picked[d].lat if picked[d] else np.nan for d in table["where_description"]])
    lon = np.array([picked[d].lon if picked[d] else np.nan for d in table["where_description"]])
    ref_lat = pd.to_numeric(table["latitude"]).to_numpy(float)
    ref_lon = pd.to_numeric(table["longitude"]).to_numpy(float)
    km = np.full(len(table), np.inf)
    ok = ~np.isnan(lat)
    km[ok] = Geod(ellps="WGS84").inv(ref_lon[ok], ref_lat[ok], lon[ok], lat[ok])[2] / 1000
    figures = {
        "rows": int(len(table)),
        "descriptions": len(picked),
        "within_5km": round(float((km <= 5).mean()), 4),
        "within_25km": round(float((km <= 25).mean()), 4),
        "median_km": round(float(np.median(km)), 2),
        "no_place": round(float((~ok).mean()), 4),
    }
    if misses:
        table = table.assign(km=km)
        worst = (table[table.km > 5].groupby("where_description").km.agg(["size", "median"])
                 .sort_values("size", ascending=False).head(misses))
        figures["misses"] = [
            {"description": d, "rows": int(r["size"]), "km": round(float(r["median"]), 1),
             "read": (f"{picked[d].place.name} ({picked[d].place.hierarchy()}): {picked[d].reason}"
                      if picked[d] else "no place")}
            for d, r in worst.iterrows()]
    return figures


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", default=str(DEFAULT), help="UCDP GED CSV")
    ap.add_argument("--misses", type=int, default=0, help="list the N most frequent misses")
    args = ap.parse_args(argv)
    figures = score(args.path, args.misses)
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    return figures


if __name__ == "__main__":
    main()
