"""Where geomap finds its shipped data and keeps its caches.

Shipped data
    The repository's top-level ``data/`` and ``gazetteer/`` folders are the source of truth.
    A built wheel carries copies of both inside the package (``geomap/_data/data`` and
    ``geomap/_data/gazetteer``, copied by ``setup.py``'s build step) and they are found
    with :mod:`importlib.resources`. A source checkout or an editable install has no
    ``geomap/_data`` and reads the top-level folders directly.
    ``$GEOMAP_DATA_DIR`` / ``$GEOMAP_GAZETTEER_DIR`` override either.

Caches
    The compiled gazetteer index lives in ``$GEOMAP_HOME`` or else the user cache
    directory chosen by :mod:`platformdirs` (``~/.cache/geomap`` on Linux,
    ``~/Library/Caches/geomap`` on macOS, ``%LOCALAPPDATA%\\geomap\\Cache`` on Windows).
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from geomap.errors import GeomapError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _shipped(name: str) -> Path:
    """The folder ``name`` inside the installed package, else in the source checkout."""
    packaged = resources.files("geomap").joinpath("_data", name)
    if packaged.is_dir():
        if not isinstance(packaged, Path):  # zip import: sqlite and GDAL need real files
            raise GeomapError(f"geomap's data folder {name!r} is inside an archive "
                              f"({packaged}); install geomap unzipped")
        return packaged
    return PROJECT_ROOT / name


def data_dir() -> Path:
    """Shipped sample inputs and reference data (boundaries, articles, events)."""
    env = os.environ.get("GEOMAP_DATA_DIR")
    return Path(env) if env else _shipped("data")


def gazetteer_dir() -> Path:
    """Shipped gazetteer sources (border pack, GeoNames code tables, OCHA COD, …)."""
    env = os.environ.get("GEOMAP_GAZETTEER_DIR")
    return Path(env) if env else _shipped("gazetteer")


def boundaries_dir() -> Path:
    return data_dir() / "boundaries"


def cache_dir() -> Path:
    """Compiled indexes and geocoder caches (``$GEOMAP_HOME`` or the user cache dir).

    Raises :class:`GeomapError` (one line, naming the folder) when it cannot be used.
    """
    home = os.environ.get("GEOMAP_HOME")
    if home:
        path, origin = Path(home), "GEOMAP_HOME"
    else:
        import platformdirs

        path, origin = Path(platformdirs.user_cache_dir("geomap", appauthor=False)), "cache"
    if path.exists() and not path.is_dir():
        raise GeomapError(f"{origin} folder {path} is not a directory; "
                          "set GEOMAP_HOME to a writable folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GeomapError(f"cannot create the {origin} folder {path}: "
                          f"{exc.strerror or exc}; set GEOMAP_HOME to a writable folder") from None
    return path
