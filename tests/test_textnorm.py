"""Text normalisation before geoparsing: invisible characters, decomposed accents and
all-capitals text find the same places, with offsets into the original text (issue 16)."""

from __future__ import annotations

import unicodedata

import pytest

from geomap.events.extract import extract_events
from geomap.geoparse import geoparse, recognise
from geomap.geoparse.textnorm import normalise_text

SEED_PLACES = {"Plekhovo", "Martynovka", "Vorozhba", "Kurilovka", "Sudzha"}


def _located(mentions) -> dict[str, str]:
    return {m.text.lower(): m.place.name for m in mentions
            if m.role == "location" and m.resolved}


def _assert_offsets(text, mentions):
    for m in mentions:
        written = text[m.start:m.end]
        clean = unicodedata.normalize("NFC", "".join(
            c for c in written if unicodedata.category(c) != "Cf"))
        assert clean.lower() == m.text.lower() or \
            "".join(c for c in unicodedata.normalize("NFD", clean) if not unicodedata.combining(c)
                    ).lower() == m.text.lower(), (written, m.text)


def test_plain_text_is_left_alone(seed_text):
    norm = normalise_text(seed_text)
    assert norm.text == seed_text and not norm.changed
    assert norm.span(10, 20) == (10, 20)


def test_offsets_map_back_across_removed_and_composed_characters():
    text = "Ple\u200bkhovo, Kurilo\u0301vka and cafe\u0301 \ufeffSudzha"
    norm = normalise_text(text)
    assert norm.text == "Plekhovo, Kurilóvka and café Sudzha"
    i = norm.text.index("Sudzha")
    s, e = norm.span(i, i + len("Sudzha"))
    assert text[s:e] == "Sudzha"
    s, e = norm.span(0, len("Plekhovo"))
    assert text[s:e] == "Ple\u200bkhovo"
    i = norm.text.index("café")
    assert text[slice(*norm.span(i, i + 4))] == "cafe\u0301"


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad",
                                       "\ufeff", "\u202e"])
def test_invisible_characters_inside_names_do_not_hide_them(seed_text, invisible):
    text = seed_text
    for name in ("Plekhovo", "Martynovka", "Vorozhba"):
        text = text.replace(name, name[:3] + invisible + name[3:])
    mentions = geoparse(text)
    located = _located(mentions)
    assert {"plekhovo", "martynovka"} <= set(located)
    assert located["plekhovo"] == "Plekhovo" and located["martynovka"] == "Martynovka"
    assert "vorozhba" in {m.text.lower() for m in mentions}
    _assert_offsets(text, mentions)
    assert any(text[m.start:m.end] == "Ple" + invisible + "khovo" for m in mentions)


def test_stress_accents_do_not_hide_a_name(seed_text):
    text = seed_text.replace("Plekhovo", "Plekho\u0301vo")
    located = _located(geoparse(text))
    assert located.get("plekhóvo") == "Plekhovo"


def test_an_all_caps_article_finds_the_same_places(seed_text):
    plain = geoparse(seed_text)
    caps_text = seed_text.upper()
    caps = geoparse(caps_text)
    want = {(m.text.lower(), m.place.name if m.place else None) for m in plain
            if m.role == "location"}
    got = {(m.text.lower(), m.place.name if m.place else None) for m in caps
           if m.role == "location"}
    assert got == want
    assert {p.lower() for p in SEED_PLACES} <= {t for t, _ in got}
    for m in caps:
        assert caps_text[m.start:m.end].lower() == m.text.lower()
        assert "REGION OF" not in m.text.upper() and "VILLAGE OF" not in m.text.upper()


def test_all_caps_phrases_around_places_are_not_places():
    text = ("UKRAINIAN FORCES SHELLED THE VILLAGE OF KURILOVKA IN THE BORDER REGION OF KURSK "
            "ON SATURDAY, THE GOVERNOR SAID.")
    spans = recognise(text)
    names = {s.text for s in spans}
    assert "Kurilovka" in names
    assert not any(n.upper().startswith(("VILLAGE OF", "BORDER REGION")) for n in names)
    for s in spans:
        assert text[s.start:s.end].upper() == s.text.upper()


def test_extract_events_from_caps_and_invisible_characters(seed_text):
    plain = {(r.location, r.event_date, r.killed_or_wounded)
             for r in extract_events(seed_text, published="2024-12-16")}
    hidden = seed_text.replace("Vorozhba", "Voro\u200bzhba").replace("Plekhovo", "Plek\u2060hovo")
    for text in (seed_text.upper(), hidden):
        got = {(r.location, r.event_date, r.killed_or_wounded)
               for r in extract_events(text, published="2024-12-16")}
        assert got == plain
    assert {loc for loc, _, _ in plain} >= {"Plekhovo", "Martynovka", "Vorozhba"}
