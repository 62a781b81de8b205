"""Run the systems over the corpora (``evaluate``) and print the table (``format_table``)."""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
import time
from collections import Counter
from pathlib import Path

from geomap.errors import InputError
from geomap.evaluate.corpora import CORPORA, Document, load_corpus
from geomap.evaluate.metrics import Tally, coverage, metrics, tally
from geomap.evaluate.systems import ALL_SYSTEMS, SYSTEMS, Systems, _init_worker, _run_worker
from geomap.gazetteer import Gazetteer


def _progress(iterable, total: int, desc: str):
    if sys.stderr.isatty():
        from tqdm import tqdm  # only with a terminal

        return tqdm(iterable, total=total, desc=desc, leave=False)
    return iterable


def evaluate(corpora: list[str] | None = None, limit: int | None = None,
             directory: str | Path | None = None, systems=SYSTEMS, jobs: int = 1,
             gazetteer=None) -> dict:
    """Run the systems over the corpora and score them.

    Parameters
    ----------
    corpora : corpus keys (default all of ``CORPORA``).
    limit : only the first ``limit`` articles of each corpus.
    directory : where the corpus files are (default ``corpora_dir()``).
    systems : which of ``SYSTEMS`` to run.
    jobs : worker processes (0 = all cores); each builds its own geoparser.

    Returns
    -------
    dict with ``corpora`` (per corpus: documents, toponyms, coverage, per-system metrics),
    ``overall`` (all corpora pooled, micro-averaged) and ``seconds``.
    """
    corpora = list(corpora or CORPORA)
    unknown = [s for s in systems if s not in ALL_SYSTEMS]
    if unknown:
        raise InputError(f"unknown system(s) {', '.join(unknown)}; choose from "
                         f"{', '.join(ALL_SYSTEMS)}", field="systems")
    gazetteer = gazetteer or Gazetteer.default()
    jobs = jobs or os.cpu_count() or 1
    started = time.perf_counter()
    result = {"corpora": {}, "overall": {}, "systems": list(systems)}
    pooled: dict[str, Tally] = {s: Tally() for s in systems}
    all_docs: list[Document] = []
    local = Systems(gazetteer, systems) if jobs == 1 else None
    pool = None
    if jobs > 1:
        pool = mp.get_context("fork" if sys.platform != "win32" else "spawn").Pool(
            jobs, initializer=_init_worker, initargs=(tuple(systems),))
    try:
        for name in corpora:
            load = load_corpus(name, directory, limit)
            docs = load.documents
            all_docs += docs
            t0 = time.perf_counter()
            before = Counter(local.seconds) if local is not None else None
            texts = [d.text for d in docs]
            if pool is not None:
                outputs = pool.imap(_run_worker, texts, chunksize=4)
            else:
                outputs = map(local.run, texts)
            tallies = {s: Tally() for s in systems}
            for doc, preds in _progress(zip(docs, outputs, strict=True), len(docs), name):
                for s in systems:
                    tallies[s] += tally(doc, preds[s])
            for s in systems:
                pooled[s] += tallies[s]
            result["corpora"][name] = {
                "documents": len(docs), "toponyms": sum(len(d.gold) for d in docs),
                "realigned_offsets": load.realigned, "dropped_toponyms": load.dropped,
                "coverage": coverage(docs, gazetteer),
                "seconds": round(time.perf_counter() - t0, 2),
                "systems": {s: metrics(tallies[s]) for s in systems},
            }
            if local is not None:  # per-stage time and recogniser speed (1 job only)
                spent = {k: v - before[k] for k, v in local.seconds.items()}
                result["corpora"][name]["stage_seconds"] = {k: round(v, 3)
                                                            for k, v in spent.items()}
                result["corpora"][name]["recognise_docs_per_s"] = _docs_per_s(spent, len(docs))
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    result["overall"] = {
        "documents": len(all_docs), "toponyms": sum(len(d.gold) for d in all_docs),
        "coverage": coverage(all_docs, gazetteer),
        "systems": {s: metrics(pooled[s]) for s in systems},
    }
    result["seconds"] = round(time.perf_counter() - started, 2)
    if local is not None:
        result["stage_seconds"] = {k: round(v, 2) for k, v in local.seconds.items()}
        result["overall"]["recognise_docs_per_s"] = _docs_per_s(local.seconds, len(all_docs))
    result["jobs"] = jobs
    return result


def _docs_per_s(seconds, documents: int) -> dict[str, float]:
    """Documents per second of each recogniser ("<name> recognise" stages)."""
    return {k.removesuffix(" recognise"): round(documents / v, 1)
            for k, v in seconds.items() if k.endswith(" recognise") and v > 0}


_COLUMNS = [("precision", "P"), ("recall", "R"), ("f1", "F1"), ("exact_rec", "exact|rec"),
            ("exact_e2e", "exact|e2e"), ("acc161_rec", "@161|rec"), ("acc161_e2e", "@161|e2e"),
            ("median_km", "median km"), ("auc", "AUC"), ("exact_far_share", "exact>161km")]


def format_table(result: dict) -> str:
    """Plain-text table: one row per corpus and system, then the pooled figures."""
    head = ["corpus", "docs", "toponyms", "cover", "system"] + [h for _, h in _COLUMNS]
    rows = []
    blocks = [(name, c) for name, c in result["corpora"].items()]
    if len(blocks) > 1:
        blocks.append(("overall", result["overall"]))
    for name, c in blocks:
        cov = c["coverage"]["mentions"]
        for s, m in c["systems"].items():
            row = [name, str(c["documents"]), str(c["toponyms"]),
                   "-" if cov is None else f"{cov:.1%}", s]
            for key, _ in _COLUMNS:
                v = m.get(key)
                if v is None:
                    row.append("-")
                elif key == "median_km":
                    row.append(f"{v:.1f}")
                elif key == "auc":
                    row.append(f"{v:.3f}")
                else:
                    row.append(f"{v:.1%}")
            rows.append(row)
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(h.ljust(w) if i < 5 else h.rjust(w) for i, (h, w) in
                       enumerate(zip(head, widths, strict=True)))]
    lines.append("  ".join("-" * w for w in widths))
    last = None
    for r in rows:
        if last is not None and r[0] != last:
            lines.append("")
        last = r[0]
        lines.append("  ".join(v.ljust(w) if i < 5 else v.rjust(w) for i, (v, w) in
                               enumerate(zip(r, widths, strict=True))))
    lines.append("")
    lines.append("P/R/F1: recognition (overlapping spans). exact: resolved GeoNames id == gold "
                 "id. @161: error <= 161 km. |rec: over gold toponyms the system recognised; "
                 "|e2e: over all gold toponyms. cover: gold ids the gazetteer holds. "
                 "exact>161km: exact-id matches whose gazetteer point is > 161 km from the gold "
                 "point (countries/regions at their capital or largest city). "
                 f"{result['seconds']:.0f} s, {result['jobs']} job(s).")
    for name, c in blocks:
        speed = c.get("recognise_docs_per_s")
        if speed:
            lines.append(f"recognition speed, {name}: " + ", ".join(
                f"{k} {v:,.0f} docs/s" for k, v in speed.items()))
    return "\n".join(lines)
