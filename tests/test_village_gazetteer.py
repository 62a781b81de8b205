"""The settlement packs: one record per village, news spellings, honest precision."""

from __future__ import annotations

import csv
import gzip
import math
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from geomap.gazetteer.normalize import strict_key
from geomap.gazetteer.packs import EXCLUDE_ENV, enabled_packs, russian_district_name
from geomap.gazetteer.translit import (
    consonant_skeleton,
    news_forms,
    russian_latin,
    russian_to_ukrainian,
    ukrainian_latin,
    ukrainian_to_russian,
)

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT / "tests" / "fixtures" / "name_pairs.tsv"


def _pairs(kind: str) -> list[dict]:
    with open(PAIRS, encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh, delimiter="\t") if r["kind"] == kind]


def _km(a, b) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    h = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


# -- name generation ---------------------------------------------------------------
def test_pair_table_is_real_and_large_enough():
    rows = _pairs("ru-latin") + _pairs("uk-ru")
    assert len(rows) >= 100
    assert all(r["source"].strip() for r in rows)


def test_russian_names_give_the_latin_forms_news_writes():
    rows = _pairs("ru-latin")
    hits = [r for r in rows
            if strict_key(r["expected"]) in {strict_key(f) for f in russian_latin(r["cyrillic"])}]
    missed = [(r["cyrillic"], r["expected"]) for r in rows if r not in hits]
    assert len(hits) / len(rows) >= 0.95, missed


def test_ukrainian_names_give_their_russian_form():
    rows = _pairs("uk-ru")
    hits = [r for r in rows if strict_key(r["expected"]) in
            {strict_key(f) for f in ukrainian_to_russian(r["cyrillic"])}]
    missed = [(r["cyrillic"], r["expected"]) for r in rows if r not in hits]
    assert len(hits) / len(rows) >= 0.85, missed


@pytest.mark.parametrize("cyrillic, expected", [
    ("Плёхово", {"Plekhovo", "Plyokhovo"}),
    ("Большое Солдатское", {"Bolshoye Soldatskoye", "Bolshoe Soldatskoe"}),
    ("Мартыновское", {"Martynovskoye", "Martynovskoe", "Martynovskoie"}),
    ("Светлый", {"Svetlyy", "Svetly"}),
])
def test_simplified_endings(cyrillic, expected):
    assert expected <= set(russian_latin(cyrillic))


def test_ukrainian_villages_get_their_russian_news_forms():
    assert {"Kleshcheyevka", "Kleshcheevka"} <= set(news_forms(name_uk="Кліщіївка"))
    assert "Novoselovka Pervaya" in news_forms(name_uk="Новоселівка Перша")
    assert "Chasov Yar" in news_forms(name_uk="Часів Яр")
    # names from given names take the Russian given name (Oleksa = Aleksey, Olena = Yelena)
    assert "Alekseyevka" in news_forms(name_uk="Олексіївка")
    assert "Aleksandrovka" in news_forms(name_uk="Олександрівка")
    assert "Yelenovka" in news_forms(name_uk="Оленівка")
    assert "Nikitovka" in news_forms(name_uk="Микитівка")


@pytest.mark.parametrize(("russian", "ukrainian", "latin"), [
    ("Малая Локня", "Мала Локня", "Mala Loknia"),  # Ukrainian reports on the Kursk incursion
    ("Большое Солдатское", "Велике Солдатське", "Velyke Soldatske"),
    ("Новая Таволжанка", "Нова Таволжанка", "Nova Tavolzhanka"),
    ("Нижний Реут", "Нижній Реут", "Nyzhnii Reut"),
    ("Старый Оскол", "Старий Оскол", "Staryi Oskol"),
])
def test_russian_border_villages_get_the_ukrainian_form_of_their_adjectives(
        russian, ukrainian, latin):
    assert russian_to_ukrainian(russian) == ukrainian
    assert ukrainian_latin(ukrainian) == latin


def test_one_word_russian_names_get_no_ukrainian_form():
    assert russian_to_ukrainian("Суджа") == "" and russian_to_ukrainian("Плехово") == ""


@pytest.mark.parametrize(("russian_form", "ukrainian_form"), [
    ("Orlovsky", "Orlovske"), ("Vodyanoye", "Vodiane"), ("Gorlovka", "Horlivka"),
    ("Novaya Maryevka", "Nova Marivka"), ("Schastye", "Shchastia"), ("Alexandrovka", "Oleksandrivka"),
])
def test_russian_and_ukrainian_forms_share_their_consonants(russian_form, ukrainian_form):
    assert consonant_skeleton(strict_key(russian_form)) == consonant_skeleton(strict_key(ukrainian_form))


def test_the_consonant_skeleton_keeps_different_names_apart():
    assert consonant_skeleton(strict_key("Pokrovsk")) != consonant_skeleton(strict_key("Pokrovka"))
    assert consonant_skeleton(strict_key("Kurilovka")) != consonant_skeleton(strict_key("Kulikovka"))


def test_district_names_in_the_projects_english():
    assert russian_district_name("Суджанский") == "Sudzhansky District"
    assert russian_district_name("Кимовский район") == "Kimovsky District"
    assert russian_district_name("Город Курск") == "Kursk"


# -- the merged index ----------------------------------------------------------------
def test_seed_villages_each_at_their_own_point(gazetteer):
    # coordinates: Russian settlements pack (gazetteer/ru_settlements), checked there
    # against Wikipedia (median 0.44 km)
    expected = {"Plekhovo": (51.0997, 35.3306), "Martynovka": (51.2389, 35.3661),
                "Sudzha": (51.1919, 35.2719), "Куриловка": (51.1442, 35.2700),
                "Vorobzha": (51.1617, 35.4906)}
    for name, point in expected.items():
        best = gazetteer.search(name, admin1="Kursk Oblast", limit=1)[0].place
        assert best.admin2 == "Sudzhansky District", name
        assert best.located_by == "point"
        assert _km((best.lat, best.lon), point) <= 2.0, name


