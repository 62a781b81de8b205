"""Record tables → events: ACLED and UCDP GED exports, geomap tables, GeoJSON, GeoPackage, KML.

``read_records(path)`` auto-detects the layout, maps it onto ``EVENT_COLUMNS``, validates
every row and returns the good rows as a GeoDataFrame plus a list of ``Problem`` for the
bad ones (each with its line number and reason).  Nothing is dropped silently.

Layouts
-------
``ucdp``
    UCDP GED (``id``, ``where_coordinates``, ``date_start``, ``side_a``, ...).  Mapping:
    ``id``→``event_id`` ("ucdp:<id>"), ``relid``→``report_id``, ``where_coordinates``→
    ``location``, ``adm_1``/``adm_2``→``admin1``/``admin2``, ``date_start``/``date_end``→
    ``event_date``/``end_date``, ``date_prec``→``date_precision`` (GED 1 day; 2–3 within a
    week/range→2; 4–5 month/year→3), ``side_a``/``side_b``→``actor1``/``actor2``,
    ``type_of_violence``→``event_type`` (1 state-based, 2 non-state→"Battles"; 3
    one-sided→"Violence against civilians"), ``low``/``best``/``high``→``fatalities_*``,
    ``source_article``→``source``, ``source_headline``→``notes``.
    ``where_prec``→``geo_precision`` (GED 1–7 to ACLED 1–3, see ``GED_TO_ACLED_PRECISION``):
    1 exact place→1; 2 within ~25 km of a known place→2; 3 second-order unit (raion)→2;
    4 first-order unit (oblast)→3; 5 a larger area/line ("Donets Basin Area")→3;
    6 only the country→3; 7 international waters/airspace→3.
``acled``
    ACLED export (``event_id_cnty``, ``event_date``, ``actor1``, ...): ``event_id_cnty``→
    ``event_id`` ("acled:<id>"), ``time_precision``→``date_precision``, ``fatalities``→
    ``fatalities_best``; the other columns keep their names.
``geomap``
    A table geomap wrote (the ``EVENT_COLUMNS`` names).
``generic``
    Any other table whose columns can be guessed (``lat``/``lon``, ``date``, ``village``,
    ``oblast``...) or are given with ``columns={"location": "village", ...}``.

Rows without coordinates but with a location are geocoded with
``geomap.records.geocode.RowGeocoder`` (the row's own admin1/admin2/country as context).
``Problem.line`` is the physical line in a CSV (header = line 1), the sheet row in an
XLSX and the 1-based feature number in GeoJSON/GeoPackage.

Modules: ``read`` (``read_records``: read → map → validate → geocode), ``layouts`` (one
class per layout, reading and ``export --layout``), ``validate`` (cell types, points,
ids, the problem list), ``join`` (text events linked to records).
"""

from __future__ import annotations

from geomap.records.join import distinct_events, join_events
from geomap.records.read import RecordsResult, read_records
from geomap.records.validate import Problem

__all__ = ["Problem", "RecordsResult", "distinct_events", "join_events", "read_records"]
