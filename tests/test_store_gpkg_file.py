"""The GeoPackage store as a file: GDAL-valid, true metadata, no sidecar, same reads (#10)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pyogrio
import pytest

from geomap.cli import main
from geomap.io import read_events
from geomap.schema import STORE_COLUMNS
from geomap.store import EventStore

ROOT = Path(__file__).resolve().parents[1]
GED = ROOT / "data" / "events" / "ucdp_ged_ukraine_excerpt.csv"
ARTICLE = ROOT / "data" / "articles" / "kursk_2024-12-16_north_korean_casualties.txt"
# Debian's GDAL 3.6 (apt-get install gdal-bin python3-gdal; .ci/run installs it)
VALIDATOR = Path("/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py")


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("store")
    text = folder / "text.geojson"
    assert main(["events", str(ARTICLE), "-o", str(text)]) == 0
    path = folder / "s.gpkg"
    assert main(["ingest", str(GED), "--store", str(path)]) == 0
    assert main(["ingest", str(text), "--store", str(path)]) == 0
    return path


def validate(path: Path) -> subprocess.CompletedProcess:
    assert VALIDATOR.exists(), "install Debian's GDAL: apt-get install gdal-bin python3-gdal"
    return subprocess.run(["/usr/bin/python3", str(VALIDATOR), str(path)],
                          capture_output=True, text=True, timeout=300)


def test_store_and_exported_gpkg_pass_gdal_validator(store, tmp_path):
    result = validate(store)
    assert result.returncode == 0, result.stdout + result.stderr
    exported = tmp_path / "e.gpkg"
    assert main(["export", "--store", str(store), "-o", str(exported)]) == 0
    result = validate(exported)
    assert result.returncode == 0, result.stdout + result.stderr


def test_metadata_stays_true_after_every_write(store):
    def meta():
        return pyogrio.read_info(store, layer="events")["dataset_metadata"]

    m = meta()
    assert int(m["records"]) == 237
    assert json.loads(m["sources"]) == {"text": 6, "ucdp": 231}
    attribution = json.loads(m["attribution"])
    assert any("UCDP" in a and "CC BY 4.0" in a for a in attribution)
    assert any("geoparsed from news" in a for a in attribution)
    assert "CC BY 4.0 (UCDP GED)" in json.loads(m["licences"])
    with EventStore(store) as s:
        text_ids = [i for i in s.read()["event_id"] if not i.startswith("ucdp:")]
        assert s.delete(text_ids) == 6
    m = meta()
    assert int(m["records"]) == 231 and json.loads(m["sources"]) == {"ucdp": 231}
    assert not any("geoparsed" in a for a in json.loads(m["attribution"]))
    assert main(["ingest", str(store.parent / "text.geojson"), "--store", str(store)]) == 0
    assert int(meta()["records"]) == 237


def test_reading_the_store_file_equals_reading_the_store(store):
    from_file = read_events(store)
    with EventStore(store) as s:
        from_store = s.read()
    assert list(from_file.columns) == list(from_store.columns)
    assert not set(STORE_COLUMNS) & set(from_file.columns)
    assert from_file["event_id"].tolist() == from_store["event_id"].tolist()
    assert not list(store.parent.glob("*.aux.xml"))  # reading left no sidecar
