"""Moved to :mod:`geomap.io.csv`; kept so older imports keep working."""

from __future__ import annotations

from geomap.io.csv import _FORMULA_START, neutralise_formula, restore_formula  # noqa: F401
