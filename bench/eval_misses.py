"""Error analysis of ``geomap eval``: every gold toponym geomap misses or resolves wrongly.

For the ``geomap`` system (recogniser + context resolver, exactly as ``geomap eval`` runs
it) this lists each gold toponym that is

* not recognised (false negative), with the recogniser rule that dropped it (traced, not
  guessed: a subclass of ``Recogniser`` records every capitalised run and every phrase
  it judged), and whether the naive recogniser (``naive+resolver``) found it;
* recognised but resolved to another GeoNames id than the gold one, with gold and
  predicted feature codes, populations and distance.

Matching uses ``geomap.evaluate.metrics`` (best-overlapping prediction per gold), and the
script checks its recall and exact counts against ``tally`` so they agree with
``geomap eval``.  The corpora are GPL-3.0 (``../shared/benchmarks/geoparsing``): the
output (JSON lines with sentence windows) is for local analysis, never to be committed.

Usage::

    PYTHONPATH=$PWD python bench/eval_misses.py [--corpus lgl,gwn] [--limit N]
        [--out /tmp/misses.jsonl] [--examples 5]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict

from geomap.evaluate import CORPORA, Systems, load_corpus, tally
from geomap.evaluate.metrics import geodesic_km
from geomap.gazetteer import Gazetteer
from geomap.geoparse import lexicon as lx
from geomap.geoparse.recognise import (
    _OBLAST_AFTER,
    _SKIP,
    Recogniser,
    is_common_noun,
    tokenise,
)
from geomap.paths import PROJECT_ROOT

GEONAMES_DIR = PROJECT_ROOT.parent / "shared" / "data" / "gazetteer" / "geonames"
_ADJECTIVAL = re.compile(r"(?:an|ans|ian|ians|ese|ish|i|ic|ch)$")


def _overlap(a0, a1, b0, b1) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def best_prediction(gold, preds):
    """The prediction ``metrics.tally`` pairs with this gold (largest overlap, first wins)."""
    best, best_ov = None, 0
    for p in preds:
        ov = _overlap(p.start, p.end, gold.start, gold.end)
        if ov > best_ov:
            best, best_ov = p, ov
    return best


def admin_code_ids() -> dict[int, str]:
    """GeoNames ids of admin-1 and admin-2 units (from the shipped code lists) → ADM1/ADM2."""
    out = {}
    for name, code in (("admin1CodesASCII.txt", "ADM1"), ("admin2Codes.txt", "ADM2")):
        path = GEONAMES_DIR / name
        if not path.exists():
            continue
        for line in path.open(encoding="utf-8"):
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 4 and parts[3].isdigit():
                out[int(parts[3])] = code
    return out


class TracingRecogniser(Recogniser):
    """The product's recogniser, recording each run and each phrase verdict."""

    def reset(self) -> None:
        self.runs: list[dict] = []

    def _match_run(self, text, tokens, i, run_end, trigger, title_case=False):
        self._run = {"i": i, "end": run_end, "trigger": trigger, "calls": [],
                     "person": False, "title_case": title_case}
        self.runs.append(self._run)
        spans, end = super()._match_run(text, tokens, i, run_end, trigger, title_case)
        self._run["spans"] = [(s.start, s.end) for s in spans]
        return spans, end

    def _is_person(self, tokens, i, run) -> bool:
        hit = super()._is_person(tokens, i, run)
        self._run["person"] = hit
        return hit

    def _phrase_span(self, text, tokens, words, trigger):
        out = super()._phrase_span(text, tokens, words, trigger)
        self._run["calls"].append((words[0].idx, words[-1].idx + 1, trigger, out))
        return out


def _person_clause(rec, tokens, i, run) -> str:
    before = tokens[i - 1].lower if i > 0 and tokens[i - 1].sentence == tokens[i].sentence else ""
    if before in lx.TITLES and not tokens[i - 1].is_capitalised:
        return "person: after a title word"
    if any(t.lower in lx.PEOPLE for t in run):
        return "person: PEOPLE word in run"
    if len(run) >= 2 and run[0].lower in lx.GIVEN_NAMES:
        return "person: run starts with a given name"
    return "person: title inside run"


def _stands_alone_clause(rec, name: str) -> str:
    holders = rec.gazetteer.name_holders(name)
    if not holders:
        return "stands_alone: no exact/alternate holder (loose key only)"
    common = is_common_noun(name)
    exact = [h for h in holders if h.match == "exact"]
    if exact and common:
        return "stands_alone: common English noun, no notable holder"
    if exact:
        return "stands_alone: exact holders all < 1000 people"
    return "stands_alone: alternate-name holders only, none notable"


