"""Find place names in English news text.

The recogniser is a gazetteer automaton over normalised tokens plus trigger-phrase
rules: every run of capitalised tokens is matched, longest first, against the
gazetteer's transliteration keys; trigger phrases ("the villages of A, B, and C",
"the town of X", "X region", "region of X", datelines) make a name a place even when
the gazetteer does not know it (reported unresolved, never dropped).  Word lists
(``lexicon``) keep people, organisations, facilities, months, weekdays, sentence-initial
common words and page furniture out; "Moscow said" and "Ukraine's Defense Intelligence"
are kept but marked as metonymy (the government/an actor, not a location).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from operator import attrgetter, itemgetter

from geomap.geoparse import lexicon as lx
from geomap.geoparse.mention import LIST_GAP, Span, list_start

# "U.S.", or a word with its hyphenated and apostrophe parts (possessive quantifiers: the
# same matches as the plain ones, nothing after a part can take a character back)
_TOKEN = re.compile(r"[A-Z]\.(?:[A-Z]\.)++|\w++(?:[-‐]\w++)*+(?:['’]\w++(?:-\w++)*+)*+")
# The one sentence boundary of geoparsing (the NER numbers sentences with it too): a
# match's end is where a sentence starts (the end mark is matched, not looked behind for:
# the scan then skips ahead to candidate characters instead of testing every position).
SENTENCE_END = re.compile(r"[.!?…][\"”’)]*\s+|\n\s*\n|\n(?=[A-Z\"“])")
_DATELINE = re.compile(
    r"^[ \t]*([A-Z][A-Z'’\-]+(?:[ \t][A-Z][A-Z'’\-]+)*)(?:,[ \t]*[A-Z][A-Za-z. ]+)?[ \t]*"
    r"(?:\([^)\n]{1,40}\))?[ \t]*[-–—]", re.MULTILINE)
_OPENERS = ('"', "“", "‘", ":")
_OBLAST_AFTER = re.compile(r"^\s*(?:,|\()\s*[A-Z][\w'’-]+\s+(?:Obl\b|Oblast|oblast|region|Region)")
_AFTER_TOWN_COMMA = re.compile(r"[A-Z][\w.'’-]*,[ \t]*$")  # "Louisville, Ky."
_SKIP = object()  # phrase consumed without producing a place
# triggers a list carries on to its next names ("the villages of A, B and C")
_LIST_TRIGGERS = frozenset((*lx.SETTLEMENT_TRIGGERS.values(), "near"))
# capitalised words that never start a place name (unless an abbreviation: "Mo.")
_NEVER_START = frozenset((lx.MONTHS | lx.WEEKDAYS | lx.TITLES) - set(lx.ABBREVIATIONS))
# A preposition opening a sentence is no part of the name after it ("In Kherson Oblast, ..."
# read as "In Kherson" sounds like Engersen, Germany).
_OPENING_PREPOSITIONS = frozenset({
    "in", "at", "on", "from", "near", "across", "into", "since", "after", "before", "during",
    "under", "over", "with", "by", "for", "to", "amid", "throughout", "outside", "inside",
    "around", "along", "beyond", "towards", "toward", "through", "within", "between"})


@dataclass(eq=False, slots=True)
class Token:
    text: str
    start: int
    end: int
    sentence: int
    sentence_initial: bool = False
    possessive: bool = False
    idx: int = 0  # position in the token list
    lower: str = ""  # text.lower(), computed once by tokenise
    is_capitalised: bool = False  # text[:1].isupper(), computed once by tokenise


_TEXT, _SENTENCE, _IS_CAPITALISED = (attrgetter(f) for f in ("text", "sentence", "is_capitalised"))
_FIRST = itemgetter(0)
_AFTER_OPENER = re.compile(f"[{''.join(_OPENERS)}]\\s*")  # ends where a word after one starts
_POSSESSIVE_END = re.compile(r"['’]s\b")  # ends where a word's possessive 's ends


def tokenise(text: str) -> list[Token]:
    """Word tokens with offsets, sentence numbers and possessive 's split off.

    A sentence's first word is sentence-initial, and so is a word after an opening quote
    or a colon (``_OPENERS``); no token spans a sentence boundary (one ends after a space).
    """
    bounds = [0, *(m.end() for m in SENTENCE_END.finditer(text)), len(text)]
    after_opener = {m.end() for m in _AFTER_OPENER.finditer(text)}
    possessive_ends = {m.end() for m in _POSSESSIVE_END.finditer(text)}
    tokens: list[Token] = []
    append = tokens.append
    idx = 0
    for sentence in range(len(bounds) - 1):
        first = idx
        for m in _TOKEN.finditer(text, bounds[sentence], bounds[sentence + 1]):
            start, end = m.span()
            if end in possessive_ends and end - start > 2:
                word = m.group()[:-2]
                append(Token(word, start, end - 2, sentence, start in after_opener, True, idx,
                             word.lower(), word[0].isupper()))
            else:
                word = m.group()
                append(Token(word, start, end, sentence, start in after_opener, False, idx,
                             word.lower(), word[0].isupper()))
            idx += 1
        if idx > first:
            tokens[first].sentence_initial = True
    return tokens


_TOPONYM_ENDINGS = re.compile(
    r"(?:ovo|evo|ino|yno|ovka|evka|ivka|yivka|ka|ske|skoye|skoe|ske|sk|ne|ye|ichi|chi|ove|"
    r"ivtsi|ivka|iv|ov|ev|yn|in|ets|nyi|ny|ove|ino|ye|ia|ya|ivske|ivske)$")


_PLURAL_TYPE_AFTER = re.compile(
    rf"[ \t]+({'|'.join(lx.PLURAL_ADMIN_TYPE_WORDS)})\b", re.IGNORECASE)


def _sentence_names_an_oblast(tokens: list[Token], tok: Token) -> bool:
    """Whether the token's sentence has the word 'Oblast' (or 'Obl'): Ukrainian and
    Russian names there are places even in a transliteration the gazetteer lacks as such."""
    for step in (-1, 1):
        k = tok.idx
        while 0 <= k < len(tokens) and tokens[k].sentence == tok.sentence:
            if tokens[k].lower in ("oblast", "obl", "oblasts"):
                return True
            k += step
    return False


def _units_of_a_plural_type(text: str, spans: list[Span]) -> None:
    """"The Belgorod, Kursk and Bryansk regions": a list of names followed by a plural
    type word names units of that type, each of them (sorted spans, changed in place)."""
    for k, span in enumerate(spans):
        plural = _PLURAL_TYPE_AFTER.match(text, span.end)
        if not plural:
            continue
        first = list_start(spans, k, text)
        if first == k:
            continue  # one name: "Donetsk regions" is no list
        for unit in spans[first:k + 1]:
            if unit.kind == "place" and unit.role == "location":
                unit.kind, unit.trigger = "admin", plural.group(1).lower()
                unit.admin_hint = lx.PLURAL_ADMIN_TYPE_WORDS[unit.trigger]


def _looks_like_toponym(run: list[Token]) -> bool:
    """Slavic settlement-name shape, for names after 'near' that the gazetteer lacks."""
    last = run[-1].lower.split("-")[-1]
    return len(run) <= 3 and bool(_TOPONYM_ENDINGS.search(last)) and not any(
        t.lower in lx.PEOPLE or t.lower in lx.TITLES for t in run)


# Words that may stand before a place inside one capitalised run ("Eastern Ukraine").
_PLACE_MODIFIERS = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "greater", "upper", "lower", "northeast", "northwest", "southeast", "southwest",
    "northeastern", "northwestern", "southeastern", "southwestern", "occupied", "liberated",
    "downtown", "suburban", "rural", "mid", "far", "metropolitan",
}


def _may_precede_a_place(tok: Token) -> bool:
    """A run-initial word after which a place name still stands on its own ("In Kharkiv",
    "Eastern Ukraine"), unlike a name's first part ("Julie Brown")."""
    return tok.sentence_initial or tok.lower in _PLACE_MODIFIERS or tok.lower in lx.COMMON_WORDS


