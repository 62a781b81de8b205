"""The geoparsing speed-ups (memos, fast paths) answer exactly what the plain code does.

Whole-corpus proof: ``bench/geoparse_fingerprint.py`` (every mention, main vs branch).
"""

from __future__ import annotations

from pathlib import Path

from geomap.gazetteer import Gazetteer
from geomap.gazetteer.normalize import core_name, loose_key, loose_key_reference
from geomap.geodesy import haversine_km

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"


def test_loose_key_fast_path_equals_the_rewrites(gazetteer):
    names = {"Sudzhans'kyi", "Sudzhanskiy", "Zaporizhzhia", "Zaporozh'ye", "Shchors",
             "Tschernigow", "Szczecin", "Kharkov", "Kharkiv", "Hlukhiv", "Glukhov", "Mykolayiv",
             "Bilhorod-Dnistrovskyi", "Yuzhnoukrainsk", "Krasnopilska hromada", "Zhytomyr",
             "Chernihiv", "Pechenihy", "Kamianske", "Tsiurupynsk", "Dzerzhynsk", "Ust-Luga"}
    rows = gazetteer._con.execute(
        "SELECT name, asciiname, alternatenames FROM places WHERE rid % 199 = 0")
    for name, ascii_name, alternates in rows:
        names.update(n for n in (name, ascii_name, *(alternates or "").split("|")) if n)
    assert len(names) > 5_000
    for name in names:
        assert loose_key(name) == loose_key_reference(name), name
        assert loose_key(core_name(name)) == loose_key_reference(core_name(name)), name


def test_a_repeated_search_gives_equal_fresh_candidates(gazetteer):
    first = gazetteer.search("Kharkiv", limit=10)
    first[0].matched_name = "changed by a caller"
    again = gazetteer.search("Kharkiv", limit=10)
    assert again[0].matched_name != "changed by a caller"
    fresh = Gazetteer(gazetteer.path).search("Kharkiv", limit=10)  # no memo yet
    for got in (again, fresh):
        assert [(c.place.id, c.score, c.matched_name, c.match) for c in got] == \
               [(c.place.id, c.score, c.matched_name, c.match) for c in fresh]
    assert fresh[0].place.name == "Kharkiv" and fresh[0].place.country == "UA"


def test_lookup_memos_hand_out_copies(gazetteer):
    hits = gazetteer.lookup_keys("Ivanivka")
    assert len(hits) > 20  # a name dozens of villages carry
    hits.clear()
    assert len(gazetteer.lookup_keys("Ivanivka")) > 20
    holders = gazetteer.name_holders("Sumy")
    holders.clear()
    assert any(h.is_admin for h in gazetteer.name_holders("Sumy"))
    assert gazetteer.best_match("Sumy") == gazetteer.best_match("Sumy") == "strict"


def test_records_come_back_in_the_order_of_the_query(gazetteer):
    rids = [rid for rid, _ in gazetteer.lookup_keys("Ivanivka")][::-1] * 2
    in_query_order = [row[0] for row in gazetteer._rows_in("SELECT rid FROM places WHERE rid",
                                                           rids)]
    fresh = Gazetteer(gazetteer.path)
    assert list(fresh._places(rids)) == list(dict.fromkeys(in_query_order))  # read
    assert list(fresh._places(rids)) == list(dict.fromkeys(in_query_order))  # from the memo


def test_within_gives_haversine_distances(gazetteer):
    found = gazetteer.within_ids(51.2, 35.27, 30.0)  # around Sudzha
    assert len(found) > 10
    for rid, km in found:  # from the R-tree's (32-bit) coordinates, as before
        lat, lon = gazetteer._con.execute(
            "SELECT min_lat, min_lon FROM places_rtree WHERE rid=?", (rid,)).fetchone()
        assert km == haversine_km(51.2, 35.27, lat, lon)
        place = gazetteer.get_rid(rid)
        assert abs(km - haversine_km(51.2, 35.27, place.lat, place.lon)) < 0.01
    assert [km for _, km in found] == sorted(km for _, km in found)


