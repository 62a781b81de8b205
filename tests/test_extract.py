"""Event extraction on the seed article and realistic sentences.

Unit tests use PlaceMention objects built at the real offsets of names in real
sentences (so they do not depend on the geoparser's current resolution choices);
``test_seed_article_with_geoparser`` runs the real geoparser end to end.
"""

from __future__ import annotations

import re
from pathlib import Path

from geomap.events.extract import (
    clauses,
    extract_claims,
    extract_events,
    segment,
    sentences,
)
from geomap.gazetteer.record import Place
from geomap.geoparse.mention import PlaceMention
from geomap.schema import EVENT_TYPES, VERIFICATION_STATES

ROOT = Path(__file__).resolve().parents[1]
SEED = (ROOT / "data/articles/kursk_2024-12-16_north_korean_casualties.txt").read_text("utf-8")
PUB = "2024-12-16"

# name -> (lat, lon, country, admin1, admin2, feature_code, gazetteer name)
_PLACES = {
    "Plekhovo": (51.10, 35.08, "RU", "Kursk Oblast", "Sudzhansky District", "PPL", None),
    "Vorozhba": (51.17, 35.02, "RU", "Kursk Oblast", "Sudzhansky District", "PPL", None),
    "Martynovka": (51.24, 35.05, "RU", "Kursk Oblast", "Sudzhansky District", "PPL", None),
    "Kurilovka": (51.11, 35.20, "RU", "Kursk Oblast", "Sudzhansky District", "PPL", None),
    "Sudzha": (51.19, 35.27, "RU", "Kursk Oblast", "Sudzhansky District", "PPL", None),
    "Kursk": (51.67, 36.13, "RU", "Kursk Oblast", "", "ADM1", "Kursk Oblast"),
    "Russia": (61.5, 105.3, "RU", "", "", "PCLI", None),
    "Ukraine": (49.0, 32.0, "UA", "", "", "PCLI", None),
    "Kharkiv": (49.99, 36.23, "UA", "Kharkiv Oblast", "Kharkiv Raion", "PPLA", None),
    "Sumy": (50.91, 34.80, "UA", "Sumy Oblast", "Sumy Raion", "PPLA", None),
    "Robotyne": (47.44, 35.84, "UA", "Zaporizhzhia Oblast", "Polohy Raion", "PPL", None),
}


def mentions_at(text: str, unresolved: tuple[str, ...] = ()) -> list[PlaceMention]:
    """PlaceMentions at the real offsets of the known names in ``text``."""
    out = []
    for name, (lat, lon, cc, a1, a2, code, gname) in _PLACES.items():
        for m in re.finditer(rf"\b{name}\b", text):
            kind = "country" if code.startswith("PCL") else ("admin" if code == "ADM1" else "place")
            role = "metonymy" if kind == "country" and text[m.end():m.end() + 2] == "'s" else \
                "location"
            if name in unresolved:
                out.append(PlaceMention(name, m.start(), m.end(), kind=kind, role=role,
                                        resolved=False, needs_review=True,
                                        reason="not in the gazetteer"))
                continue
            place = Place(id=f"t:{name}", name=gname or name, lat=lat, lon=lon, feature_code=code,
                          feature_class="A" if code != "PPL" and code != "PPLA" else "P",
                          country=cc, admin1=a1, admin2=a2)
            out.append(PlaceMention(name, m.start(), m.end(), kind=kind, role=role, place=place,
                                    confidence=0.9, precision=3 if kind != "place" else 1,
                                    resolved=True))
    return sorted(out, key=lambda x: x.start)


def _by_report(records):
    reports: dict[str, list] = {}
    for r in records:
        reports.setdefault(r.report_id, []).append(r)
    return reports


def _valid(records):
    for r in records:
        assert r.sub_event_type in EVENT_TYPES[r.event_type]
        assert r.verification in VERIFICATION_STATES
        assert r.date_precision in (1, 2, 3)


# ------------------------------------------------------------------ structure


def test_segment_roles_of_seed():
    roles = {ln.text[:40]: ln.role for ln in segment(SEED)}
    assert roles["Over 30 North Korean soldiers dead or wo"] == "headline"
    assert roles["AFP"] == "caption"
    assert roles["North Korean soldiers involved in Russia"] == "related"
    assert roles["North Korean troops in Russia might 'soo"] == "related"
    assert roles["Read More"] == "marker"
    assert roles["A statement by Ukraine's Defense Intelli"] == "body"
    caption = [ln for ln in segment(SEED) if "/ Photo: AFP" in ln.text]
    assert len(caption) == 2 and {ln.role for ln in caption} == {"caption"}
    # the body copy of the caption text is kept once as body
    body_copies = [ln for ln in segment(SEED)
                   if ln.text.startswith("Neither North Korea nor Russia") and ln.role == "body"]
    assert len(body_copies) == 1


