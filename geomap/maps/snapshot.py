"""A static picture of the map for reports: PNG via matplotlib, offline.

Draws the same :func:`geomap.maps.build.map_data` dict as the browser (shipped
boundaries, zones, region-level events as regions, events coloured by type and sized by
casualties) with legend, scale bar, attribution and a chart of events per day (per week
on long spans).  The map is in a local equirectangular view (x scaled by cos(latitude)),
so shapes and the scale bar are true near the centre.
"""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np

from geomap.geodesy import destination, distance_km

DAY_CHART_MAX_DAYS = 150  # longer spans are charted per week


def _frame(fc: dict | None) -> gpd.GeoDataFrame | None:
    if not fc or not fc.get("features"):
        return None
    return gpd.GeoDataFrame.from_features(fc["features"], crs=4326)


def _nice_km(target: float) -> float:
    exp = 10 ** math.floor(math.log10(max(target, 1e-3)))
    return max(m * exp for m in (1, 2, 5, 10) if m * exp <= target) if target >= exp else exp


def _scale_bar(ax, extent) -> None:
    w, s, e, n = extent
    lat = s + (n - s) * 0.06
    width_km = distance_km(lat, w, lat, e)
    km = _nice_km(width_km / 5)
    x0 = w + (e - w) * 0.04
    _, x1 = destination(lat, x0, 90, km * 1000)
    ax.plot([x0, x1], [lat, lat], color="#222", lw=3, solid_capstyle="butt", zorder=20)
    ax.text((x0 + x1) / 2, lat + (n - s) * 0.012, f"{km:g} km", ha="center", va="bottom",
            fontsize=8, zorder=20)


def _extent(data: dict) -> tuple[float, float, float, float]:
    (s, w), (n, e) = data["fit"]
    dx, dy = max(e - w, 0.05), max(n - s, 0.05)
    return (w - 0.12 * dx, s - 0.12 * dy, e + 0.12 * dx, n + 0.12 * dy)


