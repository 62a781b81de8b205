"""Distances, local projections and buffers in metres: the ground floor every room that measures imports.

* ``haversine_km`` — the great-circle distance used for ranking and for "the same place
  within N km" decisions (scalars, or numpy arrays);
* ``nearest_km`` — for each of some points, the haversine distance to the nearest of
  others and its index (what ``haversine_km``'s matrix and ``argmin`` give, without numpy
  for the few-point sets of one text);
* ``distance_m`` / ``distance_km`` — WGS84 geodesic distances (``pyproj.Geod``), vectorised,
  NaN in → NaN out: the figure shown or filtered on;
* ``destination`` and ``line_lengths_m`` — the geodesic direct problem and path lengths;
* ``local_crs`` — an azimuthal-equidistant projection centred on a point (metres), for
  buffering, simplifying and scale bars near it;
* ``geodesic_circles`` and ``line_buffer_m`` — buffers of points and long lines in metres.

numpy, pyproj and shapely are imported where they are used: the gazetteer imports this
module for ``haversine_km`` and its start-up stays free of them (about 0.2 s).
"""

from __future__ import annotations

import math
from functools import lru_cache
from itertools import chain

EARTH_KM = 6371.0088  # mean Earth radius (IUGG)
WGS84 = "EPSG:4326"
_RADIANS = math.pi / 180.0  # math.radians and numpy.radians multiply by this
_DIAMETER_KM = EARTH_KM * 2
_NUMPY_PAIRS = 400  # from this many point pairs on, one numpy matrix is the faster way


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km between (lat, lon) points in degrees.

    Scalars give a float; arrays (broadcast against each other) give an array.
    """
    if type(lat1) is float and type(lat2) is float and type(lon1) is float \
            and type(lon2) is float or isinstance(lat1, float | int) \
            and isinstance(lat2, float | int) and isinstance(lon1, float | int) \
            and isinstance(lon2, float | int):
        p1, p2 = math.radians(lat1), math.radians(lat2)
        dp, dl = p2 - p1, math.radians(lon2 - lon1)
        a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        return EARTH_KM * 2 * math.asin(math.sqrt(min(1.0, a)))
    import numpy as np

    p1, p2 = np.radians(np.asarray(lat1, float)), np.radians(np.asarray(lat2, float))
    dp, dl = p2 - p1, np.radians(np.asarray(lon2, float) - np.asarray(lon1, float))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return EARTH_KM * 2 * np.arcsin(np.sqrt(np.minimum(1.0, a)))


def nearest_km(points: list[tuple[float, float]], others: list[tuple[float, float]],
               skip: list[set[int] | None] | None = None) -> list[tuple[float, int]]:
    """For each (lat, lon) of ``points``, (km, index) of the nearest of ``others``.

    Exactly what ``haversine_km``'s points x others matrix and ``argmin(axis=1)`` give
    (the same floats; the first index on ties): ``skip[r]`` holds the indexes of
    ``others`` that do not count for point r (they count as infinitely far, so a point
    with none left gets ``(inf, 0)``).  Few pairs are computed with ``math`` (numpy's
    per-call cost dominates there), many with one numpy matrix.
    """
    if not points:
        return []
    if not others:
        raise ValueError("nearest_km needs at least one other point")
    if len(points) * len(others) >= _NUMPY_PAIRS or not all(
            map(math.isfinite, chain(*points, *others))):
        return _nearest_numpy(points, others, skip)
    sin, asin, sqrt, cos = math.sin, math.asin, math.sqrt, math.cos
    columns = [(lat * _RADIANS, cos(lat * _RADIANS), lon) for lat, lon in others]
    out = []
    for r, (lat, lon) in enumerate(points):
        p1 = lat * _RADIANS
        c1 = cos(p1)
        gone = skip[r] if skip else None
        best, best_k, best_a = math.inf, 0, math.inf
        for k, (p2, c2, lon2) in enumerate(columns):
            if gone and k in gone:
                continue
            s = sin((p2 - p1) / 2)
            t = sin((lon2 - lon) * _RADIANS / 2)
            a = s * s + c1 * c2 * (t * t)
            # km is a non-decreasing function of a (sqrt and asin are monotonic): a pair
            # with a larger a than the best one's cannot be strictly nearer, so its km is
            # not worked out (the same answer, ties included)
            if a > best_a:
                continue
            km = _DIAMETER_KM * asin(sqrt(a if a < 1.0 else 1.0))
            if km < best:
                best, best_k, best_a = km, k, a
        out.append((best, best_k))
    return out


def _nearest_numpy(points, others, skip) -> list[tuple[float, int]]:
    import numpy as np

    lat1, lon1 = np.array(points, float).T
    lat2, lon2 = np.array(others, float).T
    km = haversine_km(lat1[:, None], lon1[:, None], lat2[None, :], lon2[None, :])
    for r, gone in enumerate(skip or ()):
        if gone:
            km[r, list(gone)] = np.inf
    best = km.argmin(axis=1)
    return list(zip(km[np.arange(len(points)), best].tolist(), best.tolist(), strict=True))


@lru_cache(maxsize=1)
def geod():
    """The one ``pyproj.Geod`` (WGS84 ellipsoid) every geodesic computation uses."""
    from pyproj import Geod

    return Geod(ellps="WGS84")


def distance_m(lat1, lon1, lat2, lon2):
    """WGS84 geodesic distances in metres between (lat, lon) points (broadcast).

    A scalar for scalar input, else an array; a NaN coordinate gives NaN.
    """
    import numpy as np

    arrays = np.broadcast_arrays(*(np.asarray(v, float) for v in (lat1, lon1, lat2, lon2)))
    shape = arrays[0].shape
    la1, lo1, la2, lo2 = (a.ravel() for a in arrays)
    out = np.full(la1.shape, np.nan)
    ok = np.isfinite(la1) & np.isfinite(lo1) & np.isfinite(la2) & np.isfinite(lo2)
    if ok.any():
        out[ok] = geod().inv(lo1[ok], la1[ok], lo2[ok], la2[ok])[2]
    return float(out[0]) if not shape else out.reshape(shape)


def distance_km(lat1, lon1, lat2, lon2):
    """``distance_m`` in kilometres."""
    return distance_m(lat1, lon1, lat2, lon2) / 1000.0


def destination(lat, lon, azimuth_deg, dist_m):
    """(lat, lon) reached from (lat, lon) going ``dist_m`` metres along ``azimuth_deg``."""
    lo, la, _ = geod().fwd(lon, lat, azimuth_deg, dist_m)
    return la, lo


def line_lengths_m(lons, lats):
    """Geodesic lengths in metres of the segments of a path given as lon and lat arrays."""
    return geod().line_lengths(lons, lats)


def local_crs(lat: float, lon: float):
    """Azimuthal-equidistant projection (metres) centred on (lat, lon)."""
    from pyproj import CRS

    return CRS.from_proj4(f"+proj=aeqd +lat_0={lat:.6f} +lon_0={lon:.6f} +datum=WGS84 +units=m")


def geodesic_circles(lat, lon, radius_m, n_vertices: int = 128):
    """Polygons whose vertices lie exactly ``radius_m`` metres (geodesic) from each centre.

    Vectorised over all centres: one ``Geod.fwd`` call for every vertex. Exterior rings
    are counter-clockwise (RFC 7946).
    """
    import numpy as np
    import shapely

    lat, lon, radius_m = np.broadcast_arrays(np.asarray(lat, float), np.asarray(lon, float),
                                             np.asarray(radius_m, float))
    k = lat.size
    if k == 0:
        return np.array([], dtype=object)
    az = np.linspace(360.0, 0.0, n_vertices, endpoint=False)  # decreasing azimuth = CCW
    lo, la, _ = geod().fwd(np.repeat(lon.ravel(), n_vertices), np.repeat(lat.ravel(), n_vertices),
                           np.tile(az, k), np.repeat(radius_m.ravel(), n_vertices))
    coords = np.stack([lo, la], axis=-1).reshape(k, n_vertices, 2)
    coords = np.concatenate([coords, coords[:, :1]], axis=1)
    return shapely.polygons(coords)


def line_buffer_m(line, distance_m: float, chunk_km: float = 100.0):
    """Buffer a long (multi)line by ``distance_m`` metres, in lon/lat.

    The line is cut into pieces of about ``chunk_km`` of geodesic length, each buffered in
    an azimuthal-equidistant projection centred on the piece (scale error below 1e-4 at
    ``chunk_km/2 + distance``), and the pieces are merged.
    """
    import numpy as np
    import shapely
    from pyproj import Transformer

    pieces = []
    for part in shapely.get_parts(line):
        xy = np.asarray(part.coords)[:, :2]
        seg = line_lengths_m(xy[:, 0], xy[:, 1]) if len(xy) > 1 else np.array([])
        cum = np.concatenate([[0.0], np.cumsum(seg)])
        chunk = np.minimum((cum // (chunk_km * 1000.0)).astype(int),
                           max(int(cum[-1] // (chunk_km * 1000.0)) - 1, 0))
        for c in np.unique(chunk):
            idx = np.flatnonzero(chunk == c)
            lo, hi = idx[0], min(idx[-1] + 1, len(xy) - 1)  # share the joint vertex
            sub = xy[lo:hi + 1]
            mid = sub[len(sub) // 2]
            crs = local_crs(mid[1], mid[0])
            fwd = Transformer.from_crs(WGS84, crs, always_xy=True)
            inv = Transformer.from_crs(crs, WGS84, always_xy=True)
            x, y = fwd.transform(sub[:, 0], sub[:, 1])
            geom = shapely.LineString(np.column_stack([x, y])) if len(sub) > 1 \
                else shapely.Point(x[0], y[0])
            buf = geom.buffer(distance_m, quad_segs=16)
            pieces.append(shapely.transform(buf, lambda c, inv=inv: np.column_stack(
                inv.transform(c[:, 0], c[:, 1]))))
    return shapely.make_valid(shapely.union_all(pieces))
