"""Moved to :mod:`geomap.records.join`; kept so older imports keep working."""

from __future__ import annotations

from geomap.records.join import (  # noqa: F401
    LINK_COLUMNS,
    actor_sides,
    distinct_events,
    join_events,
)
