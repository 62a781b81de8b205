"""``geomap events FILE...``: extract events from article text files.

Examples::

    geomap events data/articles/kursk_2024-12-16_north_korean_casualties.txt
    geomap events articles/*.txt -o events.geojson
    cat story.txt | geomap events - --published 2024-12-16 --format jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from geomap.cli.argtypes import non_negative_int
from geomap.errors import InputError, printable

_TABLE_COLUMNS = [("event_id", 18), ("event_date", 10), ("end_date", 10), ("location", 14),
                  ("sub_event_type", 22), ("actor1", 24), ("actor2", 24), ("killed", 6),
                  ("wounded", 7), ("killed_or_wounded", 17), ("missing", 7),
                  ("verification", 11), ("needs_review", 5)]


def register(sub) -> None:
    parser = sub.add_parser(
        "events", help="extract events (date, type, actors, casualties, claims) from articles",
        description="Extract events from English conflict news: one row per event and place, "
        "with dates resolved against the publication date, ACLED event types and actors, "
        "casualty claims with their qualifiers and quotes, the claimant and the verification "
        "state. A sibling FILE.json with 'published', 'url', 'outlet' (and 'title') supplies "
        "article metadata.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
        "  geomap events data/articles/kursk_2024-12-16_north_korean_casualties.txt\n"
        "  geomap events articles/*.txt -o events.geojson\n"
        "  cat story.txt | geomap events - --published 2024-12-16 --format jsonl")
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="article text files (UTF-8), or - for standard input")
    parser.add_argument("--published", metavar="DATE",
                        help="publication date YYYY-MM-DD (overrides the sibling .json)")
    parser.add_argument("--source", help="outlet name (overrides the sibling .json 'outlet')")
    parser.add_argument("-o", "--output", metavar="PATH",
                        help="write events to .geojson, .gpkg, .csv or .kml instead of stdout")
    parser.add_argument("--format", choices=("table", "jsonl"), default=None,
                        help="stdout format (default: table on a terminal, jsonl otherwise)")
    parser.add_argument("--no-csv-escape", action="store_true",
                        help="with -o .csv: write cells as they are (default: text starting "
                        "with = + - @ TAB or CR gets a leading ')")
    parser.add_argument("-j", "--jobs", type=non_negative_int, default=1,
                        help="process articles on N cores (0: all cores)")
    add_encoding_option(parser)
    parser.set_defaults(handler=_run)


def _check_date(value: str, path: str, field: str, line: int | None = None) -> str:
    from geomap.events.dates import as_date

    try:
        return as_date(value).isoformat()
    except (ValueError, TypeError):
        raise InputError(f"not a date (expected YYYY-MM-DD): {value!r}", path=path, line=line,
                         field=field) from None


def _metadata(txt: Path) -> dict:
    """The sibling ``.json`` of an article, validated."""
    from geomap.events.sidecar import read_sidecar

    return read_sidecar(txt)


def add_encoding_option(parser) -> None:
    parser.add_argument("--encoding", default="utf-8-sig",
                        help="text encoding of the input files (default UTF-8, with or "
                        "without BOM), e.g. cp1251, utf-16")


def _read_text(name: str, encoding: str = "utf-8-sig") -> str:
    import codecs

    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}", field="encoding") from None
    if name == "-":
        data = sys.stdin.buffer.read()
        label = "<stdin>"
    else:
        path = Path(name)
        if path.is_dir():
            raise InputError("is a directory; give article text files", path=name)
        if not path.is_file():
            raise InputError("no such file", path=name)
        data = path.read_bytes()
        label = name
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        what = "UTF-8" if encoding.replace("_", "-").lower() in ("utf-8-sig", "utf-8", "utf8") \
            else encoding
        raise InputError(f"not {what} text (byte {exc.start}); give its --encoding",
                         path=label, line=line) from None


def _extract(job: tuple) -> list:
    from geomap.events.extract import extract_events

    text, published, source, url, title = job
    return extract_events(text, published=published, source=source, source_url=url, title=title)


def _run(args: argparse.Namespace) -> int:
    published_override = _check_date(args.published, "--published", "published") \
        if args.published else None
    if args.files.count("-") > 1:
        raise InputError("standard input (-) can be read only once", field="files")
    jobs = []
    for name in args.files:
        text = _read_text(name, args.encoding)
        meta = {} if name == "-" else _metadata(Path(name))
        published = published_override or meta.get("published")
        if not published:
            print(f"geomap: warning: {name}: no publication date (give --published or a sibling "
                  ".json); relative dates such as 'on Monday' are left unresolved",
                  file=sys.stderr)
        if not text.strip():
            print(f"geomap: warning: {name}: empty text", file=sys.stderr)
            continue
        jobs.append((text, published, args.source or meta.get("outlet", "") or "",
                     meta.get("url", "") or "", meta.get("title")))
    from geomap.geoparse import fresh_worker
    from geomap.parallel import map_documents

    records = [r for rows in map_documents(_extract, jobs, jobs=args.jobs, desc="events",
                                           initializer=fresh_worker)
               for r in rows]
    if args.output:
        from geomap.io import write_events
        from geomap.schema import events_to_gdf

        out = write_events(events_to_gdf(records), args.output,
                           metadata={"generator": "geomap events",
                                     "inputs": [Path(f).name for f in args.files]},
                           csv_escape=not args.no_csv_escape)
        print(f"geomap: {len(records)} event rows from {len(args.files)} file(s) -> {out}",
              file=sys.stderr)
        return 0
    fmt = args.format or ("table" if sys.stdout.isatty() else "jsonl")
    if fmt == "jsonl":
        for r in records:
            sys.stdout.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
    else:
        _print_table(records)
    return 0


def _cell(value, width: int) -> str:
    text = "" if value is None else printable(value, limit=width + 1)
    return (text[: width - 1] + "…") if len(text) > width else text.ljust(width)


def _print_table(records) -> None:
    print(" ".join(_cell(name, w) for name, w in _TABLE_COLUMNS))
    for r in records:
        d = r.to_dict()
        print(" ".join(_cell(d[name], w) for name, w in _TABLE_COLUMNS))
    print(f"{len(records)} event rows", file=sys.stderr)