def _none_clause(rec, text, tokens, a, b, trigger) -> str:
    """Why ``_phrase_span`` returned None for tokens[a:b] (its checks, in its order)."""
    words = tokens[a:b]
    phrase = text[words[0].start:words[-1].end]
    low = phrase.lower()
    if len(words) == 1 and rec._excluded(words[0]):
        w = words[0]
        if w.lower in lx.FURNITURE:
            return "excluded: furniture word"
        if w.lower in lx.ORGANISATIONS:
            return "excluded: ORGANISATIONS word"
        if w.lower in lx.PEOPLE:
            return "excluded: PEOPLE word"
        return "excluded: sentence-initial common word"
    if not rec._can_start(words[0]):
        return "cannot start (all-caps <=4 / month / title)"
    if len(words) == 1 and low in lx.COMMON_WORDS and not trigger and not words[0].text.isupper():
        return "COMMON_WORDS (no trigger)"
    if any(w.lower in lx.TITLES or w.lower in lx.ORGANISATIONS for w in words[1:]):
        return "title/organisation word inside phrase"
    kind = rec.known(phrase)
    if not kind:
        return "not in gazetteer by this name"
    if len(words) > 1 and words[0].lower == "the" and kind != "strict":
        return "'The X' non-strict"
    if kind == "loose" and not trigger and len(words) == 1 and not _OBLAST_AFTER.match(
            text[words[-1].end:]):
        if not rec.stands_alone(phrase):
            return _stands_alone_clause(rec, phrase)
        return "loose (transliteration) match needs a trigger"
    if len(words) == 1 and not trigger and not rec.stands_alone(phrase):
        return _stands_alone_clause(rec, phrase)
    return "loose (transliteration) match needs a trigger"


def diagnose_miss(rec: TracingRecogniser, text: str, tokens, gold) -> tuple[str, str]:
    """(category, detail) for a gold toponym the recogniser did not find."""
    gtoks = [t for t in tokens if _overlap(t.start, t.end, gold.start, gold.end)]
    name = gold.text
    low = name.lower().strip()
    if low in lx.DEMONYMS or name.endswith(("'s", "’s")) and low[:-2] in lx.DEMONYMS:
        return "demonym (in lexicon)", low
    if not gtoks:
        return "no word token", ""
    if not any(t.is_capitalised for t in gtoks):
        return "lower-case gold", ""
    if any(("-" in t.text or "‐" in t.text) and (t.start < gold.start or t.end > gold.end)
           for t in gtoks):
        return "inside a hyphenated token (Washington-based, Russia-Turkey)", gtoks[0].text
    first = next(t for t in gtoks if t.is_capitalised)
    run = next((r for r in rec.runs if r["i"] <= first.idx < r["end"]), None)
    if run is None:
        if first.text.isupper() and len(first.text) <= 4:
            return "abbreviation / all-caps <= 4 (cannot start a run)", first.text
        if first.lower in lx.MONTHS or first.lower in lx.WEEKDAYS:
            return "month/weekday word", first.text
        if first.lower in lx.TITLES:
            return "title word (cannot start a run)", first.text
        return "not in any run", first.text
    run_text = text[tokens[run["i"]].start:tokens[run["end"] - 1].end]
    if run["person"]:
        return _person_clause(rec, tokens, run["i"], tokens[run["i"]:run["end"]]), run_text
    g0, g1 = gtoks[0].idx, gtoks[-1].idx + 1
    calls = [c for c in run["calls"] if c[0] < g1 and c[1] > g0]
    if any(c[3] is _SKIP for c in calls):
        skipped = next(c for c in calls if c[3] is _SKIP)
        return "consumed as a demonym", text[tokens[skipped[0]].start:tokens[skipped[1] - 1].end]
    made = [c for c in calls if c[3] is not None and c[3] is not _SKIP]
    if made:
        return "run rule: place inside a longer capitalised run", run_text
    if not calls:
        return "phrase never judged (consumed by an earlier phrase)", run_text
    exact = [c for c in calls if c[0] == g0 and c[1] == g1]
    a, b, trigger, _ = exact[0] if exact else max(calls, key=lambda c: c[1] - c[0])
    clause = _none_clause(rec, text, tokens, a, b, trigger)
    if clause == "not in gazetteer by this name":
        if low.startswith("the "):
            clause = "not in gazetteer: name with 'the'"
        elif _ADJECTIVAL.search(low) and len(gtoks) == 1:
            clause = "not in gazetteer: demonym-like word (not in lexicon)"
    return clause, run_text


