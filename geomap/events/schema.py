"""The one event schema shared by events extracted from text and ingested records.

Column names follow ACLED (event_date, event_type, sub_event_type, actor1, actor2,
admin1, admin2, location, latitude, longitude, geo_precision, notes, source) and UCDP
GED (fatalities low/best/high) where those exist.  See ``docs``/README "Event schema".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

VERIFICATION_STATES = (
    "claimed", "unverified", "denied", "confirmed_by_other_side", "independently_verified",
)

# ACLED event types and the sub-event types geomap assigns.
EVENT_TYPES = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Shelling/artillery/missile attack", "Air/drone strike", "Remote explosive/landmine/IED",
        "Grenade", "Suicide bomb", "Chemical weapon",
    ),
    "Violence against civilians": ("Attack", "Abduction/forced disappearance", "Sexual violence"),
    "Strategic developments": (
        "Change to group/activity", "Non-violent transfer of territory", "Headquarters or base established",
        "Looting/property destruction", "Disrupted weapons use", "Arrests", "Agreement", "Other",
    ),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
}


@dataclass
class EventRecord:
    """One event at one location (ACLED convention: one row per location and day range)."""

    event_id: str
    report_id: str = ""
    event_date: str = ""  # ISO date
    end_date: str = ""
    date_precision: int = 1  # 1 day, 2 week/range, 3 month (ACLED time_precision)
    event_type: str = ""
    sub_event_type: str = ""
    actor1: str = ""
    actor2: str = ""
    country: str = ""
    admin1: str = ""
    admin2: str = ""
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None  # 1 place, 2 near place / part of region, 3 region
    geonameid: str = ""
    killed: int | None = None
    wounded: int | None = None
    killed_or_wounded: int | None = None
    missing: int | None = None
    captured: int | None = None
    fatalities_low: int | None = None
    fatalities_best: int | None = None
    fatalities_high: int | None = None
    claimed_by: str = ""
    verification: str = ""
    source: str = ""
    source_url: str = ""
    published: str = ""
    notes: str = ""
    confidence: float | None = None
    needs_review: bool = False
    # ACLED / UCDP coding next to geomap's own (geomap.events.coding)
    casualties_text: str = ""  # "at least 30 killed or wounded": the numbers as written
    admin3: str = ""
    assoc_actor_1: str = ""
    assoc_actor_2: str = ""
    # ACLED actor types: extraction writes the numeric codes ("8", "78"; the two codes,
    # smaller first); an ingested ACLED file keeps its own values ("State forces", ...)
    inter1: str = ""
    inter2: str = ""
    interaction: str = ""
    civilian_targeting: str = ""  # "Civilian targeting" or ""
    disorder_type: str = ""  # Political violence | Demonstrations | Strategic developments
    iso: int | None = None  # ISO 3166-1 numeric country code
    type_of_violence: int | None = None  # UCDP: 1 state-based, 2 non-state, 3 one-sided

    def to_dict(self) -> dict:
        return asdict(self)


# Column order of every events table geomap writes: the fields of EventRecord.
EVENT_COLUMNS: list[str] = [f.name for f in fields(EventRecord)]

# Bookkeeping columns a store keeps next to EVENT_COLUMNS (never shown to readers):
# extra (JSON of the non-schema columns), record_hash, first_seen, last_seen.
STORE_COLUMNS: list[str] = ["extra", "record_hash", "first_seen", "last_seen"]
