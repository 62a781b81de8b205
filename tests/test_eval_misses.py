"""bench/eval_misses.py names the recogniser rule behind each missed gold toponym."""

from __future__ import annotations

from bench.eval_misses import MissAnalysis
from geomap.evaluate import Document, Gold

TEXT = ("Fargo Mayor Dennis Walaker said the river would crest on Friday. Russian troops "
        "crossed the border overnight. The finalists were Louisville, Ky., and Surprise, "
        "Ariz. A Washington-based group filed the suit in Louisville.")


def _gold(name: str, geonameid: int | None, nth: int = 0) -> Gold:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(name, start + 1)
    return Gold(start, start + len(name), name, geonameid)


def test_each_miss_is_explained_by_the_rule_that_dropped_it(gazetteer):
    gold = [_gold("Fargo", 5059163), _gold("Russian", 2017370), _gold("Ky.", 6254925),
            _gold("Washington", 4140963), _gold("Louisville", None, nth=1)]
    analysis = MissAnalysis(gazetteer)
    rows = analysis.document(Document("test", "t1", TEXT, gold))
    by_name = {r["gold"]: r for r in rows}
    assert by_name["Fargo"]["category"] == "person: title inside run"
    assert by_name["Fargo"]["detail"] == "Fargo Mayor Dennis Walaker"
    assert by_name["Fargo"]["naive_found"]
    assert by_name["Russian"]["category"] == "demonym (in lexicon)"
    assert by_name["Russian"]["gold_place"]["code"] == "PCLI"
    assert by_name["Ky."]["category"].startswith("stands_alone: no exact/alternate holder")
    assert by_name["Washington"]["category"].startswith("inside a hyphenated token")
    assert "Louisville" not in by_name  # recognised, and gold without an id has no wrong id
    assert all(r["kind"] == "FN" for r in rows)
    # the counts agree with geomap.evaluate.metrics.tally
    assert analysis.check["gold"] == 5
    assert analysis.check["fn"] == analysis.check["gold"] - analysis.check["found"] == 4
