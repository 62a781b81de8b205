"""Score the geoparser on public geoparsing corpora, from raw text.

Corpora (Gritta et al. 2019, "A Pragmatic Guide to Geoparsing Evaluation"; GPL-3.0, read
from ``../shared/benchmarks/geoparsing`` or ``$GEOMAP_BENCHMARKS_DIR``, never copied into
the project): LGL, TR-News, GeoVirus, GeoWebNews.

Metrics
-------
recognition
    A predicted mention matches a gold toponym when their character ranges overlap.
    precision = matched predictions / predictions, recall = matched gold / gold.
resolution (gold toponyms with coordinates; errors are geodesic, WGS84)
    ``exact``: resolved GeoNames id == gold id (gold toponyms that have an id);
    ``acc161``: error <= 161 km; ``median_km``; ``auc``: area under the log-error curve
    (Gritta et al.; 0 perfect, 1 every error 20,039 km).  ``*_rec`` figures are over the
    gold toponyms the system recognised (an unresolved mention counts as 20,039 km);
    ``*_e2e`` figures are over all gold toponyms (unrecognised ones count as wrong).
``exact_far_share``
    exact-id matches whose gazetteer point lies > 161 km from the gold point (the index
    places countries and regions at their capital or largest city, GeoNames at a centroid).
coverage
    Share of gold GeoNames ids (per mention) that the gazetteer holds at all: no
    resolver can exceed it on ``exact``.

Systems, to show what each stage adds
-------------------------------------
``geomap``           geomap recogniser + geomap context resolver (the pipeline)
``rec+top``          geomap recogniser + the gazetteer's top-ranked candidate
``naive+resolver``   naive recogniser + geomap context resolver
``naive``            naive recogniser (every capitalised token run the gazetteer knows,
                     longest first) + the gazetteer's top-ranked candidate

Optional systems (``--systems``; need spaCy and an English model, see ``geoparse.ner``)
-------------------------------------------------------------------------------------
``ner+resolver``       statistical NER (spaCy GPE/LOC/FAC) + geomap context resolver
``combined+resolver``  geomap recogniser's spans plus the NER spans it missed + resolver
``vote+resolver``      as ``combined``, but the NER vetoes automaton spans it labels as
                       people, works of art, ... (unless a trigger vouches) + resolver
"""

from __future__ import annotations

import math
import os
import re
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from geomap.errors import GeomapError, InputError
from geomap.paths import PROJECT_ROOT

CORPORA = {"lgl": "lgl.xml", "trnews": "TR-News.xml", "geovirus": "GeoVirus.xml",
           "gwn": "GWN.xml"}
SYSTEMS = ("geomap", "rec+top", "naive+resolver", "naive")  # the default set
NER_SYSTEMS = ("ner+resolver", "combined+resolver", "vote+resolver")  # optional: need spaCy + a model
ALL_SYSTEMS = SYSTEMS + NER_SYSTEMS
MAX_ERROR_KM = 20039.0  # half the Earth's circumference: the worst possible error
# GeoWebNews annotates more than toponyms; these types are not toponyms (expressions
# around a toponym, and explicit non-toponyms).  The remaining 11 types (literal and
# associative toponyms, incl. demonyms and metonymy) are the 2,720 gold toponyms.
GWN_NOT_TOPONYMS = {"Literal_Expression", "Non_Lit_Expression", "Non_Toponym"}
_ALIGN_WINDOW = 30  # chars: some corpora have shifted offsets (GeoVirus by one)


@dataclass
class Gold:
    """One gold toponym."""

    start: int
    end: int
    text: str
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    type: str = ""  # GeoWebNews toponym type


@dataclass
class Document:
    corpus: str
    doc_id: str
    text: str
    gold: list[Gold]


@dataclass
class Prediction:
    """A predicted mention, resolved or not."""

    start: int
    end: int
    text: str
    resolved: bool = False
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass
class CorpusLoad:
    documents: list[Document]
    realigned: int = 0  # gold offsets fixed by searching the name near the given offset
    dropped: int = 0  # gold toponyms whose name is not near the given offset


# -- corpora -------------------------------------------------------------------
def corpora_dir() -> Path:
    """Where the benchmark corpora live (``$GEOMAP_BENCHMARKS_DIR`` overrides)."""
    env = os.environ.get("GEOMAP_BENCHMARKS_DIR")
    return Path(env) if env else PROJECT_ROOT.parent / "shared" / "benchmarks" / "geoparsing"


