"""Settlement-level data packs, each read into ``Place`` records with its own point.

``ua_osm``
    30,669 OpenStreetMap place nodes in Ukraine (ODbL), ``gazetteer/ua_osm/``.
``ru_settlements``
    155,921 Russian settlements with district, OKTMO code and census population
    (GPL-3.0-or-later, a separate pack), ``gazetteer/ru_settlements/``.

Either pack can be left out of the build: ``GEOMAP_GAZETTEER_EXCLUDE=ru_settlements``
(comma-separated pack names).  Generated news spellings are added later, after the
records of different sources have been merged (``geomap.gazetteer.harmonize``).
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path

from geomap.gazetteer.record import Place
from geomap.gazetteer.translit import bgn_pcgn, ukrainian_latin
from geomap.paths import gazetteer_dir

PACKS = ("ua_osm", "ru_settlements")
EXCLUDE_ENV = "GEOMAP_GAZETTEER_EXCLUDE"


def enabled_packs() -> tuple[str, ...]:
    """The packs this build includes (all, less those named in ``$GEOMAP_GAZETTEER_EXCLUDE``)."""
    excluded = {p.strip() for p in os.environ.get(EXCLUDE_ENV, "").split(",") if p.strip()}
    unknown = excluded - set(PACKS)
    if unknown:
        raise ValueError(f"{EXCLUDE_ENV}: unknown pack(s) {', '.join(sorted(unknown))}; "
                         f"the packs are {', '.join(PACKS)}")
    return tuple(p for p in PACKS if p not in excluded)


def pack_files() -> list[Path]:
    g = gazetteer_dir()
    files = {"ua_osm": g / "ua_osm" / "ua_settlements_osm.csv",
             "ru_settlements": g / "ru_settlements" / "settlements.csv.gz"}
    return [files[p] for p in enabled_packs()]


# -- Ukraine: OpenStreetMap ---------------------------------------------------------
_OSM_FEATURES = {"city": ("P", "PPL"), "town": ("P", "PPL"), "village": ("P", "PPL"),
                 "hamlet": ("P", "PPLL"), "suburb": ("P", "PPLX"), "locality": ("L", "LCTY")}


def ua_osm() -> Iterator[Place]:
    """Ukrainian OSM place nodes; the oblast comes from the shipped polygons later."""
    path = gazetteer_dir() / "ua_osm" / "ua_settlements_osm.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            uk = row["name:uk"].strip()
            latin = row["name"].strip() or (ukrainian_latin(uk) if uk else "")
            if not latin:
                continue
            fclass, fcode = _OSM_FEATURES.get(row["place"], ("P", "PPL"))
            node = f"{row['osm_type']}/{row['osm_id']}"
            yield Place(
                id=f"osm:{node}", name=latin, lat=float(row["lat"]), lon=float(row["lon"]),
                # rows without an oblast include villages across the border in Russia:
                # their country comes from the polygons (geomap.gazetteer.harmonize)
                feature_class=fclass, feature_code=fcode,
                country="UA" if row["region:name"].strip() else "",
                alternatenames=[uk] if uk and uk != latin else [],
                source="osm", note=f"OSM place={row['place']}"
                + (f"; Wikidata {row['wikidata']}" if row["wikidata"] else ""),
                provenance=f"point, name: OpenStreetMap {node}",
            )


# -- Russia: settlements pack ---------------------------------------------------------
# Regions a product must not file under Russia (the UN position; see the pack's README).
_UKRAINIAN_REGIONS = {"Республика Крым", "Севастополь"}
_OTHER_COUNTRY = {"Байконур": "KZ"}
_RU_TYPES = {  # FIAS abbreviation → (feature code, English word for the note)
    "г": ("PPL", "city"), "пгт": ("PPL", "urban-type settlement"),
    "рп": ("PPL", "work settlement"), "кп": ("PPL", "resort settlement"),
    "дп": ("PPL", "dacha settlement"), "с": ("PPL", "selo"), "д": ("PPL", "derevnya"),
    "п": ("PPL", "posyolok"), "х": ("PPL", "khutor"), "ст-ца": ("PPL", "stanitsa"),
    "сл": ("PPL", "sloboda"), "аул": ("PPL", "aul"), "мкр": ("PPLX", "microdistrict"),
    "снт": ("PPLX", "garden cooperative"), "тер": ("PPLX", "territory"),
}
_OKRUG = re.compile(r"^(?:город(?:ской округ)?(?: город)?|го|зато|муниципальный округ)\s+",
                    re.IGNORECASE)
_RAION = re.compile(r"\s+(?:муниципальный\s+)?район$|\s+муниципальный округ$|"
                    r"\s+городской округ$", re.IGNORECASE)


def russian_district_name(municipality: str) -> str:
    """'Суджанский' → 'Sudzhansky District'; 'Город Курск' → 'Kursk' (an urban okrug)."""
    name = municipality.strip()
    if not name:
        return ""
    if _OKRUG.match(name):
        return bgn_pcgn(_OKRUG.sub("", name), marks=False)
    core = _RAION.sub("", name)
    latin = bgn_pcgn(core, marks=False)
    if re.search(r"(?:ский|цкий|ской|ный|ий|ой)$", core):
        latin = re.sub(r"iy$", "y", latin)
        return f"{latin} District"
    return latin


def _open_text(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path), encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def ru_settlements() -> Iterator[Place]:
    """Russian settlements (Crimea and Sevastopol filed under Ukraine, as the UN does)."""
    path = gazetteer_dir() / "ru_settlements" / "settlements.csv.gz"
    districts: dict[str, str] = {}
    with _open_text(path) as fh:
        for row in csv.DictReader(fh):
            name = row["settlement"].strip()
            if not name:
                continue
            region = row["region"].strip()
            country = ("UA" if region in _UKRAINIAN_REGIONS
                       else _OTHER_COUNTRY.get(region, "RU"))
            code, kind = _RU_TYPES.get(row["type"], ("PPL", row["type"]))
            municipality = row["municipality"].strip()
            if municipality not in districts:
                districts[municipality] = russian_district_name(municipality)
            latin = bgn_pcgn(name, marks=False)
            oktmo = row["oktmo"].strip()
            yield Place(
                id=f"ru:{row['id']}", name=latin, lat=float(row["latitude_dd"]),
                lon=float(row["longitude_dd"]), feature_class="P", feature_code=code,
                country=country, admin2=districts[municipality] if country == "RU" else "",
                population=int(row["population"] or 0), source="ru-pack",
                alternatenames=[name], official_code=oktmo,
                note=f"{kind}; {municipality}, {region}"
                + ("; filed under Ukraine (UN position)" if country == "UA" else ""),
                provenance=f"point, name, district: Russian settlements pack row {row['id']}"
                + (f" (OKTMO {oktmo})" if oktmo else ""),
            )
