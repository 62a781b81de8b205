"""``build_map``: events, context places, zones and boundaries on one folium map."""

from __future__ import annotations

import html
import sqlite3
from collections.abc import Mapping, Sequence

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from folium.map import Layer
from jinja2 import Template

from geomap.boundaries import ATTRIBUTION
from geomap.errors import GeomapError, InputError
from geomap.gazetteer.record import gazetteer_attribution
from geomap.maps import assets, basemap, payload, regions
from geomap.places import locate
from geomap.spatial import zones as zones_mod

BUFFER_COLOR = "#1f5fa8"
EVENT_BUFFER_COLOR = "#2a9d8f"
BAND_COLORS = ["#d35400", "#f39c12", "#f4d03f", "#a0a0a0"]
CLUSTER_THRESHOLD = 300
HEX_AUTO_EVENTS = 20_000  # above this, the density grid replaces clusters when zoomed out
HEX_MAX_ZOOM = 8  # … below this zoom
MAX_PLACE_LABELS = 150
ESRI_TILES = ("https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/"
              "tile/{z}/{y}/{x}")


class _Runtime(MacroElement):
    """``geomap.init(map, data)``: builds every geomap layer in the browser.

    The data sit in a ``<script type="application/json">`` element: V8 parses JSON text
    faster than the same object written as a JavaScript literal (seconds at 100k events).
    """

    _template = Template("""
{% macro html(this, kwargs) %}
<script type="application/json" id="{{ this.get_name() }}-data">{{ this.data }}</script>
{% endmacro %}
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = geomap.init({{ this._parent.get_name() }},
    JSON.parse(document.getElementById({{ (this.get_name() ~ "-data")|tojson }}).textContent));
{% endmacro %}
""")

    def __init__(self, data: dict):
        super().__init__()
        self._name = "GeomapRuntime"
        self.data = payload.to_json(data)


class _RuntimeLayer(Layer):
    """A layer built by the runtime, listed in folium's LayerControl."""

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = {{ this.runtime.get_name() }}.layers[{{ this.key|tojson }}];
{% endmacro %}
""")

    def __init__(self, runtime: _Runtime, key: str, name: str, overlay: bool = True,
                 show: bool = True):
        super().__init__(name=name, overlay=overlay, control=True, show=show)
        self._name = "GeomapLayer"
        self.runtime, self.key = runtime, key


class _Finish(MacroElement):
    _template = Template("""
{% macro script(this, kwargs) %}
geomap.finish({{ this.runtime.get_name() }});
{% endmacro %}
""")

    def __init__(self, runtime: _Runtime):
        super().__init__()
        self._name = "GeomapFinish"
        self.runtime = runtime


# ----------------------------------------------------------------------------- inputs
def _resolve_place(name: str, events: pd.DataFrame | None) -> tuple[float, float]:
    """Coordinates of a named place: gazetteer first, then the events' own locations."""
    try:
        found = locate(name)
        if found.resolved:
            return found.point
    except (ImportError, OSError, sqlite3.Error, GeomapError):
        pass  # no usable gazetteer: fall back to the events' own locations
    if events is not None and "location" in events.columns and len(events):
        lat, lon = payload.event_coordinates(events)
        match = events["location"].astype(str).str.casefold().eq(name.casefold()).to_numpy()
        match = match & ~np.isnan(lat)
        if match.any():
            return float(np.mean(lat[match])), float(np.mean(lon[match]))
    raise InputError(f"cannot find a place called {name!r} (gazetteer unavailable or no match)",
                     field="buffers")


def _buffers_frame(buffers, events) -> gpd.GeoDataFrame | None:
    """``buffers`` → zones GeoDataFrame.

    Accepts a zones GeoDataFrame, or a mapping name -> radius_km (place resolved through
    the gazetteer) or name -> (lat, lon, radius_km).
    """
    if buffers is None:
        return None
    if isinstance(buffers, gpd.GeoDataFrame):
        return buffers
    if not isinstance(buffers, Mapping):
        raise InputError("buffers must be a mapping name -> radius_km or (lat, lon, radius_km)",
                         field="buffers")
    points, radii = {}, {}
    for name, spec in buffers.items():
        if isinstance(spec, int | float):
            points[name], radii[name] = _resolve_place(str(name), events), float(spec)
        elif isinstance(spec, Sequence) and len(spec) == 3:
            points[name], radii[name] = (float(spec[0]), float(spec[1])), float(spec[2])
        else:
            raise InputError(f"buffer {name!r}: expected radius_km or (lat, lon, radius_km), "
                             f"got {spec!r}", field="buffers")
    return zones_mod.buffer_zones(points, radii)


