"""One line a map popup or a report shows for an event's numbers, keeping what qualifies them.

:func:`casualty_summary` gives "at least 30 killed or wounded (claimed by Ukraine's HUR,
unverified)" – never a bare "30": the qualifier, the claimant and the verification
state stay with the number.  The text is plain (callers escape it for HTML).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from geomap.events.casualties import find_casualties

_COUNTS = (("killed", "killed"), ("wounded", "wounded"), ("killed_or_wounded", "killed or wounded"),
           ("missing", "missing"), ("captured", "captured"))
_VERIFICATION = {"unverified": "unverified", "denied": "denied by the other side",
                 "confirmed_by_other_side": "confirmed by the other side",
                 "independently_verified": "independently verified"}


def _get(record, name: str):
    if isinstance(record, Mapping):
        value = record.get(name)
    else:
        value = getattr(record, name, None)
        if value is None and hasattr(record, "get"):  # pandas Series
            value = record.get(name)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        import pandas as pd

        if value is pd.NA:
            return None
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    return value


def short_claimant(claimed_by: str) -> str:
    """"Ukraine's Defense Intelligence (HUR), via Telegram" → "Ukraine's HUR"."""
    who = re.sub(r",\s*via\s+.*$", "", (claimed_by or "").strip())
    m = re.fullmatch(r"(?P<owner>[\w .-]+?(?:'s|’s))\s+.+?\((?P<abbr>[A-Z][\w-]{1,10})\)", who)
    if m:
        return f"{m.group('owner')} {m.group('abbr')}"
    return who


# a claim's qualifier (as find_casualties stores it) → how it reads before the number
_QUALIFIER_WORDS = {"at least": "at least", "over": "more than", "about": "about",
                    "up to": "up to", "nearly": "nearly"}


def _counts_as_claimed(record) -> list[str]:
    """The count columns, each with the qualifier of the claim in the notes that states it."""

    notes = str(_get(record, "notes") or "")
    claims = find_casualties(notes) if notes else []
    parts = []
    for col, label in _COUNTS:
        value = _get(record, col)
        if value is None:
            continue
        try:
            n = int(float(value))
        except (TypeError, ValueError):
            continue
        claim = next((c for c in claims if c.category == col and c.best == n), None)
        if claim is not None and claim.qualifier == "vague":
            parts.append(f"{claim.number_text.lower()} {label} (counted as {n})")
        else:
            word = _QUALIFIER_WORDS.get(claim.qualifier, "") if claim is not None else ""
            parts.append(f"{word} {n} {label}".strip())
    return parts


def casualty_summary(record) -> str:
    """Numbers of one event row as written, with claimant and verification.

    ``record`` is an :class:`~geomap.schema.EventRecord`, a dict or a pandas row.
    Uses ``casualties_text`` (kept by extraction: qualifiers, vague counts, zeros) and
    falls back to the count columns (ingested ACLED/UCDP rows).  Returns "" for an event
    without numbers.

    >>> casualty_summary({"casualties_text": "at least 30 killed or wounded",
    ...                   "claimed_by": "Ukraine's Defense Intelligence (HUR), via Telegram",
    ...                   "verification": "unverified"})
    "at least 30 killed or wounded (claimed by Ukraine's HUR, unverified)"
    """
    text = str(_get(record, "casualties_text") or "").strip()
    if not text:
        parts = _counts_as_claimed(record)
        if not parts and _get(record, "fatalities_best") is not None:
            low, best, high = (_get(record, f"fatalities_{k}") for k in ("low", "best", "high"))
            parts = [f"{int(best)} killed" + (f" ({int(low)}–{int(high)})" if low is not None
                                             and high is not None and low != high else "")]
        text = "; ".join(parts)
    if not text:
        return ""
    qualifiers = []
    claimant = short_claimant(str(_get(record, "claimed_by") or ""))
    if claimant:
        qualifiers.append(f"claimed by {claimant}")
    state = _VERIFICATION.get(str(_get(record, "verification") or ""))
    if state:
        qualifiers.append(state)
    return f"{text} ({', '.join(qualifiers)})" if qualifiers else text
