"""The embedded gazetteer: transliteration-proof search, records, ranking, fuzzy fallback."""

import pytest


def first(gz, name, **kw):
    results = gz.search(name, **kw)
    assert results, f"no candidates for {name}"
    return results[0]


@pytest.mark.parametrize("spelling", ["Plyokhovo", "Плёхово", "Plekhovo", "Плехово", "plekhovo"])
def test_plekhovo_spellings_put_the_kursk_village_first(gazetteer, spelling):
    top = first(gazetteer, spelling).place
    assert (top.name, top.country, top.admin1, top.admin2) == (
        "Plekhovo", "RU", "Kursk Oblast", "Sudzhansky District")


def test_vorozhba_lists_the_sumy_town_and_the_other_namesakes(gazetteer):
    results = gazetteer.search("Vorozhba")
    assert results[0].place.admin1 == "Sumy Oblast" and results[0].place.population > 5000
    assert len(results) >= 2
    for c in results:
        assert c.place.country and c.place.admin1, c.place
    assert {c.place.admin2 for c in results} >= {"Sumskyi Raion"}


def test_kharkov_finds_kharkiv(gazetteer):
    top = first(gazetteer, "Kharkov").place
    assert top.name == "Kharkiv" and top.country == "UA" and top.population > 1_000_000


def test_cyrillic_ukrainian_and_russian_forms(gazetteer):
    assert first(gazetteer, "Харків").place.name == "Kharkiv"
    assert first(gazetteer, "Харьков").place.name == "Kharkiv"
    assert first(gazetteer, "Суджа").place.name == "Sudzha"


def test_country_and_admin1_filters(gazetteer):
    ru = gazetteer.search("Martynovka", country="RU")
    assert ru and all(c.place.country == "RU" for c in ru)
    sumy = gazetteer.search("Martynovka", admin1="Sumy region")
    assert sumy and all(c.place.admin1 == "Sumy Oblast" for c in sumy)


def test_near_prefers_the_close_namesake(gazetteer):
    near_sudzha = first(gazetteer, "Martynovka", near=(51.19, 35.27)).place
    assert near_sudzha.admin2 == "Sudzhansky District"


def test_every_record_has_the_documented_fields(gazetteer):
    sudzha = first(gazetteer, "Sudzha").place
    assert sudzha.id == "486816" and sudzha.geonameid == 486816
    assert sudzha.feature_class == "P" and sudzha.feature_code.startswith("PPL")
    assert sudzha.admin1_code == "RU-KRS" and sudzha.admin2 == "Sudzhansky District"
    assert "border-pack" in sudzha.source and "cities500" in sudzha.source
    assert abs(sudzha.lat - 51.191) < 0.01 and abs(sudzha.lon - 35.27) < 0.01
    assert "Суджа" in sudzha.alternatenames
    assert gazetteer.get("486816").name == "Sudzha"
    assert gazetteer.get("no-such-id") is None


def test_admin_units_are_places(gazetteer):
    oblast = first(gazetteer, "Sumy Oblast").place
    assert oblast.feature_code == "ADM1" and oblast.admin1_code == "UA-59"
    district = first(gazetteer, "Sudzhansky district").place
    assert district.feature_code == "ADM2" and district.admin1 == "Kursk Oblast"
    hromada = first(gazetteer, "Yunakivka hromada").place
    assert hromada.feature_code == "ADM3" and hromada.admin1 == "Sumy Oblast"
    region = first(gazetteer, "Kursk region").place
    assert region.id == "adm1:RU-KRS"


def test_ukrainian_village_known_only_to_ocha_sits_at_its_hromada(gazetteer):
    # Moskalivshchyna (Sadivska hromada) has no point in any embedded source
    hits = gazetteer.search("Moskalivshchyna", admin1="Sumy Oblast")
    ocha = [c.place for c in hits if c.place.located_by == "hromada-centroid"]
    assert ocha, [c.place for c in hits]
    assert any(p.admin3 == "Sadivska hromada" for p in ocha)


