"""Geoparsing: English news text → place mentions resolved to gazetteer entries."""

from __future__ import annotations

from geomap.gazetteer import Gazetteer
from geomap.geoparse.mention import PlaceMention, Span
from geomap.geoparse.recognise import Recogniser
from geomap.geoparse.resolve import Resolver
from geomap.geoparse.textnorm import normalise_text, restore_offsets
from geomap.parallel import map_documents

__all__ = ["geoparse", "geoparse_many", "resolve_name", "recognise", "PlaceMention", "Span",
           "Geoparser"]


class Geoparser:
    """Recogniser + resolver over one gazetteer (reuse it for many documents)."""

    def __init__(self, gazetteer: Gazetteer | None = None,
                 theatre: dict[str, float] | None = None):
        """``theatre``: admin-1 code → prior among namesakes (default: the Russia-Ukraine
        war zone, ``resolve.WAR_THEATRE``; ``{}`` turns it off)."""
        self.gazetteer = gazetteer or Gazetteer.default()
        self.recogniser = Recogniser(self.gazetteer)
        self.resolver = Resolver(self.gazetteer, candidates=12, theatre=theatre)

    def _strict_name(self, word: str) -> bool:
        """Whether the gazetteer has a place under exactly this name (true-casing capitals)."""
        return self.recogniser.known(word) == "strict"

    def __call__(self, text: str, published: str | None = None) -> list[PlaceMention]:
        norm = normalise_text(text, is_name=self._strict_name)
        mentions = self.resolver.resolve(self.recogniser.find(norm.text), norm.text)
        return restore_offsets(mentions, norm)


_default: Geoparser | None = None


def _parser(gazetteer: Gazetteer | None) -> Geoparser:
    global _default
    if gazetteer is not None:
        return Geoparser(gazetteer)
    if _default is None:
        _default = Geoparser()
    return _default


def geoparse(text: str, published: str | None = None,
             gazetteer: Gazetteer | None = None) -> list[PlaceMention]:
    """Find and resolve every place mention in ``text``.

    Parameters
    ----------
    text : str
        Raw English news text.
    published : str, optional
        Publication date (ISO); kept for the event stage, not needed to resolve places.

    Returns
    -------
    list of PlaceMention, in text order; unresolved names are included with
    ``resolved=False``, metonymic uses ("Moscow said") with ``role="metonymy"``.
    """
    return _parser(gazetteer)(text, published)


def _geoparse_default(text: str) -> list[PlaceMention]:
    return _parser(None)(text)


def fresh_worker() -> None:
    """Pool initializer: a forked worker opens its own gazetteer and parser."""
    global _default
    _default = None
    Gazetteer._default = None


def geoparse_many(texts: list[str], jobs: int | None = None,
                  progress: bool | None = None) -> list[list[PlaceMention]]:
    """Geoparse many documents in parallel (``jobs``: processes, default all cores)."""
    return map_documents(_geoparse_default, list(texts), jobs=jobs, desc="geoparse",
                         progress=progress, initializer=fresh_worker)


def recognise(text: str, gazetteer: Gazetteer | None = None) -> list[Span]:
    """Only find the place names (no resolution)."""
    recogniser = _parser(gazetteer).recogniser
    norm = normalise_text(text, is_name=lambda w: recogniser.known(w) == "strict")
    return restore_offsets(recogniser.find(norm.text), norm)


def resolve_name(name: str, country: str | None = None, admin1: str | None = None,
                 admin2: str | None = None, near: tuple[float, float] | None = None,
                 gazetteer: Gazetteer | None = None) -> PlaceMention:
    """Resolve one place name with its own context (a records row's admin columns).

    Falls back hierarchically: a village the gazetteer lacks resolves to the named
    district (precision 2) or region (precision 3), never to a namesake outside them.
    """
    return _parser(gazetteer).resolver.resolve_name(name, country=country, admin1=admin1,
                                                    admin2=admin2, near=near)
