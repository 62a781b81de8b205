"""The index's name keys in memory: a key → (record, kind) table loaded once per connection.

The ``names`` table answers one key lookup in a B-tree, but a geoparser asks about every
capitalised phrase of every article (≈ 24 lookups per article, most of them for names no
record has). Asked through SQLite, each costs a statement; this table answers the same
question from memory:

- a ``marisa_trie.Trie`` of the distinct keys (6 MB for 1.45 M keys), whose id for a key
  indexes
- ``offsets`` into ``entries``, one ``rid * 4 + kind`` per ``names`` row, each key's rows
  in the order SQLite's ``names_key`` index yields them (kind, then insertion).

It is written into the index file (table ``key_table``) by the build and by every import,
in the same transaction as the names it mirrors, and read with three blob reads.
Each part carries its CRC-32: SQLite's integrity check does not read blob contents, and a
damaged part must be an error (the index is rebuilt), not a wrong answer or a crash.
"""

from __future__ import annotations

import sqlite3
import zlib

import numpy as np

_PARTS = ("trie", "offsets", "entries")


def write_key_table(con: sqlite3.Connection) -> None:
    """Compile the ``names`` table into ``key_table`` (in the caller's transaction)."""
    import marisa_trie

    keys, kinds, places, rowids = [], [], [], []
    for key, kind, place, rowid in con.execute("SELECT key, kind, place, rowid FROM names"):
        keys.append(key)
        kinds.append(kind)
        places.append(place)
        rowids.append(rowid)
    trie = marisa_trie.Trie(set(keys))
    ids = np.fromiter(map(trie.__getitem__, keys), dtype=np.int64, count=len(keys))
    kind_arr = np.asarray(kinds, dtype=np.int64)
    order = np.lexsort((np.asarray(rowids, dtype=np.int64), kind_arr, ids))
    entries = (np.asarray(places, dtype=np.int64) * 4 + kind_arr)[order].astype(np.uint32)
    offsets = np.zeros(len(trie) + 1, dtype=np.uint32)
    np.cumsum(np.bincount(ids, minlength=len(trie)), out=offsets[1:])
    parts = {"trie": trie.tobytes(), "offsets": offsets.tobytes(), "entries": entries.tobytes()}
    con.execute("CREATE TABLE IF NOT EXISTS key_table (part TEXT PRIMARY KEY, data BLOB, "
                "crc INTEGER)")
    con.executemany("INSERT OR REPLACE INTO key_table VALUES (?, ?, ?)",
                    [(part, data, zlib.crc32(data)) for part, data in parts.items()])


class KeyTable:
    """Read-only key → [(rid, kind), ...] lookups over one index's ``key_table``."""

    def __init__(self, con: sqlite3.Connection):
        import marisa_trie

        parts = {}
        for part, data, crc in con.execute("SELECT part, data, crc FROM key_table"):
            if zlib.crc32(data) != crc:
                raise sqlite3.DatabaseError(f"key_table part {part!r} fails its CRC-32")
            parts[part] = data
        missing = [p for p in _PARTS if p not in parts]
        if missing:
            raise sqlite3.DatabaseError(f"key_table lacks {', '.join(missing)}")
        self._trie = marisa_trie.Trie()
        self._trie.frombytes(parts["trie"])
        self._offsets = np.frombuffer(parts["offsets"], dtype=np.uint32)
        self._entries = np.frombuffer(parts["entries"], dtype=np.uint32)
        if len(self._offsets) != len(self._trie) + 1 \
                or int(self._offsets[-1]) != len(self._entries):
            raise sqlite3.DatabaseError("key_table parts do not fit together")
        self._kinds: bytes | None = None  # per key, a bit per kind it has rows of

    def __contains__(self, key: str) -> bool:
        return key in self._trie

    def kinds(self, key: str) -> int:
        """The kinds this key has rows of, as bits (``1 << kind``); 0 if it has none."""
        i = self._trie.get(key)
        if i is None:
            return 0
        if self._kinds is None:  # every key has a row: no range of offsets is empty
            bits = np.left_shift(1, self._entries & 3).astype(np.uint8)
            self._kinds = np.bitwise_or.reduceat(bits, self._offsets[:-1].astype(np.int64)).tobytes()
        return self._kinds[i]

    def rows(self, key: str) -> list[tuple[int, int]]:
        """(rid, kind) of every ``names`` row of this key, in index order."""
        i = self._trie.get(key)
        if i is None:
            return []
        packed = self._entries[self._offsets[i]:self._offsets[i + 1]].tolist()
        return [(e >> 2, e & 3) for e in packed]
