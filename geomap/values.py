"""Cell values of event tables read as Python values: one date parser for every reader,
the blank/number/boolean coercions of ``read_records`` and the JSON form of a cell."""

from __future__ import annotations

import datetime as _dt
import math
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


# --------------------------------------------------------------------------- cells
def is_blank(v) -> bool:
    """Whether a cell is empty: None, NA/NaT, NaN or whitespace-only text."""
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, (float, np.floating)):
        return bool(np.isnan(v))
    if isinstance(v, str):
        return v.strip() == ""
    return False


def to_float(v) -> float | None:
    """A number cell as float (decimal comma and U+2212 minus accepted); None when blank."""
    if is_blank(v):
        return None
    if isinstance(v, (int, float, np.number)):
        return float(v)
    return float(str(v).strip().replace(",", ".").replace("\u2212", "-"))


def to_int(v) -> int | None:
    """A whole-number cell as int ("3", "3.0", 3.0); None when blank, ValueError for 3.5."""
    if is_blank(v):
        return None
    f = float(str(v).strip().replace(",", "."))
    if not f.is_integer():
        raise ValueError(f"{v!r} is not a whole number")
    return int(f)


def to_bool(v) -> bool:
    """A true/false cell ("yes", "1", "f", ...); blank is False, anything else ValueError."""
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    text = str(v).strip().lower()
    if text in ("", "0", "false", "no", "n", "f", "0.0"):
        return False
    if text in ("1", "true", "yes", "y", "t", "1.0"):
        return True
    raise ValueError(f"{v!r} is not true/false")


def jsonable(v):
    """A cell value as plain JSON-friendly Python (None for NA/NaN, ISO dates)."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (np.bool_, bool)):
        return bool(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if not math.isfinite(v) else float(v)
    if isinstance(v, pd.Timestamp) and v == v.normalize() and v.tzinfo is None:
        return v.date().isoformat()  # a date column: '2024-08-06', as in every text format
    if isinstance(v, (pd.Timestamp, _dt.date)):
        return v.isoformat()
    return v
