"""The Latin spellings English news gives Russian and Ukrainian place names.

The Russian settlements pack is Cyrillic only, and Russian-language reports write
Ukrainian villages in their Russian form (Кліщіївка → Клещеевка → *Kleshcheyevka*).
These functions generate, by rule, the forms an index needs so that such spellings
match strictly:

``russian_latin``
    BGN/PCGN (1947) romanisation of Russian, with and without the apostrophes for
    ь/ъ, and the simplified news variants of its endings (-oye/-oe/-oie, -iy/-y, -yy/-y).
``ukrainian_latin``
    the Ukrainian national system (KMU 2010), as OSM and OCHA write Ukrainian names.
``ukrainian_to_russian``
    the Russian form(s) of a Ukrainian name, by the regular correspondences of the two
    orthographies (-івка → -овка/-евка, -ське → -ское, -не → -ное, і → и/е, и → ы, …).
``news_forms``
    all of the above for one record, without repeats.

Forms that differ only in case or punctuation are not repeated (the strict key folds
those); what remains is what the loose key alone would score lower.
"""

from __future__ import annotations

import re
from functools import lru_cache

_VOWELS_RU = set("аеёиоуыэюяАЕЁИОУЫЭЮЯ")
_SEPARATORS = set("ьъйЬЪЙ")

_BGN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "ë", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "\"", "ы": "y", "ь": "'", "э": "e", "ю": "yu",
    "я": "ya",
}

_KMU = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu",
    "я": "ia", "'": "", "’": "", "ʼ": "",
}
_KMU_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}


def _case_like(src: str, out: str) -> str:
    return out.capitalize() if src.isupper() else out


def _bgn_letter(word: str, i: int) -> str:
    c = word[i].lower()
    prev = word[i - 1] if i else ""
    if c in ("е", "ё") and (not prev or prev in _VOWELS_RU or prev in _SEPARATORS):
        return "ye" if c == "е" else "yë"
    return _BGN.get(c, c)


def _romanise_words(text: str, letter) -> str:
    out = []
    for word in re.split(r"(\W+)", text):
        if not word or not word[0].isalpha():
            out.append(word)
            continue
        out.append("".join(_case_like(word[i], letter(word, i)) for i in range(len(word))))
    return "".join(out)


# simplified endings news writes for Russian adjectives (BGN form → news forms)
_ENDING_VARIANTS = [
    (re.compile(r"oye\b"), ("oye", "oe", "oie")),
    (re.compile(r"eye\b"), ("eye", "ee")),
    (re.compile(r"iy\b"), ("iy", "y", "i")),
    (re.compile(r"yy\b"), ("yy", "y")),
    (re.compile(r"aya\b"), ("aya", "aia")),
    (re.compile(r"(?<=[aeou])y\b"), ("y", "i")),
    (re.compile(r"ks"), ("ks", "x")),
]


def bgn_pcgn(cyrillic: str, marks: bool = True) -> str:
    """BGN/PCGN romanisation of Russian; ``marks=False`` drops ' " and writes ë as e."""
    bgn = _romanise_words(cyrillic, _bgn_letter)
    if marks:
        return bgn
    return bgn.replace("'", "").replace('"', "").replace("ë", "e")


def russian_latin(cyrillic: str) -> list[str]:
    """BGN/PCGN romanisations of a Russian name and their simplified news forms."""
    bgn = bgn_pcgn(cyrillic)
    bare = bgn.replace("'", "").replace('"', "")
    plain = bare.replace("ë", "e")
    yo = bare.replace("yë", "yo").replace("ë", "yo")
    forms = [bgn, plain, yo]
    for pattern, variants in _ENDING_VARIANTS:
        if pattern.search(plain):
            forms += [pattern.sub(v, plain) for v in variants]
    forms.append(plain.replace("ye", "e") if re.search(r"(?<=[aeiouy])ye", plain) else plain)
    forms.append(_SHORT_I.sub("i", plain))  # й as news often writes it: Zaitsevo, Voikovsky
    return _unique(forms)


_SHORT_I = re.compile(r"(?<=[aeou])y(?=[bcdfghklmnpqrstvwxz])")


def ukrainian_latin(cyrillic: str) -> str:
    """The Ukrainian national romanisation (KMU 2010), as OSM and OCHA use it."""

    def letter(word: str, i: int) -> str:
        c = word[i].lower()
        if c == "г" and i and word[i - 1].lower() == "з":
            return "gh"
        if i == 0 and c in _KMU_INITIAL:
            return _KMU_INITIAL[c]
        return _KMU.get(c, c)

    return _romanise_words(cyrillic.replace("'", "").replace("’", "").replace("ʼ", ""),
                           letter)


