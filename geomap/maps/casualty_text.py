"""One line of casualties for a popup, keeping what the source said.

``"at least 30 killed or wounded — claimed by Ukraine (HUR), claimed"``: the counts come
from the record fields, the qualifier ("at least", "up to", …) from the claim in the
notes that states the same number, and the claimant and verification state from their
fields.  (The events package may later offer its own ``casualty_summary``; this stays the
one place the maps format casualties.)
"""

from __future__ import annotations

import math

from geomap.events.casualties import find_casualties

CATEGORY_WORDS = {"killed": "killed", "wounded": "wounded", "killed_or_wounded": "killed or wounded",
                  "missing": "missing", "captured": "captured"}
# qualifier as stored by find_casualties → how it reads before a number
QUALIFIER_WORDS = {"at least": "at least", "over": "more than", "about": "about", "up to": "up to",
                   "nearly": "nearly", "vague": ""}


def _count(value) -> int | None:
    if value is None or value == "":
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else int(v)


def _clean(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value).strip()
    return "" if text.lower() in ("nan", "<na>", "none") else text


def casualty_text(record: dict) -> str:
    """The casualty line of one event record (``""`` when it reports none)."""
    notes = _clean(record.get("notes"))
    claims = find_casualties(notes) if notes else []
    parts = []
    for field, words in CATEGORY_WORDS.items():
        n = _count(record.get(field))
        if n is None:
            continue
        claim = next((c for c in claims if c.category == field and c.best == n), None)
        if claim is not None and claim.qualifier == "vague":
            parts.append(f"{claim.number_text.lower()} {words} (counted as {n})")
            continue
        qualifier = QUALIFIER_WORDS.get(claim.qualifier, "") if claim is not None else ""
        parts.append(f"{qualifier} {n} {words}".strip())
    if not parts:
        best = _count(record.get("fatalities_best"))
        low, high = _count(record.get("fatalities_low")), _count(record.get("fatalities_high"))
        if best is not None:
            spread = f" (estimates {low}–{high})" if low is not None and high is not None \
                and (low, high) != (best, best) else ""
            parts.append(f"{best} killed{spread}")
    if not parts:
        return ""
    text = ", ".join(parts)
    who = [x for x in (_clean(record.get("claimed_by")) and f"claimed by {_clean(record.get('claimed_by'))}",
                       _clean(record.get("verification")).replace("_", " ")) if x]
    return text + (" — " + ", ".join(who) if who else "")
