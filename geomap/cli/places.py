"""``geomap places FILE... [-o OUT]``: the place mentions of articles, resolved."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from geomap.cli.events import _check_date, _metadata, _read_text, add_encoding_option
from geomap.errors import InputError

_OUTPUT_FORMATS = {".geojson": "geojson", ".json": "geojson", ".jsonl": "jsonl"}


def register(sub) -> None:
    parser = sub.add_parser(
        "places", help="find and resolve the place names in texts",
        description="Find the place names in English news text and resolve each to a "
        "gazetteer entry, with confidence, ACLED precision and a reason. Each mention "
        "carries the file it came from.")
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="article text files, or - for standard input")
    parser.add_argument("--published", help="publication date YYYY-MM-DD (else from each "
                        "article's sibling .json)")
    parser.add_argument("-o", "--output", metavar="PATH",
                        help="write the mentions to .geojson (points) or .jsonl instead of stdout")
    parser.add_argument("--format", choices=("table", "jsonl", "geojson"), default="table",
                        help="stdout format: an aligned table (default), one JSON object per "
                        "mention, or a GeoJSON FeatureCollection")
    parser.add_argument("--all", action="store_true",
                        help="also list metonymic uses ('Moscow said') in the table")
    add_encoding_option(parser)
    parser.set_defaults(handler=_places)


def _mentions(args: argparse.Namespace) -> list[tuple[str, list]]:
    from geomap.geoparse import geoparse

    if args.files.count("-") > 1:
        raise InputError("standard input (-) can be read only once", field="files")
    published = _check_date(args.published, "--published", "published") \
        if args.published else None
    out = []
    for name in args.files:
        text = _read_text(name, args.encoding)
        meta = {} if name == "-" else _metadata(Path(name))
        out.append((name, geoparse(text, published=published or meta.get("published"))))
    return out


def _feature(name: str, mention) -> dict:
    props = {"file": name, **mention.to_dict()}
    props["alternatives"] = [a["id"] for a in props["alternatives"]]
    geometry = ({"type": "Point", "coordinates": [mention.lon, mention.lat]}
                if mention.place is not None else None)
    return {"type": "Feature", "geometry": geometry, "properties": props}


def _places(args: argparse.Namespace) -> int:
    fmt = args.format
    if args.output:
        fmt = _OUTPUT_FORMATS.get(Path(args.output).suffix.lower())
        if fmt is None:
            raise InputError("write places to .geojson or .jsonl", path=args.output,
                             field="output")
    per_file = _mentions(args)
    if args.output:
        from geomap.io import atomic_open

        with atomic_open(args.output, "w") as fh:
            _write(per_file, fmt, fh)
        count = sum(len(m) for _, m in per_file)
        print(f"geomap: {count} place mentions from {len(per_file)} file(s) -> {args.output}",
              file=sys.stderr)
        return 0
    if fmt == "table":
        for name, mentions in per_file:
            if len(per_file) > 1:
                print(f"== {name}")
            _print_table(mentions, args.all)
    else:
        _write(per_file, fmt, sys.stdout)
    return 0


def _write(per_file, fmt: str, fh) -> None:
    if fmt == "jsonl":
        for name, mentions in per_file:
            for m in mentions:
                fh.write(json.dumps({"file": name, **m.to_dict()}, ensure_ascii=False) + "\n")
        return
    features = [_feature(name, m) for name, mentions in per_file for m in mentions]
    json.dump({"type": "FeatureCollection", "features": features}, fh, ensure_ascii=False)
    fh.write("\n")


def _print_table(mentions, show_all: bool) -> None:
    rows = [("offset", "text", "resolved to", "admin", "prec", "conf", "review", "reason")]
    for m in mentions:
        if m.role != "location" and not show_all:
            continue
        p = m.place
        where = ", ".join(x for x in (p.admin2, p.admin1, p.country) if x) if p else ""
        rows.append((str(m.start), m.text + ("" if m.role == "location" else f" [{m.role}]"),
                     p.name if p else "—", where, str(m.precision or ""),
                     f"{m.confidence:.2f}", "yes" if m.needs_review else "", m.reason))
    widths = [min(40, max(len(r[i]) for r in rows)) for i in range(len(rows[0]) - 1)]
    for r in rows:
        print("  ".join(v[:w].ljust(w) for v, w in zip(r, widths, strict=False)) + "  " + r[-1])
