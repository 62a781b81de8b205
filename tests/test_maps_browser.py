"""Generated maps in headless Chromium with the network off: they must work offline."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from geomap.maps import build_map
from geomap.maps.samples import seed_events, synthetic_events

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
XSS_NOTES = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'
XSS_PLACE = '<img src=x onerror="window.__pwned=2">Martynovka'


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("needs Debian chromium at /usr/bin/chromium")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


class OfflinePage:
    """A page whose every non-file request is aborted and recorded."""

    def __init__(self, browser, path: Path | str):
        self.context = browser.new_context(viewport={"width": 1200, "height": 800})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.route(re.compile(r"^(?!file:|data:).*"), self._block)
        self.context.set_offline(True)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path if isinstance(path, str) else path.as_uri())
        self.page.wait_for_function("window.__geomapReady === true", timeout=60_000)

    def _block(self, route):
        self.requests.append(route.request.url)
        route.abort()

    def js(self, expr: str, arg=None):
        return self.page.evaluate(expr, arg)

    def close(self):
        self.context.close()


def _save(m, tmp_path_factory, name: str) -> Path:
    path = tmp_path_factory.mktemp("maps") / name
    m.save(str(path))
    return path


@pytest.fixture(scope="module")
def seed_page(browser, tmp_path_factory):
    ev = seed_events()
    ev.loc[0, "notes"] = XSS_NOTES
    ev.loc[1, "location"] = XSS_PLACE
    ev.loc[1, "source_url"] = "javascript:window.__pwned=3"
    m = build_map(ev, buffers={"Sudzha": (51.191, 35.271, 10)},
                  border_zones={"distances_km": [10, 30], "clip_to": "Kursk Oblast"},
                  title="Kursk test")
    page = OfflinePage(browser, _save(m, tmp_path_factory, "seed.html"))
    yield page
    page.close()


def test_html_has_no_remote_script_or_css(seed_page):
    html = seed_page.page.content()
    assert not re.search(r"<(?:script|link)\b[^>]*(?:src|href)=[\"']?(?:https?:)?//", html, re.I)
    assert seed_page.js("[...document.scripts].filter(s => s.src).length") == 0
    assert seed_page.js("document.querySelectorAll('link[rel=stylesheet]').length") == 0


def test_leaflet_initialised_offline(seed_page):
    assert seed_page.js("typeof L === 'object' && L.version") == "1.9.3"
    assert seed_page.js("geomapMap.map instanceof L.Map && geomapMap.map._loaded") is True
    assert seed_page.errors == []
    assert seed_page.requests == []  # nothing even tried the network
    assert seed_page.js("document.querySelector('.gm-title').innerText").startswith("Kursk test")


def test_markers_and_zones_present(seed_page):
    # 4 events, one without coordinates: 3 markers, 1 reported as not shown
    assert seed_page.js("geomapMap.layers.events.getLayers().length") == 3
    assert "1 without coordinates not shown" in seed_page.js(
        "document.querySelector('.gm-title').innerText")
    assert seed_page.js("geomapMap.layers.zones.getLayers().length") == 1
    assert seed_page.js("geomapMap.layers.bands.getLayers().length") == 2
    # drawn as SVG paths in the zones pane, and the buffer covers Sudzha
    assert seed_page.js("document.querySelectorAll('.leaflet-gm-zones-pane path').length") == 3
    assert seed_page.js("""() => {
        const z = geomapMap.layers.zones.getLayers()[0];
        return z.getBounds().contains(L.latLng(51.191, 35.271));
    }""") is True
    assert seed_page.js("!!geomapMap.layers.border && geomapMap.map.hasLayer(geomapMap.layers.border)")


def _click_marker(op: OfflinePage, i: int):
    x, y = op.js("""(i) => {
        const m = geomapMap.markers[i], map = geomapMap.map;
        map.setView(m.getLatLng(), map.getZoom(), {animate: false});
        const p = map.latLngToContainerPoint(m.getLatLng());
        const r = map.getContainer().getBoundingClientRect();
        return [p.x + r.left, p.y + r.top];
    }""", i)
    op.page.mouse.click(x, y)
    op.page.wait_for_selector(".gm-event-popup", state="visible")
    return op.page.locator(".gm-event-popup .leaflet-popup-content")


def test_popup_shows_escaped_text_and_nothing_runs(seed_page):
    popup = _click_marker(seed_page, 0)
    text = popup.inner_text()
    assert "Plekhovo" in text and "30 killed or wounded" in text
    assert XSS_NOTES in text  # shown literally
    assert "Ukraine (Defence Intelligence, HUR)" in text and "claimed" in text
    assert popup.locator("script, img").count() == 0
    link = popup.locator("a")
    assert link.get_attribute("href") == "https://www.trtworld.com/article/18244063"
    assert link.get_attribute("rel") == "noopener noreferrer nofollow"
    seed_page.page.wait_for_timeout(200)
    assert seed_page.js("typeof window.__pwned") == "undefined"


def test_low_confidence_and_bad_url_popup(seed_page):
    seed_page.js("geomapMap.map.closePopup()")
    popup = _click_marker(seed_page, 1)
    text = popup.inner_text()
    assert XSS_PLACE in text
    assert "javascript:" not in popup.inner_html()
    assert popup.locator("a").count() == 0  # the javascript: URL was dropped
    assert popup.locator("img").count() == 0
    seed_page.page.wait_for_timeout(200)
    assert seed_page.js("typeof window.__pwned") == "undefined"


def test_tooltip_is_escaped(seed_page):
    seed_page.js("geomapMap.map.closePopup()")
    x, y = seed_page.js("""() => {
        const m = geomapMap.markers[1], map = geomapMap.map;
        const p = map.latLngToContainerPoint(m.getLatLng());
        const r = map.getContainer().getBoundingClientRect();
        return [p.x + r.left, p.y + r.top];
    }""")
    seed_page.page.mouse.move(x, y)
    tip = seed_page.page.wait_for_selector(".leaflet-tooltip", state="visible")
    assert XSS_PLACE in tip.inner_text()
    assert seed_page.js("document.querySelectorAll('.leaflet-tooltip img').length") == 0
    assert seed_page.js("typeof window.__pwned") == "undefined"


def test_time_control_filters_events(seed_page):
    # Sudzha is 2024-08-06, the other two 2024-12-14..15
    seed_page.page.fill(".gm-from", str(seed_page.js("geomapMap.data.dmax") - 1))
    seed_page.page.dispatch_event(".gm-from", "input")
    seed_page.page.wait_for_function("geomapMap.visible === 2")
    assert seed_page.js("geomapMap.layers.events.getLayers().length") == 2
    seed_page.page.click(".gm-time-all")
    assert seed_page.js("geomapMap.visible") == 3


def test_layer_control_toggles_heatmap(seed_page):
    labels = seed_page.js("[...document.querySelectorAll('.leaflet-control-layers label')]"
                          ".map(l => l.innerText.trim())")
    for name in ("Offline base map (shipped boundaries)", "OpenStreetMap (online)",
                 "Buffer zones", "Border bands", "Oblasts", "RU–UA border (OSM)", "Heat map",
                 "Events (3)"):
        assert name in labels
    assert seed_page.js("geomapMap.map.hasLayer(geomapMap.layers.heat)") is False
    # the layer control is an icon (it must not cover data): open it first
    seed_page.page.hover(".leaflet-control-layers")
    seed_page.page.get_by_text("Heat map", exact=True).click()
    assert seed_page.js("geomapMap.map.hasLayer(geomapMap.layers.heat)") is True
    assert seed_page.js("document.querySelectorAll('canvas.leaflet-heatmap-layer').length") == 1


def test_many_events_cluster_offline(browser, tmp_path_factory):
    n = 5000
    m = build_map(synthetic_events(n, seed=3), buffer_events_km=None)
    page = OfflinePage(browser, _save(m, tmp_path_factory, "many.html"))
    try:
        # region-level events (a third of these) are drawn as their oblast, not as markers
        regional = page.js("(geomapMap.data.reg || []).filter(r => r >= 0).length")
        assert 0 < regional < n
        # markercluster adds markers in chunks: on a loaded machine the last chunk lands later
        page.page.wait_for_function("k => geomapMap.layers.events.getLayers().length === k",
                                    arg=n - regional, timeout=30_000)
        assert page.js("geomapMap.layers.events.getLayers().length") == n - regional
        assert page.js("geomapMap.visible") == n
        clusters = page.js("document.querySelectorAll('.marker-cluster').length")
        assert 1 <= clusters < n
        # every event is either in a cluster icon's count or drawn on its own
        total = page.js("""() => {
            let s = 0;
            geomapMap.layers.events._featureGroup.eachLayer(l => {
                s += l.getChildCount ? l.getChildCount() : 1; });
            return s;
        }""")
        assert total == n - regional
        assert page.requests == [] and page.errors == []
    finally:
        page.close()


# ----------------------------------------------------------------------------- workbench controls
@pytest.fixture(scope="module")
def synthetic():
    return synthetic_events(600, seed=5)


@pytest.fixture(scope="module")
def synth_page(browser, tmp_path_factory, synthetic):
    page = OfflinePage(browser, _save(build_map(synthetic, title="Synthetic"), tmp_path_factory,
                                      "synthetic.html"))
    page.page.click(".gm-panel-toggle")
    yield page
    page.close()


def _wait_visible(op: OfflinePage, expected: int) -> None:
    op.page.wait_for_function("n => geomapMap.visible === n", arg=expected, timeout=10_000)


def test_filters_change_the_visible_count(synth_page, synthetic):
    page, ev = synth_page, synthetic
    n = len(ev)
    assert page.js("geomapMap.visible") == n
    # casualties from 5
    page.page.fill(".gm-f-casmin", "5")
    expected = int((ev["killed"].fillna(0) >= 5).sum())
    _wait_visible(page, expected)
    assert page.page.inner_text(".gm-count") == f"{expected} of {n} events shown"
    page.page.fill(".gm-f-casmin", "")
    _wait_visible(page, n)
    # region-level events off
    page.page.uncheck(".gm-f-prec[value='3']")
    _wait_visible(page, int((ev["geo_precision"] != 3).sum()))
    page.page.check(".gm-f-prec[value='3']")
    # confidence at least 0.6 (a range input: set it as a user's drag would)
    page.js("""() => { const r = document.querySelector('.gm-f-conf'); r.value = '0.6';
                       r.dispatchEvent(new Event('input', {bubbles: true})); }""")
    _wait_visible(page, int((ev["confidence"] >= 0.6).sum()))
    page.page.click(".gm-reset")
    _wait_visible(page, n)


def test_legend_click_hides_a_type(synth_page, synthetic):
    page, ev = synth_page, synthetic
    page.page.click(".gm-legend-type:has-text('Battles')")
    expected = int((ev["event_type"] != "Battles").sum())
    _wait_visible(page, expected)
    assert page.page.get_attribute(".gm-legend-type:has-text('Battles')", "aria-pressed") == "false"
    # the panel's checkbox follows, and markers and clusters hold only the other types
    assert page.page.is_checked(".gm-f-type[value='0']") is False
    markers = page.js("geomapMap.layers.events.getLayers().map(m => m.options.gmIndex)")
    assert markers and all(page.js(f"geomapMap.data.t[{i}]") != 0 for i in markers[:50])
    page.page.click(".gm-legend-type:has-text('Battles')")
    _wait_visible(page, len(ev))


def test_density_grid_counts_the_visible_events(synth_page, synthetic):
    page = synth_page
    page.page.select_option(".gm-f-display", "hex")
    page.page.wait_for_function("geomapMap.hexCells > 0")
    total = page.js("""() => { let s = 0;
        geomapMap.layers.hex.eachLayer(l => { s += l.options.gmHex.n; }); return s; }""")
    in_view = page.js("""() => { const b = geomapMap.map.getBounds().pad(0.2); let s = 0;
        for (let i = 0; i < geomapMap.data.n; i++)
            if (geomapMap.mask[i] && b.contains([geomapMap.data.lat[i], geomapMap.data.lon[i]])) s++;
        return s; }""")
    assert total == in_view and total > 0
    assert page.js("geomapMap.map.hasLayer(geomapMap.layers.events)") is False
    page.page.select_option(".gm-f-display", "markers")
    assert page.js("geomapMap.map.hasLayer(geomapMap.layers.events)") is True


def test_search_finds_sudzha_and_opens_its_popup(seed_page):
    page = seed_page.page
    seed_page.js("geomapMap.map.closePopup()")
    if page.is_hidden(".gm-panel-body"):
        page.click(".gm-panel-toggle")
    page.fill(".gm-search", "Sudzh")
    page.wait_for_selector(".gm-search-result")
    assert "Sudzha" in page.inner_text(".gm-search-results")
    page.press(".gm-search", "Enter")
    popup = page.wait_for_selector(".gm-event-popup", state="visible")
    assert popup.query_selector(".gm-popup-title").inner_text() == "Sudzha"
    center = seed_page.js("[geomapMap.map.getCenter().lat, geomapMap.map.getCenter().lng]")
    assert abs(center[0] - 51.191) < 0.01 and abs(center[1] - 35.271) < 0.01
    page.fill(".gm-search", "")


def _brush(op: OfflinePage, day_from: int, day_to: int) -> None:
    box = op.page.locator(".gm-hist").bounding_box()
    lo, hi = op.js("[geomapMap.data.dmin, geomapMap.data.dmax]")
    span = hi - lo + 1

    def x(d):
        return box["x"] + (d - lo + 0.5) / span * box["width"]

    y = box["y"] + box["height"] / 2
    op.page.mouse.move(x(day_from), y)
    op.page.mouse.down()
    op.page.mouse.move(x(day_to), y, steps=5)
    op.page.mouse.up()


def test_brushing_the_histogram_filters(seed_page):
    lo, hi = seed_page.js("[geomapMap.data.dmin, geomapMap.data.dmax]")
    assert seed_page.js("document.querySelector('.gm-bin').value") == "1"  # 131 days: per day
    # the December fighting only (Plekhovo, Martynovka), not Sudzha in August
    _brush(seed_page, hi - 10, hi)
    _wait_visible(seed_page, 2)
    assert seed_page.js("geomapMap.filters.to") == hi
    assert seed_page.js("geomapMap.filters.from") == hi - 10
    assert seed_page.js("+document.querySelector('.gm-from').value") == hi - 10
    _brush(seed_page, lo, lo + 3)
    _wait_visible(seed_page, 1)
    seed_page.page.click(".gm-time-all")
    _wait_visible(seed_page, 3)


def test_download_visible_geojson_and_csv(seed_page, tmp_path):
    page = seed_page.page
    if page.is_hidden(".gm-panel-body"):
        page.click(".gm-panel-toggle")
    page.fill(".gm-f-casmin", "1")
    _wait_visible(seed_page, 1)
    with page.expect_download() as info:
        page.click(".gm-dl-geojson")
    path = tmp_path / "visible.geojson"
    info.value.save_as(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == seed_page.js("geomapMap.visible") == 1
    feat = data["features"][0]
    assert feat["geometry"] == {"type": "Point", "coordinates": [35.3333, 51.1]}
    props = feat["properties"]
    assert props["location"] == "Plekhovo" and props["killed_or_wounded"] == 30
    # (these notes were replaced by the script case, so no "at least" to carry over)
    assert props["casualties"].startswith("30 killed or wounded (claimed by Ukraine")
    assert props["source"] == "TRT World" and props["notes"] == XSS_NOTES  # data, not markup
    assert data["geomap"]["count"] == 1 and "OpenStreetMap" in data["geomap"]["attribution"]
    with page.expect_download() as info:
        page.click(".gm-dl-csv")
    csv_path = tmp_path / "visible.csv"
    info.value.save_as(csv_path)
    table = pd.read_csv(csv_path, comment="#")
    assert len(table) == 1 and table.loc[0, "location"] == "Plekhovo"
    page.fill(".gm-f-casmin", "")
    _wait_visible(seed_page, 3)


def test_permalink_restores_view_filters_and_event(browser, seed_page):
    page = seed_page.page
    if page.is_hidden(".gm-panel-body"):
        page.click(".gm-panel-toggle")
    page.uncheck(".gm-f-prec[value='2']")  # only Sudzha (exact place) stays
    _wait_visible(seed_page, 1)
    seed_page.js("geomapMap.map.setView([51.19, 35.27], 10, {animate: false})")
    seed_page.js("geomapMap.openPopup(2)")
    page.click(".gm-permalink")
    url = page.inner_text(".gm-permalink-text")
    assert url == page.url and "event=trt-4" in url, url
    again = OfflinePage(browser, url)
    try:
        assert again.js("geomapMap.visible") == 1
        assert again.js("geomapMap.filters.prec") == [1, 3, 0]
        assert again.js("geomapMap.map.getZoom()") == 10
        center = again.js("[geomapMap.map.getCenter().lat, geomapMap.map.getCenter().lng]")
        assert abs(center[0] - 51.19) < 1e-3 and abs(center[1] - 35.27) < 1e-3
        popup = again.page.wait_for_selector(".gm-event-popup", state="visible")
        assert popup.query_selector(".gm-popup-title").inner_text() == "Sudzha"
        again.page.click(".gm-panel-toggle")
        assert again.page.is_checked(".gm-f-prec[value='2']") is False
        assert again.errors == [] and again.requests == []
    finally:
        again.close()
    page.check(".gm-f-prec[value='2']")
    _wait_visible(seed_page, 3)
    seed_page.js("geomapMap.map.closePopup()")


def test_tools_are_there_and_labelled(seed_page):
    page = seed_page.page
    assert page.locator(".leaflet-control-zoom-fullscreen").count() == 1
    assert page.locator(".leaflet-control-measure").count() == 1
    assert page.locator(".leaflet-control-minimap").count() == 1
    assert page.locator(".leaflet-control-scale").count() == 1
    x, y = seed_page.js("""() => { const r = geomapMap.map.getContainer().getBoundingClientRect();
        return [r.left + r.width / 2, r.top + r.height / 2]; }""")
    page.mouse.move(x, y)
    lat, lon = seed_page.js("[geomapMap.map.getCenter().lat, geomapMap.map.getCenter().lng]")
    shown = re.match(r"([\d.]+)° N, ([\d.]+)° E", page.inner_text(".gm-coords"))
    assert shown and abs(float(shown[1]) - lat) < 0.01 and abs(float(shown[2]) - lon) < 0.01
    # every form control of the panel and timeline has a label; keyboard focus reaches them
    unlabelled = seed_page.js("""() => [...document.querySelectorAll(
        '.gm-control input, .gm-control select')].filter(el => !(el.labels && el.labels.length)
        && !el.getAttribute('aria-label')).map(el => el.className)""")
    assert unlabelled == []
    page.focus(".gm-panel-toggle")
    page.keyboard.press("Tab")
    assert seed_page.js("document.activeElement.closest('.gm-control') !== null")
    # the title box collapses
    page.click(".gm-collapse")
    assert page.is_hidden(".gm-title-body")
    page.click(".gm-collapse")
    assert page.is_visible(".gm-title-body")


def test_playback_animates_to_the_last_day(seed_page):
    lo, hi = seed_page.js("[geomapMap.data.dmin, geomapMap.data.dmax]")
    seed_page.page.click(".gm-time-play")
    # the window grows from the first day: Sudzha (August) first, all three at the end
    seed_page.page.wait_for_function("geomapMap.filters.to > geomapMap.data.dmin", timeout=10_000)
    assert seed_page.js("geomapMap.filters.from") == lo
    seed_page.page.wait_for_function(f"geomapMap.filters.to === {hi}", timeout=60_000)
    _wait_visible(seed_page, 3)


def test_ged_records_can_be_coloured_by_actor(browser, tmp_path_factory):
    from geomap.io import read_events

    ged = read_events(str(Path(__file__).resolve().parent.parent
                          / "data/events/ucdp_ged_ukraine_excerpt.csv"))
    page = OfflinePage(browser, _save(build_map(ged, title="GED"), tmp_path_factory, "ged.html"))
    try:
        # the excerpt is all state-based conflict (one type), so colour by the other side
        assert page.js("geomapMap.data.types.filter(t => t.count).length") == 1
        page.page.click(".gm-panel-toggle")
        page.page.select_option(".gm-f-color", "actor2")
        page.page.select_option(".gm-f-display", "markers")
        fills = page.js("new Set(geomapMap.markers.map(m => m.options.fillColor)).size")
        sides = ged["actor2"].replace("", None).nunique()
        assert sides > 1 and 2 <= fills <= min(sides, 9) + 1  # nine colours, then "other"
        assert "Colour: actor2" in page.page.inner_text(".gm-legend")
        assert "colour=actor2" in page.page.url
        # titles summarise outlets with counts, not raw source_article strings
        src = page.page.inner_text(".gm-title-src")
        assert re.search(r"\(\d+\)", src) and not re.search(r"\d{4}-\d{2}-\d{2}", src)
        assert page.errors == [] and page.requests == []
    finally:
        page.close()
