"""Instructions a geoparse pass executes, per source tree (cachegrind): a load-proof speed ratio.

    python bench/geoparse_instructions.py BASE_TREE [OTHER_TREE ...] [--step 4] [--passes 2]

On a shared machine the CPU seconds of one pass swing by half from run to run (other
jobs on the sibling hyperthread), more than a speed-up of a few tens of per cent.  The
number of instructions a pass executes does not: this runs the geoparse benchmark's
quick documents (every ``--step``-th of them) under ``valgrind --tool=cachegrind`` with
each tree first on ``PYTHONPATH`` (a fresh ``Geoparser(Gazetteer())``, its cold pass,
then ``--passes`` warm passes) and prints, per tree, the instructions of the cold pass
and of one warm pass, and each tree's ratio to the first (base / tree: >1 is faster).
Three valgrind runs per tree (set-up only, + cold pass, + warm passes); a few minutes.
Instruction counts are a proxy for time (they ignore cache misses and the SQLite
reads' waits); timings stay with ``bench/run.py`` and ``bench/profile_geoparse.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve()


def _worker(root: str, texts_file: str, cold: bool, passes: int) -> None:
    """Run inside valgrind: set up, optionally the cold pass, then ``passes`` warm ones."""
    import gc

    sys.path.insert(0, root)
    from geomap.gazetteer import Gazetteer
    from geomap.geoparse import Geoparser

    texts = json.loads(Path(texts_file).read_text(encoding="utf-8"))
    parser = Geoparser(Gazetteer())
    gc.disable()  # collections depend on allocation history, not on the work
    if cold:
        for t in texts:
            parser(t)
    for _ in range(passes):
        for t in texts:
            parser(t)


def _instructions(root: str, texts_file: str, cold: bool, passes: int) -> int:
    cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
           sys.executable, str(HERE), root, "--worker", texts_file, "--passes", str(passes),
           *(["--cold"] if cold else [])]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=root,
                         env=dict(os.environ, PYTHONPATH=root))
    found = re.search(r"I\s+refs:\s+([\d,]+)", out.stderr)
    if out.returncode or not found:
        raise SystemExit(f"geomap: error: valgrind run for {root} failed: {out.stderr[-800:]}")
    return int(found.group(1).replace(",", ""))


def _counts(root: str, texts_file: str, passes: int) -> tuple[float, float]:
    """(cold pass, one warm pass) instructions of one tree."""
    setup = _instructions(root, texts_file, False, 0)
    cold = _instructions(root, texts_file, True, 0) - setup
    warm = (_instructions(root, texts_file, True, passes) - setup - cold) / passes
    print(f"{root}: cold pass {cold / 1e9:.2f} G instructions, warm pass {warm / 1e9:.2f} G",
          file=sys.stderr)
    return cold, warm


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("trees", nargs="+", help="source trees (the first is the base)")
    ap.add_argument("--step", type=int, default=4, help="every n-th quick document")
    ap.add_argument("--passes", type=int, default=2, help="warm passes counted")
    ap.add_argument("--worker", help=argparse.SUPPRESS)  # the documents' JSON file
    ap.add_argument("--cold", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        _worker(args.trees[0], args.worker, args.cold, args.passes)
        return 0
    sys.path.insert(0, str(HERE.parents[1]))
    from bench.bench_geoparse import documents

    with tempfile.TemporaryDirectory() as tmp:
        texts = Path(tmp) / "documents.json"
        texts.write_text(json.dumps(documents(True)[::args.step]), encoding="utf-8")
        rows = [(root, *_counts(root, str(texts), args.passes)) for root in args.trees]
    base = rows[0]
    for root, cold, warm in rows:
        print(f"{root}\tcold {cold / 1e9:.3f} G\t(base/this {base[1] / cold:.2f}x)"
              f"\twarm {warm / 1e9:.3f} G\t(base/this {base[2] / warm:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
