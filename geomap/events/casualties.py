"""Casualty claims as written: category, qualifier, low/best/high and the quote.

Categories: ``killed``, ``wounded``, ``killed_or_wounded`` (the text lumps them:
"killed or wounded", "dead or injured", "casualties", "losses"), ``missing`` and
``captured``.

Numbers
-------
Digits ("10,000"), number words and compounds read by ``text2num`` ("three",
"twenty-five", "a hundred and fifty" → 150, "one hundred twenty" → 120, "two dozen" →
24) and vague quantities.  Vague quantities follow ACLED's fatality conventions as stated
in the project issue: "dozens" → 12, "several" / "a few" → 3, "hundreds" → 100; by the
same one-unit logic "tens" → 10, "scores" → 20, "thousands" → 1000.  A vague number is a
lower bound (``high`` stays empty) and keeps ``qualifier="vague"``.

* ranges – "10 to 15", "between 10 and 15", "10-15", "two or three": low 10, best 10
  (ACLED codes the lowest figure), high 15, ``qualifier="range"``;
* explicit zeros – "No one was killed", "no casualties", "without casualties", "no
  immediate reports of casualties": 0 in the category, ``kind="zero"``;
* a breakdown – "Five people, including two children, were killed": killed 5, the
  "including two children" kept in ``breakdown``, never a count of its own;
* updates – "the death toll rose to 55": ``kind="update"``; :func:`latest` drops the
  earlier figure of the same category (kept in notes);
* one implied – "DPR serviceman killed", "Civilian dies": 1, ``qualifier="one (implied)"``.
Digits that are part of a written date or time ("14.12.2024", "19:30") are not counts.

Qualifiers → (low, best, high) for a number N
---------------------------------------------
=================================================  ==========================
exact ("30 soldiers")                              (N, N, N)
at least / no fewer than / a minimum of            (N, N, None)
over / more than                                   (N+1, N+1, None)
about / around / approximately / some / roughly    (N, N, N) – face value
  / an estimated
up to / as many as                                 (1, N, N)
nearly / almost / fewer than / less than / under   (1, N-1, N-1)
=================================================  ==========================

Fatalities (:func:`fatalities`) count deaths only: ``killed`` supplies low/best/high;
``killed_or_wounded`` supplies 0 to low, nothing to best and its own ``high`` to
high (all the lumped casualties could be deaths).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

CATEGORIES = ("killed", "wounded", "killed_or_wounded", "missing", "captured")

# ACLED conventions for vague quantities (see module docstring)
VAGUE = {"dozens": 12, "several": 3, "a few": 3, "few": 3, "hundreds": 100, "tens": 10,
         "scores": 20, "thousands": 1000, "a handful": 3, "many": 3}

_QUALIFIERS = {
    "at least": "at least", "no fewer than": "at least", "no less than": "at least",
    "a minimum of": "at least", "over": "over", "more than": "over", "upwards of": "over",
    "about": "about", "around": "about", "approximately": "about", "some": "about",
    "roughly": "about", "an estimated": "about", "almost": "nearly", "nearly": "nearly",
    "up to": "up to", "as many as": "up to", "fewer than": "nearly", "less than": "nearly",
    "under": "nearly", "at most": "up to",
}
_QUAL_RE = "|".join(sorted((re.escape(q) for q in _QUALIFIERS), key=len, reverse=True))
_UNIT_W = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
           r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)")
_TENS_W = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_SMALL_W = rf"(?:{_TENS_W}(?:[- ]{_UNIT_W})?|{_UNIT_W})"
_SCALE_W = r"(?:hundred|thousand|million)"
# "a hundred and fifty", "one hundred twenty", "two thousand five hundred", "two dozen",
# "twenty-five"; every repetition starts with a new word, so matching stays linear
_WORDNUM = (rf"(?:(?:an?|{_SMALL_W})\s+{_SCALE_W}(?:\s+(?:and\s+)?{_SMALL_W}(?:\s+{_SCALE_W})?)*"
            rf"|(?:an?|{_SMALL_W})\s+dozen|dozen|{_SMALL_W})")
_DIGITS = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?(?:\s+(?:thousand|million))?"
_ONE_NUM = rf"(?:{_DIGITS}|{_WORDNUM})"
_VAGUE_RE = r"dozens|several|a few|hundreds|tens|scores|thousands|a handful|many"
# "10 to 15", "between 10 and 15", "10-15", "two or three"
_RANGE = (r"(?P<lo>\d+)\s*[-–]\s*(?P<hi>\d+)"
          rf"|(?:between\s+)?(?P<lo2>{_ONE_NUM})\s+(?:to|or)\s+(?P<hi2>{_ONE_NUM})"
          rf"|between\s+(?P<lo3>{_ONE_NUM})\s+and\s+(?P<hi3>{_ONE_NUM})")
_RANGE_PAIRS = (("lo", "hi"), ("lo2", "hi2"), ("lo3", "hi3"))
_RANGE_GROUPS = tuple(g for pair in _RANGE_PAIRS for g in pair[:1])
NUMBER_RE = re.compile(
    rf"\b(?:(?P<qual>{_QUAL_RE})\s+)?(?P<num>{_RANGE}|{_DIGITS}|{_WORDNUM}|{_VAGUE_RE})(?:\s+of)?\b",
    re.I,
)

# casualty words → category (longest first when matching)
_KEYWORDS = [
    (r"(?:killed|dead|died)\s+(?:or|and|and/or)\s+(?:wounded|injured|hurt)", "killed_or_wounded"),
    (r"(?:wounded|injured)\s+(?:or|and|and/or)\s+(?:killed|dead)", "killed_or_wounded"),
    (r"casualties|losses", "killed_or_wounded"),
    (r"killed|dead|died|dies|die|perished|lost\s+their\s+lives|slain|fatalities|deaths", "killed"),
    (r"wounded|injured|hurt", "wounded"),
    (r"(?:went|go|gone|reported|listed\s+as)?\s*missing(?:\s+in\s+action)?", "missing"),
    (r"captured|taken\s+(?:prisoner|captive)|prisoners(?:\s+of\s+war)?|surrendered", "captured"),
]
_KW_RE = [(re.compile(rf"\b(?:{pat})\b", re.I), cat) for pat, cat in _KEYWORDS]
# active verbs followed by the victims: "killing two civilians", "wounded 12 people"
_VERB_FIRST = re.compile(
    r"\b(?P<verb>killing|killed|kills|kill|wounding|wounded|wounds|wound|injuring|injured|injures|"
    r"injure|"
    r"capturing|captured|captures|took|taking|leaving|left)\s+(?=(?:" + _QUAL_RE + r"|\d+|"
    + _WORDNUM + r"|" + _VAGUE_RE + r")\b)",
    re.I,
)
_VERB_CAT = {"kill": "killed", "woun": "wounded", "inju": "wounded", "capt": "captured",
             "took": "captured", "taki": "captured"}
# passive/adjectival link between victims and casualty word: "were either", "have been"
_LINK = (r"(?:(?:were|was|are|is|have|has|had|been|being|either|reportedly|also|allegedly|all|"
         r"later|then|now|feared|confirmed|believed|to\s+have|to\s+be|went|gone|go)\s+)*")
_NOUN = r"(?:[A-Za-z][\w'’-]*\s+){0,4}?"

VICTIM_CIVILIAN = re.compile(r"\b(?:civilians?|people|persons?|residents?|children|child|women|"
                             r"woman|men|man|girls?|boys?|teenagers?|elderly|pensioners?|"
                             r"passengers?|workers?|journalists?|medics?|volunteers?|family)\b", re.I)
VICTIM_MILITARY = re.compile(r"\b(?:soldiers?|servicem[ae]n|servicewom[ae]n|troops?|fighters?|"
                             r"militants?|personnel|marines?|paratroopers?|mercenaries|"
                             r"conscripts?|officers?|servicepeople|military)\b", re.I)


@dataclass
class CasualtyClaim:
    """One number as claimed, with what it counts and the words behind it."""

    category: str  # killed | wounded | killed_or_wounded | missing | captured
    number_text: str  # "at least 30", "dozens"
    qualifier: str  # "" | at least | over | about | up to | nearly | vague
    low: int | None
    best: int | None
    high: int | None
    quote: str
    start: int  # offsets of the quote in the document
    end: int
    victims: str = ""  # civilian | military | ""
    victim_text: str = ""  # "North Korean soldiers"
    kind: str = ""  # "" | zero ("no one was killed") | update ("the toll rose to 55")
    breakdown: str = ""  # "including two children": part of this count, not a new one

    def summary(self) -> str:
        """``killed_or_wounded: at least 30 — "…quote…"``."""
        extra = f" ({self.breakdown})" if self.breakdown else ""
        return f'{self.category}: {self.number_text}{extra} — "{self.quote}"'

    def phrase(self) -> str:
        """How a reader would say it: "at least 30 killed or wounded", "dozens (ACLED: 12) killed"."""
        what = self.category.replace("_", " ")
        if self.kind == "zero":
            return f"0 {what} ({self.number_text})"
        number = self.number_text
        if self.qualifier == "vague":
            number = f"{number} (ACLED convention: {self.best})"
        return f"{number} {what}"

    def to_dict(self) -> dict:
        return asdict(self)


def _word_value(t: str) -> int | None:
    """Value of a number written in words ("a hundred and fifty", "two dozen") via text2num."""
    from text_to_num import text2num

    t = re.sub(r"^an?\s+", "one ", t)
    dozens = 1
    m = re.fullmatch(r"(.*?)\s*dozen", t)
    if m:
        dozens, t = 12, m.group(1) or "one"
    try:
        return int(text2num(t.replace("-", " "), "en")) * dozens
    except ValueError:
        return None


def parse_number(text: str) -> tuple[int, bool] | None:
    """``"10,000"`` → (10000, False); ``"dozens"`` → (12, True); None if not a number.

    Number words go through the maintained ``text2num`` parser (bench/bench_number_words.py
    measures it against the regex table it replaced): "a hundred and fifty" → 150,
    "one hundred twenty" → 120, "two dozen" → 24.
    """
    t = re.sub(r"\s+", " ", re.sub(r"\s+of$", "", text.strip().lower()))
    if t in VAGUE:
        return VAGUE[t], True
    mult = 1
    for word, factor in (("million", 1_000_000), ("thousand", 1000)):
        if re.fullmatch(rf"[\d.,]+ {word}", t):
            mult, t = factor, t[: -len(word) - 1].strip()
            break
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?", t):
        return int(float(t.replace(",", "")) * mult), False
    value = _word_value(t)
    return (value, False) if value is not None else None


def parse_range(m: re.Match) -> tuple[int, int] | None:
    """(low, high) of a NUMBER_RE match written as a range ("10 to 15"), else None."""
    pair = next(((m.group(lo), m.group(hi)) for lo, hi in _RANGE_PAIRS if m.group(lo)), None)
    if pair is None:
        return None
    lo, hi = pair
    a, b = parse_number(lo), parse_number(hi)
    if a is None or b is None or a[0] >= b[0]:
        return None
    return a[0], b[0]


def bounds(qualifier: str, n: int, vague: bool) -> tuple[int | None, int | None, int | None]:
    """(low, best, high) for a number and its normalised qualifier (see module docstring)."""
    if vague:
        return n, n, None
    if qualifier == "at least":
        return n, n, None
    if qualifier == "over":
        return n + 1, n + 1, None
    if qualifier == "up to":
        return min(1, n), n, n
    if qualifier == "nearly":
        return min(1, n - 1), max(n - 1, 0), max(n - 1, 0)
    return n, n, n


def _victims(fragment: str) -> str:
    if VICTIM_MILITARY.search(fragment):
        return "military"
    if VICTIM_CIVILIAN.search(fragment):
        return "civilian"
    return ""


def _claim(m: re.Match, category: str, quote_start: int, quote_end: int, text: str,
           offset: int, victim_text: str) -> CasualtyClaim | None:
    qual_raw = (m.group("qual") or "").lower()
    span = parse_range(m)
    if span is not None:
        # ACLED codes the lowest figure of a range; low/high keep both ends
        qual = f"{_QUALIFIERS.get(qual_raw, qual_raw)} range".strip()
        low, best, high = span[0], span[0], span[1]
    else:
        if any(m.group(g) for g in _RANGE_GROUPS):
            return None  # "15 to 10": not a range
        parsed = parse_number(m.group("num"))
        if parsed is None:
            return None
        n, vague = parsed
        qual = "vague" if vague and not qual_raw else _QUALIFIERS.get(qual_raw, "")
        low, best, high = bounds(qual, n, vague)
    number_text = (m.group(0)).strip()
    number_text = re.sub(r"\s+of$", "", number_text)
    quote = text[quote_start:quote_end].strip()
    return CasualtyClaim(category, number_text, qual, low, best, high, quote,
                         quote_start + offset, quote_end + offset, _victims(victim_text),
                         victim_text.strip())


def _quote_end(text: str, end: int) -> int:
    """Extend a quote through a trailing date/adverbial up to the next clause boundary."""
    m = re.match(r"(?:[^,;.:()\"“”]|(?<=[A-Z][a-z]{2})\.)*?(?=\s+(?:by|near|in|at|on\s+the\s+outskirts|after|when|"
                 r"while|during|as|and(?!\s+\d)|or|but|who|which|according)\b|[,;:()\"“”]|(?<![A-Z][a-z]{2})\.(?:\s|$)|$)",
                 text[end:end + 200])
    extra = m.group(0) if m else ""
    if len(extra) > 40:
        return end
    return end + len(extra)


_ZERO_CATEGORY = [
    (r"killed\s+or\s+(?:injured|wounded|hurt)|casualties|losses|victims|loss(?:es)?\s+of\s+life",
     "killed_or_wounded"),
    (r"killed|dead|died|deaths|fatalities|loss\s+of\s+life", "killed"),
    (r"injured|wounded|hurt|injuries", "wounded"),
]
_ZERO_KW = (r"killed\s+or\s+(?:injured|wounded|hurt)|killed|injured|wounded|hurt|died|dead|"
            r"casualties|injuries|deaths|fatalities|victims|losses|loss(?:es)?\s+of\s+life")
# explicit zeros: "No one was killed", "no casualties", "without casualties"
_ZERO_RE = re.compile(
    r"\b(?P<neg>no\s+one|nobody|none|no\s+(?:people|civilians|soldiers|persons|residents))\s+"
    r"(?:(?:was|were|has|have|had|been|being|reportedly|immediately|seriously|either)\s+){0,4}"
    rf"(?P<kw>{_ZERO_KW})\b"
    r"|\b(?P<neg2>no|without(?:\s+any)?|did\s+not\s+cause\s+any|caused\s+no)\s+"
    r"(?:(?:immediate|reported|known|civilian|military|human)\s+){0,2}(?P<rep>reports?\s+of\s+)?"
    rf"(?P<kw2>{_ZERO_KW})\b",
    re.I)
# updates: "the death toll rose to 55", "the number of injured has risen to 12"
_UPDATE_RE = re.compile(
    r"\b(?P<what>death\s+toll|casualty\s+toll|injury\s+toll|toll|number\s+of\s+(?:the\s+)?"
    r"(?:dead|deaths|fatalities|victims|injured|wounded|casualties|people\s+killed|"
    r"people\s+injured))\s+(?:(?:has|had|later|now|then|since|further|subsequently)\s+){0,2}"
    r"(?:rose|risen|climbed|increased|grew|grown|jumped|reached|hit|went\s+up|stands|stood|"
    r"is|was)\s+(?:to\s+|at\s+)?(?=\S)", re.I)
_BREAKDOWN = re.compile(r",\s*(?P<brk>(?:including|among\s+them|among\s+whom|of\s+whom|mostly|"
                        r"most\s+of\s+them)\b[^,;.()]{1,80}?),", re.I)


# the first words a NUMBER_RE match can start with: scanning for these and matching
# NUMBER_RE only there is 3x faster than NUMBER_RE.finditer on long texts
_NUMBER_START = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    r"ninety|an?|dozens?|several|few|hundreds|tens|scores|thousands|handful|many|at|no|over|more|"
    r"upwards|about|around|approximately|some|roughly|almost|nearly|up|as|fewer|less|under|"
    r"between)\b", re.I)


def _numbers(text: str):
    """The matches of NUMBER_RE.finditer(text), found from their possible first words."""
    end = 0
    for hit in _NUMBER_START.finditer(text):
        if hit.start() < end:
            continue
        m = NUMBER_RE.match(text, hit.start())
        if m and m.end() > m.start():
            end = m.end()
            if not _in_date(text, m.start(), m.end()):
                yield m


def _in_date(text: str, start: int, end: int) -> bool:
    """The digits are part of a written date or time ("14.12.2024", "12/14/2024", "19:30")."""
    before = text[max(0, start - 2):start]
    after = text[end:end + 2]
    return bool(re.fullmatch(r"\d[./:]", before) or re.fullmatch(r"[./:]\d", after))


# "... in Kherson and two in Mykolaiv": a place, then another number at another place
_CONTINUED = re.compile(
    r"\s+(?:in|near|at)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|region|oblast|"
    r"district|city|town|village))*\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?P<num>\d+|[a-z]+(?:-[a-z]+)?)"
    r"(?P<who>\s+(?:more|others?|people|civilians|soldiers|residents))?\s+"
    r"(?P<prep>in|near|at)\b")

_PLACE_AFTER = re.compile(r"(?:in|near|at)\s+(?:the\s+)?[A-Z][\w'’-]*")

# a singular victim and a casualty word: one person ("DPR serviceman killed"); the core is
# searched first, the words before it ("a Ukrainian") only in the 60 characters before
_SINGULAR_CORE = re.compile(
    r"\b(?P<noun>soldier|serviceman|servicewoman|civilian|man|woman|child|boy|girl|person|"
    r"militiaman|militant|fighter|rebel|officer|volunteer|resident|teenager|pensioner|medic|"
    r"journalist|policeman|marine|paratrooper|sniper|commander|driver)\s+"
    r"(?:(?:was|has\s+been|had\s+been|is|reportedly|reported|also)\s+){0,2}"
    r"(?P<kw>killed|dies|died|dead|wounded|injured|hurt|missing|captured)\b", re.I)
_SINGULAR_NOUNS = (r"soldier|serviceman|servicewoman|civilian|man|woman|child|boy|girl|person|"
                   r"militiaman|militant|fighter|rebel|officer|volunteer|resident|teenager|"
                   r"pensioner|medic|journalist|policeman|marine|paratrooper|sniper|commander|"
                   r"driver")
_SINGULAR_OBJECT = re.compile(
    r"\b(?P<kw>(?i:kills|killed|killing|kill|wounds|wounded|wounding|injures|injured|injuring|"
    r"dead))\s+(?:(?i:an?|one|the)\s+)?(?:(?:[A-Z][\w'’-]*|(?i:local|elderly|young|female|"
    rf"male|old))\s+){{0,2}}(?P<noun>(?i:{_SINGULAR_NOUNS}))\b")
_SINGULAR_LEAD = re.compile(  # case-sensitive: capitalised names ("DPR", "Ukrainian")
    r"(?:\b(?i:an?|the|one)\s+)?(?:(?:[A-Z][\w'’-]*|(?i:local|elderly|young|female|male|"
    r"old|pro-\w+))\s+){1,3}$|\b(?i:an?|the|one)\s+$")

# a word every casualty claim contains (a cheap pre-check for find_casualties)
_CASUALTY_WORD = re.compile(r"kill|dead|die|death|wound|injur|hurt|casualt|loss|perish|lives|"
                            r"slain|fatalit|missing|captur|prisoner|captive|surrender|toll|took|"
                            r"taking|leaving|left|victim|number\s+of", re.I)
_TRAILING_BREAKDOWN = re.compile(r",\s*(?P<brk>(?:including|among\s+them|among\s+whom|of\s+whom|"
                                 r"mostly|most\s+of\s+them)\b[^,;.()]{1,80}?)(?=[,;.()]|$)", re.I)
# number-first link: victims, an optional breakdown, the passive link, the casualty word
_KW_AFTER = [(re.compile(r"\s*(?P<noun>" + _NOUN + r")(?:(?P<tail>[A-Za-z][\w'’-]*)"
                         + _BREAKDOWN.pattern + r"\s*)?" + _LINK + r"(?P<kw>" + kw.pattern + r")",
                         re.I), cat) for kw, cat in _KW_RE]


def _zero_category(kw: str) -> str:
    return next(cat for pat, cat in _ZERO_CATEGORY if re.fullmatch(pat, kw, re.I))


def _update_category(what: str) -> str:
    w = what.lower()
    if re.search(r"injur|wound", w):
        return "wounded"
    if "casualt" in w:
        return "killed_or_wounded"
    return "killed"


def _zeros_and_updates(text: str, offset: int) -> list[CasualtyClaim]:
    out = []
    for m in _ZERO_RE.finditer(text):
        kw = m.group("kw") or m.group("kw2")
        qual = "none reported" if m.group("rep") else "none"
        out.append(CasualtyClaim(_zero_category(kw), m.group(0), qual, 0, 0, 0, m.group(0),
                                 m.start() + offset, m.end() + offset, kind="zero"))
    for um in _UPDATE_RE.finditer(text):
        nm = NUMBER_RE.match(text, um.end())
        if not nm:
            continue
        c = _claim(nm, _update_category(um.group("what")), um.start(), nm.end(), text, offset, "")
        if c:
            c.kind = "update"
            out.append(c)
    return out


def latest(claims: list[CasualtyClaim]) -> tuple[list[CasualtyClaim], list[str]]:
    """Claims after updates: "the toll rose to 55" replaces the earlier 43 of its category.

    Returns the claims that count and notes on the superseded ones (kept for the record).
    """
    keep: list[CasualtyClaim] = []
    notes: list[str] = []
    for c in sorted(claims, key=lambda c: c.start):
        if c.kind == "update":
            old = [k for k in keep if k.category == c.category]
            for k in old:
                keep.remove(k)
                notes.append(f"superseded by the update '{c.number_text}': earlier "
                             f"{k.category} {k.number_text} (\"{k.quote}\")")
        keep.append(c)
    return keep, notes


def find_casualties(text: str, offset: int = 0) -> list[CasualtyClaim]:
    """Casualty claims in one sentence or clause (offsets shifted by ``offset``).

    Examples
    --------
    >>> [c.summary() for c in find_casualties("at least 30 North Korean soldiers were either "
    ...                                       "killed or wounded on Dec. 14 and 15 by the forces")]
    ['killed_or_wounded: at least 30 — "at least 30 North Korean soldiers were either killed or wounded on Dec. 14 and 15"']
    """
    claims: list[CasualtyClaim] = []
    used: list[tuple[int, int]] = []
    if not _CASUALTY_WORD.search(text):
        return claims  # every claim needs one of these words: skip the number scan

    def free(s: int, e: int) -> bool:
        return not any(s < ue and us < e for us, ue in used)

    # 0) explicit zeros and updates ("no one was killed", "the toll rose to 55")
    for c in _zeros_and_updates(text, offset):
        if free(c.start - offset, c.end - offset):
            claims.append(c)
            used.append((c.start - offset, c.end - offset))

    # 1) verb first: "killing at least two civilians and wounding 12"
    for vm in _VERB_FIRST.finditer(text):
        nm = NUMBER_RE.match(text, vm.end())
        if not nm or not free(nm.start(), nm.end()):
            continue
        verb = vm.group("verb").lower()
        after = text[nm.end():nm.end() + 60]
        if verb in ("leaving", "left"):
            km = re.match(r"\s*(?:[A-Za-z]+\s+){0,2}?(dead|killed|wounded|injured|missing)\b", after)
            if not km:
                continue
            category = {"dead": "killed", "killed": "killed", "missing": "missing"}.get(
                km.group(1).lower(), "wounded")
            qend = nm.end() + km.end()
            victim = after[:km.start(1)]
        else:
            category = _VERB_CAT[verb[:4]]
            vn = re.match(r"(?:\s+(?!(?:and|or|in|on|at|near|during|as|while|after|when|with|"
                          r"by|from)\b)[A-Za-z][\w'’-]*){0,3}", after)
            victim = vn.group(0) if vn else ""
            qend = nm.end() + len(victim)
            if category == "captured" and not (VICTIM_MILITARY.search(victim)
                                               or VICTIM_CIVILIAN.search(victim)):
                continue
        c = _claim(nm, category, vm.start(), min(qend, len(text)), text, offset, victim)
        if c:
            bm = _TRAILING_BREAKDOWN.match(text, min(qend, len(text)))
            if bm:
                c.breakdown = bm.group("brk").strip()
                used.append(bm.span("brk"))
            claims.append(c)
            used.append((nm.start(), nm.end()))
    # 2) number first: "30 soldiers were killed or wounded", "3 dead", "over 30 casualties",
    #    "Five people, including two children, were killed" (the breakdown is no new count)
    for nm in _numbers(text):
        if not free(nm.start(), nm.end()):
            continue
        window = min(len(text), nm.end() + 200)
        best = None
        for kw_re, category in _KW_AFTER:
            km = kw_re.match(text, nm.end(), window)
            if km and (best is None or km.start("kw") < best[0].start("kw")):
                best = (km, category)
        if best is None:
            continue
        km, category = best
        victim = km.group("noun") + (km.group("tail") or "")
        if re.search(r"\b(?:said|says|claimed|and|or|by|from|with|to|in|on|at|near)\b", victim, re.I):
            continue
        c = _claim(nm, category, nm.start(), _quote_end(text, km.end()), text, offset, victim)
        if c:
            if km.group("brk"):
                c.breakdown = km.group("brk").strip()
                used.append(km.span("brk"))
            claims.append(c)
            used.append((nm.start(), km.end("kw")))
    # 3) one person, no number: "Serviceman killed in shelling", "Civilian dies in Luhansk"
    for core in _SINGULAR_CORE.finditer(text):
        lo = max(0, core.start() - 60)
        sm = _SINGULAR_LEAD.search(text, lo, core.start())
        start = sm.start() if sm else core.start()
        if not free(core.start("noun"), core.end("noun")) or not free(core.start("kw"),
                                                                       core.end("kw")):
            continue
        sm = core
        if start and re.search(r"\d\s*$|\b(?:two|three|four|five|six|seven|eight|nine|ten|"
                                    r"dozens?|several|many|few)\s+$", text[max(0, start - 12):
                                                                          start], re.I):
            continue
        kw = sm.group("kw").lower()
        category = next(cat for kw_re, cat in _KW_RE if kw_re.fullmatch(kw))
        noun = sm.group("noun")
        quote = text[start:sm.end()]
        lead = len(quote) - len(quote.lstrip())
        claims.append(CasualtyClaim(category, f"a {noun.lower()}", "one (implied)", 1, 1, 1,
                                    quote.strip(), start + lead + offset, sm.end() + offset,
                                    _victims(noun), noun))
        used.append((start, sm.end()))
    #    ... and as an object: "shelling kills LPR militiaman", "Dead man found"
    for om in _SINGULAR_OBJECT.finditer(text):
        if not free(om.start(), om.end()):
            continue
        kw = om.group("kw").lower()
        category = "killed" if kw.startswith(("kill", "dead")) else "wounded"
        noun = om.group("noun")
        claims.append(CasualtyClaim(category, f"a {noun.lower()}", "one (implied)", 1, 1, 1,
                                    om.group(0), om.start() + offset, om.end() + offset,
                                    _victims(noun), noun))
        used.append(om.span())
    # 4) the same count continued at another place: "killed three people in Kherson and two
    #    in Mykolaiv" – the second number has the first one's category
    for c in list(claims):
        if c.kind == "zero":
            continue
        pos = c.end - offset
        while True:
            cm = _CONTINUED.match(text, pos, min(len(text), pos + 120))
            if not cm:
                break
            nm = NUMBER_RE.match(text, cm.start("num"))
            if not nm or not free(nm.start(), nm.end()):
                break
            more = _claim(nm, c.category, nm.start(), cm.end("prep") - len(cm.group("prep")),
                          text, offset, cm.group("who") or "")
            if more is None:
                break
            place = _PLACE_AFTER.match(text, cm.start("prep"))
            end = place.end() if place else cm.end("prep")
            more.quote = text[nm.start():end]
            more.end = more.start + len(more.quote)
            claims.append(more)
            used.append((nm.start(), nm.end()))
            pos = cm.start("prep") - 1
    # 5) "killed 3 and wounded 5" handled by 1); "3 killed and 5 wounded" handled by 2)
    claims.sort(key=lambda c: c.start)
    return claims


def fatalities(claims: list[CasualtyClaim]) -> tuple[int | None, int | None, int | None]:
    """(fatalities_low, best, high) from the claims of one event: deaths only.

    Updates replace earlier figures (:func:`latest`); "no casualties" gives 0, not null.
    """
    claims, _ = latest(claims)
    killed = [c for c in claims if c.category == "killed"]
    lumped = [c for c in claims if c.category == "killed_or_wounded"]
    if not killed and not lumped:
        return None, None, None
    low = sum(c.low or 0 for c in killed)
    best = sum(c.best or 0 for c in killed) if killed else None
    if best is None and all(c.high == 0 for c in lumped):
        best = 0  # "no casualties": nobody died either
    highs = [c.high for c in killed + lumped]
    high = None if any(h is None for h in highs) else sum(highs)
    return low, best, high


def totals(claims: list[CasualtyClaim]) -> dict[str, int | None]:
    """Per-category best numbers (the EventRecord count columns), after updates."""
    claims, _ = latest(claims)
    out: dict[str, int | None] = dict.fromkeys(CATEGORIES)
    for c in claims:
        if c.best is None:
            continue
        out[c.category] = (out[c.category] or 0) + c.best
    return out
