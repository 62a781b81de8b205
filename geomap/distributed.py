"""Large record sets on a dask cluster: partitioned GeoParquet, filtered and geocoded per partition.

The per-partition work is done by the single-machine functions themselves, so a
cluster run gives exactly the rows a laptop run gives:

* ``filter_parquet`` applies ``geomap.spatial.filters.filter_events`` to every partition;
* ``geocode_parquet`` applies ``geomap.records.geocode.geocode_table`` to every partition,
  each worker process resolving names with its own gazetteer (opened once per process
  from ``GEOMAP_HOME``; build it with ``geomap gazetteer build`` on every worker or point
  ``GEOMAP_HOME`` at shared storage);
* ``upsert_parquet`` writes every partition into an ``EventStore`` (a PostGIS DSN lets
  the workers write in parallel).

>>> to_partitioned_parquet(events, "events.parquet", npartitions=16)
>>> filter_parquet("events.parquet", "kursk.parquet", admin1="Kursk Oblast",
...                date_from="2024-08-06")
>>> geocode_parquet("rows.parquet", "rows_geo.parquet", location_column="village",
...                 admin1_column="oblast")

Without ``client`` the current dask scheduler is used (a ``distributed.Client`` made
earlier, else dask's local threads).  Command line: ``geomap distributed --help``
(``geomap.cli.distributed``: the options of ``geomap filter`` and ``geomap geocode``).
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geomap.errors import GeomapError, InputError
from geomap.places import centre_point
from geomap.records.geocode import geocode_table
from geomap.schema import events_to_gdf, points_from_latlon
from geomap.spatial.filters import filter_events
from geomap.store import EventStore

__all__ = [
    "ParquetResult", "to_partitioned_parquet", "read_partitioned", "filter_frame",
    "filter_parquet", "geocode_frame", "geocode_parquet", "upsert_parquet",
]

# dtypes of the columns geocode_table adds (fixed, so every partition has one schema)
_GEOCODE_DTYPES = {
    "latitude": "float64", "longitude": "float64", "geo_precision": "Int64",
    "confidence": "float64", "resolved": "bool", "needs_review": "bool",
}


@dataclass
class ParquetResult:
    """What a distributed step wrote: the directory, its row and partition counts."""

    path: Path
    rows: int
    partitions: int

    def summary(self) -> str:
        return f"{self.path}: {self.rows} rows in {self.partitions} partitions"


# --------------------------------------------------------------------------- helpers
def _dgpd():
    try:
        import dask_geopandas
    except ImportError as exc:  # pragma: no cover - optional dependency
        raise GeomapError("the distributed path needs dask-geopandas: "
                          "pip install 'geomap[distributed]'") from exc
    return dask_geopandas


def _compute(obj, client=None, progress: bool | None = None):
    """Compute a dask collection/delayed on ``client`` (or the current scheduler)."""
    import dask

    show = sys.stderr.isatty() if progress is None else progress
    if client is not None:
        future = client.compute(obj)
        if show:
            from distributed import progress as dprogress

            dprogress(future)
        return future.result()
    if show:
        from dask.diagnostics import ProgressBar

        with ProgressBar(out=sys.stderr):
            return dask.compute(obj)[0]
    return dask.compute(obj)[0]


def _prepare_dst(dst, overwrite: bool) -> Path:
    path = Path(dst)
    if path.exists():
        if not overwrite:
            raise InputError("output directory exists (use overwrite=True / --overwrite)",
                             path=str(path))
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    return path


def _check_src(src) -> Path:
    path = Path(src)
    if not path.exists():
        raise InputError("parquet input not found", path=str(path))
    return path


# --------------------------------------------------------------------------- partitioning
def to_partitioned_parquet(gdf, directory, npartitions: int = 8, spatial: bool = False,
                           overwrite: bool = False) -> ParquetResult:
    """Write events (or any GeoDataFrame) as a directory of GeoParquet partitions.

    Parameters
    ----------
    gdf : GeoDataFrame (a DataFrame of events is converted with ``events_to_gdf``).
    directory : output directory (``part.N.parquet`` files + GeoParquet metadata).
    npartitions : number of partitions.
    spatial : reorder rows along a Hilbert curve first, so each partition covers a
        compact area (bbox-selective reads skip partitions).
    """
    if npartitions < 1:
        raise InputError("npartitions must be >= 1", field="npartitions")
    if not isinstance(gdf, gpd.GeoDataFrame):
        gdf = events_to_gdf(gdf)
    path = _prepare_dst(directory, overwrite)
    dgpd = _dgpd()
    ddf = dgpd.from_geopandas(gdf.reset_index(drop=True), npartitions=npartitions)
    if spatial and len(gdf):
        ddf = ddf.spatial_shuffle(by="hilbert", npartitions=npartitions)
    ddf.to_parquet(path, write_index=False)
    return ParquetResult(path, len(gdf), ddf.npartitions)


def read_partitioned(directory):
    """A lazy dask-geopandas GeoDataFrame over a GeoParquet directory."""
    return _dgpd().read_parquet(_check_src(directory))


# --------------------------------------------------------------------------- filtering
def _driver_side_filters(filters: dict) -> dict:
    """Resolve place-name centres once (workers then need no gazetteer) and drop Nones."""
    out = {k: v for k, v in filters.items() if v is not None}
    if "within_km" in out:
        try:
            place, km = out["within_km"]
        except (TypeError, ValueError) as exc:
            raise InputError(f"within_km must be (place, km), got {out['within_km']!r}",
                             field="within_km") from exc
        out["within_km"] = (centre_point(place, field="within_km"), km)
    return out


def filter_frame(ddf, **filters):
    """``filter_events`` on every partition of a dask GeoDataFrame (lazy).

    A ``within_km`` place name is resolved once here, on the driver.

    Filters are checked on the driver first (an unknown region name raises
    ``InputError`` before anything is scheduled).
    """
    filters = _driver_side_filters(filters)
    meta = filter_events(ddf._meta, **filters)
    meta.attrs.clear()  # dask-geopandas keeps spatial_partitions there; parquet cannot
    return ddf.map_partitions(_filter_partition, **filters, meta=meta)


def _filter_partition(part, **filters):
    out = filter_events(part, **filters)
    out.attrs.clear()
    return out


def filter_parquet(src, dst, client=None, overwrite: bool = False,
                   progress: bool | None = None, **filters) -> ParquetResult:
    """Filter a partitioned GeoParquet directory into another one.

    Parameters
    ----------
    src, dst : GeoParquet directories (``dst`` is created; one file per input partition).
    client : ``distributed.Client`` (default: the current dask scheduler).
    **filters : the keywords of ``geomap.spatial.filters.filter_events``.

    Returns
    -------
    ParquetResult with the number of rows kept.
    """
    ddf = read_partitioned(src)
    out = filter_frame(ddf, **filters)
    return _write(out, dst, client, overwrite, progress)


def _write(ddf, dst, client, overwrite: bool, progress: bool | None) -> ParquetResult:
    import pyarrow.parquet as pq

    path = _prepare_dst(dst, overwrite)
    _compute(ddf.to_parquet(path, write_index=False, compute=False), client, progress)
    files = sorted(path.glob("*.parquet"))
    rows = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
    return ParquetResult(path, int(rows), len(files))


# --------------------------------------------------------------------------- geocoding
def _geocode_partition(df: pd.DataFrame, location_column: str, admin1_column, admin2_column,
                       country_column, country) -> gpd.GeoDataFrame:
    """``geocode_table`` on one partition → GeoDataFrame with a point per resolved row."""
    df = pd.DataFrame(df.drop(columns="geometry") if "geometry" in df.columns else df)
    table = geocode_table(df, location_column, admin1_column=admin1_column,
                          admin2_column=admin2_column, country_column=country_column,
                          country=country, progress=False).table
    for col, dtype in _GEOCODE_DTYPES.items():
        if dtype == "Int64":
            table[col] = pd.to_numeric(table[col], errors="coerce").astype("Int64")
        elif dtype == "bool":
            table[col] = table[col].fillna(False).astype(bool)
        else:
            table[col] = pd.to_numeric(table[col], errors="coerce").astype(dtype)
    for col in ("place_id", "geonameid", "resolved_name", "resolved_country",
                "resolved_admin1", "resolved_admin2", "reason"):
        table[col] = table[col].map(lambda v: "" if v is None or v is pd.NA else str(v)).astype(str)
    out = gpd.GeoDataFrame(table, geometry=points_from_latlon(table), crs=4326)
    out.attrs.clear()
    return out


def geocode_frame(ddf, location_column: str, admin1_column: str | None = None,
                  admin2_column: str | None = None, country_column: str | None = None,
                  country: str | None = None):
    """``geocode_table`` on every partition of a dask (Geo)DataFrame (lazy).

    Adds the ``geomap.records.geocode.ADDED_COLUMNS`` and a point geometry (EPSG:4326).
    """
    dgpd = _dgpd()
    cols = [c for c in ddf.columns if c != "geometry"]
    for name in (location_column, admin1_column, admin2_column, country_column):
        if name is not None and name not in cols:
            raise InputError(f"no column {name!r}; columns: {', '.join(cols)}", field=name)
    kwargs = dict(location_column=location_column, admin1_column=admin1_column,
                  admin2_column=admin2_column, country_column=country_column, country=country)
    empty = ddf._meta.iloc[:0]
    meta = _geocode_partition(empty, **kwargs)
    out = ddf.map_partitions(_geocode_partition, **kwargs, meta=meta)
    return out if isinstance(out, dgpd.GeoDataFrame) else dgpd.from_dask_dataframe(
        out, geometry="geometry")


def geocode_parquet(src, dst, location_column: str, admin1_column: str | None = None,
                    admin2_column: str | None = None, country_column: str | None = None,
                    country: str | None = None, client=None, overwrite: bool = False,
                    progress: bool | None = None) -> ParquetResult:
    """Geocode a partitioned Parquet table (plain or GeoParquet) into GeoParquet.

    Every row keeps its columns and gains ``latitude``, ``longitude``, ``place_id``,
    ``resolved``, ``needs_review``, ... as ``geocode_table`` adds them; unresolved rows
    stay in the output with ``resolved=False`` and an empty geometry.
    """
    import dask.dataframe as dd

    path = _check_src(src)
    try:
        ddf = read_partitioned(path)
    except (ValueError, TypeError):  # plain Parquet without GeoParquet metadata
        ddf = dd.read_parquet(path)
    out = geocode_frame(ddf, location_column, admin1_column, admin2_column, country_column,
                        country)
    return _write(out, dst, client, overwrite, progress)


# --------------------------------------------------------------------------- store
def _upsert_partition(gdf, location: str) -> pd.DataFrame:
    if len(gdf) == 0:
        return pd.DataFrame({"inserted": [0], "updated": [0]})
    with EventStore(location) as st:
        ins, upd = st.upsert(gdf)
    return pd.DataFrame({"inserted": [ins], "updated": [upd]})


def upsert_parquet(src, store: str | os.PathLike, client=None,
                   progress: bool | None = None) -> tuple[int, int]:
    """Upsert every partition of a GeoParquet events directory into an ``EventStore``.

    With a ``postgresql://`` DSN the workers write in parallel (``ON CONFLICT``
    upserts); a GeoPackage serialises them.  Returns ``(inserted, updated)``.
    """
    ddf = read_partitioned(src)
    meta = pd.DataFrame({"inserted": pd.Series([], dtype="int64"),
                         "updated": pd.Series([], dtype="int64")})
    counts = ddf.map_partitions(_upsert_partition, os.fspath(store), meta=meta)
    frame = _compute(counts, client, progress)
    return int(frame["inserted"].sum()), int(frame["updated"].sum())


# --------------------------------------------------------------------------- cluster
def cluster_client(scheduler: str | None = None, workers: int | None = None):
    """A dask.distributed ``Client``: of a running ``scheduler`` address, or of a local
    cluster of ``workers`` processes (closed with the client: ``close_client``); None for
    dask's default (threaded) scheduler."""
    if scheduler:
        from distributed import Client

        return Client(scheduler)
    if workers:
        from distributed import Client, LocalCluster

        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
        client.geomap_cluster = cluster
        return client
    return None


def close_client(client) -> None:
    """Close a ``cluster_client`` and the local cluster it started, if any."""
    if client is None:
        return
    client.close()
    cluster = getattr(client, "geomap_cluster", None)
    if cluster is not None:
        cluster.close()