def sentence_window(text: str, start: int, end: int, width: int = 90) -> str:
    s, e = max(0, start - width), min(len(text), end + width)
    snippet = text[s:start] + "[[" + text[start:end] + "]]" + text[end:e]
    return " ".join(snippet.split())


def _place_info(gaz, geonameid):
    if geonameid is None:
        return None
    p = gaz.get(str(geonameid))
    if p is None:
        return None
    return {"id": p.id, "name": p.name, "code": p.feature_code, "class": p.feature_class,
            "country": p.country, "admin1": p.admin1, "population": p.population,
            "lat": p.lat, "lon": p.lon}


_SETTLEMENT = re.compile(r"^PPL")


def classify_wrong(gaz, admin_ids, gold, pred, gold_place, pred_place, km) -> str:
    if not pred.resolved:
        return "recognised but left unresolved"
    if gold_place is None:
        code = admin_ids.get(gold.geonameid)
        if code == "ADM2":
            return "gold is an ADM2 (county) the index lacks"
        if code == "ADM1":
            return "gold is an ADM1 the index lacks"
        return "gold id not in index (other feature)"
    if pred.geonameid is None or pred_place is None:
        return "resolved to a non-GeoNames record (pack/OSM/airport/boundary)"
    g, p = gold_place["code"], pred_place["code"]
    if g.startswith("PCL") and _SETTLEMENT.match(p):
        return "country gold, settlement predicted"
    if _SETTLEMENT.match(g) and p.startswith("PCL"):
        return "settlement gold, country predicted"
    if g in ("ADM1", "RGN") and _SETTLEMENT.match(p):
        return "ADM1 gold, settlement predicted (state vs city)"
    if _SETTLEMENT.match(g) and p in ("ADM1", "RGN"):
        return "settlement gold, ADM1 predicted"
    if g == "ADM2" or p == "ADM2":
        return "ADM2 involved (county vs city/state)"
    if km is not None and km <= 25:
        return "same place, other record (<= 25 km)"
    names = {c.place.id for c in gaz.search(pred.text, limit=50, fuzzy=False)}
    if gold_place["id"] not in names:
        return "gold not a candidate for the span's name"
    if (pred_place["population"] or 0) >= (gold_place["population"] or 0):
        return "wrong namesake: predicted more populous"
    return "wrong namesake: predicted less populous"


