"""Importing GeoNames dumps: zips and plain files, all-or-nothing on bad input."""

import shutil
import zipfile
from pathlib import Path

import pytest

from geomap.errors import InputError
from geomap.gazetteer import Gazetteer
from geomap.geoparse import geoparse

FIXTURES = Path(__file__).parent / "fixtures" / "geonames"


@pytest.fixture()
def private_gazetteer(gazetteer, tmp_path):
    """A copy of the built index that a test may change."""
    path = tmp_path / "index.sqlite"
    shutil.copy(gazetteer.path, path)
    return Gazetteer(path, rebuild=False)


def _zip(tmp_path, name, member, source):
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(source, member)
        zf.writestr("readme.txt", "GeoNames readme")
    return path


def test_country_zip_adds_villages_and_keeps_known_names(private_gazetteer, tmp_path):
    gz = private_gazetteer
    (before,) = [c.place for c in gz.search("Kurilovka", country="RU")
                 if c.place.admin1 == "Kursk Oblast"]
    assert before.id == "ru:2464"  # the Russian pack's village, no GeoNames id
    ru_zip = _zip(tmp_path, "RU.zip", "RU.txt", FIXTURES / "RU.txt")
    summary = gz.import_files([ru_zip])
    (info,) = [v for k, v in summary.items() if k.endswith("RU.txt")]
    assert info["rows"] == 4 and info["imported"] == 3  # the stream (class H) is skipped
    found = [c.place for c in gz.search("Kurilovka", admin1="Kursk Oblast")]
    assert len(found) == 1  # one record: the dump's id, the pack's point and codes
    kurilovka = found[0]
    assert kurilovka.id == "9990001" and kurilovka.admin2 == "Sudzhansky District"
    assert (kurilovka.lat, kurilovka.lon) == (before.lat, before.lon)
    assert kurilovka.official_code == before.official_code
    assert kurilovka.source == "geonames-import+ru-pack"
    sudzha = gz.get("486816")
    assert sudzha.feature_code == "PPLA2"  # the dump's richer feature code
    assert "Суджа" in sudzha.alternatenames and "border-pack" in sudzha.source
    assert gz.info()["imports"][-1]["file"].endswith("RU.txt")


def test_imported_village_is_used_by_the_geoparser(private_gazetteer, seed_text, tmp_path):
    private_gazetteer.import_files([FIXTURES / "RU.txt"])
    mentions = geoparse(seed_text, gazetteer=private_gazetteer)
    kurilovka = [m for m in mentions if m.text == "Kurilovka"]
    assert kurilovka and all(m.place.id == "9990001" and m.precision == 1 for m in kurilovka)


def test_alternate_names_and_admin_codes(private_gazetteer, tmp_path):
    gz = private_gazetteer
    gz.import_files([FIXTURES / "RU.txt"])
    alt_zip = _zip(tmp_path, "alternateNamesV2.zip", "alternateNamesV2.txt",
                   FIXTURES / "alternateNamesV2.txt")
    summary = gz.import_files([alt_zip, FIXTURES / "admin2Codes.txt"])
    assert any(v["kind"] == "alternate_names" and v["imported"] == 2 for v in summary.values())
    assert gz.search("Sudscha-Stadt")[0].place.id == "486816"
    assert gz.search("Куриловка-Суджанская")[0].place.id == "9990001"
    assert not gz.search("https://en.wikipedia.org/wiki/Sudzha", fuzzy=False)


def test_malformed_line_names_file_and_line_and_changes_nothing(private_gazetteer, tmp_path):
    gz = private_gazetteer
    before = gz.info()["records"]
    bad = tmp_path / "RU.txt"
    lines = (FIXTURES / "RU.txt").read_text(encoding="utf-8").splitlines()
    lines[2] = "\t".join(lines[2].split("\t")[:12])  # a row cut short
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"RU\.txt, line 3: expected 19"):
        gz.import_files([bad])
    assert gz.info()["records"] == before
    assert [c.place.id for c in gz.search("Kurilovka", admin1="Kursk Oblast")] == ["ru:2464"]
    assert gz.search("Sudzha")[0].place.name == "Sudzha"  # the index still answers


def test_bad_coordinate_names_the_field(private_gazetteer, tmp_path):
    bad = tmp_path / "UA.txt"
    row = (FIXTURES / "RU.txt").read_text(encoding="utf-8").splitlines()[1].split("\t")
    row[4] = "north"
    bad.write_text("\t".join(row) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"line 1, field 'latitude'"):
        private_gazetteer.import_files([bad])


def test_truncated_zip_is_reported(private_gazetteer, tmp_path):
    big = tmp_path / "allCountries.txt"
    row = (FIXTURES / "RU.txt").read_text(encoding="utf-8").splitlines()[1]
    big.write_text("\n".join(row.replace("9990001", str(9_000_000 + i)) for i in range(20000)),
                   encoding="utf-8")
    archive = _zip(tmp_path, "allCountries.zip", "allCountries.txt", big)
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    before = private_gazetteer.info()["records"]
    with pytest.raises(InputError, match="allCountries.zip"):
        private_gazetteer.import_files([archive])
    assert private_gazetteer.info()["records"] == before


def test_missing_file(private_gazetteer, tmp_path):
    with pytest.raises(InputError, match="file not found"):
        private_gazetteer.import_files([tmp_path / "nope.zip"])