def _bands_frame(spec) -> gpd.GeoDataFrame | None:
    if spec is None or spec is False:
        return None
    if isinstance(spec, gpd.GeoDataFrame):
        return spec
    if isinstance(spec, Mapping):
        return zones_mod.border_zones(**spec)
    if isinstance(spec, int | float):
        return zones_mod.border_zones([spec])
    return zones_mod.border_zones(list(spec))


def _places_frame(places) -> pd.DataFrame | None:
    if places is None:
        return None
    if isinstance(places, Mapping):
        rows = [(str(k), float(v[0]), float(v[1])) for k, v in places.items()]
        return pd.DataFrame(rows, columns=["name", "lat", "lon"]).assign(note="")
    lat, lon = payload.event_coordinates(places)
    col = next((c for c in ("name", "location") if c in places.columns), None)
    if col is None:
        raise InputError("places need a 'name' column", field="places")
    note = places["note"].fillna("").astype(str) if "note" in places.columns else ""
    df = pd.DataFrame({"name": places[col].astype(str).to_numpy(), "lat": lat, "lon": lon})
    df["note"] = np.asarray(note) if not isinstance(note, str) else ""
    return df.dropna(subset=["lat", "lon"])


def _zones_geojson(gdf: gpd.GeoDataFrame, kind: str, color) -> dict:
    feats = []
    geoms = shapely.set_precision(gdf.to_crs(4326).geometry.values, 1e-6, mode="pointwise")
    for i, (row, geom) in enumerate(zip(gdf.itertuples(index=False), geoms, strict=True)):
        if geom is None or geom.is_empty:
            continue
        if kind == "border":
            label = f"{row.inner_km:g}–{row.outer_km:g} km band"
            name = getattr(row, "name", label)
            c = color[min(i, len(color) - 1)]
        else:
            label = f"{getattr(row, 'radius_km', float('nan')):g} km radius"
            name = str(getattr(row, "name", ""))
            c = color
        feats.append({"type": "Feature", "geometry": shapely.geometry.mapping(geom),
                      "properties": {"name": name, "label": label, "kind": kind, "color": c,
                                     "area_km2": round(float(getattr(row, "area_km2", 0.0)), 1),
                                     "n_points": int(getattr(row, "n_points", 1) or 1)}})
    return {"type": "FeatureCollection", "features": feats}


def _place_labels(events: pd.DataFrame, lat, lon, places: pd.DataFrame | None) -> list[list]:
    labels = []
    if len(events) and "location" in events.columns:
        df = pd.DataFrame({"loc": events["location"].fillna("").astype(str).to_numpy(),
                           "lat": lat, "lon": lon})
        df = df[(df["loc"] != "") & df["lat"].notna()]
        g = df.groupby("loc").agg(lat=("lat", "mean"), lon=("lon", "mean"), n=("lat", "size"))
        g = g.sort_values("n", ascending=False).head(MAX_PLACE_LABELS)
        labels += [[round(r.lat, 5), round(r.lon, 5), name, "place"] for name, r in g.iterrows()]
    if places is not None:
        labels += [[round(r.lat, 5), round(r.lon, 5), r.name, "context"]
                   for r in places.itertuples(index=False)]
    return labels


def _fit_extent(lat, lon, frames) -> tuple[float, float, float, float] | None:
    boxes = []
    if len(lat):
        boxes.append((np.min(lon), np.min(lat), np.max(lon), np.max(lat)))
    for f in frames:
        if f is not None and len(f):
            boxes.append(tuple(f.to_crs(4326).total_bounds))
    if not boxes:
        return None
    b = np.array(boxes, dtype=float)
    return (b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max())


