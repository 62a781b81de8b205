"""Event tables for demos, tests and benchmarks (EVENT_COLUMNS schema, real coordinates)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geomap.schema import EVENT_COLUMNS, EVENT_TYPES

TRT_URL = "https://www.trtworld.com/article/18244063"


def _frame(rows: list[dict] | pd.DataFrame) -> gpd.GeoDataFrame:
    df = pd.DataFrame(rows).reindex(columns=EVENT_COLUMNS)
    lat = pd.to_numeric(df["latitude"], errors="coerce")
    lon = pd.to_numeric(df["longitude"], errors="coerce")
    ok = lat.notna() & lon.notna()
    geom = np.full(len(df), None, dtype=object)
    geom[ok.to_numpy()] = shapely.points(lon[ok].to_numpy(), lat[ok].to_numpy())
    return gpd.GeoDataFrame(df, geometry=geom, crs=4326)


def seed_events() -> gpd.GeoDataFrame:
    """The events of the seed article (TRT World, 2024-12-16), coded by hand."""
    common = dict(event_type="Battles", sub_event_type="Armed clash", country="Russia",
                  admin1="Kursk Oblast", admin2="Sudzhansky District",
                  actor1="Military Forces of Ukraine", actor2="Military Forces of North Korea",
                  event_date="2024-12-14", end_date="2024-12-15", date_precision=2,
                  claimed_by="Ukraine (Defence Intelligence, HUR)", verification="claimed",
                  source="TRT World", source_url=TRT_URL, published="2024-12-16")
    rows = [
        dict(common, event_id="trt-1", location="Plekhovo", latitude=51.1, longitude=35.3333,
             geo_precision=2, killed_or_wounded=30, confidence=0.8,
             notes="At least 30 North Korean soldiers killed or wounded near Plekhovo, "
                   "Vorozhba and Martynovka (shared claim)."),
        dict(common, event_id="trt-2", location="Martynovka", latitude=51.23889,
             longitude=35.36639, geo_precision=2, confidence=0.8,
             notes="Part of the shared claim of at least 30 killed or wounded."),
        # no gazetteer has this Kurilovka in Kursk Oblast: kept without coordinates
        dict(common, event_id="trt-3", location="Kurilovka", latitude=None, longitude=None,
             geo_precision=None, missing=3, confidence=0.3, needs_review=True,
             notes="At least three North Korean servicemen went missing near the village."),
        dict(event_id="trt-4", event_type="Battles", sub_event_type="Non-state actor overtakes territory",
             country="Russia", admin1="Kursk Oblast", location="Sudzha", latitude=51.191,
             longitude=35.271, geo_precision=1, event_date="2024-08-06", date_precision=1,
             actor1="Military Forces of Ukraine", actor2="Military Forces of Russia",
             source="TRT World", source_url=TRT_URL, published="2024-12-16", confidence=0.9,
             verification="independently_verified",
             notes="Ukrainian forces entered the Kursk region near Sudzha on 5–6 August."),
    ]
    return _frame(rows)


def synthetic_events(n: int, seed: int = 0) -> gpd.GeoDataFrame:
    """``n`` random events along the RU–UA border region (for load tests only)."""
    rng = np.random.default_rng(seed)
    types = list(EVENT_TYPES)
    t = rng.choice(len(types), n, p=[0.35, 0.4, 0.1, 0.1, 0.03, 0.02])
    start = np.datetime64("2022-02-24")
    day = rng.integers(0, 1000, n)
    df = pd.DataFrame({
        "event_id": [f"syn-{i}" for i in range(n)],
        "event_date": (start + day).astype(str),
        "event_type": np.array(types)[t],
        "sub_event_type": "",
        "location": [f"Place {i % 5000}" for i in range(n)],
        "latitude": rng.uniform(47.0, 52.3, n).round(5),
        "longitude": rng.uniform(31.5, 40.0, n).round(5),
        "geo_precision": rng.integers(1, 4, n),
        "killed": np.where(rng.random(n) < 0.3, rng.integers(0, 20, n), np.nan),
        "source": np.array(["UCDP GED", "ACLED", "TRT World", "Reuters"])[rng.integers(0, 4, n)],
        "source_url": "https://example.org/report",
        "confidence": rng.uniform(0.2, 1.0, n).round(2),
        "notes": "synthetic event",
    })
    df["end_date"] = df["event_date"]
    return _frame(df)
