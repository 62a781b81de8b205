"""Moved to :mod:`geomap.records` (``read_records``, layouts, validation) and
:mod:`geomap.schema` (``events_to_gdf`` and the column kinds); kept so older imports
keep working."""

from __future__ import annotations

from geomap.records.layouts import (  # noqa: F401
    GED_DATE_PRECISION,
    GED_TO_ACLED_PRECISION,
    GED_VIOLENCE_TYPES,
    detect_layout,
    layout_mapping,
    parse_columns_spec,
)
from geomap.records.read import RecordsResult, read_records  # noqa: F401
from geomap.records.validate import Problem, content_event_id  # noqa: F401
from geomap.schema import (  # noqa: F401
    BOOL_COLUMNS,
    DATE_COLUMNS,
    EVENT_COLUMNS,
    FLOAT_COLUMNS,
    INT_COLUMNS,
    STR_COLUMNS,
    EventRecord,
    as_dates,
    events_to_gdf,
    iso_dates,
    point_coords,
    points_from_latlon,
)
from geomap.values import infer_dayfirst, parse_date  # noqa: F401
