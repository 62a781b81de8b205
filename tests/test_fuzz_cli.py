"""Hypothesis-generated input files of every kind through the command line (issue 16).

Whatever the bytes, a command ends with exit 0 (or 1: some rows rejected), or exit 2 and
exactly one ``geomap: error:`` line; never a traceback or an internal error; and a
failed command leaves an existing store (and the gazetteer index) byte for byte as it
was.  Example counts are small and fixed so the file runs in well under a minute.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geomap.cli import main
from geomap.store import EventStore

ROOT = Path(__file__).resolve().parents[1]
GED = ROOT / "data" / "events" / "ucdp_ged_ukraine_excerpt.csv"
SEED = ROOT / "data" / "articles" / "kursk_2024-12-16_north_korean_casualties.txt"

FUZZ = settings(max_examples=20, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

# --------------------------------------------------------------------------- strategies
NASTY = ["", " ", '"', '""', "'", ",", ";", "\t", "\n", "\r\n", "\x00", "\x1b[31m", "\u200b",
         "\ufeff", "\u202e", "nan", "inf", "-5", "1e309", "=cmd|' /C calc'!A0", "<b>x</b>",
         "2024-08-07", "07.08.2024", "13/13/2024", "51.19", "35.27", "999", "Sudzha",
         "Kursk Oblast", "Плёхово", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "\ud800"]
COLUMNS = ["event_date", "date", "latitude", "longitude", "lat", "lon", "location", "village",
           "admin1", "oblast", "country", "event_id", "notes", "fatalities", "killed",
           "confidence", "actor1", "where_coordinates", "", "event_date"]
cell = st.one_of(st.sampled_from(NASTY), st.text(max_size=12))


@st.composite
def csv_bytes(draw) -> bytes:
    header = draw(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=7))
    rows = draw(st.lists(st.lists(cell, min_size=0, max_size=len(header) + 2), max_size=6))
    sep = draw(st.sampled_from([",", ";", "\t"]))
    text = "\n".join(sep.join(r) for r in [header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32",
                                     "cp1251", "latin-1"]))
    raw = text.encode(encoding, errors="surrogatepass" if encoding.startswith("utf")
                      else "replace")
    if draw(st.booleans()):  # damage: truncate or splice random bytes
        cut = draw(st.integers(0, len(raw)))
        raw = raw[:cut] + draw(st.binary(max_size=16))
    return raw


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                   max_size=3),
    max_leaves=12)


@st.composite
def geojson_bytes(draw) -> bytes:
    props = draw(st.dictionaries(st.sampled_from(COLUMNS), st.one_of(cell, json_values),
                                 max_size=5))
    coords = draw(st.one_of(
        st.lists(st.one_of(st.floats(), st.integers(), st.text(max_size=3)), max_size=3),
        json_values))
    geometry = draw(st.one_of(st.none(), st.just({"type": "Point", "coordinates": coords}),
                              st.fixed_dictionaries({"type": st.sampled_from(
                                  ["Point", "LineString", "Polygon", "Nope"]),
                                  "coordinates": json_values})))
    doc = draw(st.sampled_from(["collection", "feature", "junk"]))
    if doc == "junk":
        obj = draw(json_values)
    else:
        feature = {"type": "Feature", "geometry": geometry, "properties": props}
        obj = feature if doc == "feature" else {"type": "FeatureCollection",
                                               "features": [feature] * draw(st.integers(0, 3))}
    raw = json.dumps(obj, allow_nan=True).encode()
    if draw(st.booleans()):
        raw = raw[:draw(st.integers(0, len(raw)))]
    return raw


@st.composite
def kml_bytes(draw) -> bytes:
    pieces = []
    for _ in range(draw(st.integers(0, 3))):
        coords = draw(st.sampled_from(["35.27", "35.27,51.19", "35.27,51.19,0", "a,b", "",
                                       "1e400,2", "35.27,51.19 36,50", ",,,"]))
        data = "".join(f'<Data name="{draw(st.sampled_from(COLUMNS))}"><value>'
                       f'{draw(st.sampled_from(NASTY[:14] + NASTY[20:]))}</value></Data>'
                       for _ in range(draw(st.integers(0, 3))))
        pieces.append(f"<Placemark><name>{draw(st.text(max_size=8))}</name><ExtendedData>"
                      f"{data}</ExtendedData><Point><coordinates>{coords}</coordinates></Point>"
                      "</Placemark>")
    body = "".join(pieces)
    prolog = draw(st.sampled_from(["", '<?xml version="1.0"?>',
                                   '<!DOCTYPE kml [<!ENTITY e "x">]>']))
    text = f'{prolog}<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{body}</Document></kml>'
    raw = text.encode("utf-8", errors="surrogatepass")
    if draw(st.booleans()):
        raw = raw[:draw(st.integers(0, len(raw)))] + draw(st.binary(max_size=8))
    return raw


@st.composite
def gpkg_bytes(draw) -> bytes:
    head = draw(st.sampled_from([b"SQLite format 3\x00", b"", b"GP\x00\x01", b"PK\x03\x04"]))
    return head + draw(st.binary(max_size=600))


@st.composite
def zip_bytes(draw) -> bytes:
    buf = io.BytesIO()
    names = ["RU.txt", "readme.txt", "alternateNamesV2.txt", "admin2Codes.txt", "x.bin",
             "cities500.txt"]
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for _ in range(draw(st.integers(0, 3))):
            lines = draw(st.lists(st.lists(cell, max_size=20).map("\t".join), max_size=4))
            content = draw(st.one_of(st.binary(max_size=64),
                                     st.just("\n".join(lines).encode("utf-8", "replace"))))
            zf.writestr(draw(st.sampled_from(names)), content)
    raw = buf.getvalue()
    if draw(st.booleans()):
        raw = raw[:draw(st.integers(0, len(raw)))]
    return raw


# --------------------------------------------------------------------------- harness
def run(capsys, *args) -> tuple[int, str]:
    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:  # argparse
        code = exc.code
    return code, capsys.readouterr().err


def assert_clean(code: int, err: str, allowed=(0, 1, 2)) -> None:
    assert "Traceback" not in err and "internal error" not in err, err
    assert code in allowed, err
    if code == 2:
        errors = [ln for ln in err.splitlines() if ln.startswith("geomap: error:")]
        assert len(errors) == 1, err
    assert "\x1b" not in err and "\x00" not in err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("store") / "events.gpkg"
    assert main(["ingest", str(GED), "--store", str(path)]) == 0
    return path


# --------------------------------------------------------------------------- tests
@FUZZ
@given(raw=csv_bytes())
def test_fuzz_csv(capsys, tmp_path, store, raw):
    src = tmp_path / "in.csv"
    src.write_bytes(raw)
    before = digest(store)
    code, err = run(capsys, "ingest", src, "--store", store, "--no-geocode",
                    "-o", tmp_path / "nodir" / "out.csv")
    assert_clean(code, err, allowed=(2,))  # the output cannot be written: nothing stored
    assert digest(store) == before
    with EventStore(store) as st_before:
        count = len(st_before)
    code, err = run(capsys, "ingest", src, "--store", store, "--no-geocode")
    assert_clean(code, err)
    if code == 2:
        assert digest(store) == before
    with EventStore(store) as st_after:
        assert len(st_after) >= count  # ingest adds or updates, never loses
    code, err = run(capsys, "export", src, "-o", tmp_path / "out.csv")
    assert_clean(code, err)


@FUZZ
@given(raw=geojson_bytes())
def test_fuzz_geojson(capsys, tmp_path, raw):
    src = tmp_path / "in.geojson"
    src.write_bytes(raw)
    code, err = run(capsys, "export", src, "-o", tmp_path / "out.kml")
    assert_clean(code, err)


@FUZZ
@given(raw=kml_bytes())
def test_fuzz_kml(capsys, tmp_path, raw):
    src = tmp_path / "in.kml"
    src.write_bytes(raw)
    code, err = run(capsys, "export", src, "-o", tmp_path / "out.geojson")
    assert_clean(code, err)


@FUZZ
@given(raw=gpkg_bytes())
def test_fuzz_gpkg_bytes_as_input_and_as_store(capsys, tmp_path, raw):
    src = tmp_path / "in.gpkg"
    src.write_bytes(raw)
    code, err = run(capsys, "export", src, "-o", tmp_path / "out.geojson")
    assert_clean(code, err)
    before = src.read_bytes()
    code, err = run(capsys, "export", "--store", src, "-o", tmp_path / "out.csv")
    assert_clean(code, err, allowed=(0, 2))
    assert src.read_bytes() == before  # reading a store never changes it
    code, err = run(capsys, "ingest", GED, "--store", src, "--no-geocode")
    assert_clean(code, err)
    if code == 2:
        assert src.read_bytes() == before


@FUZZ
@given(sidecar=st.one_of(json_values.map(json.dumps), st.text(max_size=40),
                         st.fixed_dictionaries({"published": st.one_of(cell, json_values)})
                         .map(json.dumps)))
def test_fuzz_article_sidecar(capsys, tmp_path, sidecar):
    article = tmp_path / "story.txt"
    shutil.copy(SEED, article)
    (tmp_path / "story.json").write_text(sidecar, "utf-8", errors="surrogatepass")
    code, err = run(capsys, "events", article, "-o", tmp_path / "out.geojson")
    assert_clean(code, err, allowed=(0, 2))


@pytest.fixture(scope="module")
def private_index(gazetteer, tmp_path_factory):
    from geomap.gazetteer import Gazetteer

    path = tmp_path_factory.mktemp("gz") / "index.sqlite"
    shutil.copy(gazetteer.path, path)
    return Gazetteer(path, rebuild=False)


@settings(FUZZ, max_examples=15)
@given(raw=zip_bytes())
def test_fuzz_geonames_zip(capsys, tmp_path, monkeypatch, private_index, raw):
    from geomap.gazetteer import Gazetteer

    monkeypatch.setattr(Gazetteer, "_default", private_index)
    src = tmp_path / "RU.zip"
    src.write_bytes(raw)
    before = digest(private_index.path)
    code, err = run(capsys, "gazetteer", "import", src)
    assert_clean(code, err, allowed=(0, 2))
    if code == 2:
        assert digest(private_index.path) == before
