"""The wheel carries its data; the index cache fails in one line or recovers (issues #10, #16)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from geomap.gazetteer.index import SCHEMA_VERSION
from tests.conftest import ROOT


def _cli(*args: str, env: dict | None = None, cwd: Path | None = None):
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "geomap", *args], capture_output=True,
                          text=True, env=full_env, cwd=cwd, timeout=900)


def _one_error_line(result) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("geomap: error: "), result.stderr
    return lines[0]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out),
                    str(ROOT)], check=True, capture_output=True, timeout=600)
    return next(out.glob("geomap-*.whl"))


def test_wheel_ships_every_data_and_gazetteer_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("data", "gazetteer"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                rel = path.relative_to(ROOT).as_posix()
                assert f"geomap/_data/{rel}" in names, rel
    assert "geomap/maps/static/geomap.js" in names


def test_installed_wheel_reads_its_own_data_not_the_checkout(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = ("import geomap.paths as p, geomap.boundaries as b;"
            "print(p.gazetteer_dir()); print(p.data_dir()); print(len(b.countries()))")
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, cwd=tmp_path, check=True).stdout.splitlines()
    assert out[0] == str(site / "geomap" / "_data" / "gazetteer")
    assert out[1] == str(site / "geomap" / "_data" / "data")
    assert int(out[2]) > 0


def test_source_checkout_reads_the_top_level_folders():
    from geomap.paths import data_dir, gazetteer_dir

    assert gazetteer_dir() == ROOT / "gazetteer" and data_dir() == ROOT / "data"


def test_cache_dir_defaults_to_the_platform_user_cache(tmp_path):
    code = "import geomap.paths as p; print(p.cache_dir())"
    env = {k: v for k, v in os.environ.items() if k not in ("GEOMAP_HOME", "XDG_CACHE_HOME")}
    env.update(HOME=str(tmp_path), PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True).stdout.strip()
    assert out == str(tmp_path / ".cache" / "geomap")


def test_geomap_home_pointing_at_a_file_is_one_error_line(tmp_path):
    home = tmp_path / "not-a-folder"
    home.write_text("x")
    line = _one_error_line(_cli("gazetteer", "search", "Sudzha", env={"GEOMAP_HOME": str(home)}))
    assert str(home) in line and "not a directory" in line
    assert home.read_text() == "x"


def test_an_uncreatable_cache_folder_is_one_error_line():
    # /proc refuses new folders even to root (a read-only HOME does the same to a user)
    line = _one_error_line(_cli("gazetteer", "search", "Sudzha",
                                env={"GEOMAP_HOME": "/proc/geomap-cache"}))
    assert "/proc/geomap-cache" in line and "GEOMAP_HOME" in line


def test_a_stale_index_in_an_unwritable_folder_is_one_error_line(tmp_path):
    if os.geteuid() == 0:  # root writes anywhere; the same OSError path as a read-only HOME
        home = Path("/proc/self")
        index = home / f"gazetteer-v{SCHEMA_VERSION}.sqlite"
        assert not index.exists()
    else:
        home = tmp_path / "home"
        home.mkdir()
        con = sqlite3.connect(home / f"gazetteer-v{SCHEMA_VERSION}.sqlite")
        con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        con.execute("INSERT INTO meta VALUES ('fingerprint', 'old')")
        con.commit()
        con.close()
        home.chmod(0o555)
    line = _one_error_line(_cli("gazetteer", "search", "Sudzha", env={"GEOMAP_HOME": str(home)}))
    assert "cannot build the gazetteer index" in line and "GEOMAP_HOME" in line


def test_is_damaged_checks_only_a_changed_file(gazetteer, tmp_path):
    from geomap.gazetteer.index import is_damaged, mark_verified

    copy = tmp_path / f"gazetteer-v{SCHEMA_VERSION}.sqlite"
    shutil.copyfile(gazetteer.path, copy)
    assert not is_damaged(copy)
    assert copy.with_suffix(".verified").exists()
    _corrupt_middle(copy)
    assert is_damaged(copy)
    mark_verified(copy)  # a stamp written after the damage trusts it (that is what it is for)
    assert not is_damaged(copy)


def _corrupt_middle(path: Path) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.seek(size // 2 - (size // 2) % 4096)
        fh.write(b"\xde\xad\xbe\xef" * 4096)


def test_damaged_index_and_killed_build_leftovers_are_repaired_at_the_next_run(
        gazetteer, tmp_path):
    """'database disk image is malformed' mid-file: detected, rebuilt, one plain line."""
    home = tmp_path / "home"
    home.mkdir()
    index = home / f"gazetteer-v{SCHEMA_VERSION}.sqlite"
    shutil.copyfile(gazetteer.path, index)
    _corrupt_middle(index)
    leftover = home / f"gazetteer-v{SCHEMA_VERSION}.building-999999"
    leftover.write_bytes(b"half a build")

    result = _cli("gazetteer", "search", "Plekhovo", "--limit", "1",
                  env={"GEOMAP_HOME": str(home)})
    assert result.returncode == 0, result.stderr
    assert "Plekhovo" in result.stdout and "Kursk Oblast" in result.stdout
    notices = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr
    assert notices[0].startswith("geomap: the gazetteer index") and "damaged" in notices[0]
    # off a terminal the build is one plain line: what it builds and how long it took
    assert len(notices) == 2
    assert notices[1].startswith(f"geomap: building the gazetteer index {index}")
    assert notices[1].rstrip().endswith(" s") and "done in" in notices[1]
    assert not leftover.exists()
    con = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
    assert con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    con.close()

    again = _cli("gazetteer", "search", "Plekhovo", "--limit", "1",
                 env={"GEOMAP_HOME": str(home)})
    assert again.returncode == 0 and again.stderr == ""


def test_damage_met_mid_query_is_one_error_and_rechecked_next_time(gazetteer, tmp_path):
    from geomap.errors import GeomapError
    from geomap.gazetteer import Gazetteer
    from geomap.gazetteer.index import mark_verified

    copy = tmp_path / f"gazetteer-v{SCHEMA_VERSION}.sqlite"
    shutil.copyfile(gazetteer.path, copy)
    page = 4096
    size = copy.stat().st_size
    with open(copy, "r+b") as fh:  # every page but the schema page: whatever is read is bad
        for offset in range(page, size, page * 8):
            fh.seek(offset)
            fh.write(b"\xde\xad\xbe\xef" * (page // 4))
    mark_verified(copy)  # as if damaged behind geomap's back (same size and mtime stamp)
    gz = Gazetteer(copy, rebuild=False)
    with pytest.raises(GeomapError, match="is damaged .*geomap gazetteer build"):
        for name in ("Sudzha", "Kharkiv", "Plekhovo", "Vorozhba", "Nowhereville"):
            gz.search(name)
    assert not copy.with_suffix(".verified").exists()  # the next open checks it again