def _title_case_sentences(tokens: list[Token]) -> set[int]:
    """Sentences written in Title Case (headlines), where every word is capitalised."""
    alphabetic = list(compress(tokens, map(str.isalpha, map(_FIRST, map(_TEXT, tokens)))))
    words = Counter(map(_SENTENCE, alphabetic))
    capitalised = Counter(map(_SENTENCE, compress(alphabetic, map(_IS_CAPITALISED, alphabetic))))
    return {s for s, n in words.items() if n >= 4 and capitalised[s] >= 0.6 * n}


NOTABLE_POPULATION = 50_000
ALTERNATES_COUNTRIES = {"UA", "RU", "BY"}  # settlement packs: every variant name is real


@lru_cache(maxsize=1)
def _english_words() -> set[str]:
    """The web2 word list, read once per process (0.1-0.2 s): the set the package hands
    out is a fresh one, so it is kept as it comes (no frozenset copy of 236,000 words)."""
    from english_words import get_english_words_set

    return get_english_words_set(["web2"], lower=False, alpha=True)


def is_common_noun(word: str) -> bool:
    """A word the dictionary has in lower case only ("agency", "officer", not "Paris")."""
    words = _english_words()
    return word.lower() in words and word.capitalize() not in words


_FACILITY_PHRASE_WORDS = frozenset(w for phrase in lx.LOWER_CASE_FACILITIES for w in phrase)


