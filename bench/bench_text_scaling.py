"""Time per character of event extraction (and geoparsing) on hostile texts of growing size.

Issue 16: untrusted text must cost linear time.  For each kind of text – "one long word"
(``a`` × n), "one sentence with no punctuation", "capitalised words" and the seed article
repeated – ``extract_events`` runs at 10 kB, 100 kB and 1 MB.  Reported: seconds, and
seconds per character with the 10 kB run of the same kind as the baseline (ratio ≈ 1 means
linear; 10 means quadratic growth over 10×).  Target: 1 MB of any kind ≤ 10 s.

Extraction gets the place mentions precomputed (the seed article's geoparse shifted to
every copy; none for the synthetic kinds), so the figures are the events stage alone.
Geoparsing (``--geoparse``) runs in a subprocess per size with a timeout, because the
recogniser/resolver is measured and fixed separately (geomap/geoparse).

Run:  PYTHONPATH=. python bench/bench_text_scaling.py [--quick] [--geoparse]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, log, row, run_python, timed  # noqa: E402

NAME = "text_scaling"
SIZES = (10_000, 100_000, 1_000_000)
KINDS = ("long_word", "no_punctuation", "capitalised", "seed_repeated")
SEED = ROOT / "data" / "articles" / "kursk_2024-12-16_north_korean_casualties.txt"
PUB = "2024-12-16"
LIMIT_S = 10.0


def make_text(kind: str, n: int) -> str:
    """``n`` characters of one kind of hostile text."""
    if kind == "seed_repeated":
        return seed_copies(n, with_mentions=False)[0]
    if kind == "long_word":
        return "a" * n
    unit = ("the soldiers were killed near the village and " if kind == "no_punctuation"
            else "Alpha Bravo Charlie Delta Echo Foxtrot ")
    return (unit * (n // len(unit) + 1))[:n]


def seed_copies(n: int, with_mentions: bool = True) -> tuple[str, list]:
    """``n`` characters of seed-article copies, and the seed's mentions shifted to each.

    Every line of copy k starts with "Report k. " so that the copies are distinct articles'
    worth of text (identical lines would be folded as duplicates and cost nothing).
    """
    from dataclasses import replace

    unit = SEED.read_text("utf-8")
    base = []
    if with_mentions:
        from geomap.geoparse import geoparse

        base = geoparse(unit, published=PUB)
    lines, starts, pos = unit.split("\n"), [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    parts: list[str] = []
    mentions: list = []
    size, k = 0, 0
    while size < n:
        k += 1
        for i, line in enumerate(lines):
            prefix = f"Report {k}. " if line.strip() else ""
            shift = size + len(prefix) - starts[i]
            mentions += [replace(m, start=m.start + shift, end=m.end + shift) for m in base
                         if starts[i] <= m.start < starts[i] + len(line)]
            parts.append(prefix + line + "\n")
            size += len(prefix) + len(line) + 1
    text = "".join(parts)[:n]
    return text, [m for m in mentions if m.end <= n]


def _extract(kind: str, n: int) -> tuple[float, int]:
    from geomap.events.extract import extract_events

    text, mentions = seed_copies(n) if kind == "seed_repeated" else (make_text(kind, n), [])
    seconds, rows = timed(extract_events, text, published=PUB, mentions=mentions)
    return seconds, len(rows)


def _geoparse(kind: str, n: int, timeout: float) -> float | None:
    code = ("import time,sys; sys.path.insert(0, '.'); from bench.bench_text_scaling import "
            f"make_text; from geomap.geoparse import geoparse; t = make_text({kind!r}, {n}); "
            "t0 = time.perf_counter(); geoparse(t); print(time.perf_counter() - t0)")
    try:
        _, out = run_python(code, timeout=timeout)
    except Exception as exc:  # timeout: reported as None
        log(f"geoparse {kind} {n}: {type(exc).__name__}")
        return None
    return float(out.strip().splitlines()[-1])


def run(quick: bool = False, geoparse: bool = False) -> list[dict]:
    sizes = SIZES[:2] if quick else SIZES
    rows: list[dict] = []
    for kind in KINDS:
        base = None
        for n in sizes:
            seconds, events = _extract(kind, n)
            per_char = seconds / n
            base = base or per_char
            log(f"extract_events {kind} {n:,} chars: {seconds:.3f} s, {events} rows")
            rows.append(row(NAME, f"extract_events {kind} {n // 1000} kB s/char", per_char,
                            "s/char", base, f"baseline: the 10 kB {kind} run; ~1 = linear; "
                            f"{seconds:.3f} s total ({'within' if seconds <= LIMIT_S else 'OVER'} "
                            f"the {LIMIT_S:.0f} s limit)") | {"chars": n})
        if geoparse:
            gbase = None
            for n in sizes:
                seconds = _geoparse(kind, n, timeout=120)
                if seconds is None:
                    rows.append(row(NAME, f"geoparse {kind} {n // 1000} kB s/char", None,
                                    "s/char", gbase, "timed out after 120 s") | {"chars": n})
                    break
                gbase = gbase or seconds / n
                rows.append(row(NAME, f"geoparse {kind} {n // 1000} kB s/char", seconds / n,
                                "s/char", gbase, f"baseline: the 10 kB {kind} run; "
                                f"{seconds:.3f} s total") | {"chars": n})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 kB and 100 kB only")
    parser.add_argument("--geoparse", action="store_true",
                        help="also time geoparse (subprocess, 120 s timeout per size)")
    parser.add_argument("--json", help="also write the rows to this JSON file")
    args = parser.parse_args(argv)
    rows = run(args.quick, args.geoparse)
    print(f"{'metric':<44} {'seconds':>8} {'s/char':>9} {'ratio':>6}")
    for r in rows:
        if r["value"] is None:
            print(f"{r['metric']:<44} {'timeout':>8}")
            continue
        print(f"{r['metric']:<44} {r['value'] * r['chars']:>8.3f} {r['value']:>9.2e} "
              f"{r['ratio']:>6.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
