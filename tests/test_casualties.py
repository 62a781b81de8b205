"""Casualty claims keep category, qualifier, bounds and quote."""

import pytest

from geomap.events.casualties import bounds, fatalities, find_casualties, parse_number


def _claims(text):
    return [(c.category, c.number_text, c.qualifier, c.low, c.best, c.high)
            for c in find_casualties(text)]


def test_seed_killed_or_wounded_with_quote():
    text = ("A statement by Ukraine's Defense Intelligence (HUR) on Telegram said on Monday that at "
            "least 30 North Korean soldiers were either killed or wounded on Dec. 14 and 15 by the "
            "country’s forces near the villages of Plekhovo, Vorozhba, and Martynovka.")
    [c] = find_casualties(text, offset=100)
    assert (c.category, c.qualifier, c.low, c.best, c.high) == ("killed_or_wounded", "at least",
                                                                30, 30, None)
    assert c.quote == ("at least 30 North Korean soldiers were either killed or wounded on "
                       "Dec. 14 and 15")
    assert c.summary().startswith('killed_or_wounded: at least 30 — "at least 30 North Korean')
    assert text[c.start - 100:c.end - 100] == c.quote
    assert c.victims == "military"
    assert fatalities([c]) == (0, None, None)


def test_seed_missing_and_lumped_casualties():
    assert _claims("The statement further claimed that at least three North Korean servicemen "
                   "also went missing near the village of Kurilovka.") == [
        ("missing", "at least three", "at least", 3, 3, None)]
    assert _claims("Ukraine has claimed that its forces inflicted over 30 North Korean casualties "
                   "in Russia's border region of Kursk") == [
        ("killed_or_wounded", "over 30", "over", 31, 31, None)]
    assert _claims("Over 30 North Korean soldiers dead or wounded in Russia's Kursk: Ukraine") == [
        ("killed_or_wounded", "Over 30", "over", 31, 31, None)]


def test_participles_killed_and_wounded():
    text = ("Russian forces shelled Kharkiv on Monday, killing at least two civilians and wounding "
            "12, regional governor Oleh Syniehubov said on Telegram.")
    claims = find_casualties(text)
    assert _claims(text) == [("killed", "at least two", "at least", 2, 2, None),
                             ("wounded", "12", "", 12, 12, 12)]
    assert claims[0].quote == "killing at least two civilians"
    assert claims[0].victims == "civilian"
    assert fatalities(claims) == (2, 2, None)


def test_active_verb_and_vague_numbers():
    assert _claims("A drone strike on Sumy overnight killed one person") == [
        ("killed", "one", "", 1, 1, 1)]
    assert _claims("Dozens of people were killed and 25 injured in the strike.") == [
        ("killed", "Dozens", "vague", 12, 12, None), ("wounded", "25", "", 25, 25, 25)]
    assert _claims("Several soldiers were captured near Robotyne.") == [
        ("captured", "Several", "vague", 3, 3, None)]
    assert _claims("Hundreds of troops were killed or wounded.")[0][3:] == (100, 100, None)


def test_not_casualties():
    assert find_casualties("In November, officials claimed that over 10,000 North Korean troops "
                           "were deployed in Kursk.") == []
    assert find_casualties("It has 3 brigades in 2 regions and lost 5 tanks.") == []
    assert find_casualties("It added that due to these losses, assault groups are being "
                           "replenished.") == []


def test_qualifier_bounds_table():
    assert bounds("", 30, False) == (30, 30, 30)
    assert bounds("at least", 30, False) == (30, 30, None)
    assert bounds("over", 30, False) == (31, 31, None)
    assert bounds("about", 30, False) == (30, 30, 30)
    assert bounds("up to", 30, False) == (1, 30, 30)
    assert bounds("nearly", 30, False) == (1, 29, 29)
    assert _claims("up to 10 people were injured")[0][2:] == ("up to", 1, 10, 10)
    assert _claims("nearly 20 soldiers were killed")[0][2:] == ("nearly", 1, 19, 19)
    assert _claims("about 40 people died")[0][2:] == ("about", 40, 40, 40)


@pytest.mark.parametrize("text,value", [
    ("10,000", (10000, False)), ("twenty-five", (25, False)), ("three", (3, False)),
    ("dozens", (12, True)), ("several", (3, True)), ("a few", (3, True)),
    ("hundreds", (100, True)), ("tens", (10, True)), ("two thousand", (2000, False)),
])
def test_parse_number(text, value):
    assert parse_number(text) == value


def test_fatalities_count_deaths_only():
    claims = find_casualties("Two people died and three were hurt, and at least 10 soldiers were "
                             "killed or wounded.")
    assert [c.category for c in claims] == ["killed", "wounded", "killed_or_wounded"]
    # killed 2 exactly; the lumped "at least 10" adds 0 to low, nothing to best, opens high
    assert fatalities(claims) == (2, 2, None)
    exact = find_casualties("Two people died and 10 soldiers were killed or wounded.")
    assert fatalities(exact) == (2, 2, 12)
