"""Moved to :mod:`geomap.schema` (the ground floor); kept so older imports keep working."""

from __future__ import annotations

from geomap.schema import (  # noqa: F401 (re-exported)
    EVENT_COLUMNS,
    EVENT_TYPES,
    STORE_COLUMNS,
    VERIFICATION_STATES,
    EventRecord,
)
