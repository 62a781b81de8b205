"""Normalise untrusted news text before recognition, keeping a map back to the original.

Feeds (and attackers) hide names from a matcher with invisible or decomposed characters
and shout whole articles in capitals.  ``normalise_text`` returns the text the
recogniser should see plus an offset map, so every span found in it can be reported
with offsets into the *original* text:

* format characters (zero-width space/joiners, word joiner, BOM, soft hyphen, bidi
  controls: Unicode category Cf) are removed, lone surrogates become U+FFFD;
* NFC composes base letters with their combining marks; marks NFC cannot compose
  (stress accents on a Latin transliteration: "Plekho\u0301vo") are removed;
* a line written in capitals ("THE VILLAGE OF KURILOVKA") is true-cased word by word:
  English function words and the trigger/type words the recogniser knows become lower
  case, other words get an initial capital ("The village of Kurilovka").

Offsets: ``NormalisedText.span(start, end)`` maps a span of ``.text`` to the span of
``.original`` it came from (a removed character belongs to no span).
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Callable
from dataclasses import dataclass

from geomap.geoparse import lexicon as lx

__all__ = ["NormalisedText", "normalise_text", "restore_offsets"]

# lower-case words in true-cased capitals: what the recogniser treats as cue words
_LOWER_WORDS = frozenset(
    lx.COMMON_WORDS | set(lx.SETTLEMENT_TRIGGERS) | set(lx.ADMIN_TYPE_WORDS)
    | set(lx.SPEECH_VERBS) | set(lx.ACTOR_NOUNS) | set(lx.FACILITY_WORDS)
    | set(lx.PLACE_NOUNS_AFTER_DEMONYM) | set(lx.FURNITURE)
) - set(lx.MONTHS) - lx.WEEKDAYS
# Frequent news words that are also exact gazetteer names somewhere ("Began", "Miles",
# "Said"): in capitals nothing else tells them from a place, so they stay lower case.
NEWS_WORDS = frozenset("""
began begin begins told tell say says saying reported report reports added add adds
claimed claim noted note stated state warned warn called call confirmed confirm denied
miles mile kilometres kilometers km metres meters hours hour minutes minute night nights
morning evening afternoon month months today tonight attack attacks attacked strike
strikes struck shelling shelled drone drones missile missiles artillery tank tanks
soldier soldiers fighters fighter troops army armed forces unit units casualties losses
heavy fierce fighting clashes assault offensive advance advanced retreat repelled
captured liberated destroyed damaged injured wounded killed dead death deaths toll
near nearby close around outside inside across along toward towards approximately
about some many several dozens hundreds thousands least most first second third last
new old big small large long short high low early late
""".split()) - set(lx.DEMONYMS)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_LINE = re.compile(r"[^\n]+")
CAPS_SHARE = 0.8  # share of a line's cased letters in upper case that makes it "all caps"
CAPS_MIN_WORDS = 3  # ... counting words of two or more letters
# endings of English words, not of the region's place names: lower case in capitals
_ENGLISH_SUFFIXES = ("ed", "ing", "ly", "tion", "tions", "sion", "ment", "ments", "ness",
                     "ity", "ities", "ous", "ful", "less", "ship", "ance", "ence", "ive",
                     "ives", "ists", "ism", "able", "ible", "ual", "ary", "ers")


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


@dataclass(frozen=True)
class NormalisedText:
    """``text`` (normalised) with, for each of its characters, the original span."""

    original: str
    text: str
    starts: array  # original start of the character text[i]
    ends: array  # original end of the character text[i]

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original ``(start, end)`` of ``text[start:end]``."""
        if not self.changed:
            return start, end
        n = len(self.text)
        if start >= n:
            return len(self.original), len(self.original)
        if end <= start:
            s = self.starts[start]
            return s, s
        return self.starts[start], self.ends[min(end, n) - 1]


