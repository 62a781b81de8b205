"""bench/eval_misses.py names the recogniser rule behind each missed gold toponym."""

from __future__ import annotations

from bench.eval_misses import MissAnalysis
from geomap.evaluate import Document, Gold

TEXT = ("Fargo Mayor Dennis Walaker said the river would crest on Friday. Russian troops "
        "crossed the border overnight. The finalists were Louisville, Ky., and Surprise, "
        "Ariz. A Washington-based group filed the suit in Louisville. The St. Louis "
        "Cardinals won.")


def _gold(name: str, geonameid: int | None, nth: int = 0) -> Gold:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(name, start + 1)
    return Gold(start, start + len(name), name, geonameid)


def test_each_miss_is_explained_by_the_rule_that_dropped_it(gazetteer):
    gold = [_gold("Fargo", 5059163), _gold("Russian", 2017370), _gold("Ky.", 6254925),
            _gold("Washington", 4140963), _gold("Louisville", None, nth=1),
            _gold("St. Louis", 4407066)]
    analysis = MissAnalysis(gazetteer)
    rows = analysis.document(Document("test", "t1", TEXT, gold))
    by_name = {r["gold"]: r for r in rows}
    # the misses this analysis found first are fixed: a title ends a run's place part,
    # demonyms name their country (as context), AP state abbreviations are read
    assert not {"Fargo", "Russian", "Ky."} & set(by_name)
    assert by_name["Washington"]["category"].startswith("inside a hyphenated token")
    assert by_name["St. Louis"]["category"].startswith("phrase never judged")
    assert "Louisville" not in by_name  # recognised, and gold without an id has no wrong id
    assert all(r["kind"] == "FN" for r in rows)
    # the counts agree with geomap.evaluate.metrics.tally
    assert analysis.check["gold"] == 6 and analysis.check["exact"] == 3
    assert analysis.check["fn"] == analysis.check["gold"] - analysis.check["found"] == 2