def test_a_warm_geoparser_reads_texts_as_a_cold_one(gazetteer):
    from geomap.geoparse import Geoparser

    texts = [p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt"))] + [
        "Russian forces shelled Yampil, Donetsk, and the Sumy hromada overnight.",
        "Belgorod's Shebekino district came under fire; Kharkiv and Kupiansk were hit.",
        "THE VILLAGE OF KURILOVKA IN THE KURSK REGION WAS STRUCK AGAIN",
    ]
    parser = Geoparser(Gazetteer(gazetteer.path))
    cold = [[m.to_dict() for m in parser(t)] for t in texts]
    warm = [[m.to_dict() for m in parser(t)] for t in texts]
    other = [[m.to_dict() for m in Geoparser(Gazetteer(gazetteer.path))(t)] for t in texts]
    assert cold == warm == other
    assert any(m["name"] == "Sudzha" for doc in cold for m in doc)


def _is_caps_by_definition(line: str) -> bool:
    from geomap.geoparse.textnorm import _WORD, CAPS_MIN_WORDS, CAPS_SHARE

    upper = sum(map(str.isupper, line))
    lower = sum(map(str.islower, line))
    words = [w for w in _WORD.findall(line) if len(w) >= 2]
    return len(words) >= CAPS_MIN_WORDS and upper >= CAPS_SHARE * (upper + lower)


def test_caps_lines_are_found_as_the_definition_says(seed_text):
    from geomap.geoparse.textnorm import _is_caps, normalise_text

    lines = seed_text.splitlines() + [
        "THE VILLAGE OF KURILOVKA", "РОССИЙСКИЕ ВОЙСКА ОБСТРЕЛЯЛИ СУДЖУ", "ÉTÉ À KYIV, UKRAINE",
        "“SHELLING NEAR SUMY” — ISW", "A B C", "UN US EU", "", "123 456 789", "日本 東京 大阪",
        "Kursk region: THE TOWN OF SUDZHA", "KYIV, Ukraine — troops ADVANCED NEAR POKROVSK"]
    assert any(_is_caps(line) for line in lines) and not all(_is_caps(line) for line in lines)
    for line in lines:
        assert _is_caps(line) == _is_caps_by_definition(line), line
    assert "Kurilovka" in normalise_text("THE VILLAGE OF KURILOVKA WAS HIT").text


# the sentence boundary as first written (a look-behind for the end mark): its match ends
_SENTENCE_END_BY_DEFINITION = r"(?<=[.!?…])[\"”’)]*\s+|\n\s*\n|\n(?=[A-Z\"“])"


def test_sentence_boundaries_end_where_the_look_behind_pattern_ends(seed_text):
    import re

    from geomap.geoparse.recognise import SENTENCE_END

    definition = re.compile(_SENTENCE_END_BY_DEFINITION)
    texts = [seed_text, *seed_text.split("\n\n"),
             'He said: "Sumy was hit."  Then… Kharkiv!\n\nKupiansk?” (Reuters.)\nKYIV - x',
             "..  ?! …\n\n.\n“Quote”. End.", "Mr. Smith went to Washington. U.S. troops left.",
             ".\n\nX", "a\n\n.  b", "”. ) \t\n"]
    assert len(SENTENCE_END.findall(seed_text)) > 10
    for text in texts:
        assert [m.end() for m in SENTENCE_END.finditer(text)] == \
               [m.end() for m in definition.finditer(text)], text


