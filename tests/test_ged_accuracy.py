"""Geocoding real UCDP GED rows by name + region lands near GED's own coordinates."""

from pathlib import Path

from bench.ged_accuracy import main as score_ged

EXCERPT = Path(__file__).resolve().parents[1] / "data" / "events" / "ucdp_ged_ukraine_excerpt.csv"


def test_ged_excerpt_within_25km(gazetteer, capsys):
    figures = score_ged(EXCERPT)
    assert figures["rows_where_prec_le_2"] > 100
    assert figures["within_25km"] >= 0.85
    assert figures["median_km"] < 10
    assert 0 < figures["share_at_hromada_precision"] < 0.5
