"""Claimants, verification states, event types and actors from real sentences."""

import pytest

from geomap.events.claims import find_claimant, find_verification, resolve_verification
from geomap.events.classify import classify, side_of
from geomap.schema import EVENT_TYPES, VERIFICATION_STATES

HUR = ("A statement by Ukraine's Defense Intelligence (HUR) on Telegram said on Monday that at "
       "least 30 North Korean soldiers were either killed or wounded on Dec. 14 and 15 by the "
       "country’s forces near the villages of Plekhovo, Vorozhba, and Martynovka.")
KHARKIV = ("Russian forces shelled Kharkiv on Monday, killing at least two civilians and wounding "
           "12, regional governor Oleh Syniehubov said on Telegram.")


def test_claimant_statement_by_on_telegram():
    c = find_claimant(HUR)
    assert c.claimed_by == "Ukraine's Defense Intelligence (HUR), via Telegram"
    assert c.side == "Ukraine"


def test_claimant_anaphora_inherits():
    first = find_claimant(HUR)
    c = find_claimant("The statement further claimed that at least three North Korean servicemen "
                      "also went missing near the village of Kurilovka.", first)
    assert c.claimed_by == "Ukraine's Defense Intelligence (HUR), via Telegram" and c.anaphoric
    assert find_claimant("The statement further claimed that three went missing.", None) is None


@pytest.mark.parametrize("sentence,claimed_by", [
    (KHARKIV, "regional governor Oleh Syniehubov, via Telegram"),
    ("Ukraine's General Staff said its troops had retaken the village of Robotyne.",
     "Ukraine's General Staff"),
    ("Ukraine has claimed that its forces inflicted over 30 North Korean casualties in Russia's "
     "border region of Kursk.", "Ukraine"),
    ("At least three North Korean servicemen also went missing near the village of Kurilovka, "
     "says Ukraine's Defense Intelligence.", "Ukraine's Defense Intelligence"),
    ("In November, both Ukrainian and Western officials claimed that over 10,000 North Korean "
     "troops were deployed in Kursk.", "Ukrainian and Western officials"),
    ("Over 30 North Korean soldiers dead or wounded in Russia's Kursk: Ukraine", "Ukraine"),
    ("A drone strike on Sumy overnight killed one person, according to the regional military "
     "administration.", "the regional military administration"),
])
def test_claimants(sentence, claimed_by):
    assert find_claimant(sentence).claimed_by == claimed_by


def test_unattributed_sentence_has_no_claimant():
    assert find_claimant("Kiev's incursion into the Kursk region began on the night of August "
                         "5-6, when Ukrainian forces entered near the town of Sudzha.") is None


def test_verification_seed_unverified_not_denied():
    cues = find_verification("Neither Russian nor North Korean authorities have yet commented on "
                             "the claims, and independent verification of Ukraine's claims is "
                             "difficult due to the ongoing war.")
    cues += find_verification("Neither North Korea nor Russia has commented on the allegations, "
                              "though the Kremlin has asserted its right to build relations.")
    state, notes = resolve_verification("Ukraine", True, cues)
    assert state == "unverified"
    assert any("not a denial" in n for n in notes)
    # the same cues say nothing about Russia's claims
    assert resolve_verification("Russia", True, cues)[0] == "claimed"


def test_verification_denied_and_confirmed_by_other_side():
    denied = find_verification("Russia's defence ministry denied the claim.")
    assert resolve_verification("Ukraine", True, denied)[0] == "denied"
    # a side cannot deny its own claim
    assert resolve_verification("Russia", True, denied)[0] == "claimed"
    confirmed = find_verification("The loss of the village was confirmed by Russia's defence "
                                  "ministry.")
    assert resolve_verification("Ukraine", True, confirmed)[0] == "confirmed_by_other_side"
    assert resolve_verification("Ukraine", True,
                                find_verification("Russia has not confirmed the losses."))[0] \
        == "claimed"
    both = denied + find_verification("Reuters could not independently verify the report.")
    assert resolve_verification("Ukraine", True, both)[0] == "denied"
    assert resolve_verification("", False, [])[0] == "unverified"
    for s in ("denied", "confirmed_by_other_side", "unverified", "claimed"):
        assert s in VERIFICATION_STATES


def test_side_of():
    assert side_of("Ukraine's Defense Intelligence (HUR)") == "Ukraine"
    assert side_of("the Kremlin") == "Russia"
    assert side_of("KCNA") == "North Korea"


def _valid(c):
    assert c.sub_event_type in EVENT_TYPES[c.event_type]


def test_classify_seed_battle_actors():
    c = classify(HUR, victims="military", has_casualties=True, claimant_side="Ukraine",
                 location_country="Russia")
    _valid(c)
    assert (c.event_type, c.sub_event_type) == ("Battles", "Armed clash")
    assert (c.actor1, c.actor2) == ("Military Forces of North Korea (2011-)",
                                    "Military Forces of Ukraine (2019-)")


def test_classify_incursion_and_deployment():
    c = classify("Kiev's incursion into the Kursk region began on the night of August 5-6, when "
                 "Ukrainian forces entered near the town of Sudzha", location_country="Russia")
    _valid(c)
    assert (c.event_type, c.sub_event_type, c.actor1, c.actor2) == (
        "Battles", "Armed clash", "Military Forces of Ukraine (2019-)",
        "Military Forces of Russia (2000-)")
    assert any("incursion" in n for n in c.notes) and any("inferred" in n for n in c.notes)
    d = classify("over 10,000 North Korean troops were deployed in Kursk to push out Kiev's forces "
                 "from the border region", location_country="Russia")
    _valid(d)
    assert (d.event_type, d.sub_event_type, d.actor1, d.actor2) == (
        "Strategic developments", "Change to group/activity",
        "Military Forces of North Korea (2011-)", "")


def test_classify_remote_violence_and_territory():
    c = classify(KHARKIV, victims="civilian", has_casualties=True, location_country="Ukraine")
    _valid(c)
    assert (c.event_type, c.sub_event_type, c.actor1, c.actor2) == (
        "Explosions/Remote violence", "Shelling/artillery/missile attack",
        "Military Forces of Russia (2000-)", "Civilians (Ukraine)")
    d = classify("A drone strike on Sumy overnight killed one person", victims="civilian",
                 has_casualties=True, location_country="Ukraine")
    assert (d.sub_event_type, d.actor1, d.actor2) == ("Air/drone strike", "", "Civilians (Ukraine)")
    t = classify("Ukraine's General Staff said its troops had retaken the village of Robotyne",
                 claimant_side="Ukraine", location_country="Ukraine")
    _valid(t)
    assert (t.sub_event_type, t.actor1) == ("Government regains territory",
                                            "Military Forces of Ukraine (2019-)")
    r = classify("Russian forces captured the village of Plekhovo", location_country="Russia")
    assert r.sub_event_type == "Government regains territory"
    u = classify("Ukrainian forces captured the village of Plekhovo", location_country="Russia")
    assert u.sub_event_type == "Non-state actor overtakes territory"


def test_quoted_rhetoric_is_not_an_event():
    assert classify('Russian President Vladimir Putin condemned it as "indiscriminate shooting," '
                    'calling it a "terrorist attack."') is None


def test_not_commented_is_not_a_denial():
    cues = find_verification("Kyiv has not commented on the claim.")
    assert [(c.state, c.by_side) for c in cues] == [("no_comment", "Ukraine")]
    state, notes = resolve_verification("Russia", True, cues)
    assert state == "claimed" and "not a denial" in notes[0]
