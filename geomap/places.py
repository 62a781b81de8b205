"""A place name becomes a point: one ``locate()`` for every caller that looks a name up.

``locate("Vorobzha", admin1="Kursk Oblast")`` cleans the name the way event tables write
it ("Kiev city", "outside Mariupol", "Hranitne (Volnovakha raion)"), resolves it with the
gazetteer in its own context (country, oblast, district, a point it is near) through
``geoparse.resolve_name`` (hierarchical fall-back to the named district or region) and
returns a :class:`Resolution` holding the gazetteer :class:`Place`.  Map buffers, the
``within_km`` filters, the stores, the distributed path and the row geocoder all use it;
each passes its own ``min_score``.

>>> locate("Sudzha", country="RU").place.admin1
'Kursk Oblast'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geomap.errors import GeomapError, InputError
from geomap.gazetteer import Gazetteer, admin_matches
from geomap.gazetteer.record import Candidate, Place
from geomap.geoparse import resolve_name
from geomap.geoparse.lexicon import AIRFIELD_WORDS

__all__ = ["Resolution", "locate", "centre_point", "namesakes", "clean_location", "district_hint"]

# Settlement type words written after (GED: "Donetsk town") or before ("village Plekhovo") a name.
_SETTLEMENT_WORDS = (
    r"urban[- ]type settlement|urban settlement|settlement|village|town|city|hamlet|selo|"
    r"smt|pgt|khutor|posyolok|poselok|stanitsa|township"
)
_TRAILING_TYPE = re.compile(rf"\s+(?:{_SETTLEMENT_WORDS})\.?$", re.IGNORECASE)
_LEADING_TYPE = re.compile(rf"^(?:the\s+)?(?:{_SETTLEMENT_WORDS})\.?\s+(?:of\s+)?", re.IGNORECASE)
_NEAR_PREFIX = re.compile(
    r"^(?:(?:the\s+)?(?:sea|area|outskirts|vicinity|surroundings|environs)\s+(?:outside|near|of|around)\s+"
    r"|near\s+|outside\s+(?:of\s+)?|around\s+|close\s+to\s+|just\s+outside\s+"
    r"|(?:\d+\s*km\s+)?(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)"
    r"(?:ern)?\s+of\s+)",
    re.IGNORECASE,
)
_NEAR_SUFFIX = re.compile(
    r"\s+(?:(?:international\s+)?airport|air\s*base|airbase|airfield|area|outskirts|vicinity|"
    r"railway station|station|(?:border\s+)?checkpoint|border post|bridge|monument|"
    r"district\s+of\s+the\s+city)$",
    re.IGNORECASE,
)
_PARENTHETICAL = re.compile(r"\s*\(([^()]*)\)\s*")
_DISTRICT_HINT = re.compile(r"\b(raion|rayon|district|hromada|okrug)\b", re.IGNORECASE)


def district_hint(name: str) -> tuple[str, str]:
    """'Hranitne village (Volnovakha raion)' → ('Hranitne village', 'Volnovakha raion')."""
    for inner in _PARENTHETICAL.findall(name):
        if _DISTRICT_HINT.search(inner):
            return _PARENTHETICAL.sub(" ", name).strip(), inner.strip()
    return name, ""


# "Donetsk International airport", "near Luhansk airbase": a facility the gazetteer may hold
_AIRFIELD = re.compile(rf"\b(?:{'|'.join(sorted(AIRFIELD_WORDS))}|air\s+base)\b", re.IGNORECASE)


def clean_location(name: str) -> tuple[str, int, str]:
    """A table's place string → (name to look up, minimum geo_precision, note).

    >>> clean_location("Kiev city")
    ('Kiev', 1, '')
    >>> clean_location("sea outside Mariupol")
    ('Mariupol', 2, "near: 'sea outside Mariupol'")
    """
    text = " ".join(str(name).split())
    precision, note = 1, ""
    stripped = _NEAR_PREFIX.sub("", text)
    stripped = _NEAR_SUFFIX.sub("", stripped)
    if stripped != text and stripped:
        precision, note = 2, f"near: {text!r}"
    cleaned = _TRAILING_TYPE.sub("", stripped)
    cleaned = _LEADING_TYPE.sub("", cleaned) if _LEADING_TYPE.sub("", cleaned) else cleaned
    return (cleaned or stripped or text).strip(" ,.;"), precision, note


@dataclass
class Resolution:
    """How one name was resolved: the gazetteer ``place`` (None when not) and why.

    ``score`` is the gazetteer's match score of the name for that record (1.0 exact,
    lower for transliteration keys and typos), looked up when ``locate`` is given a
    ``min_score`` (one more search: the row geocoder does without; None otherwise, and
    for a fall-back district or region); ``precision`` follows ACLED's geo_precision (1 the place,
    2 near it or part of a district, 3 the region only); ``confidence`` is the
    resolver's 0–1 belief; ``alternatives`` are the other candidates (namesakes, or
    the best candidate that missed ``min_score``).
    """

    query: str
    place: Place | None = None
    score: float | None = None
    precision: int | None = None
    confidence: float | None = None
    needs_review: bool = True
    reason: str = ""
    alternatives: list[Candidate] = field(default_factory=list)

    @property
    def resolved(self) -> bool:
        return self.place is not None

    @property
    def lat(self) -> float | None:
        return float(self.place.lat) if self.place is not None else None

    @property
    def lon(self) -> float | None:
        return float(self.place.lon) if self.place is not None else None

    @property
    def point(self) -> tuple[float, float]:
        """(lat, lon); a ``GeomapError`` when the name was not resolved."""
        if self.place is None:
            raise GeomapError(f"{self.query!r} is not resolved: {self.reason}")
        return float(self.place.lat), float(self.place.lon)

    @property
    def country(self) -> str:
        return (self.place.country or "") if self.place is not None else ""

    # The row geocoder's flat names before #11, read by events/records.py until the
    # records half of #11 reads ``.place``: views of the place, not copies of it.
    latitude = lat
    longitude = lon

    @property
    def geo_precision(self) -> int | None:
        return self.precision

    def _field(self, name: str) -> str:
        value = getattr(self.place, name, None) if self.place is not None else None
        return "" if value is None else str(value)

    @property
    def place_id(self) -> str:
        return self._field("id")

    @property
    def geonameid(self) -> str:
        return self._field("geonameid")

    @property
    def admin1(self) -> str:
        return self._field("admin1")

    @property
    def admin2(self) -> str:
        return self._field("admin2")


def _name_score(gazetteer: Gazetteer, query: str, country: str | None, place: Place) -> float | None:
    """The gazetteer's match score of ``query`` for ``place`` (None: not a candidate)."""
    for c in gazetteer.search(query, country=country, limit=50):
        if c.place.id == place.id:
            return float(c.score)
    return None


