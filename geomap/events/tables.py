"""Moved to :mod:`geomap.io.tables` (``read_table``), :mod:`geomap.io.encoding`
(``decode_bytes``), :mod:`geomap.io.kml` (``read_kml``) and :mod:`geomap.io.problems`
(``Problem``); kept so older imports keep working."""

from __future__ import annotations

from geomap.io.encoding import ENCODING_HINT, decode_bytes, sniff_wide_encoding  # noqa: F401
from geomap.io.kml import read_kml  # noqa: F401
from geomap.io.problems import Problem  # noqa: F401
from geomap.io.tables import (  # noqa: F401
    MAX_HEADER_CELL,
    SPREADSHEET_SUFFIXES,
    VECTOR_SUFFIXES,
    Table,
    is_delimited_text,
    read_table,
)
