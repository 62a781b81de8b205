"""``geomap places FILE|-``: the place mentions of an article, resolved."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from geomap.errors import InputError


def register(sub) -> None:
    parser = sub.add_parser(
        "places", help="find and resolve the place names in a text",
        description="Find the place names in English news text and resolve each to a "
        "gazetteer entry, with confidence, ACLED precision and a reason.")
    parser.add_argument("file", help="article text file, or - for standard input")
    parser.add_argument("--published", help="publication date YYYY-MM-DD (else from the "
                        "article's sibling .json)")
    parser.add_argument("--format", choices=("table", "jsonl", "geojson"), default="table")
    parser.add_argument("--all", action="store_true",
                        help="also list metonymic uses ('Moscow said') in the table")
    parser.set_defaults(handler=_places)


def read_text(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    p = Path(path)
    if not p.exists():
        raise InputError("file not found", path=path)
    try:
        return p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", path=path) from None


def _places(args: argparse.Namespace) -> int:
    from geomap.geoparse import geoparse

    mentions = geoparse(read_text(args.file), published=args.published)
    if args.format == "jsonl":
        for m in mentions:
            print(json.dumps(m.to_dict(), ensure_ascii=False))
    elif args.format == "geojson":
        features = []
        for m in mentions:
            props = m.to_dict()
            props["alternatives"] = [a["id"] for a in props["alternatives"]]
            geometry = ({"type": "Point", "coordinates": [m.lon, m.lat]}
                        if m.place is not None else None)
            features.append({"type": "Feature", "geometry": geometry, "properties": props})
        json.dump({"type": "FeatureCollection", "features": features}, sys.stdout,
                  ensure_ascii=False)
        print()
    else:
        rows = [("offset", "text", "resolved to", "admin", "prec", "conf", "review", "reason")]
        for m in mentions:
            if m.role != "location" and not args.all:
                continue
            p = m.place
            where = ", ".join(x for x in (p.admin2, p.admin1, p.country) if x) if p else ""
            rows.append((str(m.start), m.text + ("" if m.role == "location" else f" [{m.role}]"),
                         p.name if p else "—", where, str(m.precision or ""),
                         f"{m.confidence:.2f}", "yes" if m.needs_review else "", m.reason))
        widths = [min(40, max(len(r[i]) for r in rows)) for i in range(len(rows[0]) - 1)]
        for r in rows:
            print("  ".join(v[:w].ljust(w) for v, w in zip(r, widths, strict=False)) + "  " + r[-1])
    return 0