def _lower_case_facility_at(tokens: list[Token], k: int) -> int:
    """The length of the longest lower-case facility phrase ("nuclear power plant") that
    starts at token k, 0 if none."""
    if tokens[k].lower not in _FACILITY_PHRASE_WORDS or tokens[k].is_capitalised:
        return 0
    words = tuple(t.lower for t in tokens[k:k + 3])
    return max((n for n in (3, 2, 1) if words[:n] in lx.LOWER_CASE_FACILITIES), default=0)


def _facility_word(tokens: list[Token], j: int) -> bool:
    """A capitalised facility word ("Nuclear", "Plant"), a word of a lower-case facility
    phrase ("nuclear power plant"), or an airfield word in any case ("airport",
    "international airport", "air base")."""
    if j >= len(tokens):
        return False
    tok = tokens[j]
    if tok.lower in lx.AIRFIELD_WORDS or tok.lower == "base" and j and tokens[j - 1].lower == "air":
        return True
    if tok.is_capitalised and tok.lower in lx.FACILITY_WORDS:
        return True
    if any(_lower_case_facility_at(tokens, k) > j - k for k in range(max(0, j - 2), j + 1)):
        return True
    nxt = tokens[j + 1] if j + 1 < len(tokens) else None
    return tok.lower in ("international", "air", "military") and nxt is not None and (
        nxt.lower in lx.AIRFIELD_WORDS or tok.lower == "air" and nxt.lower == "base")


def _regional_body(tokens: list[Token], j: int) -> bool:
    """'Regional Military Administration', 'Regional Council': the region's own body after
    its name, not a facility in the city."""
    if j >= len(tokens) or tokens[j].lower != "regional":
        return False
    return any(t.lower in lx.REGIONAL_BODY_WORDS for t in tokens[j + 1:j + 4]
               if t.sentence == tokens[j].sentence)


def _names_a_military_unit(tokens: list[Token], j: int) -> bool:
    """Do the capitalised words from token j end in a unit word ("Rapid| Response Corps",
    "Azov| Brigade")? Then the name before them is the unit's, not a place."""
    for tok in tokens[j:j + 4]:
        if not tok.is_capitalised or tok.sentence != tokens[j - 1].sentence:
            return False
        if tok.lower in lx.MILITARY_UNIT_WORDS:
            return True
    return False