def test_tokens_carry_what_their_text_says(seed_text):
    import re

    from geomap.geoparse.recognise import _OPENERS, tokenise

    definition = re.compile(_SENTENCE_END_BY_DEFINITION)
    text = seed_text + '\nOfficials said: "Kharkiv’s mayor met U.S. envoys." Sumy\'s governor' \
        + " it's-a x''s U.S.-led ‘Izium’s: ::  Kupiansk’s\n\nA.B. “Lyman”.\nB's"
    boundaries = [m.end() for m in definition.finditer(text)]
    tokens = tokenise(text)
    assert len(tokens) > 300
    for k, tok in enumerate(tokens):
        assert tok.idx == k and text[tok.start:tok.end] == tok.text
        assert tok.lower == tok.text.lower()
        assert tok.is_capitalised == tok.text[:1].isupper()
        assert tok.possessive == (text[tok.end:tok.end + 2] in ("'s", "’s"))
        assert tok.sentence == sum(b <= tok.start for b in boundaries)
        gap = text[tokens[k - 1].end + 2 * tokens[k - 1].possessive:tok.start] if k else ""
        starts_sentence = k == 0 or tokens[k - 1].sentence != tok.sentence
        assert tok.sentence_initial == (starts_sentence or gap.rstrip()[-1:] in _OPENERS), tok
    by_text = {t.text: t for t in tokens}
    assert by_text["Kharkiv"].possessive and by_text["Kharkiv"].sentence_initial  # after '"'
    assert by_text["Sumy"].possessive and not by_text["mayor"].is_capitalised
    assert by_text["U.S."].is_capitalised


def test_normalised_offsets_map_each_ascii_character_to_itself(seed_text):
    from geomap.geoparse.textnorm import normalise_text

    text = seed_text.replace("Plekhovo", "Plekhov\u0301o").replace("Kursk", "Ku\u200brsk")
    norm = normalise_text(text)
    assert norm.changed and "Plekhovo" in norm.text and "Kursk" in norm.text
    assert len(norm.starts) == len(norm.ends) == len(norm.text)
    composed = set()
    for i, char in enumerate(norm.text):
        if char.isascii():
            written = text[norm.starts[i]:norm.ends[i]]
            assert written.startswith(char), i
            if written != char:
                composed.add(written)
    assert composed == {"v\u0301"}  # the letter its removed mark was written on


def _names_of_ged_places() -> list[str]:
    import pandas as pd

    excerpt = Path(__file__).resolve().parents[1] / "data" / "events" / \
        "ucdp_ged_ukraine_excerpt.csv"
    ged = pd.read_csv(excerpt, dtype=str, keep_default_na=False)
    names = {n.split("(")[0].strip() for col in ("where_coordinates", "adm_1", "adm_2")
             for n in ged[col]}
    return sorted(n for n in names if n)


def test_best_match_and_matched_names_equal_their_plain_definitions(gazetteer):
    """``best_match`` stops at a strict hit and ``search`` looks up which name matched only
    for strictly met records; both must answer what the plain definitions do, on GED's
    place names (Cyrillic-derived, admin units, districts) and some that are no place."""
    from geomap.gazetteer import _LABEL_RANK
    from geomap.gazetteer.normalize import strict_key

    queries = _names_of_ged_places() + ["Kursk region", "Sumy Oblast", "the city of Kharkiv",
                                         "Julie Fish", "Kharkov", "Mariupl", "URS"]
    assert len(queries) > 100
    for name in queries:
        labels = [label for _, label in gazetteer.lookup_keys(name)]
        assert gazetteer.best_match(name) == min(labels, key=_LABEL_RANK.get, default=""), name
        for c in gazetteer.search(name, limit=10):
            p, key = c.place, strict_key(name)
            assert c.matched_name == next(
                (n for n in (p.name, p.asciiname, *p.alternatenames)
                 if n and strict_key(n) == key), p.name), (name, p.id)


