"""``geomap eval``: score the geoparser on the public geoparsing corpora."""

from __future__ import annotations

import json

from geomap.cli.argtypes import non_negative_int, positive_int
from geomap.errors import InputError

_CORPORA = ("lgl", "trnews", "geovirus", "gwn")
_SYSTEMS = ("geomap", "rec+top", "naive+resolver", "naive",
            "ner+resolver", "combined+resolver", "vote+resolver")
_DEFAULT_SYSTEMS = _SYSTEMS[:4]


def register(sub) -> None:
    parser = sub.add_parser(
        "eval", help="score geoparsing on LGL, TR-News, GeoVirus and GeoWebNews",
        description="Geoparse the raw text of public benchmark corpora and score "
        "recognition (precision/recall/F1 on overlapping spans) and resolution (exact "
        "GeoNames id, accuracy within 161 km, median error, AUC), per corpus and pooled, "
        "for the geomap pipeline and naive baselines (see geomap/evaluate/).")
    parser.add_argument("--corpus", default=",".join(_CORPORA),
                        help=f"comma-separated corpora (default: all of {','.join(_CORPORA)})")
    parser.add_argument("--limit", type=positive_int, help="only the first N articles of each corpus")
    parser.add_argument("--systems", default=",".join(_DEFAULT_SYSTEMS),
                        help="comma-separated systems to run (default: the first four): geomap = "
                        "recogniser+resolver, rec+top = recogniser + top gazetteer candidate, "
                        "naive+resolver, naive = capitalised runs the gazetteer knows + top "
                        "candidate; ner+resolver, combined+resolver, vote+resolver use a spaCy "
                        "NER (pip install -e '.[ner]')")
    parser.add_argument("--corpora-dir",
                        help="directory with lgl.xml, TR-News.xml, GeoVirus.xml, GWN.xml "
                        "(default $GEOMAP_BENCHMARKS_DIR or ../shared/benchmarks/geoparsing)")
    parser.add_argument("--jobs", type=non_negative_int, default=1,
                        help="worker processes (0 = all cores; default 1)")
    parser.add_argument("--format", choices=("table", "json"), default="table",
                        help="a table of scores per corpus and system (default) or JSON")
    parser.add_argument("--events", action="store_true",
                        help="score event extraction on the event gold set instead (numbers per "
                        "field, exact date, type and sub-type, location within 5 km; see "
                        "geomap/events/gold.py)")
    parser.add_argument("--gold", help="directory of *.jsonl event gold files (with --events; "
                        "default tests/fixtures/events_gold)")
    parser.add_argument("--misses", action="store_true",
                        help="with --events: also list every wrong fact")
    parser.set_defaults(handler=_eval)


def _split(value: str, allowed: tuple[str, ...], field: str) -> list[str]:
    items = [v.strip().lower() for v in value.split(",") if v.strip()]
    bad = [v for v in items if v not in allowed]
    if bad or not items:
        raise InputError(f"unknown value(s) {', '.join(bad) or repr(value)}; choose from "
                         f"{', '.join(allowed)}", field=field)
    return list(dict.fromkeys(items))


def _eval_events(args) -> int:
    from geomap.events.gold import evaluate_events, format_events_table

    result = evaluate_events(args.gold, limit=args.limit)
    if args.format == "json":
        print(json.dumps(result, indent=2))
        return 0
    print(format_events_table(result))
    if args.misses:
        print("\nwrong facts:")
        for line in result["misses"]:
            print(f"  {line}")
    return 0


def _eval(args) -> int:
    from geomap.evaluate import evaluate, format_table

    if args.limit is not None and args.limit < 1:
        raise InputError("--limit must be at least 1", field="limit")
    if args.events:
        return _eval_events(args)
    if args.jobs < 0:
        raise InputError("--jobs must be >= 0", field="jobs")
    result = evaluate(_split(args.corpus, _CORPORA, "corpus"), limit=args.limit,
                      directory=args.corpora_dir,
                      systems=_split(args.systems, _SYSTEMS, "systems"), jobs=args.jobs)
    if args.format == "json":
        print(json.dumps(result, indent=2))
    else:
        print(format_table(result))
    return 0
