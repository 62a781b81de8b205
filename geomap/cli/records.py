"""``geomap geocode|ingest|export|filter``: event records in and out of files and the store.

Examples::

    geomap geocode villages.csv --location-column village --admin1-column oblast -o out.csv \
        --unresolved unresolved.csv
    geomap ingest data/events/ucdp_ged_ukraine_excerpt.csv --store events.gpkg
    geomap ingest my.csv --columns location=village,event_date=date --store events.gpkg
    geomap export --store events.gpkg -o events.geojson
    geomap filter --store events.gpkg --admin1 "Kursk Oblast" --within "Sudzha:20km" \
        --from 2024-08-01 -o kursk.geojson
"""

from __future__ import annotations

import argparse
import re
import sys

from geomap.cli.argtypes import non_negative, probability
from geomap.errors import InputError, printable

# geomap.io, geomap.records, geomap.store, geopandas and pandas are imported inside the
# handlers: at module level they would take `geomap --help` from ~0.15 s to ~1.3 s.

MAX_LISTED = 50


def register(sub) -> None:
    geo = sub.add_parser(
        "geocode", help="add coordinates to a table of place names",
        description="Resolve each row's place name with the offline gazetteer, using the "
        "row's own oblast/district/country columns as context. Adds latitude, longitude, "
        "geo_precision, confidence, place_id, geonameid, resolved_name, resolved_admin1/2, "
        "reason and needs_review; lists the rows it could not resolve on stderr.")
    geo.add_argument("file", help="CSV (any common encoding), XLSX, GeoJSON or GeoPackage")
    add_geocode_options(geo)
    geo.add_argument("-o", "--output", required=True, help="output .csv, .geojson or .gpkg")
    geo.add_argument("--unresolved", help="also write the unresolved rows to this CSV")
    _add_csv_escape_arg(geo)
    geo.add_argument("--online-fallback", action="store_true",
                     help="ask OpenStreetMap Nominatim for names the offline gazetteer lacks "
                     "(off by default; 1 request/s, answers cached; rows marked needs_review)")
    geo.set_defaults(handler=_geocode)

    ing = sub.add_parser(
        "ingest", help="import ACLED/UCDP/GeoJSON/GeoPackage records into the store",
        description="Read event records (ACLED or UCDP GED exports as CSV/XLSX, geomap "
        "GeoJSON/GeoPackage/CSV, or any table with --columns), report every bad row with "
        "its line number, and upsert the good rows by event_id (re-importing adds nothing).")
    ing.add_argument("files", nargs="+", metavar="FILE")
    ing.add_argument("--columns", help="column mapping target=source,... e.g. "
                     "location=village,event_date=date,admin1=oblast")
    ing.add_argument("--layout", choices=("ucdp", "acled", "geomap", "generic"),
                     help="force a layout instead of auto-detection")
    ing.add_argument("--store", help="event store (.gpkg path or postgresql:// DSN); "
                     "default events.gpkg unless -o is given")
    ing.add_argument("-o", "--output", help="also/instead write the imported rows to a file")
    ing.add_argument("--problems", help="write every problem to this CSV")
    ing.add_argument("--no-geocode", action="store_true",
                     help="reject rows without coordinates instead of geocoding their location")
    _add_csv_escape_arg(ing)
    ing.set_defaults(handler=_ingest)

    exp = sub.add_parser(
        "export", help="write stored or file events as GeoJSON, GeoPackage, CSV or KML",
        description="Export events from the store or from files to GeoJSON (RFC 7946), "
        "GeoPackage, CSV (latitude/longitude columns) or KML, with attribution metadata.")
    _add_source_args(exp)
    _add_output_args(exp)
    exp.add_argument("--layout", choices=("geomap", "acled", "ucdp"), default="geomap",
                     help="column layout: geomap's (default), or ACLED's / UCDP GED's column "
                     "names first with geomap's own columns after (reads back with ingest)")
    exp.set_defaults(handler=_export)

    flt = sub.add_parser(
        "filter", help="select events by region, area, distance, date, actor, type",
        description="Filter events from files or the store. Region names match English, "
        "Russian, Ukrainian names and ISO codes ('Kursk Oblast', 'Kursk', 'RU-KRS', "
        "'Sumy region'); distances are geodesic.")
    _add_source_args(flt)
    add_filter_options(flt)
    _add_output_args(flt)
    flt.set_defaults(handler=_filter)

    join = sub.add_parser(
        "join", help="link events from text with existing records",
        description="Link each event from text to the closest compatible record (same place "
        "within --max-km, dates within --max-days, compatible actors and type) and mark it "
        "duplicate_of or corroborates; every row of both inputs is kept.")
    join.add_argument("text_events", help="events from text (e.g. from 'geomap events -o')")
    join.add_argument("records", nargs="?", help="records file (ACLED, UCDP GED, GeoJSON, ...)")
    join.add_argument("--store", help="take the records from this store instead")
    join.add_argument("--max-km", type=non_negative, default=25.0, help="largest distance (default 25)")
    join.add_argument("--max-days", type=non_negative, default=3.0, help="largest date gap (default 3)")
    _add_output_args(join)
    join.set_defaults(handler=_join)


