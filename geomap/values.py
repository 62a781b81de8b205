"""Cell values of event tables read as Python values: one date parser for every reader."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

_MONTHS = {
    m: i for i, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")], start=1) for m in names
}
_ISO_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$")
_NUM_RE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[ T].*)?$")
_DMY_TEXT_RE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[ \-]([A-Za-z]+)\.?,?[ \-](\d{4})$")
_MDY_TEXT_RE = re.compile(r"^([A-Za-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$")


def _mkdate(y: int, m: int, d: int) -> str | None:
    if not 1800 <= y <= 2200:
        return None
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def parse_date(value, dayfirst: bool | None = None) -> str | None:
    """An ISO date (YYYY-MM-DD) from the date formats found in event tables, else None.

    Accepts ISO 8601 (with or without time), "16 May 2025", "May 16, 2025",
    "1/22/2014 12:00:00 AM" (month first unless ``dayfirst`` or the day is > 12),
    "16.12.2024", datetime/date/Timestamp objects.
    """
    if value is None:
        return None
    if isinstance(value, (pd.Timestamp, _dt.datetime, _dt.date)):
        if pd.isna(value):
            return None
        return _mkdate(value.year, value.month, value.day)
    if isinstance(value, float) and np.isnan(value):
        return None
    text = str(value).strip()
    if not text:
        return None
    if m := _ISO_RE.match(text):
        return _mkdate(int(m[1]), int(m[2]), int(m[3]))
    if m := _NUM_RE.match(text):
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        sep = text[len(m[1])]
        first_is_day = dayfirst if dayfirst is not None else sep in ".-"
        if a > 12 >= b:
            first_is_day = True
        elif b > 12 >= a:
            first_is_day = False
        return _mkdate(y, b, a) if first_is_day else _mkdate(y, a, b)
    if m := _DMY_TEXT_RE.match(text):
        month = _MONTHS.get(m[2].lower())
        return _mkdate(int(m[3]), month, int(m[1])) if month else None
    if m := _MDY_TEXT_RE.match(text):
        month = _MONTHS.get(m[1].lower())
        return _mkdate(int(m[3]), month, int(m[2])) if month else None
    return None


def infer_dayfirst(values: Iterable) -> bool | None:
    """True/False if a column's a/b/yyyy dates show which number is the day, else None."""
    day_first = month_first = False
    for v in values:
        if not isinstance(v, str):
            continue
        m = _NUM_RE.match(v.strip())
        if m:
            a, b = int(m[1]), int(m[2])
            day_first |= a > 12
            month_first |= b > 12
    if day_first != month_first:
        return day_first
    return None
