"""The systems scored: geomap's pipeline and the baselines that show what each stage adds.

See ``geomap.evaluate`` for the list; the NER systems need spaCy and an English model
(``geoparse.ner``, imported only when one of them is asked for: spaCy is slow to import).
"""

from __future__ import annotations

import re
import time
from collections import Counter

from geomap.evaluate.corpora import Prediction
from geomap.gazetteer import Gazetteer
from geomap.geoparse import Geoparser
from geomap.geoparse.mention import Span

SYSTEMS = ("geomap", "rec+top", "naive+resolver", "naive")  # the default set
NER_SYSTEMS = ("ner+resolver", "combined+resolver", "vote+resolver")  # optional: need spaCy + a model
ALL_SYSTEMS = SYSTEMS + NER_SYSTEMS

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
        self.gazetteer = gazetteer or Gazetteer.default()
        self.geoparser = Geoparser(self.gazetteer)
        self.naive = NaiveRecogniser(self.gazetteer)
        self.top = TopCandidate(self.gazetteer)
        self.systems = tuple(systems)
        self.seconds = Counter()  # stage → seconds spent
        self.ner = None
        if set(self.systems) & set(NER_SYSTEMS):
            from geomap.geoparse.ner import CombinedRecogniser, NerRecogniser  # spaCy: lazy

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
            from geomap.geoparse.ner import combine, vetoed  # spaCy: lazy

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
    _worker = Systems(Gazetteer(), systems)  # own SQLite connection (never share across fork)


def _run_worker(text: str) -> dict[str, list[Prediction]]:
    return _worker.run(text)
