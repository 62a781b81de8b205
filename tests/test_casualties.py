"""Casualty claims keep category, qualifier, bounds and quote."""

import pytest

from geomap.events.casualties import (
    bounds,
    fatalities,
    find_casualties,
    latest,
    parse_number,
    totals,
)


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


# --- numbers as written (issue 14) -----------------------------------------------------


@pytest.mark.parametrize("text,expected", [
    ("A hundred and fifty people were killed in the fighting around Bakhmut, officials said.",
     ("killed", 150, 150, 150)),
    ("One hundred twenty soldiers were wounded during the assault on Avdiivka.",
     ("wounded", 120, 120, 120)),
    ("Two dozen civilians were wounded when a missile hit the market.", ("wounded", 24, 24, 24)),
    ("Russian forces shelled the town, killing twenty-five people.", ("killed", 25, 25, 25)),
    ("Two thousand five hundred troops were captured, the ministry claimed.",
     ("captured", 2500, 2500, 2500)),
])
def test_number_words_and_compounds(text, expected):
    [c] = find_casualties(text)
    assert (c.category, c.low, c.best, c.high) == expected


def test_vague_counts_follow_acled_and_say_so():
    [c] = find_casualties("Tens of people were injured in the overnight attack on Odesa.")
    assert (c.qualifier, c.low, c.best, c.high) == ("vague", 10, 10, None)
    assert c.phrase() == "Tens (ACLED convention: 10) wounded"
    [c] = find_casualties("Hundreds of soldiers were killed in the battle for Vuhledar.")
    assert (c.category, c.qualifier, c.best) == ("killed", "vague", 100)


@pytest.mark.parametrize("text,bounds_", [
    ("Between 10 and 15 civilians were killed in the strike on Kramatorsk.", (10, 10, 15)),
    ("10 to 15 people were injured, local authorities said.", (10, 10, 15)),
    ("Two or three soldiers were wounded by the drone.", (2, 2, 3)),
    ("Officials said 20-25 people died under the rubble.", (20, 20, 25)),
])
def test_ranges_give_low_best_high(text, bounds_):
    [c] = find_casualties(text)
    assert c.qualifier == "range"
    assert (c.low, c.best, c.high) == bounds_


@pytest.mark.parametrize("text,category,qualifier", [
    ("No one was killed, the regional governor said.", "killed", "none"),
    ("No one was injured in the attack, according to the mayor.", "wounded", "none"),
    ("The drone hit an empty warehouse; there were no casualties.", "killed_or_wounded", "none"),
    ("The strike passed without casualties, the air force said.", "killed_or_wounded", "none"),
    ("There were no immediate reports of casualties.", "killed_or_wounded", "none reported"),
])
def test_explicit_zeros_are_zero_not_one(text, category, qualifier):
    [c] = find_casualties(text)
    assert (c.category, c.qualifier, c.low, c.best, c.high, c.kind) == (
        category, qualifier, 0, 0, 0, "zero")
    assert totals([c])[category] == 0


def test_zero_casualties_mean_zero_fatalities():
    assert fatalities(find_casualties("The attack passed without casualties.")) == (0, 0, 0)
    assert fatalities(find_casualties("No one was killed.")) == (0, 0, 0)


def test_breakdown_is_part_of_the_count():
    [c] = find_casualties("Five people, including two children, were killed in the attack.")
    assert (c.category, c.best, c.breakdown) == ("killed", 5, "including two children")
    [c] = find_casualties("Russian shelling killed five people, including two children, in Kherson.")
    assert (c.category, c.best, c.breakdown) == ("killed", 5, "including two children")
    assert totals([c])["killed"] == 5


def test_update_wins_and_the_earlier_figure_is_kept_in_notes():
    claims = find_casualties("The missile strike killed 43 people, and the death toll later rose "
                             "to 55.")
    assert [(c.category, c.best, c.kind) for c in claims] == [("killed", 43, ""),
                                                             ("killed", 55, "update")]
    kept, notes = latest(claims)
    assert [c.best for c in kept] == [55]
    assert "earlier killed 43" in notes[0]
    assert totals(claims)["killed"] == 55
    assert fatalities(claims) == (55, 55, 55)
    [c] = find_casualties("The number of injured has risen to 12.")
    assert (c.category, c.best, c.kind) == ("wounded", 12, "update")


@pytest.mark.parametrize("text,value", [
    ("a hundred and fifty", 150), ("one hundred twenty", 120), ("two dozen", 24),
    ("a dozen", 12), ("one hundred and five", 105), ("1.5 million", 1_500_000),
])
def test_parse_number_words(text, value):
    assert parse_number(text) == (value, False)


@pytest.mark.parametrize("text,category", [
    # real UCDP GED source headlines (tests/fixtures/events_gold/ged_headlines.jsonl)
    ("DPR serviceman killed in shelling by Kiev’s forces - DPR command", "killed"),
    ("Civilian dies in Luhansk region as result of attacks by Russia-led forces - JFO HQ",
     "killed"),
    ("Ukrainian military’s shelling kills LPR militiaman", "killed"),
    ("Dead man found hanging on Kiev's Independence Square - police", "killed"),
    ("Female civilian wounded in Ukrainian shelling attack dies - DPR mission", "wounded"),
])
def test_a_singular_victim_counts_one(text, category):
    [c] = find_casualties(text)
    assert (c.category, c.low, c.best, c.high, c.qualifier) == (category, 1, 1, 1,
                                                                "one (implied)")
    assert text[c.start:c.end] == c.quote


def test_plural_or_counted_victims_are_not_one():
    assert [(c.best, c.qualifier) for c in find_casualties(
        "Three Ukrainian soldiers die as fighting picks in New Year")] == [(3, "")]
    assert [c.best for c in find_casualties("Russian shelling killed soldiers near Bakhmut")] == []


def test_a_count_continued_at_another_place():
    claims = find_casualties("Russian attacks killed three people in Kherson and two in Mykolaiv.")
    assert [(c.category, c.best, c.quote) for c in claims] == [
        ("killed", 3, "killed three people"), ("killed", 2, "two in Mykolaiv")]