def add_filter_options(parser) -> None:
    """The filter options of ``geomap filter`` (also ``geomap distributed filter``)."""
    parser.add_argument("--country", action="append", help="country name or ISO code (repeatable)")
    parser.add_argument("--admin1", action="append", help="oblast/region (repeatable)")
    parser.add_argument("--admin2", action="append",
                        help="district or Ukrainian raion, e.g. 'Bakhmutskyi Raion' (repeatable)")
    parser.add_argument("--hromada", action="append",
                        help="Ukrainian hromada, e.g. 'Bakhmutska hromada' (repeatable; OCHA "
                        "COD, approximate areas)")
    parser.add_argument("--polygon", help="polygon file (GeoJSON, GeoPackage, ...)")
    parser.add_argument("--bbox", help="minlon,minlat,maxlon,maxlat")
    parser.add_argument("--within", help="PLACE:DISTANCE, e.g. 'Sudzha:20km' or '51.19,35.27:10km'")
    parser.add_argument("--from", dest="date_from", help="first date (inclusive)")
    parser.add_argument("--to", dest="date_to", help="last date (inclusive)")
    parser.add_argument("--actor", action="append", help="actor substring (repeatable)")
    parser.add_argument("--event-type", action="append", help="event or sub-event type (repeatable)")
    parser.add_argument("--verification", action="append", help="verification state (repeatable)")
    parser.add_argument("--min-confidence", type=probability, help="minimum confidence 0–1")


def filters_from_args(args: argparse.Namespace) -> dict:
    """``filter_events`` keywords from the options of :func:`add_filter_options`."""
    return dict(
        country=args.country, admin1=args.admin1, admin2=args.admin2, hromada=args.hromada,
        polygon=args.polygon,
        bbox=parse_bbox(args.bbox) if args.bbox else None,
        within_km=parse_within(args.within) if args.within else None,
        date_from=args.date_from, date_to=args.date_to, actor=args.actor,
        event_type=args.event_type, verification=args.verification,
        min_confidence=args.min_confidence,
    )


def add_geocode_options(parser) -> None:
    """Where a table's place names and their context are (``geocode``, ``distributed``)."""
    parser.add_argument("--location-column", required=True, help="column holding the place name")
    parser.add_argument("--admin1-column", help="column holding the oblast/region")
    parser.add_argument("--admin2-column", help="column holding the raion/district")
    parser.add_argument("--country-column", help="column holding the country")
    parser.add_argument("--country", help="country of every row (name or ISO code) if no column")


def _add_source_args(parser) -> None:
    parser.add_argument("files", nargs="*", metavar="FILE")
    parser.add_argument("--store", help="read from this store instead of files")


def _add_output_args(parser) -> None:
    parser.add_argument("-o", "--output", required=True, help="out.geojson|gpkg|csv|kml")
    parser.add_argument("--format", choices=("geojson", "gpkg", "csv", "kml"),
                        help="output format (default: from the extension)")
    _add_csv_escape_arg(parser)


def _add_csv_escape_arg(parser) -> None:
    parser.add_argument("--no-csv-escape", action="store_true",
                        help="write CSV cells as they are (by default text starting with "
                        "= + - @ TAB or CR gets a leading ' so spreadsheets don't run it)")


# --------------------------------------------------------------------------- helpers
def _report(problems, limit: int = MAX_LISTED) -> None:
    for p in problems[:limit]:
        print(f"geomap: {printable(p)}", file=sys.stderr)
    if len(problems) > limit:
        print(f"geomap: ... and {len(problems) - limit} more problems (use --problems FILE)",
              file=sys.stderr)


