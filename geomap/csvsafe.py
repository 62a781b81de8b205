"""Spreadsheet formula injection: neutralise text cells the OWASP way, and undo it exactly."""

from __future__ import annotations

import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_RE = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")


def _formula_like(text: str) -> bool:
    core = text.lstrip("'")
    return core[:1] in _FORMULA_START and not _NUMBER_RE.match(core)


def neutralise_formula(value):
    """A text cell a spreadsheet would run as a formula, prefixed with ``'`` (OWASP).

    Cells starting with ``= + - @``, TAB or CR are prefixed (and, so that
    ``restore_formula`` is exact, cells that already start with ``'`` before one of
    them); numbers (also ``-5`` written as text) and non-text values are unchanged.
    """
    if isinstance(value, str) and _formula_like(value):
        return "'" + value
    return value


def restore_formula(value):
    """The inverse of ``neutralise_formula`` (for CSV files geomap wrote)."""
    if isinstance(value, str) and value[:1] == "'" and _formula_like(value):
        return value[1:]
    return value
