"""write_events/read_events: GeoJSON (RFC 7946), GeoPackage, CSV, KML; atomic writes; CLI export."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from geomap.errors import InputError
from geomap.io import read_events, write_events
from geomap.records.read import read_records
from geomap.schema import EVENT_COLUMNS, EventRecord, events_to_gdf

ROOT = Path(__file__).parent.parent
GED = ROOT / "data" / "events" / "ucdp_ged_ukraine_excerpt.csv"
FIX = Path(__file__).parent / "fixtures" / "records"


@pytest.fixture(scope="module")
def ged():
    return read_records(GED).records


@pytest.fixture
def hostile():
    """Events whose text would break naive XML/JSON/CSV writers."""
    return events_to_gdf([
        EventRecord("t:1", event_date="2024-12-16", location="Plekhovo <b>&</b>",
                    notes='He said "x < y" & <script>alert(1)</script>\nsecond line, with comma',
                    latitude=51.1, longitude=35.3333, confidence=0.9, fatalities_best=3),
        EventRecord("t:2", event_date="2024-12-16", location="Суджа", notes="кириллица; ё",
                    latitude=51.191, longitude=35.271, needs_review=True),
    ])


def test_geojson_is_rfc7946_and_readable_by_pyogrio(ged, tmp_path):
    path = write_events(ged, tmp_path / "ev.geojson")
    doc = json.loads(path.read_text())
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert len(doc["features"]) == len(ged)
    first = doc["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": [30.52333, 50.45]}  # lon, lat
    assert any("Sundberg" in a and "Davies" in a for a in doc["metadata"]["attribution"])
    back = pyogrio.read_dataframe(path)
    assert len(back) == len(ged)
    assert set(back.columns) == set(ged.columns)
    assert back["event_id"].tolist() == ged["event_id"].tolist()
    assert back["fatalities_best"].tolist() == ged["fatalities_best"].tolist()
    assert back.geometry.geom_equals_exact(ged.geometry, 1e-7).all()


@pytest.mark.parametrize("ext", ["geojson", "gpkg", "csv", "kml"])
def test_roundtrip_every_format(ged, tmp_path, ext):
    path = write_events(ged, tmp_path / f"ev.{ext}")
    back = read_events(path)
    assert list(back.columns) == EVENT_COLUMNS + ["geometry"]
    pd.testing.assert_frame_equal(pd.DataFrame(back.drop(columns="geometry")),
                                  pd.DataFrame(ged.drop(columns="geometry")), check_dtype=False)
    assert back.geometry.geom_equals_exact(ged.geometry, 1e-7).all()


@pytest.mark.parametrize("ext", ["geojson", "gpkg", "csv", "kml"])
def test_hostile_text_roundtrips(hostile, tmp_path, ext):
    path = write_events(hostile, tmp_path / f"h.{ext}")
    back = read_events(path)
    assert back["notes"].tolist() == hostile["notes"].tolist()
    assert back["location"].tolist() == hostile["location"].tolist()
    assert back["needs_review"].tolist() == [False, True]


def test_kml_is_escaped_xml_with_lon_lat(hostile, tmp_path):
    path = write_events(hostile, tmp_path / "h.kml")
    raw = path.read_text(encoding="utf-8")
    assert "<script>" not in raw and "&lt;script&gt;" in raw
    root = ET.parse(path).getroot()
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    coords = [c.text for c in root.iterfind(".//k:Placemark/k:Point/k:coordinates", ns)]
    assert coords == ["35.3333000,51.1000000", "35.2710000,51.1910000"]
    assert "geomap" in root.find("k:Document/k:description", ns).text


def test_csv_has_latitude_longitude(ged, tmp_path):
    path = write_events(ged, tmp_path / "ev.csv")
    df = pd.read_csv(path)
    assert list(df.columns) == EVENT_COLUMNS
    assert df["latitude"].tolist() == ged.geometry.y.tolist()
    assert df["longitude"].tolist() == ged.geometry.x.tolist()


def test_gpkg_carries_attribution(ged, tmp_path):
    path = write_events(ged, tmp_path / "ev.gpkg")
    meta = pyogrio.read_info(path)["dataset_metadata"]
    assert "Sundberg" in meta["attribution"]


def test_unknown_format_is_an_input_error(ged, tmp_path):
    with pytest.raises(InputError, match="format"):
        write_events(ged, tmp_path / "ev.shp")
    with pytest.raises(InputError, match="unknown format"):
        write_events(ged, tmp_path / "ev.out", format="parquet")


def test_read_events_strict_names_the_bad_line():
    with pytest.raises(InputError) as exc:
        read_events(FIX / "bad_rows.csv")
    assert exc.value.line == 4 and "more bad rows" in str(exc.value)


@pytest.mark.parametrize("ext", ["geojson", "gpkg", "csv", "kml"])
def test_failed_write_keeps_the_old_file(ged, tmp_path, monkeypatch, ext):
    path = tmp_path / f"ev.{ext}"
    write_events(ged.head(3), path)
    before = path.read_bytes()


    def explode(*args, **kwargs):
        # write a partial file first, like a writer that dies half-way
        target = next((a for a in args if isinstance(a, (str, os.PathLike))), None)
        if target is not None and str(target).endswith(f".tmp.{ext}"):
            Path(target).write_bytes(b"partial")
        raise RuntimeError("disk on fire")

    if ext in ("geojson", "gpkg"):
        monkeypatch.setattr(pyogrio, "write_dataframe", explode)
    elif ext == "csv":
        monkeypatch.setattr(pd.DataFrame, "to_csv", lambda self, fh, **kw: (fh.write("event_id,"),
                                                                           explode()))
    else:
        import geomap.io.kml

        # the KML writer streams: its header is on disk when a placemark fails
        monkeypatch.setattr(geomap.io.kml, "_kml_placemark", lambda *a: explode())
    with pytest.raises(RuntimeError, match="disk on fire"):
        write_events(ged, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_killed_writer_never_leaves_a_truncated_file(ged, tmp_path):
    """SIGKILL the writing process half-way: the old file stays whole."""
    path = tmp_path / "ev.geojson"
    write_events(ged.head(3), path)
    before = path.read_bytes()
    script = textwrap.dedent(f"""
        import json, os, signal
        import geomap.io as gio
        from geomap.records.read import read_records
        gdf = read_records({str(GED)!r}).records
        import pyogrio
        def write_half_then_die(df, target, **kw):
            with open(target, "w") as fh:  # a writer killed half-way through
                fh.write('{{"type": "FeatureCollection", "features": [{{"type": "Fea')
                fh.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        pyogrio.write_dataframe = write_half_then_die
        gio.write_events(gdf, {str(path)!r})
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True)
    assert proc.returncode == -9, proc.stderr.decode()
    assert path.read_bytes() == before
    json.loads(path.read_text())  # still complete
    leftovers = [p.name for p in tmp_path.iterdir() if p != path]
    assert all(name.startswith(".ev.geojson.") for name in leftovers)


def test_cli_export_from_files(tmp_path, capsys):
    from geomap.cli import main

    out = tmp_path / "out.kml"
    assert main(["export", str(GED), "-o", str(out)]) == 0
    assert len(read_events(out)) == 231
    assert main(["export", str(GED), "-o", str(tmp_path / "x.txt")]) == 2
    assert "cannot tell the format" in capsys.readouterr().err


@pytest.mark.parametrize("ext", ["geojson", "gpkg", "csv", "kml"])
def test_empty_roundtrip(tmp_path, ext):
    path = write_events(events_to_gdf([]), tmp_path / f"empty.{ext}")
    back = read_events(path)
    assert len(back) == 0 and list(back.columns) == EVENT_COLUMNS + ["geometry"]
