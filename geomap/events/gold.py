"""Score event extraction against a gold set (``geomap eval --events``).

Gold files (JSON lines, ``tests/fixtures/events_gold/``; see the README there): one
document per line – ``text`` (or ``text_file``), ``published``, ``source`` and the coded
``events``.  Each gold event names the facts it checks: number columns (``killed``,
``wounded``, ``killed_or_wounded``, ``missing``, ``captured``, ``fatalities_low/best/
high``), ``event_date``/``end_date``, ``event_type``, ``sub_event_type``,
``type_of_violence``, ``verification`` and a place (``latitude``/``longitude``).

Scoring, per gold event
-----------------------
The predicted row is the document's row nearest to the gold place (geodesic), or, for
a gold event without a place, the first row.  Then:

``numbers``  each listed number column equal to the gold value (a gold null must come
             out empty, a gold 0 must be 0), per column and pooled;
``date``     ``event_date`` equal (exact day); ``range`` both ``event_date`` and
             ``end_date`` equal;
``type`` / ``sub_type`` / ``type_of_violence`` / ``verification``  equal;
``location`` some row of the document within 5 km of the gold place (gold events with a
             UCDP ``where_prec`` of 3 or more – a district, region or area – are not scored
             for location: their point is an area's, not a place's).
``extra_rows`` counts predicted rows no gold event was matched to (e.g. an event made up
from "No one was killed").  ``docs_per_s`` is documents / wall time of extraction
(geoparsing included) in the same run.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from geomap.errors import InputError
from geomap.events.extract import extract_events
from geomap.geodesy import distance_km
from geomap.paths import PROJECT_ROOT

GOLD_DIR = PROJECT_ROOT / "tests" / "fixtures" / "events_gold"
NUMBER_FIELDS = ("killed", "wounded", "killed_or_wounded", "missing", "captured",
                 "fatalities_low", "fatalities_best", "fatalities_high")
LABEL_FIELDS = ("event_type", "sub_event_type", "type_of_violence", "verification")
LOCATION_KM = 5.0


@dataclass
class GoldDoc:
    """One gold document and its coded events."""

    id: str
    text: str
    published: str
    source: str
    events: list[dict]
    corpus: str


@dataclass
class Tally:
    """Right / scored counts per metric."""

    right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, metric: str, ok: bool) -> None:
        self.total[metric] += 1
        self.right[metric] += bool(ok)

    def share(self, metric: str) -> float | None:
        n = self.total.get(metric, 0)
        return self.right[metric] / n if n else None


def load_gold(directory: str | Path | None = None) -> list[GoldDoc]:
    """Every ``*.jsonl`` gold file in ``directory`` (default: the shipped gold set)."""
    root = Path(directory) if directory else GOLD_DIR
    files = sorted(root.glob("*.jsonl"))
    if not files:
        raise InputError("no *.jsonl gold files", path=str(root))
    docs: list[GoldDoc] = []
    for path in files:
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                text = item.get("text")
                if text is None:
                    text = (PROJECT_ROOT / item["text_file"]).read_text("utf-8")
                docs.append(GoldDoc(item["id"], text, item.get("published", ""),
                                    item.get("source", ""), list(item["events"]), path.stem))
            except (json.JSONDecodeError, KeyError, OSError) as exc:
                raise InputError(f"bad gold document: {exc}", path=str(path), line=n) from None
    return docs


def _km(lat1, lon1, lat2, lon2) -> float:
    return distance_km(lat1, lon1, lat2, lon2)


def _norm(value):
    if value is None or value == "":
        return None
    return value


def score_doc(doc: GoldDoc, rows: list, tally: Tally, misses: list[str]) -> None:
    """Add one document's scores to ``tally``; wrong facts go to ``misses``."""
    used: set[int] = set()
    for k, gold in enumerate(doc.events, 1):
        where = f"{doc.id} event {k} ({gold.get('location', '')})"
        # UCDP where_prec 3+ (a district, region or area) has no point to be 5 km from
        has_place = (gold.get("latitude") is not None and gold.get("longitude") is not None
                     and gold.get("where_prec", 1) <= 2)
        located = [(i, _km(gold["latitude"], gold["longitude"], r.latitude, r.longitude))
                   for i, r in enumerate(rows) if has_place and r.latitude is not None]
        if has_place:
            best = min(located, key=lambda x: x[1]) if located else None
            ok = best is not None and best[1] <= LOCATION_KM
            tally.add("location", ok)
            if not ok:
                misses.append(f"{where}: location " + (f"{best[1]:.1f} km off" if best
                                                        else "not found"))
            pick = best[0] if best else None
        else:
            pick = next((i for i in range(len(rows)) if i not in used), None)
        row = rows[pick] if pick is not None else None
        if pick is not None:
            used.add(pick)
        for f in NUMBER_FIELDS:
            if f in gold:
                got = getattr(row, f, None) if row is not None else None
                ok = row is not None and _norm(got) == _norm(gold[f])
                tally.add(f"numbers:{f}", ok)
                tally.add("numbers", ok)
                if not ok:
                    misses.append(f"{where}: {f} {got!r}, gold {gold[f]!r}")
        if gold.get("event_date"):
            got = row.event_date if row is not None else ""
            tally.add("date", got == gold["event_date"])
            end = (row.end_date or row.event_date) if row is not None else ""
            tally.add("range", got == gold["event_date"]
                      and end == (gold.get("end_date") or gold["event_date"]))
            if got != gold["event_date"]:
                misses.append(f"{where}: date {got!r}, gold {gold['event_date']!r}")
        for f in LABEL_FIELDS:
            if f in gold:
                got = getattr(row, f, None) if row is not None else None
                tally.add(f, row is not None and _norm(got) == _norm(gold[f]))
                if _norm(got) != _norm(gold[f]):
                    misses.append(f"{where}: {f} {got!r}, gold {gold[f]!r}")
    tally.add("rows_matched", True)
    tally.total["extra_rows"] += max(0, len(rows) - len(used))