# Ukrainian → Russian orthography, word by word.  Ordinals and the adjectives of
# "Big/Little/New/Old/Upper/Lower" are words, not place names, and Russian writes them
# with its own endings.
# Names from given names keep the Russian form of the name: Mykola-/Mykyt- = Nikola-/Nikit-,
# Oleks- = Aleks- (Oleksiivka = Alekseyevka), Olen- = Elen- (Olenivka = Yelenovka)
_NAMESAKE_STARTS = [(re.compile(r"^мик(?=ол|ит)"), "ник"), (re.compile(r"^олекс"), "алекс"),
                    (re.compile(r"^олен(?=ів)"), "елен")]
_ORDINALS = {"перша": "первая", "друга": "вторая", "третя": "третья", "перше": "первое",
             "друге": "второе", "перший": "первый", "другий": "второй"}
_SUFFIXES = [  # (Ukrainian ending, Russian endings), longest first
    ("іївка", ("еевка",)), ("ївка", ("евка",)), ("івка", ("овка", "евка")),
    ("івськ", ("овск",)), ("ськ", ("ск",)), ("цьк", ("цк",)),
    ("ське", ("ское",)), ("цьке", ("цкое",)), ("ська", ("ская",)), ("цька", ("цкая",)),
    ("ський", ("ский",)), ("цький", ("цкий",)),
    ("ове", ("ово", "овое")), ("еве", ("ево", "евое")), ("єве", ("ево",)), ("ине", ("ино",)),
    ("не", ("ное",)), ("ілля", ("олье", "елье")), ("ля", ("лье",)),
    ("ів", ("ов", "ев")), ("їв", ("ев",)), ("ин", ("ин",)),
    ("ий", ("ый", "ий")), ("ій", ("ий",)), ("ці", ("цы",)), ("ки", ("ки",)), ("ни", ("ны",)),
]
_ADJECTIVE_FEM = re.compile(r"(на|ва|ка|ла|ра|жа|ча|ша|та|да|ня)$")


_CONS = "бвгґджзклмнпрстфхцчшщ"
_CLOSED_I = re.compile(f"і(?=[{_CONS}](?:[{_CONS}ь]|$))")
_HARD_Y = re.compile(r"(?<=[бвдзлмнпрстф])и")


def _letters_uk_to_ru(stem: str) -> list[str]:
    """Letter correspondences inside a stem, likeliest first.

    і is и, or е, or (in a closed syllable, where Ukrainian raised it) о; ї is и or е;
    и after a hard consonant is often ы.
    """
    base = stem.replace("є", "е").replace("'", "").replace("’", "").replace("ʼ", "")
    base = base.replace("ьо", "е")
    variants = []
    for closed in ("и", "о", "е"):
        v = _CLOSED_I.sub(closed, base)
        variants += [v.replace("і", "и").replace("ї", "и"), v.replace("і", "е").replace("ї", "е")]
    out = []
    for v in _unique(variants):
        out += [v, _HARD_Y.sub("ы", v)]
    return _unique(out)


def _word_uk_to_ru(word: str, adjective: bool) -> list[str]:
    low = word.lower()
    if low in _ORDINALS:
        return [_ORDINALS[low]]
    for pattern, russian in _NAMESAKE_STARTS:
        if pattern.search(low):
            return _word_uk_to_ru(pattern.sub(russian, low), adjective)
    if adjective and low.endswith("ня"):
        return [s + "няя" for s in _letters_uk_to_ru(low[:-2])]
    if adjective and low.endswith(("ий", "ій")):
        stems = _letters_uk_to_ru(low[:-2])
        return [s + ("ий" if s[-1] in "кгхжшчщ" or low.endswith("ій") else "ый") for s in stems]
    if adjective and _ADJECTIVE_FEM.search(low):
        return [s + "ая" for s in _letters_uk_to_ru(low[:-1])]
    if adjective and low.endswith(("е", "є")) and len(low) > 3:
        return [s + "ое" for s in _letters_uk_to_ru(low[:-1])]
    for uk_end, ru_ends in _SUFFIXES:
        if low.endswith(uk_end) and len(low) > len(uk_end) + 1:
            stems = _letters_uk_to_ru(low[: -len(uk_end)])
            return [s + e for s in stems for e in ru_ends]
    return _letters_uk_to_ru(low)


