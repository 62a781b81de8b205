"""``geomap gazetteer search|info|import|build``."""

from __future__ import annotations

import argparse
import json
import sys

from geomap.cli.argtypes import positive_int
from geomap.errors import InputError


def register(sub) -> None:
    parser = sub.add_parser("gazetteer", help="search, inspect and extend the offline gazetteer",
                            description="Search, inspect and extend the offline gazetteer.")
    gsub = parser.add_subparsers(dest="gazetteer_command", metavar="ACTION")
    gsub.required = True

    search = gsub.add_parser("search", help="ranked candidates for a place name",
                             description="Print ranked gazetteer candidates for a place name "
                             "(any spelling: Latin or Cyrillic).")
    search.add_argument("name", help="place name, e.g. Plyokhovo, Плёхово, 'Sumy Oblast'")
    search.add_argument("--country", help="ISO 3166-1 alpha-2 code, e.g. RU")
    search.add_argument("--admin1", help="first-level unit, e.g. 'Kursk Oblast' or RU-KRS")
    search.add_argument("--near", help="prefer places near LAT,LON")
    search.add_argument("--limit", type=positive_int, default=25,
                        help="at most this many candidates (default 25)")
    search.add_argument("--format", choices=("table", "jsonl"), default="table",
                        help="an aligned table (default) or one JSON object per candidate")
    search.set_defaults(handler=_search)

    info = gsub.add_parser("info", help="sources, record counts and build date",
                           description="Print the index's sources, record counts and build date.")
    info.add_argument("--format", choices=("table", "json"), default="table",
                      help="a readable summary (default) or the full JSON record")
    info.set_defaults(handler=_info)

    imp = gsub.add_parser(
        "import", help="merge GeoNames dumps into the index",
        description="Merge GeoNames dump files (RU.zip, allCountries.zip, cities500.zip, "
        "alternateNamesV2.zip, admin1CodesASCII.txt, admin2Codes.txt) into the index. "
        "All or nothing: a malformed file leaves the index unchanged.")
    imp.add_argument("files", nargs="+", help="GeoNames files (.zip or .txt)")
    imp.add_argument("--feature-classes", default="AP",
                     help="GeoNames feature classes to keep (default AP: admin units and "
                     "populated places; 'ALL' keeps everything)")
    imp.set_defaults(handler=_import)

    build = gsub.add_parser("build", help="(re)compile the index from the embedded sources",
                            description="Compile the index from the embedded sources now "
                            "(normally automatic on first use); imported rows are kept.")
    build.set_defaults(handler=_build)


def _parse_near(text: str | None):
    if not text:
        return None
    try:
        lat, lon = (float(v) for v in text.split(","))
    except ValueError:
        raise InputError(f"--near expects LAT,LON, got {text!r}", field="near") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):  # also rejects nan and inf
        raise InputError(f"--near {text!r}: latitude must be in [-90, 90] and longitude in "
                         "[-180, 180]", field="near")
    return lat, lon


def _search(args: argparse.Namespace) -> int:
    from geomap.gazetteer import Gazetteer

    gz = Gazetteer.default()
    candidates = gz.search(args.name, country=args.country, admin1=args.admin1,
                           near=_parse_near(args.near), limit=args.limit)
    if args.format == "jsonl":
        for c in candidates:
            print(json.dumps(c.to_dict(), ensure_ascii=False))
    else:
        if not candidates:
            print(f"no candidates for {args.name!r}", file=sys.stderr)
        rows = [("score", "id", "name", "country", "admin1", "admin2", "feature", "pop",
                 "lat", "lon", "match", "source")]
        for c in candidates:
            p = c.place
            admin2 = " / ".join(x for x in (p.admin2, p.admin3) if x)
            rows.append((f"{c.score:.2f}", p.id, p.name, p.country, p.admin1, admin2,
                         p.feature_code, str(p.population or ""), f"{p.lat:.4f}",
                         f"{p.lon:.4f}", c.match, p.source))
        _print_table(rows)
    return 0 if candidates else 1


def _print_table(rows: list[tuple]) -> None:
    widths = [min(32, max(len(str(r[i])) for r in rows)) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(str(v)[:w].ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())


def _info(args: argparse.Namespace) -> int:
    from geomap.gazetteer import Gazetteer
    from geomap.gazetteer.record import ATTRIBUTION, SOURCE_LABELS

    info = Gazetteer.default().info()
    if args.format == "json":
        print(json.dumps(info, indent=2, ensure_ascii=False))
        return 0
    print(f"index:    {info['path']}")
    print(f"built:    {info['built']} ({info['build_seconds']} s)")
    print(f"records:  {info['records']:,}   name keys: {info['names']:,}")
    print("sources:")
    for source, count in sorted(info["counts"].items(), key=lambda kv: -kv[1]):
        labels = "; ".join(SOURCE_LABELS.get(s, s) for s in source.split("+"))
        print(f"  {count:>9,}  {source}  — {labels}")
    print("attribution (credit these when showing or exporting the data):")
    for line in ATTRIBUTION.values():
        print(f"  {line}")
    for imp in info["imports"]:
        print(f"imported: {imp['file']} ({imp['kind']}, {imp['imported']:,} of {imp['rows']:,} rows, "
              f"{imp['date']})")
    return 0


def _import(args: argparse.Namespace) -> int:
    from geomap.gazetteer import Gazetteer

    classes = "" if args.feature_classes.upper() == "ALL" else args.feature_classes.upper()
    summary = Gazetteer.default().import_files(args.files, feature_classes=classes)
    for label, info in summary.items():
        print(f"{label}: {info['kind']}, {info['rows']:,} rows read, {info['imported']:,} merged")
    return 0


def _build(args: argparse.Namespace) -> int:
    from geomap.gazetteer import Gazetteer

    gz = Gazetteer(rebuild=True)
    info = gz.info()
    print(f"built {info['path']}: {info['records']:,} records in {info['build_seconds']} s")
    return 0
