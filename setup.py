"""Build hook: ship the top-level ``data/`` and ``gazetteer/`` folders inside the wheel.

The repository keeps its data at the top level (the source of truth, with each source's
README and licence). A regular build copies both folders, whole, into
``geomap/_data/`` of the build tree, where ``geomap.paths`` finds them with
``importlib.resources``. Editable installs skip the copy and read the top-level folders.
All metadata lives in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED = ("data", "gazetteer")  # copied whole: new packs under them ship automatically
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")


class BuildPyWithData(build_py):
    """``build_py`` that also copies the shipped data folders into ``geomap/_data``."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "geomap" / "_data"
        for name in SHIPPED:
            source = ROOT / name
            if not source.is_dir():
                raise SystemExit(f"setup.py: {source} is missing; cannot build geomap")
            shutil.rmtree(target / name, ignore_errors=True)
            shutil.copytree(source, target / name, ignore=IGNORED)


setup(cmdclass={"build_py": BuildPyWithData})
