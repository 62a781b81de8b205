"""Date expressions resolved against the publication date (real sentences)."""

from datetime import date

import pytest

from geomap.events.dates import as_date, find_dates

PUB = "2024-12-16"  # a Monday: the seed article's publication date

SEED = ("A statement by Ukraine's Defense Intelligence (HUR) on Telegram said on Monday that at "
        "least 30 North Korean soldiers were either killed or wounded on Dec. 14 and 15 by the "
        "country’s forces near the villages of Plekhovo, Vorozhba, and Martynovka.")


def _one(text, pub=PUB):
    found = [d for d in find_dates(text, pub) if d.role == "event"]
    assert len(found) == 1, found
    return found[0]


def test_seed_range_and_statement_date():
    found = find_dates(SEED, PUB)
    assert [(d.text, d.role) for d in found] == [("on Monday", "statement"),
                                                 ("Dec. 14 and 15", "event")]
    stmt, event = found
    assert stmt.iso() == ("2024-12-16", "2024-12-16") and stmt.precision == 1
    assert event.iso() == ("2024-12-14", "2024-12-15") and event.precision == 2
    assert SEED[event.start:event.end] == "Dec. 14 and 15"


def test_night_of_range_infers_year():
    d = _one("Kiev's incursion into the Kursk region began on the night of August 5-6, when "
             "Ukrainian forces entered near the town of Sudzha.")
    assert d.iso() == ("2024-08-05", "2024-08-06") and d.precision == 2


def test_year_inferred_as_most_recent_not_after_publication():
    assert _one("The attack on Dec. 30 killed two.", "2025-01-05").iso()[0] == "2024-12-30"
    assert _one("The attack on Jan. 2 killed two.", "2025-01-05").iso()[0] == "2025-01-02"
    assert _one("on 3 March 2023", PUB).iso()[0] == "2023-03-03"


def test_month_precision():
    d = _one("In November, both Ukrainian and Western officials claimed that over 10,000 North "
             "Korean troops were deployed in Kursk.")
    assert d.iso() == ("2024-11-01", "2024-11-30") and d.precision == 3
    d = _one("Kursk, where Kiev launched an incursion back in August.")
    assert d.iso() == ("2024-08-01", "2024-08-31") and d.precision == 3


def test_weekday_is_on_or_before_publication():
    d = _one("Russian forces shelled Kharkiv on Monday, killing at least two civilians.")
    assert d.iso() == ("2024-12-16", "2024-12-16")  # published on that Monday
    d = _one("Russian forces shelled Kharkiv on Saturday.")
    assert d.iso() == ("2024-12-14", "2024-12-14")
    d = _one("Kharkiv was shelled last Monday.")
    assert d.iso()[0] == "2024-12-09"


@pytest.mark.parametrize("text,expected,precision", [
    ("A drone strike on Sumy overnight killed one person", ("2024-12-15", "2024-12-16"), 2),
    ("Fighting intensified last week near Pokrovsk", ("2024-12-09", "2024-12-15"), 2),
    ("Two people were killed yesterday", ("2024-12-15", "2024-12-15"), 1),
    ("from Nov. 30 to Dec. 2", ("2024-11-30", "2024-12-02"), 2),
    ("on 14 and 15 December", ("2024-12-14", "2024-12-15"), 2),
    ("earlier this month", ("2024-12-01", "2024-12-16"), 3),
])
def test_relative_and_other_forms(text, expected, precision):
    d = _one(text)
    assert d.iso() == expected and d.precision == precision


def test_statement_verbs_mark_statement_dates():
    found = find_dates("Zelenskyy said Tuesday that troops repelled an attack on Sunday.", PUB)
    assert [(d.text, d.role) for d in found] == [("Tuesday", "statement"), ("on Sunday", "event")]


def test_relative_dates_need_publication_date():
    assert find_dates("on Monday", None) == []
    assert _one("on Dec. 14, 2024", None).iso() == ("2024-12-14", "2024-12-14")


def test_bad_publication_date():
    assert as_date("2024-12-16T10:00:00Z") == date(2024, 12, 16)
    with pytest.raises(ValueError):
        as_date("16/12/2024")


# --- issue 14: more ways of writing a date (published Monday 2024-12-16) -----------------


@pytest.mark.parametrize("text,expected", [
    ("Russian troops stormed the village two days ago, the commander said.",
     ("2024-12-14", "2024-12-14", 1)),
    ("The strike on 14.12.2024 destroyed the school.", ("2024-12-14", "2024-12-14", 1)),
    ("A drone hit the plant on 12/14/2024.", ("2024-12-14", "2024-12-14", 1)),
    ("Shelling resumed the day before yesterday.", ("2024-12-14", "2024-12-14", 1)),
    ("The attack came on the night of 23–24 August.", ("2024-08-23", "2024-08-24", 2)),
    ("Drones struck Odesa on Thursday.", ("2024-12-12", "2024-12-12", 1)),
    ("Fighting intensified last week near Pokrovsk.", ("2024-12-09", "2024-12-15", 2)),
    ("The village was captured two weeks ago.", ("2024-12-02", "2024-12-08", 2)),
    ("Clashes were reported in recent days.", ("2024-12-09", "2024-12-16", 2)),
    ("The front moved a month ago.", ("2024-11-01", "2024-11-30", 3)),
])
def test_relative_numeric_and_night_dates(text, expected):
    [d] = find_dates(text, "2024-12-16")
    assert (d.date_from.isoformat(), d.date_to.isoformat(), d.precision) == expected


def test_vague_spans_never_guess_a_day():
    for text in ("last week", "in recent days", "two weeks ago", "earlier this month"):
        [d] = find_dates(text, "2024-12-16")
        assert d.precision in (2, 3) and d.date_from < d.date_to, text
