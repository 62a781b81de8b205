"""Scoring: recognition by overlapping spans, resolution by geodesic error (WGS84) and ids."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from geomap.evaluate.corpora import Document, Prediction
from geomap.geodesy import distance_km

MAX_ERROR_KM = 20039.0  # half the Earth's circumference: the worst possible error


@dataclass
class Tally:
    """Raw counts for one (corpus, system); add tallies to pool corpora."""

    predicted: int = 0
    predicted_matched: int = 0
    gold: int = 0
    gold_found: int = 0
    # per gold toponym with coordinates: (found, error_km or None if unrecognised)
    errors: list[float | None] = field(default_factory=list)
    # per gold toponym with a GeoNames id: (found, exact)
    ids: list[tuple[bool, bool]] = field(default_factory=list)
    # exact-id matches whose gazetteer coordinates lie > 161 km from the gold point
    # (countries/regions placed at a capital or largest city)
    exact_far: int = 0
    found_by_type: Counter = field(default_factory=Counter)
    gold_by_type: Counter = field(default_factory=Counter)

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.predicted + other.predicted,
                     self.predicted_matched + other.predicted_matched,
                     self.gold + other.gold, self.gold_found + other.gold_found,
                     self.errors + other.errors, self.ids + other.ids,
                     self.exact_far + other.exact_far,
                     self.found_by_type + other.found_by_type,
                     self.gold_by_type + other.gold_by_type)


def _overlaps(a_start, a_end, b_start, b_end) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def geodesic_km(lat1, lon1, lat2, lon2) -> list[float]:
    """WGS84 geodesic distances (km) between paired points, vectorised."""
    if not len(lat1):
        return []
    return list(np.atleast_1d(distance_km(np.asarray(lat1, float), np.asarray(lon1, float),
                                          np.asarray(lat2, float), np.asarray(lon2, float))))


def tally(doc: Document, preds: list[Prediction]) -> Tally:
    """Compare one document's predictions with its gold toponyms."""
    t = Tally(predicted=len(preds), gold=len(doc.gold))
    t.predicted_matched = sum(
        any(_overlaps(p.start, p.end, g.start, g.end) for g in doc.gold) for p in preds)
    pairs = []  # (gold, prediction) for gold with coordinates, recognised and resolved
    for g in doc.gold:
        best, best_overlap = None, 0
        for p in preds:
            ov = _overlaps(p.start, p.end, g.start, g.end)
            if ov > best_overlap:
                best, best_overlap = p, ov
        found = best is not None
        t.gold_found += found
        if g.type:
            t.gold_by_type[g.type] += 1
            t.found_by_type[g.type] += found
        exact = bool(found and best.resolved and best.geonameid == g.geonameid)
        if g.geonameid is not None:
            t.ids.append((found, exact))
        if g.lat is not None and g.lon is not None:
            if not found:
                t.errors.append(None)
            elif not best.resolved or best.lat is None:
                t.errors.append(MAX_ERROR_KM)
            else:
                t.errors.append(-1.0)  # placeholder, filled below (vectorised)
                pairs.append((len(t.errors) - 1, g, best, exact))
    if pairs:
        km = geodesic_km([g.lat for _, g, _, _ in pairs], [g.lon for _, g, _, _ in pairs],
                         [p.lat for _, _, p, _ in pairs], [p.lon for _, _, p, _ in pairs])
        for (i, _, _, exact), d in zip(pairs, km, strict=True):
            t.errors[i] = float(d)
            t.exact_far += exact and d > 161
    return t


def _ratio(a: int | float, b: int | float) -> float | None:
    return a / b if b else None


def metrics(t: Tally) -> dict:
    """Precision/recall/F1 and the resolution figures from a tally."""
    p = _ratio(t.predicted_matched, t.predicted)
    r = _ratio(t.gold_found, t.gold)
    f1 = 2 * p * r / (p + r) if p and r else 0.0
    found_err = [e for e in t.errors if e is not None]
    ids_found = [exact for found, exact in t.ids if found]
    out = {
        "predicted": t.predicted, "gold": t.gold,
        "precision": p, "recall": r, "f1": f1,
        "exact_rec": _ratio(sum(ids_found), len(ids_found)),
        "exact_e2e": _ratio(sum(exact for _, exact in t.ids), len(t.ids)),
        "acc161_rec": _ratio(sum(e <= 161 for e in found_err), len(found_err)),
        "acc161_e2e": _ratio(sum(e is not None and e <= 161 for e in t.errors), len(t.errors)),
        "median_km": statistics.median(found_err) if found_err else None,
        "mean_km": statistics.fmean(found_err) if found_err else None,
        "auc": (statistics.fmean(math.log1p(e) for e in found_err) / math.log1p(MAX_ERROR_KM)
                if found_err else None),
        "gold_with_coords": len(t.errors), "gold_with_id": len(t.ids),
        "exact_far_share": _ratio(t.exact_far, sum(exact for _, exact in t.ids)),
    }
    if t.gold_by_type:
        out["recall_by_type"] = {k: round(t.found_by_type[k] / n, 4)
                                 for k, n in sorted(t.gold_by_type.items())}
    return out


def coverage(docs: list[Document], gazetteer) -> dict:
    """Share of gold GeoNames ids (per mention and distinct) the gazetteer holds."""
    ids = [g.geonameid for d in docs for g in d.gold if g.geonameid is not None]
    held = {i: gazetteer.get(str(i)) is not None for i in set(ids)}
    return {"mentions": _ratio(sum(held[i] for i in ids), len(ids)),
            "distinct": _ratio(sum(held.values()), len(held)),
            "gold_ids": len(ids), "distinct_ids": len(held)}
