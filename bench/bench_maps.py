"""Maps: HTML size, build time and time until the page is interactive in headless Chromium.

geomap: ``build_map`` (offline, self-contained: Leaflet inlined, shipped boundaries,
clustering above 300 events, heat map, time control) of 1k / 10k / 100k synthetic events
(quick: 1k / 10k).
Baseline (same run, same points): a plain folium map with one ``folium.Marker`` and popup
per event. Its CDN scripts (Leaflet) are served from the vendored copies; jQuery,
Bootstrap, Font Awesome and tiles are blocked (plain markers do not need them). For 100k
events the baseline is attempted with a time limit and reported as timed out if it fails.

1M events (full run only): geomap alone, in its aggregated ("lite") form — density grid,
filters and timeline, no per-event popups; the folium baseline is not attempted (at 100k
it already takes minutes and ~100 MB).

Interactive = the later of the page's ``load`` event end and, for geomap, the moment the
runtime sets ``window.__geomapReady`` (filters applied and the events — clusters or the
density grid — on the map).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: python bench/bench_maps.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, log, row, run_python_json

NAME = "maps"
CHROMIUM = "/usr/bin/chromium"
STATIC = ROOT / "geomap" / "maps" / "static"
BASELINE_BUILD_TIMEOUT = 240.0  # s, for the plain folium build in a subprocess
AGGREGATED_EVENTS = 1_000_000
PAGE_TIMEOUT = 180.0  # s, for a page to become interactive

_BASELINE_CODE = r"""
import json, sys, time
import folium
from geomap.maps.samples import synthetic_events
n, out = int(sys.argv[1]), sys.argv[2]
ev = synthetic_events(n, seed=1)
t0 = time.perf_counter()
m = folium.Map(location=[49.6, 35.7], zoom_start=6)
for lat, lon, loc, note in zip(ev.latitude, ev.longitude, ev.location, ev.notes):
    folium.Marker([lat, lon], popup=folium.Popup(f"{loc}: {note}"), tooltip=loc).add_to(m)
html = m.get_root().render()
elapsed = time.perf_counter() - t0
open(out, "w", encoding="utf-8").write(html)
print(json.dumps({"build_s": elapsed, "bytes": len(html.encode("utf-8"))}))
"""


def _geomap_build(n: int, out: Path) -> tuple[float, int]:
    from geomap.maps import build_map
    from geomap.maps.samples import synthetic_events

    ev = synthetic_events(n, seed=1)
    t0 = time.perf_counter()
    html = build_map(ev, title=f"{n} synthetic events").get_root().render()
    elapsed = time.perf_counter() - t0
    out.write_text(html, encoding="utf-8")
    return elapsed, len(html.encode("utf-8"))


def _baseline_build(n: int, out: Path) -> tuple[float | None, int | None, str]:
    code = _BASELINE_CODE.replace("sys.argv[1]", repr(str(n))).replace("sys.argv[2]", repr(str(out)))
    try:
        _, res = run_python_json(code, timeout=BASELINE_BUILD_TIMEOUT)
    except Exception as exc:  # noqa: BLE001 - a timeout is a result here, not a failure
        return None, None, f"baseline build failed or timed out ({type(exc).__name__})"
    return res["build_s"], res["bytes"], ""


def _vendored(url: str) -> Path | None:
    names = {"leaflet.js": "leaflet/leaflet.js", "leaflet.css": "leaflet/leaflet.css",
             "marker-icon.png": "leaflet/images/marker-icon.png",
             "marker-icon-2x.png": "leaflet/images/marker-icon-2x.png",
             "marker-shadow.png": "leaflet/images/marker-shadow.png",
             "layers.png": "leaflet/images/layers.png"}
    name = url.rsplit("/", 1)[-1].split("?")[0]
    if "leaflet@1.9.3" in url and name in names:
        return STATIC / names[name]
    return None


def _interactive(browser, path: Path, geomap: bool) -> tuple[float | None, str]:
    """Seconds from navigation start until the map is usable (None on timeout)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})

    def handle(route):
        url = route.request.url
        if url.startswith(("file:", "data:")):
            return route.continue_()
        local = _vendored(url)
        if local is not None:
            ctype = {"js": "application/javascript", "css": "text/css", "png": "image/png"}[
                local.suffix[1:]]
            return route.fulfill(status=200, body=local.read_bytes(), content_type=ctype)
        return route.abort()

    context.route("**/*", handle)
    page = context.new_page()
    try:
        page.goto(path.as_uri(), timeout=PAGE_TIMEOUT * 1000, wait_until="load")
        if geomap:
            page.wait_for_function("window.__geomapReady === true", timeout=PAGE_TIMEOUT * 1000)
            ready = page.evaluate("window.__geomapReadyAt")
        else:
            page.wait_for_function("Object.keys(window).some(k => k.startsWith('map_') && "
                                   "window[k] instanceof L.Map)", timeout=PAGE_TIMEOUT * 1000)
            ready = 0.0
        load_end = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
        return max(ready, load_end) / 1000.0, ""
    except Exception as exc:  # noqa: BLE001 - timeouts are reported, not raised
        return None, f"not interactive within {PAGE_TIMEOUT:.0f} s ({type(exc).__name__})"
    finally:
        context.close()


