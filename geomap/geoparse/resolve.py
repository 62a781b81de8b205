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

import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np

from geomap.gazetteer import Gazetteer, admin_matches
from geomap.gazetteer.index import haversine_km
from geomap.gazetteer.normalize import core_name
from geomap.gazetteer.record import Candidate, Place
from geomap.geoparse.mention import PlaceMention, Span

_EARTH_KM = 6371.0088
_LOCAL_GAP = re.compile(r"^(?:\s*,\s*(?:in|of)?\s*|\s*\(\s*|\s+in\s+)(?:the\s+)?$")
FOCUS_KM = 60.0  # a village this far from every co-mentioned place does not fit
_SMALL_PLACE = 50_000
_TINY_PLACE = 5_000
_SCORES_EXACTISH = 0.97  # exact name or one of the record's alternate names
# admin units carry no population; weigh them like a large place of their level
_ADMIN_PRIOR = {"PCLI": 0.12, "ADM1": 0.1, "ADM2": 0.07, "ADM3": 0.05}


@dataclass
class Context:
    """What the article says about where it is."""

    countries: Counter = field(default_factory=Counter)  # ISO2 → weight
    admin1: list[Place] = field(default_factory=list)  # regions named in the text
    admin2: list[Place] = field(default_factory=list)
    anchors: list[tuple[int, Place]] = field(default_factory=list)  # (span index, place)
    sentence_of: dict[int, int] = field(default_factory=dict)  # span index → sentence
    origin: str = "named in the text"  # or "given in the row" (geocoding a table)

    def focus_distance(self, place: Place, exclude: int) -> tuple[float, Place | None]:
        """Distance (km) to the nearest co-mentioned place of another name, and that place."""
        return self.focus_distances([place], exclude)[0]

    def focus_distances(self, places: list[Place], exclude: int) -> list[tuple[float, Place | None]]:
        """``focus_distance`` for many candidates at once (one vectorised haversine)."""
        anchors = [(i, a) for i, a in self.anchors if i != exclude]
        if not anchors or not places:
            return [(math.inf, None)] * len(places)
        lat1 = np.radians([p.lat for p in places])[:, None]
        lon1 = np.radians([p.lon for p in places])[:, None]
        lat2 = np.radians([a.lat for _, a in anchors])[None, :]
        lon2 = np.radians([a.lon for _, a in anchors])[None, :]
        h = (np.sin((lat2 - lat1) / 2) ** 2
             + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
        km = 2 * _EARTH_KM * np.arcsin(np.sqrt(np.minimum(1.0, h)))
        anchor_cores = [core_name(a.name) for _, a in anchors]
        own = np.array([[core_name(p.name) == ac for ac in anchor_cores] for p in places])
        km[own] = np.inf  # a name is no evidence for itself
        best = km.argmin(axis=1)
        return [(float(km[r, b]), anchors[b][1]) if math.isfinite(km[r, b]) else (math.inf, None)
                for r, b in enumerate(best)]


@dataclass
class Scored:
    candidate: Candidate
    total: float
    fits: bool
    reasons: list[str]
    confidence: float | None = None


def _is_country(p: Place) -> bool:
    return p.feature_code in ("PCLI", "PCL", "PCLD")


def _admin_precision(p: Place) -> int:
    return 2 if p.feature_code in ("ADM2", "ADM3", "ADM4") else 3


class Resolver:
    """Turns spans into ``PlaceMention`` objects using one gazetteer."""

    def __init__(self, gazetteer: Gazetteer | None = None, candidates: int = 25):
        self.gazetteer = gazetteer or Gazetteer.default()
        self.limit = candidates
        self._cache: dict[tuple, list[Candidate]] = {}  # names repeat across documents

    # -- public --------------------------------------------------------------
    def resolve(self, spans: list[Span], text: str) -> list[PlaceMention]:
        cands = [self._candidates(s) for s in spans]
        ctx = Context(sentence_of={i: s.sentence for i, s in enumerate(spans)})
        chosen: list[Scored | None] = [None] * len(spans)
        # pass 1: countries and named regions set the context
        for i, span in enumerate(spans):
            if span.kind == "adjectival":
                ctx.countries[span.trigger] += 0.5
                continue
            best = cands[i][0] if cands[i] else None
            if best is None:
                continue
            if _is_country(best.place) and best.score >= 0.95:
                ctx.countries[best.place.country] += 1.0
                chosen[i] = Scored(best, best.score, True, ["country named in the text"])
            elif span.kind == "admin":
                scored = self._score_admin(span, cands[i], ctx)
                if scored:
                    chosen[i] = scored
                    unit = scored.candidate.place
                    (ctx.admin1 if unit.feature_code == "ADM1" else ctx.admin2).append(unit)
                    ctx.countries[unit.country] += 0.5
        self._bare_region_names(spans, cands, chosen, ctx)
        # pass 2: settlements without proximity; confident ones become anchors
        for i, span in enumerate(spans):
            if chosen[i] is None and cands[i]:
                scored = self._rank(i, span, cands[i], ctx, spans, text)
                if span.role == "location" and scored and scored[0].fits and (
                        len(scored) == 1 or scored[0].total - scored[1].total >= 0.1):
                    ctx.anchors.append((i, scored[0].candidate.place))
        # pass 3: rescore with proximity to the anchors
        for i, span in enumerate(spans):
            if chosen[i] is None and cands[i]:
                scored = self._rank(i, span, cands[i], ctx, spans, text)
                best = next((s for s in scored if s.fits), None)
                if best is not None:
                    chosen[i] = best
                    best.reasons.append(_margin_reason(scored))
                    _set_confidence(best, scored)
        return [self._mention(i, spans, cands[i], chosen[i], ctx) for i in range(len(spans))]

    def resolve_name(self, name: str, country: str | None = None, admin1: str | None = None,
                     admin2: str | None = None, near: tuple[float, float] | None = None,
                     kind: str = "place") -> PlaceMention:
        """Resolve one name with a records row's own context (for ``geocode``)."""
        span = Span(name, 0, len(name), kind=kind)
        cands = self._candidates(span, country=country, fuzzy=True)
        ctx = Context(origin="given in the row")
        if country:
            ctx.countries[country.upper()] += 2
        for level, value in (("ADM1", admin1), ("ADM2", admin2)):
            if value:
                unit = self._admin_unit(value, level, country, admin1 if level == "ADM2" else None)
                if unit is not None:
                    (ctx.admin1 if level == "ADM1" else ctx.admin2).append(unit)
        if near:
            ctx.anchors.append((-1, Place("near", "given point", near[0], near[1])))
        scored = []
        for c in cands:
            s = self._score(0, span, c, ctx, local=(admin1, admin2, country))
            scored.append(s)
        scored.sort(key=lambda s: s.total, reverse=True)
        best = scored[0] if scored and scored[0].fits else None
        if best:
            best.reasons.append(_margin_reason(scored))
            _set_confidence(best, scored)
        mention = self._mention(0, [span], cands, best, ctx, fallback_units=True)
        return mention

    # -- candidates ----------------------------------------------------------
    def _candidates(self, span: Span, country: str | None = None,
                    fuzzy: bool | None = None) -> list[Candidate]:
        if span.kind == "adjectival":
            return []
        if fuzzy is None:  # in running text, only names a trigger vouches for ("village of X")
            fuzzy = span.trigger in ("village", "town", "city") or span.kind == "admin"
        key = (span.text, span.kind, country, fuzzy)
        if key not in self._cache:
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[key] = self._search(span, country, fuzzy)
        return self._cache[key]

    def _search(self, span: Span, country: str | None, fuzzy: bool) -> list[Candidate]:
        name = span.text if span.kind != "facility" else span.text.split()[0]
        feature = "A" if span.kind == "admin" else None
        found = self.gazetteer.search(name, country=country, limit=self.limit,
                                      feature_class=feature, fuzzy=fuzzy)
        if span.kind == "admin" and not found:
            found = self.gazetteer.search(core_name(name) or name, country=country,
                                          limit=self.limit)
        return found

    def _admin_unit(self, name: str, level: str, country: str | None,
                    admin1: str | None) -> Place | None:
        for c in self.gazetteer.search(name, country=country, admin1=admin1, limit=10,
                                       feature_class="A"):
            if c.place.feature_code == level or (level == "ADM2" and c.place.feature_code == "ADM3"):
                return c.place
        return None

    # -- scoring -------------------------------------------------------------
    def _score_admin(self, span: Span, cands: list[Candidate], ctx: Context) -> Scored | None:
        want = {"ADM1": ("ADM1",), "ADM2": ("ADM2",), "ADM3": ("ADM3", "ADM2")}
        from geomap.geoparse.lexicon import ADMIN_TYPE_WORDS

        level = ADMIN_TYPE_WORDS.get(span.admin_hint, "ADM1")
        best = None
        for c in cands:
            p = c.place
            total = c.score + (0.2 if p.feature_code in want.get(level, ()) else 0.0)
            total += 0.1 * ctx.countries.get(p.country, 0)
            if not p.is_admin:
                total -= 0.5
            if best is None or total > best.total:
                best = Scored(c, total, p.is_admin, [f"{span.text!r} names an administrative unit"])
        return best if best and best.fits else None

    def _bare_region_names(self, spans, cands, chosen, ctx: Context) -> None:
        """'Kursk' alone means the region where the text also says 'Kursk region'."""
        region_cores = {core_name(p.name): p for p in ctx.admin1}
        for i, span in enumerate(spans):
            if chosen[i] is not None or span.kind != "place" or not cands[i]:
                continue
            unit = region_cores.get(core_name(span.text))
            region_trigger = span.trigger.startswith("admin:")
            if unit is None and not region_trigger:
                continue
            for c in cands[i]:
                if c.place.feature_code == "ADM1" and (unit is None or c.place.id == unit.id):
                    why = ("the text calls it a region elsewhere" if unit is not None
                           else "named as a region")
                    chosen[i] = Scored(c, c.score, True, [why])
                    break

    def _rank(self, i, span, cands, ctx, spans, text) -> list[Scored]:
        local = _local_hint(i, spans, text, self)
        focus = ctx.focus_distances([c.place for c in cands], i)
        scored = [self._score(i, span, c, ctx, local, f) for c, f in zip(cands, focus, strict=True)]
        if any(c.score >= _SCORES_EXACTISH for c in cands):
            for s in scored:  # a spelling guess must not beat the name as written
                if s.candidate.score < 0.95:
                    s.total -= 0.15
        scored.sort(key=lambda s: s.total, reverse=True)
        return scored

    def _score(self, i: int, span: Span, c: Candidate, ctx: Context, local,
               focus: tuple[float, Place | None] | None = None) -> Scored:
        p = c.place
        total, reasons, fits = c.score, [], True
        total += 0.12 * min(1.0, math.log10(p.population + 1) / 7) if not p.is_admin \
            else _ADMIN_PRIOR.get(p.feature_code, 0.0)
        # explicit local hint: hard constraint
        local_admin1, local_admin2, local_country = local
        if local_country:
            if p.country == local_country.upper():
                total += 0.3
            else:
                fits = False
        if local_admin1:
            if admin_matches(local_admin1, p.admin1, p.admin1_code):
                total += 0.6
                if ctx.origin == Context.origin:
                    reasons.append(f"{local_admin1} named next to it")
            else:
                fits = False
        if local_admin2:
            if admin_matches(local_admin2, p.admin2, p.admin2_code, p.admin3):
                total += 0.3
                if ctx.origin == Context.origin:
                    reasons.append(f"{local_admin2} named next to it")
            elif p.admin2:
                total -= 0.2
        # article context
        if ctx.countries:
            share = ctx.countries.get(p.country, 0) / sum(ctx.countries.values())
            total += 0.3 * share - 0.1
            if share >= 0.3 and not reasons:
                reasons.append(f"{p.country} {ctx.origin}")
        in_named_admin1 = any(p.admin1_code and p.admin1_code == a.admin1_code for a in ctx.admin1)
        if in_named_admin1:
            total += 0.35
            reasons.insert(0, f"{p.admin1} {ctx.origin}")
        if any(p.admin2 and admin_matches(a.admin2, p.admin2, p.admin3) for a in ctx.admin2):
            total += 0.2
            reasons.insert(0, f"{p.admin2} {ctx.origin}")
        # co-mentioned places
        dist, anchor = focus if focus is not None else ctx.focus_distance(p, i)
        weight = 1.0 if c.score >= 0.95 else 0.5  # a transliteration guess gains less
        inside = [a for j, a in ctx.anchors if j != i and p.is_admin and not _is_country(p)
                  and a.admin1_code == p.admin1_code and core_name(a.name) != core_name(p.name)]
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
        if p.is_admin and span.kind == "place" and not _is_country(p):
            total -= 0.03
        if p.feature_code in ("PPLC", "PCLI") or p.population >= 1_000_000:
            total += 0.08  # capitals and big cities are what a bare name usually means
        if p.located_by == "hromada-centroid":
            total -= 0.03
        # a typo-level (fuzzy) match needs corroboration from context
        if c.match == "fuzzy" and not (
                (local_admin1 and fits) or in_named_admin1 or dist <= FOCUS_KM):
            fits = False
            reasons.append("only a fuzzy name match, not supported by the context")
        # never snap to a far namesake: villages (named as such, or tiny) far from the focus
        small = not p.is_admin and (p.population < _TINY_PLACE or (
            p.population < _SMALL_PLACE and span.trigger in ("village", "near", "town")))
        has_focus = anchor is not None or bool(ctx.admin1)
        if fits and small and has_focus and not in_named_admin1 and dist > FOCUS_KM and not (
                local_admin1 or local_country):
            fits = False
            reasons.append(f"{dist:.0f} km from the co-mentioned places" if anchor
                           else f"outside the regions {ctx.origin}")
        return Scored(c, total, fits, reasons)

    # -- output --------------------------------------------------------------
    def _mention(self, i, spans, cands, chosen: Scored | None, ctx: Context,
                 fallback_units: bool = False) -> PlaceMention:
        span = spans[i]
        m = PlaceMention(text=span.text, start=span.start, end=span.end, kind=span.kind,
                         role=span.role, sentence=span.sentence)
        if chosen is not None:
            p = chosen.candidate.place
            m.place, m.resolved = p, True
            m.confidence = (chosen.confidence if chosen.confidence is not None
                            else round(min(0.98, chosen.candidate.score), 3))
            if p.is_admin:
                m.precision = _admin_precision(p)
            elif span.kind == "facility" or p.located_by != "point":
                m.precision = 2
            else:
                m.precision = 1
            reasons = list(dict.fromkeys(r for r in chosen.reasons if r))
            if span.kind == "facility":
                reasons.insert(0, f"facility {span.text!r}: placed at {p.name}, not the facility "
                                  "itself")
                m.needs_review = True
            if p.located_by == "hromada-centroid":
                reasons.insert(0, f"placed at the centroid of {p.admin3} (no finer record)")
            m.reason = "; ".join(reasons[:4])
            m.needs_review = m.needs_review or m.confidence < 0.5 or p.located_by != "point" \
                and not p.is_admin
            m.alternatives = [c for c in cands if c.place.id != p.id][:5] if m.confidence < 0.9 else []
            return m
        m.alternatives = cands[:5]
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
        for units, label in ((ctx.admin2, "district"), (ctx.admin1, "region")):
            if units:
                unit = units[-1]
                return unit, _admin_precision(unit), (
                    f"no fitting {span.text} in the gazetteer; placed at the {label} "
                    f"{unit.name} named with it")
        return None


def _co_mentioned(i: int, span: Span, ctx: Context) -> list[Place]:
    """Settlements mentioned with this one: same sentence, else the article's main cluster."""
    places = [(j, p) for j, p in ctx.anchors if j != i and not p.is_admin]
    same = [p for j, p in places if j in ctx.sentence_of and ctx.sentence_of[j] == span.sentence]
    if same or not places:
        return list({p.id: p for p in same}.values())
    in_regions = [(j, p) for j, p in places
                  if any(p.admin1_code == a.admin1_code for a in ctx.admin1)]
    places = list({p.id: (j, p) for j, p in (in_regions or places)}.values())

    def neighbours(p: Place) -> list[Place]:
        return [q for _, q in places if haversine_km(p.lat, p.lon, q.lat, q.lon) <= FOCUS_KM]

    return max((neighbours(p) for _, p in places), key=len)


def _local_hint(i: int, spans: list[Span], text: str, resolver: Resolver):
    """Admin unit/country named right after a name ('X, in Ukraine's Sumy region')."""
    span = spans[i]
    admin1 = admin2 = country = None
    for other in spans[i + 1:i + 4]:
        if other.sentence != span.sentence:
            break
        gap = text[span.end:other.start]
        if not _LOCAL_GAP.match(gap):
            break
        if other.kind == "admin":
            level = "admin1" if other.admin_hint in ("oblast", "region", "province", "krai",
                                                     "republic", "state") else "admin2"
            if level == "admin1":
                admin1 = other.text
            else:
                admin2 = other.text
        elif other.kind == "place" and gap.strip() in (",", "(", ", in", "in"):
            for c in resolver._candidates(other)[:3]:  # "Wintersville, Ohio"
                if c.score < 0.95:
                    continue
                if _is_country(c.place):
                    country = c.place.country
                    break
                if c.place.feature_code == "ADM1":
                    admin1 = c.place.admin1
                    break
    return admin1, admin2, country


def _margin_reason(scored: list[Scored]) -> str:
    fitting = [s for s in scored if s.fits]
    if len(scored) == 1:
        return "only candidate"
    if len(fitting) == 1:
        return f"only fitting one of {len(scored)} namesakes"
    best = scored[0].candidate.place
    if best.population and best.population >= max(s.candidate.place.population for s in fitting):
        return f"most populous of {len(fitting)} fitting namesakes"
    return f"best of {len(fitting)} fitting namesakes"


def _set_confidence(best: Scored, scored: list[Scored]) -> None:
    """Softmax over candidate totals, scaled by how well the name itself matched."""
    exps = [math.exp(12 * (s.total - best.total)) for s in scored if s.fits]
    share = 1.0 / sum(exps) if exps else 1.0
    best.confidence = round(min(0.98, share * best.candidate.score), 3)
