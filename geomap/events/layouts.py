"""Moved to :mod:`geomap.records.layouts`; kept so older imports keep working."""

from __future__ import annotations

from geomap.records.layouts import (  # noqa: F401
    ACLED_COLUMNS,
    GED_DATE_PRECISION,
    GED_TO_ACLED_PRECISION,
    GED_VIOLENCE_TYPES,
    UCDP_COLUMNS,
    detect_layout,
    layout_mapping,
    parse_columns_spec,
    to_layout,
)
