/* geomap map runtime (MIT). Builds every geomap layer from one compact data object.
 * All text from the data is HTML-escaped with geomap.esc before it reaches the DOM. */
(function () {
  "use strict";
  var geomap = (window.geomap = window.geomap || {});

  var ESC = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };
  geomap.esc = function (s) {
    return s === null || s === undefined ? "" : String(s).replace(/[&<>"'`]/g, function (c) { return ESC[c]; });
  };
  geomap.safeUrl = function (u) {
    return typeof u === "string" && /^https?:\/\/[^\s<>"']+$/i.test(u) ? u : "";
  };
  var DAY = 86400000;
  geomap.day = function (d) {
    return d === null || d === undefined ? "" : new Date(d * DAY).toISOString().slice(0, 10);
  };

  function str(D, field, i) {
    var col = D.text[field];
    return col ? D.strings[col[i]] || "" : "";
  }
  function num(D, field, i) {
    var col = D.num[field];
    return col ? col[i] : null;
  }
  function row(label, html) {
    return html ? "<tr><th>" + geomap.esc(label) + "</th><td>" + html + "</td></tr>" : "";
  }

  geomap.casualtiesHtml = function (D, i) {
    var parts = [];
    [["killed", "killed"], ["wounded", "wounded"], ["killed_or_wounded", "killed or wounded"],
     ["missing", "missing"], ["captured", "captured"]].forEach(function (f) {
      var v = num(D, f[0], i);
      if (v !== null && v !== undefined) parts.push(geomap.esc(v) + " " + f[1]);
    });
    var lo = num(D, "fatalities_low", i), best = num(D, "fatalities_best", i), hi = num(D, "fatalities_high", i);
    if (best !== null && best !== undefined) {
      var range = lo !== null && hi !== null && lo !== undefined && hi !== undefined && (lo !== best || hi !== best)
        ? " (" + geomap.esc(lo) + "–" + geomap.esc(hi) + ")" : "";
      parts.push("fatalities " + geomap.esc(best) + range);
    }
    return parts.join(", ");
  };

  geomap.dateHtml = function (D, i) {
    var a = D.d0[i], b = D.d1[i];
    if (a === null || a === undefined) return "<i>undated</i>";
    var s = geomap.esc(geomap.day(a));
    if (b !== null && b !== undefined && b !== a) s += " – " + geomap.esc(geomap.day(b));
    var p = num(D, "date_precision", i);
    if (p === 2) s += " <small>(±week / range)</small>";
    else if (p === 3) s += " <small>(month only)</small>";
    return s;
  };

  var PRECISION = { 1: "exact place", 2: "near the place / part of a region", 3: "region only" };

  geomap.popupHtml = function (D, i) {
    var e = geomap.esc;
    var loc = str(D, "location", i);
    var admin = [str(D, "admin2", i), str(D, "admin1", i), str(D, "country", i)].filter(Boolean).join(", ");
    var type = D.types[D.t[i]].name;
    var sub = str(D, "sub_event_type", i);
    var actors = [str(D, "actor1", i), str(D, "actor2", i)].filter(Boolean).map(e).join(" vs ");
    var url = geomap.safeUrl(str(D, "source_url", i));
    var src = str(D, "source", i);
    var srcHtml = url ? '<a href="' + e(url) + '" target="_blank" rel="noopener noreferrer nofollow">' +
      e(src || url) + "</a>" : e(src);
    var pub = str(D, "published", i);
    if (pub) srcHtml += " <small>(published " + e(pub) + ")</small>";
    var gp = num(D, "geo_precision", i);
    var conf = num(D, "confidence", i);
    var low = (conf !== null && conf !== undefined && conf < D.lowConfidence) || num(D, "needs_review", i) === 1;
    var h = '<div class="gm-popup"><div class="gm-popup-title">' + e(loc || "(unnamed place)") + "</div>";
    if (admin) h += '<div class="gm-popup-admin">' + e(admin) + "</div>";
    h += "<table>";
    h += row("Date", geomap.dateHtml(D, i));
    h += row("Type", e(type) + (sub ? " › " + e(sub) : ""));
    h += row("Actors", actors);
    h += row("Casualties", geomap.casualtiesHtml(D, i));
    h += row("Claimed by", e(str(D, "claimed_by", i)));
    h += row("Verification", e(str(D, "verification", i)));
    h += row("Source", srcHtml);
    h += row("Geo precision", gp !== null && gp !== undefined ? e(gp) + " – " + e(PRECISION[gp] || "") : "");
    h += row("Confidence", conf !== null && conf !== undefined ? e(conf) + (low ? ' <span class="gm-low">low – check</span>' : "") : "");
    if (low) h += row("Alternatives", e(str(D, "alternatives", i)) || "<i>none recorded</i>");
    h += row("Notes", e(str(D, "notes", i)));
    h += row("Event id", e(str(D, "event_id", i)));
    h += "</table></div>";
    return h;
  };

  geomap.tooltipHtml = function (D, i) {
    var e = geomap.esc, c = geomap.casualtiesHtml(D, i);
    return "<b>" + e(str(D, "location", i) || "(unnamed place)") + "</b> · " + geomap.dateHtml(D, i) +
      "<br>" + e(D.types[D.t[i]].name) + (c ? "<br>" + c : "");
  };

  function pane(map, name, z) {
    var p = map.getPane(name) || map.createPane(name);
    p.style.zIndex = z;
    return p;
  }

  function geojsonLayer(data, style, labelProp, paneName, interactive) {
    return L.geoJSON(data, {
      pane: paneName,
      interactive: !!interactive,
      style: function () { return style; },
      onEachFeature: function (f, layer) {
        if (interactive && labelProp && f.properties[labelProp]) {
          layer.bindTooltip(geomap.esc(f.properties[labelProp]), { sticky: true });
        }
      },
    });
  }

  function zonesLayer(data, renderer) {
    return L.geoJSON(data, {
      pane: "gm-zones",
      renderer: renderer,
      style: function (f) {
        var z = f.properties;
        return { color: z.color, weight: 2, dashArray: z.kind === "border" ? "6 4" : null,
                 fillColor: z.color, fillOpacity: z.kind === "border" ? 0.12 : 0.18, gmKind: "zone" };
      },
      onEachFeature: function (f, layer) {
        var z = f.properties, e = geomap.esc;
        layer.options.gmKind = "zone";
        var h = '<div class="gm-popup"><div class="gm-popup-title">' + e(z.name) + "</div><table>" +
          row("Zone", e(z.label)) + row("Area", e(z.area_km2) + " km²") +
          (z.n_points > 1 ? row("Places", e(z.n_points)) : "") + "</table></div>";
        layer.bindPopup(h);
        layer.bindTooltip(e(z.name) + " · " + e(z.label), { sticky: true });
      },
    });
  }

  function labelsLayer(labels) {
    var g = L.layerGroup();
    labels.forEach(function (l) {
      L.marker([l[0], l[1]], {
        pane: "gm-labels", interactive: false, keyboard: false,
        icon: L.divIcon({ className: "gm-label gm-label-" + l[3], html: geomap.esc(l[2]), iconSize: null }),
      }).addTo(g);
    });
    return g;
  }

  geomap.init = function (map, D) {
    pane(map, "gm-base", 150);
    pane(map, "gm-boundaries", 250);
    pane(map, "gm-zones", 380);
    pane(map, "gm-border", 420).style.pointerEvents = "none";
    pane(map, "gm-context", 430);
    pane(map, "gm-events", 450);
    pane(map, "gm-labels", 470).style.pointerEvents = "none";
    // no tile layer offline, so the map has no zoom range of its own (clustering needs one)
    if (map.options.maxZoom === undefined) map.options.maxZoom = 18;
    if (map.options.minZoom === undefined) map.options.minZoom = 2;
    // leave room for the title (top left) and the time control and legend (bottom)
    if (D.fit) map.fitBounds(D.fit, { paddingTopLeft: [40, 90], paddingBottomRight: [40, 150],
                                      maxZoom: D.fitMaxZoom || 11, animate: false });
    var svg = L.svg({ pane: "gm-zones" });
    var self = { map: map, data: D, layers: {}, markers: [], visible: 0 };
    var B = D.boundaries || {};
    var base = L.layerGroup();
    if (B.countries) {
      L.geoJSON(B.countries, {
        pane: "gm-base", interactive: false,
        style: function (f) {
          return { stroke: false, fillColor: f.properties.fill || "#f4f1ea", fillOpacity: 1 };
        },
      }).addTo(base);
    }
    self.layers.base = base;
    if (B.countries) self.layers.countries = geojsonLayer(B.countries, { color: "#777", weight: 1.5, opacity: 0.7, fill: false }, null, "gm-boundaries");
    if (B.admin1) self.layers.admin1 = geojsonLayer(B.admin1, { color: "#8a7f72", weight: 1.2, fill: false, dashArray: "5 3" }, null, "gm-boundaries");
    if (B.admin2) self.layers.admin2 = geojsonLayer(B.admin2, { color: "#b3a999", weight: 0.7, fill: false }, null, "gm-boundaries");
    if (B.border) self.layers.border = geojsonLayer(B.border, { color: "#c0392b", weight: 2.5, opacity: 0.9 }, null, "gm-border");
    if (D.offline) map.getContainer().classList.add("gm-offline");
    if (D.bands) self.layers.bands = zonesLayer(D.bands, svg);
    if (D.zones) self.layers.zones = zonesLayer(D.zones, svg);
    if (D.labels && D.labels.length) self.layers.labels = labelsLayer(D.labels);
    if (D.context && D.context.n) {
      var cg = L.featureGroup();
      var cr = L.canvas({ pane: "gm-context" });
      for (var c = 0; c < D.context.n; c++) {
        L.circleMarker([D.context.lat[c], D.context.lon[c]], {
          renderer: cr, radius: 4, color: "#444", weight: 1.5, fillColor: "#fff", fillOpacity: 1, gmKind: "context",
        }).bindTooltip(geomap.esc(D.context.name[c]) + (D.context.note[c] ? "<br>" + geomap.esc(D.context.note[c]) : ""))
          .addTo(cg);
      }
      self.layers.context = cg;
    }
    // events
    var renderer = L.canvas({ pane: "gm-events", padding: 0.3 });
    var n = D.n, markers = new Array(n);
    var gp = D.num.geo_precision;
    for (var i = 0; i < n; i++) {
      var region = gp && gp[i] === 3;  // only the region is known: a faint ring, not a dot
      markers[i] = L.circleMarker([D.lat[i], D.lon[i]], {
        renderer: renderer, radius: D.r[i], color: region ? D.types[D.t[i]].color : "#222",
        weight: region ? 2 : 1, opacity: 0.9, dashArray: region ? "3 3" : null,
        fillColor: D.types[D.t[i]].color, fillOpacity: region ? 0.25 : 0.85, gmIndex: i, gmKind: "event",
      });
    }
    self.markers = markers;
    var group = D.cluster
      ? L.markerClusterGroup({
          chunkedLoading: true, chunkInterval: 150, maxClusterRadius: 45,
          spiderfyOnMaxZoom: true, showCoverageOnHover: false, removeOutsideVisibleBounds: true,
          chunkProgress: function (done, total) { if (done === total) setTimeout(self._loaded, 0); },
        })
      : L.featureGroup();
    group.on("click", function (ev) {
      var m = ev.layer || ev.propagatedFrom;
      if (!m || m.options.gmIndex === undefined) return;
      self.openPopup(m.options.gmIndex);
    });
    group.on("mouseover", function (ev) {
      var m = ev.layer || ev.propagatedFrom;
      if (!m || m.options.gmIndex === undefined) return;
      if (!m.getTooltip()) m.bindTooltip(geomap.tooltipHtml(D, m.options.gmIndex));
      m.openTooltip();
    });
    self.layers.events = group;
    if (D.heat && window.L.heatLayer) {
      self.layers.heat = L.heatLayer([], { radius: 18, blur: 16, maxZoom: 11, minOpacity: 0.3 });
    }
    self.openPopup = function (i) {
      var m = markers[i];
      self.popup = L.popup({ maxWidth: 380, className: "gm-event-popup" })
        .setLatLng(m.getLatLng()).setContent(geomap.popupHtml(D, i)).openOn(map);
      return self.popup;
    };
    self._loaded = function () {
      if (self.ready) return;
      self.ready = true;
      window.__geomapReady = true;
      window.__geomapReadyAt = performance.now();
      map.fire("geomap:ready");
    };
    self.setTimeRange = function (a, b) {
      var keep = [];
      for (var k = 0; k < n; k++) {
        var d0 = D.d0[k], d1 = D.d1[k];
        if (d0 === null || d0 === undefined) { keep.push(markers[k]); continue; }
        if (d1 === null || d1 === undefined) d1 = d0;
        if (d1 >= a && d0 <= b) keep.push(markers[k]);
      }
      self.visible = keep.length;
      group.clearLayers();
      if (D.cluster) group.addLayers(keep); else keep.forEach(function (m) { group.addLayer(m); });
      if (self.layers.heat) self.layers.heat.setLatLngs(keep.map(function (m) { return m.getLatLng(); }));
      if (self.onFilter) self.onFilter(a, b, keep.length);
      return keep.length;
    };
    return self;
  };

  geomap.finish = function (self) {
    var map = self.map, D = self.data;
    // load the events (chunked for clusters; the ready flag fires when all are in)
    var lo = D.dmin, hi = D.dmax;
    self.setTimeRange(lo === null ? -1e9 : lo, hi === null ? 1e9 : hi);
    if (!D.cluster) self._loaded();
    if (D.attribution) map.attributionControl.addAttribution(geomap.esc(D.attribution));
    addTitle(map, D);
    addLegend(map, D);
    if (lo !== null && hi !== null && hi > lo) addTimeControl(self, lo, hi);
    if (self.layers.labels) {
      var places = D.labels.filter(function (l) { return l[3] === "place"; }).length;
      if (places > 25) map.getContainer().classList.add("gm-many-places");
      var toggle = function () {
        var z = map.getZoom(), el = map.getContainer();
        el.classList.toggle("gm-zoom-low", z < 6);
        el.classList.toggle("gm-zoom-mid", z >= 8);
        el.classList.toggle("gm-zoom-high", z >= 10);
      };
      map.on("zoomend", toggle);
      toggle();
    }
    window.geomapMap = self;
  };

  function control(position, cls, html) {
    var C = L.Control.extend({
      onAdd: function () {
        var div = L.DomUtil.create("div", "gm-control " + cls);
        div.innerHTML = html;
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      },
    });
    return new C({ position: position });
  }

  function addTitle(map, D) {
    var e = geomap.esc;
    var h = "";
    if (D.title) h += '<div class="gm-title-main">' + e(D.title) + "</div>";
    var sub = [];
    if (D.dmin !== null) sub.push(e(geomap.day(D.dmin)) + (D.dmax !== D.dmin ? " – " + e(geomap.day(D.dmax)) : ""));
    sub.push(e(D.n) + " event" + (D.n === 1 ? "" : "s"));
    if (D.outside) sub.push('<span class="gm-low" title="low-confidence or region-level locations">' +
      e(D.outside) + " event" + (D.outside === 1 ? "" : "s") + " outside this view</span>");
    if (D.dropped) sub.push('<span class="gm-low">' + e(D.dropped) + " without coordinates not shown</span>");
    h += '<div class="gm-title-sub">' + sub.join(" · ") + "</div>";
    if (D.sources && D.sources.length) {
      h += '<div class="gm-title-src">Sources: ' + D.sources.map(function (s) {
        var u = geomap.safeUrl(s[1]);
        return u ? '<a href="' + e(u) + '" target="_blank" rel="noopener noreferrer nofollow">' + e(s[0]) + "</a>" : e(s[0]);
      }).join(", ") + (D.moreSources ? " and " + e(D.moreSources) + " more" : "") + "</div>";
    }
    control("topleft", "gm-title", h).addTo(map);
  }

  function addLegend(map, D) {
    var e = geomap.esc;
    var h = '<div class="gm-legend-head">Events</div>';
    D.types.forEach(function (t) {
      if (!t.count) return;
      h += '<div><span class="gm-dot" style="background:' + e(t.color) + '"></span>' + e(t.name) +
        ' <small>(' + e(t.count) + ")</small></div>";
    });
    h += '<div class="gm-legend-size"><span class="gm-dot gm-dot-s"></span><span class="gm-dot gm-dot-l"></span>' +
      "size: reported casualties</div>";
    if (D.num.geo_precision && D.num.geo_precision.indexOf(3) >= 0) {
      h += '<div><span class="gm-dot gm-dot-region"></span>only the region is known</div>';
    }
    if (D.context && D.context.n) h += '<div><span class="gm-dot gm-dot-ctx"></span>context place (no event)</div>';
    var zf = (D.zones ? D.zones.features : []).concat(D.bands ? D.bands.features : []);
    if (zf.length) {
      h += '<div class="gm-legend-head">Zones</div>';
      var seen = {};
      zf.forEach(function (f) {
        var z = f.properties, key = z.kind + z.label + (z.kind === "buffer" ? z.name : "");
        if (seen[key]) return;
        seen[key] = 1;
        h += '<div><span class="gm-swatch" style="border-color:' + e(z.color) + ";background:" + e(z.color) +
          '33"></span>' + e(z.kind === "border" ? z.label : z.kind === "events" ? z.label + " around events"
            : (z.name + " · " + z.label)) + "</div>";
      });
    }
    if (D.boundaries && D.boundaries.border) h += '<div><span class="gm-line"></span>RU–UA border (OSM)</div>';
    control("bottomright", "gm-legend", h).addTo(map);
  }

  function addTimeControl(self, lo, hi) {
    var h = '<div class="gm-time-head">Event dates</div>' +
      '<label>from <input type="range" class="gm-from" min="' + lo + '" max="' + hi + '" value="' + lo + '"></label>' +
      '<label>to <input type="range" class="gm-to" min="' + lo + '" max="' + hi + '" value="' + hi + '"></label>' +
      '<div class="gm-time-text"></div><button type="button" class="gm-time-play">▶ play</button> ' +
      '<button type="button" class="gm-time-all">all dates</button>';
    var ctl = control("bottomleft", "gm-time", h).addTo(self.map);
    var div = ctl.getContainer();
    var from = div.querySelector(".gm-from"), to = div.querySelector(".gm-to"), text = div.querySelector(".gm-time-text");
    var timer = null;
    function show(a, b, count) {
      text.textContent = geomap.day(a) + " – " + geomap.day(b) + " · " + count + " of " + self.data.n + " events";
    }
    self.onFilter = show;
    var pending = null;
    function apply() {
      var a = +from.value, b = +to.value;
      if (a > b) { if (this === from) to.value = a; else from.value = b; a = +from.value; b = +to.value; }
      clearTimeout(pending);
      pending = setTimeout(function () { self.setTimeRange(a, b); }, self.data.n > 20000 ? 250 : 30);
      show(a, b, "…");
    }
    from.addEventListener("input", apply);
    to.addEventListener("input", apply);
    div.querySelector(".gm-time-all").addEventListener("click", function () {
      clearInterval(timer); timer = null;
      from.value = lo; to.value = hi; self.setTimeRange(lo, hi);
    });
    div.querySelector(".gm-time-play").addEventListener("click", function () {
      if (timer) { clearInterval(timer); timer = null; return; }
      var step = Math.max(1, Math.round((hi - lo) / 40)), cur = lo;
      timer = setInterval(function () {
        cur = Math.min(hi, cur + step);
        from.value = lo; to.value = cur; self.setTimeRange(lo, cur);
        if (cur >= hi) { clearInterval(timer); timer = null; }
      }, 600);
    });
    show(lo, hi, self.visible);
  }
})();
