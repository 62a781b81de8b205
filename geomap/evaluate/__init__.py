"""Score the geoparser on public geoparsing corpora, from raw text.

Corpora (Gritta et al. 2019, "A Pragmatic Guide to Geoparsing Evaluation"; GPL-3.0, read
from ``../shared/benchmarks/geoparsing`` or ``$GEOMAP_BENCHMARKS_DIR``, never copied into
the project): LGL, TR-News, GeoVirus, GeoWebNews.

Metrics
-------
recognition
    A predicted mention matches a gold toponym when their character ranges overlap.
    precision = matched predictions / predictions, recall = matched gold / gold.
resolution (gold toponyms with coordinates; errors are geodesic, WGS84)
    ``exact``: resolved GeoNames id == gold id (gold toponyms that have an id);
    ``acc161``: error <= 161 km; ``median_km``; ``auc``: area under the log-error curve
    (Gritta et al.; 0 perfect, 1 every error 20,039 km).  ``*_rec`` figures are over the
    gold toponyms the system recognised (an unresolved mention counts as 20,039 km);
    ``*_e2e`` figures are over all gold toponyms (unrecognised ones count as wrong).
``exact_far_share``
    exact-id matches whose gazetteer point lies > 161 km from the gold point (the index
    places countries and regions at their capital or largest city, GeoNames at a centroid).
coverage
    Share of gold GeoNames ids (per mention) that the gazetteer holds at all: no
    resolver can exceed it on ``exact``.

Systems, to show what each stage adds
-------------------------------------
``geomap``           geomap recogniser + geomap context resolver (the pipeline)
``rec+top``          geomap recogniser + the gazetteer's top-ranked candidate
``naive+resolver``   naive recogniser + geomap context resolver
``naive``            naive recogniser (every capitalised token run the gazetteer knows,
                     longest first) + the gazetteer's top-ranked candidate

Optional systems (``--systems``; need spaCy and an English model, see ``geoparse.ner``)
-------------------------------------------------------------------------------------
``ner+resolver``       statistical NER (spaCy GPE/LOC/FAC) + geomap context resolver
``combined+resolver``  geomap recogniser's spans plus the NER spans it missed + resolver
``vote+resolver``      as ``combined``, but the NER vetoes automaton spans it labels as
                       people, works of art, ... (unless a trigger vouches) + resolver
"""

from geomap.evaluate.corpora import (
    CORPORA,
    GWN_NOT_TOPONYMS,
    CorpusLoad,
    Document,
    Gold,
    Prediction,
    corpora_dir,
    load_corpus,
)
from geomap.evaluate.metrics import MAX_ERROR_KM, Tally, coverage, geodesic_km, metrics, tally
from geomap.evaluate.report import evaluate, format_table
from geomap.evaluate.systems import (
    ALL_SYSTEMS,
    NER_SYSTEMS,
    SYSTEMS,
    NaiveRecogniser,
    Systems,
    TopCandidate,
)

__all__ = ["ALL_SYSTEMS", "CORPORA", "GWN_NOT_TOPONYMS", "MAX_ERROR_KM", "NER_SYSTEMS", "SYSTEMS",
           "CorpusLoad", "Document", "Gold", "NaiveRecogniser", "Prediction", "Systems", "Tally",
           "TopCandidate", "corpora_dir", "coverage", "evaluate", "format_table", "geodesic_km",
           "load_corpus", "metrics", "tally"]
