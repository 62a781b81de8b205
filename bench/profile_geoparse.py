"""Where the geoparser's warm (or cold) pass spends its time, and how long it takes.

    python bench/profile_geoparse.py [--full] [--top 30] [--repeat 3] [--no-profile] [--cold]

Builds one ``Geoparser(Gazetteer())``, runs the geoparse benchmark's documents
(``bench_geoparse.documents``; quick set unless ``--full``) once to warm every name
cache, then times ``--repeat`` further passes (CPU seconds, best of them) and profiles
one more pass with cProfile (functions by own time).  The warm pass is the pure-Python
work that remains when every gazetteer lookup is memoised.  ``--cold`` profiles the first
pass of a fresh parser instead (gazetteer reads, key computation and typo scans included),
listed by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_geoparse import documents  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="all documents, not the quick half")
    ap.add_argument("--top", type=int, default=30, help="functions to list")
    ap.add_argument("--repeat", type=int, default=3, help="timed warm passes")
    ap.add_argument("--no-profile", action="store_true", help="only time the passes")
    ap.add_argument("--cold", action="store_true", help="profile the first pass of a fresh parser")
    args = ap.parse_args(argv)

    from geomap.gazetteer import Gazetteer
    from geomap.geoparse import Geoparser

    Gazetteer.default()
    texts = documents(not args.full)
    if args.cold:
        return _profile(Geoparser(Gazetteer()), texts, "cumulative", args.top)
    parser = Geoparser(Gazetteer())
    c0 = time.process_time()
    for t in texts:
        parser(t)
    print(f"cold pass: {len(texts)} documents, {time.process_time() - c0:.2f} CPU s",
          file=sys.stderr)
    best = float("inf")
    for _ in range(args.repeat):
        c0 = time.process_time()
        for t in texts:
            parser(t)
        best = min(best, time.process_time() - c0)
    print(f"warm pass: best of {args.repeat}: {best:.2f} CPU s, "
          f"{len(texts) / best:.0f} docs per CPU s", file=sys.stderr)
    return 0 if args.no_profile else _profile(parser, texts, "tottime", args.top)


def _profile(parser, texts: list[str], order: str, top: int) -> int:
    prof = cProfile.Profile()
    prof.enable()
    for t in texts:
        parser(t)
    prof.disable()
    pstats.Stats(prof, stream=sys.stdout).sort_stats(order).print_stats(top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
