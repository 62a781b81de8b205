"""Record layouts: one class per source layout (ACLED, UCDP GED, geomap, generic).

A layout knows which source column feeds which ``EVENT_COLUMNS`` column
(``mapping``), picks a row's cells by target (``map_row``), applies its own coding to
a checked row (``code_row``: UCDP's violence types and precision codes in ACLED's
terms) and writes events back in its own columns (``map_frame``, ``geomap export
--layout``).  The mappings are documented in :mod:`geomap.records`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import geopandas as gpd
import pandas as pd

from geomap.errors import InputError
from geomap.events.coding import disorder_type, iso3, iso_numeric
from geomap.schema import EVENT_COLUMNS

# err(field, reason, severity="error"): how a layout reports a problem with the row
ReportProblem = Callable[..., None]

GED_TO_ACLED_PRECISION = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3, 7: 3}
GED_DATE_PRECISION = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3}
# UCDP type_of_violence → (ACLED event type, UCDP label, ACLED sub-event type).  ACLED has
# no event type of its own for non-state conflict: 1 and 2 are both Battles/Armed clash in
# ACLED's scheme and stay distinct in the ``type_of_violence`` column (and in inter codes).
GED_VIOLENCE_TYPES = {
    1: ("Battles", "state-based conflict", "Armed clash"),
    2: ("Battles", "non-state conflict", "Armed clash"),
    3: ("Violence against civilians", "one-sided violence", "Attack"),
}

_UCDP_MAP = {
    "event_id": "id", "report_id": "relid", "event_date": "date_start", "end_date": "date_end",
    "date_precision": "date_prec", "type_of_violence": "type_of_violence", "actor1": "side_a",
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


class Layout:
    """geomap's own layout (a table geomap wrote: the ``EVENT_COLUMNS`` names); the base
    of the others."""

    name = "geomap"
    id_prefix = ""  # prefix of the source's own ids ("ucdp:149876")
    keeps_extra_columns = True  # a table geomap wrote keeps its extra columns (links, ...)
    date_required = False  # geomap's own output: an undated event stays, flagged
    dayfirst: bool | None = None  # day/month order of a/b/yyyy dates nobody can tell apart
    source_columns: Mapping[str, str] = {}  # target -> source column (the layout's names)

    def mapping(self, columns: list[str]) -> dict[str, str]:
        """target -> the table's column, for the columns this table has."""
        return _known_mapping({c: c for c in EVENT_COLUMNS}, columns)

    def map_row(self, row: dict, mapping: Mapping[str, str]) -> dict:
        """The row's raw cell for every target column ("" where the table has none)."""
        return {target: row.get(col, "") if col else ""
                for target, col in ((t, mapping.get(t)) for t in EVENT_COLUMNS)}

    def code_row(self, rec: dict, row: dict, mapping: Mapping[str, str],
                 err: ReportProblem) -> None:
        """The layout's own coding on a checked row (in place); reports with ``err``."""

    def map_frame(self, df: pd.DataFrame) -> pd.DataFrame:
        """Events as a table of this layout (geomap's: unchanged)."""
        return df


class GenericLayout(Layout):
    """Any other table: columns guessed from common names (``lat``/``lon``, ``date``,
    ``village``, ``oblast``...) or named with ``columns={"location": "village", ...}``."""

    name = "generic"
    keeps_extra_columns = False
    date_required = True

    def mapping(self, columns: list[str]) -> dict[str, str]:
        lower = {c.lower(): c for c in columns}
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


class _SourceLayout(GenericLayout):
    """A source's export: its own column names (``source_columns``), ids prefixed."""

    def mapping(self, columns: list[str]) -> dict[str, str]:
        return _known_mapping(self.source_columns, columns)