def _num(value: str | None, path: str, field_name: str, cast=float):
    value = (value or "").strip()
    if not value:
        return None
    try:
        return cast(value)
    except ValueError:
        raise InputError(f"not a number: {value!r}", path=path, field=field_name) from None


def _gold_lgl(t: ET.Element, path: str) -> tuple[str, Gold]:
    gaz = t.find("gaztag")
    g = Gold(int(t.findtext("start")), int(t.findtext("end")), t.findtext("phrase") or "")
    if gaz is not None:
        g.geonameid = _num(gaz.get("geonameid"), path, "gaztag/@geonameid", int)
        g.lat = _num(gaz.findtext("lat"), path, "gaztag/lat")
        g.lon = _num(gaz.findtext("lon"), path, "gaztag/lon")
    return "", g


def _gold_geovirus(t: ET.Element, path: str) -> tuple[str, Gold]:
    return "", Gold(int(t.findtext("start")), int(t.findtext("end")), t.findtext("name") or "",
                    lat=_num(t.findtext("lat"), path, "lat"),
                    lon=_num(t.findtext("lon"), path, "lon"))


def _gold_gwn(t: ET.Element, path: str) -> tuple[str, Gold]:
    kind = (t.findtext("type") or "").strip()
    return kind, Gold(int(t.findtext("start")), int(t.findtext("end")),
                      t.findtext("extractedName") or "",
                      geonameid=_num(t.findtext("geonamesID"), path, "geonamesID", int),
                      lat=_num(t.findtext("latitude"), path, "latitude"),
                      lon=_num(t.findtext("longitude"), path, "longitude"), type=kind)


def _align(text: str, g: Gold) -> int | None:
    """Offset shift that puts ``g.text`` at its annotated place (0 when it already is)."""
    n = len(g.text)
    for d in sorted(range(-_ALIGN_WINDOW, _ALIGN_WINDOW + 1), key=abs):
        s = g.start + d
        if 0 <= s and text[s:s + n] == g.text:
            return d
    return None


def load_corpus(name: str, directory: str | Path | None = None,
                limit: int | None = None) -> CorpusLoad:
    """Read one corpus (``lgl``, ``trnews``, ``geovirus``, ``gwn``) into documents.

    Gold offsets that do not point at the gold name (GeoVirus is shifted by one
    character, a few TR-News articles by a few) are moved to the nearest occurrence of
    the name within 30 characters; gold toponyms not found there are dropped and counted.
    """
    if name not in CORPORA:
        raise InputError(f"unknown corpus {name!r}; choose from {', '.join(CORPORA)}",
                         field="corpus")
    path = Path(directory) if directory else corpora_dir()
    path = path / CORPORA[name]
    if not path.exists():
        raise GeomapError(f"{path}: corpus file not found (set GEOMAP_BENCHMARKS_DIR or "
                          "--corpora-dir to the directory holding the geoparsing corpora)")
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise InputError(f"malformed XML: {exc}", path=str(path), line=exc.position[0]) from None
    tag, reader = {"lgl": ("toponym", _gold_lgl), "trnews": ("toponym", _gold_lgl),
                   "geovirus": ("location", _gold_geovirus),
                   "gwn": ("toponym", _gold_gwn)}[name]
    out = CorpusLoad([])
    for n, art in enumerate(root.iter("article")):
        if limit is not None and len(out.documents) >= limit:
            break
        text = art.findtext("text") or ""
        doc_id = art.get("docid") or art.get("file") or str(n)
        gold = []
        for t in art.iter(tag):
            try:
                kind, g = reader(t, str(path))
            except (TypeError, ValueError):
                raise InputError(f"toponym without integer start/end in article {doc_id}",
                                 path=str(path), field="start") from None
            if kind in GWN_NOT_TOPONYMS:
                continue
            shift = _align(text, g)
            if shift is None:
                out.dropped += 1
                continue
            if shift:
                g.start += shift
                g.end = g.start + len(g.text)
                out.realigned += 1
            gold.append(g)
        out.documents.append(Document(name, doc_id, text, gold))
    return out


# -- systems -------------------------------------------------------------------
_CAP_RUN = re.compile(r"\b[A-Z][\w’'\-.]*(?:[ ][A-Z][\w’'\-.]*)*")


