"""Record files read honestly: swallowed rows reported, wide encodings detected, stable
content ids, stale temp files cleaned, GeoNames zips streamed with caps (issue 16)."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.errors import InputError
from geomap.io import write_events
from geomap.records.read import read_records
from geomap.store import EventStore

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
GED = ROOT / "data" / "events" / "ucdp_ged_ukraine_excerpt.csv"

TWO_EVENTS = (
    "date,village,oblast,lat,lon,killed,actor\n"
    "2024-08-07,Sudzha,Kursk Oblast,51.1914,35.2706,2,Military Forces of Ukraine\n"
    "2024-12-14,Plekhovo,Kursk Oblast,51.1567,35.1636,30,Military Forces of Russia\n"
)


# --------------------------------------------------------------------------- quotes
def test_an_unbalanced_quote_reports_every_row_it_swallowed(tmp_path):
    path = tmp_path / "quote.csv"
    path.write_text(
        "event_date,latitude,longitude,location,notes\n"          # line 1
        "2024-08-06,51.19,35.27,Sudzha,fine\n"                    # line 2
        '2024-08-07,51.19,35.27,Sudzha,"opened and never closed\n'  # line 3
        "2024-08-08,51.19,35.27,Sudzha,swallowed\n"               # line 4
        "2024-08-09,51.19,35.27,Sudzha,swallowed too\n")          # line 5
    result = read_records(path, geocode=False)
    assert list(result.records["notes"]) == ["fine"]
    by_line = {p.line: p for p in result.errors}
    assert "unbalanced quote" in by_line[3].reason and "lines 3-5" in by_line[3].reason
    assert by_line[3].field == "notes"
    for line in (4, 5):
        assert "swallowed by the unbalanced quote opened on line 3" in by_line[line].reason


def test_a_legitimate_multi_line_value_is_kept(tmp_path):
    path = tmp_path / "multiline.csv"
    path.write_text("event_date,latitude,longitude,location,notes\n"
                    '2024-08-07,51.19,35.27,Sudzha,"first line\nsecond line"\n'
                    "2024-08-08,51.19,35.27,Sudzha,next\n")
    result = read_records(path, geocode=False)
    assert not result.errors
    assert list(result.records["notes"]) == ["first line\nsecond line", "next"]


# --------------------------------------------------------------------------- encodings
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be",
                                      "utf-32", "utf-16"])
def test_wide_encodings_with_or_without_bom_are_detected(tmp_path, encoding):
    text = GED.read_text("utf-8")
    path = tmp_path / "wide.csv"
    path.write_bytes(text.encode(encoding))
    expected = read_records(GED, geocode=False).records
    result = read_records(path, geocode=False)
    assert result.encoding.replace("-", "").startswith(encoding.replace("-", "")[:5])
    assert list(result.records["event_id"]) == list(expected["event_id"])
    assert list(result.records["location"]) == list(expected["location"])


def test_an_unknown_encoding_points_at_the_encoding_option(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_bytes(b"event_date,location\n2024-08-07,Sud\x00zha\x00\x00\n")
    with pytest.raises(InputError) as exc:
        read_records(path, geocode=False)
    assert "--encoding" in str(exc.value) and exc.value.line == 2


def test_the_encoding_parameter_overrides_detection(tmp_path):
    src = FIXTURES / "records" / "cp1251.csv"
    detected = read_records(src, geocode=False)
    given = read_records(src, geocode=False, encoding="cp1251")
    assert given.encoding == "cp1251"
    assert list(given.records["location"]) == list(detected.records["location"])
    with pytest.raises(InputError, match="cannot decode as the given utf-8"):
        read_records(src, geocode=False, encoding="utf-8")


# --------------------------------------------------------------------------- identity
def _variants(tmp_path) -> list[Path]:
    lines = TWO_EVENTS.splitlines()
    header = lines[0].split(",")
    rows = [ln.split(",") for ln in lines[1:]]
    order = [6, 4, 3, 0, 2, 1, 5]
    reordered = [",".join(header[i] for i in order)] + [",".join(r[i] for i in order)
                                                        for r in rows]
    extra = [lines[0] + ",comment"] + [ln + "," for ln in lines[1:]]
    ddmm = [lines[0]] + [ln.replace("2024-08-07", "07.08.2024").replace("2024-12-14", "14.12.2024")
                         for ln in lines[1:]]
    out = []
    for name, body in (("a", lines), ("b", reordered), ("c", extra), ("d", ddmm)):
        path = tmp_path / f"{name}.csv"
        path.write_text("\n".join(body) + "\n")
        out.append(path)
    return out


def test_reformatted_copies_of_two_events_stay_two_events(tmp_path):
    with EventStore(tmp_path / "s.gpkg") as store:
        ids = set()
        for path in _variants(tmp_path):
            result = read_records(path, geocode=False)
            assert not result.errors, result.problems
            ids |= set(result.records["event_id"])
            store.upsert(result.records)
        assert len(ids) == 2
        assert len(store) == 2


def test_repeated_rows_in_one_file_are_counted_not_dropped(tmp_path):
    path = tmp_path / "twice.csv"
    first = TWO_EVENTS.splitlines()[1]
    path.write_text(TWO_EVENTS + first + "\n")
    result = read_records(path, geocode=False)
    assert len(result.records) == 3 and not result.errors
    (warning,) = [p for p in result.warnings if "same content" in p.reason]
    assert warning.line == 4 and "as line 2" in warning.reason
    base = result.records["event_id"][0]
    assert result.records["event_id"][2] == f"{base}-2"
    # re-reading gives the same ids: re-ingesting adds nothing
    assert list(read_records(path, geocode=False).records["event_id"]) == \
        list(result.records["event_id"])


# --------------------------------------------------------------------------- temp files
def test_stale_temp_files_of_killed_writes_are_removed(tmp_path):
    events = read_records(GED, geocode=False).records.head(3)
    target = tmp_path / "out.geojson"
    dead = subprocess_pid_that_exited()
    stale = tmp_path / f".out.geojson.{dead}.k1ll3d.tmp.geojson"
    live = tmp_path / f".out.geojson.{os.getpid()}.busy.tmp.geojson"
    other = tmp_path / f".other.geojson.{dead}.x.tmp.geojson"
    for p in (stale, live, other):
        p.write_text("partial")
    write_events(events, target)
    assert target.exists()
    assert not stale.exists()  # its writer is gone
    assert live.exists()  # a running writer's file is left alone
    assert other.exists()  # another target's files are not ours to judge


def subprocess_pid_that_exited() -> int:
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


# --------------------------------------------------------------------------- zips
@pytest.fixture()
def index_copy(gazetteer, tmp_path):
    path = tmp_path / "index.sqlite"
    shutil.copy(gazetteer.path, path)
    return path


def _patch_zip(path: Path, flag_bits: int | None = None, method: int | None = None) -> None:
    """Set the general-purpose flags / compression method of every member in place."""
    data = bytearray(path.read_bytes())
    for sig, flag_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        start = 0
        while (i := data.find(sig, start)) >= 0:
            if flag_bits is not None:
                data[i + flag_at:i + flag_at + 2] = flag_bits.to_bytes(2, "little")
            if method is not None:
                data[i + method_at:i + method_at + 2] = method.to_bytes(2, "little")
            start = i + 4
    path.write_bytes(bytes(data))


def _zip(tmp_path, name, members: dict[str, bytes]) -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, data in members.items():
            zf.writestr(member, data)
    return path


def _import(index, path):
    from geomap.gazetteer.importer import import_geonames

    return import_geonames(index, [path], show_progress=False)


@pytest.mark.parametrize("flag_bits, method, message", [
    (0x1, None, "encrypted"),
    (None, 9, "compression method deflate64"),
])
def test_unreadable_zip_members_are_clear_errors(index_copy, tmp_path, flag_bits, method,
                                                 message):
    path = _zip(tmp_path, "RU.zip", {"RU.txt": (FIXTURES / "geonames" / "RU.txt").read_bytes()})
    _patch_zip(path, flag_bits, method)
    before = index_copy.read_bytes()
    with pytest.raises(InputError, match=message) as exc:
        _import(index_copy, path)
    assert exc.value.path == f"{path}:RU.txt"
    assert index_copy.read_bytes() == before


def test_a_zip_without_geonames_data_is_an_error(index_copy, tmp_path):
    path = _zip(tmp_path, "RU.zip", {"readme.txt": b"GeoNames readme", "notes.pdf": b"%PDF"})
    with pytest.raises(InputError, match="no GeoNames data file in the archive"):
        _import(index_copy, path)


@pytest.mark.parametrize("payload, message", [
    (b"a" * (24 << 20), "longer than 1,048,576 characters"),  # one 24 MiB line
    (b" " * 40 + b"\n", "inflates to more than"),  # many blank lines, ~1000x
])
def test_zip_bombs_stop_at_a_cap_without_reading_the_member(index_copy, tmp_path, payload,
                                                            message):
    from geomap.gazetteer import importer

    data = payload if len(payload) > 1000 else payload * ((12 << 20) // len(payload))
    path = _zip(tmp_path, "RU.zip", {"RU.txt": data})
    del data
    assert path.stat().st_size < 200_000  # highly compressible
    with pytest.raises(InputError, match=message) as exc:
        _import(index_copy, path)
    assert exc.value.path == f"{path}:RU.txt"
    assert importer.MAX_LINE_CHARS == 1 << 20


# --------------------------------------------------------------------------- formulas
@settings(max_examples=300, deadline=None, database=None)
@given(text=st.text(alphabet=st.sampled_from("'=+-@\t\r0123456789.eE xA"), max_size=8)
       | st.text(max_size=8))
def test_formula_neutralising_is_safe_and_exactly_undone(text):
    from geomap.io import neutralise_formula, restore_formula

    safe = neutralise_formula(text)
    assert restore_formula(safe) == text
    if safe[:1] in ("=", "+", "-", "@", "\t", "\r"):  # left alone only when a number
        float(safe)