def _after_the(tokens: list[Token], word: Token) -> bool:
    """Is the word right after a 'the' of its sentence?"""
    i = word.idx
    return i > 0 and tokens[i - 1].lower == "the" and tokens[i - 1].sentence == word.sentence


class Recogniser:
    """Gazetteer-driven place-name recogniser with trigger rules."""

    def __init__(self, gazetteer, max_words: int = 4):
        self.gazetteer = gazetteer
        self.max_words = max_words

    @lru_cache(maxsize=100_000)  # noqa: B019 - one recogniser per gazetteer, lives as long
    def known(self, name: str) -> str:
        """'' if the gazetteer has no record under this name, else the best match kind."""
        return self.gazetteer.best_match(name)

    @lru_cache(maxsize=100_000)  # noqa: B019 - as ``known``
    def stands_alone(self, name: str) -> bool:
        """Whether a bare one-word name (no trigger) is worth reading as a place.

        GeoNames keeps old and variant names of small places ("Brown" for Belton,
        "Commissioner" for McIntyre) and small places named like common nouns ("Agency",
        "Energy"); such names in running text are people and organisations.  A name counts
        when a record has it as its own name and is no common English noun, or has it as an
        alternate name and is a notable place or lies in the war zone's countries (whose
        transliterations are alternate names).
        """
        common = is_common_noun(name)
        for p in self.gazetteer.name_holders(name):
            notable = p.is_admin or p.population >= NOTABLE_POPULATION
            if p.match == "exact" and (notable or not common and p.population >= 1000
                                       or p.country in ALTERNATES_COUNTRIES):
                return True
            if notable or p.country in ALTERNATES_COUNTRIES and not common:
                return True
        return False

    def _oblast_country_has(self, name: str) -> bool:
        """Does a record of an oblast country sound like this name? ('Tiotkino' is Tetkino,
        Kursk Oblast; 'Shelling' only sounds like Shillong, India.)"""
        return any(self.gazetteer.search(name, country=iso, limit=1, fuzzy=False)
                   for iso in ALTERNATES_COUNTRIES)

    # -- main entry ----------------------------------------------------------
    def find(self, text: str) -> list[Span]:
        tokens = tokenise(text)
        title_case = _title_case_sentences(tokens)
        spans = self._datelines(text)
        taken = {(s.start, s.end) for s in spans}
        # only a capitalised word starts a name: go from one to the next
        capitalised = list(compress(range(len(tokens)), map(_IS_CAPITALISED, tokens)))
        i = k = 0
        list_trigger = ""  # trigger carried along a list "A, B, and C"
        last_span_end = -1
        while (k := bisect_left(capitalised, i, k)) < len(capitalised):
            i = capitalised[k]
            tok = tokens[i]
            if not self._can_start(tok):
                i += 1
                continue
            run_end = self._run_end(tokens, i, text)
            if list_trigger and last_span_end >= 0 and not LIST_GAP.match(
                    text[last_span_end:tok.start]):
                list_trigger = ""
            trigger = (self._trigger_after(tokens, i, run_end)
                       or self._trigger_before(tokens, i) or list_trigger)
            found, i = self._match_run(text, tokens, i, run_end, trigger,
                                       tok.sentence in title_case)
            for span in found:
                if (span.start, span.end) not in taken:
                    spans.append(span)
                    taken.add((span.start, span.end))
                    last_span_end = span.end
                    list_trigger = trigger if trigger in _LIST_TRIGGERS else ""
        spans += self._hyphenated_pairs(tokens, spans)
        spans.sort(key=lambda s: s.start)
        _units_of_a_plural_type(text, spans)
        return spans

    def _hyphenated_pairs(self, tokens: list[Token], spans: list[Span]) -> list[Span]:
        """'the Pokrovsk-Myrnohrad agglomeration': two places joined by a hyphen, in one
        word no record has, are each a place."""
        out: list[Span] = []
        starts = sorted((s.start, s.end) for s in spans)
        for tok in tokens:
            if "-" not in tok.text or not tok.is_capitalised:
                continue
            k = bisect_left(starts, (tok.start, -1))
            if k < len(starts) and starts[k][0] < tok.end or k and starts[k - 1][1] > tok.start:
                continue  # the word is (part of) a name already: "Kupiansk-Vuzlovyi"
            parts = tok.text.split("-")
            if len(parts) != 2 or not all(len(p) >= 4 and p[0].isupper() for p in parts):
                continue
            if all(self.known(p) == "strict" and self.stands_alone(p) for p in parts):
                second = tok.start + len(parts[0]) + 1
                out += [Span(parts[0], tok.start, second - 1, kind="place", sentence=tok.sentence),
                        Span(parts[1], second, tok.end, kind="place", sentence=tok.sentence)]
        return out

    # -- pieces --------------------------------------------------------------
    def _datelines(self, text: str) -> list[Span]:
        spans = []
        for m in _DATELINE.finditer(text):
            name = m.group(1)
            if len(name) < 3 or name.lower() in lx.FURNITURE or name.lower() in lx.ORGANISATIONS:
                continue
            if self.known(name.title()):
                sentence = text.count("\n\n", 0, m.start(1))
                spans.append(Span(name, m.start(1), m.end(1), kind="place", trigger="dateline",
                                  sentence=sentence))
        return spans

    @staticmethod
    def _can_start(tok: Token) -> bool:
        if not tok.is_capitalised:  # (so never all digits)
            return False
        low = tok.lower
        if low in _NEVER_START or tok.sentence_initial and low in _OPENING_PREPOSITIONS:
            return False
        if low in lx.ABBREVIATIONS:  # "Ky.", "NYC" (see _phrase_span)
            return True
        return not (tok.text.isupper() and len(tok.text) <= 4
                    and low not in ("us", "uk", "u.s.", "u.k.", "d.c.", "uae", "drc"))

    @staticmethod
    def _run_end(tokens: list[Token], i: int, text: str) -> int:
        """End (exclusive) of the run of capitalised tokens starting at i."""
        j = i + 1
        while j < len(tokens) and not tokens[j - 1].possessive:
            gap = text[tokens[j - 1].end:tokens[j].start]
            if gap.strip() or not tokens[j].is_capitalised or tokens[j].sentence != tokens[i].sentence:
                break
            j += 1
        return j

    @staticmethod
    def _trigger_before(tokens: list[Token], i: int) -> str:
        """A trigger word right before position i ('villages of', 'town of', 'region of')."""
        words = [t.lower for t in tokens[max(0, i - 4):i] if t.sentence == tokens[i].sentence]
        if len(words) >= 2 and words[-1] == "of":
            noun = words[-2]
            if noun in lx.SETTLEMENT_TRIGGERS:
                return lx.SETTLEMENT_TRIGGERS[noun]
            if noun in lx.ADMIN_TYPE_WORDS:
                return "admin:" + noun
            if noun in ("outskirts", "near", "centre", "center", "suburbs", "south", "north",
                        "east", "west", "northeast", "northwest", "southeast", "southwest"):
                return "near"
        if words and words[-1] in ("near", "outside"):
            return "near"
        return ""

    @staticmethod
    def _trigger_after(tokens: list[Token], i: int, run_end: int) -> str:
        """A settlement noun right after the name ('Pobeda village', 'Ilovaisk town')."""
        nxt = tokens[run_end] if run_end < len(tokens) else None
        after = tokens[run_end + 1].lower if run_end + 1 < len(tokens) else ""
        if nxt is None or nxt.sentence != tokens[i].sentence or nxt.is_capitalised \
                or tokens[run_end - 1].possessive or after == "of" \
                or tokens[i].lower in lx.DEMONYMS:  # "the Urals town of X", "English city"
            return ""
        return lx.SETTLEMENT_TRIGGERS.get(nxt.lower, "") if nxt.lower not in (
            "port", "capital", "cities", "towns", "villages") else ""

    def _match_run(self, text, tokens, i, run_end, trigger,
                   title_case: bool = False) -> tuple[list[Span], int]:
        run = tokens[i:run_end]
        title = next((k for k, t in enumerate(run) if k and t.lower in lx.TITLES), 0)
        if title:  # "Donetsk Oblast Governor Vadym Filashkin": the place before the title
            return self._match_run(text, tokens, i, i + title, trigger, title_case)[0], run_end
        if self._is_person(tokens, i, run):
            return [], run_end
        spans = []
        k = 0
        placed = 0  # tokens of the run before k that belong to a place (or may precede one)
        while k < len(run):
            matched = False
            for n in range(min(self.max_words, len(run) - k), 0, -1):
                words = run[k:k + n]
                span = self._phrase_span(text, tokens, words, trigger)
                if span is _SKIP:  # a demonym or other non-place phrase: consume it
                    k += n
                    matched = True
                    break
                if span is not None:
                    # a name inside a longer capitalised name is part of it ("Environmental
                    # Protection Agency", "Julie Brown", "Cora Kelly Elementary School")
                    if placed == k or title_case:
                        spans.append(span)
                        placed = k + n
                    k += n
                    matched = True
                    break
            if not matched and placed == k and _may_precede_a_place(run[k]):
                placed = k + 1
            if not matched:
                k += 1
        if not spans and trigger and not self._excluded(run[0]) and (
                trigger != "near" or _looks_like_toponym(run)):
            # the trigger says it is a place; the gazetteer does not know it
            spans.append(self._make_span(text, tokens, run, trigger, known=False))
        return spans, run_end

    def _is_person(self, tokens, i, run) -> bool:
        before = tokens[i - 1].lower if i > 0 and tokens[i - 1].sentence == tokens[i].sentence else ""
        if before in lx.TITLES and not tokens[i - 1].is_capitalised:
            return True
        if any(t.lower in lx.PEOPLE for t in run):
            return True
        if len(run) >= 2 and run[0].lower in lx.GIVEN_NAMES and not self.known(
                " ".join(t.text for t in run)):
            return True
        return len(run) >= 2 and any(t.lower in lx.TITLES for t in run[:-1])

    def _excluded(self, tok: Token) -> bool:
        low = tok.lower
        return (low in lx.FURNITURE or low in lx.ORGANISATIONS or low in lx.PEOPLE
                or low in lx.DEMONYMS or (tok.sentence_initial and low in lx.COMMON_WORDS))

    def _phrase_span(self, text, tokens, words: list[Token], trigger: str) -> Span | None:
        phrase = text[words[0].start:words[-1].end]
        low = phrase.lower()
        if len(words) == 1 and low in lx.ABBREVIATIONS and (  # "Louisville, Ky.", "NYC"
                low in lx.ACRONYM_PLACES or _AFTER_TOWN_COMMA.search(text[:words[0].start])):
            w = words[0]
            if low in lx.ACRONYM_PLACES or "." in w.text or text[w.end:w.end + 1] == "." \
                    or w.text.isupper():
                return Span(phrase, w.start, w.end, kind="place", trigger="abbreviation",
                            sentence=w.sentence)
        if low in lx.DEMONYMS and self._can_start(words[0]):
            if low in lx.DEMONYM_PLACES and self._names_the_region(tokens, words):
                return self._make_span(text, tokens, words, trigger, known=True)
            return self._adjectival(text, words, low) or _SKIP
        if (len(words) == 1 and self._excluded(words[0])) or not self._can_start(words[0]):
            return None
        if len(words) == 1 and low in lx.COMMON_WORDS and not trigger \
                and not words[0].text.isupper():  # "us" is a word, "US" a country
            return None
        if low in lx.DEMONYMS:
            return self._adjectival(text, words, low) or _SKIP
        if len(words) > 1 and any(w.lower in lx.TITLES or w.lower in lx.ORGANISATIONS
                                  for w in words[1:]):
            return None
        if _names_a_military_unit(tokens, words[-1].idx + 1):
            return None
        kind = self.known(phrase)
        last = words[-1].idx
        nxt = tokens[last + 1] if last + 1 < len(tokens) else None
        if kind != "strict" and nxt is not None and nxt.lower in lx.ADMIN_TYPE_WORDS \
                and text[words[-1].end:nxt.start].strip() == "":
            kind = self.known(f"{phrase} {nxt.lower}") or kind  # "Shakhtarskyi district"
            if kind == "loose":
                kind = ""
        elif kind == "loose" and not trigger and _OBLAST_AFTER.match(text[words[-1].end:]):
            trigger = "oblast-after"  # "Mayorsk, Donetsk Obl": the coder names the oblast
        elif kind == "loose" and not trigger and len(words) == 1 \
                and _sentence_names_an_oblast(tokens, words[0]) and self._oblast_country_has(phrase):
            trigger = "oblast-in-sentence"  # "Hlushkovo and Tiotkino in Kursk Oblast"
        if not kind or (len(words) > 1 and words[0].lower == "the" and kind != "strict"):
            return None  # "The Kursk region": the article is not part of the name
        if nxt is not None and nxt.lower in lx.NATURAL_FEATURE_WORDS \
                and text[words[-1].end:nxt.start].strip() == "":
            # "the Dnipro river" is a toponym but no city: reported, never placed (the
            # gazetteer has no rivers or lakes)
            return Span(text[words[0].start:nxt.end], words[0].start, nxt.end,
                        kind="natural", trigger=nxt.lower, sentence=words[0].sentence)
        followed = nxt is not None and (nxt.lower in lx.ADMIN_TYPE_WORDS or nxt.lower in
                                        lx.FRONT_SECTOR_WORDS or _facility_word(tokens, last + 1))
        if low in lx.RIVERS_NAMED_LIKE_TOWNS and not followed and _after_the(tokens, words[0]) \
                and not (nxt is not None and nxt.lower in lx.TOWN_NOUNS):
            # "across the Dnipro": the river ("in Dnipro" is the city)
            return Span(phrase, words[0].start, words[-1].end, kind="natural", trigger="river",
                        sentence=words[0].sentence)
        if len(words) == 1 and not trigger and not followed and not self.stands_alone(phrase):
            return None  # "Agency", "Brown": see stands_alone ("Sumy hromada" needs no check)
        if kind == "loose" and not trigger and (len(words) == 1 or words[0].sentence_initial):
            return None  # a transliteration guess needs a trigger or a multi-word name
        return self._make_span(text, tokens, words, trigger, known=True)

    @staticmethod
    def _adjectival(text, words, demonym) -> Span | None:
        """'Russian troops', 'Russian territory': a demonym referring to its country.

        Context, never a location by itself: the resolver makes 'Russian territory' (a
        territory noun follows) a location and 'Russian troops' a context mention.
        """
        if not lx.DEMONYMS[demonym]:
            return None
        return Span(text[words[0].start:words[-1].end], words[0].start, words[-1].end,
                    kind="adjectival", trigger=lx.DEMONYMS[demonym], role="context",
                    sentence=words[0].sentence)

    def _make_span(self, text, tokens, words: list[Token], trigger: str, known: bool) -> Span:
        start, end = words[0].start, words[-1].end
        last = words[-1].idx
        nxt = tokens[last + 1] if last + 1 < len(tokens) else None
        kind, admin_hint, role, place_name = "place", "", "location", ""
        if len(words) > 1 and words[-1].lower in lx.ADMIN_TYPE_WORDS:  # "Sumy Oblast"
            kind, admin_hint = "admin", words[-1].lower
        elif nxt is not None and nxt.lower in lx.ADMIN_TYPE_WORDS and not words[-1].possessive \
                and text[end:nxt.start].strip() == "":  # "district of Donetsk region" too
            kind, admin_hint = "admin", nxt.lower
            end = nxt.end
            last += 1
            nxt = tokens[last + 1] if last + 1 < len(tokens) else None
        elif trigger.startswith("admin:"):
            kind, admin_hint = "admin", trigger[6:]
        elif nxt is not None and text[end:nxt.start].strip() == "" \
                and _facility_word(tokens, last + 1) and not _regional_body(tokens, last + 1):
            kind, place_name = "facility", text[start:end]
            j = last + 1
            while j < len(tokens) and _facility_word(tokens, j) \
                    and tokens[j].sentence == words[0].sentence:
                j += 1
            end = tokens[j - 1].end
        if words[-1].possessive and nxt is not None and nxt.lower in lx.ACTOR_NOUNS:
            role = "metonymy"
        elif nxt is not None and nxt.lower in lx.SPEECH_VERBS and text[end:nxt.start].strip() == "" \
                and not trigger and not self._after_preposition(tokens, words[0].idx) \
                and not self._passive_target(tokens, last + 1):
            role = "metonymy"
        elif self._neither_nor(tokens, words[0].idx):
            role = "metonymy"
        span = Span(text[start:end], start, end, kind=kind, trigger=trigger or "",
                    admin_hint=admin_hint, role=role, sentence=words[0].sentence,
                    place_name=place_name)
        if not known:
            span.trigger = span.trigger or "unknown"
        return span

    @staticmethod
    def _names_the_region(tokens, words) -> bool:
        """'the Donbas', 'in Donbas': the region itself, not the adjective ('Donbas fighters')."""
        i, last = words[0].idx, words[-1].idx
        before = tokens[i - 1].lower if i > 0 and tokens[i - 1].sentence == words[0].sentence else ""
        after = tokens[last + 1] if last + 1 < len(tokens) else None
        modifies = after is not None and after.sentence == words[0].sentence and (
            after.lower in lx.DEMONYM_NOUNS or after.is_capitalised)
        return before in ("the", "in", "of", "across", "to", "into", "from", "over") and not modifies

    @staticmethod
    def _passive_target(tokens, i) -> bool:
        """'Kharkiv was shelled', 'Sumy has been hit': the place suffered, it did not speak."""
        if i >= len(tokens) or tokens[i].lower not in lx.AUXILIARIES:
            return False
        j = i + 1
        while j < len(tokens) and tokens[j].lower in ("been", "being", "again", "also",
                                                      "reportedly", "repeatedly", "once"):
            j += 1
        if j >= len(tokens) or tokens[j].sentence != tokens[i].sentence:
            return False
        word = tokens[j].lower
        return word not in lx.SPEECH_VERBS and (
            word.endswith(("ed", "en")) or word in ("hit", "struck", "shot", "under", "cut"))

    @staticmethod
    def _after_preposition(tokens, i) -> bool:
        """'officials in Kurchatov said': the place is not the speaker."""
        return i > 0 and tokens[i - 1].sentence == tokens[i].sentence and tokens[i - 1].lower in (
            "in", "at", "from", "near", "of", "to", "outside", "around", "across", "into")

    @staticmethod
    def _neither_nor(tokens, i) -> bool:
        """'Neither North Korea nor Russia has commented': both are actors."""
        window = [t.lower for t in tokens[max(0, i - 4):i + 5] if t.sentence == tokens[i].sentence]
        return "neither" in window and "nor" in window and any(
            w in ("commented", "responded", "confirmed", "denied") for w in
            [t.lower for t in tokens[i:i + 8] if t.sentence == tokens[i].sentence])