def _rows(n: int, metric: str, unit: str, value, base, note: str) -> dict:
    r = row(NAME, f"{metric} ({n:,} events)", value, unit, base, note)
    r["name"] = f"{NAME}: {r['metric']}"
    r["baseline"] = base
    return r


def run(quick: bool) -> list[dict]:
    from playwright.sync_api import sync_playwright

    sizes = [1_000, 10_000] if quick else [1_000, 10_000, 100_000]
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="geomap-bench-maps-") as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            for n in sizes:
                g_path, b_path = Path(tmp) / f"geomap-{n}.html", Path(tmp) / f"folium-{n}.html"
                log(f"maps: building geomap map of {n:,} events")
                g_build, g_bytes = _geomap_build(n, g_path)
                log(f"maps: building plain folium Marker map of {n:,} events")
                b_build, b_bytes, b_note = _baseline_build(n, b_path)
                log(f"maps: opening both in Chromium ({n:,} events)")
                g_ready, g_note = _interactive(browser, g_path, geomap=True)
                b_ready, b_note2 = (None, b_note) if b_build is None else \
                    _interactive(browser, b_path, geomap=False)
                base_note = "baseline: plain folium.Marker map of the same points"
                extra = "; ".join(x for x in (b_note, b_note2, g_note) if x)
                note = base_note + (f"; {extra}" if extra else "")
                rows.append(_rows(n, "HTML size", "MB", g_bytes / 1e6,
                                  None if b_bytes is None else b_bytes / 1e6,
                                  note + "; lower is better; geomap is self-contained (inlined "
                                  "Leaflet + boundaries), the baseline loads Leaflet from a CDN"))
                rows.append(_rows(n, "build time", "s", g_build, b_build,
                                  note + "; lower is better; build_map + render"))
                rows.append(_rows(n, "time to interactive", "s", g_ready, b_ready,
                                  note + "; lower is better; headless Chromium, file:// URL"))
            if not quick:
                n = AGGREGATED_EVENTS
                g_path = Path(tmp) / f"geomap-{n}.html"
                log(f"maps: building geomap map of {n:,} events (aggregated)")
                g_build, g_bytes = _geomap_build(n, g_path)
                log(f"maps: opening it in Chromium ({n:,} events)")
                g_ready, g_note = _interactive(browser, g_path, geomap=True)
                note = ("aggregated (density grid, filters, timeline; no per-event popups); "
                        "no baseline: folium is not attempted at this size" + (f"; {g_note}" if g_note else ""))
                rows.append(_rows(n, "HTML size", "MB", g_bytes / 1e6, None, note))
                rows.append(_rows(n, "build time", "s", g_build, None, note))
                rows.append(_rows(n, "time to interactive", "s", g_ready, None, note))
        finally:
            browser.close()
    return rows


def main() -> None:
    quick = "--quick" in sys.argv
    rows = run(quick)
    for r in rows:
        ratio = "" if r["ratio"] is None else f"  ratio {r['ratio']:.3f}"
        base = "n/a" if r["baseline_value"] is None else f"{r['baseline_value']:.3f}"
        val = "n/a" if r["value"] is None else f"{r['value']:.3f}"
        print(f"{r['metric']:38s} {val:>10s} {r['unit']:3s} baseline {base:>10s}{ratio}")
    if "--json" in sys.argv:
        print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
