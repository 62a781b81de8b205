"""Harmonise records from different sources: one admin vocabulary, one record per place.

* Places in Russia, Ukraine and Belarus get their oblast (and, in the Russian border
  oblasts, their district) from the shipped boundary polygons, by a vectorised
  point-in-polygon join, so every source speaks of "Kursk Oblast" / "RU-KRS".
* Ukrainian OSM nodes get their raion, hromada and p-code from the OCHA settlement
  list (same Ukrainian name in the same oblast, nearest hromada centroid first).
* The same settlement from several sources (GeoNames, the border pack, OSM, the Russian
  pack) becomes one record: the GeoNames id where there is one, the best point
  (hand-checked > OSM / Russian pack > GeoNames), the most detailed admin chain, all
  names, and a ``provenance`` that says which source gave which field.
* OCHA settlements that no source has a point for stay at their hromada's centroid.
* The spellings news uses (BGN/PCGN, simplified, the Russian forms of Ukrainian names)
  are generated last, for the merged records (``geomap.gazetteer.translit``).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import replace

import geopandas as gpd
import numpy as np
from rapidfuzz import fuzz

from geomap.gazetteer.normalize import has_cyrillic, loose_key, strict_key
from geomap.gazetteer.record import Place
from geomap.gazetteer.translit import news_forms, russian_to_ukrainian, ukrainian_latin
from geomap.geodesy import haversine_km

HARMONISED_COUNTRIES = ("RU", "UA", "BY")


def assign_admin_from_polygons(places: list[Place]) -> None:
    """Set admin1 (and RU border-district admin2) of RU/UA/BY places from polygons."""
    from geomap import boundaries

    todo = [p for p in places if p.country in (*HARMONISED_COUNTRIES, "") and not p.is_admin]
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
        place.country = place.country or cc  # a record without one takes the polygon's
        if place.country == cc:  # a point a few hundred metres across the border keeps its own
            place.admin1_code = code
            if place.source != "border-pack":  # the pack's hand-checked names stay
                place.admin1 = name
    for place in todo:
        place.country = place.country or "UA"  # outside every polygon: the pack's country
    a2 = boundaries.admin2()[["id", "name_en", "geometry"]]
    hits = gpd.sjoin(points, a2, how="inner", predicate="within")
    for i, code, name in zip(hits["i"], hits["id"], hits["name_en"], strict=True):
        place = todo[i]
        if place.country == "RU" and place.admin1_code.startswith("RU-"):
            place.admin2_code = code
            if place.source != "border-pack" or not place.admin2:
                place.admin2 = name


# Which source's point is best (higher wins); GeoNames keeps its id whatever the point.
POINT_QUALITY = {"border-pack": 5, "osm": 4, "ru-pack": 4, "geonames-cities500": 3,
                 "geonames-import": 3, "ocha-cod-hromada-centroid": 0}
SAME_PLACE_KM = 4.0  # two sources' points of one village
SAME_TOWN_KM = 10.0  # towns of 20,000+ are wide; their sources' points differ more
SAME_SOURCE_KM = 2.0  # two records of one source this close are one place
COD_TO_POINT_KM = 35.0  # a village from its hromada's centroid


def _name_keys(place: Place) -> set[str]:
    keys = {loose_key(place.name)}
    keys.update(loose_key(n) for n in place.alternatenames if n)
    keys.discard("")
    return keys


def _distance_km(a: Place, b: Place) -> float:
    """Great-circle km: deciding "the same place within 4 km" needs no ellipsoid."""
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def _quality(p: Place) -> int:
    return POINT_QUALITY.get(p.source.split("+")[0], 1)


def attach_ua_hierarchy(osm: list[Place], cod: list[Place]) -> list[Place]:
    """Give OSM nodes the raion, hromada and p-code of their OCHA settlement.

    Matched by Ukrainian name (else Latin name) within the oblast, one to one, nearest
    hromada centroid first.  Returns the OCHA settlements no node matched.
    """
    by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
    for j, c in enumerate(cod):
        for name in {c.name, *c.alternatenames}:
            by_key[(c.admin1_code, strict_key(name))].append(j)
    pairs = []
    for i, node in enumerate(osm):
        seen: set[int] = set()
        for name in {node.name, *node.alternatenames}:
            for j in by_key.get((node.admin1_code, strict_key(name)), ()):
                if j not in seen:
                    seen.add(j)
                    km = _distance_km(node, cod[j])
                    if km <= COD_TO_POINT_KM:
                        pairs.append((km, i, j))
    pairs.sort()
    used_nodes: set[int] = set()
    used_cod: set[int] = set()
    for _, i, j in pairs:
        if i in used_nodes or j in used_cod:
            continue
        used_nodes.add(i)
        used_cod.add(j)
        _take_hierarchy(osm[i], cod[j])
    return [c for j, c in enumerate(cod) if j not in used_cod]


def _take_hierarchy(target: Place, settlement: Place) -> None:
    target.admin2, target.admin2_code = settlement.admin2, settlement.admin2_code
    target.admin3 = settlement.admin3
    target.official_code = target.official_code or settlement.id.removeprefix("ua:")
    target.alternatenames = _union(target.alternatenames,
                                   [settlement.name, *settlement.alternatenames])
    target.provenance = _join(target.provenance,
                              f"raion, hromada: OCHA COD {settlement.id.removeprefix('ua:')}")


def merge_settlements(places: list[Place]) -> list[Place]:
    """One record per settlement of RU/UA/BY; other records pass through unchanged.

    Records of different sources with a shared name key merge when their points lie
    within ``SAME_PLACE_KM`` (``SAME_TOWN_KM`` for towns of 20,000+, 6 km for the
    hand-checked border pack); two records of one source only within
    ``SAME_SOURCE_KM``.  OCHA settlements known only at their hromada centroid join a
    point record of the same name in their oblast within ``COD_TO_POINT_KM``.
    """
    pointed = [p for p in places if p.country in HARMONISED_COUNTRIES and not p.is_admin
               and p.located_by == "point"]
    centroids = [p for p in places if p.country in HARMONISED_COUNTRIES and not p.is_admin
                 and p.located_by == "hromada-centroid"]
    member_ids = {id(p) for p in pointed} | {id(p) for p in centroids}
    rest = [p for p in places if id(p) not in member_ids]
    pointed.sort(key=lambda p: (-_quality(p), -p.population))
    heads: dict[tuple[str, str], list[list[Place]]] = defaultdict(list)
    clusters: list[list[Place]] = []
    for p in pointed:
        keys = _name_keys(p)
        best, best_km = None, math.inf
        seen: set[int] = set()
        for key in keys:
            for cluster in heads.get((p.country, key), ()):
                if id(cluster) in seen:
                    continue
                seen.add(id(cluster))
                km = _distance_km(p, cluster[0])
                if km < best_km and km <= _merge_radius(p, cluster):
                    best, best_km = cluster, km
        if best is not None:
            best.append(p)
            continue
        cluster = [p]
        clusters.append(cluster)
        for key in keys:
            heads[(p.country, key)].append(cluster)
    merged = [_merge_cluster(c) for c in clusters]
    merged += _place_centroid_settlements(centroids, merged)
    for p in merged:
        _add_news_forms(p)
    return merged + rest


def _merge_radius(p: Place, cluster: list[Place]) -> float:
    head = cluster[0]
    if any(m.source == p.source for m in cluster):
        return SAME_SOURCE_KM
    if max(p.population, head.population) >= 20_000:
        return SAME_TOWN_KM
    if "border-pack" in (p.source, head.source):
        return 6.0
    return SAME_PLACE_KM


def _merge_cluster(cluster: list[Place]) -> Place:
    """Fold a cluster (best point first) into one record."""
    if len(cluster) == 1:
        p = cluster[0]
        p.provenance = p.provenance or f"all fields: {p.source}"
        return p
    best = cluster[0]
    geonames = next((m for m in cluster if m.geonameid), None)
    base = geonames or best
    out = replace(base, alternatenames=list(base.alternatenames))
    out.lat, out.lon = best.lat, best.lon
    for m in cluster:
        if m is not base:
            out.alternatenames = _union(out.alternatenames, [m.name, *m.alternatenames])
        out.population = max(out.population, m.population)
        if m.feature_code not in ("PPL", "PPLL", "PPLX", "LCTY") and out.feature_code == "PPL":
            out.feature_code = m.feature_code
        if m.admin3 and not out.admin3:  # the OCHA hierarchy (post-2020 raion) wins
            out.admin2, out.admin2_code, out.admin3 = m.admin2, m.admin2_code, m.admin3
        elif m.admin2 and (not out.admin2 or m.source == "ru-pack") and not out.admin3:
            out.admin2, out.admin2_code = m.admin2, m.admin2_code or out.admin2_code
        out.official_code = out.official_code or m.official_code
        out.note = out.note if m.source != "border-pack" else m.note  # its source URL
    out.source = "+".join(dict.fromkeys(m.source for m in cluster))
    if best.source == "border-pack" and not out.admin3:  # OCHA's raions are the vocabulary
        out.admin2 = best.admin2 or out.admin2
    parts = [f"id: GeoNames {base.geonameid}"] if geonames else []
    parts.append(f"point: {best.provenance or best.source}")
    parts += [m.provenance for m in cluster if m is not best and m.provenance]
    out.provenance = "; ".join(dict.fromkeys(parts))
    return out


def _place_centroid_settlements(centroids: list[Place], merged: list[Place]) -> list[Place]:
    """Fold OCHA centroid settlements into a same-name point record of their oblast."""
    index: dict[tuple[str, str], list[Place]] = defaultdict(list)
    for p in merged:
        if not p.admin3:
            for key in _name_keys(p):
                index[(p.admin1_code, key)].append(p)
    left: list[Place] = []
    by_point: dict[tuple[str, float, float], Place] = {}
    for c in centroids:
        match, best_km = None, COD_TO_POINT_KM
        for key in _name_keys(c):
            for other in index.get((c.admin1_code, key), ()):
                km = _distance_km(c, other)
                if km <= best_km and not other.admin3:
                    match, best_km = other, km
        if match is not None:
            _take_hierarchy(match, c)
            continue
        twin = by_point.get((strict_key(c.name), c.lat, c.lon))
        if twin is not None:  # two villages of one name in one hromada: one record
            twin.note = _join(twin.note, f"also {c.id.removeprefix('ua:')} of the same name")
            continue
        by_point[(strict_key(c.name), c.lat, c.lon)] = c
        c.official_code = c.id.removeprefix("ua:")
        c.provenance = (f"name, raion, hromada: OCHA COD {c.official_code}; point: the "
                        f"centroid of {c.admin3} (no source has the village's own point)")
        left.append(c)
    return left


def _add_news_forms(p: Place) -> None:
    """Index the Latin spellings news writes for the record's Cyrillic names."""
    cyrillic = [n for n in (p.name, *p.alternatenames) if has_cyrillic(n)][:6]
    forms: list[str] = []
    for name in cyrillic:
        ukrainian = bool(_UKRAINIAN_LETTERS.search(name))
        if p.country == "UA":  # "Зайцеве" reads the same in both: both forms (Zaitsevo)
            forms += news_forms(name_uk=name) if ukrainian else news_forms(name_ru=name,
                                                                            name_uk=name)
        elif not ukrainian:
            forms += news_forms(name_ru=name)
            if p.admin1_code in _BORDER_REGIONS_RU and (uk := russian_to_ukrainian(name)):
                forms.append(ukrainian_latin(uk))  # "Mala Loknia" in Ukrainian reports
    p.alternatenames = _union(p.alternatenames, forms)