def _day_chart(ax, data: dict) -> None:
    d0 = np.array([np.nan if v is None else v for v in data["d0"]], dtype=float)
    ok = ~np.isnan(d0)
    if not ok.any():
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no dated events", ha="center", va="center", transform=ax.transAxes)
        return
    lo, hi = int(d0[ok].min()), int(d0[ok].max())
    step = 1 if hi - lo + 1 <= DAY_CHART_MAX_DAYS else 7
    edges = np.arange(lo, hi + step + 1, step)
    t = np.asarray(data["t"])[ok]
    bottom = np.zeros(len(edges) - 1)
    days = np.datetime64("1970-01-01") + edges[:-1].astype("timedelta64[D]")
    for k, typ in enumerate(data["types"]):
        if not typ["count"]:
            continue
        counts, _ = np.histogram(d0[ok][t == k], bins=edges)
        ax.bar(days, counts, width=step * 0.9, bottom=bottom, color=typ["color"], align="edge",
               label=typ["name"])
        bottom += counts
    ax.set_ylabel("events per day" if step == 1 else "events per week", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(axis="y", color="#ddd", lw=0.5)
    ax.set_axisbelow(True)


def render_png(data: dict, path: str | Path, *, width_in: float = 11.0, dpi: int = 150) -> Path:
    """Write the map of ``data`` (see ``map_data``) and its per-day chart to a PNG file."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    extent = _extent(data)
    w, s, e, n = extent
    aspect = 1 / math.cos(math.radians((s + n) / 2))
    map_h = width_in * (n - s) * aspect / (e - w)
    map_h = float(np.clip(map_h, 4.0, 11.0))
    fig = plt.figure(figsize=(width_in, map_h + 2.2), dpi=dpi)
    grid = fig.add_gridspec(2, 1, height_ratios=[map_h, 1.6], hspace=0.18)
    ax, chart = fig.add_subplot(grid[0]), fig.add_subplot(grid[1])
    ax.set_facecolor("#dfe6ea")
    B = data.get("boundaries", {})
    layers = [("countries", dict(color="#f4f1ea", edgecolor="none")),
              ("outlines", dict(color="#777", lw=1.0)),
              ("admin1", dict(facecolor="none", edgecolor="#8a7f72", lw=0.8, linestyle="--")),
              ("admin2", dict(facecolor="none", edgecolor="#b3a999", lw=0.4)),
              ("border", dict(color="#c0392b", lw=1.8))]
    for z, (key, style) in enumerate(layers):
        g = _frame(B.get(key))
        if g is not None:
            g.plot(ax=ax, zorder=z + 1, **style)
    handles = []
    for key in ("bands", "zones"):
        g = _frame(data.get(key))
        if g is None:
            continue
        for _, f in g.iterrows():
            gpd.GeoSeries([f.geometry], crs=4326).plot(ax=ax, facecolor=f["color"], alpha=0.2,
                                                       edgecolor=f["color"], lw=1.2, zorder=8)
            label = f["label"] if f["kind"] != "buffer" else f"{f['name']} · {f['label']}"
            if label not in [h.get_label() for h in handles]:
                handles.append(Patch(facecolor=f["color"], alpha=0.35, edgecolor=f["color"], label=label))
    lat, lon = np.asarray(data["lat"], float), np.asarray(data["lon"], float)
    t = np.asarray(data["t"], int)
    reg = np.asarray(data.get("reg", [-1] * len(lat)), int)
    regions = _frame(data.get("regions"))
    if regions is not None:
        for k in np.unique(reg[reg >= 0]):
            color = data["types"][int(t[reg == k][0])]["color"]
            regions.iloc[[int(k)]].plot(ax=ax, facecolor="none", edgecolor=color, lw=1.5,
                                        linestyle="--", zorder=9)
            regions.iloc[[int(k)]].plot(ax=ax, facecolor=color, alpha=0.05, edgecolor="none", zorder=9)
        handles.append(Patch(facecolor="#888", alpha=0.2, edgecolor="#555", linestyle="--",
                             label="region-level event (only the region is known)"))
    point = reg < 0
    sizes = (np.asarray(data["r"], float) * 1.6) ** 2 if data.get("r") else np.full(len(lat), 9.0)
    colors = [data["types"][k]["color"] for k in t]
    ax.scatter(lon[point], lat[point], s=sizes[point] if len(sizes) else 9, c=np.asarray(colors)[point]
               if len(colors) else None, edgecolors="#222", linewidths=0.6, zorder=12)
    for lab in data.get("labels", []):
        if lab[3] in ("place", "context") and w <= lab[1] <= e and s <= lab[0] <= n:
            ax.annotate(lab[2], (lab[1], lab[0]), xytext=(5, 2), textcoords="offset points", fontsize=7,
                        zorder=13)
    for typ in data["types"]:
        if typ["count"]:
            handles.insert(0, Line2D([], [], marker="o", ls="", markerfacecolor=typ["color"],
                                     markeredgecolor="#222", label=f"{typ['name']} ({typ['count']})"))
    if B.get("border"):
        handles.append(Line2D([], [], color="#c0392b", lw=1.8, label="RU–UA border (OSM)"))
    ax.set_xlim(w, e)
    ax.set_ylim(s, n)
    ax.set_aspect(aspect)
    ax.tick_params(labelsize=7)
    ax.set_xlabel("")
    ax.set_ylabel("")
    if handles:
        # beside the map, never over the data
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7,
                  frameon=False, borderaxespad=0)
    _scale_bar(ax, extent)
    sub = [f"{data['n']} events"]
    if data.get("dmin") is not None:
        day = np.datetime64("1970-01-01") + np.timedelta64(int(data["dmin"]), "D")
        end = np.datetime64("1970-01-01") + np.timedelta64(int(data["dmax"]), "D")
        sub.insert(0, f"{day} – {end}" if end != day else str(day))
    if data.get("sources"):
        names = ", ".join(f"{s_[0]} ({s_[2]})" for s_ in data["sources"])
        sub.append("sources: " + names + (f" and {data['moreSources']} more" if data.get("moreSources") else ""))
    if data.get("dropped"):
        sub.append(f"{data['dropped']} without coordinates not shown")
    ax.set_title(f"{data.get('title', '')}\n" + " · ".join(sub), fontsize=10, loc="left")
    _day_chart(chart, data)
    fig.text(0.99, 0.005, data.get("attribution", ""), ha="right", va="bottom", fontsize=6, color="#444")
    out = Path(path)
    fig.savefig(out, dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return out