def evaluate_events(directory: str | Path | None = None, limit: int | None = None) -> dict:
    """Extract events from every gold document and score them (see module docstring).

    Returns ``{"corpora": {name: {...metrics}}, "pooled": {...}, "docs": n,
    "docs_per_s": float, "misses": [...]}``.
    """

    docs = load_gold(directory)
    if limit:
        per: dict[str, int] = defaultdict(int)
        kept = []
        for d in docs:
            if per[d.corpus] < limit:
                per[d.corpus] += 1
                kept.append(d)
        docs = kept
    tallies: dict[str, Tally] = defaultdict(Tally)
    pooled = Tally()
    misses: list[str] = []
    seconds = 0.0
    for doc in docs:
        t0 = time.perf_counter()
        rows = extract_events(doc.text, published=doc.published or None, source=doc.source)
        seconds += time.perf_counter() - t0
        score_doc(doc, rows, tallies[doc.corpus], misses)
        score_doc(doc, rows, pooled, [])

    def summary(t: Tally) -> dict:
        metrics = sorted(set(t.total) - {"extra_rows", "rows_matched"})
        out = {m: {"right": t.right[m], "total": t.total[m], "share": t.share(m)}
               for m in metrics}
        out["extra_rows"] = t.total.get("extra_rows", 0)
        out["documents"] = t.total.get("rows_matched", 0)
        return out

    return {"corpora": {name: summary(t) for name, t in sorted(tallies.items())},
            "pooled": summary(pooled), "docs": len(docs),
            "docs_per_s": len(docs) / seconds if seconds else None,
            "seconds": seconds, "misses": misses}


_ORDER = ("numbers", "date", "range", "event_type", "sub_event_type", "type_of_violence",
          "verification", "location")


def format_events_table(result: dict) -> str:
    """The scores as a plain-text table (one column per gold corpus and pooled)."""
    cols = [*result["corpora"], "pooled"]
    data = {**result["corpora"], "pooled": result["pooled"]}
    metrics = [m for m in _ORDER if any(m in data[c] for c in cols)]
    metrics += sorted({m for c in cols for m in data[c] if m.startswith("numbers:")})
    width = max(len(m) for m in metrics) + 2
    lines = ["metric".ljust(width) + "".join(c.rjust(18) for c in cols)]
    for m in metrics:
        cells = []
        for c in cols:
            v = data[c].get(m)
            cells.append((f"{100 * v['share']:.0f}% ({v['right']}/{v['total']})" if v else "—")
                         .rjust(18))
        lines.append(m.ljust(width) + "".join(cells))
    lines.append("extra rows".ljust(width) + "".join(str(data[c]["extra_rows"]).rjust(18)
                                                     for c in cols))
    lines.append("documents".ljust(width) + "".join(str(data[c]["documents"]).rjust(18)
                                                    for c in cols))
    lines.append(f"\n{result['docs']} documents in {result['seconds']:.1f} s: "
                 f"{result['docs_per_s']:.1f} docs/s (geoparse + extract_events)")
    return "\n".join(lines)