def oblasts_take_their_capitals_names(units: list[Place], places: list[Place]) -> None:
    """An oblast named after its capital is written with the capital's other spellings:
    "Zaporozhye region" (the city's Russian form) is Zaporizhzhia Oblast, not a raion."""
    from geomap.gazetteer.normalize import core_name

    biggest: dict[str, Place] = {}
    for p in places:
        if p.country in HARMONISED_COUNTRIES and p.feature_class == "P" \
                and p.population >= 50_000 and p.population > getattr(
                    biggest.get(p.admin1_code), "population", -1):
            biggest[p.admin1_code] = p
    for unit in units:
        city = biggest.get(unit.admin1_code) if unit.feature_code == "ADM1" else None
        if city is None:
            continue
        latin = [n for n in (city.name, city.asciiname, *city.alternatenames)
                 if n and not has_cyrillic(n) and strict_key(n) and len(n) >= 4]
        own = loose_key(core_name(unit.name))
        if own not in {loose_key(n) for n in latin}:
            continue  # an oblast not named after its biggest city (Crimea, Donetsk's Mariupol)
        # only the city's spellings of the same name ("Zaporozhye", not Moscow's "Moisha")
        latin = [n for n in latin
                 if len(loose_key(n)) >= 4 and fuzz.ratio(loose_key(n), own) >= 75]
        unit.alternatenames = _union(unit.alternatenames,
                                     [f"{n} {word}" for n in latin for word in ("Oblast", "region")])


# Russia's regions on the Ukrainian border, whose villages Ukrainian reports name in
# Ukrainian: Kursk, Belgorod, Bryansk
_BORDER_REGIONS_RU = frozenset(("RU-KRS", "RU-BEL", "RU-BRY"))


_UKRAINIAN_LETTERS = re.compile("[іїєґІЇЄҐ'’ʼ]")


def _union(a: list[str], b: list[str]) -> list[str]:
    out = list(a)
    seen = set(a)
    for name in b:
        if name and name not in seen:
            out.append(name)
            seen.add(name)
    return out


def _join(a: str, b: str) -> str:
    return f"{a}; {b}" if a else b
