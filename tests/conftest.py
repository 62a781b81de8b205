"""Shared test set-up: one gazetteer index per machine, built from the embedded sources."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Build the index once into the repo's (git-ignored) cache unless the caller chose a home.
os.environ.setdefault("GEOMAP_HOME", str(ROOT / ".geomap-cache"))

SEED_TEXT = ROOT / "data" / "articles" / "kursk_2024-12-16_north_korean_casualties.txt"


@pytest.fixture(scope="session")
def gazetteer():
    from geomap.gazetteer import Gazetteer

    return Gazetteer.default()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_TEXT.read_text(encoding="utf-8")



@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (CI=true) a skipped test is a failure: every dependency must be installed."""
    outcome = yield
    report = outcome.get_result()
    in_ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    if in_ci and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI (CI=true), which is not allowed: {report.longrepr}"
