"""geomap.evaluate: corpus reading, span/coordinate scoring and the naive baselines."""

from __future__ import annotations

import json
import os

import pytest

from geomap.errors import GeomapError, InputError
from geomap.evaluate import (
    MAX_ERROR_KM,
    Document,
    Gold,
    NaiveRecogniser,
    Prediction,
    Tally,
    corpora_dir,
    load_corpus,
    metrics,
    tally,
)

# Users' clones have no ../shared; CI always has it, so there these tests never skip.
needs_corpora = pytest.mark.skipif(
    not (corpora_dir() / "GeoVirus.xml").exists() and not os.environ.get("CI"),
    reason="geoparsing corpora not in ../shared/benchmarks")

TEXT = "Clashes in Paris and Lyon; officials in Dijon said more."
PARIS = Gold(11, 16, "Paris", 2988507, 48.85341, 2.3488)
LYON = Gold(21, 25, "Lyon", 2996944, 45.74846, 4.84671)
DIJON = Gold(40, 45, "Dijon", 3021372, 47.31667, 5.01667)


def test_scoring_overlap_exact_and_errors():
    doc = Document("t", "1", TEXT, [PARIS, LYON, DIJON])
    preds = [
        Prediction(11, 16, "Paris", True, 2988507, 48.85341, 2.3488),  # right
        Prediction(21, 25, "Lyon", True, 4707414, 33.08, -96.57),  # a wrong, far-away point
        Prediction(0, 7, "Clashes", True, 1, 0.0, 0.0),  # not a toponym
        Prediction(42, 47, "jon s", False),  # overlaps Dijon, unresolved
    ]
    t = tally(doc, preds)
    m = metrics(t)
    assert (t.predicted, t.predicted_matched, t.gold, t.gold_found) == (4, 3, 3, 3)
    assert m["precision"] == pytest.approx(0.75) and m["recall"] == 1.0
    assert m["exact_rec"] == pytest.approx(1 / 3) and m["exact_e2e"] == pytest.approx(1 / 3)
    assert t.errors[0] == pytest.approx(0.0, abs=1e-6)
    assert 7500 < t.errors[1] < 8500  # Lyon → north Texas
    assert t.errors[2] == MAX_ERROR_KM  # recognised but unresolved
    assert m["acc161_rec"] == pytest.approx(1 / 3)
    assert m["median_km"] == pytest.approx(t.errors[1])


def test_unrecognised_gold_counts_only_end_to_end():
    doc = Document("t", "1", TEXT, [PARIS, LYON])
    t = tally(doc, [Prediction(11, 16, "Paris", True, 2988507, 48.85341, 2.3488)])
    m = metrics(t)
    assert m["recall"] == 0.5 and m["precision"] == 1.0
    assert m["exact_rec"] == 1.0 and m["exact_e2e"] == 0.5
    assert m["acc161_rec"] == 1.0 and m["acc161_e2e"] == 0.5
    pooled = metrics(t + t)
    assert pooled["gold"] == 4 and pooled["recall"] == 0.5


def test_exact_id_at_a_far_point_is_counted():
    country = Gold(0, 6, "Turkey", 298795, 39.0, 35.0)
    doc = Document("t", "1", "Turkey said so.", [country])
    ankara = Prediction(0, 6, "Turkey", True, 298795, 39.91987, 32.85427)  # at the capital
    m = metrics(tally(doc, [ankara]))
    assert m["exact_rec"] == 1.0 and m["acc161_rec"] == 0.0 and m["exact_far_share"] == 1.0


def test_no_predictions_is_zero_not_an_error():
    m = metrics(tally(Document("t", "1", TEXT, [PARIS]), []))
    assert m["precision"] is None and m["recall"] == 0.0 and m["f1"] == 0.0
    assert m["median_km"] is None and m["exact_e2e"] == 0.0
    assert metrics(Tally())["recall"] is None


def test_naive_recogniser_finds_known_capitalised_runs(gazetteer):
    spans = NaiveRecogniser(gazetteer).find("Shelling hit Kharkiv and New York's port.")
    texts = [s.text for s in spans]
    assert "Kharkiv" in texts and "New York" in texts
    assert all(s.end > s.start and s.text[0].isupper() for s in spans)
    assert "Shelling" not in texts or gazetteer.lookup_keys("Shelling")


def test_unknown_corpus_and_missing_dir(tmp_path):
    with pytest.raises(InputError, match="unknown corpus"):
        load_corpus("conll")
    with pytest.raises(GeomapError, match="corpus file not found"):
        load_corpus("lgl", directory=tmp_path)


def test_malformed_corpus_names_file_and_line(tmp_path):
    (tmp_path / "lgl.xml").write_text("<articles>\n<article>\n<text>x</text>\n</articles>\n")
    with pytest.raises(InputError) as err:
        load_corpus("lgl", directory=tmp_path)
    assert err.value.path.endswith("lgl.xml") and err.value.line == 4


@needs_corpora
def test_geovirus_offsets_are_realigned():
    load = load_corpus("geovirus", limit=40)
    gold = [g for d in load.documents for g in d.gold]
    assert gold and load.realigned == len(gold) and load.dropped == 0
    for d in load.documents:
        for g in d.gold:
            assert d.text[g.start:g.end] == g.text


@needs_corpora
def test_gwn_keeps_only_toponym_types():
    load = load_corpus("gwn")
    types = {g.type for d in load.documents for g in d.gold}
    assert "Non_Lit_Expression" not in types and "Non_Toponym" not in types
    assert {"Literal", "Metonymic", "Demonym"} <= types
    assert 2700 <= sum(len(d.gold) for d in load.documents) <= 2720


@needs_corpora
def test_cli_eval_json_on_a_small_slice(capsys):
    from geomap.cli import main

    assert main(["eval", "--corpus", "lgl", "--limit", "3", "--systems", "geomap,naive",
                 "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    lgl = out["corpora"]["lgl"]
    assert lgl["documents"] == 3 and set(lgl["systems"]) == {"geomap", "naive"}
    assert 0 <= lgl["systems"]["geomap"]["recall"] <= 1
    assert 0 < lgl["coverage"]["mentions"] <= 1
