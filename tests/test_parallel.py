"""parallel.map_documents: forked workers never share the parent's SQLite connection (#11)."""

from __future__ import annotations

import os

import geomap.geoparse
from geomap.gazetteer import Gazetteer
from geomap.parallel import map_documents
from geomap.places import locate


def _gazetteer_owner(name: str) -> tuple[int, int, str]:
    """(worker pid, pid that opened the default gazetteer's connection, its best match)."""
    gz = Gazetteer.default()
    return os.getpid(), gz.pid, gz.search(name, limit=1)[0].place.name


def _locate_owner(name: str) -> tuple[int, int, str]:
    """The same, for the gazetteer ``locate`` resolves with (the geoparser's)."""
    res = locate(name)
    return os.getpid(), geomap.geoparse._parser(None).gazetteer.pid, res.place.name


def test_a_worker_opens_its_own_default_gazetteer(gazetteer):
    parent = Gazetteer.default()
    assert parent.pid == os.getpid()
    names = ["Sudzha", "Kharkiv", "Sumy", "Kursk"]
    out = map_documents(_gazetteer_owner, names, jobs=2)
    assert [o[2] for o in out] == names  # the workers answered from their own index
    assert all(pid != os.getpid() for pid, _, _ in out)
    assert all(owner == pid for pid, owner, _ in out)
    assert Gazetteer.default() is parent  # the parent keeps its own


def test_a_worker_locating_names_opens_its_own_connection(gazetteer):
    assert locate("Sudzha").resolved  # the parent's geoparser now holds a connection
    assert geomap.geoparse._parser(None).gazetteer.pid == os.getpid()
    out = map_documents(_locate_owner, ["Sudzha", "Kharkiv", "Sumy", "Kursk"], jobs=2)
    assert [o[2] for o in out] == ["Sudzha", "Kharkiv", "Sumy", "Kursk"]
    assert all(pid != os.getpid() and owner == pid for pid, owner, _ in out)