class NaiveRecogniser:
    """Every run of capitalised tokens that the gazetteer knows (longest sub-run first)."""

    def __init__(self, gazetteer, max_words: int = 4):
        self.gazetteer = gazetteer
        self.max_words = max_words
        self._known: dict[str, bool] = {}

    def known(self, phrase: str) -> bool:
        hit = self._known.get(phrase)
        if hit is None:
            hit = self._known[phrase] = bool(self.gazetteer.lookup_keys(phrase))
        return hit

    def find(self, text: str):
        from geomap.geoparse.mention import Span

        spans = []
        for m in _CAP_RUN.finditer(text):
            words = [(w.start() + m.start(), w.end() + m.start())
                     for w in re.finditer(r"\S+", m.group())]
            words = [(s, e - 2 if text[e - 2:e] in ("'s", "’s") else e) for s, e in words]
            words = [(s, e - 1 if text[e - 1] in ".’'" else e) for s, e in words]
            k = 0
            while k < len(words):
                for n in range(min(self.max_words, len(words) - k), 0, -1):
                    s, e = words[k][0], words[k + n - 1][1]
                    if e > s and self.known(text[s:e]):
                        spans.append(Span(text[s:e], s, e))
                        k += n
                        break
                else:
                    k += 1
        return spans


class TopCandidate:
    """Resolve each span to the gazetteer's top-ranked candidate (match + population)."""

    def __init__(self, gazetteer):
        self.gazetteer = gazetteer
        self._cache: dict[str, object] = {}

    def resolve(self, spans, text: str) -> list[Prediction]:
        out = []
        for s in spans:
            if s.text not in self._cache:
                found = self.gazetteer.search(s.text, limit=1, fuzzy=False)
                self._cache[s.text] = found[0].place if found else None
            out.append(_prediction(s.start, s.end, s.text, self._cache[s.text]))
        return out


def _prediction(start, end, text, place) -> Prediction:
    if place is None:
        return Prediction(start, end, text)
    return Prediction(start, end, text, True, place.geonameid, place.lat, place.lon)


def _mentions(mentions) -> list[Prediction]:
    return [_prediction(m.start, m.end, m.text, m.place if m.resolved else None)
            for m in mentions]


class Systems:
    """The systems over one gazetteer; ``run(text)`` returns predictions for each.

    ``seconds`` accumulates time per stage; ``combined recognise`` is the automaton's time
    plus the NER's plus merging (the spans of both are computed once and shared).
    """

    def __init__(self, gazetteer=None, systems=SYSTEMS):
        from geomap.gazetteer import Gazetteer
        from geomap.geoparse import Geoparser

        self.gazetteer = gazetteer or Gazetteer.default()
        self.geoparser = Geoparser(self.gazetteer)
        self.naive = NaiveRecogniser(self.gazetteer)
        self.top = TopCandidate(self.gazetteer)
        self.systems = tuple(systems)
        self.seconds = Counter()  # stage → seconds spent
        self.ner = None
        if set(self.systems) & set(NER_SYSTEMS):
            from geomap.geoparse.ner import CombinedRecogniser, NerRecogniser

            self.ner = NerRecogniser(self.gazetteer)
            self.vote = CombinedRecogniser(self.gazetteer, automaton=self.geoparser.recogniser,
                                           ner=self.ner, veto=True)
            self.ner.nlp  # load the model now, not inside the first timed document  # noqa: B018

    def run(self, text: str) -> dict[str, list[Prediction]]:
        clock = time.perf_counter
        out = {}
        want = set(self.systems)
        spans, automaton_s = None, 0.0
        if want & {"geomap", "rec+top", "combined+resolver", "vote+resolver"}:
            t0 = clock()
            spans = self.geoparser.recogniser.find(text)
            t1 = clock()
            automaton_s = t1 - t0
            self.seconds["geomap recognise"] += automaton_s
            if "geomap" in want:
                out["geomap"] = _mentions(self.geoparser.resolver.resolve(spans, text))
                self.seconds["geomap resolve"] += clock() - t1
            if "rec+top" in want:
                out["rec+top"] = self.top.resolve(spans, text)
        if self.ner is not None:
            from geomap.geoparse.ner import combine, vetoed

            t0 = clock()
            entities = self.ner.entities(text)
            ner = self.ner.spans(text, entities)
            t1 = clock()
            ner_s = t1 - t0
            self.seconds["ner recognise"] += ner_s
            if "ner+resolver" in want:
                out["ner+resolver"] = _mentions(self.geoparser.resolver.resolve(ner, text))
                self.seconds["ner resolve"] += clock() - t1
            for name, veto in (("combined", False), ("vote", True)):
                if f"{name}+resolver" not in want:
                    continue
                t2 = clock()
                both = combine(vetoed(spans, entities, self.vote.spared) if veto else spans,
                               ner)
                t3 = clock()
                self.seconds[f"{name} recognise"] += automaton_s + ner_s + (t3 - t2)
                out[f"{name}+resolver"] = _mentions(self.geoparser.resolver.resolve(both, text))
                self.seconds[f"{name} resolve"] += clock() - t3
        if want & {"naive", "naive+resolver"}:
            t0 = clock()
            naive = self.naive.find(text)
            self.seconds["naive recognise"] += clock() - t0
            if "naive+resolver" in want:
                out["naive+resolver"] = _mentions(self.geoparser.resolver.resolve(naive, text))
            if "naive" in want:
                out["naive"] = self.top.resolve(naive, text)
        return out