def normalise_text(text: str, is_name: Callable[[str], bool] | None = None) -> NormalisedText:
    """The text the recogniser should see, and the map back to ``text``.

    ``is_name`` (e.g. "the gazetteer knows this word") decides, in all-capitals lines,
    which words keep an initial capital; without it every word that is not an English
    cue word or shaped like one (-ed, -ing, -tion, ...) does.
    """
    caps = _has_caps_line(text)
    if text.isascii() and not caps:
        return NormalisedText(text, text, array("q"), array("q"))
    chars: list[str] = []
    starts, ends = array("q"), array("q")
    positions = _positions(len(text))  # plain ASCII runs map one to one: copied from here
    last = 0
    for m in _NON_ASCII.finditer(text):
        i = m.start()
        if i > last:  # plain ASCII: one character per character
            chars.append(text[last:i])
            starts += positions[last:i]
            ends += positions[last + 1:i + 1]
        last = m.end()
        j = i
        while j < last:
            k = j + 1
            while k < last and unicodedata.combining(text[k]):
                k += 1
            cluster = text[j:k]
            base_start = j
            if unicodedata.combining(cluster[0]) and chars and starts and ends[-1] == j:
                # marks after an ASCII letter: compose with it ("e" + U+0301 -> "é")
                base_start = starts[-1]
                cluster = text[base_start:k]
                _pop_last(chars, starts, ends)
            if unicodedata.category(cluster[0]) == "Cs":  # a lone surrogate: not text
                cluster = "\ufffd" + cluster[1:]
            composed = unicodedata.normalize("NFC", cluster)
            composed = "".join(c for c in composed if not unicodedata.combining(c)
                               and unicodedata.category(c) != "Cf")
            for c in composed:
                chars.append(c)
                starts.append(base_start)
                ends.append(k)
            j = k
    if last < len(text):
        chars.append(text[last:])
        starts += positions[last:len(text)]
        ends += positions[last + 1:len(text) + 1]
    out = "".join(chars)
    if caps or _has_caps_line(out):
        out = _truecase_caps_lines(out, is_name)
    if out == text:  # nothing to map
        return NormalisedText(text, text, array("q"), array("q"))
    return NormalisedText(text, out, starts, ends)


def _positions(n: int) -> array:
    """``array('q', range(n + 1))``, filled by numpy (a Python loop over a long text costs)."""
    import numpy as np

    out = array("q")
    out.frombytes(np.arange(n + 1, dtype=np.int64).tobytes())
    return out


def _pop_last(chars: list[str], starts: array, ends: array) -> None:
    """Remove the last output character (the end of the last chunk)."""
    chars[-1] = chars[-1][:-1]
    if not chars[-1]:
        chars.pop()
    starts.pop()
    ends.pop()


def restore_offsets(items: list, norm: NormalisedText) -> list:
    """Spans/mentions found in ``norm.text`` moved back onto ``norm.original``.

    ``start``/``end`` become offsets into the original (``original[start:end]`` is the
    name as written, invisible characters and capitals included); ``text`` stays the
    clean, normalised name ("Vorozhba", "Kurilovka")."""
    if not norm.changed:
        return items
    for item in items:
        item.start, item.end = norm.span(item.start, item.end)
    return items


def _has_caps_line(text: str) -> bool:
    return any(_is_caps(m.group()) for m in _LINE.finditer(text))


_UPPER_ASCII = bytes(range(ord("A"), ord("Z") + 1))
_LOWER_ASCII = bytes(range(ord("a"), ord("z") + 1))


def _is_caps(line: str) -> bool:
    # cased letters as str.isupper/islower count them: A-Z and a-z counted in C, the few
    # non-ASCII characters one by one
    raw = line.encode("ascii", "ignore")
    upper = len(raw) - len(raw.translate(None, _UPPER_ASCII))
    lower = len(raw) - len(raw.translate(None, _LOWER_ASCII))
    if len(raw) != len(line):
        rest = "".join(_NON_ASCII.findall(line))
        upper += sum(map(str.isupper, rest))
        lower += sum(map(str.islower, rest))
    if not upper >= CAPS_SHARE * (upper + lower):  # the cheap test first (prose fails it)
        return False
    words = [w for w in _WORD.findall(line) if len(w) >= 2]
    return len(words) >= CAPS_MIN_WORDS


def _truecase_caps_lines(text: str, is_name: Callable[[str], bool] | None = None) -> str:
    """True-case every all-capitals line; the length of the text never changes."""
    if not _has_caps_line(text):
        return text
    pieces, last = [], 0
    for m in _LINE.finditer(text):
        if not _is_caps(m.group()):
            continue
        pieces.append(text[last:m.start()])
        pieces.append(_WORD.sub(lambda w: _truecase_word(w.group(), is_name), m.group()))
        last = m.end()
    pieces.append(text[last:])
    return "".join(pieces)


def _truecase_word(word: str, is_name: Callable[[str], bool] | None) -> str:
    if not word.isupper():
        return word
    low = word.lower()
    if len(low) != len(word):  # a letter whose case changes length (rare): leave it
        return word
    stem = re.sub(r"['’]s$", "", low)
    if stem in _LOWER_WORDS or stem in NEWS_WORDS or stem.endswith(_ENGLISH_SUFFIXES):
        return low
    if len(word) <= 3 and low not in lx.MONTHS:  # UN, US, DPR, ISW: keep the acronym
        return word
    titled = word[0] + low[1:]
    if is_name is not None and stem not in lx.MONTHS and stem not in lx.WEEKDAYS \
            and stem not in lx.DEMONYMS and not is_name(titled[:len(stem)]):
        return low
    return titled
