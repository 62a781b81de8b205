"""Public geoparsing corpora (LGL, TR-News, GeoVirus, GeoWebNews) → documents with gold toponyms.

Read from ``../shared/benchmarks/geoparsing`` or ``$GEOMAP_BENCHMARKS_DIR`` (GPL-3.0,
Gritta et al. 2019), never copied into the project.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from geomap.errors import GeomapError, InputError
from geomap.paths import PROJECT_ROOT

CORPORA = {"lgl": "lgl.xml", "trnews": "TR-News.xml", "geovirus": "GeoVirus.xml",
           "gwn": "GWN.xml"}
# GeoWebNews annotates more than toponyms; these types are not toponyms (expressions
# around a toponym, and explicit non-toponyms).  The remaining 11 types (literal and
# associative toponyms, incl. demonyms and metonymy) are the 2,720 gold toponyms.
GWN_NOT_TOPONYMS = {"Literal_Expression", "Non_Lit_Expression", "Non_Toponym"}
_ALIGN_WINDOW = 30  # chars: some corpora have shifted offsets (GeoVirus by one)


@dataclass
class Gold:
    """One gold toponym."""

    start: int
    end: int
    text: str
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    type: str = ""  # GeoWebNews toponym type


@dataclass
class Document:
    corpus: str
    doc_id: str
    text: str
    gold: list[Gold]


@dataclass
class Prediction:
    """A predicted mention, resolved or not."""

    start: int
    end: int
    text: str
    resolved: bool = False
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass
class CorpusLoad:
    documents: list[Document]
    realigned: int = 0  # gold offsets fixed by searching the name near the given offset
    dropped: int = 0  # gold toponyms whose name is not near the given offset


def corpora_dir() -> Path:
    """Where the benchmark corpora live (``$GEOMAP_BENCHMARKS_DIR`` overrides)."""
    env = os.environ.get("GEOMAP_BENCHMARKS_DIR")
    return Path(env) if env else PROJECT_ROOT.parent / "shared" / "benchmarks" / "geoparsing"


def _num(value: str | None, path: str, field_name: str, cast=float):
    value = (value or "").strip()
    if not value:
        return None
    try:
        return cast(value)
    except ValueError:
        raise InputError(f"not a number: {value!r}", path=path, field=field_name) from None


def _gold_lgl(t: ET.Element, path: str) -> tuple[str, Gold]:
    gaz = t.find("gaztag")
    g = Gold(int(t.findtext("start")), int(t.findtext("end")), t.findtext("phrase") or "")
    if gaz is not None:
        g.geonameid = _num(gaz.get("geonameid"), path, "gaztag/@geonameid", int)
        g.lat = _num(gaz.findtext("lat"), path, "gaztag/lat")
        g.lon = _num(gaz.findtext("lon"), path, "gaztag/lon")
    return "", g


def _gold_geovirus(t: ET.Element, path: str) -> tuple[str, Gold]:
    return "", Gold(int(t.findtext("start")), int(t.findtext("end")), t.findtext("name") or "",
                    lat=_num(t.findtext("lat"), path, "lat"),
                    lon=_num(t.findtext("lon"), path, "lon"))


def _gold_gwn(t: ET.Element, path: str) -> tuple[str, Gold]:
    kind = (t.findtext("type") or "").strip()
    return kind, Gold(int(t.findtext("start")), int(t.findtext("end")),
                      t.findtext("extractedName") or "",
                      geonameid=_num(t.findtext("geonamesID"), path, "geonamesID", int),
                      lat=_num(t.findtext("latitude"), path, "latitude"),
                      lon=_num(t.findtext("longitude"), path, "longitude"), type=kind)


def _align(text: str, g: Gold) -> int | None:
    """Offset shift that puts ``g.text`` at its annotated place (0 when it already is)."""
    n = len(g.text)
    for d in sorted(range(-_ALIGN_WINDOW, _ALIGN_WINDOW + 1), key=abs):
        s = g.start + d
        if 0 <= s and text[s:s + n] == g.text:
            return d
    return None


def load_corpus(name: str, directory: str | Path | None = None,
                limit: int | None = None) -> CorpusLoad:
    """Read one corpus (``lgl``, ``trnews``, ``geovirus``, ``gwn``) into documents.

    Gold offsets that do not point at the gold name (GeoVirus is shifted by one
    character, a few TR-News articles by a few) are moved to the nearest occurrence of
    the name within 30 characters; gold toponyms not found there are dropped and counted.
    """
    if name not in CORPORA:
        raise InputError(f"unknown corpus {name!r}; choose from {', '.join(CORPORA)}",
                         field="corpus")
    path = Path(directory) if directory else corpora_dir()
    path = path / CORPORA[name]
    if not path.exists():
        raise GeomapError(f"{path}: corpus file not found (set GEOMAP_BENCHMARKS_DIR or "
                          "--corpora-dir to the directory holding the geoparsing corpora)")
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise InputError(f"malformed XML: {exc}", path=str(path), line=exc.position[0]) from None
    tag, reader = {"lgl": ("toponym", _gold_lgl), "trnews": ("toponym", _gold_lgl),
                   "geovirus": ("location", _gold_geovirus),
                   "gwn": ("toponym", _gold_gwn)}[name]
    out = CorpusLoad([])
    for n, art in enumerate(root.iter("article")):
        if limit is not None and len(out.documents) >= limit:
            break
        text = art.findtext("text") or ""
        doc_id = art.get("docid") or art.get("file") or str(n)
        gold = []
        for t in art.iter(tag):
            try:
                kind, g = reader(t, str(path))
            except (TypeError, ValueError):
                raise InputError(f"toponym without integer start/end in article {doc_id}",
                                 path=str(path), field="start") from None
            if kind in GWN_NOT_TOPONYMS:
                continue
            shift = _align(text, g)
            if shift is None:
                out.dropped += 1
                continue
            if shift:
                g.start += shift
                g.end = g.start + len(g.text)
                out.realigned += 1
            gold.append(g)
        out.documents.append(Document(name, doc_id, text, gold))
    return out