def test_sentences_keep_offsets_and_abbreviations():
    sents = sentences(SEED)
    for s in sents:
        assert SEED[s.start:s.end] == s.text
    hur = next(s for s in sents if s.text.startswith("A statement by"))
    assert "Dec. 14 and 15" in hur.text and hur.text.endswith("Martynovka.")
    assert not any("Read More" in s.text or "Photo: AFP" in s.text for s in sents)


def test_where_and_when_clauses():
    sent = next(s for s in sentences(SEED) if s.text.startswith("Ukraine has claimed"))
    main, where = clauses(sent)
    assert where.kind == "where" and "back in August" in where.text
    assert "August" not in main.text
    sent = next(s for s in sentences(SEED) if s.text.startswith("Kiev's incursion"))
    kinds = [c.kind for c in clauses(sent)]
    assert kinds == ["main", "when"]


# ------------------------------------------------------------------ seed article


def test_seed_article_events():
    recs = extract_events(SEED, published=PUB, source="TRT World",
                          source_url="https://www.trtworld.com/article/18244063",
                          mentions=mentions_at(SEED))
    _valid(recs)
    reports = _by_report(recs)
    assert len(reports) == 4  # Dec 14-15 fighting, Kurilovka missing, Sudzha incursion, deployment

    fight = next(rows for rows in reports.values() if rows[0].killed_or_wounded)
    assert [r.location for r in fight] == ["Plekhovo", "Vorozhba", "Martynovka"]
    assert len({r.event_id for r in fight}) == 3
    for r in fight:
        assert (r.event_date, r.end_date, r.date_precision) == ("2024-12-14", "2024-12-15", 2)
        assert (r.event_type, r.sub_event_type) == ("Battles", "Armed clash")
        assert {r.actor1, r.actor2} == {"Military Forces of North Korea (2011-)",
                                        "Military Forces of Ukraine (2019-)"}
        assert r.claimed_by == "Ukraine's Defense Intelligence (HUR), via Telegram"
        assert r.verification == "unverified"
        assert r.geo_precision == 2  # "near the villages of"
        assert "shared across 3 locations" in r.notes
        assert 'killed_or_wounded: at least 30 — "at least 30 North Korean soldiers were either ' \
               'killed or wounded on Dec. 14 and 15"' in r.notes
    assert fight[0].killed_or_wounded == 30 and fight[0].fatalities_low == 0
    assert fight[0].fatalities_best is None
    assert all(r.killed_or_wounded is None and r.fatalities_low is None for r in fight[1:])
    # the headline and the lede are merged into the body event, not separate events
    assert "also reported headline" in fight[0].notes

    missing = next(rows for rows in reports.values() if rows[0].missing)
    assert len(missing) == 1 and missing[0].location == "Kurilovka"
    assert missing[0].missing == 3 and 'missing: at least three — "at least three' in missing[0].notes
    assert (missing[0].event_date, missing[0].end_date) == ("2024-12-14", "2024-12-15")
    assert missing[0].claimed_by == "Ukraine's Defense Intelligence (HUR), via Telegram"

    sudzha = next(rows for rows in reports.values() if rows[0].location == "Sudzha")
    assert len(sudzha) == 1
    assert (sudzha[0].event_date, sudzha[0].end_date) == ("2024-08-05", "2024-08-06")
    assert sudzha[0].actor1 == "Military Forces of Ukraine (2019-)"
    assert sudzha[0].country == "Russia" and sudzha[0].admin1 == "Kursk Oblast"

    deploy = next(rows for rows in reports.values()
                  if rows[0].event_type == "Strategic developments")
    assert [(r.location, r.event_date, r.end_date, r.date_precision, r.geo_precision)
            for r in deploy] == [("Kursk Oblast", "2024-11-01", "2024-11-30", 3, 3)]
    assert deploy[0].actor1 == "Military Forces of North Korea (2011-)"
    assert deploy[0].claimed_by == "Ukrainian and Western officials"

    # Kursk and Sudzha are context of the December fighting, never its location
    assert not any(r.location in ("Kursk Oblast", "Sudzha") for r in fight + missing)
    for r in recs:
        assert r.source == "TRT World" and r.published == PUB


def test_totals_per_report_never_double_count():
    recs = extract_events(SEED, published=PUB, mentions=mentions_at(SEED))
    for rows in _by_report(recs).values():
        for col in ("killed", "wounded", "killed_or_wounded", "missing", "captured",
                    "fatalities_low", "fatalities_best", "fatalities_high"):
            values = [getattr(r, col) for r in rows if getattr(r, col) is not None]
            assert len(values) <= 1, (col, rows[0].report_id)


