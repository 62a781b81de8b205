"""Vendored Leaflet assets: inlined for offline maps, CDN links for ``online=True``."""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path

from branca.element import CssLink, Element, JavascriptLink

STATIC = Path(__file__).resolve().parent / "static"

# (name, vendored file, CDN url of the same file and version)
JS = [
    ("leaflet", "leaflet/leaflet.js", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"),
    ("markercluster", "leaflet.markercluster/leaflet.markercluster.js",
     "https://cdn.jsdelivr.net/npm/leaflet.markercluster@1.1.0/dist/leaflet.markercluster.js"),
    ("heat", "leaflet.heat/leaflet-heat.js",
     "https://cdn.jsdelivr.net/npm/leaflet.heat@0.2.0/dist/leaflet-heat.js"),
    ("fullscreen", "leaflet.fullscreen/Control.FullScreen.umd.js",
     "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@5.3.3/dist/Control.FullScreen.umd.js"),
    ("minimap", "leaflet-minimap/Control.MiniMap.min.js",
     "https://cdn.jsdelivr.net/npm/leaflet-minimap@3.6.1/dist/Control.MiniMap.min.js"),
    ("measure", "leaflet-measure/leaflet-measure.js",
     "https://cdn.jsdelivr.net/npm/leaflet-measure@3.1.0/dist/leaflet-measure.js"),
]
CSS = [
    ("leaflet_css", "leaflet/leaflet.css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"),
    ("markercluster_css", "leaflet.markercluster/MarkerCluster.css",
     "https://cdn.jsdelivr.net/npm/leaflet.markercluster@1.1.0/dist/MarkerCluster.css"),
    ("markercluster_default_css", "leaflet.markercluster/MarkerCluster.Default.css",
     "https://cdn.jsdelivr.net/npm/leaflet.markercluster@1.1.0/dist/MarkerCluster.Default.css"),
    ("fullscreen_css", "leaflet.fullscreen/Control.FullScreen.css",
     "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@5.3.3/dist/Control.FullScreen.css"),
    ("minimap_css", "leaflet-minimap/Control.MiniMap.min.css",
     "https://cdn.jsdelivr.net/npm/leaflet-minimap@3.6.1/dist/Control.MiniMap.min.css"),
    ("measure_css", "leaflet-measure/leaflet-measure.css",
     "https://cdn.jsdelivr.net/npm/leaflet-measure@3.1.0/dist/leaflet-measure.css"),
]
OWN_JS, OWN_CSS = "geomap.js", "geomap.css"


def _read(rel: str) -> str:
    return (STATIC / rel).read_text(encoding="utf-8")


def _script(text: str) -> str:
    # a literal "</script" inside inlined code would end the element early
    text = re.sub(r"//# sourceMappingURL=\S+", "", text)
    return "<script>" + re.sub(r"</(script)", r"<\\/\1", text, flags=re.I) + "</script>"


def _data_uris(css: str, base: Path) -> str:
    def repl(m: re.Match) -> str:
        path = base / m.group(1)
        if not path.is_file():
            return m.group(0)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        mime = "image/svg+xml" if path.suffix == ".svg" else "image/png"
        return f"url(data:{mime};base64,{data})"

    return re.sub(r"url\((?![\"']?(?:data:|#))[\"']?([^)\"']+\.(?:png|svg))[\"']?\)", repl, css)


def _style(text: str, base: Path) -> str:
    text = re.sub(r"/\*# sourceMappingURL=\S+ \*/", "", _data_uris(text, base))
    return "<style>" + re.sub(r"</(style)", r"<\\/\1", text, flags=re.I) + "</style>"


@lru_cache(maxsize=2)
def inline_html(online: bool) -> str:
    """The ``<head>`` block with every library the map needs."""
    parts = []
    for _name, rel, url in CSS:
        parts.append(f'<link rel="stylesheet" href="{url}"/>' if online
                     else _style(_read(rel), (STATIC / rel).parent))
    parts.append(_style(_read(OWN_CSS), STATIC))
    for _name, rel, url in JS:
        parts.append(f'<script src="{url}"></script>' if online else _script(_read(rel)))
    parts.append(_script(_read(OWN_JS)))
    return "\n".join(parts)


def attach(m, online: bool) -> None:
    """Replace folium's CDN resources of map ``m`` by geomap's own (inline when offline)."""
    m.default_js = []
    m.default_css = []
    header = m.get_root().header
    for name in list(header._children):
        if isinstance(header._children[name], JavascriptLink | CssLink):
            del header._children[name]
    header.add_child(RawHtml(inline_html(online)), name="geomap_assets", index=0)


class RawHtml(Element):
    """HTML put into the page as it is: not a Jinja template (leaflet-measure carries its own
    ``{{ … }}`` templates, and parsing ~1 MB of inlined code as Jinja takes a second)."""

    def __init__(self, html: str):
        super().__init__("")
        self.html = html

    def render(self, **kwargs) -> str:
        return self.html
