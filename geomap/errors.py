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