# ----------------------------------------------------------------------------- build
def build_map(events_gdf: pd.DataFrame | None, buffers=None, buffer_events_km: float | None = None,
              border_zones=None, boundaries: bool = True, online: bool = False,
              title: str | None = None, *, places=None, cluster: bool | None = None,
              heatmap: bool = True, labels: bool = True, low_confidence: float = 0.5,
              width: str = "100%", height: str = "100%") -> folium.Map:
    """An interactive map of events with zones and boundaries; self-contained by default.

    Parameters
    ----------
    events_gdf : events in the ``EVENT_COLUMNS`` schema (point geometry or
        latitude/longitude); rows without coordinates are counted in the title, not drawn.
    buffers : zones GeoDataFrame from :func:`geomap.buffer_zones`, or a mapping
        name -> radius_km (resolved through the gazetteer) or name -> (lat, lon, radius_km).
    buffer_events_km : draw a (dissolved) geodesic circle of this radius around every event.
    border_zones : GeoDataFrame from :func:`geomap.border_zones`, a list of band edges in km
        (inside Russia) or a dict of ``border_zones`` keyword arguments.
    boundaries : draw countries, oblasts, Russian districts and the RU–UA border.
    online : link Leaflet from a CDN and show OpenStreetMap tiles by default; otherwise
        every script and style is inlined and the base map is the shipped boundaries.
    title : map title (the data's date range and sources are always shown).
    places : optional context places (GeoDataFrame with ``name``, or name -> (lat, lon)).
    cluster : cluster markers; default when there are more than 300 events.

    Returns
    -------
    folium.Map whose ``save()`` writes the HTML.
    """
    data = map_data(events_gdf, buffers=buffers, buffer_events_km=buffer_events_km,
                    border_zones=border_zones, boundaries=boundaries, online=online, title=title,
                    places=places, cluster=cluster, heatmap=heatmap, labels=labels,
                    low_confidence=low_confidence)
    return folium_map(data, online=online, width=width, height=height)


def map_data(events_gdf: pd.DataFrame | None, buffers=None, buffer_events_km: float | None = None,
             border_zones=None, boundaries: bool = True, online: bool = False,
             title: str | None = None, *, places=None, cluster: bool | None = None,
             heatmap: bool = True, labels: bool = True, low_confidence: float = 0.5) -> dict:
    """Everything the map shows, as one JSON-ready dict (the browser runtime's input and
    the static picture's, see :mod:`geomap.maps.snapshot`); arguments as :func:`build_map`."""
    events = events_gdf if events_gdf is not None else pd.DataFrame()
    if not isinstance(events, pd.DataFrame):
        raise InputError(f"events must be a (Geo)DataFrame, got {type(events).__name__}",
                         field="events")
    if cluster is None:
        cluster = len(events) > CLUSTER_THRESHOLD
    data, ok = payload.events_payload(events, cluster=cluster, low_confidence=low_confidence,
                                      heat=heatmap)
    lat = np.asarray(data["lat"], float)
    lon = np.asarray(data["lon"], float)
    placed = events.loc[ok] if len(events) else events
    data["sources"], data["moreSources"] = payload.sources_summary(placed)
    data["title"] = title or "geomap events"
    data["offline"] = not online

    data["hexAuto"], data["hexZoom"] = HEX_AUTO_EVENTS, HEX_MAX_ZOOM
    precision = np.asarray(data["num"].get("geo_precision", [None] * len(lat)), dtype=float)
    if not data["lite"] and boundaries:
        data["regions"], data["reg"] = regions.region_shapes(placed, lat, lon, precision)
        if data["regions"] is None:
            del data["regions"], data["reg"]

    buf = _buffers_frame(buffers, events)
    ev_buf = None
    # a region-level event (precision 3) sits at the region's centroid: a circle around
    # that point would claim a place the source never named, so it is not buffered
    precise = precision != 3
    if buffer_events_km is not None and precise.any():
        names = placed["location"].fillna("").astype(str).to_numpy() \
            if "location" in placed.columns else np.full(len(lat), "")
        pts = gpd.GeoDataFrame({"name": np.where(names == "", "event", names)[precise]},
                               geometry=gpd.points_from_xy(lon[precise], lat[precise]), crs=4326)
        ev_buf = zones_mod.buffer_zones(pts, float(buffer_events_km),
                                        n_vertices=64 if len(lat) > 5000 else 128)
    bands = _bands_frame(border_zones)
    zone_feats = []
    if buf is not None and len(buf):
        zone_feats += _zones_geojson(buf, "buffer", BUFFER_COLOR)["features"]
    if ev_buf is not None and len(ev_buf):
        feats = _zones_geojson(ev_buf, "events", EVENT_BUFFER_COLOR)["features"]
        skipped = int((~precise).sum())
        if skipped:
            for f in feats:
                f["properties"]["label"] += f" ({skipped} region-level event{'s' if skipped > 1 else ''} not buffered)"
        zone_feats += feats
    if zone_feats:
        data["zones"] = {"type": "FeatureCollection", "features": zone_feats}
    if bands is not None and len(bands):
        data["bands"] = _zones_geojson(bands, "border", BAND_COLORS)

    ctx = _places_frame(places)
    if ctx is not None and len(ctx):
        data["context"] = {"n": len(ctx), "lat": ctx["lat"].round(5).tolist(),
                           "lon": ctx["lon"].round(5).tolist(), "name": ctx["name"].tolist(),
                           "note": ctx["note"].tolist()}

    # fit to the confident events: a wrongly geocoded low-confidence event (e.g. a village
    # resolved to a capital abroad) must not zoom the map out to a continent; it is still
    # drawn, and the title says how many events lie outside the view
    conf = np.asarray(data["num"].get("confidence", [None] * len(lat)), dtype=float)
    review = np.asarray(data["num"].get("needs_review", [0] * len(lat)), dtype=bool)
    weak = (conf < low_confidence) | review
    core = ~weak if (~weak).any() else np.ones(len(lat), bool)
    # region-level locations (geo_precision 3) are centroids: fit to precise ones if any
    region = precision == 3
    if (core & ~region).any():
        core &= ~region
    fit = _fit_extent(lat[core], lon[core], [buf, ctx if ctx is None else gpd.GeoDataFrame(
        ctx, geometry=gpd.points_from_xy(ctx["lon"], ctx["lat"]), crs=4326)])
    if fit is None:
        fit = tuple(bands.total_bounds) if bands is not None and len(bands) \
            else basemap.DEFAULT_EXTENT
    outside = ~((lon >= fit[0]) & (lon <= fit[2]) & (lat >= fit[1]) & (lat <= fit[3]))
    data["outside"] = int(outside.sum())  # low-confidence or region-level, not fitted
    # fitted in the browser without animation (an animated first zoom can stall headless)
    data["fit"] = [[fit[1], fit[0]], [fit[3], fit[2]]]
    width_km = basemap._extent_width_km(fit)
    extent = basemap.expand_extent(fit, max(60.0, 0.6 * width_km))
    data["attribution"] = gazetteer_attribution(short=True)  # places were located with it
    if boundaries:
        data["boundaries"] = basemap.boundary_layers(extent, admin2=width_km < 900)
        data["attribution"] = f"{ATTRIBUTION} · {data['attribution']}"
    if labels:
        data["labels"] = ((basemap.admin_labels(extent, admin2=width_km < 900) if boundaries else [])
                          + _place_labels(placed, lat, lon, ctx))

    return data