def _write_problems(path: str, problems, csv_escape: bool = True) -> None:
    import pandas as pd

    from geomap.io import write_csv

    rows = [[p.path, "" if p.line is None else p.line, p.field or "", p.severity, p.reason]
            for p in problems]
    write_csv(pd.DataFrame(rows, columns=["path", "line", "field", "severity", "reason"]), path,
              escape=csv_escape)


def _progress(iterable, **kwargs):
    from tqdm import tqdm

    return tqdm(iterable, disable=not sys.stderr.isatty(), file=sys.stderr, **kwargs)


def _load(files: list[str], store: str | None):
    """Events from the store or from files (bad rows reported on stderr, good rows kept)."""
    import geopandas as gpd
    import pandas as pd

    from geomap.records.read import read_records

    if store and files:
        raise InputError("give FILEs or --store, not both")
    if store:
        from geomap.store import EventStore

        with EventStore(store, create=False) as st:
            return st.read()
    if not files:
        raise InputError("no input: give FILEs or --store")
    frames = []
    for path in _progress(files, desc="reading", unit="file"):
        result = read_records(path)
        _report(result.problems)
        frames.append(result.records)
    if len(frames) == 1:
        return frames[0]
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=4326)


_DIST_RE = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(km|m)?\s*$", re.IGNORECASE)


def parse_within(text: str) -> tuple[object, float]:
    """``"Sudzha:20km"`` → ("Sudzha", 20.0); ``"51.19,35.27:500m"`` → ((51.19, 35.27), 0.5)."""
    if ":" not in text:
        raise InputError(f"--within expects PLACE:DISTANCE like 'Sudzha:20km', got {text!r}",
                         field="within")
    place, dist = text.rsplit(":", 1)
    m = _DIST_RE.match(dist)
    if not m or not place.strip():
        raise InputError(f"--within expects PLACE:DISTANCE like 'Sudzha:20km', got {text!r}",
                         field="within")
    km = float(m[1]) / (1000.0 if (m[2] or "km").lower() == "m" else 1.0)
    parts = place.split(",")
    if len(parts) == 2:
        try:
            return (float(parts[0]), float(parts[1])), km
        except ValueError:
            pass
    return place.strip(), km


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        values = ()
    if len(values) != 4:
        raise InputError(f"--bbox expects minlon,minlat,maxlon,maxlat, got {text!r}", field="bbox")
    return values  # type: ignore[return-value]


def _write_table(df, path: str, csv_escape: bool = True) -> None:
    """Write a geocoded table (any columns) as CSV, GeoJSON or GeoPackage, atomically."""
    import geopandas as gpd
    import pyogrio

    from geomap.io import atomic_path, detect_format, write_csv

    fmt = detect_format(path)
    if fmt == "csv":
        write_csv(df, path, escape=csv_escape)
        return
    if fmt == "kml":
        raise InputError("write a geocoded table as .csv, .geojson or .gpkg", path=path)
    gdf = gpd.GeoDataFrame(df.copy(), geometry=gpd.points_from_xy(df["longitude"], df["latitude"]),
                           crs=4326)
    gdf.loc[df["latitude"].isna(), "geometry"] = None
    with atomic_path(path) as tmp:
        if fmt == "geojson":
            pyogrio.write_dataframe(gdf, tmp, driver="GeoJSON", layer_options={"RFC7946": "YES"})
        else:
            pyogrio.write_dataframe(gdf, tmp, driver="GPKG", layer="geocoded")


# --------------------------------------------------------------------------- handlers
def _geocode(args: argparse.Namespace) -> int:
    from geomap.io import detect_format, write_csv
    from geomap.records.geocode import geocode_table

    if detect_format(args.output) == "kml":
        raise InputError("write a geocoded table as .csv, .geojson or .gpkg", path=args.output)
    result = geocode_table(args.file, location_column=args.location_column,
                           admin1_column=args.admin1_column, admin2_column=args.admin2_column,
                           country_column=args.country_column, country=args.country)
    if args.online_fallback:
        from geomap.geocoder import fill_online

        filled = fill_online(result, args.location_column, args.admin1_column,
                             args.country_column, args.country)
        print(f"geomap: {filled} row(s) geocoded online (Nominatim, © OpenStreetMap "
              "contributors, ODbL)", file=sys.stderr)
    _write_table(result.table, args.output, csv_escape=not args.no_csv_escape)
    if args.unresolved:
        write_csv(result.unresolved, args.unresolved, escape=not args.no_csv_escape)
    print(f"geomap: {result.summary()}", file=sys.stderr)
    loc = result.table.columns[result.table.columns.get_loc(
        next(c for c in result.table.columns if c.lower() == args.location_column.lower()))]
    rows = result.unresolved
    for _, row in rows.head(MAX_LISTED).iterrows():
        print(printable(f"geomap: unresolved: {args.file}:{row['line']}: {row[loc]!r}: "
                        f"{row['reason']}"), file=sys.stderr)
    if len(rows) > MAX_LISTED:
        print(f"geomap: ... and {len(rows) - MAX_LISTED} more unresolved rows "
              "(use --unresolved FILE)", file=sys.stderr)
    print(f"wrote {args.output}")
    return 0


