"""PostGIS store: reading a table that does not exist is an error, not an empty store."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from geomap.errors import InputError
from geomap.store import EventStore
from tests.pg_cluster import pg_dsn, with_table  # noqa: F401 - pytest fixture

pytestmark = pytest.mark.postgis


def test_reading_a_missing_table_is_an_error_and_creates_nothing(pg_dsn):  # noqa: F811
    table = f"typo_{uuid.uuid4().hex[:8]}"
    with pytest.raises(InputError, match="no event store here"):
        EventStore(with_table(pg_dsn, table), create=False)
    with psycopg.connect(pg_dsn) as con:
        assert con.execute("SELECT to_regclass(%s)", [table]).fetchone()[0] is None
    with EventStore(with_table(pg_dsn, table)) as store:  # the default creates it
        assert len(store) == 0
    with EventStore(with_table(pg_dsn, table), create=False) as store:
        assert len(store) == 0