_worker: Systems | None = None


def _init_worker(systems) -> None:
    global _worker
    from geomap.gazetteer import Gazetteer

    _worker = Systems(Gazetteer(), systems)  # own SQLite connection (never share across fork)


def _run_worker(text: str) -> dict[str, list[Prediction]]:
    return _worker.run(text)


# -- scoring -------------------------------------------------------------------
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
    import numpy as np
    from pyproj import Geod

    if not len(lat1):
        return []
    _, _, metres = Geod(ellps="WGS84").inv(np.asarray(lon1, float), np.asarray(lat1, float),
                                           np.asarray(lon2, float), np.asarray(lat2, float))
    return list(np.atleast_1d(metres) / 1000.0)


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


# -- driver --------------------------------------------------------------------
def _progress(iterable, total: int, desc: str):
    if sys.stderr.isatty():
        from tqdm import tqdm

        return tqdm(iterable, total=total, desc=desc, leave=False)
    return iterable


def evaluate(corpora: list[str] | None = None, limit: int | None = None,
             directory: str | Path | None = None, systems=SYSTEMS, jobs: int = 1,
             gazetteer=None) -> dict:
    """Run the systems over the corpora and score them.

    Parameters
    ----------
    corpora : corpus keys (default all of ``CORPORA``).
    limit : only the first ``limit`` articles of each corpus.
    directory : where the corpus files are (default ``corpora_dir()``).
    systems : which of ``SYSTEMS`` to run.
    jobs : worker processes (0 = all cores); each builds its own geoparser.

    Returns
    -------
    dict with ``corpora`` (per corpus: documents, toponyms, coverage, per-system metrics),
    ``overall`` (all corpora pooled, micro-averaged) and ``seconds``.
    """
    from geomap.gazetteer import Gazetteer

    corpora = list(corpora or CORPORA)
    unknown = [s for s in systems if s not in ALL_SYSTEMS]
    if unknown:
        raise InputError(f"unknown system(s) {', '.join(unknown)}; choose from "
                         f"{', '.join(ALL_SYSTEMS)}", field="systems")
    gazetteer = gazetteer or Gazetteer.default()
    jobs = jobs or os.cpu_count() or 1
    started = time.perf_counter()
    result = {"corpora": {}, "overall": {}, "systems": list(systems)}
    pooled: dict[str, Tally] = {s: Tally() for s in systems}
    all_docs: list[Document] = []
    local = Systems(gazetteer, systems) if jobs == 1 else None
    pool = None
    if jobs > 1:
        import multiprocessing as mp

        pool = mp.get_context("fork" if sys.platform != "win32" else "spawn").Pool(
            jobs, initializer=_init_worker, initargs=(tuple(systems),))
    try:
        for name in corpora:
            load = load_corpus(name, directory, limit)
            docs = load.documents
            all_docs += docs
            t0 = time.perf_counter()
            before = Counter(local.seconds) if local is not None else None
            texts = [d.text for d in docs]
            if pool is not None:
                outputs = pool.imap(_run_worker, texts, chunksize=4)
            else:
                outputs = map(local.run, texts)
            tallies = {s: Tally() for s in systems}
            for doc, preds in _progress(zip(docs, outputs, strict=True), len(docs), name):
                for s in systems:
                    tallies[s] += tally(doc, preds[s])
            for s in systems:
                pooled[s] += tallies[s]
            result["corpora"][name] = {
                "documents": len(docs), "toponyms": sum(len(d.gold) for d in docs),
                "realigned_offsets": load.realigned, "dropped_toponyms": load.dropped,
                "coverage": coverage(docs, gazetteer),
                "seconds": round(time.perf_counter() - t0, 2),
                "systems": {s: metrics(tallies[s]) for s in systems},
            }
            if local is not None:  # per-stage time and recogniser speed (1 job only)
                spent = {k: v - before[k] for k, v in local.seconds.items()}
                result["corpora"][name]["stage_seconds"] = {k: round(v, 3)
                                                            for k, v in spent.items()}
                result["corpora"][name]["recognise_docs_per_s"] = _docs_per_s(spent, len(docs))
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    result["overall"] = {
        "documents": len(all_docs), "toponyms": sum(len(d.gold) for d in all_docs),
        "coverage": coverage(all_docs, gazetteer),
        "systems": {s: metrics(pooled[s]) for s in systems},
    }
    result["seconds"] = round(time.perf_counter() - started, 2)
    if local is not None:
        result["stage_seconds"] = {k: round(v, 2) for k, v in local.seconds.items()}
        result["overall"]["recognise_docs_per_s"] = _docs_per_s(local.seconds, len(all_docs))
    result["jobs"] = jobs
    return result


