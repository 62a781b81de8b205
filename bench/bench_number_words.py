"""Number words in casualty claims: the maintained text2num parser against the regex table.

geomap reads "a hundred and fifty" / "one hundred twenty" / "two dozen" with ``text2num``
(``geomap.events.casualties.parse_number``).  Baseline, same run: the hand-written
unit/tens table geomap used before (copied below), and ``numerizer`` when installed.
Reported per parser: share of the phrases read right and microseconds per phrase.

Run:  PYTHONPATH=. python bench/bench_number_words.py
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import row  # noqa: E402

NAME = "number_words"
# phrases as they occur in casualty reports, with their values
PHRASES = {
    "three": 3, "twenty-five": 25, "twenty five": 25, "forty-two": 42, "nineteen": 19,
    "a dozen": 12, "two dozen": 24, "three dozen": 36, "a hundred": 100,
    "a hundred and fifty": 150, "one hundred twenty": 120, "one hundred and five": 105,
    "three hundred": 300, "seven hundred and thirty-one": 731, "a thousand": 1000,
    "two thousand": 2000, "two thousand five hundred": 2500, "ninety nine": 99,
    "one thousand two hundred": 1200, "twelve": 12, "sixty": 60, "eighty-eight": 88,
    "three hundred thousand": 300_000, "one million": 1_000_000,
}

_UNITS = {"one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
          "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
          "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
          "eighteen": 18, "nineteen": 19, "a dozen": 12, "dozen": 12}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}


def regex_table(text: str) -> int | None:
    """geomap's previous parser: a unit or tens word, times one trailing scale word."""
    t = text.strip().lower()
    mult = 1
    for word, factor in (("million", 1_000_000), ("thousand", 1000), ("hundred", 100)):
        if t.endswith(" " + word):
            mult, t = factor, t[: -len(word) - 1].strip()
            break
    if t in _UNITS:
        return _UNITS[t] * mult
    parts = re.split(r"[- ]", t)
    if parts[0] in _TENS:
        return (_TENS[parts[0]] + (_UNITS.get(parts[1], 0) if len(parts) > 1 else 0)) * mult
    return None


def text2num_parser(text: str) -> int | None:
    from geomap.events.casualties import parse_number

    got = parse_number(text)
    return got[0] if got else None


def numerizer_parser(text: str) -> int | None:
    from numerizer import numerize

    out = numerize(text).replace("dozen", "* 12").strip()
    m = re.fullmatch(r"(\d+)(?:\s*\*\s*12)?", out)
    if not m:
        return None
    return int(m.group(1)) * (12 if "*" in out else 1)


def _measure(parser) -> tuple[float, float]:
    right = sum(parser(p) == v for p, v in PHRASES.items())
    t0 = time.perf_counter()
    for _ in range(50):
        for p in PHRASES:
            parser(p)
    us = (time.perf_counter() - t0) / (50 * len(PHRASES)) * 1e6
    return right / len(PHRASES), us


def run(quick: bool = False) -> list[dict]:
    parsers = {"regex table (previous)": regex_table, "text2num (geomap)": text2num_parser}
    try:
        import numerizer  # noqa: F401

        parsers["numerizer"] = numerizer_parser
    except ImportError:
        pass
    measured = {name: _measure(parser) for name, parser in parsers.items()}
    base_acc, base_us = measured["regex table (previous)"]
    rows = []
    for name, (acc, us) in measured.items():
        rows.append(row(NAME, f"{name} share right", acc, "share", base_acc,
                        f"{len(PHRASES)} phrases; baseline: the previous regex table; higher "
                        "is better"))
        rows.append(row(NAME, f"{name} µs/phrase", us, "µs", base_us,
                        "baseline: the previous regex table; lower is better"))
    return rows


def main() -> int:
    for r in run():
        print(f"{r['metric']:<40} {r['value']:>8.3f} {r['unit']:<6} ratio {r['ratio']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