def folium_map(data: dict, *, online: bool = False, width: str = "100%",
               height: str = "100%") -> folium.Map:
    """The folium map of :func:`map_data`'s dict: assets, runtime and layer control."""
    (s, w), (n, e) = data["fit"]
    m = folium.Map(location=[(s + n) / 2, (w + e) / 2], zoom_start=8,
                   tiles=None, control_scale=True, width=width, height=height)
    assets.attach(m, online)
    m.get_root().header.add_child(
        Element(f"<title>{html.escape(data['title'])}</title>"), name="geomap_title")
    runtime = _Runtime(data)
    m.add_child(runtime)
    _RuntimeLayer(runtime, "base", "Offline base map (shipped boundaries)", overlay=False,
                  show=not online).add_to(m)
    folium.TileLayer("OpenStreetMap", name="OpenStreetMap (online)", overlay=False,
                     show=online).add_to(m)
    folium.TileLayer(ESRI_TILES, attr="Esri, Maxar, Earthstar Geographics", name="Esri satellite (online)",
                     overlay=False, show=False, max_zoom=18).add_to(m)
    layers = [("countries", "Countries", True), ("admin1", "Oblasts", True),
              ("admin2", "Districts (Russia)", True), ("border", "RU–UA border (OSM)", True),
              ("bands", "Border bands", True), ("zones", "Buffer zones", True),
              ("context", "Context places", True), ("labels", "Place labels", True),
              ("regions", "Region-level events (as regions)", True),
              ("heat", "Heat map", False), ("hex", "Density grid (hexagons)", False),
              ("events", f"Events ({data['n']})", True)]
    present = {"admin1", "admin2", "border"} & set(data.get("boundaries", {}))
    present |= {"countries"} if "outlines" in data.get("boundaries", {}) else set()
    present |= {k for k in ("bands", "zones", "context", "labels", "regions") if data.get(k)}
    present |= {"events", "hex"} | ({"heat"} if data["n"] and data["heat"] else set())
    for key, name, show in layers:
        if key in present:
            _RuntimeLayer(runtime, key, name, show=show).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)  # an icon: it must not cover data
    m.add_child(_Finish(runtime))
    return m
