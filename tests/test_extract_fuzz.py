"""Hypothesis over the events text pipeline: any text ends without an exception, and every
offset points at its words in the original text (issue 16)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geomap.events.casualties import find_casualties
from geomap.events.dates import find_dates
from geomap.events.extract import extract_events, sentences

# words that reach the number, date, claimant and type rules, mixed with any Unicode
_VOCAB = ["killed", "wounded", "No one was", "at least", "a hundred and fifty", "two dozen",
          "including two children,", "the death toll rose to", "10 to 15", "without casualties",
          "Dec. 14 and 15", "14.12.2024", "two days ago", "on Monday", "the night of 23–24 August",
          "said on Telegram", "according to", "protesters", "shot down", "Russian forces",
          "Kharkiv", "Sumy", "DPR serviceman", "\ud800", "\u200b", "\n", ". ", ", ", '"', "'",
          "A", "1", "(", ")"]
_TEXT = st.lists(st.one_of(st.sampled_from(_VOCAB), st.text(max_size=6)), max_size=80).map(
    " ".join)
_SETTINGS = settings(max_examples=120, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(_TEXT)
def test_extract_events_never_crashes(text):
    rows = extract_events(text, published="2024-12-16", mentions=[])
    for r in rows:
        assert r.event_id.startswith(r.report_id)


@_SETTINGS
@given(_TEXT)
def test_offsets_point_into_the_original_text(text):
    for s in sentences(text):
        assert text[s.start:s.end] == s.text
        for c in find_casualties(s.text, s.start):
            assert text[c.start:c.end].strip() == c.quote
            assert c.low is None or c.high is None or c.low <= c.high
        for d in find_dates(s.text, "2024-12-16", s.start):
            assert text[d.start:d.end].strip() == d.text
            assert d.date_from <= d.date_to