def ukrainian_to_russian(ukrainian: str, limit: int = 6) -> list[str]:
    """The likely Russian forms (Cyrillic) of a Ukrainian place name, best first."""
    parts = re.split(r"([\s-]+)", ukrainian.strip())
    words = [p for p in parts if p and not p.isspace() and p != "-"]
    if not words:
        return []
    # Ukrainian names put the adjective first (Велика Писарівка), ordinals last
    # (Новоселівка Перша); words of a hyphenated compound are nouns (Середина-Буда)
    spaced = len(re.findall(r"\s+", ukrainian.strip()))
    adjectives = {k for k, w in enumerate(words) if w.lower() in _ORDINALS}
    if spaced and not adjectives:
        adjectives = {0}
    options: list[list[str]] = []
    k = 0
    for part in parts:
        if not part or part.isspace() or set(part) <= {"-", " "}:
            options.append([part])
            continue
        forms = _word_uk_to_ru(part, adjective=k in adjectives)
        options.append([f.capitalize() if part[0].isupper() else f for f in forms])
        k += 1
    out = [""]
    for opts in options:
        out = [o + f for o in out for f in opts][: limit * 3]
    return _unique(out)[:limit]


# Russian adjectives Ukrainian renders by another word, by gender/number ending
_ADJECTIVE_WORDS_RU_UK = {"больш": "велик"}
_ADJECTIVE_ENDINGS_RU_UK = [("ая", "а"), ("яя", "я"), ("ое", "е"), ("ее", "є"), ("ой", "ий"),
                            ("ый", "ий"), ("ий", "ій"), ("ие", "і"), ("ые", "і")]


def russian_to_ukrainian(russian: str) -> str:
    """The Ukrainian form of a Russian name of two or more words, as Ukrainian reports
    write Russia's border villages (Малая Локня → Мала Локня, Большое Солдатское →
    Велике Солдатське); '' for a one-word name (the loose key folds those) or no change.

    Only adjective endings (and Большой → Великий) are rendered; a stem's letters stay
    Russian except ы → и, э → е and ё → е."""
    words = russian.split()
    if len(words) < 2:
        return ""
    out = []
    for word in words:
        low = word.lower()
        for ru_end, uk_end in _ADJECTIVE_ENDINGS_RU_UK:
            if low.endswith(ru_end) and len(low) > len(ru_end) + 2:
                stem = low[: -len(ru_end)]
                stem = _ADJECTIVE_WORDS_RU_UK.get(stem, stem)
                if uk_end == "ій" and stem[-1] in "кгхжшчщ":
                    uk_end = "ий"  # Ukrainian keeps these hard: Великий, Курський
                if stem.endswith(("ск", "цк")) and uk_end in ("а", "е", "ий", "і"):
                    stem = stem[:-1] + "ьк"  # Солдатское → Солдатське
                low = stem + uk_end
                break
        low = low.replace("ы", "и").replace("э", "е").replace("ё", "е")
        out.append(low.capitalize() if word[:1].isupper() else low)
    ukrainian = " ".join(out)
    return "" if ukrainian.lower() == russian.lower() else ukrainian


@lru_cache(maxsize=65536)
def _news_forms(name_ru: str, name_uk: str) -> tuple[str, ...]:
    forms: list[str] = []
    if name_ru:
        forms += russian_latin(name_ru)
    if name_uk:
        forms.append(ukrainian_latin(name_uk))
        for russian in ukrainian_to_russian(name_uk):
            forms.append(russian)
            latin = russian_latin(russian)
            forms += [*latin[:2], latin[-1]]
    return tuple(_unique(forms))


def news_forms(name_ru: str = "", name_uk: str = "") -> list[str]:
    """Every generated spelling of a settlement's Russian and/or Ukrainian name."""
    return list(_news_forms(name_ru or "", name_uk or ""))


def _unique(items) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.casefold()
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return out


# Letter groups written differently by Russian and Ukrainian forms of one name (and by
# romanisation systems), folded before the vowels are dropped: Ukrainian h is Russian g.
_SKELETON_FOLDS = [("x", "ks"), ("shch", "s"), ("sch", "s"), ("kh", "x"), ("zh", "z"),
                   ("ch", "c"), ("ts", "c"), ("tz", "c"), ("sh", "s"), ("gh", "g"), ("h", "g"),
                   ("w", "v"), ("ck", "k"), ("q", "k")]
_SKELETON_DROP = re.compile(r"[aeiouyj\s]+")
_DOUBLED = re.compile(r"(.)\1+")


def consonant_skeleton(strict: str) -> str:
    """The consonants a name's Russian and Ukrainian forms share, from its strict key.

    Alekseyevka and Oleksiivka → "lksvk"; Vodyanoye and Vodiane → "vdn"; Novogrigoryevka
    and Novohryhorivka → "nvgrgrvk".  Far too coarse to search with on its own: only
    inside one region, for a name none of whose namesakes fits.
    """
    key = strict
    for group, folded in _SKELETON_FOLDS:
        key = key.replace(group, folded)
    return _DOUBLED.sub(r"\1", _SKELETON_DROP.sub("", key))