def locate(name: str, *, country: str | None = None, admin1: str | None = None,
           admin2: str | None = None, near: tuple[float, float] | None = None,
           min_score: float | None = None, gazetteer: Gazetteer | None = None) -> Resolution:
    """Resolve one place name in its own context.

    Parameters
    ----------
    name : str
        Any spelling, as tables write it ("Kiev city", "near Sudzha", "Hranitne
        (Volnovakha raion)"); "near"/"outside"/"airport" make ``precision`` at least 2.
    country : str, optional
        ISO alpha-2 code or a country name in any language; a hard constraint.
    admin1, admin2 : str, optional
        The oblast/region and the raion/district, in any form ("Kiev Special
        Republican city", "Sumy region", "Volnovakha raion").
    near : (lat, lon), optional
        Prefer the namesake closest to this point.
    min_score : float, optional
        Reject a place whose name matched below this gazetteer score (typo-grade
        matches); the rejected candidate is ``alternatives[0]``.
    gazetteer : Gazetteer, optional
        Defaults to the shared embedded index.
    """
    raw = " ".join(str(name).split())
    if not raw:
        return Resolution(query=raw, reason="empty place name")
    without_hint, hint = district_hint(raw)
    if hint and not admin2:
        admin2, raw = hint, without_hint
    query, min_precision, note = clean_location(raw)
    if (country and len(country.strip()) != 2) or (admin1 and admin1.strip()):
        # regions reads the boundary polygons (geopandas: ~1 s to import); only a country
        # name or an admin1 needs it, so geopy's geocoder and plain names stay light
        from geomap.regions import canonical_admin1, country_code

        cc, admin1 = country_code(country), canonical_admin1(admin1)
    else:
        cc, admin1 = (country.strip().upper() if country else None), None
    attempts = [query] + ([raw] if raw.casefold() != query.casefold() else [])
    facility = _NEAR_PREFIX.sub("", raw)
    if _AIRFIELD.search(facility):  # "Donetsk International airport": the airport itself
        attempts.insert(0, facility)
    mention = None
    for attempt in attempts:
        mention = resolve_name(attempt, country=cc, admin1=admin1 or None, admin2=admin2 or None,
                               near=near, gazetteer=gazetteer)
        if mention.resolved and mention.place is not None:
            break
    if mention is None or not mention.resolved or mention.place is None:
        reason = (mention.reason if mention is not None else "") or "no gazetteer match"
        alts = list(getattr(mention, "alternatives", []) or [])
        if alts:
            reason += "; candidates: " + ", ".join(
                f"{c.place.name} ({c.place.hierarchy()})" for c in alts[:3])
        return Resolution(query=query, reason=reason, alternatives=alts)
    p = mention.place
    alternatives = list(mention.alternatives or [])
    if cc and len(cc) == 2 and p.country and p.country.upper() != cc:
        return Resolution(query=query, reason=f"best match {p.name} ({p.hierarchy()}) is not in "
                          f"{cc}", alternatives=alternatives)
    score = None
    if min_score is not None:
        score = _name_score(gazetteer or Gazetteer.default(), mention.text, cc, p)
    if min_score is not None and score is not None and score < min_score:
        best = Candidate(p, score, p.name, "below min_score")
        return Resolution(query=query, score=score, reason=(
            f"best match {p.name} ({p.hierarchy()}) scores {score:.2f}, below {min_score:.2f}"),
            alternatives=[best, *alternatives])
    reason = mention.reason or ""
    if p.feature_class == "S":  # found as the facility: "near" only if the name says so
        min_precision = 2 if facility != raw else 1
        note = f"near: {raw!r}" if facility != raw else ""
    if note:
        reason = f"{reason}; {note}" if reason else note
    return Resolution(query=query, place=p, score=score,
                      precision=max(mention.precision or 1, min_precision),
                      confidence=float(mention.confidence),
                      needs_review=bool(mention.needs_review), reason=reason,
                      alternatives=alternatives)


