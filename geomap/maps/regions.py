"""Region-level events (ACLED geo_precision 3) drawn as their region, not as a point.

Such an event is known only to a district or oblast; its coordinates are that region's
centroid.  Each one is matched to the shipped polygon that contains its point: the OSM
district when the record names a district (``admin2``), else the oblast as drawn by the
base map.  A point in no shipped region stays a (dashed) point.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geomap import boundaries
from geomap.geodesy import local_crs
from geomap.maps import basemap

TOLERANCE_M = 150.0


def region_shapes(events: pd.DataFrame, lat: np.ndarray, lon: np.ndarray,
                  precision: np.ndarray) -> tuple[dict | None, list[int]]:
    """(FeatureCollection of the regions used, region index per event or -1)."""
    reg = np.full(len(lat), -1, dtype=int)
    idx = np.flatnonzero(precision == 3)
    if not len(idx):
        return None, reg.tolist()
    pts = gpd.GeoDataFrame({"i": idx}, geometry=gpd.points_from_xy(lon[idx], lat[idx]), crs=4326)
    if "admin2" in events.columns:
        names = events["admin2"].astype(object)
        admin2 = names.where(names.notna(), "").astype(str).to_numpy()[idx]
    else:
        admin2 = np.full(len(idx), "")
    layers = [("district", boundaries.admin2()[["name_en", "geometry"]]),
              ("oblast", basemap.drawing_admin1()[["name_en", "geometry"]])]
    has_district = np.char.str_len(np.char.strip(admin2.astype(str))) > 0
    kind_of = np.full(len(lat), -1)  # index into layers
    poly_of = np.full(len(lat), -1)
    for k, (kind, polys) in enumerate(layers):
        hit = gpd.sjoin(pts, polys, predicate="within", how="inner")
        hit = hit[~hit.index.duplicated()]
        rows, poly = hit.index.to_numpy(), hit["index_right"].to_numpy()
        ev = idx[rows]
        # a record naming no district is known to its oblast
        new = (kind_of[ev] < 0) & (has_district[rows] if kind == "district" else True)
        kind_of[ev[new]], poly_of[ev[new]] = k, poly[new]
    chosen = {int(i): (layers[kind_of[i]][0], int(poly_of[i])) for i in np.flatnonzero(kind_of >= 0)}
    if not chosen:
        return None, reg.tolist()
    keys = sorted(set(chosen.values()))
    frames = []
    for kind, polys in layers:
        rows = [p for kd, p in keys if kd == kind]
        if rows:
            frames.append(polys.loc[rows].assign(kind=kind, key=[f"{kind}:{p}" for p in rows]))
    shapes = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=4326)
    w, s, e, n = shapes.total_bounds
    crs = local_crs((s + n) / 2, (w + e) / 2)
    simple = shapes.to_crs(crs).simplify(TOLERANCE_M).to_crs(4326)  # districts overlap oblasts
    shapes = shapes.set_geometry(shapely.set_precision(simple.values, 1e-5, mode="pointwise"))
    position = {key: i for i, key in enumerate(shapes["key"])}
    for k, (kind, p) in chosen.items():
        reg[k] = position.get(f"{kind}:{p}", -1)
    fc = json.loads(shapes.drop(columns=["key"]).to_json(drop_id=True))
    return fc, reg.tolist()