def test_ids_are_stable():
    a = extract_events(SEED, published=PUB, mentions=mentions_at(SEED))
    b = extract_events(SEED, published=PUB, mentions=mentions_at(SEED))
    assert [r.event_id for r in a] == [r.event_id for r in b]


def test_claims_keep_quotes():
    claims = extract_claims(SEED, published=PUB, mentions=mentions_at(SEED))
    fight = next(c for c in claims if c.casualties and c.casualties[0].category ==
                 "killed_or_wounded")
    q = fight.casualties[0]
    assert SEED[q.start:q.end] == q.quote
    assert len(fight.merged) == 2  # lede "over 30 … casualties" + headline


def test_headline_alone_still_makes_an_event_needing_review():
    text = "Over 30 North Korean soldiers dead or wounded in Russia's Kursk: Ukraine\n"
    [r] = extract_events(text, published=PUB, mentions=mentions_at(text))
    assert r.killed_or_wounded == 31 and r.needs_review
    assert r.claimed_by == "Ukraine" and r.location == "Kursk Oblast"


# ------------------------------------------------------------------ other sentences


def test_kharkiv_shelling():
    text = ("Russian forces shelled Kharkiv on Monday, killing at least two civilians and wounding "
            "12, regional governor Oleh Syniehubov said on Telegram.")
    [r] = extract_events(text, published=PUB, mentions=mentions_at(text))
    _valid([r])
    assert (r.event_type, r.sub_event_type) == ("Explosions/Remote violence",
                                                "Shelling/artillery/missile attack")
    assert (r.actor1, r.actor2) == ("Military Forces of Russia (2000-)", "Civilians (Ukraine)")
    assert (r.event_date, r.killed, r.wounded) == ("2024-12-16", 2, 12)
    assert (r.fatalities_low, r.fatalities_best, r.fatalities_high) == (2, 2, None)
    assert r.claimed_by == "regional governor Oleh Syniehubov, via Telegram"
    assert r.verification == "claimed" and r.country == "Ukraine"


def test_sumy_drone_overnight():
    text = "A drone strike on Sumy overnight killed one person, the regional administration said."
    [r] = extract_events(text, published=PUB, mentions=mentions_at(text))
    assert r.sub_event_type == "Air/drone strike" and r.killed == 1
    assert (r.event_date, r.end_date, r.date_precision) == ("2024-12-15", "2024-12-16", 2)
    assert r.fatalities_best == 1 and r.actor2 == "Civilians (Ukraine)"


def test_retaken_village_and_denial():
    text = ("Ukraine's General Staff said on Tuesday its troops had retaken the village of "
            "Robotyne. Russia's defence ministry denied the claim.")
    [r] = extract_events(text, published="2024-12-18", mentions=mentions_at(text))
    assert (r.event_type, r.sub_event_type) == ("Battles", "Government regains territory")
    assert r.actor1 == "Military Forces of Ukraine (2019-)"
    assert r.claimed_by == "Ukraine's General Staff" and r.verification == "denied"
    # "said on Tuesday" dates the statement; no event date -> publication date, review
    assert r.event_date == "2024-12-18" and r.needs_review
    assert "no event date in the text" in r.notes


def test_confirmed_by_other_side():
    text = ("Ukrainian forces captured the village of Plekhovo on Dec. 10, Ukraine's General Staff "
            "said. The loss of the village was confirmed by Russia's defence ministry.")
    [r] = extract_events(text, published=PUB, mentions=mentions_at(text))
    assert r.sub_event_type == "Non-state actor overtakes territory"  # foreign forces, RU soil
    assert r.verification == "confirmed_by_other_side"
    assert r.event_date == "2024-12-10" and r.date_precision == 1


def test_unresolved_location_keeps_row():
    text = ("A drone strike on Sumy overnight killed one person, the regional administration "
            "said.")
    [r] = extract_events(text, published=PUB, mentions=mentions_at(text, unresolved=("Sumy",)))
    assert r.location == "Sumy" and r.latitude is None and r.longitude is None
    assert r.needs_review and "not resolved" in r.notes


def test_hypothetical_and_rhetoric_make_no_events():
    text = ("Ukrainian President Volodymyr Zelenskyy later said the aim was to create a “buffer "
            "zone” to protect against cross-border attacks from Russia. Russian President Vladimir "
            "Putin condemned the incursion as a \"large-scale provocation\".")
    assert extract_events(text, published=PUB, mentions=mentions_at(text)) == []


