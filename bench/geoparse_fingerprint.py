"""Fingerprint every geoparsing output, to prove a speed-up changed none of them.

    python bench/geoparse_fingerprint.py OUT.tsv [--passes 2]
    diff OUT-main.tsv OUT-branch.tsv     # must print nothing

Geoparses every article of the public corpora (``geomap.evaluate.CORPORA``) and every
UCDP GED place description that ``bench/ged_geoparse.py`` scores, with one
``Geoparser(Gazetteer())`` (fresh connection, cold caches), and writes one line per
mention: document, start, end, text, kind, role, place id, lat, lon, confidence (3
decimals), precision, needs_review, read_as, reason and the alternatives' ids.
``--passes 2`` runs the same parser over the same documents again (caches warm) and
writes that pass too, so a cache that changes an answer shows up as a difference.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.ged_geoparse import DEFAULT as GED_FILE  # noqa: E402


def documents() -> list[tuple[str, str]]:
    """(label, text) of every corpus article and every scored GED description."""
    from geomap.evaluate import CORPORA, load_corpus

    docs = [(f"{name}:{k}", d.text) for name in CORPORA
            for k, d in enumerate(load_corpus(name).documents)]
    table = pd.read_csv(GED_FILE, dtype=str, keep_default_na=False)
    table = table[pd.to_numeric(table["where_prec"], errors="coerce") <= 2]
    table = table[table["where_description"].str.strip() != ""]
    docs += [(f"ged:{k}", d) for k, d in enumerate(table["where_description"].unique())]
    return docs


def fingerprint(label: str, mentions) -> list[str]:
    lines = []
    for m in mentions:
        p = m.place
        fields = [label, m.start, m.end, m.text, m.kind, m.role, p.id if p else "",
                  repr(p.lat) if p else "", repr(p.lon) if p else "", f"{m.confidence:.3f}",
                  m.precision, m.needs_review, m.read_as, m.reason,
                  ",".join(c.place.id for c in m.alternatives)]
        lines.append("\t".join(str(f).replace("\t", " ").replace("\n", " ") for f in fields))
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", help="output file (one line per mention)")
    ap.add_argument("--passes", type=int, default=2, help="passes of the same parser")
    args = ap.parse_args(argv)

    from geomap.gazetteer import Gazetteer
    from geomap.geoparse import Geoparser

    Gazetteer.default()  # build the index outside the timing
    docs = documents()
    parser = Geoparser(Gazetteer())
    with open(args.out, "w", encoding="utf-8") as out:
        for n in range(1, args.passes + 1):
            t0 = time.perf_counter()
            count = 0
            for label, text in docs:
                lines = fingerprint(f"pass{n}:{label}", parser(text))
                count += len(lines)
                out.writelines(line + "\n" for line in lines)
            print(f"pass {n}: {len(docs)} documents, {count} mentions, "
                  f"{time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