class AcledLayout(_SourceLayout):
    """An ACLED export (``event_id_cnty``, ``event_date``, ``actor1``, ...)."""

    name = "acled"
    id_prefix = "acled"
    source_columns = _ACLED_MAP

    def code_row(self, rec: dict, row: dict, mapping: Mapping[str, str],
                 err: ReportProblem) -> None:
        if rec["geo_precision"] not in (None, 1, 2, 3):
            err(mapping.get("geo_precision"), f"geo_precision {rec['geo_precision']} not 1–3; left empty",
                "warning")
            rec["geo_precision"] = None
        if rec["date_precision"] is None:
            rec["date_precision"] = 1

    def map_frame(self, df: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame(index=df.index)
        out["event_id_cnty"] = [_source_id(i, "acled", c) for i, c in
                                zip(df["event_id"], df["country"], strict=True)]
        out["year"] = _year(df)
        for target, col in _ACLED_MAP.items():
            if col not in out:
                out[col] = df[target]
        for c in ACLED_COLUMNS:
            if c not in out and c in df:
                out[c] = df[c]
        out = out[[c for c in ACLED_COLUMNS if c in out]]
        return _own_columns_after(out, df, set(_ACLED_MAP) | set(ACLED_COLUMNS))


class UcdpLayout(_SourceLayout):
    """A UCDP GED export (``id``, ``where_coordinates``, ``date_start``, ``side_a``, ...)."""

    name = "ucdp"
    id_prefix = "ucdp"
    dayfirst = False  # GED writes month-first dates
    source_columns = _UCDP_MAP

    def code_row(self, rec: dict, row: dict, mapping: Mapping[str, str],
                 err: ReportProblem) -> None:
        tov = rec.get("type_of_violence")
        label = ""
        if tov is not None and tov not in GED_VIOLENCE_TYPES:
            err(mapping.get("type_of_violence"), f"unknown type_of_violence {tov!r}; left empty",
                "warning")
            rec["type_of_violence"] = tov = None
        if not rec.get("event_type") and tov in GED_VIOLENCE_TYPES:
            # a GED row: the ACLED type from UCDP's, the UCDP type kept in type_of_violence
            rec["event_type"] = GED_VIOLENCE_TYPES[tov][0]
            rec["sub_event_type"] = rec.get("sub_event_type") or GED_VIOLENCE_TYPES[tov][2]
            label = f"UCDP type_of_violence {tov} ({GED_VIOLENCE_TYPES[tov][1]})"
        # ACLED's derived columns next to UCDP's, where the file has none
        rec["disorder_type"] = rec.get("disorder_type") or disorder_type(rec.get("event_type", ""))
        if rec.get("iso") is None and rec.get("country"):
            rec["iso"] = iso_numeric(rec["country"])
        prec = rec.get("geo_precision")
        if prec is not None:
            if prec in GED_TO_ACLED_PRECISION:
                rec["geo_precision"] = GED_TO_ACLED_PRECISION[prec]
            else:
                err(mapping.get("geo_precision"), f"where_prec {prec} not 1–7; geo_precision left empty",
                    "warning")
                rec["geo_precision"] = None
        dprec = rec.get("date_precision")
        rec["date_precision"] = GED_DATE_PRECISION.get(dprec, 1) if dprec is not None else 1
        desc = str(row.get("where_description", "") or "").strip()
        extra = "; ".join(x for x in (label, f"where: {desc}" if desc else "") if x)
        if extra:
            rec["notes"] = f"{rec['notes']} [{extra}]" if rec["notes"] else f"[{extra}]"

    def map_frame(self, df: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame(index=df.index)
        out["year"] = _year(df)
        for target, col in _UCDP_MAP.items():
            out[col] = df[target]
        out["id"] = [_source_id(i, "ucdp", "") for i in df["event_id"]]
        out["date_prec"] = df["date_precision"].map(
            lambda v: _DATE_PREC_TO_GED.get(int(v)) if pd.notna(v) else None).astype("Int64")
        out["where_prec"] = df["geo_precision"].map(
            lambda v: _GEO_PREC_TO_GED.get(int(v)) if pd.notna(v) else None).astype("Int64")
        out = out[[c for c in UCDP_COLUMNS if c in out]]
        return _own_columns_after(out, df, set(_UCDP_MAP))


LAYOUTS: dict[str, Layout] = {
    layout.name: layout for layout in (UcdpLayout(), AcledLayout(), Layout(), GenericLayout())
}


def get_layout(name: str, path: str | None = None) -> Layout:
    """The layout called ``name`` ("ucdp", "acled", "geomap", "generic")."""
    if name not in LAYOUTS:
        raise InputError(f"unknown layout {name!r}", path=path, field="layout")
    return LAYOUTS[name]


def _known_mapping(base: Mapping[str, str], columns: list[str]) -> dict[str, str]:
    """A layout's own names found in ``columns``, then geomap's own columns next to them
    (a table written by ``geomap export --layout``: geomap's ``event_id`` wins)."""
    lower = {c.lower(): c for c in columns}
    mapping = {t: lower[s.lower()] for t, s in base.items() if s.lower() in lower}
    if "event_id" in lower:  # written by 'geomap export --layout': geomap's own id wins
        mapping["event_id"] = lower["event_id"]
    used = set(mapping.values())
    for c in EVENT_COLUMNS:  # geomap's own columns next to ACLED/UCDP's (export --layout)
        if c not in mapping and c in lower and lower[c] not in used:
            mapping[c] = lower[c]
            used.add(lower[c])
    return mapping


def layout_mapping(layout: str, columns: list[str]) -> dict[str, str]:
    """target -> source column of ``columns`` in the layout called ``layout``."""
    return LAYOUTS[layout].mapping(columns)


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


# --------------------------------------------------------------------------- export
# ACLED's column order (codebook 2023) for the columns geomap can fill
ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "notes", "fatalities",
]
# UCDP GED's column order for the columns geomap can fill
UCDP_COLUMNS = [
    "id", "relid", "year", "type_of_violence", "side_a", "side_b", "source_article",
    "source_headline", "where_prec", "where_coordinates", "adm_1", "adm_2", "latitude",
    "longitude", "country", "date_prec", "date_start", "date_end", "best", "high", "low",
]
# geomap date/geo precision → the UCDP code that reads back to the same value
_DATE_PREC_TO_GED = {1: 1, 2: 2, 3: 4}
_GEO_PREC_TO_GED = {1: 1, 2: 2, 3: 4}


def _source_id(event_id: str, layout: str, country: str) -> str:
    """ACLED/UCDP-style id: the source's own id for its rows ("acled:UKR123" → "UKR123"),
    else the country's ISO3 code before geomap's id ("RUS-R032afd1d-e1-1"), as ACLED's
    ``event_id_cnty`` does.  geomap's own ``event_id`` column is written as well."""
    event_id = str(event_id)
    if event_id.startswith(layout + ":"):
        return event_id[len(layout) + 1:]
    if layout == "acled" and country:
        code = iso3(country)
        if code:
            return f"{code}-{event_id}"
    return event_id


def _year(df: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(df["event_date"], errors="coerce").dt.year.astype("Int64")


def _own_columns_after(out: pd.DataFrame, df: pd.DataFrame, mapped: set) -> pd.DataFrame:
    """geomap's own columns (and extras) under their own names, after the layout's."""
    own = [c for c in df.columns if c not in mapped or c == "event_id"]
    for c in own:
        out[c] = df[c]
    return out


def to_layout(gdf, layout: str):
    """Events (EVENT_COLUMNS) as an ACLED or UCDP GED table, geomap's own columns after.

    The table reads back through :func:`geomap.records.read_records` with no loss:
    every EVENT_COLUMNS value is either in an ACLED/UCDP column that maps back to it or
    kept under its own name (``event_id``, ``killed``, ``claimed_by``, ...).  ``year`` and
    the ACLED/UCDP names of renamed columns are derived and ignored on the way back.
    """
    if layout not in ("acled", "ucdp"):
        raise InputError(f"unknown export layout {layout!r}; choose acled or ucdp", field="layout")
    df = pd.DataFrame(gdf.drop(columns=gdf.geometry.name) if hasattr(gdf, "geometry") else gdf)
    out = LAYOUTS[layout].map_frame(df)
    if hasattr(gdf, "geometry"):
        return gpd.GeoDataFrame(out, geometry=gdf.geometry.values, crs=gdf.crs)
    return out