# ------------------------------------------------------------------ real geoparser


def test_seed_article_with_geoparser():
    recs = extract_events(SEED, published=PUB)
    reports = _by_report(recs)
    locations = {r.location for r in recs}
    assert {"Plekhovo", "Vorozhba", "Martynovka", "Kurilovka", "Sudzha"} <= locations
    fight = next(rows for rows in reports.values() if rows[0].killed_or_wounded)
    assert [r.location for r in fight] == ["Plekhovo", "Vorozhba", "Martynovka"]
    assert fight[0].killed_or_wounded == 30
    sudzha = next(r for r in recs if r.location == "Sudzha")
    assert sudzha.event_date == "2024-08-05" and sudzha.latitude is not None
    assert 50.5 < sudzha.latitude < 51.6 and 34.8 < sudzha.longitude < 35.8


def test_claimant_names_are_not_locations():
    text = ("Two people were killed and five injured in a Russian missile strike on Kharkiv on "
            "Tuesday, Sumy governor Volodymyr Artiukh said.")
    recs = extract_events(text, published=PUB, mentions=mentions_at(text))
    assert [r.location for r in recs] == ["Kharkiv"]  # "Sumy" is inside the claimant
    assert (recs[0].killed, recs[0].wounded, recs[0].event_date) == (2, 5, "2024-12-10")
    assert recs[0].actor1 == "Military Forces of Russia (2000-)"


def test_two_sentences_two_events():
    text = ("In Kharkiv, Russian shelling killed one man on Saturday. In Sumy, a drone attack "
            "wounded two people, the regional administration said.")
    recs = extract_events(text, published=PUB, mentions=mentions_at(text))
    assert [(r.location, r.sub_event_type, r.killed, r.wounded) for r in recs] == [
        ("Kharkiv", "Shelling/artillery/missile attack", 1, None),
        ("Sumy", "Air/drone strike", None, 2)]
    assert recs[0].event_date == "2024-12-14"
    assert recs[1].claimed_by == "the regional administration"
    assert recs[0].report_id != recs[1].report_id


# ------------------------------------------------------------------ CLI


def test_cli_jsonl_and_file_output(tmp_path, capsys):
    import json

    from geomap.cli import main

    article = ROOT / "data/articles/kursk_2024-12-16_north_korean_casualties.txt"
    assert main(["events", str(article), "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["location"] for r in rows} >= {"Plekhovo", "Vorozhba", "Martynovka", "Sudzha"}
    assert {r["published"] for r in rows} == {"2024-12-16"}  # from the sibling .json
    assert {r["source"] for r in rows} == {"TRT World"}
    out = tmp_path / "events.geojson"
    assert main(["events", str(article), "-o", str(out)]) == 0
    data = json.loads(out.read_text("utf-8"))
    sudzha = next(f for f in data["features"] if f["properties"]["location"] == "Sudzha")
    lon, lat = sudzha["geometry"]["coordinates"]
    assert 35.0 < lon < 35.6 and 51.0 < lat < 51.4  # GeoJSON lon/lat order


def test_cli_bad_input_names_file_and_field(tmp_path, capsys):
    from geomap.cli import main

    txt = tmp_path / "a.txt"
    txt.write_text("Russian forces shelled Kharkiv on Monday, killing two civilians.", "utf-8")
    (tmp_path / "a.json").write_text('{\n  "published": "16/12/2024"\n}', "utf-8")
    assert main(["events", str(txt)]) == 2
    err = capsys.readouterr().err
    assert "a.json, line 2, field 'published'" in err and "Traceback" not in err
    (tmp_path / "a.json").write_text('{"published": "2024-12-16",}', "utf-8")
    assert main(["events", str(txt)]) == 2
    assert "a.json, line 1" in capsys.readouterr().err
    assert main(["events", str(tmp_path / "missing.txt")]) == 2
    assert "missing.txt: no such file" in capsys.readouterr().err
    bad = tmp_path / "b.txt"
    bad.write_bytes("Харків".encode("cp1251"))
    assert main(["events", str(bad), "--published", "2024-12-16"]) == 2
    assert "b.txt, line 1: not UTF-8" in capsys.readouterr().err


def test_several_day_dates_make_one_range():
    text = "Russian troops attacked Plekhovo on Dec. 12 and again on Dec. 14, Ukraine's army said."
    [r] = extract_events(text, published=PUB, mentions=mentions_at(text))
    assert (r.event_date, r.end_date, r.date_precision) == ("2024-12-12", "2024-12-14", 2)
    assert r.claimed_by == "Ukraine's army" and r.location == "Plekhovo"
