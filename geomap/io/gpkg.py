"""GeoPackage 1.3 through GDAL: Date fields, a Point layer, provenance as dataset metadata."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd

from geomap.io.atomic import atomic_path
from geomap.schema import DATE_COLUMNS

# GeoPackage 1.3: what the GDAL of QGIS LTR and Debian stable (3.6) validate; GDAL ≥ 3.7
# would write 1.4, whose R-tree triggers GDAL 3.6's validate_gpkg.py rejects.
GPKG_DATASET_OPTIONS = {"VERSION": "1.3"}


def write_gpkg(gdf: gpd.GeoDataFrame, path: str, meta: dict, layer: str = "events") -> None:
    import pyarrow as pa
    import pyogrio

    out = gdf.copy()
    for col in DATE_COLUMNS:  # Arrow date32 → GeoPackage DATE fields
        if col in out:
            out[col] = out[col].astype(pd.ArrowDtype(pa.date32()))
    text_meta = {k: (v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
                 for k, v in meta.items()}
    with atomic_path(path) as tmp:
        pyogrio.write_dataframe(out, tmp, layer=layer, driver="GPKG", geometry_type="Point",
                                dataset_metadata=text_meta, dataset_options=GPKG_DATASET_OPTIONS,
                                use_arrow=True)