def test_every_kurilovka_in_russia_with_its_district(gazetteer):
    with gzip.open(ROOT / "gazetteer" / "ru_settlements" / "settlements.csv.gz", "rt",
                   encoding="utf-8") as fh:
        in_pack = [r for r in csv.DictReader(fh) if r["settlement"] == "Куриловка"
                   and r["region"] not in ("Республика Крым", "Севастополь")]
    found = gazetteer.search("Куриловка", country="RU", limit=50)
    exact = [c.place for c in found if c.match in ("exact", "alternate")]
    assert len(exact) >= len(in_pack) - 1  # two pack rows 3 km apart may be one place
    assert all(p.admin2 for p in exact)
    assert any(p.admin2 == "Sudzhansky District" for p in exact)


def test_cli_lists_the_kurilovkas():
    out = subprocess.run([sys.executable, "-m", "geomap", "gazetteer", "search", "Куриловка",
                          "--country", "RU"], capture_output=True, text=True, check=True).stdout
    assert out.count("Kurilovka") >= 10
    assert "Sudzhansky District" in out


@pytest.mark.parametrize("spelling", ["Klishchiivka", "Kleshcheevka", "Kleshcheyevka",
                                      "Кліщіївка"])
def test_klishchiivka_under_every_spelling(gazetteer, spelling):
    best = gazetteer.search(spelling, limit=1)[0].place
    assert best.admin1 == "Donetsk Oblast" and best.country == "UA"
    assert _km((best.lat, best.lon), (48.528, 37.958)) < 2  # OSM node, see ua_osm README


def test_merged_record_keeps_each_sources_part(gazetteer):
    sudzha = gazetteer.search("Sudzha", country="RU", limit=1)[0].place
    assert sudzha.geonameid == 486816  # GeoNames id kept
    assert {"geonames-cities500", "border-pack", "ru-pack"} <= set(sudzha.source.split("+"))
    assert sudzha.official_code == "38640101001"  # OKTMO from the Russian pack
    assert "GeoNames" in sudzha.provenance and "point: " in sudzha.provenance

    klish = gazetteer.search("Klishchiivka", limit=1)[0].place
    assert klish.admin2 == "Bakhmutskyi Raion" and klish.admin3 == "Bakhmutska hromada"
    assert klish.official_code.startswith("UA14")  # OCHA p-code (KATOTTG based)
    assert "OpenStreetMap" in klish.provenance and "OCHA COD" in klish.provenance


def test_no_two_records_of_one_name_within_2km(gazetteer):
    con = gazetteer._con
    rows = con.execute(
        "SELECT id, name, lat, lon FROM places WHERE feature_class='P' AND country IN ('RU','UA')"
        " AND lat BETWEEN 47 AND 53 AND lon BETWEEN 33 AND 40").fetchall()
    groups = defaultdict(list)
    for pid, name, lat, lon in rows:
        groups[strict_key(name)].append((pid, lat, lon))
    close = []
    for name, members in groups.items():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if _km(a[1:], b[1:]) < 2.0:
                    close.append((name, a[0], b[0]))
    assert len(rows) > 15_000
    assert not close, close[:10]


def test_hromada_centroid_only_where_no_point(gazetteer):
    counts = gazetteer.info()["counts"]
    centroid = sum(n for s, n in counts.items() if s == "ocha-cod-hromada-centroid")
    assert 0 < centroid < 2_000  # of 29,708 OCHA settlements
    row = gazetteer._con.execute(
        "SELECT id FROM places WHERE located_by='hromada-centroid' LIMIT 1").fetchone()
    place = gazetteer.get(row[0])
    assert "centroid" in place.provenance and place.admin3


def test_crimea_keeps_ukraines_names(gazetteer):
    for name in ("Bakhchysarai", "Sevastopol", "Dzhankoi"):
        best = gazetteer.search(name, limit=1)[0].place
        assert best.country == "UA", name
        assert best.admin1_code in ("UA-43", "UA-40"), name


def test_a_pack_can_be_left_out(monkeypatch):
    from geomap.gazetteer.index import sources_fingerprint

    full = sources_fingerprint()
    monkeypatch.setenv(EXCLUDE_ENV, "ru_settlements")
    assert enabled_packs() == ("ua_osm",)
    assert sources_fingerprint() != full  # the index is rebuilt without it
    monkeypatch.setenv(EXCLUDE_ENV, "nonsense")
    with pytest.raises(ValueError, match="unknown pack"):
        enabled_packs()


def test_attribution_travels_with_maps_and_exports(seed_text, tmp_path):
    import json

    import geomap
    from geomap.gazetteer.record import ATTRIBUTION

    events = geomap.events_to_gdf(geomap.extract_events(seed_text, published="2024-12-16"))
    html = geomap.build_map(events).get_root().render()
    out = geomap.write_events(events, tmp_path / "seed.geojson")
    meta = json.loads(out.read_text(encoding="utf-8"))["metadata"]
    for line in ATTRIBUTION.values():
        assert line in " ".join(meta["attribution"])
    assert "OpenStreetMap contributors" in html and "GPL-3.0-or-later" in html
    assert "GeoNames" in html


def test_gazetteer_info_prints_every_attribution():
    out = subprocess.run([sys.executable, "-m", "geomap", "gazetteer", "info"],
                         capture_output=True, text=True, check=True).stdout
    assert "© OpenStreetMap contributors" in out and "GPL-3.0-or-later" in out
    assert "GeoNames" in out and "OCHA" in out