def _ingest(args: argparse.Namespace) -> int:
    """Read every file, write -o/--problems, and only then touch the store."""
    import geopandas as gpd
    import pandas as pd

    from geomap.io import detect_format, write_events
    from geomap.records.read import read_records

    store_path = args.store or (None if args.output else "events.gpkg")
    if args.output:
        detect_format(args.output)  # an unwritable output fails before any work
    all_problems, results, rejected = [], [], 0
    for path in _progress(args.files, desc="reading", unit="file"):
        result = read_records(path, columns=args.columns, layout=args.layout,
                              geocode=not args.no_geocode)
        all_problems += result.problems
        rejected += len(result.errors)
        _report(result.problems)
        results.append(result)
    if args.output:
        gdf = gpd.GeoDataFrame(pd.concat([r.records for r in results], ignore_index=True),
                               geometry="geometry", crs=4326)
        write_events(gdf, args.output, csv_escape=not args.no_csv_escape)
    if args.problems:
        _write_problems(args.problems, all_problems, csv_escape=not args.no_csv_escape)
    store = None
    if store_path:
        from geomap.store import EventStore

        store = EventStore(store_path)
    try:
        for result in results:
            line = result.summary()
            if store is not None:
                inserted, updated = store.upsert(result.records)
                line += f"; store: {inserted} inserted, {updated} updated"
            print(f"geomap: {printable(line)}", file=sys.stderr)
        if store is not None:
            print(f"geomap: {printable(store_path)}: {len(store)} events stored", file=sys.stderr)
    finally:
        if store is not None:
            store.close()
    if args.output:
        print(f"wrote {args.output}")
    return 1 if rejected else 0


def _export(args: argparse.Namespace) -> int:
    from geomap.io import write_events

    gdf = _load(args.files, args.store)
    write_events(gdf, args.output, format=args.format, layout=args.layout,
                 csv_escape=not args.no_csv_escape)
    print(f"geomap: exported {len(gdf)} events", file=sys.stderr)
    print(f"wrote {args.output}")
    return 0


def _filter(args: argparse.Namespace) -> int:
    from geomap.io import detect_format, write_events
    from geomap.spatial.filters import filter_events

    detect_format(args.output, args.format)  # fail before the work
    filters = filters_from_args(args)
    if args.store and not args.files:
        from geomap.store import EventStore

        with EventStore(args.store, create=False) as st:
            out = st.read(**filters)
        total = None
    else:
        gdf = _load(args.files, args.store)
        total = len(gdf)
        out = filter_events(gdf, **filters)
    write_events(out, args.output, format=args.format, csv_escape=not args.no_csv_escape)
    of = f" of {total}" if total is not None else ""
    print(f"geomap: {len(out)}{of} events pass the filters", file=sys.stderr)
    print(f"wrote {args.output}")
    return 0


def _join(args: argparse.Namespace) -> int:
    from geomap.io import write_events
    from geomap.records.join import join_events

    if not args.records and not args.store:
        raise InputError("give a records FILE or --store", field="records")
    text = _load([args.text_events], None)
    records = _load([args.records] if args.records else [], args.store)
    joined = join_events(text, records, max_km=args.max_km, max_days=args.max_days)
    write_events(joined, args.output, format=args.format, csv_escape=not args.no_csv_escape)
    kinds = joined["match_kind"].fillna("").value_counts().to_dict()
    print(f"geomap: {len(text)} text events, {len(records)} records: "
          f"{kinds.get('duplicate_of', 0)} duplicate_of, {kinds.get('corroborates', 0)} "
          f"corroborates -> {args.output}", file=sys.stderr)
    return 0
