"""Robustness of the command line: bad input ends in exit 2 and one line naming the file,
line and field; nothing is damaged; nothing is pretended (issue 16)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geomap.cli import main
from tests.conftest import SEED_TEXT

ROOT = Path(__file__).resolve().parents[1]
GED = ROOT / "data" / "events" / "ucdp_ged_ukraine_excerpt.csv"

GOOD_KML = """<?xml version="1.0" encoding="utf-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Placemark><name>Broken</name><ExtendedData><Data name="event_date"><value>2024-08-06</value>
</Data></ExtendedData><Point><coordinates>35.27</coordinates></Point></Placemark>
<Placemark><name>Sudzha</name><ExtendedData><Data name="event_date"><value>2024-08-07</value>
</Data></ExtendedData><Point><coordinates>35.2706,51.1914</coordinates></Point></Placemark>
</Document></kml>
"""


def run(capsys, *args) -> tuple[int, str, str]:
    """The CLI in-process: (exit code, stdout, stderr); SystemExit codes are returned."""
    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def error_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.startswith("geomap: error:")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# --------------------------------------------------------------------------- no traceback
def test_ten_megabyte_single_line_csv_is_one_clear_error(capsys, tmp_path):
    path = tmp_path / "one_line.csv"
    path.write_text("a" * 10_000_000)
    code, _, err = run(capsys, "ingest", path, "--store", tmp_path / "s.gpkg")
    assert code == 2
    line = error_line(err)
    assert f"{path}, line 1" in line and "10,000,000 characters" in line
    assert len(line) < 400
    assert not (tmp_path / "s.gpkg").exists()


def test_ten_megabyte_field_is_data_not_a_field_limit_error(capsys, tmp_path):
    path = tmp_path / "long_notes.csv"
    path.write_text("event_date,latitude,longitude,location,notes\n"
                    f'2024-08-07,51.1914,35.2706,Sudzha,"{"x" * 10_000_000}"\n')
    out = tmp_path / "out.geojson"
    code, _, err = run(capsys, "export", path, "-o", out)
    assert code == 0, err
    feature = json.loads(out.read_text())["features"][0]
    assert len(feature["properties"]["notes"]) == 10_000_000


def test_kml_with_a_one_number_coordinate_keeps_the_good_placemark(capsys, tmp_path):
    path = tmp_path / "two.kml"
    path.write_text(GOOD_KML)
    out = tmp_path / "out.geojson"
    code, _, err = run(capsys, "export", path, "-o", out)
    assert code == 0, err
    assert f"{path}:1: [coordinates] error: placemark coordinates '35.27'" in err
    features = json.loads(out.read_text())["features"]
    assert [f["properties"]["location"] for f in features] == ["Sudzha"]
    assert features[0]["geometry"]["coordinates"] == pytest.approx([35.2706, 51.1914])


def test_a_directory_as_input_or_output(capsys, tmp_path):
    code, _, err = run(capsys, "export", tmp_path, "-o", tmp_path / "x.geojson")
    assert code == 2 and "is a directory" in error_line(err)
    code, _, err = run(capsys, "export", GED, "-o", tmp_path)
    assert code == 2 and f"{tmp_path}: is a directory" in error_line(err)
    code, _, err = run(capsys, "events", tmp_path)
    assert code == 2 and f"{tmp_path}: is a directory" in error_line(err)
    code, _, err = run(capsys, "map", tmp_path, "-o", tmp_path / "m.html")
    assert code == 2 and "is a directory" in error_line(err)
    code, _, err = run(capsys, "zones", "--buffer", "Sudzha:10km", "-o", tmp_path)
    assert code == 2 and f"{tmp_path}: is a directory" in error_line(err)


@pytest.mark.parametrize("sidecar, field", [
    ('{"published": 5}', "published"),
    ('{"published": "last Tuesday"}', "published"),
    ('{"published": "2024-12-16", ', None),
    ('["not", "an", "object"]', None),
])
def test_map_reports_a_bad_sidecar(capsys, tmp_path, sidecar, field):
    article = tmp_path / "story.txt"
    article.write_text(SEED_TEXT.read_text("utf-8"), "utf-8")
    (tmp_path / "story.json").write_text(sidecar)
    code, _, err = run(capsys, "map", article, "-o", tmp_path / "m.html")
    assert code == 2
    line = error_line(err)
    assert str(tmp_path / "story.json") in line
    if field:
        assert f"field {field!r}" in line
    assert not (tmp_path / "m.html").exists()


def test_places_that_are_not_geojson(capsys, tmp_path):
    places = tmp_path / "places.geojson"
    places.write_text("name,lat\nSudzha,51\n")
    code, _, err = run(capsys, "map", GED, "--places", places, "-o", tmp_path / "m.html")
    assert code == 2 and f"{places}: cannot read places" in error_line(err)


def test_buffer_of_thirty_thousand_km(capsys, tmp_path):
    code, _, err = run(capsys, "zones", "--buffer", "51.19,35.27:30000km",
                       "-o", tmp_path / "z.geojson")
    assert code == 2 and "30,000 km is larger than the 2,000 km" in error_line(err)


def test_unparsable_postgres_url(capsys, tmp_path):
    code, _, err = run(capsys, "export", "--store", "postgresql://[::1", "-o",
                       tmp_path / "x.geojson")
    assert code == 2 and "not a valid PostgreSQL URL" in error_line(err)


def test_internal_errors_are_one_line_not_a_traceback():
    """A bug still ends in one line (exit 3), shown here through a real subprocess."""
    code = ("import sys, geomap.cli.records as r\n"
            "def boom(args): raise KeyError('bug')\n"
            "r._export = boom\n"
            "from geomap.cli import main\n"
            f"sys.exit(main(['export', {str(GED)!r}, '-o', 'x.geojson']))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("geomap: internal error: KeyError")


# --------------------------------------------------------------------------- never damage
def test_ingest_checks_the_output_before_touching_the_store(capsys, tmp_path):
    store = tmp_path / "s.gpkg"
    assert run(capsys, "ingest", GED, "--store", store)[0] == 0
    before = store.read_bytes()
    for bad in (tmp_path / "nodir" / "out.geojson", tmp_path / "out.txt", tmp_path):
        code, _, err = run(capsys, "ingest", GED, "--store", store, "-o", bad)
        assert code == 2, err
        error_line(err)
        assert store.read_bytes() == before


def test_ingest_into_a_new_store_with_a_bad_output_creates_nothing(capsys, tmp_path):
    code, _, err = run(capsys, "ingest", GED, "--store", tmp_path / "new.gpkg",
                       "-o", "/nonexistent-dir/out.geojson")
    assert code == 2 and "output directory does not exist" in error_line(err)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [["export"], ["filter", "--admin1", "Kursk Oblast"]])
def test_reading_a_store_that_does_not_exist_is_an_error(capsys, tmp_path, command):
    typo = tmp_path / "typo.gpkg"
    code, _, err = run(capsys, *command, "--store", typo, "-o", tmp_path / "x.geojson")
    assert code == 2 and "no such event store" in error_line(err)
    assert not typo.exists() and not (tmp_path / "x.geojson").exists()


@pytest.mark.parametrize("args, message", [
    (["filter", str(GED), "--min-confidence", "nan", "-o", "x.geojson"], "not a finite number"),
    (["filter", str(GED), "--min-confidence", "1.5", "-o", "x.geojson"], "not between 0 and 1"),
    (["join", str(GED), str(GED), "--max-km", "-5", "-o", "x.geojson"], "is negative"),
    (["join", str(GED), str(GED), "--max-days", "inf", "-o", "x.geojson"], "not a finite"),
    (["gazetteer", "search", "Sudzha", "--limit", "-1"], "must be 1 or more"),
    (["events", str(SEED_TEXT), "--jobs", "-2"], "is negative"),
])
def test_nonsense_numbers_are_rejected(capsys, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, *args)
    assert code == 2 and message in err
    assert not (tmp_path / "x.geojson").exists()


def test_near_nan_is_rejected(capsys):
    code, _, err = run(capsys, "gazetteer", "search", "Sudzha", "--near", "nan,nan")
    assert code == 2 and "--near 'nan,nan'" in error_line(err)


def test_control_bytes_from_a_file_are_escaped_in_messages(capsys, tmp_path):
    path = tmp_path / "ansi.csv"
    path.write_text("event_date,latitude,longitude,location\n"
                    "\x1b[2J\x1b[31mevil\x07,51.19,35.27,Sudzha\n"
                    "2024-08-07,51.19,35.27,Sudzha\n")
    code, _, err = run(capsys, "ingest", path, "--store", tmp_path / "s.gpkg")
    assert code == 1  # one row rejected, one imported
    assert "\x1b" not in err and "\x07" not in err
    assert "\\x1b[2J\\x1b[31mevil\\x07" in err


# --------------------------------------------------------------------------- injection
def test_csv_export_neutralises_formulas_and_keeps_numbers(capsys, tmp_path):
    src = tmp_path / "evil.csv"
    src.write_text("event_date,latitude,longitude,location,notes,killed\n"
                   '2024-08-07,51.19,35.27,=HYPERLINK("http://x"),"=cmd|\' /C calc\'!A0",-5\n'
                   "2024-08-08,51.19,35.27,Sudzha,-5,3\n"
                   "2024-08-09,51.19,35.27,@SUM(A1),+1 killed,\n")
    out = tmp_path / "out.csv"
    assert run(capsys, "export", src, "-o", out)[0] == 0
    text = out.read_text()
    assert "'=HYPERLINK(\"\"http://x\"\")" in text and "'=cmd|" in text
    assert "'@SUM(A1)" in text and "'+1 killed" in text
    assert ",-5," in text  # a number written as text stays a number
    assert "\n=" not in text and ",=" not in text and ",@" not in text
    raw = tmp_path / "raw.csv"
    assert run(capsys, "export", src, "-o", raw, "--no-csv-escape")[0] == 0
    assert ',"=HYPERLINK(""http://x"")",' in raw.read_text()
    # a CSV geomap wrote reads back as it was
    back = tmp_path / "back.geojson"
    assert run(capsys, "export", out, "-o", back)[0] == 0
    props = [f["properties"] for f in json.loads(back.read_text())["features"]]
    assert [p["location"] for p in props] == ['=HYPERLINK("http://x")', "Sudzha", "@SUM(A1)"]
    assert props[0]["killed"] == -5


def test_kml_text_is_shown_as_text_and_unsafe_kml_is_refused(capsys, tmp_path):
    import xml.etree.ElementTree as ET

    src = tmp_path / "markup.csv"
    src.write_text("event_date,latitude,longitude,location,notes\n"
                   '2024-08-07,51.19,35.27,<b>Sudzha</b>,"<img src=x onerror=alert(1)>"\n')
    out = tmp_path / "out.kml"
    assert run(capsys, "export", src, "-o", out)[0] == 0
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    pm = ET.parse(out).getroot().find(".//k:Placemark", ns)
    # viewers render these as HTML: the markup arrives escaped, so it shows as text
    assert pm.find("k:name", ns).text == "&lt;b&gt;Sudzha&lt;/b&gt; (2024-08-07)"
    assert pm.find("k:description", ns).text == "&lt;img src=x onerror=alert(1)&gt;"
    back = tmp_path / "back.geojson"
    assert run(capsys, "export", out, "-o", back)[0] == 0
    props = json.loads(back.read_text())["features"][0]["properties"]
    assert props["notes"] == "<img src=x onerror=alert(1)>"
    bomb = tmp_path / "laughs.kml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa">'
                    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                    '<kml><Placemark><name>&b;</name></Placemark></kml>')
    code, _, err = run(capsys, "export", bomb, "-o", tmp_path / "b.geojson")
    assert code == 2 and "refused unsafe XML" in error_line(err)
