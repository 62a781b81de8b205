"""The metadata sidecar of an article: ``story.json`` next to ``story.txt``.

``read_sidecar`` validates it (a JSON object; ``published``/``url``/``outlet``/``title``
strings; ``published`` a date) and names the file, line and field of anything wrong, so
every command that reads articles reports a bad sidecar the same way.
"""

from __future__ import annotations

import json
from pathlib import Path

from geomap.errors import InputError
from geomap.events.dates import as_date

SIDECAR_KEYS = ("published", "url", "outlet", "title")


def read_sidecar(article: str | Path) -> dict:
    """The validated sidecar of ``article`` (``{}`` when there is none)."""
    meta_path = Path(article).with_suffix(".json")
    if not meta_path.is_file():
        return {}
    try:
        raw = meta_path.read_text("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", path=str(meta_path)) from None
    try:
        meta = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", path=str(meta_path), line=exc.lineno) from None
    except RecursionError:
        raise InputError("invalid JSON: nested too deeply", path=str(meta_path)) from None
    if not isinstance(meta, dict):
        raise InputError("expected a JSON object with published/url/outlet/title",
                         path=str(meta_path), line=1)
    for key in SIDECAR_KEYS:
        if key in meta and meta[key] is not None and not isinstance(meta[key], str):
            raise InputError(f"expected a string, got {type(meta[key]).__name__}",
                             path=str(meta_path), line=_line_of(raw, f'"{key}"'), field=key)
    if meta.get("published"):

        try:
            meta["published"] = as_date(meta["published"]).isoformat()
        except (ValueError, TypeError, OverflowError):
            raise InputError(f"not a date (expected YYYY-MM-DD): {meta['published']!r}",
                             path=str(meta_path), line=_line_of(raw, '"published"'),
                             field="published") from None
    return meta


def _line_of(text: str, needle: str) -> int | None:
    for i, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return i
    return None
