"""Casualty claims as written: category, qualifier, low/best/high and the quote.

Categories: ``killed``, ``wounded``, ``killed_or_wounded`` (the text lumps them:
"killed or wounded", "dead or injured", "casualties", "losses"), ``missing`` and
``captured``.

Numbers
-------
Digits ("10,000"), number words ("three", "twenty-five") and vague quantities.  Vague
quantities follow ACLED's fatality conventions as stated in the project issue:
"dozens" → 12, "several" / "a few" → 3, "hundreds" → 100; by the same
one-unit logic "tens" → 10, "scores" → 20, "thousands" → 1000.  A vague number is a
lower bound (``high`` stays empty).

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

_UNITS = {
    "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "a dozen": 12, "dozen": 12,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
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
_WORDNUM = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|"
            r"four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|"
            r"eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
            r"a dozen|dozen)(?:\s+(?:hundred|thousand))?")
_VAGUE_RE = r"dozens|several|a few|hundreds|tens|scores|thousands|a handful|many"
NUMBER_RE = re.compile(
    rf"\b(?:(?P<qual>{_QUAL_RE})\s+)?(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?(?:\s+(?:thousand|million))?"
    rf"|{_WORDNUM}|{_VAGUE_RE})(?:\s+of)?\b",
    re.I,
)

# casualty words → category (longest first when matching)
_KEYWORDS = [
    (r"(?:killed|dead|died)\s+(?:or|and|and/or)\s+(?:wounded|injured|hurt)", "killed_or_wounded"),
    (r"(?:wounded|injured)\s+(?:or|and|and/or)\s+(?:killed|dead)", "killed_or_wounded"),
    (r"casualties|losses", "killed_or_wounded"),
    (r"killed|dead|died|perished|lost\s+their\s+lives|slain|fatalities|deaths", "killed"),
    (r"wounded|injured|hurt", "wounded"),
    (r"(?:went|go|gone|reported|listed\s+as)?\s*missing(?:\s+in\s+action)?", "missing"),
    (r"captured|taken\s+(?:prisoner|captive)|prisoners(?:\s+of\s+war)?|surrendered", "captured"),
]
_KW_RE = [(re.compile(rf"\b(?:{pat})\b", re.I), cat) for pat, cat in _KEYWORDS]
# active verbs followed by the victims: "killing two civilians", "wounded 12 people"
_VERB_FIRST = re.compile(
    r"\b(?P<verb>killing|killed|kills|wounding|wounded|wounds|injuring|injured|injures|"
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

    def summary(self) -> str:
        """``killed_or_wounded: at least 30 — "…quote…"``."""
        return f'{self.category}: {self.number_text} — "{self.quote}"'

    def to_dict(self) -> dict:
        return asdict(self)


def parse_number(text: str) -> tuple[int, bool] | None:
    """``"10,000"`` → (10000, False); ``"dozens"`` → (12, True); None if not a number."""
    t = re.sub(r"\s+of$", "", text.strip().lower())
    if t in VAGUE:
        return VAGUE[t], True
    mult = 1
    for word, factor in (("million", 1_000_000), ("thousand", 1000), ("hundred", 100)):
        if t.endswith(" " + word):
            mult, t = factor, t[: -len(word) - 1].strip()
            break
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?", t):
        return int(float(t.replace(",", "")) * mult), False
    if t in _UNITS:
        return _UNITS[t] * mult, False
    parts = re.split(r"[- ]", t)
    if parts[0] in _TENS:
        value = _TENS[parts[0]] + (_UNITS.get(parts[1], 0) if len(parts) > 1 else 0)
        return value * mult, False
    return None


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
    parsed = parse_number(m.group("num"))
    if parsed is None:
        return None
    n, vague = parsed
    qual_raw = (m.group("qual") or "").lower()
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
                 text[end:])
    extra = m.group(0) if m else ""
    if len(extra) > 40:
        return end
    return end + len(extra)


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

    def free(s: int, e: int) -> bool:
        return not any(s < ue and us < e for us, ue in used)

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
            claims.append(c)
            used.append((nm.start(), nm.end()))
    # 2) number first: "30 soldiers were killed or wounded", "3 dead", "over 30 casualties"
    for nm in NUMBER_RE.finditer(text):
        if not free(nm.start(), nm.end()):
            continue
        rest = text[nm.end():]
        best = None
        for kw_re, category in _KW_RE:
            km = re.match(r"\s*(" + _NOUN + r")" + _LINK + r"(" + kw_re.pattern
                          + r")", rest, re.I)
            if km and (best is None or km.start(2) < best[0].start(2)):
                best = (km, category)
        if best is None:
            continue
        km, category = best
        victim = km.group(1)
        if re.search(r"\b(?:said|says|claimed|and|or|by|from|with|to|in|on|at|near)\b", victim, re.I):
            continue
        end = nm.end() + km.end()
        c = _claim(nm, category, nm.start(), _quote_end(text, end), text, offset, victim)
        if c:
            claims.append(c)
            used.append((nm.start(), nm.end()))
    # 3) "killed 3 and wounded 5" handled by 1); "3 killed and 5 wounded" handled by 2)
    claims.sort(key=lambda c: c.start)
    return claims


def fatalities(claims: list[CasualtyClaim]) -> tuple[int | None, int | None, int | None]:
    """(fatalities_low, best, high) from the claims of one event: deaths only."""
    killed = [c for c in claims if c.category == "killed"]
    lumped = [c for c in claims if c.category == "killed_or_wounded"]
    if not killed and not lumped:
        return None, None, None
    low = sum(c.low or 0 for c in killed)
    best = sum(c.best or 0 for c in killed) if killed else None
    highs = [c.high for c in killed + lumped]
    high = None if any(h is None for h in highs) else sum(highs)
    return low, best, high


def totals(claims: list[CasualtyClaim]) -> dict[str, int | None]:
    """Per-category best numbers (the EventRecord count columns)."""
    out: dict[str, int | None] = dict.fromkeys(CATEGORIES)
    for c in claims:
        if c.best is None:
            continue
        out[c.category] = (out[c.category] or 0) + c.best
    return out
