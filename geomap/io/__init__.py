"""Readers and writers for every events format, one module per format family.

- ``events``: ``write_events`` / ``read_events`` / ``detect_format`` (the entry points);
- ``geojson``, ``gpkg``, ``csv``, ``kml``: one writer each (``kml`` also reads placemarks;
  ``csv`` also holds the formula escaping of spreadsheet cells);
- ``tables``: ``read_table`` for CSV/TSV, XLSX and vector files, ``encoding`` the text
  encoding detection it uses, ``problems`` the ``Problem`` rows they report;
- ``atomic``: atomic writes (``atomic_path``, ``atomic_open``, ``check_output_path``);
- ``provenance``: generator/time/attribution metadata.

Every write goes to a temporary file next to the target and is moved into place with
``os.replace``: a killed process leaves the old file (or none), never a truncated one.
"""

from __future__ import annotations

from geomap.io.atomic import atomic_open, atomic_path, check_output_path, remove_stale_temps
from geomap.io.csv import neutralise_formula, neutralise_formulas, restore_formula, write_csv
from geomap.io.events import FORMATS, detect_format, read_events, write_events
from geomap.io.gpkg import GPKG_DATASET_OPTIONS
from geomap.io.kml import KML_NS, kml_to_frame, read_kml
from geomap.io.problems import Problem
from geomap.io.provenance import ACLED_ATTRIBUTION, UCDP_ATTRIBUTION, provenance
from geomap.io.tables import Table, read_table
from geomap.values import jsonable

__all__ = [
    "ACLED_ATTRIBUTION", "FORMATS", "GPKG_DATASET_OPTIONS", "KML_NS", "UCDP_ATTRIBUTION",
    "Problem", "Table", "atomic_open", "atomic_path", "check_output_path",
    "detect_format", "jsonable", "kml_to_frame", "neutralise_formula", "neutralise_formulas",
    "provenance", "read_events", "read_kml", "read_table", "remove_stale_temps",
    "restore_formula", "write_csv", "write_events",
]
