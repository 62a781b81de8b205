"""ACLED event types, sub-event types, actors and codes on real-world phrasings."""

from __future__ import annotations

import pytest

from geomap.events.classify import classify
from geomap.events.coding import (
    civilian_targeting,
    disorder_type,
    inter_code,
    interaction,
    iso_numeric,
    type_of_violence,
)
from geomap.events.extract import extract_events
from geomap.events.summary import casualty_summary, short_claimant
from geomap.schema import EVENT_TYPES
from tests.test_extract import SEED, mentions_at


@pytest.mark.parametrize("text,etype,sub", [
    ("Hundreds of people protested in Kyiv on Saturday against the new anti-corruption law.",
     "Protests", "Peaceful protest"),
    ("Police detained 20 protesters who rallied in central Moscow against mobilisation.",
     "Protests", "Protest with intervention"),
    ("Police opened fire on protesters in Minsk, wounding three.", "Protests",
     "Excessive force against protesters"),
    ("Protesters threw stones and Molotov cocktails at police outside parliament in Kyiv.",
     "Riots", "Violent demonstration"),
    ("A mob beat a man accused of looting in Kharkiv.", "Riots", "Mob violence"),
    ("Ukrainian air defence shot down 20 Russian drones over Kyiv overnight.",
     "Strategic developments", "Disrupted weapons use"),
    ("Sappers defused a Russian anti-tank mine near Kherson.", "Strategic developments",
     "Disrupted weapons use"),
    ("Deminers cleared 300 mines from farmland in Kharkiv region.", "Strategic developments",
     "Disrupted weapons use"),
    ("The SBU arrested a man in Odesa suspected of spotting targets for Russian missiles.",
     "Strategic developments", "Arrests"),
    ("Russian soldiers looted homes and shops in Bucha before leaving.",
     "Strategic developments", "Looting/property destruction"),
    ("Russian forces withdrew from the right bank of the Dnipro in Kherson.",
     "Strategic developments", "Non-violent transfer of territory"),
    ("Russian forces set up a headquarters in the village school in Yahidne.",
     "Strategic developments", "Headquarters or base established"),
    ("Russia and Ukraine agreed on a prisoner exchange mediated by the UAE.",
     "Strategic developments", "Agreement"),
    ("Russian troops were deployed to the border near Belgorod.", "Strategic developments",
     "Change to group/activity"),
    ("A Russian drone strike set fire to a warehouse in Odesa.", "Explosions/Remote violence",
     "Air/drone strike"),
    ("Russian forces shelled Kherson, killing two civilians.", "Explosions/Remote violence",
     "Shelling/artillery/missile attack"),
    ("Ukrainian troops clashed with Russian forces near Bakhmut.", "Battles", "Armed clash"),
])
def test_acled_types_and_sub_types(text, etype, sub):
    c = classify(text, location_country="Ukraine")
    assert (c.event_type, c.sub_event_type) == (etype, sub)
    assert c.sub_event_type in EVENT_TYPES[c.event_type]


def test_protest_and_riot_actors_use_acled_names():
    c = classify("Police detained 20 protesters in Moscow.", location_country="Russia")
    assert (c.actor1, c.actor2) == ("Protesters (Russia)", "Police Forces of Russia (2000-)")
    c = classify("Hundreds of miners protested in Kyiv over unpaid wages.", location_country="Ukraine")
    assert (c.actor1, c.actor2, c.assoc_actor_1) == ("Protesters (Ukraine)", "",
                                                      "Labor Group (Ukraine)")
    c = classify("Ukrainian air defence shot down 20 Russian drones over Kyiv.",
                 location_country="Ukraine")
    assert (c.actor1, c.actor2) == ("Military Forces of Ukraine (2019-)",
                                    "Military Forces of Russia (2000-)")


def test_inter_codes_interaction_and_columns():
    # state forces at home are 1, abroad 8 (ACLED "External/Other forces")
    assert inter_code("Military Forces of Russia (2000-)", "Russia") == 1
    assert inter_code("Military Forces of Russia (2000-)", "Ukraine") == 8
    assert inter_code("Civilians (Ukraine)", "Ukraine") == 7
    assert inter_code("Protesters (Ukraine)") == 6 and inter_code("Rioters (Ukraine)") == 5
    assert interaction(8, 7) == 78 and interaction(6, None) == 60 and interaction(None, None) is None
    assert disorder_type("Protests", "Peaceful protest") == "Demonstrations"
    assert disorder_type("Protests", "Excessive force against protesters") == \
        "Political violence; Demonstrations"
    assert disorder_type("Battles") == "Political violence"
    assert civilian_targeting("Explosions/Remote violence", "Civilians (Ukraine)") == \
        "Civilian targeting"
    assert iso_numeric("Ukraine") == 804 and iso_numeric("RU") == 643
    assert type_of_violence("Battles", "Military Forces of Russia (2000-)",
                            "Military Forces of Ukraine (2019-)") == 1
    assert type_of_violence("Violence against civilians", "Military Forces of Russia (2000-)",
                            "Civilians (Ukraine)") == 3
    assert type_of_violence("Battles", "", "") is None  # no side named: cannot tell


def test_extracted_rows_carry_acled_codes():
    text = "Russian forces shelled Kharkiv on Monday, killing two civilians."
    [r] = extract_events(text, published="2024-12-17", mentions=mentions_at(text))
    assert (r.actor1, r.actor2) == ("Military Forces of Russia (2000-)", "Civilians (Ukraine)")
    assert (r.inter1, r.inter2, r.interaction, r.iso) == ("8", "7", "78", 804)
    # shelling that kills civilians: ACLED civilian targeting, UCDP state-based (1), not
    # one-sided (3, the deliberate killing of civilians)
    assert (r.civilian_targeting, r.disorder_type, r.type_of_violence) == (
        "Civilian targeting", "Political violence", 1)


def test_casualty_summary_keeps_qualifier_and_claimant():
    rows = extract_events(SEED, published="2024-12-16", mentions=mentions_at(SEED))
    plekhovo = next(r for r in rows if r.location == "Plekhovo")
    assert casualty_summary(plekhovo) == ("at least 30 killed or wounded (claimed by Ukraine's "
                                          "HUR, unverified)")
    vorozhba = next(r for r in rows if r.location == "Vorozhba")
    assert vorozhba.killed_or_wounded is None  # summing rows never double counts
    assert casualty_summary(vorozhba).startswith("at least 30 killed or wounded across 3 locations")
    kurilovka = next(r for r in rows if r.location == "Kurilovka")
    assert casualty_summary(kurilovka) == "at least three missing (claimed by Ukraine's HUR, unverified)"
    # an ingested ACLED row has only numbers
    assert casualty_summary({"fatalities_best": 4, "verification": ""}) == "4 killed"
    assert short_claimant("Kharkiv regional governor Oleh Syniehubov, via Telegram") == \
        "Kharkiv regional governor Oleh Syniehubov"


def test_donbas_republics_are_rebel_groups():
    # a real UCDP GED headline (row 289428's kind): the agent after "by", the DPR as target
    c = classify("DPR serviceman killed in shelling by Kiev’s forces - DPR command",
                 has_casualties=True, victims="military", location_country="Ukraine")
    assert (c.event_type, c.actor1, c.actor2) == ("Explosions/Remote violence",
                                                  "Military Forces of Ukraine (2019-)",
                                                  "DPR: Donetsk People's Republic")
    assert inter_code(c.actor1, "Ukraine") == 1 and inter_code(c.actor2, "Ukraine") == 2
    assert interaction(1, 2) == 12
    assert type_of_violence(c.event_type, c.actor1, c.actor2) == 1
