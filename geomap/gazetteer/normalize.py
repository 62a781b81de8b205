"""Match keys that survive transliteration.

News spells one village many ways: Плёхово = Plyokhovo = Plekhovo; Куриловка (ru) =
Курилівка (uk) = Kurilovka = Kurylivka; Kharkov = Kharkiv; Sudzhanskiy = Sudzhansky =
Sudzhans'kyi.  Two keys are computed for every name and every query:

``strict_key``
    case, diacritics, apostrophes/soft signs, hyphens and ё/е folded; Cyrillic is
    romanised first.  Two spellings with the same strict key are the same name.
``loose_key``
    a phonetic skeleton on top of the strict key that also folds the differences
    between transliteration systems (BGN/PCGN, ISO 9, the Ukrainian national system,
    German/Polish forms) and between the Russian and Ukrainian form of a name
    (и/і/ы/о in closed syllables, г/h, -ский/-ський).  Equal loose keys mean "probably
    the same name"; the caller scores such a match below a strict one.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# One romanisation for Russian and Ukrainian Cyrillic.  Letters that the two languages
# read differently (г, и, е) get the Russian value here; loose_key folds the rest.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e",
    "є": "ye", "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "ў": "w",
}
_APOSTROPHES = "'’ʼ`´ʹ‘\u02bb\u02bc"
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_CYR_RE = re.compile("[\u0400-\u04ff]")


def has_cyrillic(text: str) -> bool:
    return bool(_CYR_RE.search(text))


_ROMANISE_TABLE = {ord(c): r for c, r in _CYRILLIC.items()}
_ROMANISE_TABLE.update({ord(c.upper()): r.capitalize() for c, r in _CYRILLIC.items()})


def romanise(text: str) -> str:
    """Romanise Russian/Ukrainian/Belarusian Cyrillic; other characters pass through."""
    return text.translate(_ROMANISE_TABLE) if _CYR_RE.search(text) else text


def fold(text: str) -> str:
    """Lower-case ASCII with diacritics removed (ł→l, ß→ss, ø→o as well)."""
    if text.isascii():  # most names in English text: nothing to romanise or strip
        return text.lower()
    text = romanise(text)
    text = text.replace("ł", "l").replace("Ł", "L").replace("ß", "ss").replace("ø", "o")
    text = text.replace("Ø", "O").replace("đ", "d").replace("ı", "i")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=200_000)
def strict_key(name: str) -> str:
    """Case/diacritic/apostrophe/hyphen-insensitive key; Cyrillic romanised."""
    text = fold(name)
    for apostrophe in _APOSTROPHES:
        text = text.replace(apostrophe, "")
    return _NON_ALNUM.sub(" ", text).strip()


# Ordered rewrites from spelling systems to one skeleton.  Applied to a strict key.
_LOOSE_REWRITES = [
    (re.compile(r"s'?k(?:iy|yy|yi|ii|ij|yj|y|i)\b"), "sk"),  # -skiy/-sky/-s'kyi/-skij
    (re.compile(r"ts'?k(?:iy|yy|yi|ii|ij|yj|y|i)\b"), "tsk"),
    (re.compile(r"(?:iy|yy|yi|ij|yj|ii)\b"), "i"),  # -iy/-yi adjectival endings
    (re.compile(r"sch"), "sh"),  # German Sch, Polish sz handled below
    (re.compile(r"shch|szcz|sc"), "sh"),
    (re.compile(r"tsch|tch|cz|ch|c(?=h)"), "ch"),
    (re.compile(r"zh|sh|ż|rz"), "zh"),  # zh and sh are confused across systems
    (re.compile(r"kh|ch(?=[^aeiou])|x"), "h"),
    (re.compile(r"g"), "h"),  # Ukrainian г = h (Hlukhiv/Glukhov)
    (re.compile(r"ts|tz|c"), "ts"),
    (re.compile(r"w"), "v"),
    (re.compile(r"j"), "y"),
    (re.compile(r"(zh|ch|ts)\1"), r"\1"),  # doubled digraphs: Zaporizhzhia/Zaporizhia
    (re.compile(r"y(?=[aeiou])|\bi(?=[aeou])"), ""),  # ya/yu/ye/yo, word-initial ia/iu
    (re.compile(r"[eioy]+"), "i"),  # e/i/y/o differ between ru/uk forms: Kharkov/Kharkiv
    (re.compile(r"([a-z])\1+"), r"\1"),  # doubled letters
]


_R = [pattern for pattern, _ in _LOOSE_REWRITES]


@lru_cache(maxsize=200_000)
def loose_key(name: str) -> str:
    """Phonetic skeleton that folds transliteration systems and ru/uk name forms.

    ``_LOOSE_REWRITES`` in order, word by word: no rewrite reaches across the space
    between two words (only 'ch' looks at the character after it, so a word is rewritten
    with its following space), and the words of a phrase ("Velyka Pysarivka") recur in
    other phrases, so each word is rewritten once. Each rewrite is skipped when the word
    lacks a letter every match of it needs (a strict key is ``[a-z0-9 ]`` only) and
    literal ones are done with ``str.replace``: the same key as applying every rewrite to
    the whole name, several times faster (``loose_key_reference`` is the plain form; a
    test holds them equal on the index).
    """
    words = strict_key(name).split(" ")
    last = len(words) - 1
    return "".join(_loose_word(word, i < last) for i, word in enumerate(words))


@lru_cache(maxsize=200_000)
def _loose_word(word: str, followed: bool) -> str:
    """``loose_key`` of one word of a strict key (``followed``: another word comes next)."""
    key = word + " " if followed else word
    if "sk" in key:
        key = _R[0].sub("sk", key)
        if "tsk" in key:
            key = _R[1].sub("tsk", key)
    if "i" in key or "y" in key:
        key = _R[2].sub("i", key)
    if "sc" in key or "sz" in key or "shch" in key:
        if "sch" in key:
            key = key.replace("sch", "sh")
        key = _R[4].sub("sh", key)  # shch|szcz|sc
    if "c" in key:
        key = _R[5].sub("ch", key)
    if "h" in key or "z" in key:
        key = _R[6].sub("zh", key)
    if "h" in key or "x" in key:
        key = _R[7].sub("h", key)
    key = key.replace("g", "h")
    if "c" in key or "tz" in key:  # "ts" → "ts" changes nothing
        key = _R[9].sub("ts", key)
    key = key.replace("w", "v").replace("j", "y")
    if "zhzh" in key or "chch" in key or "tsts" in key:
        key = _R[12].sub(r"\1", key)
    key = _R[13].sub("", key)
    key = _R[14].sub("i", key)
    key = _R[15].sub(r"\1", key)
    return key.replace(" ", "")


def loose_key_reference(name: str) -> str:
    """``loose_key`` as the plain sequence of ``_LOOSE_REWRITES`` (the definition)."""
    key = strict_key(name)
    for pattern, repl in _LOOSE_REWRITES:
        key = pattern.sub(repl, key)
    return key.replace(" ", "")


_TYPE_WORDS = {
    "oblast", "region", "province", "raion", "rayon", "district", "krai", "kray",
    "hromada", "republic", "okrug", "municipality", "territorial", "community", "urban",
    "settlement", "village", "selo", "city", "town", "the", "of", "rural", "municipal",
    "avtonomnyy", "respublika", "gorod", "poselok", "obl", "area", "county",
    "governorate", "state", "silrada", "selsoviet", "autonomous", "peoples", "people's",
}


@lru_cache(maxsize=200_000)
def core_name(name: str) -> str:
    """A place name without its administrative type words: 'Sumy Oblast' → 'sumy'."""
    words = [w for w in strict_key(name).split() if w not in _TYPE_WORDS]
    return " ".join(words)


_ADJECTIVAL_SUFFIX = re.compile(r"(?:ska|ski|sk|ka|ia|a|i)$")  # Krasnopillia/Krasnopilska


def stem_key(name: str) -> str:
    """Loose key of an admin unit's core name without its adjectival/feminine suffix.

    Ukrainian hromadas and raions are named by adjectives of their centre:
    Yunakivka → Yunakivska hromada, Sumy → Sumskyi raion; both stem to the same key.
    """
    key = loose_key(core_name(name))
    stem = _ADJECTIVAL_SUFFIX.sub("", key)
    return stem if len(stem) >= 3 else key
