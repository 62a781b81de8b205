"""What the geoparser hands to the next stage."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geomap.gazetteer.record import Candidate, Place


@dataclass
class Span:
    """A place name found in text, before resolution."""

    text: str  # the name as written ("Plekhovo", "Kursk region")
    start: int  # character offsets into the document
    end: int
    kind: str = "place"  # place | admin | country | facility | adjectival | natural
    trigger: str = ""  # the cue that made it a place ("villages of", "region", ...)
    admin_hint: str = ""  # type word attached to the name: oblast, region, district, ...
    role: str = "location"  # location | metonymy (e.g. "Moscow said")
    sentence: int = 0
    place_name: str = ""  # a facility's place-name part ("South Charleston" of "... power plant")


@dataclass
class PlaceMention:
    """A place mention resolved (or not) to a gazetteer entry.

    ``precision`` follows ACLED's geo_precision: 1 the named place itself, 2 near a place
    or part of a region, 3 region only.  ``reason`` is a one-line human explanation.
    """

    text: str
    start: int
    end: int
    kind: str = "place"
    role: str = "location"
    place: Place | None = None
    confidence: float = 0.0
    precision: int | None = None
    resolved: bool = False
    needs_review: bool = False
    reason: str = ""
    alternatives: list[Candidate] = field(default_factory=list)
    sentence: int = 0
    read_as: str = ""  # a spelling the text did not write ("Vorobzha" for "Vorozhba")

    @property
    def lat(self) -> float | None:
        return self.place.lat if self.place else None

    @property
    def lon(self) -> float | None:
        return self.place.lon if self.place else None

    def to_dict(self) -> dict:
        p = self.place
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "role": self.role,
            "name": p.name if p else None,
            "lat": p.lat if p else None,
            "lon": p.lon if p else None,
            "country": p.country if p else None,
            "admin1": p.admin1 if p else None,
            "admin2": p.admin2 if p else None,
            "geonameid": p.geonameid if p else None,
            "place_id": p.id if p else None,
            "feature_code": p.feature_code if p else None,
            "source": p.source if p else None,
            "confidence": round(self.confidence, 3),
            "precision": self.precision,
            "resolved": self.resolved,
            "needs_review": self.needs_review,
            "reason": self.reason,
            "read_as": self.read_as,
            "alternatives": [c.to_dict() for c in self.alternatives],
        }


# between the names of one list: "A, B and C", "A, B, or C"
LIST_GAP = re.compile(r"^(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)$")


def list_start(spans: list[Span], k: int, text: str) -> int:
    """The index of the first span of the list ("A, B and C") that ends with spans[k]."""
    first = k
    while first and LIST_GAP.match(text[spans[first - 1].end:spans[first].start]):
        first -= 1
    return first
