"""The rooms of the tables-and-files half (issue #11): ground floor below, each module
importable first in a fresh interpreter (no cycle at load time between io and records)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# geomap.records reads through geomap.io.tables while geomap.io writes ACLED/UCDP layouts
# with geomap.records.layouts: whichever is imported first must load.
FIRST_IMPORTS = [
    "geomap.schema", "geomap.io", "geomap.io.tables", "geomap.io.kml", "geomap.io.events",
    "geomap.records", "geomap.records.read", "geomap.records.layouts", "geomap.records.validate",
    "geomap.records.join", "geomap.records.geocode", "geomap.places", "geomap.store",
    "geomap.cli.records",
]


@pytest.mark.parametrize("module", FIRST_IMPORTS)
def test_module_imports_first_in_a_fresh_interpreter(module):
    result = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True,
                            text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert result.returncode == 0, result.stderr


def _geomap_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("geomap"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("geomap")}
    return found


@pytest.mark.parametrize(("module", "allowed"), [
    ("schema.py", {"geomap.errors", "geomap.values"}),
    ("values.py", set()),
])
def test_the_ground_floor_imports_nothing_above_it(module, allowed):
    assert _geomap_imports(ROOT / "geomap" / module) <= allowed


def test_read_records_is_the_same_function_under_every_name():
    import geomap
    from geomap.records import read_records
    from geomap.records.read import read_records as defined

    assert geomap.read_records is read_records is defined