def _docs_per_s(seconds, documents: int) -> dict[str, float]:
    """Documents per second of each recogniser ("<name> recognise" stages)."""
    return {k.removesuffix(" recognise"): round(documents / v, 1)
            for k, v in seconds.items() if k.endswith(" recognise") and v > 0}


_COLUMNS = [("precision", "P"), ("recall", "R"), ("f1", "F1"), ("exact_rec", "exact|rec"),
            ("exact_e2e", "exact|e2e"), ("acc161_rec", "@161|rec"), ("acc161_e2e", "@161|e2e"),
            ("median_km", "median km"), ("auc", "AUC"), ("exact_far_share", "exact>161km")]


def format_table(result: dict) -> str:
    """Plain-text table: one row per corpus and system, then the pooled figures."""
    head = ["corpus", "docs", "toponyms", "cover", "system"] + [h for _, h in _COLUMNS]
    rows = []
    blocks = [(name, c) for name, c in result["corpora"].items()]
    if len(blocks) > 1:
        blocks.append(("overall", result["overall"]))
    for name, c in blocks:
        cov = c["coverage"]["mentions"]
        for s, m in c["systems"].items():
            row = [name, str(c["documents"]), str(c["toponyms"]),
                   "-" if cov is None else f"{cov:.1%}", s]
            for key, _ in _COLUMNS:
                v = m.get(key)
                if v is None:
                    row.append("-")
                elif key == "median_km":
                    row.append(f"{v:.1f}")
                elif key == "auc":
                    row.append(f"{v:.3f}")
                else:
                    row.append(f"{v:.1%}")
            rows.append(row)
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(h.ljust(w) if i < 5 else h.rjust(w) for i, (h, w) in
                       enumerate(zip(head, widths, strict=True)))]
    lines.append("  ".join("-" * w for w in widths))
    last = None
    for r in rows:
        if last is not None and r[0] != last:
            lines.append("")
        last = r[0]
        lines.append("  ".join(v.ljust(w) if i < 5 else v.rjust(w) for i, (v, w) in
                               enumerate(zip(r, widths, strict=True))))
    lines.append("")
    lines.append("P/R/F1: recognition (overlapping spans). exact: resolved GeoNames id == gold "
                 "id. @161: error <= 161 km. |rec: over gold toponyms the system recognised; "
                 "|e2e: over all gold toponyms. cover: gold ids the gazetteer holds. "
                 "exact>161km: exact-id matches whose gazetteer point is > 161 km from the gold "
                 "point (countries/regions at their capital or largest city). "
                 f"{result['seconds']:.0f} s, {result['jobs']} job(s).")
    for name, c in blocks:
        speed = c.get("recognise_docs_per_s")
        if speed:
            lines.append(f"recognition speed, {name}: " + ", ".join(
                f"{k} {v:,.0f} docs/s" for k, v in speed.items()))
    return "\n".join(lines)
