"""Documents per second of ``extract_events`` on the public geoparsing corpora.

Same run, same documents (LGL, TR-News, GeoVirus, GeoWebNews; read from
``../shared/benchmarks/geoparsing``): geoparsing alone is the baseline; then the events
stage alone (``extract_events`` given the mentions) and the whole of ``geomap events``'s
work (geoparse + extract).  ratio = docs/s ÷ geoparse docs/s (higher is better).

Run:  PYTHONPATH=. python bench/bench_events_throughput.py [--quick]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import log, row  # noqa: E402

NAME = "events_throughput"


def documents(quick: bool) -> list[str]:
    from geomap.evaluate import CORPORA, load_corpus

    texts = [d.text for name in CORPORA for d in load_corpus(name).documents]
    return texts[::4] if quick else texts


def run(quick: bool = False) -> list[dict]:
    from geomap.events.extract import extract_events
    from geomap.geoparse import geoparse

    texts = documents(quick)
    geoparse(texts[0])  # load the gazetteer index before timing
    t0 = time.perf_counter()
    mentions = [geoparse(t) for t in texts]
    t_geo = time.perf_counter() - t0
    t0 = time.perf_counter()
    n_rows = sum(len(extract_events(t, mentions=m)) for t, m in zip(texts, mentions, strict=True))
    t_events = time.perf_counter() - t0
    n = len(texts)
    geo_rate = n / t_geo
    log(f"{n} documents: geoparse {t_geo:.1f} s, extract_events {t_events:.1f} s, {n_rows} rows")
    note = f"{n} documents of LGL/TR-News/GeoVirus/GWN; baseline: geoparse docs/s, same run"
    return [
        row(NAME, "geoparse docs/s", geo_rate, "docs/s", geo_rate, note),
        row(NAME, "extract_events (mentions given) docs/s", n / t_events, "docs/s", geo_rate,
            note),
        row(NAME, "geoparse + extract_events docs/s", n / (t_geo + t_events), "docs/s",
            geo_rate, note + f"; {n_rows} event rows"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="every 4th document")
    args = parser.parse_args(argv)
    for r in run(args.quick):
        print(f"{r['metric']:<42} {r['value']:>9.1f} {r['unit']}  ratio {r['ratio']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
