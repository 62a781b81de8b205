"""Hypothesis over the text pipeline: any Unicode (bounded length) never crashes geoparse
or extract_events, and every mention's offsets slice the original text (issue 16)."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geomap.events.extract import extract_events
from geomap.geoparse import geoparse
from geomap.geoparse.textnorm import normalise_text

MAX_CHARS = 3000  # per example: enough for several sentences, bounded for CI time
FUZZ = settings(max_examples=40, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])

FRAGMENTS = [
    "Plekhovo", "Martynovka", "Vorozhba", "Sudzha", "Kursk region", "the villages of ",
    "the town of ", " and ", ", ", ". ", "\n\n", "KURSK", "THE VILLAGE OF KURILOVKA", "killed ",
    "30 soldiers", "on Monday", "Dec. 14", "said", "Ukraine's General Staff", "\u200b", "\u2060",
    "\u0301", "\ufeff", "\u202e", "\x00", "\r", "ʼ", "’s", "(", ")", "\"", "—", "Плёхово",
    "\ud800", "\U0001f600", "e\u0301", "ǅ", "ß", "İ",
]
texts = st.one_of(
    st.text(max_size=MAX_CHARS),
    st.text(st.characters(codec=None, categories=None), max_size=400),  # surrogates included
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=10)), max_size=120)
    .map("".join),
    st.lists(st.sampled_from(["\u200b", "\u0301", "\ufeff", "a", "A", " "]), max_size=8)
    .map("".join),
)


def _check_mentions(text: str, mentions) -> None:
    for m in mentions:
        assert 0 <= m.start <= m.end <= len(text), (m.start, m.end, len(text))
        written = text[m.start:m.end]
        assert written, m
        # the slice is the name as written: the same letters once invisible characters
        # are dropped, marks composed and case folded
        core = "".join(c for c in written if unicodedata.category(c) not in ("Cf", "Mn")
                       and not unicodedata.combining(c))
        name = "".join(c for c in m.text if not unicodedata.combining(c))
        assert len(core) >= len(name) // 2, (written, m.text)


@FUZZ
@given(text=texts)
def test_geoparse_any_text(text):
    _check_mentions(text, geoparse(text))


@FUZZ
@given(text=texts)
def test_extract_events_any_text(text):
    records = extract_events(text, published="2024-12-16")
    for r in records:
        assert isinstance(r.location, str)


@settings(FUZZ, max_examples=200)
@given(text=texts)
def test_normalised_spans_map_into_the_original(text):
    norm = normalise_text(text)
    n = len(norm.text)
    previous = 0
    for i in range(n):
        s, e = norm.span(i, i + 1)
        assert 0 <= s < e <= len(text)
        assert s >= previous  # monotone: text order is kept
        previous = s
    if n:
        assert norm.span(0, n) == (norm.span(0, 1)[0], norm.span(n - 1, n)[1])
    else:  # nothing but invisible characters (or nothing at all)
        assert all(unicodedata.category(c) in ("Cf", "Mn", "Me", "Mc") for c in text)
    assert normalise_text(norm.text).text == norm.text  # idempotent
