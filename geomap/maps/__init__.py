"""Interactive, self-contained maps of events, zones and boundaries (folium + Leaflet).

``build_map`` returns a :class:`folium.Map`; by default every script and style is
inlined so the saved HTML opens with no network.
"""

from __future__ import annotations

from geomap.maps.build import build_map

__all__ = ["build_map"]
