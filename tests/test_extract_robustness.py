"""Untrusted text: bounded sentences, lone surrogates, a size limit (issue 16, events side).

Timings live in bench/bench_text_scaling.py; these tests check the behaviour that makes
them linear (every sentence bounded, offsets still into the original text).
"""

from __future__ import annotations

import pytest

from geomap.errors import InputError
from geomap.events import extract
from geomap.events.casualties import NUMBER_RE, _numbers, find_casualties
from geomap.events.claims import find_claimant
from geomap.events.extract import MAX_SENTENCE_CHARS, extract_events, sentences
from tests.test_extract import SEED


def test_long_unpunctuated_text_is_cut_into_bounded_sentences():
    text = "the soldiers were killed near the village and " * 2000
    sents = sentences(text)
    assert len(sents) > 1
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sents)
    assert all(text[s.start:s.end] == s.text for s in sents)
    # cuts fall on whitespace: no word is split
    assert all(s.text.endswith(" ") or s.end == len(text.rstrip()) for s in sents[:-1])


def test_one_long_word_has_bounded_sentences_and_no_events():
    text = "a" * 50_000
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences(text))
    assert extract_events(text, published="2024-12-16", mentions=[]) == []


def test_lone_surrogate_does_not_crash():
    text = SEED + "\ud800"
    rows = extract_events(text, published="2024-12-16", mentions=[])
    assert rows and all(r.report_id.startswith("R") for r in rows)


def test_text_over_the_limit_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(extract, "MAX_TEXT_CHARS", 1000)
    with pytest.raises(InputError, match="longer than the limit of 1,000"):
        extract_events("x" * 1001, mentions=[])


def test_number_scan_finds_what_the_full_regex_finds():
    text = (SEED + " at least 10,000 people, a hundred and fifty, between 10 and 15, 3.5 million, "
            "upwards of 20, a few, no fewer than 7, Dozens, 20-25, two or three, A10 x1")
    assert [m.span() for m in _numbers(text)] == [m.span() for m in NUMBER_RE.finditer(text)]
    # digits of a written date are not counts
    assert [m.group(0) for m in _numbers("on 14.12.2024 four")] == ["four"]


def test_claimant_found_the_same_way_on_a_long_sentence():
    head = "Regional governor Oleh Syniehubov said on Telegram that "
    c = find_claimant(head + "shelling continued near the village " * 300)
    assert (c.who, c.channel) == ("Regional governor Oleh Syniehubov", "Telegram")
    assert find_claimant("word " * 5000) is None


def test_casualties_in_a_very_long_sentence_keep_their_offsets():
    text = "Alpha Bravo " * 500 + "killing 12 civilians " + "Charlie " * 500
    [c] = find_casualties(text)
    assert text[c.start:c.end] == c.quote and c.quote.startswith("killing 12 civilians")
    assert c.best == 12
