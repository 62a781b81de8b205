"""geomap: conflict news → place mentions → resolved places → events → maps and exports.

The public API is imported lazily so that ``import geomap`` and CLI start-up stay fast::

    import geomap
    mentions = geomap.geoparse(text, published="2024-12-16")
    events = geomap.extract_events(text, published="2024-12-16")
    gdf = geomap.events_to_gdf(events)
    near = geomap.filter_events(gdf, within_km=("Sudzha", 20))
    geomap.build_map(near, buffers={"Sudzha": 10}).save("map.html")
    geomap.OfflineGeocoder().geocode("Plekhovo, Kursk Oblast")  # a geopy geocoder, offline
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    "Gazetteer": "geomap.gazetteer",
    "Place": "geomap.gazetteer",
    "Candidate": "geomap.gazetteer",
    "geoparse": "geomap.geoparse",
    "PlaceMention": "geomap.geoparse",
    "EventRecord": "geomap.schema",
    "EVENT_COLUMNS": "geomap.schema",
    "extract_events": "geomap.events.extract",
    "read_records": "geomap.records.read",
    "events_to_gdf": "geomap.schema",
    "geocode_table": "geomap.records.geocode",
    "join_events": "geomap.records.join",
    "filter_events": "geomap.spatial.filters",
    "buffer_zones": "geomap.spatial.zones",
    "border_zones": "geomap.spatial.zones",
    "build_map": "geomap.maps",
    "read_events": "geomap.io",
    "write_events": "geomap.io",
    "EventStore": "geomap.store",
    "OfflineGeocoder": "geomap.geocoder",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'geomap' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
