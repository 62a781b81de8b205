"""Record layouts: which source column feeds which ``EVENT_COLUMNS`` column.

See ``geomap.events.records`` for the documented UCDP GED and ACLED mappings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from geomap.errors import InputError
from geomap.events.schema import EVENT_COLUMNS

GED_TO_ACLED_PRECISION = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3, 7: 3}
GED_DATE_PRECISION = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3}
GED_VIOLENCE_TYPES = {
    1: ("Battles", "state-based conflict"),
    2: ("Battles", "non-state conflict"),
    3: ("Violence against civilians", "one-sided violence"),
}

_UCDP_MAP = {
    "event_id": "id", "report_id": "relid", "event_date": "date_start", "end_date": "date_end",
    "date_precision": "date_prec", "event_type": "type_of_violence", "actor1": "side_a",
    "actor2": "side_b", "country": "country", "admin1": "adm_1", "admin2": "adm_2",
    "location": "where_coordinates", "latitude": "latitude", "longitude": "longitude",
    "geo_precision": "where_prec", "fatalities_low": "low", "fatalities_best": "best",
    "fatalities_high": "high", "source": "source_article", "notes": "source_headline",
}
_ACLED_MAP = {
    "event_id": "event_id_cnty", "event_date": "event_date", "date_precision": "time_precision",
    "event_type": "event_type", "sub_event_type": "sub_event_type", "actor1": "actor1",
    "actor2": "actor2", "country": "country", "admin1": "admin1", "admin2": "admin2",
    "location": "location", "latitude": "latitude", "longitude": "longitude",
    "geo_precision": "geo_precision", "fatalities_best": "fatalities", "source": "source",
    "notes": "notes",
}
# Common column names of hand-made tables, by target column.
_ALIASES = {
    "event_id": ["id", "event_id", "eventid", "uid"],
    "event_date": ["event_date", "date", "date_start", "start_date", "day", "дата"],
    "end_date": ["end_date", "date_end"],
    "event_type": ["event_type", "type"],
    "actor1": ["actor1", "actor", "side_a"],
    "actor2": ["actor2", "side_b", "target"],
    "country": ["country", "страна", "країна"],
    "admin1": ["admin1", "oblast", "region", "province", "adm_1", "область"],
    "admin2": ["admin2", "raion", "rayon", "district", "adm_2", "район"],
    "location": ["location", "place", "village", "settlement", "town", "city", "locality",
                 "name", "where_coordinates", "населенный пункт"],
    "latitude": ["latitude", "lat", "y"],
    "longitude": ["longitude", "lon", "lng", "long", "x"],
    "notes": ["notes", "description", "text", "comment", "summary"],
    "source": ["source", "sources"],
    "source_url": ["source_url", "url", "link"],
    "fatalities_best": ["fatalities", "deaths", "killed_total"],
}


def parse_columns_spec(spec: str | Mapping[str, str] | None) -> dict[str, str]:
    """``"location=village,event_date=date"`` → ``{"location": "village", ...}``."""
    if spec is None:
        return {}
    if isinstance(spec, Mapping):
        pairs = dict(spec)
    else:
        pairs = {}
        for part in str(spec).split(","):
            if not part.strip():
                continue
            if "=" not in part:
                raise InputError(f"column mapping {part!r} is not target=source", field="columns")
            target, source = (s.strip() for s in part.split("=", 1))
            pairs[target] = source
    unknown = [t for t in pairs if t not in EVENT_COLUMNS]
    if unknown:
        raise InputError(
            f"unknown target column(s) {', '.join(unknown)}; targets are {', '.join(EVENT_COLUMNS)}",
            field="columns",
        )
    return pairs


def detect_layout(columns: Iterable[str]) -> str:
    """'ucdp', 'acled', 'geomap' or 'generic' from a table's column names."""
    cols = {c.strip().lower() for c in columns}
    if {"where_coordinates", "date_start", "side_a"} <= cols or {"where_prec", "adm_1", "best"} <= cols:
        return "ucdp"
    if "event_id_cnty" in cols or {"event_date", "actor1", "geo_precision", "fatalities"} <= cols:
        return "acled"
    if {"event_id", "event_date", "latitude", "longitude"} <= cols and len(cols & set(EVENT_COLUMNS)) >= 8:
        return "geomap"
    return "generic"


def layout_mapping(layout: str, columns: list[str]) -> dict[str, str]:
    lower = {c.lower(): c for c in columns}
    if layout == "ucdp":
        base = _UCDP_MAP
    elif layout == "acled":
        base = _ACLED_MAP
    elif layout == "geomap":
        base = {c: c for c in EVENT_COLUMNS}
    else:
        mapping = {}
        used = set()
        for target, aliases in _ALIASES.items():
            for alias in aliases:
                if alias in lower and lower[alias] not in used:
                    mapping[target] = lower[alias]
                    used.add(lower[alias])
                    break
        for c in EVENT_COLUMNS:
            if c in lower and c not in mapping and lower[c] not in used:
                mapping[c] = lower[c]
        return mapping
    return {t: lower[s.lower()] for t, s in base.items() if s.lower() in lower}
