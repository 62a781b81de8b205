"""Run a per-document function over many documents on all cores, with a progress bar."""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from geomap.gazetteer import Gazetteer

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


def _progress(iterable: Iterable, total: int, desc: str, show: bool | None):
    show = sys.stderr.isatty() if show is None else show
    if not show or total < 2:
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=desc, unit="doc", file=sys.stderr)


def fresh_process() -> None:
    """Pool initializer: a forked child never uses the parent's SQLite connections.

    Drops the shared default gazetteer and, when the geoparser is loaded (``places.locate``
    and ``geoparse`` keep one), its cached parser: each is re-opened on first use in the
    child. ``geomap.geoparse`` imports this module, so it is looked up, not imported.
    """
    Gazetteer._default = None
    geoparse = sys.modules.get("geomap.geoparse")
    if geoparse is not None:
        geoparse.fresh_worker()


def map_documents(func: Callable[[T], R], items: Sequence[T], jobs: int | None = 1,
                  desc: str = "documents", progress: bool | None = None,
                  initializer: Callable[[], None] = fresh_process) -> list[R]:
    """``[func(x) for x in items]`` in input order, on ``jobs`` processes (0/None: all cores).

    Each worker opens its own gazetteer connection (the default ``initializer``,
    :func:`fresh_process`, drops the parent's); results come back in input order and the bar advances
    as documents finish.
    """
    jobs = default_jobs() if not jobs else jobs
    if jobs == 1 or len(items) < 2:
        return [func(x) for x in _progress(items, len(items), desc, progress)]
    context = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    chunk = max(1, min(8, len(items) // (jobs * 8) or 1))
    with context.Pool(jobs, initializer=initializer) as pool:
        results = pool.imap(func, items, chunksize=chunk)
        return list(_progress(results, len(items), desc, progress))
