"""``Problem``: one bad or doubtful row of an input file, with where it is (path, line, field)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Problem:
    """One bad (``severity="error"``, row dropped) or doubtful (``"warning"``, row kept) row."""

    path: str
    line: int | None
    field: str | None
    reason: str
    severity: str = "error"

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
        fld = f" [{self.field}]" if self.field else ""
        return f"{where}:{fld} {self.severity}: {self.reason}"
