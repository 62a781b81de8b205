"""``geomap distributed partition|filter|geocode|upsert``: the dask path of filter/geocode/ingest.

The options are those of ``geomap filter`` and ``geomap geocode`` (one definition, in
``geomap.cli.records``), so a laptop command and its cluster form differ only in the word
``distributed`` and the Parquet paths::

    geomap distributed partition data/events/ucdp_ged_ukraine_excerpt.csv ged.parquet -n 8
    geomap distributed filter ged.parquet kyiv.parquet --admin1 Kyiv --from 2022-02-24
    geomap distributed geocode rows.parquet rows_geo.parquet --location-column village
    geomap distributed upsert ged.parquet --store events.gpkg
"""

from __future__ import annotations

import argparse
import sys

from geomap.cli.records import add_filter_options, add_geocode_options, filters_from_args


def register(sub) -> None:
    parser = sub.add_parser(
        "distributed", help="filter, geocode and store partitioned GeoParquet on a dask cluster",
        description="Partitioned GeoParquet on a dask cluster: the same rows as 'geomap "
        "filter'/'geomap geocode' on one machine, with the same options.")
    _add_cluster_options(parser, defaults=True)
    actions = parser.add_subparsers(dest="distributed_command", metavar="ACTION")
    actions.required = True

    part = actions.add_parser("partition", help="write an events file as a GeoParquet directory",
                              description="Read an events file (any input 'geomap ingest' "
                              "reads) and write it as partitioned GeoParquet.")
    part.add_argument("src", metavar="FILE", help="events file (CSV, XLSX, GeoJSON, GPKG, ...)")
    part.add_argument("dst", metavar="PARQUET_DIR", help="GeoParquet directory to write")
    part.add_argument("-n", "--npartitions", type=int, default=8,
                      help="number of partitions (default 8)")
    part.add_argument("--spatial", action="store_true",
                      help="Hilbert-sort rows first so each partition covers a compact area")
    _add_cluster_options(part)

    flt = actions.add_parser("filter", help="filter a GeoParquet directory like 'geomap filter'",
                             description="Apply geomap's event filters to every partition.")
    flt.add_argument("src", metavar="PARQUET_DIR", help="GeoParquet directory to read")
    flt.add_argument("dst", metavar="OUT_DIR", help="GeoParquet directory to write")
    add_filter_options(flt)
    _add_cluster_options(flt)

    geo = actions.add_parser("geocode", help="geocode a Parquet directory like 'geomap geocode'",
                             description="Resolve every partition's place names with the "
                             "offline gazetteer (each worker opens its own index).")
    geo.add_argument("src", metavar="PARQUET_DIR", help="Parquet directory of rows to geocode")
    geo.add_argument("dst", metavar="OUT_DIR", help="GeoParquet directory to write")
    add_geocode_options(geo)
    _add_cluster_options(geo)

    ups = actions.add_parser("upsert", help="upsert a GeoParquet events directory into a store",
                             description="Write every partition into an event store (a "
                             "PostGIS DSN lets the workers write in parallel).")
    ups.add_argument("src", metavar="PARQUET_DIR", help="GeoParquet events directory")
    ups.add_argument("--store", required=True,
                     help="event store (.gpkg path or postgresql:// DSN)")
    _add_cluster_options(ups)
    parser.set_defaults(handler=_run)


def _add_cluster_options(parser, defaults: bool = False) -> None:
    """Before or after the action: ``geomap distributed --workers 4 filter ...`` or
    ``geomap distributed filter ... --workers 4``."""
    keep = {} if defaults else {"default": argparse.SUPPRESS}
    parser.add_argument("--scheduler", help="dask scheduler address, e.g. tcp://host:8786 "
                        "(default: a local cluster with --workers, else dask's threads)",
                        **({"default": None} if defaults else keep))
    parser.add_argument("--workers", type=int, help="start a local cluster with this many "
                        "worker processes", **({"default": 0} if defaults else keep))
    parser.add_argument("--overwrite", action="store_true",
                        help="replace an existing output directory",
                        **({"default": False} if defaults else keep))


def _run(args: argparse.Namespace) -> int:
    from geomap import distributed as dist

    if args.distributed_command == "partition":
        from geomap.records.read import read_records

        res = read_records(args.src)
        for problem in res.problems:
            print(f"geomap: {problem}", file=sys.stderr)
        out = dist.to_partitioned_parquet(res.records, args.dst, args.npartitions,
                                          args.spatial, overwrite=args.overwrite)
        print(f"geomap: {out.summary()}", file=sys.stderr)
        return 0
    client = dist.cluster_client(args.scheduler, args.workers)
    try:
        if args.distributed_command == "filter":
            filters = {k: v for k, v in filters_from_args(args).items() if v is not None}
            out = dist.filter_parquet(args.src, args.dst, client=client,
                                      overwrite=args.overwrite, **filters)
        elif args.distributed_command == "geocode":
            out = dist.geocode_parquet(args.src, args.dst, args.location_column,
                                       args.admin1_column, args.admin2_column,
                                       args.country_column, args.country, client=client,
                                       overwrite=args.overwrite)
        else:
            inserted, updated = dist.upsert_parquet(args.src, args.store, client=client)
            print(f"geomap: {args.store}: {inserted} inserted, {updated} updated",
                  file=sys.stderr)
            return 0
        print(f"geomap: {out.summary()}", file=sys.stderr)
        return 0
    finally:
        dist.close_client(client)
