"""Event rows from real-world phrasings: zeros, updates, breakdowns and per-place numbers.

Mentions are built at the real offsets of the place names (``tests.test_extract``) so the
tests do not depend on the geoparser's resolution choices.
"""

from __future__ import annotations

from geomap.events.extract import extract_events
from tests.test_extract import mentions_at

PUB = "2024-12-17"


def _rows(text):
    return extract_events(text, published=PUB, mentions=mentions_at(text))


def test_no_one_killed_is_zero_on_the_event_not_an_extra_event():
    text = ("A Russian drone hit a residential building in Sumy on Monday. No one was killed, "
            "the regional administration said.")
    [row] = _rows(text)
    assert (row.location, row.killed, row.fatalities_best) == ("Sumy", 0, 0)
    assert row.event_date == "2024-12-16"


def test_without_casualties_in_the_same_sentence():
    [row] = _rows("Russian missiles struck Kharkiv on Monday without casualties.")
    assert (row.killed_or_wounded, row.fatalities_low, row.fatalities_best) == (0, 0, 0)


def test_the_toll_rose_to_55_wins_and_43_stays_in_notes():
    text = ("A Russian missile struck an apartment block in Kharkiv on Monday, killing 43 people. "
            "The death toll later rose to 55.")
    [row] = _rows(text)
    assert (row.killed, row.fatalities_best) == (55, 55)
    assert "earlier killed 43" in row.notes


def test_breakdown_including_two_children_is_not_a_new_count():
    [row] = _rows("Five people, including two children, were killed in Russian shelling of "
                  "Kharkiv on Monday.")
    assert row.killed == 5
    assert "including two children" in row.notes


def test_per_location_numbers_get_their_own_rows():
    rows = _rows("Russian shelling on Monday killed 1 person in Kharkiv and injured 2 in Sumy.")
    assert [(r.location, r.killed, r.wounded) for r in rows] == [("Kharkiv", 1, None),
                                                                 ("Sumy", None, 2)]
    assert rows[0].report_id == rows[1].report_id
    assert all("numbers of this location only" in r.notes for r in rows)
    assert "wounded: 2" not in rows[0].notes and "killed: 1" not in rows[1].notes


def test_per_location_numbers_written_place_first():
    rows = _rows("In Kharkiv, 3 people were killed on Monday, and in Sumy, 4 were injured.")
    assert [(r.location, r.killed, r.wounded) for r in rows] == [("Kharkiv", 3, None),
                                                                 ("Sumy", None, 4)]


def test_report_total_stays_on_the_first_row():
    rows = _rows("Russian shelling of Kharkiv and Sumy on Monday killed 7 people.")
    assert [(r.location, r.killed) for r in rows] == [("Kharkiv", 7), ("Sumy", None)]
    assert "shared across 2 locations" in rows[1].notes


def test_a_count_continued_at_other_places():
    rows = _rows("Shelling killed 4 in Kharkiv, 2 in Sumy and 1 in Robotyne on Monday.")
    assert [(r.location, r.killed, r.casualties_text) for r in rows] == [
        ("Kharkiv", 4, "4 killed"), ("Sumy", 2, "2 killed"), ("Robotyne", 1, "1 killed")]
    rows = _rows("Russian attacks on Monday killed three people in Kharkiv and two in Sumy.")
    assert [(r.location, r.killed) for r in rows] == [("Kharkiv", 3), ("Sumy", 2)]