class MissAnalysis:
    """Runs ``geomap`` and ``naive+resolver`` on documents and explains each miss."""

    def __init__(self, gazetteer=None):
        self.gazetteer = gazetteer or Gazetteer.default()
        self.systems = Systems(self.gazetteer, ("geomap", "naive+resolver"))
        self.tracer = TracingRecogniser(self.gazetteer)
        self.admin_ids = admin_code_ids()
        self.check = Counter()  # the counts ``metrics.tally`` gives, to compare

    def document(self, doc) -> list[dict]:
        """One row per gold toponym of ``doc`` missed (FN) or resolved to another id (WRONG)."""
        gaz = self.gazetteer
        preds = self.systems.run(doc.text)
        t = tally(doc, preds["geomap"])
        self.check["gold"] += t.gold
        self.check["found"] += t.gold_found
        self.check["with_id"] += len(t.ids)
        self.check["exact"] += sum(e for _, e in t.ids)
        rows, tokens = [], None
        for g in doc.gold:
            best = best_prediction(g, preds["geomap"])
            naive = best_prediction(g, preds["naive+resolver"])
            gold_place = _place_info(gaz, g.geonameid)
            row = {"corpus": doc.corpus, "doc": doc.doc_id, "gold": g.text, "type": g.type,
                   "gold_id": g.geonameid, "window": sentence_window(doc.text, g.start, g.end),
                   "naive_found": naive is not None,
                   "naive_exact": bool(naive is not None and naive.resolved
                                       and g.geonameid is not None
                                       and naive.geonameid == g.geonameid),
                   "gold_place": gold_place,
                   "gold_in_index": gold_place is not None if g.geonameid else None}
            if best is None:
                if tokens is None:
                    self.tracer.reset()
                    self.tracer.find(doc.text)
                    tokens = tokenise(doc.text)
                cat, detail = diagnose_miss(self.tracer, doc.text, tokens, g)
                row.update(kind="FN", category=cat, detail=detail,
                           overlapping=[p.text for p in preds["geomap"]
                                        if _overlap(p.start, p.end, g.start - 20, g.end + 20)])
                rows.append(row)
                self.check["fn"] += 1
                continue
            if g.geonameid is None or (best.resolved and best.geonameid == g.geonameid):
                continue
            pred_place = _place_info(gaz, best.geonameid) if best.resolved else None
            km = None
            if best.resolved and best.lat is not None and g.lat is not None:
                km = float(geodesic_km([g.lat], [g.lon], [best.lat], [best.lon])[0])
            ratio = None
            if gold_place and pred_place and gold_place["population"]:
                ratio = round(pred_place["population"] / gold_place["population"], 3)
            row.update(kind="WRONG", predicted=best.text, pred_id=best.geonameid,
                       category=classify_wrong(gaz, self.admin_ids, g, best, gold_place,
                                               pred_place, km),
                       pred_place=pred_place, km=None if km is None else round(km, 1),
                       pop_ratio=ratio, span_differs=best.text != g.text)
            rows.append(row)
            self.check["wrong"] += 1
        return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default=",".join(CORPORA))
    ap.add_argument("--limit", type=int)
    ap.add_argument("--out", default="/tmp/eval_misses.jsonl",
                    help="JSON lines, one per miss (GPL corpus text: keep out of the repo)")
    ap.add_argument("--examples", type=int, default=5)
    args = ap.parse_args(argv)
    analysis = MissAnalysis()
    rows = []
    for corpus in args.corpus.split(","):
        docs = load_corpus(corpus, limit=args.limit).documents
        for n, doc in enumerate(docs):
            if sys.stderr.isatty() and n % 50 == 0:
                print(f"\r{corpus} {n}/{len(docs)}", end="", file=sys.stderr)
            rows += analysis.document(doc)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    with open(args.out, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    report(rows, analysis.check, args.examples)
    print(f"\nall misses as JSON lines: {args.out}")
    return 0


def _summary(rows, kind, total, examples, fmt):
    by = defaultdict(list)
    for r in rows:
        if r["kind"] == kind:
            by[r["category"]].append(r)
    for cat, items in sorted(by.items(), key=lambda kv: -len(kv[1])):
        naive = sum(r["naive_found"] for r in items)
        naive_exact = sum(r["naive_exact"] for r in items)
        print(f"\n## {cat}: {len(items)} ({len(items) / total:.1%}); naive finds {naive}, "
              f"naive+resolver exact {naive_exact}")
        names = Counter(r["gold"] for r in items).most_common(12)
        print("   frequent: " + ", ".join(f"{n} ×{c}" for n, c in names))
        for r in items[:examples]:
            print("   - " + fmt(r))


def report(rows, check, examples: int) -> None:
    print(f"gold {check['gold']}, recognised {check['found']} "
          f"(recall {check['found'] / check['gold']:.1%}), with id {check['with_id']}, "
          f"exact {check['exact']} (exact e2e {check['exact'] / check['with_id']:.1%})")
    fn, wrong = check["fn"], check["wrong"]
    if fn != check["gold"] - check["found"]:
        raise RuntimeError(f"miss count {fn} disagrees with metrics.tally: {dict(check)}")
    print(f"false negatives {fn}; recognised-with-id but wrong id {wrong}")
    print("\n# False negatives by category (share of all FN)")
    _summary(rows, "FN", fn, examples,
             lambda r: f"[{r['corpus']}/{r['doc']}] {r['gold']!r} id={r['gold_id']} "
             f"{(r['gold_place'] or {}).get('code', '')} run={r['detail']!r} "
             f"naive={'Y' if r['naive_found'] else 'n'} | {r['window']}")
    print("\n# Wrong resolutions by category (share of all wrong ids)")
    _summary(rows, "WRONG", max(wrong, 1), examples,
             lambda r: f"[{r['corpus']}/{r['doc']}] {r['gold']!r} gold={r['gold_id']} "
             f"{(r['gold_place'] or {}).get('code', '?')} "
             f"{(r['gold_place'] or {}).get('country', '')} pop "
             f"{(r['gold_place'] or {}).get('population', '?')} → {r['predicted']!r} "
             f"{r['pred_id']} {(r['pred_place'] or {}).get('code', '?')} "
             f"{(r['pred_place'] or {}).get('name', '')} "
             f"{(r['pred_place'] or {}).get('country', '')} pop "
             f"{(r['pred_place'] or {}).get('population', '?')} ratio={r['pop_ratio']} "
             f"km={r['km']}")


if __name__ == "__main__":
    raise SystemExit(main())
