"""``geomap places`` takes many files and -o; --encoding wherever text is read (#10)."""

from __future__ import annotations

import json
from pathlib import Path

from geomap.cli import main

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "data" / "articles" / "kursk_2024-12-16_north_korean_casualties.txt"
SENTENCE = "Ukrainian forces entered Sudzha in Kursk Oblast on 6 August."


def test_places_many_files_to_geojson(tmp_path, capsys):
    second = tmp_path / "sudzha.txt"
    second.write_text(SENTENCE, encoding="utf-8")
    out = tmp_path / "places.geojson"
    assert main(["places", str(ARTICLE), str(second), "-o", str(out)]) == 0
    assert "place mentions from 2 file(s)" in capsys.readouterr().err
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    by_file = {}
    for f in features:
        by_file.setdefault(f["properties"]["file"], []).append(f["properties"]["text"])
    assert set(by_file) == {str(ARTICLE), str(second)}
    assert "Plekhovo" in by_file[str(ARTICLE)] and "Sudzha" in by_file[str(second)]
    sudzha = next(f for f in features if f["properties"]["file"] == str(second)
                  and f["properties"]["text"] == "Sudzha")
    lon, lat = sudzha["geometry"]["coordinates"]
    assert abs(lat - 51.19) < 0.05 and abs(lon - 35.27) < 0.05


def test_places_jsonl_output_and_bad_extension(tmp_path, capsys):
    out = tmp_path / "places.jsonl"
    assert main(["places", str(ARTICLE), "-o", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows and all(r["file"] == str(ARTICLE) for r in rows)
    assert main(["places", str(ARTICLE), "-o", str(tmp_path / "p.kml")]) == 2
    assert "field 'output'" in capsys.readouterr().err
    assert not (tmp_path / "p.kml").exists()


def test_encoding_option_for_places_and_events(tmp_path, capsys):
    cp1251 = tmp_path / "article.txt"
    cp1251.write_bytes(("Суджа. " + SENTENCE).encode("cp1251"))
    assert main(["places", str(cp1251)]) == 2
    err = capsys.readouterr().err
    assert "not UTF-8 text" in err and "--encoding" in err
    assert main(["places", str(cp1251), "--encoding", "cp1251", "--format", "jsonl"]) == 0
    assert "Sudzha" in capsys.readouterr().out
    assert main(["events", str(cp1251), "--encoding", "cp1251", "--format", "jsonl",
                 "--published", "2024-08-12"]) == 0
    assert main(["places", str(cp1251), "--encoding", "klingon"]) == 2
    assert "unknown encoding 'klingon'" in capsys.readouterr().err


def test_every_option_has_help():
    from geomap.cli import build_parser

    def walk(parser, path):
        for action in parser._actions:
            if action.choices and isinstance(action.choices, dict):
                for name, sub in action.choices.items():
                    yield from walk(sub, [*path, name])
            elif action.option_strings and action.dest != "help":
                yield path, action

    missing = [f"{' '.join(path)} {'/'.join(a.option_strings)}"
               for path, a in walk(build_parser(), ["geomap"]) if not a.help]
    assert missing == []
