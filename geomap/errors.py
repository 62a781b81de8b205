"""Errors geomap reports to users: each names the file, line and field at fault."""

from __future__ import annotations


class GeomapError(Exception):
    """Base class: the CLI prints these as one clear message, never a traceback."""


class InputError(GeomapError):
    """Bad user input: names the file, the line (1-based) and the field when known."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 field: str | None = None):
        self.path, self.line, self.field = path, line, field
        where = ""
        if path:
            where = f"{path}"
            if line is not None:
                where += f", line {line}"
            if field:
                where += f", field {field!r}"
            where += ": "
        super().__init__(where + message)



_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def printable(text: object, limit: int = 2000) -> str:
    """``text`` safe to show on a terminal: control, format and separator characters
    (ESC sequences, NUL, newlines, bidi overrides, zero-width marks, lone surrogates)
    escaped as ``\\xNN``/``\\uNNNN``, and cut to ``limit`` characters."""
    import unicodedata

    s = str(text)
    out = []
    for ch in s[:limit]:
        if unicodedata.category(ch) in _ESCAPED_CATEGORIES:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else
                       f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(ch)
    if len(s) > limit:
        out.append(f"… ({len(s) - limit} more characters)")
    return "".join(out)