def test_near_miss_spellings_are_found_as_a_scan_of_the_area_finds_them(gazetteer):
    """The near-miss reading looks up every spelling one away from the name instead of
    reading the strict names of every settlement around the focus: the same (record,
    spelling, km) triples, on the seed's Vorozhba/Vorobzha and names around Donbas towns."""
    from geomap.gazetteer.index import STRICT
    from geomap.geoparse.resolve import _one_spelling_away, _spellings_one_away

    cases = [("vorozhba", 51.20, 35.27, 40.0), ("plekhovo", 51.20, 35.27, 40.0),
             ("novoselivka", 48.2, 37.5, 50.0), ("krasnohorivka", 47.98, 37.5, 30.0),
             ("ivanivka", 49.5, 36.5, 50.0)]
    found: dict[str, set[str]] = {}
    for key, lat, lon, radius in cases:
        nearby = gazetteer.within_ids(lat, lon, radius)
        rids = [rid for rid, _ in nearby]
        names = gazetteer._con.execute(
            f"SELECT place, key FROM names WHERE kind = {STRICT} AND place IN "
            f"({','.join('?' * len(rids))})", rids).fetchall()
        km = dict(nearby)
        scanned = {(rid, other, km[rid]) for rid, other in names
                   if other != key and _one_spelling_away(key, other)}
        looked_up = {(rid, other, d) for rid, d, other in gazetteer.settlements_keyed(
            _spellings_one_away(key), lat, lon, radius)
            if other != key and _one_spelling_away(key, other)}
        assert looked_up == scanned, key
        found[key] = {other for _, other, _ in scanned}
    assert "vorobzha" in found["vorozhba"]


def test_nearest_km_is_the_haversine_matrix_argmin(gazetteer):
    import numpy as np

    from geomap.geodesy import _NUMPY_PAIRS, nearest_km

    found = gazetteer.within_ids(51.2, 35.27, 40.0)  # around Sudzha: real village points
    places = [gazetteer.get_rid(rid) for rid, _ in found]
    coords = [(p.lat, p.lon) for p in places]
    assert len(coords) > 60
    coords += coords[:3]  # the same point twice: ties go to the first index
    for rows, cols in ((coords[:1], coords[1:2]), (coords[:12], coords[12:20]),
                       (coords[:5], coords[-40:]), (coords[:30], coords[30:])):
        km = haversine_km(np.array(rows)[:, :1], np.array(rows)[:, 1:],
                          np.array(cols)[:, 0][None, :], np.array(cols)[:, 1][None, :])
        skip = [{k for k in range(len(cols)) if (r + k) % 3 == 0} or None
                for r in range(len(rows))]
        skip[0] = set(range(len(cols)))  # nothing left: infinitely far, index 0
        masked = km.copy()
        for r, gone in enumerate(skip):
            masked[r, list(gone or ())] = np.inf
        for matrix, skips in ((km, None), (masked, skip)):
            best = matrix.argmin(axis=1)
            want = [(float(matrix[r, b]), int(b)) for r, b in enumerate(best)]
            assert nearest_km(rows, cols, skips) == want  # the same floats, not just close
    assert len(coords[:30]) * len(coords[30:]) >= _NUMPY_PAIRS > 12 * 8  # both ways ran
    assert nearest_km(coords[:2], [coords[0], coords[0]]) == \
        [(0.0, 0), (nearest_km(coords[1:2], coords[:1])[0][0], 0)]


def test_a_ranking_reads_the_implied_regions_the_context_has(gazetteer, monkeypatch):
    """Scoring tests a candidate's region against the set of the implied regions worked
    out once per ranking (``_Frame.implied_admin1``): at every score, on real articles,
    that set is the context's implied regions."""
    from geomap.geoparse import Geoparser
    from geomap.geoparse.resolve import Resolver

    seen = []
    score = Resolver._score

    def checked(self, i, span, c, ctx, local, *args, **kwargs):
        frame = args[-1] if len(args) >= 5 else None
        if frame is not None:
            seen.append((frame.implied_admin1 == frozenset(ctx.implied.values()),
                         bool(ctx.implied)))
        return score(self, i, span, c, ctx, local, *args, **kwargs)

    monkeypatch.setattr(Resolver, "_score", checked)
    parser = Geoparser(Gazetteer(gazetteer.path))
    for path in sorted(ARTICLES.glob("*.txt"))[:12]:
        parser(path.read_text(encoding="utf-8"))
    assert seen and all(same for same, _ in seen)
    assert any(implied for _, implied in seen)  # some rankings had implied regions
