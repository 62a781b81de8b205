"""The text encoding of a table file: UTF-8/16/32 with or without BOM, cp1251, latin-1.

``decode_bytes`` decodes a file, detecting the encoding (``sniff_wide_encoding`` for
BOM-less UTF-16/32, a word-shape guess between cp1251 and latin-1 when it is not UTF-8)
and returns the problems met (a legacy encoding, odd non-UTF-8 lines).
"""

from __future__ import annotations

import re

from geomap.errors import InputError
from geomap.io.problems import Problem

_WORD_RE = re.compile(r"[^\W\d_]+")
_LATIN_RE = re.compile(r"[A-Za-z]")
_CYR_RE = re.compile("[\u0400-\u04ff]")


def _guess_legacy(raw: bytes) -> str:
    """cp1251 if the bytes read as Cyrillic words in it, else cp1252 (latin-1 superset).

    Every byte 0xC0–0xFF is a Cyrillic letter in cp1251, so latin-1 text decoded as
    cp1251 shows words that mix Latin and Cyrillic letters ("Kдmpfe"); real Cyrillic
    text has whole Cyrillic words.
    """
    text = raw.decode("cp1251", errors="replace")
    cyrillic = mixed = 0
    for word in _WORD_RE.findall(text):
        if _CYR_RE.search(word):
            if _LATIN_RE.search(word):
                mixed += 1
            else:
                cyrillic += 1
    return "cp1251" if cyrillic > mixed else "cp1252"


_BOMS = [  # longest first: the UTF-32-LE BOM starts with the UTF-16-LE one
    (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"),
]
ENCODING_HINT = "give the encoding with --encoding (e.g. utf-16-le, utf-32, cp1251)"


def sniff_wide_encoding(raw: bytes) -> str | None:
    """UTF-16/UTF-32 (LE/BE) of BOM-less text, from where its NUL bytes fall, else None.

    Mostly-ASCII text in UTF-16 has a NUL in every other byte, in UTF-32 three of four.
    """
    sample = raw[:65536]
    n = len(sample) - len(sample) % 4
    if n < 4 or b"\x00" not in sample:
        return None
    sample = sample[:n]
    nul = [sum(1 for b in sample[k::4] if b == 0) / (n // 4) for k in range(4)]
    if min(nul[1], nul[2], nul[3]) > 0.9 and nul[0] < 0.5:
        return "utf-32-le"
    if min(nul[0], nul[1], nul[2]) > 0.9 and nul[3] < 0.5:
        return "utf-32-be"
    odd, even = (nul[1] + nul[3]) / 2, (nul[0] + nul[2]) / 2
    if odd > 0.6 and even < 0.2:
        return "utf-16-le"
    if even > 0.6 and odd < 0.2:
        return "utf-16-be"
    return None


def _decode_as(raw: bytes, encoding: str, path: str, how: str) -> str:
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        where = f" (byte {exc.start})" if isinstance(exc, UnicodeDecodeError) else ""
        raise InputError(f"cannot decode as {how} {encoding}{where}: {exc.reason if where else exc}; "
                         f"{ENCODING_HINT}", path=path, field="encoding") from None


def decode_bytes(raw: bytes, path: str, encoding: str | None = None
                 ) -> tuple[str, str, list[Problem]]:
    """Decode a text file, detecting UTF-8 (with/without BOM), UTF-16 and UTF-32 (with or
    without BOM), cp1251 and latin-1; ``encoding`` skips the detection.

    A file that is UTF-8 except for some lines keeps those lines, decoded with the best
    legacy code page, and reports each one.  Text that still holds NUL bytes (an
    encoding not detected) is an ``InputError`` pointing at ``--encoding``.
    """
    if encoding:
        text = _decode_as(raw, encoding, path, "the given")
        return text.removeprefix("\ufeff"), encoding, []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    else:
        for bom, enc in _BOMS:
            if raw.startswith(bom):
                return _decode_as(raw, enc, path, "BOM-marked"), enc, []
        wide = sniff_wide_encoding(raw)
        if wide:
            text = _decode_as(raw, wide, path, "detected")
            return text, wide, [Problem(path, None, None, f"file has no byte-order mark; "
                                        f"detected and decoded as {wide}", "warning")]
    if b"\x00" in raw:
        line = raw[:raw.index(b"\x00")].count(b"\n") + 1
        raise InputError(f"file holds NUL bytes: not UTF-8/cp1251/latin-1 text, encoding unknown; "
                         f"{ENCODING_HINT}", path=path, line=line, field="encoding")
    try:
        return raw.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    lines = raw.split(b"\n")
    bad = []
    for i, line in enumerate(lines):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(i)
    bad_set = set(bad)
    utf8_non_ascii = sum(1 for i, line in enumerate(lines)
                         if i not in bad_set and any(b > 127 for b in line))
    legacy = _guess_legacy(b"\n".join(lines[i] for i in bad))
    if utf8_non_ascii and utf8_non_ascii >= len(bad) / 2:  # a UTF-8 file with odd lines
        out, problems = [], []
        for i, line in enumerate(lines):
            if i in bad_set:
                out.append(line.decode(legacy, errors="replace"))
                problems.append(Problem(path, i + 1, None,
                                        f"line is not valid UTF-8; decoded as {legacy} — check its text",
                                        "warning"))
            else:
                out.append(line.decode("utf-8"))
        return "\n".join(out), f"utf-8 (+{legacy} lines)", problems
    enc = _guess_legacy(raw)
    label = "cp1251 (Cyrillic)" if enc == "cp1251" else "latin-1/cp1252"
    return raw.decode(enc, errors="replace"), enc, [
        Problem(path, None, None, f"file is not UTF-8; detected and decoded as {label}", "warning")
    ]