def test_fuzzy_fallback_scores_typos_lower(gazetteer):
    top = first(gazetteer, "Sudzah", country="RU")
    assert top.place.name == "Sudzha" and top.match == "fuzzy" and top.score < 0.8
    assert gazetteer.search("Sudzah", fuzzy=False, country="RU") == []


def test_info_reports_sources(gazetteer):
    info = gazetteer.info()
    assert info["records"] > 250_000
    for source in ("geonames-cities500", "border-pack", "ocha-cod-hromada-centroid", "ocha-cod"):
        assert any(source in key for key in info["counts"]), source


def test_no_plausible_match_returns_nothing_not_a_far_fuzzy_guess(gazetteer):
    assert gazetteer.search("Nowhereville", limit=1) == []  # was Niverville, Manitoba, 0.72
    assert gazetteer.search("Xyzzyville", limit=1) == []
    # one typo is still found, scored below every exact or transliterated match
    top = first(gazetteer, "Mariupl", country="UA")
    assert top.place.name == "Mariupol" and top.match == "fuzzy" and top.score < 0.8
    assert first(gazetteer, "Kurks", country="RU").place.name == "Kursk"  # swapped letters


def test_key_table_answers_exactly_as_the_names_table(gazetteer):
    """Name lookups read the in-memory key table: for every sampled key it holds the same
    (record, kind) rows as ``names``, in the order the ``names_key`` index yields them."""
    from geomap.gazetteer.keytable import KeyTable

    con = gazetteer._con
    keys = [k for (k,) in con.execute("SELECT DISTINCT key FROM names WHERE rowid % 97 = 0")]
    assert len(keys) > 10_000
    expected: dict[str, list[tuple[int, int]]] = {}
    for i in range(0, len(keys), 500):
        chunk = keys[i:i + 500]
        for key, kind, rid in con.execute(
                f"SELECT key, kind, place FROM names WHERE key IN ({','.join('?' * len(chunk))}) "
                "ORDER BY key, kind, rowid", chunk):
            expected.setdefault(key, []).append((rid, kind))
    table = KeyTable(con)
    assert {key: table.rows(key) for key in keys} == expected
    assert {key: table.kinds(key) for key in keys} == {
        key: sum({1 << kind for _, kind in rows}) for key, rows in expected.items()}
    for absent in ("nowhereville", "xyzzy", ""):
        assert absent not in table and table.rows(absent) == [] and table.kinds(absent) == 0


def test_a_damaged_key_table_is_one_error_and_rechecked_next_time(gazetteer, tmp_path):
    """SQLite's integrity check does not read blobs: a changed key-table blob is caught by
    its checksum, reported as a damaged index (not a crash or a wrong answer), and the next
    open finds the index damaged (so it is rebuilt)."""
    import shutil
    import sqlite3

    from geomap.errors import GeomapError
    from geomap.gazetteer import Gazetteer
    from geomap.gazetteer.index import is_damaged, mark_verified

    copy = tmp_path / gazetteer.path.name
    shutil.copyfile(gazetteer.path, copy)
    con = sqlite3.connect(copy)
    with con:
        con.execute("UPDATE key_table SET data = zeroblob(length(data)) WHERE part = 'trie'")
    con.close()
    mark_verified(copy)  # changed behind geomap's back
    gz = Gazetteer(copy, rebuild=False)
    with pytest.raises(GeomapError, match="is damaged .*key_table part 'trie' fails its CRC-32"):
        gz.search("Sudzha")
    assert is_damaged(copy)


def test_a_record_reads_every_column_into_its_field(gazetteer):
    from geomap.gazetteer.index import row_to_place

    cur = gazetteer._con.execute("SELECT * FROM places WHERE rid % 2000 = 0")
    columns = [d[0] for d in cur.description]
    rows = cur.fetchall()
    assert len(rows) > 100
    for row in rows:
        place, values = row_to_place(row), dict(zip(columns, row, strict=True))
        for column, value in values.items():
            if column == "rid":
                continue
            if column == "alternatenames":
                assert place.alternatenames == [n for n in (value or "").split("|") if n]
            elif column == "population":
                assert place.population == int(value or 0)
            else:
                assert getattr(place, column) == value, column
