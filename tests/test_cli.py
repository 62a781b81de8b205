"""The geomap command: help everywhere, gazetteer and places output, clean errors."""

import json
import os
import subprocess
import sys

import pytest

from geomap.cli import build_parser
from tests.conftest import SEED_TEXT


def geomap(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "geomap", *args], capture_output=True,
                          text=True, input=stdin, env=os.environ.copy(), timeout=300)


def _subcommand_paths(parser, prefix=()):
    for action in parser._actions:
        if action.__class__.__name__ == "_SubParsersAction":
            for name, sub in action.choices.items():
                yield (*prefix, name)
                yield from _subcommand_paths(sub, (*prefix, name))


def test_every_subcommand_has_help():
    paths = list(_subcommand_paths(build_parser()))
    assert ("gazetteer", "search") in paths and ("places",) in paths
    for path in paths:
        with pytest.raises(SystemExit) as exc:
            build_parser().parse_args([*path, "--help"])
        assert exc.value.code == 0, path


@pytest.mark.parametrize("spelling", ["Plyokhovo", "Плёхово", "Plekhovo"])
def test_gazetteer_search_jsonl(gazetteer, spelling):
    result = geomap("gazetteer", "search", spelling, "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    for key in ("id", "name", "lat", "lon", "country", "admin1", "admin2", "feature_code",
                "population", "score", "source"):
        assert key in rows[0]
    assert (rows[0]["admin1"], rows[0]["admin2"]) == ("Kursk Oblast", "Sudzhansky District")


def test_gazetteer_search_table_and_filters(gazetteer):
    result = geomap("gazetteer", "search", "Vorozhba", "--country", "UA")
    assert result.returncode == 0
    assert "Sumy Oblast" in result.stdout and "Vorozhba" in result.stdout
    assert geomap("gazetteer", "search", "Qxzqxzq", "--country", "RU").returncode == 1


def test_gazetteer_info(gazetteer):
    result = geomap("gazetteer", "info")
    assert result.returncode == 0 and "border-pack" in result.stdout


def test_places_jsonl_on_the_seed_article(gazetteer):
    result = geomap("places", str(SEED_TEXT), "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    required = {"text", "start", "end", "name", "lat", "lon", "country", "admin1", "admin2",
                "geonameid", "feature_code", "confidence", "precision", "resolved",
                "needs_review", "alternatives"}
    assert all(required <= row.keys() for row in rows)
    plekhovo = next(r for r in rows if r["text"] == "Plekhovo")
    assert plekhovo["admin1"] == "Kursk Oblast" and plekhovo["precision"] == 1


def test_places_from_stdin_as_geojson(gazetteer):
    result = geomap("places", "-", "--format", "geojson",
                    stdin="Shelling hit Sudzha in Russia's Kursk region.")
    fc = json.loads(result.stdout)
    sudzha = next(f for f in fc["features"] if f["properties"]["text"] == "Sudzha")
    lon, lat = sudzha["geometry"]["coordinates"]
    assert 35 < lon < 36 and 51 < lat < 52  # RFC 7946 order: lon, lat


def test_bad_input_is_a_clear_error_not_a_traceback(tmp_path):
    result = geomap("places", str(tmp_path / "missing.txt"))
    assert result.returncode == 2
    assert "missing.txt" in result.stderr and "Traceback" not in result.stderr
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Kharkiv – Charków".encode("cp1250"))
    result = geomap("places", str(latin1))
    assert result.returncode == 2 and "not UTF-8" in result.stderr
