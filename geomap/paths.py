"""Where geomap finds its shipped data and keeps its caches."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """Shipped sample inputs and reference data (boundaries, articles, events)."""
    return Path(os.environ.get("GEOMAP_DATA_DIR", PROJECT_ROOT / "data"))


def gazetteer_dir() -> Path:
    """Shipped gazetteer sources (border pack, GeoNames code tables, OCHA COD)."""
    return Path(os.environ.get("GEOMAP_GAZETTEER_DIR", PROJECT_ROOT / "gazetteer"))


def boundaries_dir() -> Path:
    return data_dir() / "boundaries"


def cache_dir() -> Path:
    """Compiled indexes and geocoder caches (``$GEOMAP_HOME`` or ``~/.cache/geomap``)."""
    home = os.environ.get("GEOMAP_HOME")
    path = Path(home) if home else Path.home() / ".cache" / "geomap"
    path.mkdir(parents=True, exist_ok=True)
    return path
