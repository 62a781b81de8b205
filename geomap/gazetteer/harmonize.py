"""Harmonise records from different sources: one admin vocabulary, no duplicates.

* Places in Russia, Ukraine and Belarus get their oblast (and, in the Russian border
  oblasts, their district) from the shipped boundary polygons, by a vectorised
  point-in-polygon join, so every source speaks of "Kursk Oblast" / "RU-KRS".
* The same settlement from two sources (GeoNames and the border pack; either and the
  OCHA settlement list) becomes one record: the finer coordinates win, the id stays the
  GeoNames id where there is one, names and hierarchy are pooled, ``source`` lists both.
"""

from __future__ import annotations

from collections import defaultdict

import geopandas as gpd
import numpy as np
from pyproj import Geod

from geomap.gazetteer.normalize import loose_key
from geomap.gazetteer.record import Place

_GEOD = Geod(ellps="WGS84")
HARMONISED_COUNTRIES = ("RU", "UA", "BY")


def assign_admin_from_polygons(places: list[Place]) -> None:
    """Set admin1 (and RU border-district admin2) of RU/UA/BY places from polygons."""
    from geomap import boundaries

    todo = [p for p in places if p.country in HARMONISED_COUNTRIES and not p.is_admin]
    if not todo:
        return
    points = gpd.GeoDataFrame(
        {"i": np.arange(len(todo))},
        geometry=gpd.points_from_xy([p.lon for p in todo], [p.lat for p in todo]),
        crs="EPSG:4326",
    )
    a1 = boundaries.admin1()[["iso_3166_2", "name_en", "adm0_a2", "geometry"]]
    hits = gpd.sjoin(points, a1, how="inner", predicate="within")
    for i, code, name, cc in zip(hits["i"], hits["iso_3166_2"], hits["name_en"],
                                 hits["adm0_a2"], strict=True):
        place = todo[i]
        if place.country == cc:  # a point a few hundred metres across the border keeps its own
            place.admin1_code = code
            if place.source != "border-pack":  # the pack's hand-checked names stay
                place.admin1 = name
    a2 = boundaries.admin2()[["id", "name_en", "geometry"]]
    hits = gpd.sjoin(points, a2, how="inner", predicate="within")
    for i, code, name in zip(hits["i"], hits["id"], hits["name_en"], strict=True):
        place = todo[i]
        if place.country == "RU" and place.admin1_code.startswith("RU-"):
            place.admin2_code = code
            if place.source != "border-pack" or not place.admin2:
                place.admin2 = name


def _name_keys(place: Place) -> set[str]:
    keys = {loose_key(place.name)}
    keys.update(loose_key(n) for n in place.alternatenames if n)
    keys.discard("")
    return keys


def _distance_km(a: Place, b: Place) -> float:
    return _GEOD.inv(a.lon, a.lat, b.lon, b.lat)[2] / 1000.0


def merge_duplicates(places: list[Place], max_km: float = 6.0,
                     centroid_max_km: float = 35.0) -> list[Place]:
    """Merge records that describe the same settlement; returns the kept records.

    A border-pack row within ``max_km`` of a GeoNames record of the same country and
    name (any spelling) is folded into it.  An OCHA settlement (at its hromada
    centroid) whose name matches a finer record of the same oblast within
    ``centroid_max_km`` is folded into the finer record, which gains its hromada and
    post-2020 raion.
    """
    finer: dict[tuple[str, str], list[Place]] = defaultdict(list)
    for p in places:
        if p.country in HARMONISED_COUNTRIES and p.source == "geonames-cities500":
            for key in _name_keys(p):
                finer[(p.country, key)].append(p)
    dropped: set[int] = set()
    for p in places:
        if p.source != "border-pack":
            continue
        match = _nearest_match(p, finer, max_km, same_admin1=False)
        if match is not None:
            _fold(match, p, take_coordinates=True)
            dropped.add(id(p))
        else:
            for key in _name_keys(p):
                finer[(p.country, key)].append(p)
    for p in places:
        if p.source != "ocha-cod-hromada-centroid":
            continue
        match = _nearest_match(p, finer, centroid_max_km, same_admin1=True)
        if match is not None:
            match.admin3 = match.admin3 or p.admin3
            if match.source.startswith("geonames") or not match.admin2:
                match.admin2, match.admin2_code = p.admin2, p.admin2_code
            match.alternatenames = _union(match.alternatenames, [p.name, *p.alternatenames])
            dropped.add(id(p))
    return [p for p in places if id(p) not in dropped]


def _nearest_match(p: Place, index: dict, max_km: float, same_admin1: bool) -> Place | None:
    best, best_km = None, max_km
    seen: set[int] = set()
    for key in _name_keys(p):
        for other in index.get((p.country, key), ()):
            if id(other) in seen or other is p:
                continue
            seen.add(id(other))
            if same_admin1 and other.admin1_code != p.admin1_code:
                continue
            km = _distance_km(p, other)
            if km <= best_km:
                best, best_km = other, km
    return best


def _union(a: list[str], b: list[str]) -> list[str]:
    out = list(a)
    seen = set(a)
    for name in b:
        if name and name not in seen:
            out.append(name)
            seen.add(name)
    return out


def _fold(target: Place, extra: Place, take_coordinates: bool) -> None:
    """Fold a border-pack row into the GeoNames record of the same place."""
    target.alternatenames = _union(target.alternatenames, [extra.name, *extra.alternatenames])
    if take_coordinates:  # hand-checked coordinates with their source URL
        target.lat, target.lon = extra.lat, extra.lon
    target.admin2 = extra.admin2 or target.admin2
    target.population = target.population or extra.population
    if extra.feature_code != "PPL":
        target.feature_code = extra.feature_code
    target.source = f"{target.source}+{extra.source}"
    target.note = extra.note