def centre_point(where, field: str = "within_km", min_score: float | None = None) -> tuple[float, float]:
    """(lat, lon) of a centre given as a place name, a ``"lat,lon"`` string or a pair.

    Raises ``InputError`` naming ``field`` when the name is not found or the pair is out of
    range.
    """
    if isinstance(where, str):
        text = where.strip()
        parts = [p.strip() for p in text.split(",")]
        if len(parts) == 2:
            try:
                pair = (float(parts[0]), float(parts[1]))
            except ValueError:
                pair = None
            if pair is not None:
                return centre_point(pair, field)
        found = locate(text, min_score=min_score)
        if not found.resolved:
            raise InputError(f"cannot locate {text!r}: {found.reason or 'not in the gazetteer'}",
                             field=field)
        return found.point
    lat, lon = (float(v) for v in where)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        hint = " (are latitude and longitude swapped?)" if abs(lon) <= 90 else ""
        raise InputError(f"centre ({lat:g}, {lon:g}) is not a valid (lat, lon){hint}",
                         field=field)
    return lat, lon


def namesakes(name: str, *, countries: list[str] | None = None, admins: list[str] | None = None,
              min_score: float = 0.0, limit: int = 25,
              gazetteer: Gazetteer | None = None) -> list[Candidate]:
    """Every plausible record of ``name`` (namesakes), best match first.

    ``countries``: ISO codes, any of which; ``admins``: each narrows in turn, to the
    records in that oblast/region, else in that raion/district/hromada; candidates whose
    name matched below ``min_score`` are left out.  Where ``locate`` decides on one
    place, this lists them all (the geopy geocoder's ``exactly_one=False``).
    """
    gz = gazetteer or Gazetteer.default()
    found: dict[str, Candidate] = {}
    for code in countries or [None]:
        for c in gz.search(name, country=code, limit=max(limit, 50)):
            if c.score >= min_score and c.place.id not in found:
                found[c.place.id] = c
    ranked = sorted(found.values(), key=lambda c: -c.score)
    for admin in admins or []:  # each further part narrows (oblast first, else raion/hromada)
        narrowed = [c for c in ranked if admin_matches(admin, c.place.admin1, c.place.admin1_code)]
        if not narrowed:
            narrowed = [c for c in ranked if admin_matches(admin, c.place.admin2, c.place.admin3)]
        ranked = narrowed
    return ranked[:limit]
