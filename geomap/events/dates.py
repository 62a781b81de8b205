"""Resolve date expressions in news text against the publication date.

Regexes + :mod:`datetime` only (no dateparser).  Every expression becomes a
:class:`DateMention` with a start and end date and an ACLED ``time_precision``:

====================================  ==========================  =========
text                                  resolved (published Mon    precision
                                      2024-12-16)
====================================  ==========================  =========
``Dec. 14 and 15`` / ``14-15 Dec``    2024-12-14 … 2024-12-15     2
``Dec. 14`` / ``14 December 2024``    2024-12-14                  1
``the night of August 5-6``           2024-08-05 … 2024-08-06     2
``on Monday`` / ``Monday night``      2024-12-16 (the Monday on   1
                                      or before publication)
``yesterday`` / ``today``             2024-12-15 / 2024-12-16     1
``overnight`` / ``last night`` /      2024-12-15 … 2024-12-16     2
``over the past day / 24 hours``
``last week``                         2024-12-09 … 2024-12-15     2
``this week`` / ``earlier this week`` 2024-12-16 … 2024-12-16     2
``14.12.2024`` / ``14/12/2024``       2024-12-14                  1
``two days ago`` / ``the day before   2024-12-14                  1
yesterday``
``two weeks ago``                     2024-12-02 … 2024-12-08     2
``in recent days`` / ``the past few   2024-12-09 … 2024-12-16     2
days``
``in November`` / ``back in August``  2024-11-01 … 2024-11-30     3
``last month`` / ``earlier this       previous / current month    3
month``
====================================  ==========================  =========

Year inference: a date written without a year is the most recent such date that
is not after the publication date ("August 5-6" in a December article → the same
year; "Dec. 30" in a January article → the previous year).

A date directly governed by a reporting verb ("said on Monday", "announced
Tuesday") is marked ``role="statement"``: it dates the statement, not the event.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from geomap.events.casualties import parse_number

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}

_MON = (r"(?P<{n}>January|February|March|April|May|June|July|August|September|October|"
        r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?")
_DAY = r"(?P<{n}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<{n}>(?:19|20)\d\d))?"
_RANGE_SEP = r"\s*(?:-|–|—|/|\band\b|\bto\b|\bthrough\b|\buntil\b)\s*"
_NIGHT = r"(?P<night>(?:the\s+)?night\s+of\s+)?"




_PATTERNS: list[tuple[str, re.Pattern]] = [
    # Nov. 30 to Dec. 2 (cross-month range)
    ("md_md", re.compile(_NIGHT + _MON.format(n="m1") + r"\s+" + _DAY.format(n="d1") + _RANGE_SEP
                         + _MON.format(n="m2") + r"\s+" + _DAY.format(n="d2") + r"\b"
                         + _YEAR.format(n="y"), re.I)),
    # Dec. 14 and 15 / August 5-6 / Dec 14-15, 2024
    ("m_dd", re.compile(_NIGHT + _MON.format(n="m") + r"\s+" + _DAY.format(n="d1") + _RANGE_SEP
                        + _DAY.format(n="d2") + r"\b" + _YEAR.format(n="y"), re.I)),
    # 14 and 15 December / 5-6 August 2024
    ("dd_m", re.compile(_NIGHT + r"\b" + _DAY.format(n="d1") + _RANGE_SEP + _DAY.format(n="d2")
                        + r"\s+(?:of\s+)?" + _MON.format(n="m") + _YEAR.format(n="y").replace(",?", ""),
                        re.I)),
    # Dec. 14 / December 14, 2024
    ("m_d", re.compile(_NIGHT + r"\b" + _MON.format(n="m") + r"\s+" + _DAY.format(n="d") + r"\b"
                       + _YEAR.format(n="y"), re.I)),
    # 14 December / 14th of December 2024
    ("d_m", re.compile(_NIGHT + r"\b" + _DAY.format(n="d") + r"\s+(?:of\s+)?" + _MON.format(n="m")
                       + r"\b" + _YEAR.format(n="y").replace(",?", ""), re.I)),
    # ISO 2024-12-14
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    # 14.12.2024 / 14/12/2024 (day first; 12/14/2024 read month first as no 14th month exists)
    ("numeric", re.compile(r"\b(?P<d>[0-3]?\d)[./](?P<m>[0-3]?\d)[./](?P<y>(?:19|20)\d\d)\b")),
    # two days ago / 3 weeks ago / a month ago / the day before yesterday
    ("ago", re.compile(r"\b(?:(?P<n>an?|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+"
                       r"(?P<unit>days?|weeks?|months?)\s+ago|(?P<dby>the\s+day\s+before\s+"
                       r"yesterday))\b", re.I)),
    # in November (2024) / back in August / since October / during September
    ("month", re.compile(r"\b(?P<prep>in|back in|since|during|early|late|mid|mid-|earlier in|"
                         r"later in|throughout)\s*(?:-\s*)?" + _MON.format(n="m")
                         + r"(?!\s+[0-3]?\d\b)" + r"(?:\s+(?P<y>(?:19|20)\d\d))?\b", re.I)),
    # Monday / on Monday night / Monday's / last Tuesday
    ("weekday", re.compile(r"\b(?:(?P<last>last|this|on|early|late)\s+)?(?P<wd>Monday|Tuesday|"
                           r"Wednesday|Thursday|Friday|Saturday|Sunday)(?:'s)?"
                           r"(?P<part>\s+(?:night|morning|evening|afternoon))?\b", re.I)),
    ("relative", re.compile(r"\b(?P<rel>yesterday|today|overnight|last\s+night|tonight|this\s+morning|"
                            r"last\s+week|this\s+week|earlier\s+this\s+week|past\s+week|"
                            r"last\s+month|this\s+month|earlier\s+this\s+month|past\s+month|"
                            r"last\s+weekend|this\s+weekend|over\s+the\s+weekend|in\s+recent\s+days|"
                            r"(?:over\s+|in\s+)?the\s+(?:past|last)\s+(?:few|several)\s+days|"
                            r"earlier\s+this\s+year|(?:over\s+|in\s+)?the\s+(?:past|last)\s+"
                            r"(?:day|24\s+hours))\b", re.I)),
]

# cheap pre-checks: a pattern runs only when its kind of word is in the text
_TRIGGERS = {
    "month": re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.I),
    "digits": re.compile(r"\d"),
    "weekday": re.compile(r"(?:mon|tues|wednes|thurs|fri|satur|sun)day", re.I),
    "relative": re.compile(r"\b(?:yesterday|today|tonight|overnight|night|morning|week|month|"
                           r"weekend|days?|hours|year|ago)\b", re.I),
}
_FAMILY = {"md_md": "month", "m_dd": "month", "dd_m": "month", "m_d": "month", "d_m": "month",
           "month": "month", "iso": "digits", "numeric": "digits", "weekday": "weekday",
           "ago": "relative", "relative": "relative"}

# a reporting verb directly before a date makes it the statement date
_STATEMENT_BEFORE = re.compile(
    r"\b(?:said|says|announced|stated|reported|claimed|wrote|told\s+\w+|added|posted|"
    r"confirmed|denied|declared|noted|published|statement|report)\s*(?:on\s+|late\s+|early\s+)?$",
    re.I,
)


@dataclass
class DateMention:
    """A resolved date expression; offsets are into the text given to :func:`find_dates`."""

    text: str
    start: int
    end: int
    date_from: date
    date_to: date
    precision: int  # ACLED time_precision: 1 day, 2 range of days/week, 3 month
    kind: str  # pattern name: m_dd, weekday, month, relative, ...
    role: str = "event"  # event | statement

    def iso(self) -> tuple[str, str]:
        return self.date_from.isoformat(), self.date_to.isoformat()


def as_date(value: date | datetime | str | None) -> date | None:
    """Coerce a publication date given as date, datetime or ISO string."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError as exc:
        raise ValueError(f"not an ISO date (YYYY-MM-DD): {value!r}") from exc


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _infer_year(month: int, day: int, published: date | None) -> int | None:
    """Most recent (month, day) not after publication; None if the day cannot exist."""
    if published is None:
        return None
    for year in (published.year, published.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= published:
            return year
    return None


def _mkdate(year: str | None, month: int, day: int, published: date | None) -> date | None:
    y = int(year) if year else _infer_year(month, day, published)
    if y is None:
        return None
    try:
        return date(y, month, day)
    except ValueError:
        return None


def _month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _resolve(kind: str, m: re.Match, published: date | None) -> tuple[date, date, int] | None:
    g = m.groupdict()
    if kind == "md_md":
        m1, m2 = _month(g["m1"]), _month(g["m2"])
        d2 = _mkdate(g["y"], m2, int(g["d2"]), published)
        if d2 is None:
            return None
        y1 = d2.year if m1 <= m2 else d2.year - 1
        try:
            d1 = date(y1, m1, int(g["d1"]))
        except ValueError:
            return None
        return (d1, d2, 2) if d1 <= d2 else None
    if kind in ("m_dd", "dd_m"):
        month = _month(g["m"])
        d1n, d2n = int(g["d1"]), int(g["d2"])
        if not d1n < d2n <= 31:
            return None
        d2 = _mkdate(g["y"], month, d2n, published)
        if d2 is None:
            return None
        return date(d2.year, month, d1n), d2, 2
    if kind in ("m_d", "d_m", "iso"):
        month = int(g["m"]) if kind == "iso" else _month(g["m"])
        d = _mkdate(g["y"], month, int(g["d"]), published)
        if d is None:
            return None
        if g.get("night"):
            return d, d + timedelta(days=1), 2
        return d, d, 1
    if kind == "numeric":
        d, mo = int(g["d"]), int(g["m"])
        if mo > 12 >= d:
            d, mo = mo, d
        try:
            day = date(int(g["y"]), mo, d)
        except ValueError:
            return None
        return day, day, 1
    if kind == "month":
        month = _month(g["m"])
        if g["y"]:
            year = int(g["y"])
        elif published is None:
            return None
        else:
            year = published.year if month <= published.month else published.year - 1
        a, b = _month_range(year, month)
        if published is not None and b > published and a <= published:
            b = published
        return a, b, 3
    if published is None:
        return None
    if kind == "ago":
        if g["dby"]:
            d = published - timedelta(days=2)
            return d, d, 1

        parsed = parse_number(g["n"]) if g["n"].lower() not in ("a", "an") else (1, False)
        n = parsed[0] if parsed else 1
        unit = g["unit"].lower().rstrip("s")
        if unit == "day":
            d = published - timedelta(days=n)
            return d, d, 1
        if unit == "week":  # the week (Mon–Sun) n weeks back: precision 2, never a guessed day
            d = published - timedelta(days=7 * n)
            monday = d - timedelta(days=d.weekday())
            return monday, min(monday + timedelta(days=6), published), 2
        first = published.replace(day=1)
        for _ in range(n):
            first = (first - timedelta(days=1)).replace(day=1)
        return (*_month_range(first.year, first.month), 3)
    if kind == "weekday":
        wd = WEEKDAYS[g["wd"].lower()]
        back = (published.weekday() - wd) % 7
        if (g.get("last") or "").lower() == "last" and back == 0:
            back = 7
        d = published - timedelta(days=back)
        return d, d, 1
    rel = re.sub(r"\s+", " ", g["rel"].lower())
    monday = published - timedelta(days=published.weekday())
    if rel in ("today", "this morning", "tonight"):
        return published, published, 1
    if rel == "yesterday":
        d = published - timedelta(days=1)
        return d, d, 1
    if "recent days" in rel or "few days" in rel or "several days" in rel:
        return published - timedelta(days=7), published, 2
    if "day" in rel or "24" in rel:
        return published - timedelta(days=1), published, 2
    if rel in ("overnight", "last night"):
        return published - timedelta(days=1), published, 2
    if rel in ("last week", "past week"):
        if rel == "past week":
            return published - timedelta(days=7), published, 2
        return monday - timedelta(days=7), monday - timedelta(days=1), 2
    if rel in ("this week", "earlier this week"):
        return monday, published, 2
    if rel in ("last weekend", "over the weekend", "this weekend"):
        sat = monday - timedelta(days=2)
        return sat, sat + timedelta(days=1), 2
    if rel in ("last month", "past month"):
        first = published.replace(day=1) - timedelta(days=1)
        return (*_month_range(first.year, first.month), 3)
    if rel == "earlier this year":
        return date(published.year, 1, 1), published, 3
    if rel in ("this month", "earlier this month"):
        return published.replace(day=1), published, 3
    return None


def find_dates(text: str, published: date | datetime | str | None = None,
               offset: int = 0) -> list[DateMention]:
    """All date expressions in ``text``, resolved against ``published``.

    Parameters
    ----------
    text : str
        A sentence or clause.
    published : date or ISO str, optional
        Publication date; relative expressions ("on Monday") need it.
    offset : int
        Added to the returned start/end so they index the whole document.

    Returns
    -------
    list of DateMention, in text order, non-overlapping (longer patterns win).
    """
    pub = as_date(published)
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    families = {name for name, trigger in _TRIGGERS.items() if trigger.search(text)}
    for kind, pattern in _PATTERNS:
        if _FAMILY[kind] not in families:
            continue  # no word of this kind of date in the text: skip its patterns
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            if kind == "month" and m.group("m").lower() in ("may", "mar") and m.group("m").islower():
                continue  # "in may" / "in march" as verbs/nouns
            if kind == "m_d" and m.group("m").lower() == "may" and not m.group("m")[0].isupper():
                continue
            res = _resolve(kind, m, pub)
            if res is None:
                continue
            taken.append((s, e))
            role = "statement" if _STATEMENT_BEFORE.search(text[max(0, s - 40):s]) else "event"
            out.append(DateMention(m.group(0).strip(), s + offset, e + offset, res[0], res[1],
                                   res[2], kind, role))
    out.sort(key=lambda d: d.start)
    return out
