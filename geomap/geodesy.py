"""Distances on the Earth: the ground floor every room that measures imports.

``haversine_km`` is the great-circle distance used for ranking and for "the same place
within N km" decisions; metre-accurate distances and buffers use ``pyproj.Geod`` (the
ellipsoid) where the figure is shown or filtered on.
"""

from __future__ import annotations

import math

EARTH_KM = 6371.0088  # mean Earth radius (IUGG)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two (lat, lon) points in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return EARTH_KM * 2 * math.asin(math.sqrt(min(1.0, a)))
