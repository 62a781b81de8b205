"""Resolve recognised names to gazetteer entries, from the article's own context.

Signals, strongest first (Mordecai's analysis finds co-mentioned places the strongest):

1. a *local* hint next to the name ("Vorozhba, in Ukraine's Sumy region") — a hard
   constraint;
2. countries and regions named in the text ("Russia's Kursk region" → Kursk Oblast);
3. co-mentioned places: the chosen set should be spatially coherent (Plekhovo,
   Martynovka and Sudzha lie within ~20 km of each other);
4. feature type (a "village" is not a city of a million; "X region" is an admin unit);
5. population, weakly.

Never snap to a far-away namesake: a small place whose candidates all lie far from the
article's focus (and outside the regions it names) falls back to the smallest area that
fits — the district of the co-mentioned places, placed among them, else the named
district/region — with precision 2 or 3, ``needs_review`` and the raw candidates kept
as alternatives.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Indel, Levenshtein

from geomap.gazetteer import Gazetteer, admin_matches
from geomap.gazetteer.normalize import core_name, has_cyrillic, loose_key, stem_key, strict_key
from geomap.gazetteer.record import Candidate, Place
from geomap.gazetteer.translit import consonant_skeleton
from geomap.geodesy import haversine_km, nearest_km
from geomap.geoparse.lexicon import (
    ABBREVIATIONS,
    ADMIN_TYPE_WORDS,
    AIRFIELD_WORDS,
    PLACE_NOUNS_AFTER_DEMONYM,
    PLURAL_ADMIN_TYPE_WORDS,
    PLURAL_FRONT_SECTOR_WORDS,
    REGIONAL_BODY_WORDS,
)
from geomap.geoparse.mention import PlaceMention, Span, list_start

# the nouns coders put after or before a settlement's name ("Pobeda village", "town of X")
_SETTLEMENT_NOUN = r"(?:town|village|city|settlement|selo|hamlet|khutor)"
_LOCAL_GAP = re.compile(rf"^(?:\s+{_SETTLEMENT_NOUN})?"
                        r"(?:\s*,\s*(?:in|of)?\s*|\s*\(\s*|\s+in\s+)(?:the\s+)?$", re.IGNORECASE)
# between the units of one chain: "Telmanovsky region Donetsk region", "(X district) Y region"
_CHAIN_GAP = re.compile(r"^\s*\)?\s*(?:,\s*)?(?:(?:in|of)\s+)?(?:the\s+)?$")
FOCUS_KM = 60.0  # a village this far from every co-mentioned place does not fit
DISTRICT_RADIUS_KM = 35.0  # a village of a (former) raion lies this close to its centre
_ADMIN1_CODE = re.compile(r"[A-Z]{2}-\w+")  # "UA-14", "RU-KRS"
_TYPO_TOWN_POPULATION = 5_000  # a name two slips from a town's is read so only for towns
# a bare name a city of the war zone this big carries is the city ("a missile hit
# Zaporizhzhia" among front-line villages named like it): the names this news uses most
_WAR_ZONE_CITY = 200_000
AIRPORT_KM = 30.0  # a town's airport lies this close to it (Luhansk's: 17 km)
_CITY_AREA = re.compile(r"\b(?:city|municipality|urban okrug|city council)\b", re.IGNORECASE)
NEAR_MISS_KM = 25.0  # a misspelt village is looked for this far around the co-mentioned ones
_SMALL_PLACE = 50_000
_BIG_CITY = 100_000
_TINY_PLACE = 5_000
_SCORES_EXACTISH = 0.97  # exact name or one of the record's alternate names
# admin units carry no population; weigh them like a large place of their level
_ADMIN_PRIOR = {"PCLI": 0.12, "ADM1": 0.1, "ADM2": 0.07, "ADM3": 0.05}
# Where the Russia-Ukraine war's events are: an analyst's prior among namesakes the text
# does not tell apart ("shelling near Pisky" is Pisky, Donetsk Oblast).  Front-line oblasts
# weigh more than the border and rear ones; never enough to beat a named region or a
# co-mentioned place.  ``Resolver(theatre={})`` turns it off.
WAR_THEATRE = {
    **dict.fromkeys(("UA-14", "UA-09", "UA-23", "UA-65", "UA-63"), 0.12),  # the front
    **dict.fromkeys(("UA-59", "UA-74", "UA-43", "UA-40", "UA-48", "UA-12",
                     "RU-KRS", "RU-BEL", "RU-BRY"), 0.06),  # border, Crimea, the rear
}


@dataclass
class Context:
    """What the article says about where it is."""

    countries: Counter = field(default_factory=Counter)  # ISO2 → weight
    admin1: list[Place] = field(default_factory=list)  # regions named in the text
    admin2: list[Place] = field(default_factory=list)
    anchors: list[tuple[int, Place]] = field(default_factory=list)  # (span index, place)
    _keys: list[int] = field(default_factory=list, repr=False)  # span indexes of ``anchors``
    ranked: dict[tuple, list] = field(default_factory=dict, repr=False)  # _rank's memo (shared)
    focus_memo: dict[tuple, list] = field(default_factory=dict, repr=False)
    sentence_of: dict[int, int] = field(default_factory=dict)  # span index → sentence
    origin: str = "named in the text"  # or "given in the row" (geocoding a table)
    district_centres: list[Place] = field(default_factory=list)  # of districts not in the index
    qualifiers: dict[int, Place] = field(default_factory=dict)  # span → oblast named after it
    districts: dict[int, str] = field(default_factory=dict)  # span → district in its brackets
    local: dict[int, tuple] = field(default_factory=dict)  # span → (admin1, admin2, country) next to it
    front_sectors: dict[int, str] = field(default_factory=dict)  # span → "direction", "axis"
    # before any place is sure: each span's nearby other names' candidates
    neighbours: dict[int, list[Place]] = field(default_factory=dict)
    units: dict[int, Place] = field(default_factory=dict)  # admin span → the unit it names
    implied: dict[int, str] = field(default_factory=dict)  # span → the one region its name has

    def near(self, i: int) -> list[tuple[int, Place]]:
        """The anchors within ``ANCHOR_WINDOW`` spans of span ``i`` (all of a row's: -1).

        A long text is about many areas; its far-away parts are no context here, and the
        window keeps resolution linear in text length.
        """
        if len(self.anchors) <= 2 * ANCHOR_WINDOW:
            return self.anchors
        if len(self._keys) != len(self.anchors):  # anchors are appended in span order
            self._keys = [j for j, _ in self.anchors]
        lo = bisect.bisect_left(self._keys, i - ANCHOR_WINDOW)
        hi = bisect.bisect_right(self._keys, i + ANCHOR_WINDOW)
        rows = bisect.bisect_left(self._keys, 0)  # a records row's anchors (-1) come first
        return self.anchors[:rows] + self.anchors[max(lo, rows):hi]

    def focus_distance(self, place: Place, exclude: int) -> tuple[float, Place | None]:
        """Distance (km) to the nearest co-mentioned place of another name, and that place."""
        return self.focus_distances([place], exclude)[0]

    def focus_distances(self, places: list[Place], exclude: int) -> list[tuple[float, Place | None]]:
        """``focus_distance`` for many candidates at once (one vectorised haversine)."""
        anchors = [a for i, a in self.near(exclude) if i != exclude]
        if not anchors or not places:
            return [(math.inf, None)] * len(places)
        columns: dict[str, set[int]] = {}  # anchor core name → its columns
        for k, a in enumerate(anchors):
            columns.setdefault(core_name(a.name), set()).add(k)
        own = [columns.get(core_name(p.name)) for p in places]  # a name is no evidence for itself
        nearest = nearest_km([(p.lat, p.lon) for p in places], [(a.lat, a.lon) for a in anchors],
                             own)
        return [(d, anchors[b]) if math.isfinite(d) else (math.inf, None) for d, b in nearest]


@dataclass
class Scored:
    candidate: Candidate
    total: float
    fits: bool
    reasons: list[str]
    confidence: float | None = None
    needs_review: bool = False

    def copy(self) -> Scored:
        return Scored(self.candidate, self.total, self.fits, list(self.reasons), self.confidence,
                      self.needs_review)


class _Frame:
    """What scoring one mention's candidates reads from the text, worked out once."""

    def __init__(self, i: int, span: Span, ctx: Context, local):
        self.countries_total = sum(ctx.countries.values()) if ctx.countries else None
        self.named_admin1 = frozenset(a.admin1_code for a in ctx.admin1)  # the named regions
        self.centre = local[3] if len(local) > 3 and local[3] else (  # the district's town
            ctx.district_centres[0] if ctx.district_centres else None)
        # "Ilovaysk Town", "village of X": a settlement, no unit
        self.settlement_named = bool(_SETTLEMENT_WORD.search(span.text)) or span.trigger in (
            "village", "town", "city")
        # no country named, or the first is Ukraine or Russia
        self.war_countries = not ctx.countries or ctx.countries.most_common(1)[0][0] in (
            "UA", "RU")
        self.big_city_elsewhere = False  # a facility's name is a 100k+ city's outside them
        self._i, self._ctx = i, ctx

    @cached_property
    def implied_admin1(self) -> frozenset[str]:
        """The regions the text's names imply (``Context.implied``), as a set."""
        return frozenset(self._ctx.implied.values())

    @cached_property
    def others(self) -> list[Place]:
        """The co-mentioned places near the mention (read for unit candidates only)."""
        return [a for j, a in self._ctx.near(self._i) if j != self._i]


def _is_country(p: Place) -> bool:
    return p.feature_code in ("PCLI", "PCL", "PCLD")


def _admin_precision(p: Place) -> int:
    return 2 if p.feature_code in ("ADM2", "ADM3", "ADM4") else 3


class Resolver:
    """Turns spans into ``PlaceMention`` objects using one gazetteer."""

    def __init__(self, gazetteer: Gazetteer | None = None, candidates: int = 25,
                 theatre: dict[str, float] | None = None):
        self.gazetteer = gazetteer or Gazetteer.default()
        self.limit = candidates
        self.theatre = WAR_THEATRE if theatre is None else theatre
        self._cache: dict[tuple, list[Candidate]] = {}  # names repeat across documents
        self._near_misses: dict[tuple, Scored | None] = {}
        self._skeletons: dict[str, dict[str, list[int]]] = {}  # admin1 code → skeleton → rids

    # -- public --------------------------------------------------------------
    def resolve(self, spans: list[Span], text: str) -> list[PlaceMention]:
        cands = [self._candidates(s) for s in spans]
        ctx = Context(sentence_of={i: s.sentence for i, s in enumerate(spans)})
        chosen: list[Scored | None] = [None] * len(spans)
        lower_units: list[int] = []  # districts and hromadas: read once the oblasts are known
        # pass 1: countries and named regions set the context
        for i, span in enumerate(spans):
            if span.kind == "adjectival":
                word = _NEXT_WORD.match(text[span.end:span.end + 24])
                if word and word.group(1).lower() in PLACE_NOUNS_AFTER_DEMONYM:
                    ctx.countries[span.trigger] += 0.5  # "the Ukrainian side", not "Russian shelling"
                noun = _TERRITORY_NOUN.match(text[span.end:span.end + 12])
                country = self.gazetteer.country(span.trigger)
                if country is not None:  # "Russian territory" is Russia; "Russian troops" context
                    span.role = "location" if noun else "context"
                    why = (f"'{span.text} {noun.group(1)}' names {country.name}" if noun else
                           f"the demonym '{span.text}' refers to {country.name}: context, no location")
                    chosen[i] = Scored(Candidate(country, 0.95, span.text, "demonym"), 0.95, True,
                                       [why])
                continue
            best = cands[i][0] if cands[i] else None
            if best is None:
                continue
            if _is_country(best.place) and best.score >= 0.95:
                if span.role != "metonymy":  # "Russia says it took X": the actor, not where
                    ctx.countries[best.place.country] += 1.0
                chosen[i] = Scored(best, best.score, True, ["country named in the text"])
            elif span.kind == "admin":
                if _admin_level(span) != "ADM1":
                    lower_units.append(i)  # after the oblasts the text names
                    continue
                self._choose_admin(i, span, cands[i], chosen, ctx)
        for i in lower_units:
            self._choose_admin(i, spans[i], cands[i], chosen, ctx)
        self._units_by_their_list(spans, cands, chosen, ctx, lower_units)
        self._coded_district_and_oblast(spans, cands, chosen, ctx, text)
        self._oblast_qualifiers(spans, cands, chosen, ctx, text)
        self._possessive_units(spans, cands, chosen, text)
        for i, span in enumerate(spans):
            sector = _FRONT_SECTOR.match(text[span.end:span.end + 20])
            if sector and span.kind == "place":
                ctx.front_sectors[i] = sector.group(1).lower()
            elif (sector := _FRONT_SECTORS.match(text[span.end:span.end + 20])) \
                    and (first := list_start(spans, i, text)) < i:
                # "the Kupiansk and Lyman directions": each name of the list is a sector
                for k in range(first, i + 1):
                    if spans[k].kind == "place":
                        ctx.front_sectors[k] = PLURAL_FRONT_SECTOR_WORDS[sector.group(1).lower()]
        self._bare_region_names(spans, cands, chosen, ctx, text)
        towns = _neighbourhood_towns(spans, text)
        hoods = {i: cands[i] for i in towns}
        for i in towns:
            cands[i] = []  # "Chasiv Yar's Kanal neighbourhood" is no Kanal elsewhere
        ctx.implied = _implied_regions(spans, cands, self.theatre)
        regions = list(dict.fromkeys([*(a.admin1_code for a in (*ctx.admin1, *ctx.admin2)
                                        if a.admin1_code), *ctx.implied.values()]))[:3]
        for i, span in enumerate(spans):  # namesakes inside the named regions, however many
            if chosen[i] is not None or span.kind != "place":
                continue
            ctx.local[i] = _local_hint(i, spans, text, self, ctx)
            named = [ctx.local[i][0]] if ctx.local[i][0] else []
            if len(cands[i]) >= self.limit or named:
                for code in dict.fromkeys([*named, *regions]):
                    cands[i] = _merge_candidates(cands[i], self._candidates(span, admin1=code))
        # pass 2: settlements by the namesakes of their neighbours; confident ones anchor
        ctx.neighbours = _neighbour_candidates(spans, cands, chosen)
        for i, span in enumerate(spans):
            if chosen[i] is None and cands[i]:
                scored = self._rank(i, span, cands[i], ctx, spans, text)
                if span.role == "location" and scored and scored[0].fits and (
                        len(scored) == 1 or scored[0].total - scored[1].total >= 0.1):
                    ctx.anchors.append((i, scored[0].candidate.place))
        # pass 3: rescore with proximity to the anchors
        for i in range(len(spans)):
            if chosen[i] is None and cands[i]:
                chosen[i] = self._best_fitting(i, spans, cands[i], ctx, text)
        self._deeper_namesakes(spans, cands, chosen, ctx, text)
        self._neighbourhoods_of_their_towns(towns, hoods, spans, chosen)
        # pass 4: a name no namesake of which fits may be a misspelling of a place nearby
        for i, span in enumerate(spans):
            if span.kind != "place" or span.role != "location":
                continue
            if chosen[i] is None:
                chosen[i] = self._near_miss(i, span, cands[i], ctx) or self._regional_form(
                    i, spans, cands[i], ctx, text) or (
                    None if cands[i] else self._typo_in_region(i, spans, ctx, text))
            else:
                chosen[i] = self._in_the_named_district(i, spans, cands[i], chosen[i], ctx,
                                                        text)
        _facilities_where_the_text_puts_them(spans, chosen, text)
        self._airports_of_their_towns(spans, chosen)
        self._districts_at_their_centres(spans, chosen)
        return [self._mention(i, spans, cands[i], chosen[i], ctx) for i in range(len(spans))
                if spans[i].kind != "adjectival" or chosen[i] is not None]

    def resolve_name(self, name: str, country: str | None = None, admin1: str | None = None,
                     admin2: str | None = None, near: tuple[float, float] | None = None,
                     kind: str = "place") -> PlaceMention:
        """Resolve one name with a records row's own context (for ``geocode``)."""
        span = Span(name, 0, len(name), kind=kind)
        cands = self._candidates(span, country=country, fuzzy=True)
        if admin1:  # a common name has more namesakes than one search returns
            cands = _merge_candidates(cands, self._candidates(span, country=country,
                                                              fuzzy=True, admin1=admin1))
        ctx = Context(origin="given in the row")
        if country:
            ctx.countries[country.upper()] += 2
        for level, value in (("ADM1", admin1), ("ADM2", admin2)):
            if value:
                city = level == "ADM2" and _CITY_AREA.search(value)
                unit = None if city else self._admin_unit(
                    value, level, country, admin1 if level == "ADM2" else None)
                if unit is not None:
                    (ctx.admin1 if level == "ADM1" else ctx.admin2).append(unit)
                elif level == "ADM2":  # a former raion ("Shakhtarsk raion"): near its centre
                    centre = self._district_centre(value, country, admin1)
                    if centre is not None:
                        ctx.district_centres.append(centre)
        if near:
            ctx.anchors.append((-1, Place("near", "given point", near[0], near[1])))
        scored = []
        for c in cands:
            s = self._score(0, span, c, ctx, local=(admin1, admin2, country))
            scored.append(s)
        scored.sort(key=lambda s: s.total, reverse=True)
        best = scored[0] if scored and scored[0].fits else None
        if best:
            best.reasons.append(_margin_reason(scored, self.theatre))
            _set_confidence(best, scored)
        mention = self._mention(0, [span], cands, best, ctx, fallback_units=True)
        return mention

    # -- candidates ----------------------------------------------------------
    def _candidates(self, span: Span, country: str | None = None,
                    fuzzy: bool | None = None, admin1: str | None = None) -> list[Candidate]:
        if span.kind in ("adjectival", "natural"):
            return []
        if fuzzy is None:  # in running text, only names a trigger vouches for ("village of X")
            fuzzy = span.trigger in ("village", "town", "city", "near") or span.kind == "admin"
        key = (span.text, span.kind, span.place_name, country, fuzzy, admin1)
        if key not in self._cache:
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[key] = self._search(span, country, fuzzy, admin1)
        return self._cache[key]

    def _search(self, span: Span, country: str | None, fuzzy: bool,
                admin1: str | None = None) -> list[Candidate]:
        if span.kind == "facility":  # the facility itself where the gazetteer has it
            found = [c for c in self.gazetteer.search(span.text, country=country, admin1=admin1,
                                                      limit=self.limit, feature_class="S",
                                                      fuzzy=False) if c.score >= 0.9]
            if found:
                return found
        if span.trigger == "abbreviation":  # "Ky." is Kentucky, "NYC" New York City
            full, iso = ABBREVIATIONS[span.text.lower()]
            return self.gazetteer.search(full, country=iso, limit=self.limit, fuzzy=False)
        # a facility the gazetteer lacks: its town (the NER's facilities: their first word)
        name = span.text if span.kind != "facility" else (
            span.place_name or span.text.split()[0])
        if span.kind == "admin" and span.trigger in PLURAL_ADMIN_TYPE_WORDS:
            name = f"{span.text} {span.admin_hint}"  # "Donetsk [and Luhansk] regions"
        feature = "A" if span.kind == "admin" else None
        found = self.gazetteer.search(name, country=country, admin1=admin1, limit=self.limit,
                                      feature_class=feature, fuzzy=fuzzy)
        if span.kind == "admin" and not found:
            found = self.gazetteer.search(core_name(name) or name, country=country,
                                          limit=self.limit)
        return found

    @lru_cache(maxsize=20_000)  # noqa: B019 - one resolver per gazetteer, lives as long
    def _admin_unit(self, name: str, level: str, country: str | None,
                    admin1: str | None) -> Place | None:
        for c in self.gazetteer.search(name, country=country, admin1=admin1, limit=10,
                                       feature_class="A"):
            if c.place.feature_code == level or (level == "ADM2" and c.place.feature_code == "ADM3"):
                return c.place
        return None

    @lru_cache(maxsize=20_000)  # noqa: B019 - one resolver per gazetteer, lives as long
    def _district_centre(self, district: str, country: str | None,
                         admin1: str | None) -> Place | None:
        """The town a district is named after, when the district itself is unknown.

        Raions are named after their centre; the pre-2020 Ukrainian raions that event
        data still uses (and renamed ones) are not units in the gazetteer, but their
        centres are settlements.
        """
        core = core_name(district)
        if not core or not admin1:
            return None
        for c in self.gazetteer.search(core, country=country, admin1=admin1, limit=5,
                                       feature_class="P"):
            if c.score >= 0.7 and c.place.population >= 1_000:
                return replace(c.place, name=f"{c.place.name} (centre of {district})")
        centre = self._named_by_adjective(stem_key(district), admin1)
        return replace(centre, name=f"{centre.name} (centre of {district})") if centre else None

    @lru_cache(maxsize=64)  # noqa: B019 - one resolver per gazetteer, lives as long
    def _settlement_keys(self, admin1_code: str, loose: bool = False) -> list[tuple[int, str]]:
        """(rid, key) of every settlement of one region, read once per resolver."""
        return self.gazetteer.settlement_keys_in(admin1_code, loose=loose)

    def _named_by_adjective(self, stem: str, admin1: str) -> Place | None:
        """The town of the region a district adjective is made from: 'Yasinuvatska',
        'Volnovaskyi', 'Amvrosiivskyi' stem to the start of Yasynuvata, Volnovakha,
        Amvrosiivka (loose keys); the most populous such town of 1,000 people or more."""
        unit = None if _ADMIN1_CODE.fullmatch(admin1) else self._admin_unit(
            admin1, "ADM1", None, None)
        code = unit.admin1_code if unit else admin1
        if len(stem) < 5 or not code:
            return None
        rids = list(dict.fromkeys(rid for rid, key in self._settlement_keys(code, loose=True)
                                  if key.startswith(stem)))
        towns = [p for p in map(self.gazetteer.get_rid, rids) if p.population >= 1_000]
        return max(towns, key=lambda p: p.population, default=None)

    # -- scoring -------------------------------------------------------------
    def _choose_admin(self, i: int, span: Span, cands: list[Candidate],
                      chosen: list[Scored | None], ctx: Context,
                      list_regions: dict[str, float] | None = None) -> None:
        """Read an administrative unit's mention; the unit then sets the context."""
        scored = self._score_admin(span, cands, ctx, list_regions)
        if not scored:
            return
        old = chosen[i].candidate.place if chosen[i] is not None else None
        chosen[i] = scored
        unit = ctx.units[i] = scored.candidate.place
        units = ctx.admin1 if unit.feature_code == "ADM1" else ctx.admin2
        if old is not None and old.id != unit.id:
            units[:] = [u for u in units if u.id != old.id]  # a unit read again from its list
        if all(u.id != unit.id for u in units):  # "Kursk region" x 1,000: once
            units.append(unit)
        if old is None:
            ctx.countries[unit.country] += 0.5

    def _units_by_their_list(self, spans, cands, chosen, ctx: Context,
                             lower_units: list[int]) -> None:
        """Namesake districts or hromadas follow the oblast of the others the text names:
        "the Khotin, Yunakivka and Krasnopillia hromadas" are all in Sumy Oblast."""
        regions = Counter(chosen[i].candidate.place.admin1_code for i in lower_units
                          if chosen[i] is not None and chosen[i].candidate.place.admin1_code)
        if sum(regions.values()) < 2:
            return
        for i in lower_units:
            if chosen[i] is None:
                continue
            own = chosen[i].candidate.place.admin1_code
            others = {code: n - (code == own) for code, n in regions.items()}
            total = sum(others.values())
            if total and max(others.values()) > others.get(own, 0):
                shares = {code: n / total for code, n in others.items() if n}
                self._choose_admin(i, spans[i], cands[i], chosen, ctx, shares)

    def _score_admin(self, span: Span, cands: list[Candidate], ctx: Context,
                     list_regions: dict[str, float] | None = None) -> Scored | None:
        want = {"ADM1": ("ADM1",), "ADM2": ("ADM2",), "ADM3": ("ADM3",)}

        level = _admin_level(span)
        named = {u.admin1_code: u.name for u in ctx.admin1 if u.admin1_code}
        spelt = core_name(span.text)
        best = None
        for c in cands:
            p = c.place
            total = c.score + (0.2 if p.feature_code in want.get(level, ()) else 0.0)
            total += 0.1 * ctx.countries.get(p.country, 0)
            reasons = [f"{span.text!r} names an administrative unit"]
            if not p.is_admin:
                total -= 0.5
            elif span.admin_hint and span.admin_hint in p.name.lower():
                total += 0.05  # "Kursk district" is Kursky District, not the city okrug Kursk
            if len(cands) > 1 and spelt and core_name(p.name).startswith(spelt):
                total += 0.03  # spelt as the text spells it: "Khotin" is Khotinska, not Khotynska
            if level != "ADM1" and p.feature_code != "ADM1" and p.admin1_code in named:
                total += 0.3  # "the Khotin hromada of Sumy Oblast"
                reasons.append(f"{named[p.admin1_code]} named in the text")
            elif list_regions and p.admin1_code in list_regions:
                total += 0.2 * list_regions[p.admin1_code]
                reasons.append(f"in {p.admin1}, like the other units the text names")
            # a "district" is never a region or country ("Sverdlovsk district, Luhansk region")
            fits = p.is_admin and not (level == "ADM2" and p.feature_code in ("ADM1", "PCLI"))
            if fits and (best is None or total > best.total):
                best = Scored(c, total, fits, reasons)
        return best if best and best.fits else None

    def _bare_region_names(self, spans, cands, chosen, ctx: Context, text: str) -> None:
        """A bare oblast-capital name is the city, unless this mention says region.

        Decided per mention: "the Sumy governor", "the Kursk incursion", "region of
        Kursk" are the oblast; "in Sumy", "Sumy's mayor", "the city of Sumy" the city,
        even where the text also says "Sumy region".  A text that names the region and
        then speaks of "the (border) region" in the mention's own sentence means it.
        """
        region_cores = {core_name(p.name): p for p in ctx.admin1}
        for i, span in enumerate(spans):
            if (chosen[i] is not None or span.kind != "place" or not cands[i]
                    or span.role != "location"):
                continue
            after = text[span.end:span.end + 40]
            before = text[max(0, span.start - 20):span.start]
            if _CITY_CUE_AFTER.match(after) or _CITY_CUE_BEFORE.search(before):
                continue
            unit = region_cores.get(core_name(span.text))
            if span.trigger.startswith("admin:"):
                why = "named as a region"
            elif _COUNTRY_POSSESSIVE.search(before):
                why = f"'{_COUNTRY_POSSESSIVE.search(before).group(1)}'s {span.text}' names the region"
            elif _REGION_CUE_AFTER.match(after):
                why = f"'{span.text}{_REGION_CUE_AFTER.match(after).group(0).rstrip()}' speaks of the region"
            elif unit is not None and _ANAPHORIC_REGION.search(_sentence_around(text, span)):
                why = "the text names the region and its sentence speaks of 'the region'"
            else:
                continue
            found = next((c for c in cands[i] if c.place.feature_code == "ADM1"
                          and (unit is None or c.place.id == unit.id)), None)
            if found is None:  # namesake villages can crowd the unit out of the candidates
                oblast = unit or self._oblast_named(span.text)
                found = _as_unit(oblast) if oblast else None
            if found is not None:
                chosen[i] = Scored(found, found.score, True, [why])
                ctx.units[i] = found.place
                if all(u.id != found.place.id for u in ctx.admin1):  # "the Bryansk governor"
                    ctx.admin1.append(found.place)                  # names the text's region

    def _coded_district_and_oblast(self, spans, cands, chosen, ctx: Context, text: str) -> None:
        """"Tyotkino (Glushkovskiy, Kursk)", "Myropillia (Sumy, Sumy)": an event coder's
        village (district, oblast), as ACLED writes its notes.

        Both bracketed names qualify the village: the oblast is a hard constraint, the
        district weighs; neither is a place of its own (the second "Sumy" is no city)."""
        for i in range(len(spans) - 2):
            span, district, region = spans[i:i + 3]
            if span.kind != "place" or chosen[i] is not None or not (
                    span.sentence == district.sentence == region.sentence) \
                    or not _OPENING_BRACKET.match(text[span.end:district.start]) \
                    or text[district.end:region.start].strip() != "," \
                    or not _CLOSING_BRACKET.match(text[region.end:]):
                continue
            oblast = self._oblast_named(region.text)
            if oblast is None:
                continue
            name = core_name(district.text) or district.text
            # "Kurskiy" as written (with "district" it reads as the city okrug Kursk), "Sumy"
            # with it (alone it is the oblast)
            unit = self._admin_unit(name, "ADM2", oblast.country, oblast.admin1_code) \
                or self._admin_unit(f"{name} district", "ADM2", oblast.country,
                                    oblast.admin1_code)
            cands[i] = _merge_candidates(cands[i], self._candidates(span, admin1=oblast.admin1_code))
            ctx.qualifiers[i] = oblast
            ctx.districts[i] = unit.name if unit else f"{name} district"
            district.role = region.role = "qualifier"
            chosen[i + 2] = _qualifying_oblast(
                oblast, cands[i + 2], f"'{region.text}' in the brackets after {span.text}")
            if unit is not None:
                chosen[i + 1] = Scored(_as_unit(unit), 0.9, True,
                                       [f"'{district.text}' in the brackets after {span.text} "
                                        "names the district"])

    def _oblast_qualifiers(self, spans, cands, chosen, ctx: Context, text: str) -> None:
        """"Yampil, Donetsk" and "Hoptivka (Kharkiv)": the second name is the oblast.

        Event coders and Ukrainian officials qualify a village by its oblast's name,
        which is also a city's.  The pair is read so when the first name has a
        settlement in that oblast and is no big city itself ("Kyiv, Kharkiv" is a list).
        The oblast becomes a hard constraint on the village and no place of its own.
        """
        for i in range(len(spans) - 1):
            span, other = spans[i], spans[i + 1]
            settlement = span.trigger in ("village", "town", "city", "unknown")
            gap = text[span.end:other.start]
            if (span.kind != "place" or other.kind not in ("place", "admin")
                    or span.role == "qualifier"  # a coder's bracketed district, read already
                    or other.sentence != span.sentence or not (cands[i] or settlement)):
                continue
            if not _QUALIFIER_GAP.match(gap) or _LIST_CONTINUES.match(text[other.end:]):
                continue
            if not _SETTLEMENT_WORD.search(gap) and any(
                    c.place.population >= 100_000 or c.place.feature_code == "ADM1"
                    for c in cands[i][:3]):
                continue  # a city or region of its own: a list, not a qualifier
            oblast = self._oblast_named(other.text)
            if oblast is None or (other.kind == "admin" and chosen[i + 1] is not None
                                  and chosen[i + 1].candidate.place.id != oblast.id):
                continue
            inside = self._candidates(span, admin1=oblast.admin1_code)
            if not settlement and not any(not c.place.is_admin and c.score >= 0.85
                                          for c in inside):
                continue  # "Pobeda village, Donetsk" names the oblast even if Pobeda is unknown
            cands[i] = _merge_candidates(cands[i], inside)
            ctx.qualifiers[i] = oblast
            other.role = "qualifier"
            chosen[i + 1] = _qualifying_oblast(oblast, cands[i + 1],
                                               f"'{other.text}' after {span.text}")

    def _possessive_units(self, spans, cands, chosen, text: str) -> None:
        """"Belgorod's Shebekino district" and "Kyiv's Shevchenkivskyi district".

        The owner of a district is its oblast when the district is one of the oblast's;
        otherwise the district is a city district, resolved where the gazetteer has it
        near the city and else placed at the city (precision 2).  Either way the owner
        is context, not a place of its own.
        """
        for i in range(len(spans) - 1):
            owner, unit = spans[i], spans[i + 1]
            if (owner.kind != "place" or unit.kind != "admin" or not cands[i]
                    or not _POSSESSIVE_GAP.match(text[owner.end:unit.start])):
                continue
            oblast = self._oblast_named(owner.text)
            got = chosen[i + 1].candidate.place if chosen[i + 1] else None
            if oblast is not None and got is not None and got.admin1_code == oblast.admin1_code \
                    and got.feature_code in ("ADM2", "ADM3"):
                owner.role = "qualifier"
                chosen[i] = Scored(_as_unit(oblast), 0.9, True,
                                   [f"{unit.text} is a district of {oblast.name}"])
                continue
            if ADMIN_TYPE_WORDS.get(unit.admin_hint) not in ("ADM2", "ADM3"):
                continue  # "China's Hunan province": a city has districts, no provinces
            city = next((c.place for c in cands[i] if not c.place.is_admin
                         and c.place.population >= _CITY_WITH_DISTRICTS), None)
            if city is None:
                continue
            core = loose_key(core_name(unit.text))
            inside = next((p for p, _ in self.gazetteer.within(city.lat, city.lon, 25, None)
                           if p.id != city.id and (p.is_admin or p.population >= _CITY_DISTRICT)
                           and (loose_key(core_name(p.name)) == core
                                or stem_key(p.name) == stem_key(unit.text))), None)
            owner.role = "qualifier"
            chosen[i] = Scored(Candidate(city, 0.95, city.name, "exact"), 0.95, True,
                               [f"the city whose district is {unit.text}"])
            place = inside or city
            why = (f"{unit.text} of {city.name}" if inside else
                   f"no {unit.text} of {city.name} in the gazetteer: placed at the city")
            scored = Scored(Candidate(place, 0.9, place.name, "city-district"), 0.9, True, [why],
                            confidence=0.8 if inside else 0.5, needs_review=inside is None)
            chosen[i + 1] = scored
            unit.admin_hint = f"city-district:{1 if inside else 2}"

    @lru_cache(maxsize=20_000)  # noqa: B019 - one resolver per gazetteer, lives as long
    def _oblast_named(self, name: str) -> Place | None:
        """The first-level unit whose core name this is ('Donetsk' → Donetsk Oblast)."""
        core = core_name(name)
        for c in self.gazetteer.search(name, feature_class="A", limit=5, fuzzy=False):
            if c.place.feature_code == "ADM1" and (  # "Zaporizhia", as ACLED spells it
                    core_name(c.place.name) == core
                    or loose_key(core_name(c.place.name)) == loose_key(core)):
                return c.place
        return None

    def _local_context(self, i, spans, text, ctx: Context) -> tuple:
        """(admin1, admin2, country[, district centre]) named next to mention i."""
        local = ctx.local[i] if i in ctx.local else _local_hint(i, spans, text, self, ctx)
        if i in ctx.qualifiers:
            oblast = ctx.qualifiers[i]
            local = (oblast.admin1_code, ctx.districts.get(i) or local[1], oblast.country)
        if local[1]:
            unit = self._admin_unit(local[1], "ADM2", local[2], local[0])
            # a raion the index lacks, or one that is only a hromada's name now: near its centre
            if unit is None or (unit.feature_code == "ADM3" and _RAION_WORD.search(local[1])):
                region = local[0] or next((a.admin1_code for a in ctx.admin1), None)
                local = (*local, self._district_centre(local[1], local[2], region))
        return local

    def _rank(self, i, span, cands, ctx, spans, text) -> list[Scored]:
        """The candidates scored and sorted, best first.

        The list is memoised per text and shared: a caller that changes one copies it.
        """
        local = self._local_context(i, spans, text, ctx)
        places = [c.place for c in cands]
        near = [p.id for j, p in ctx.near(i) if j != i]
        ids = tuple(p.id for p in places)
        if not near and i in ctx.neighbours:
            pool = ctx.neighbours[i]
            focus = ctx.focus_memo.get((ids, id(pool)))
            if focus is None:
                focus = ctx.focus_memo[(ids, id(pool))] = _nearest(places, pool)
        else:
            focus = ctx.focus_memo.get((ids, tuple(near)))
            if focus is None:
                focus = ctx.focus_memo[(ids, tuple(near))] = ctx.focus_distances(places, i)
        # a name repeated with the same context scores the same: score it once per text
        memo_key = (span.text, span.kind, span.trigger, local[:3], bool(len(local) > 3 and local[3]),
                    ids, frozenset(near), id(focus))
        if memo_key in ctx.ranked:
            return ctx.ranked[memo_key]
        # a bare name a city carries is the city, not the region around it ("a drone attack
        # on Belgorod"), however many places of the region the text names
        city_named = span.kind == "place" and any(
            not c.place.is_admin and c.place.population >= _SMALL_PLACE
            and core_name(c.place.name) == core_name(span.text) for c in cands)
        # the war-zone prior tells villages apart, never a city from a village
        big = _big_cities(cands)
        theatre = self.theatre if not big else {}
        unit_first = not any(c.match == "exact" for c in big)
        frame = _Frame(i, span, ctx, local)
        # "the Ryazan oil refinery" in a text that names Tver Oblast: the city, not a
        # village of Tver Oblast named like it (a place "near Seversk in the Donetsk
        # region" is the region's Siversk, not Seversk near Tomsk)
        frame.big_city_elsewhere = span.kind == "facility" and bool(big) and not any(
            c.place.admin1_code in frame.named_admin1 for c in big)
        scored = [self._score(i, span, c, ctx, local, f, city_named, theatre, unit_first, frame)
                  for c, f in zip(cands, focus, strict=True)]
        if any(c.score >= _SCORES_EXACTISH for c in cands):
            for s in scored:  # a spelling guess must not beat the name as written
                if s.candidate.score < 0.95:
                    s.total -= 0.15
        scored.sort(key=lambda s: s.total, reverse=True)
        ctx.ranked[memo_key] = scored
        return scored

    def _score(self, i: int, span: Span, c: Candidate, ctx: Context, local,
               focus: tuple[float, Place | None] | None = None,
               city_named: bool = False, theatre: dict[str, float] | None = None,
               unit_first: bool = False, frame: _Frame | None = None) -> Scored:
        frame = frame or _Frame(i, span, ctx, local)
        p = c.place
        is_admin = p.is_admin
        total, reasons, fits = c.score, [], True
        total += 0.12 * min(1.0, math.log10(p.population + 1) / 7) if not is_admin \
            else _ADMIN_PRIOR.get(p.feature_code, 0.0)
        if unit_first and p.feature_code == "ADM1" and c.match == "exact":
            total += 0.05  # "Florida", "Ohio": a state so named, unless a big city is too
        # explicit local hint: hard constraint
        local_admin1, local_admin2, local_country = local[:3]
        if local_country:
            if p.country == local_country.upper():
                total += 0.3
            else:
                fits = False
        if local_admin1:
            if admin_matches(local_admin1, p.admin1, p.admin1_code):
                total += 0.6
                if ctx.origin == Context.origin:
                    reasons.append(f"{p.admin1 or local_admin1} named next to it")
            else:
                fits = False
        if local_admin2:
            if admin_matches(local_admin2, p.admin2, p.admin2_code, p.admin3):
                total += 0.3
                if ctx.origin == Context.origin:
                    reasons.append(f"{p.admin2 or local_admin2} named next to it")
            elif p.admin2:
                total -= 0.2
        # article context
        if frame.countries_total is not None:
            share = ctx.countries.get(p.country, 0) / frame.countries_total
            total += 0.3 * share - 0.1
            if share >= 0.3 and not reasons:
                reasons.append(f"{p.country} {ctx.origin}")
        in_named_admin1 = bool(p.admin1_code) and p.admin1_code in frame.named_admin1 and not (
            frame.big_city_elsewhere and not local_admin1 and p.population < _BIG_CITY)
        if in_named_admin1:
            total += 0.35
            reasons.insert(0, f"{p.admin1} {ctx.origin}")
        elif not ctx.admin1 and p.admin1_code and p.admin1_code in frame.implied_admin1 \
                and ctx.implied.get(i) is None:
            total += 0.2  # the one region another name of the text has
        if p.admin2 and ctx.admin2 and any(admin_matches(a.admin2, p.admin2, p.admin3)
                                           for a in ctx.admin2):
            total += 0.2
            reasons.insert(0, f"{p.admin2} {ctx.origin}")
        centre = frame.centre
        if centre is not None and not is_admin:
            km = haversine_km(p.lat, p.lon, centre.lat, centre.lon)
            if km <= DISTRICT_RADIUS_KM:
                total += 0.3
                reasons.append(f"{km:.0f} km from {centre.name}")
            else:
                total -= 0.2
        # co-mentioned places
        dist, anchor = focus if focus is not None else ctx.focus_distance(p, i)
        # a transliteration guess gains less, unless it reads a Russian name in its
        # Ukrainian form or back ("Kurylivka" for Kurilovka near Sudzha)
        weight = 1.0 if c.score >= 0.95 or c.match == "loose" and p.country in (
            "UA", "RU") else 0.5
        inside = [] if not is_admin or _is_country(p) or city_named else [
            a for a in frame.others if _contains(p, a) and core_name(a.name) != core_name(p.name)]
        if inside:
            total += 0.4 * weight  # the region contains co-mentioned places
            reasons.append(f"contains the co-mentioned {inside[0].name}")
        elif anchor is not None:
            total += 0.4 * weight * math.exp(-dist / 40.0)
            if dist < 100:
                reasons.append(f"{dist:.0f} km from {anchor.name}")
        # feature type
        trigger = span.trigger
        if trigger in ("village",) and p.population > 100_000:
            total -= 0.25
        if trigger == "city" and 0 < p.population < 10_000:
            total -= 0.1
        if is_admin and span.kind == "place" and not _is_country(p):
            total -= 0.2 if frame.settlement_named else 0.03  # "Ilovaysk Town" is no hromada
        if p.feature_code in ("PPLC", "PCLI") or p.population >= 1_000_000 or (
                p.population >= _WAR_ZONE_CITY and p.admin1_code in self.theatre):
            total += 0.08  # capitals and big cities are what a bare name usually means
        if p.located_by == "hromada-centroid":
            total -= 0.03
        theatre = theatre.get(p.admin1_code, 0.0) if theatre and not is_admin else 0.0
        if theatre and frame.war_countries:
            total += theatre
        # a typo-level (fuzzy) match needs corroboration from context
        if c.match == "fuzzy" and not (
                (local_admin1 and fits) or in_named_admin1 or dist <= FOCUS_KM):
            fits = False
            reasons.append("only a fuzzy name match, not supported by the context")
        # never snap to a far namesake: villages (named as such, or tiny) far from the focus
        small = not is_admin and (p.population < _TINY_PLACE or (
            p.population < _SMALL_PLACE and span.trigger in ("village", "near", "town")))
        has_focus = anchor is not None or bool(ctx.admin1)
        # the one region a name's records have stands against the co-mentioned places
        # ("near Sudzha" beside two Chernihiv namesakes), unless the text names regions
        sole_region = ctx.implied.get(i) == p.admin1_code and not ctx.admin1
        if fits and small and has_focus and not in_named_admin1 and dist > FOCUS_KM and not (
                local_admin1 or local_country or sole_region):
            fits = False
            reasons.append(f"{dist:.0f} km from the co-mentioned places" if anchor
                           else f"outside the regions {ctx.origin}")
        if fits and p.feature_code in ("ADM2", "ADM3") and span.kind == "place" and ctx.admin1 \
                and not in_named_admin1 and not (local_admin1 or local_country):
            fits = False  # a district for a place name, outside the regions the text names
            reasons.append(f"outside the regions {ctx.origin}")
        return Scored(c, total, fits, reasons)

    def _deeper_namesakes(self, spans, cands, chosen, ctx: Context, text: str) -> None:
        """Names none of whose first namesakes fit: look further down their namesakes.

        A village with a dozen bigger namesakes (Vodiane, Kominternove) falls out of the
        first candidates; the ones of two such names reported together, or of one near a
        resolved place, can still lie together.  Transliteration guesses count here.
        """
        stuck = [i for i, span in enumerate(spans)
                 if chosen[i] is None and span.kind == "place" and span.role == "location"
                 and cands[i] and (ctx.anchors or ctx.neighbours.get(i))]
        deep = [i for i in stuck if len(cands[i]) >= self.limit]
        if not stuck or not (deep or len(stuck) >= 2):
            return
        for i in deep:
            cands[i] = _merge_candidates(cands[i], self.gazetteer.search(
                spans[i].text, limit=_DEEP_CANDIDATES, fuzzy=False))
        ctx.neighbours = _neighbour_candidates(spans, cands, chosen, min_score=0.85,
                                               limit=_DEEP_CANDIDATES)
        ctx.ranked.clear()
        ctx.focus_memo.clear()
        for i in stuck:
            chosen[i] = self._best_fitting(i, spans, cands[i], ctx, text)

    def _best_fitting(self, i, spans, cands, ctx: Context, text: str) -> Scored | None:
        """The best candidate that fits, with its margin reason and confidence."""
        scored = self._rank(i, spans[i], cands, ctx, spans, text)
        best = next((s for s in scored if s.fits), None)
        if best is not None:
            best = best.copy()  # the ranking is shared (see _rank)
            best.reasons.append(_margin_reason(scored, self.theatre))
            _set_confidence(best, scored)
        return best

    def _near_miss(self, i: int, span: Span, cands: list[Candidate],
                   ctx: Context) -> Scored | None:
        """A settlement among the co-mentioned places whose name is one spelling away.

        English reports misspell villages they know from a Telegram post ("Vorozhba" for
        Воробжа/Vorobzha next to Plekhovo and Martynovka); when no namesake of the name
        as written fits the article, a name one edit (or one swapped letter group) away
        inside the focus is the likelier reading.  Returned for review, never silently.
        """
        key = strict_key(span.text)
        siblings = _co_mentioned(i, span, ctx)
        focus = [(p, f"{p.name}") for p in siblings] or [
            (u, u.name) for u in ctx.admin2 if u.located_by != "point"]
        if len(key) < 5 or not focus:
            return None
        lat = sum(p.lat for p, _ in focus) / len(focus)
        lon = sum(p.lon for p, _ in focus) / len(focus)
        spread = max(haversine_km(lat, lon, p.lat, p.lon) for p, _ in focus)
        if spread > NEAR_MISS_KM:  # the co-mentioned places are no tight focus
            return None
        memo = (key, round(lat, 2), round(lon, 2), round(spread), tuple(c.place.id for c in cands))
        if memo in self._near_misses:
            hit = self._near_misses[memo]
            return replace(hit, reasons=list(hit.reasons)) if hit else None
        hit = self._near_miss_search(key, span, cands, siblings, focus, lat, lon, spread)
        if len(self._near_misses) > 10_000:
            self._near_misses.clear()
        self._near_misses[memo] = hit
        return replace(hit, reasons=list(hit.reasons)) if hit else None

    def _in_the_named_district(self, i, spans, cands, chosen: Scored, ctx: Context,
                               text: str) -> Scored:
        """"Chumak village, Starobeshivskiy district": the only Chumak lies 55 km from the
        former raion's centre, but Chumaky, one letter away, lies in it: a village named
        with its district, whose chosen namesake is outside it, may be misspelt."""
        place, key = chosen.candidate.place, strict_key(spans[i].text)
        if place.is_admin or len(key) < 5:
            return chosen
        local = self._local_context(i, spans, text, ctx)
        centre = local[3] if len(local) > 3 else None
        if centre is None or haversine_km(
                place.lat, place.lon, centre.lat, centre.lon) <= DISTRICT_RADIUS_KM:
            return chosen
        hit = self._near_miss_search(key, spans[i], cands, [], [(centre, centre.name)],
                                     centre.lat, centre.lon, DISTRICT_RADIUS_KM - NEAR_MISS_KM)
        return hit or chosen

    def _near_miss_search(self, key, span, cands, siblings, focus, lat, lon,
                          spread) -> Scored | None:
        nearby = self.gazetteer.settlements_keyed(_spellings_one_away(key), lat, lon,
                                                  NEAR_MISS_KM + spread)
        ranked = sorted(((fuzz.ratio(key, other), -km, rid, other) for rid, km, other in nearby
                         if other != key and _one_spelling_away(key, other)), reverse=True)
        taken = {p.id for p in siblings} | {c.place.id for c in cands}
        best = None
        for _, _, rid, other in ranked:
            place = self.gazetteer.get_rid(rid)
            if place.id not in taken and not place.is_admin:
                name = next((n for n in (place.name, *place.alternatenames)
                             if strict_key(n) == other and not has_cyrillic(n)), place.name)
                best = (place, name)
                break
        if best is None:
            return None
        place, name = best
        anchor = min(focus, key=lambda f: haversine_km(place.lat, place.lon, f[0].lat, f[0].lon))
        cyrillic = next((n for n in place.alternatenames if has_cyrillic(n)), "")
        read_as = f"{place.name} ({cyrillic})" if cyrillic else place.name
        why = (f"{span.text!r} read as {read_as}, one spelling away, "
               f"{haversine_km(place.lat, place.lon, anchor[0].lat, anchor[0].lon):.0f} km from "
               f"{anchor[1]}")
        if cands:
            far = min((c.place for c in cands),
                      key=lambda p: haversine_km(lat, lon, p.lat, p.lon))
            why += (f"; the exact-name {far.name} ({far.admin1 or far.country}, {far.country}) "
                    f"is {haversine_km(lat, lon, far.lat, far.lon):.0f} km away")
        cand = Candidate(place, 0.75, name, "near-miss")
        return Scored(cand, 0.75, True, [why], confidence=0.6, needs_review=True)

    def _named_region(self, i: int, local: tuple, ctx: Context) -> Place | None:
        """The first-level unit named with mention i (or the only one the text names)."""
        named = [u for u in ctx.admin1 if local[0] and admin_matches(local[0], u.name,
                                                                      u.admin1_code)]
        return ctx.qualifiers.get(i) or (named[0] if named else None) or (
            self._admin_unit(local[0], "ADM1", local[2], None) if local[0] else None) or (
            ctx.admin1[0] if len(ctx.admin1) == 1 else None)

    def _typo_in_region(self, i: int, spans: list[Span], ctx: Context,
                        text: str) -> Scored | None:
        """"Iloviaks town, Donetsk": a name no record has, with its oblast, whose letters
        are those of one town of that oblast up to two typing slips (Ilovaisk)."""
        span = spans[i]
        key = strict_key(span.text)
        local = ctx.local.get(i) or _local_hint(i, spans, text, self, ctx)
        region = self._named_region(i, local, ctx)
        if len(key) < 6 or region is None or not region.admin1_code:
            return None
        code = region.admin1_code
        allowed = 2 if len(key) >= 8 else 1
        distances = ((OSA.distance(key, other, score_cutoff=allowed), rid)
                     for rid, other in self._settlement_keys(code)
                     if abs(len(other) - len(key)) <= allowed)
        close = sorted({(e, rid) for e, rid in distances if e <= allowed})
        towns = [(edits, p) for edits, p in ((e, self.gazetteer.get_rid(r)) for e, r in close)
                 if p.population >= _TYPO_TOWN_POPULATION]
        if not towns or len({p.id for e, p in towns if e == towns[0][0]}) > 1:
            return None  # no town so spelt, or two equally close: no guess
        edits, place = towns[0]
        why = (f"{span.text!r} read as {place.name}, {edits} typing slip{'s' if edits > 1 else ''} "
               f"away, a town of {region.name} named with it")
        cand = Candidate(place, 0.7, place.name, "near-miss")
        return Scored(cand, 0.7, True, [why], confidence=0.5, needs_review=True)

    def _regional_form(self, i: int, spans: list[Span], cands: list[Candidate], ctx: Context,
                       text: str) -> Scored | None:
        """A village of the region named with it, written in its other language's form.

        Coders working from Russian-language sources write Ukrainian villages in their
        Russian form ("Alekseyevka (Velikonovoselkovsky district) Donetsk region" is
        Oleksiivka); where the gazetteer lacks that form, a settlement of the named region
        whose name has the same consonants (:func:`consonant_skeleton`) is the reading,
        nearest the named district's centre or the co-mentioned places.  For review.
        """
        span = spans[i]
        if any(0 <= j < len(spans) and _ONE_NAME_GAP.match(
                text[min(span.end, spans[j].end):max(span.start, spans[j].start)])
               for j in (i - 1, i + 1)):
            return None  # a word of a longer name ("Nyzhnie Krynka", "Krasnaya (Chervona)")
        skeleton = consonant_skeleton(strict_key(span.text))
        local = ctx.local.get(i) or _local_hint(i, spans, text, self, ctx)
        region = self._named_region(i, local, ctx)
        if len(skeleton) < 4 or region is None or not region.admin1_code \
                or region.country not in _TWO_FORM_COUNTRIES:
            return None
        code = region.admin1_code
        if code not in self._skeletons:
            by_skeleton: dict[str, list[int]] = {}
            for rid, key in self._settlement_keys(code):
                by_skeleton.setdefault(consonant_skeleton(key), []).append(rid)
            self._skeletons[code] = by_skeleton
        rids = list(dict.fromkeys(self._skeletons[code].get(skeleton, ())))
        if not rids:
            return None
        places = [self.gazetteer.get_rid(rid) for rid in rids]
        centre = self._district_centre(local[1], region.country, code) if local[1] else None
        anchors = [centre] if centre else [a for j, a in ctx.near(i) if j != i]
        if anchors:
            km = _distance_matrix(places, anchors).min(axis=1)
            order = sorted(range(len(places)), key=lambda k: km[k])
            place, dist = places[order[0]], float(km[order[0]])
            if dist > (DISTRICT_RADIUS_KM if centre else FOCUS_KM):
                return None
            where = f"{dist:.0f} km from {(centre or anchors[0]).name}"
        elif len(places) == 1:
            place, where = places[0], f"the only such name in {region.name}"
        else:
            return None
        cyrillic = next((n for n in place.alternatenames if has_cyrillic(n)
                         and consonant_skeleton(strict_key(n)) == skeleton), "")
        read_as = f"{place.name} ({cyrillic})" if cyrillic else place.name
        why = (f"{span.text!r} read as {read_as}, the same name in its other language's form, "
               f"in {region.name} named with it; {where}")
        cand = Candidate(place, 0.75, span.text, "regional-form")
        return Scored(cand, 0.75, True, [why], confidence=0.55, needs_review=True)

    def _neighbourhoods_of_their_towns(self, towns: dict[int, int],
                                       hoods: dict[int, list[Candidate]], spans: list[Span],
                                       chosen: list) -> None:
        """A neighbourhood is the gazetteer's record of it near its town, else the town."""
        for i, j in towns.items():
            if chosen[j] is None or chosen[j].candidate.place.is_admin:
                continue
            town = chosen[j].candidate.place
            km, inside = min(((haversine_km(c.place.lat, c.place.lon, town.lat, town.lon), c)
                              for c in hoods[i] if c.place.id != town.id and c.score >= 0.9),
                             key=lambda kc: kc[0], default=(None, None))
            if km is not None and km <= _NEIGHBOURHOOD_KM:
                spans[i].admin_hint = "city-district:1"
                chosen[i] = Scored(inside, 0.9, True, [
                    f"the {spans[i].text} neighbourhood, {km:.0f} km from the centre of "
                    f"{town.name}"], confidence=0.8)
            else:
                spans[i].admin_hint = "city-district:2"
                chosen[i] = Scored(Candidate(town, 0.9, town.name, "city-district"), 0.9, True,
                                   [f"the {spans[i].text} neighbourhood of {town.name}: placed "
                                    "at the town"], confidence=0.6, needs_review=True)

    def _airports_of_their_towns(self, spans: list[Span], chosen: list) -> None:
        """"Donetsk aiport": an airfield placed at its town is the town's airport where
        the gazetteer has one near it named after the town (the name as written missed)."""
        for i, span in enumerate(spans):
            if span.kind != "facility" or chosen[i] is None \
                    or not _names_an_airfield(span.text):
                continue
            town = chosen[i].candidate.place
            if town.feature_class != "P":
                continue
            names = {strict_key(n) for n in (town.name, town.asciiname) if n}
            airports = [(p, km) for p, km in self.gazetteer.within(
                town.lat, town.lon, AIRPORT_KM, feature_class="S")
                if p.feature_code == "AIRP" and any(n in strict_key(p.name) for n in names)]
            if airports:
                airport, km = airports[0]
                chosen[i] = Scored(
                    Candidate(airport, 0.9, airport.name, "facility-of-town"), 0.9, True,
                    [f"the airport of {town.name}, {km:.0f} km from it"], confidence=0.8)

    def _districts_at_their_centres(self, spans: list[Span], chosen: list) -> None:
        """"Krasnodon district": a district the gazetteer lacks (a former raion), read as a
        settlement of its name, is the district around the town it is named after."""
        for i, span in enumerate(spans):
            place = chosen[i].candidate.place if chosen[i] is not None else None
            if span.kind != "admin" or place is None or place.is_admin \
                    or ADMIN_TYPE_WORDS.get(span.admin_hint) != "ADM2":
                continue
            centre = self._district_centre(span.text, place.country, place.admin1_code)
            if centre is not None and centre.id != place.id:
                chosen[i] = Scored(
                    Candidate(centre, 0.85, span.text, "district-centre"), 0.85, True,
                    [f"no {span.text} in the gazetteer (a former or renamed raion?); placed "
                     f"at {centre.name}"], confidence=0.6)

    # -- output --------------------------------------------------------------
    def _mention(self, i, spans, cands, chosen: Scored | None, ctx: Context,
                 fallback_units: bool = False) -> PlaceMention:
        span = spans[i]
        m = PlaceMention(text=span.text, start=span.start, end=span.end, kind=span.kind,
                         role=span.role, sentence=span.sentence)
        sector = ctx.front_sectors.get(i)
        if chosen is not None:
            p = chosen.candidate.place
            m.place, m.resolved = p, True
            if p.feature_class == "S":  # "Belgorod International Airport", found whole
                m.kind = "facility"

            m.confidence = (chosen.confidence if chosen.confidence is not None
                            else round(min(0.98, chosen.candidate.score), 3))
            if span.admin_hint.startswith("city-district:"):
                m.precision = int(span.admin_hint.rsplit(":", 1)[1])
            elif p.is_admin:
                m.precision = _admin_precision(p)
            elif m.kind in ("facility", "admin") and p.feature_class != "S" \
                    or p.located_by != "point":
                m.precision = 2  # a facility at its town, a district at its centre
            else:
                m.precision = 1
            m.needs_review = chosen.needs_review
            if chosen.candidate.match == "near-miss":
                m.read_as = chosen.candidate.matched_name
            reasons = list(dict.fromkeys(r for r in chosen.reasons if r))
            if p.feature_class == "S":
                reasons.insert(0, f"facility {span.text!r}: {p.name} ({p.note})")
            elif m.kind == "facility":
                reasons.insert(0, f"facility {span.text!r}: placed at {p.name}, not the facility "
                                  "itself")
                m.needs_review = True
            if p.located_by == "hromada-centroid":
                reasons.insert(0, f"placed at the centroid of {p.admin3} (no finer record)")
            if sector and not p.is_admin:
                reasons.insert(0, f"'{span.text} {sector}' is a front sector named after "
                                  f"{p.name}: the area around it, not the town")
                m.precision = 2
            m.reason = "; ".join(_short_reasons(reasons))
            m.needs_review = m.needs_review or m.confidence < 0.5 or p.located_by != "point" \
                and not p.is_admin
            m.alternatives = [c for c in cands if c.place.id != p.id][:5] if m.confidence < 0.9 else []
            return m
        m.alternatives = cands[:5]
        if span.kind == "natural":
            m.reason = f"a {span.trigger}: the gazetteer has no natural features"
            m.needs_review = True
            return m
        area = self._fallback_area(i, span, ctx, prefer_units=fallback_units)
        if area is not None:
            place, precision, why = area
            m.place, m.resolved, m.precision = place, True, precision
            m.confidence, m.needs_review = 0.35, True
            nearest = cands[0].place if cands else None
            if nearest is not None:
                d = ctx.focus_distance(nearest, i)[0]
                why += (f"; nearest namesake {nearest.name} ({nearest.admin1}, {nearest.country})"
                        + (f" is {d:.0f} km away" if d < math.inf else " does not fit"))
            else:
                why += "; the gazetteer has no record of this name"
            m.reason = why
            return m
        m.reason = "no gazetteer record fits" if cands else "not in the gazetteer"
        m.needs_review = True
        return m

    def _fallback_area(self, i, span, ctx: Context, prefer_units: bool):
        """The smallest area that fits: co-mentioned places' district, else named units."""
        if span.kind == "place" and ctx.anchors and not prefer_units:
            siblings = _co_mentioned(i, span, ctx)
            if siblings:
                districts = Counter(p.admin2 for p in siblings if p.admin2)
                district = districts.most_common(1)[0][0] if districts else ""
                group = [p for p in siblings if p.admin2 == district] or siblings
                lat = sum(p.lat for p in group) / len(group)
                lon = sum(p.lon for p in group) / len(group)
                unit = self._admin_unit(district, "ADM2", group[0].country, group[0].admin1) \
                    if district else None
                base = unit or group[0]
                area = replace(base, id=unit.id if unit else f"area:{group[0].id}",
                               geonameid=unit.geonameid if unit else None,
                               name=district or group[0].admin1, lat=lat, lon=lon,
                               feature_class="A", feature_code="ADM2" if district else "ADM1",
                               admin1=group[0].admin1, admin1_code=group[0].admin1_code,
                               admin2=district, country=group[0].country,
                               located_by="co-mentioned-centroid", population=0,
                               source=(unit.source if unit else group[0].source))
                names = ", ".join(dict.fromkeys(p.name for p in group))
                why = (f"no {span.text} in {district or group[0].admin1} in the gazetteer; "
                       f"placed in {district or group[0].admin1} among the co-mentioned {names}")
                return area, 2, why
        if span.kind == "admin" and ADMIN_TYPE_WORDS.get(span.admin_hint) == "ADM2":
            for region in ctx.admin1:  # a former raion: around the town it is named after
                centre = self._district_centre(span.text, region.country, region.admin1_code)
                if centre is not None:
                    return centre, 2, (f"no {span.text} in the gazetteer (a former or renamed "
                                       f"raion?); placed at {centre.name}")
        if i in ctx.qualifiers:
            oblast = ctx.qualifiers[i]
            return oblast, _admin_precision(oblast), (
                f"no {span.text} in {oblast.name} in the gazetteer; placed at the oblast "
                "named after it")
        for units, label in ((ctx.admin2, "district"), (ctx.admin1, "region")):
            if units:
                unit = units[-1]
                return unit, _admin_precision(unit), (
                    f"no fitting {span.text} in the gazetteer; placed at the {label} "
                    f"{unit.name} named with it")
        return None


ANCHOR_WINDOW = 60  # co-mentioned places count within this many names of a mention
NEIGHBOUR_SENTENCES = 2  # names this many sentences apart can vouch for each other
NEIGHBOUR_SPANS = 12  # ... and at most this many names either side (linear on any text)
_DEEP_CANDIDATES = 60  # namesakes looked at for a name none of whose first ones fit


def _neighbour_candidates(spans: list[Span], cands: list[list[Candidate]], chosen: list,
                          min_score: float = 0.95,
                          limit: int = 25) -> dict[int, list[Place]]:
    """For each unresolved place span, the settlement candidates of the other names nearby.

    Names reported together lie together: a Sudzha among Goncharovka and Martynovka is
    the Kursk town, not the Buryat hamlet, even before any of the three is sure.  Only
    names within ``NEIGHBOUR_SENTENCES`` and ``NEIGHBOUR_SPANS`` count: linear on any text.
    """
    eligible = [j for j, span in enumerate(spans)
                if span.kind == "place" and chosen[j] is None and cands[j]]
    settlements = {j: [c.place for c in cands[j][:limit]
                       if not c.place.is_admin and c.score >= min_score] for j in eligible}
    out: dict[int, list[Place]] = {}
    pools: dict[tuple, list[Place]] = {}  # one list per set of names (repeated text shares it)
    for k, i in enumerate(eligible):
        span = spans[i]
        own = core_name(span.text)
        pool: dict[str, Place] = {}
        names: set[str] = set()
        for j in eligible[max(0, k - NEIGHBOUR_SPANS):k + NEIGHBOUR_SPANS + 1]:
            other = spans[j]
            if abs(other.sentence - span.sentence) > NEIGHBOUR_SENTENCES or other.text in names \
                    or core_name(other.text) == own:
                continue
            names.add(other.text)  # a name repeated nearby adds nothing new
            for place in settlements[j]:
                pool.setdefault(place.id, place)
        if pool:
            out[i] = pools.setdefault((own, tuple(sorted(names))), list(pool.values()))
    return out


def _distance_matrix(places: list[Place], others: list[Place]) -> np.ndarray:
    """Great-circle km from each of ``places`` (rows) to each of ``others`` (columns)."""
    return haversine_km(np.array([p.lat for p in places])[:, None],
                        np.array([p.lon for p in places])[:, None],
                        np.array([o.lat for o in others])[None, :],
                        np.array([o.lon for o in others])[None, :])


def _nearest(places: list[Place], others: list[Place]) -> list[tuple[float, Place | None]]:
    """Distance (km) from each place to the nearest of ``others``, and that place."""
    return [(km, others[b]) for km, b in nearest_km([(p.lat, p.lon) for p in places],
                                                    [(o.lat, o.lon) for o in others])]


def _co_mentioned(i: int, span: Span, ctx: Context) -> list[Place]:
    """Settlements mentioned with this one: same sentence, else the article's main cluster."""
    places = [(j, p) for j, p in ctx.near(i) if j != i and not p.is_admin]
    same = [p for j, p in places if j in ctx.sentence_of and ctx.sentence_of[j] == span.sentence]
    if same or not places:
        return list({p.id: p for p in same}.values())
    in_regions = [(j, p) for j, p in places
                  if any(p.admin1_code == a.admin1_code for a in ctx.admin1)]
    places = list({p.id: (j, p) for j, p in (in_regions or places)}.values())

    def neighbours(p: Place) -> list[Place]:
        return [q for _, q in places if haversine_km(p.lat, p.lon, q.lat, q.lon) <= FOCUS_KM]

    return max((neighbours(p) for _, p in places), key=len)


# "Russia's Kursk", "Ukraine's Sumy": a country's oblast-capital name is its region.
_COUNTRY_POSSESSIVE = re.compile(r"\b(Russia|Ukraine|Belarus)(?:'s|’s)\s+$")
_CITY_CUE_AFTER = re.compile(r"^(?:'s|’s)\s+(?:mayor|city\b|city council|city military)",
                             re.IGNORECASE)
_CITY_CUE_BEFORE = re.compile(r"\b(?:city|town|centre|center|downtown|mayor)\s+of\s+(?:the\s+)?$",
                              re.IGNORECASE)
_REGION_CUE_AFTER = re.compile(
    r"^(?:(?:'s|’s)?\s*(?:regional\s+)?(?:governor|oblast administration|regional administration|"
    r"military administration)|\s+regional\s+(?:[\w'’-]+\s+){0,2}?(?:"
    + "|".join(sorted(REGIONAL_BODY_WORDS)) + r")|\s+people[’']s\s+republic|\s+(?:incursion|offensive|counteroffensive|counter-offensive|"
    r"operation|salient|border area|borderlands))\b", re.IGNORECASE)
_ANAPHORIC_REGION = re.compile(r"\bthe\s+(?:border\s+|frontier\s+)?(?:region|oblast)\b(?!\s+of)",
                               re.IGNORECASE)
_FRONT_SECTOR = re.compile(r"^\s+(direction|axis|sector|front|salient|bridgehead)\b",
                           re.IGNORECASE)
# a town this big may have city districts ("Kherson's Dniprovskyi district": GeoNames
# counts 66,000 people in Kherson since 2022)
_CITY_WITH_DISTRICTS = 50_000
_CITY_DISTRICT = 10_000  # a city district's people (a village named like it has fewer)
_FRONT_SECTORS = re.compile(rf"^\s+({'|'.join(PLURAL_FRONT_SECTOR_WORDS)})\b", re.IGNORECASE)
_POSSESSIVE_GAP = re.compile(r"^(?:'s|’s)\s+$")
_RAION_WORD = re.compile(r"\b(?:district|raion|rayon|region)\b", re.IGNORECASE)
_SETTLEMENT_WORD = re.compile(rf"\b{_SETTLEMENT_NOUN}\b", re.IGNORECASE)
_NEXT_WORD = re.compile(r"^\s+([A-Za-z]+)")
_TERRITORY_NOUN = re.compile(r"^\s+(territory|soil|land|airspace)\b", re.IGNORECASE)
# "Yampil, Donetsk", "Hoptivka (Kharkiv", "Pobeda village, Donetsk"
_QUALIFIER_GAP = re.compile(rf"^\s*(?:{_SETTLEMENT_NOUN}\s*)?[,(]\s*$", re.IGNORECASE)
_FACILITY_IN = re.compile(rf"^\s*,?\s*(?:in|at|near|outside)\s+(?:the\s+{_SETTLEMENT_NOUN}\s+of\s+)?$",
                          re.IGNORECASE)
_TWO_FORM_COUNTRIES = ("UA", "RU", "BY")  # names written in a Russian and a local form
_ONE_NAME_GAP = re.compile(r"^[\s()]*$")  # names this close are words of one name
_NEIGHBOURHOOD = r"(?:neighbou?rhoods?|micro-?districts?|quarter)"
_NEIGHBOURHOOD_KM = 15  # a neighbourhood record this close to its town's centre is it
_NEIGHBOURHOOD_AFTER = re.compile(rf"\s+{_NEIGHBOURHOOD}\b", re.IGNORECASE)
_NEIGHBOURHOOD_OF = re.compile(rf"^\s+{_NEIGHBOURHOOD}\s+(?:of|in)\s+(?:the\s+city\s+of\s+)?$",
                               re.IGNORECASE)
# "Enerhodar, home to the Zaporizhzhia nuclear power plant", "Kurchatov, where the Kursk NPP is"
_HOME_TO = re.compile(r"^\s*,?\s*(?:home\s+to|the\s+site\s+of|site\s+of|which\s+hosts|where)"
                      r"\s+(?:is\s+)?(?:the\s+)?$", re.IGNORECASE)
_OPENING_BRACKET = re.compile(r"^\s*\(\s*$")
_CLOSING_BRACKET = re.compile(r"^\s*\)")
_LIST_CONTINUES = re.compile(r"^\s*,?\s*(?:and|or)\s+[A-Z]|^\s*,\s*[A-Z]")


def _neighbourhood_towns(spans: list[Span], text: str) -> dict[int, int]:
    """Neighbourhoods and the towns they are of, by span ("Chasiv Yar's Kanal
    neighbourhood", "the Saltivka microdistrict of Kharkiv")."""
    towns = {}
    for i, span in enumerate(spans):
        if span.kind != "place" or not _NEIGHBOURHOOD_AFTER.match(text, span.end):
            continue
        before, after = spans[i - 1] if i else None, spans[i + 1] if i + 1 < len(spans) else None
        if before is not None and before.kind == "place" and before.sentence == span.sentence \
                and _POSSESSIVE_GAP.match(text[before.end:span.start]):
            towns[i] = i - 1
        elif after is not None and after.kind == "place" and after.sentence == span.sentence \
                and _NEIGHBOURHOOD_OF.match(text[span.end:after.start]):
            towns[i] = i + 1
    return towns


def _admin_level(span: Span) -> str:
    """The level an admin mention's type word asks for ("X hromadas": ADM3); ADM1 if none."""
    hint = PLURAL_ADMIN_TYPE_WORDS.get(span.admin_hint, span.admin_hint)
    return ADMIN_TYPE_WORDS.get(hint, "ADM1")


def _sentence_around(text: str, span: Span, reach: int = 300) -> str:
    """The sentence a span stands in (cut at '.', '!' or '?' within ``reach`` characters)."""
    start = max(0, span.start - reach)
    left = max(text.rfind(". ", start, span.start), text.rfind("\n", start, span.start))
    ends = [k for k in (text.find(". ", span.end, span.end + reach),
                        text.find("\n", span.end, span.end + reach)) if k >= 0]
    return text[left + 1 if left >= 0 else start: min(ends) if ends else span.end + reach]


def _local_hint(i: int, spans: list[Span], text: str, resolver: Resolver, ctx: Context):
    """Admin unit/country named right after a name ('X, in Ukraine's Sumy region').

    A region the text misspells ("Mariupol, Dontesk region") is given by the code of the
    unit it was read as.
    """
    span = spans[i]
    admin1 = admin2 = country = None
    prev = span
    for j, other in enumerate(spans[i + 1:i + 4], start=i + 1):
        if other.sentence != span.sentence:
            break
        gap = text[prev.end:other.start]
        if not (_LOCAL_GAP if prev is span else _CHAIN_GAP).match(gap) or (
                prev is not span and (prev.kind != "admin" or other.kind != "admin")):
            break  # a chain runs through admin units only: "X, Tennessee, Richmond" is a list
        prev = other
        if other.kind == "admin":
            level = "admin1" if other.admin_hint in ("oblast", "obl", "region", "province", "krai",
                                                     "republic", "state") else "admin2"
            unit = ctx.units.get(j)
            name = unit.admin1_code if level == "admin1" and unit and unit.feature_code == "ADM1" \
                else other.text
            if level == "admin1":  # of two "regions" in a chain the first is a raion
                admin2, admin1 = (admin1 or admin2), name
            else:
                admin2 = other.text
        elif other.kind == "place" and gap.strip() in (",", "(", ", in", "in"):
            # "Wintersville, Ohio" when the name reads first as a state or country, not
            # "Kursk, Belgorod and Voronezh" (Belgorod is first the city)
            best = next((c for c in resolver._candidates(other)[:3] if c.score >= 0.95), None)
            if best is not None and _is_country(best.place):
                country = best.place.country
            elif best is not None and best.place.feature_code == "ADM1":
                admin1 = best.place.admin1
    return admin1, admin2, country


def _names_an_airfield(text: str) -> bool:
    """'Donetsk aiport', 'Engels air base'."""
    low = text.lower()
    return low.endswith("air base") or any(w in AIRFIELD_WORDS for w in low.split())


def _facilities_where_the_text_puts_them(spans: list[Span], chosen: list, text: str) -> None:
    """"Zaporizhzhia NPP in Enerhodar": a facility named after one place stands in another.

    A facility the gazetteer lacks is placed at the town its name starts with; where the
    text says which settlement it is in, at or near, that settlement is where it is.
    """
    for i, k in (*((i, i + 1) for i in range(len(spans) - 1)),
                 *((i, i - 1) for i in range(1, len(spans)))):
        span, town = spans[i], spans[k]
        gap = text[span.end:town.start] if k > i else text[town.end:span.start]
        if span.kind != "facility" or chosen[i] is None or chosen[k] is None \
                or chosen[i].candidate.place.feature_class == "S" \
                or town.sentence != span.sentence \
                or not (_FACILITY_IN if k > i else _HOME_TO).match(gap):
            continue
        place = chosen[k].candidate.place
        if place.is_admin or place.id == chosen[i].candidate.place.id:
            continue
        chosen[i] = Scored(Candidate(place, 0.9, place.name, "facility-in"), 0.9, True,
                           [f"the text puts it in {place.name}"], confidence=0.7)


def _short_reasons(reasons: list[str], most: int = 4) -> list[str]:
    """One short line: a unit named next to the name is not also 'named in the text', and a
    country goes once a unit inside it is named."""
    nearby = {r.removesuffix(" named next to it") for r in reasons if r.endswith(" named next to it")}
    units = bool(nearby) or any(r.endswith(" named in the text") and len(r.split()[0]) > 2
                                for r in reasons)
    kept = [r for r in reasons
            if not (r.endswith(" named in the text")
                    and (r.removesuffix(" named in the text") in nearby
                         or units and len(r.split()[0]) == 2 and r.split()[0].isupper()))]
    return kept[:most]


def _qualifying_oblast(oblast: Place, cands: list[Candidate], words: str) -> Scored:
    """The oblast a qualifying name reads as (its own candidate where it has one)."""
    found = next((c for c in cands if c.place.id == oblast.id), None)
    return Scored(found or _as_unit(oblast), 0.9, True,
                  [f"{words} names the " + ("oblast" if oblast.country == "UA" else "region")])


def _as_unit(unit: Place) -> Candidate:
    """An admin unit the text names by its core name ("Donetsk" for Donetsk Oblast)."""
    return Candidate(unit, 0.9, unit.name, "core")


def _implied_regions(spans: list[Span], cands: list[list[Candidate]],
                     theatre: dict[str, float]) -> dict[int, str]:
    """First-level units the text implies, by span: that of a settlement name whose
    records as spelt (at most three) lie in one unit, or in one unit of the war zone
    ("Sudzha" is in Kursk Oblast; the other Sudzha lies in Buryatia)."""
    out = {}
    for i, (span, found) in enumerate(zip(spans, cands, strict=True)):
        if span.kind != "place" or span.role != "location":
            continue
        spelt = [c.place for c in found if c.score >= _SCORES_EXACTISH]
        if not 0 < len(spelt) <= 3 or any(p.is_admin for p in spelt):
            continue
        codes = {p.admin1_code for p in spelt} - {""}
        in_theatre = {code for code in codes if code in theatre}
        if len(codes) == 1 or len(in_theatre) == 1:
            out[i] = next(iter(codes if len(codes) == 1 else in_theatre))
    return out


def _merge_candidates(first: list[Candidate], more: list[Candidate]) -> list[Candidate]:
    seen = {c.place.id for c in first}
    return first + [c for c in more if c.place.id not in seen]


_KEY_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789 "  # what a strict key is made of


def _spellings_one_away(key: str) -> set[str]:
    """Every strict key ``_one_spelling_away`` can accept for this one (a superset): one
    letter inserted, deleted or replaced, or (7+ letters) one letter moved."""
    out = set()
    for i in range(len(key) + 1):
        head, tail = key[:i], key[i:]
        out.update(head + c + tail for c in _KEY_LETTERS)
        if tail:
            out.add(head + tail[1:])
            out.update(head + c + tail[1:] for c in _KEY_LETTERS)
    if len(key) >= 7:
        for i, letter in enumerate(key):
            rest = key[:i] + key[i + 1:]
            out.update(rest[:j] + letter + rest[j:] for j in range(len(key)))
    out.discard(key)
    return out


def _one_spelling_away(a: str, b: str) -> bool:
    """One edit apart, or (names of 7+ letters) one letter group moved: Vorozhba/Vorobzha."""
    if abs(len(a) - len(b)) > 2:
        return False
    if Levenshtein.distance(a, b, score_cutoff=1) <= 1:
        return True
    return min(len(a), len(b)) >= 7 and Indel.distance(a, b, score_cutoff=2) <= 2 \
        and sorted(a) == sorted(b)


def _contains(unit: Place, place: Place) -> bool:
    """Whether an admin unit (region, district) holds a place, by the place's admin chain."""
    if unit.feature_code == "ADM1":
        return bool(unit.admin1_code) and place.admin1_code == unit.admin1_code
    return place.admin1_code == unit.admin1_code and admin_matches(
        unit.name, place.admin2, place.admin3)


def _big_cities(cands: list[Candidate]) -> list[Candidate]:
    """Cities of 100k+ carrying the name as written: the war-zone prior is not for them."""
    return [c for c in cands if c.place.population >= _BIG_CITY and not c.place.is_admin
            and c.score >= _SCORES_EXACTISH]


def _theatre_weight(theatre: dict[str, float], p: Place) -> float:
    return theatre.get(p.admin1_code, 0.0) if not p.is_admin else 0.0


def _margin_reason(scored: list[Scored], theatre: dict[str, float]) -> str:
    fitting = [s for s in scored if s.fits]
    if len(scored) == 1:
        return "only candidate"
    if len(fitting) == 1:
        return f"only fitting one of {len(scored)} namesakes"
    best = scored[0].candidate.place
    if _big_cities([s.candidate for s in scored]):
        theatre = {}  # not applied (see _rank)

    def without_theatre(s: Scored) -> float:
        return s.total - _theatre_weight(theatre, s.candidate.place)

    if len(fitting) > 1 and fitting[0] is scored[0] and without_theatre(scored[0]) < max(
            without_theatre(s) for s in fitting[1:]):
        return f"in the war zone ({best.admin1}): first of {len(fitting)} fitting namesakes"
    if best.population and best.population >= max(s.candidate.place.population for s in fitting):
        return f"most populous of {len(fitting)} fitting namesakes"
    return f"best of {len(fitting)} fitting namesakes"


def _set_confidence(best: Scored, scored: list[Scored]) -> None:
    """Softmax over candidate totals, scaled by how well the name itself matched."""
    exps = [math.exp(12 * (s.total - best.total)) for s in scored if s.fits]
    share = 1.0 / sum(exps) if exps else 1.0
    best.confidence = round(min(0.98, share * best.candidate.score), 3)
