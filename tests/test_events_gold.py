"""``geomap eval --events``: the event gold set is scored, and the rules of issue 14 hold on it."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import lru_cache

import pytest

from geomap.errors import InputError
from geomap.events.gold import evaluate_events, format_events_table, load_gold


@lru_cache(maxsize=1)
def _result():
    return evaluate_events()


def test_gold_set_has_the_shipped_article_and_40_public_headlines():
    docs = load_gold()
    by = {}
    for d in docs:
        by.setdefault(d.corpus, []).append(d)
    assert len(by["ged_headlines"]) >= 40
    assert all(d.source.startswith("UCDP GED") for d in by["ged_headlines"])
    [seed] = by["seed_article"]
    assert "Plekhovo" in seed.text and seed.published == "2024-12-16"


def test_every_phrasing_rule_comes_out_right():
    phrasings = _result()["corpora"]["phrasings"]
    for metric in ("numbers", "date", "range", "event_type", "sub_event_type", "location"):
        assert phrasings[metric]["share"] == 1.0, (metric, [m for m in _result()["misses"]
                                                             if m.startswith("p-")])


def test_seed_article_scores():
    seed = _result()["corpora"]["seed_article"]
    for metric in ("numbers", "date", "range", "event_type", "sub_event_type", "verification"):
        assert seed[metric]["share"] == 1.0, metric
    assert seed["extra_rows"] == 0
    # the gazetteer puts "Vorozhba" ~10 km from the Kursk village Воробжа and Kurilovka
    # ~5.2 km from the register's point: the score shows it rather than hiding it
    assert seed["location"]["right"] >= 3


def test_ged_headlines_floor():
    ged = _result()["corpora"]["ged_headlines"]
    assert ged["numbers"]["total"] == 3 * 48
    assert ged["numbers"]["share"] >= 0.40  # 44 % when the set was written
    assert _result()["docs_per_s"] > 0


def test_table_and_cli(tmp_path):
    table = format_events_table(_result())
    assert table.splitlines()[0].split()[:2] == ["metric", "ged_headlines"]
    assert "docs/s" in table
    run = subprocess.run([sys.executable, "-m", "geomap", "eval", "--events", "--format", "json",
                          "--limit", "3"], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert out["docs"] == 3 + 3 + 1


def test_bad_gold_file_names_file_and_line(tmp_path):
    (tmp_path / "bad.jsonl").write_text('{"id": "a", "text": "x", "events": []}\n{"id": \n',
                                        encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_gold(tmp_path)
    assert err.value.line == 2 and "bad.jsonl" in str(err.value)
    run = subprocess.run([sys.executable, "-m", "geomap", "eval", "--events", "--gold",
                          str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 2 and "line 2" in run.stderr and "Traceback" not in run.stderr
