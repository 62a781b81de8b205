"""Generated maps in headless Chromium with the network off: they must work offline."""

from __future__ import annotations

import re
from pathlib import Path

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

    def __init__(self, browser, path: Path):
        self.context = browser.new_context(viewport={"width": 1200, "height": 800})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.route(re.compile(r"^(?!file:|data:).*"), self._block)
        self.context.set_offline(True)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.as_uri())
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
    seed_page.page.get_by_text("Heat map", exact=True).click()
    assert seed_page.js("geomapMap.map.hasLayer(geomapMap.layers.heat)") is True
    assert seed_page.js("document.querySelectorAll('canvas.leaflet-heatmap-layer').length") == 1


def test_many_events_cluster_offline(browser, tmp_path_factory):
    n = 5000
    m = build_map(synthetic_events(n, seed=3), buffer_events_km=None)
    page = OfflinePage(browser, _save(m, tmp_path_factory, "many.html"))
    try:
        assert page.js("geomapMap.layers.events.getLayers().length") == n
        clusters = page.js("document.querySelectorAll('.marker-cluster').length")
        assert 1 <= clusters < n
        # every event is either in a cluster icon's count or drawn on its own
        total = page.js("""() => {
            let s = 0;
            geomapMap.layers.events._featureGroup.eachLayer(l => {
                s += l.getChildCount ? l.getChildCount() : 1; });
            return s;
        }""")
        assert total == n
        assert page.requests == [] and page.errors == []
    finally:
        page.close()
