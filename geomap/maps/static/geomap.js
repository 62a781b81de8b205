/* geomap map runtime (MIT). Builds every geomap layer from one compact data object and
 * the analyst's controls: filters, search, timeline, density grid, export and permalink.
 * All text from the data is HTML-escaped with geomap.esc (or set as textContent) before
 * it reaches the DOM. */
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
  geomap.parseDay = function (s) {
    var t = Date.parse(String(s) + "T00:00:00Z");
    return isNaN(t) ? null : Math.round(t / DAY);
  };

  function str(D, field, i) {
    var col = D.text[field];
    return col ? D.strings[col[i]] || "" : "";
  }
  function num(D, field, i) {
    var col = D.num[field];
    return col ? col[i] : null;
  }
  function has(v) { return v !== null && v !== undefined; }
  function row(label, html) {
    return html ? "<tr><th>" + geomap.esc(label) + "</th><td>" + html + "</td></tr>" : "";
  }

  geomap.casualtiesHtml = function (D, i) {
    var text = str(D, "casualties", i);  // formatted in Python, with the qualifiers of the notes
    if (text) return geomap.esc(text);
    var parts = [];
    [["killed", "killed"], ["wounded", "wounded"], ["killed_or_wounded", "killed or wounded"],
     ["missing", "missing"], ["captured", "captured"]].forEach(function (f) {
      var v = num(D, f[0], i);
      if (has(v)) parts.push(geomap.esc(v) + " " + f[1]);
    });
    var lo = num(D, "fatalities_low", i), best = num(D, "fatalities_best", i), hi = num(D, "fatalities_high", i);
    if (has(best)) {
      var range = has(lo) && has(hi) && (lo !== best || hi !== best) ? " (" + geomap.esc(lo) + "–" + geomap.esc(hi) + ")" : "";
      parts.push("fatalities " + geomap.esc(best) + range);
    }
    return parts.join(", ");
  };

  geomap.dateHtml = function (D, i) {
    var a = D.d0[i], b = D.d1[i];
    if (!has(a)) return "<i>undated</i>";
    var s = geomap.esc(geomap.day(a));
    if (has(b) && b !== a) s += " – " + geomap.esc(geomap.day(b));
    var p = num(D, "date_precision", i);
    if (p === 2) s += " <small>(±week / range)</small>";
    else if (p === 3) s += " <small>(month only)</small>";
    return s;
  };

  var PRECISION = { 1: "exact place", 2: "near the place / part of a region", 3: "region only" };

  function isLow(D, i) {
    var conf = num(D, "confidence", i);
    return (has(conf) && conf < D.lowConfidence) || num(D, "needs_review", i) === 1;
  }

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
    var low = isLow(D, i);
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
    h += row("Geo precision", has(gp) ? e(gp) + " – " + e(PRECISION[gp] || "") +
      (gp === 3 && D.reg && D.reg[i] >= 0 ? " <small>(drawn as the region)</small>" : "") : "");
    h += row("Confidence", has(conf) ? e(conf) + (low ? ' <span class="gm-low">low – check</span>' : "") : "");
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

  function geojsonLayer(data, style, paneName) {
    return L.geoJSON(data, { pane: paneName, interactive: false, style: function () { return style; } });
  }

  function zonesLayer(data, renderer) {
    return L.geoJSON(data, {
      pane: "gm-zones",
      renderer: renderer,
      style: function (f) {
        var z = f.properties;
        return { color: z.color, weight: 2, dashArray: z.kind === "border" ? "6 4" : null,
                 fillColor: z.color, fillOpacity: z.kind === "border" ? 0.12 : 0.18 };
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

  // ------------------------------------------------------------------ filters
  function defaultFilters(D) {
    return { hidden: [], sub: "", actor: "", verif: "", casMin: null, casMax: null,
             prec: [1, 2, 3, 0], confMin: 0, from: D.dmin, to: D.dmax };
  }

  // one pass over the events: which pass the filters (optionally ignoring the dates)
  function computeMask(self, F, ignoreDates) {
    var D = self.data, n = D.n, mask = new Uint8Array(n);
    var hidden = {}; F.hidden.forEach(function (t) { hidden[t] = 1; });
    var precOk = { 0: 0, 1: 0, 2: 0, 3: 0 }; F.prec.forEach(function (p) { precOk[p] = 1; });
    var gp = D.num.geo_precision, conf = D.num.confidence, cas = D.cas;
    var subCol = D.text.sub_event_type, verCol = D.text.verification;
    var subCode = F.sub ? D.strings.indexOf(F.sub) : -1, verCode = F.verif ? D.strings.indexOf(F.verif) : -1;
    var actorOk = null;
    if (F.actor) {
      var q = F.actor.toLowerCase(), a1 = D.text.actor1, a2 = D.text.actor2;
      var codeOk = new Uint8Array(D.strings.length);
      for (var s = 0; s < D.strings.length; s++) if (D.strings[s].toLowerCase().indexOf(q) >= 0) codeOk[s] = 1;
      actorOk = function (i) { return (a1 && codeOk[a1[i]]) || (a2 && codeOk[a2[i]]); };
    }
    var from = has(F.from) ? F.from : -1e9, to = has(F.to) ? F.to : 1e9;
    for (var i = 0; i < n; i++) {
      if (hidden[D.t[i]]) continue;
      var p = gp ? gp[i] : null;
      if (!precOk[has(p) ? p : 0]) continue;
      if (F.confMin > 0 && conf && has(conf[i]) && conf[i] < F.confMin) continue;
      var c = cas ? cas[i] || 0 : 0;
      if (has(F.casMin) && c < F.casMin) continue;
      if (has(F.casMax) && c > F.casMax) continue;
      if (F.sub && (!subCol || subCol[i] !== subCode)) continue;
      if (F.verif && (!verCol || verCol[i] !== verCode)) continue;
      if (actorOk && !actorOk(i)) continue;
      if (!ignoreDates) {
        var d0 = D.d0[i], d1 = D.d1[i];
        if (has(d0)) {
          if (!has(d1)) d1 = d0;
          if (d1 < from || d0 > to) continue;
        }
      }
      mask[i] = 1;
    }
    return mask;
  }

  // ------------------------------------------------------------------ hex density grid
  var PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"];
  var OTHER_COLOR = "#7f7f7f";
  var HEX_COLORS = ["#fee8c8", "#fdd49e", "#fdbb84", "#fc8d59", "#e34a33", "#b30000"];
  function HexGrid(self) {
    var map = self.map, D = self.data, group = L.featureGroup(), R = 20, SQ3 = Math.sqrt(3);
    var renderer = L.canvas({ pane: "gm-events", padding: 0.2 });
    group.on("mouseover", function (ev) {
      var h = ev.layer && ev.layer.options.gmHex;
      if (!h) return;
      var top = h.types.map(function (c, k) { return [c, k]; }).filter(function (x) { return x[0]; })
        .sort(function (a, b) { return b[0] - a[0]; }).slice(0, 3)
        .map(function (x) { return geomap.esc(D.types[x[1]].name) + " " + x[0]; });
      ev.layer.bindTooltip("<b>" + h.n + " event" + (h.n === 1 ? "" : "s") + "</b> · " + h.cas +
        " reported casualties<br>" + top.join(", ")).openTooltip();
    });
    function update() {
      group.clearLayers();
      if (!map.hasLayer(group) || !self.mask) return;
      var z = map.getZoom(), scale = 256 * Math.pow(2, z), mask = self.mask, bins = {}, list = [];
      var b = map.getBounds().pad(0.2), W = b.getWest(), E = b.getEast(), S = b.getSouth(), N = b.getNorth();
      for (var i = 0; i < D.n; i++) {
        if (!mask[i]) continue;
        var lat = D.lat[i], lon = D.lon[i];
        if (lat < S || lat > N || lon < W || lon > E) continue;
        var x = (lon + 180) / 360 * scale, s = Math.sin(lat * Math.PI / 180);
        var y = (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * scale;
        var q = (SQ3 / 3 * x - y / 3) / R, r = (2 / 3 * y) / R;
        var rx = Math.round(q), rz = Math.round(r), ry = Math.round(-q - r);
        var dx = Math.abs(rx - q), dz = Math.abs(rz - r), dy = Math.abs(ry + q + r);
        if (dx > dy && dx > dz) rx = -ry - rz; else if (dy <= dz) rz = -rx - ry;
        var key = rx + "," + rz, bin = bins[key];
        if (!bin) { bin = bins[key] = { q: rx, r: rz, n: 0, cas: 0, types: D.types.map(function () { return 0; }) }; list.push(bin); }
        bin.n++; bin.cas += D.cas ? D.cas[i] || 0 : 0; bin.types[D.t[i]]++;
      }
      var max = 1;
      list.forEach(function (h) { if (h.n > max) max = h.n; });
      list.forEach(function (h) {
        var cx = R * SQ3 * (h.q + h.r / 2), cy = R * 1.5 * h.r, pts = [];
        for (var k = 0; k < 6; k++) {
          var ang = Math.PI / 180 * (60 * k - 30), px = cx + R * Math.cos(ang), py = cy + R * Math.sin(ang);
          pts.push([Math.atan(Math.sinh(Math.PI * (1 - 2 * py / scale))) * 180 / Math.PI, px / scale * 360 - 180]);
        }
        var cls = Math.min(HEX_COLORS.length - 1, Math.floor(Math.log(h.n) / Math.log(max + 1) * HEX_COLORS.length));
        L.polygon(pts, { renderer: renderer, color: "#7a3b1d", weight: 0.6, fillColor: HEX_COLORS[cls],
                         fillOpacity: 0.75, gmHex: h }).addTo(group);
      });
      self.hexCells = list.length;
    }
    map.on("zoomend moveend", function () { if (map.hasLayer(group)) update(); });
    group.on("add", function () { setTimeout(update, 0); });
    return { layer: group, update: update };
  }

  // ------------------------------------------------------------------ init
  geomap.timings = { script: Math.round(performance.now()) };
  function mark(name) { geomap.timings[name] = Math.round(performance.now()); }

  geomap.init = function (map, D) {
    mark("init");
    pane(map, "gm-base", 150);
    pane(map, "gm-boundaries", 250);
    pane(map, "gm-regions", 360);
    pane(map, "gm-zones", 380);
    pane(map, "gm-border", 420).style.pointerEvents = "none";
    pane(map, "gm-context", 430);
    pane(map, "gm-events", 450);
    pane(map, "gm-labels", 470).style.pointerEvents = "none";
    // no tile layer offline, so the map has no zoom range of its own (clustering needs one)
    if (map.options.maxZoom === undefined) map.options.maxZoom = 18;
    if (map.options.minZoom === undefined) map.options.minZoom = 2;
    if (!D.d1) D.d1 = D.d0;  // every event lasts one day
    var svg = L.svg({ pane: "gm-zones" });
    var self = { map: map, data: D, layers: {}, markers: [], visible: 0, filters: defaultFilters(D) };
    var B = D.boundaries || {};
    var base = L.layerGroup();
    if (B.context_countries) {  // the rest of Europe, coarse, for the zoomed-out view
      L.geoJSON(B.context_countries, {
        pane: "gm-base", interactive: false,
        style: function (f) {
          return f.properties.part === "fill" ? { stroke: false, fillColor: "#f4f1ea", fillOpacity: 1 }
            : { color: "#999", weight: 1, opacity: 0.7, fill: false };
        },
      }).addTo(base);
    }
    if (B.countries) {
      L.geoJSON(B.countries, {
        pane: "gm-base", interactive: false,
        style: function (f) { return { stroke: false, fillColor: f.properties.fill || "#f4f1ea", fillOpacity: 1 }; },
      }).addTo(base);
    }
    self.layers.base = base;
    if (B.outlines) self.layers.countries = geojsonLayer(B.outlines, { color: "#777", weight: 1.5, opacity: 0.7, fill: false }, "gm-boundaries");
    if (B.admin1) self.layers.admin1 = geojsonLayer(B.admin1, { color: "#8a7f72", weight: 1.2, fill: false, dashArray: "5 3" }, "gm-boundaries");
    if (B.admin2) self.layers.admin2 = geojsonLayer(B.admin2, { color: "#b3a999", weight: 0.7, fill: false }, "gm-boundaries");
    if (B.border) self.layers.border = geojsonLayer(B.border, { color: "#c0392b", weight: 2.5, opacity: 0.9 }, "gm-border");
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
    // region-level events (geo_precision 3) with a known region: the region polygon, not a dot
    self.regionLayers = [];
    if (D.regions && D.regions.features.length) {
      var rg = L.featureGroup();
      var rsvg = L.svg({ pane: "gm-regions" });
      L.geoJSON(D.regions, { pane: "gm-regions", renderer: rsvg,
        style: function () { return { color: "#555", weight: 2, dashArray: "4 4", fillColor: "#888", fillOpacity: 0.07 }; },
        onEachFeature: function (f, layer) { layer.options.gmRegion = self.regionLayers.length; self.regionLayers.push(layer); },
      });
      rg.on("click", function (ev) {
        var k = ev.layer && ev.layer.options.gmRegion;
        if (k === undefined) return;
        var list = [];
        for (var i = 0; i < D.n; i++) if (D.reg[i] === k && self.mask[i]) list.push(i);
        if (list.length) self.openPopup(list[0], ev.latlng, list);
      });
      self.layers.regions = rg;
    }
    // colours: by event type, or by another field (GED records are often all one type)
    self.colorBy = "type";
    self.colorTable = null;
    self.colorOf = function (i) {
      if (self.colorBy === "type" || !self.colorTable) return D.types[D.t[i]].color;
      var col = D.text[self.colorBy], c = col ? self.colorTable.byCode[col[i]] : undefined;
      return c || OTHER_COLOR;
    };
    self.setColorBy = function (field) {
      self.colorBy = field === "type" || !D.text[field] ? "type" : field;
      self.colorTable = null;
      if (self.colorBy !== "type") {
        var col = D.text[self.colorBy], counts = {};
        for (var i = 0; i < n; i++) counts[col[i]] = (counts[col[i]] || 0) + 1;
        var codes = Object.keys(counts).filter(function (c) { return D.strings[c]; })
          .sort(function (a, b) { return counts[b] - counts[a]; }).slice(0, PALETTE.length);
        var byCode = {}, items = [];
        codes.forEach(function (c, k) { byCode[c] = PALETTE[k]; items.push([D.strings[c], PALETTE[k], counts[c]]); });
        self.colorTable = { byCode: byCode, items: items };
      }
      if (markers) for (var m = 0; m < n; m++) {
        var c2 = self.colorOf(m), region = D.num.geo_precision && D.num.geo_precision[m] === 3;
        markers[m].setStyle(region ? { color: c2, fillColor: c2 } : { fillColor: c2 });
      }
      if (self.onColor) self.onColor();
      if (self.mask) self.apply();
    };
    // events: canvas circle markers, made when first shown (a large set starts as the grid)
    var n = D.n, markers = null;
    function ensureMarkers() {
      if (markers || D.lite) return markers;
      markers = new Array(n);
      var renderer = L.canvas({ pane: "gm-events", padding: 0.3 });
      var gp = D.num.geo_precision;
      for (var i = 0; i < n; i++) {
        var region = gp && gp[i] === 3;  // only the region is known: a faint ring, not a dot
        var col = self.colorOf(i);
        markers[i] = L.circleMarker([D.lat[i], D.lon[i]], {
          renderer: renderer, radius: D.r[i], color: region ? col : "#222",
          weight: region ? 2 : 1, opacity: 0.9, dashArray: region ? "3 3" : null,
          fillColor: col, fillOpacity: region ? 0.25 : 0.85, gmIndex: i, gmKind: "event",
        });
      }
      self.markers = markers;
      return markers;
    }
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
    function fillEvents(keepIdx) {
      self.pendingMarkers = null;
      var all = ensureMarkers(), keep = keepIdx.map(function (k) { return all[k]; });
      group.clearLayers();
      if (D.cluster) group.addLayers(keep); else keep.forEach(function (m) { group.addLayer(m); });
    }
    group.on("add", function () { if (self.pendingMarkers) fillEvents(self.pendingMarkers); });
    mark("markers");
    self.hex = HexGrid(self);
    self.layers.hex = self.hex.layer;
    if (D.heat && window.L.heatLayer) {
      self.layers.heat = L.heatLayer([], { radius: 18, blur: 16, maxZoom: 11, minOpacity: 0.3 });
    }
    self.eventLatLng = function (i) {
      if (D.reg && D.reg[i] >= 0) return self.regionLayers[D.reg[i]].getBounds().getCenter();
      return L.latLng(D.lat[i], D.lon[i]);
    };
    self.openPopup = function (i, at, others) {
      var h = geomap.popupHtml(D, i);
      if (others && others.length > 1) {
        h += '<div class="gm-popup-more">' + geomap.esc(others.length - 1) + " more region-level event" +
          (others.length > 2 ? "s" : "") + " here: " + others.slice(1, 11).map(function (k) {
            return '<button type="button" class="gm-link" data-event="' + k + '">' +
              geomap.esc(str(D, "location", k) || geomap.day(D.d0[k])) + " " + geomap.esc(geomap.day(D.d0[k])) + "</button>";
          }).join(" ") + "</div>";
      }
      // open first: closing the previous popup clears the selection
      self.popup = L.popup({ maxWidth: 380, className: "gm-event-popup" })
        .setLatLng(at || self.eventLatLng(i)).setContent(h).openOn(map);
      self.selected = i;
      var el = self.popup.getElement();
      if (el) el.querySelectorAll("button[data-event]").forEach(function (b) {
        b.addEventListener("click", function () { self.openPopup(+b.getAttribute("data-event"), at, others); });
      });
      if (self.writeHash) self.writeHash();
      return self.popup;
    };
    map.on("popupclose", function (ev) {
      if (ev.popup !== self.popup) return;
      self.selected = null;
      if (self.writeHash) self.writeHash();
    });
    self._loaded = function () {
      if (self.ready) return;
      self.ready = true;
      window.__geomapReady = true;
      window.__geomapReadyAt = performance.now();
      map.fire("geomap:ready");
    };

    // apply the filters: markers, clusters, regions, heat, hex grid, counts, timeline
    self.apply = function () {
      var F = self.filters;
      self.mask = computeMask(self, F, false);
      var mask = self.mask, keep = [], heat = [], count = 0, perType = D.types.map(function () { return 0; });
      var regionCount = self.regionLayers.map(function () { return 0; });
      for (var k = 0; k < n; k++) {
        if (!mask[k]) continue;
        count++;
        perType[D.t[k]]++;
        if (D.reg && D.reg[k] >= 0) { regionCount[D.reg[k]]++; continue; }
        if (!D.lite) keep.push(k);
        if (self.layers.heat) heat.push([D.lat[k], D.lon[k]]);
      }
      self.visible = count;
      self.visibleByType = perType;
      if (!D.lite) {
        // a cluster group off the map checks every added marker against its queue (O(n²)):
        // feed it when it is shown instead
        if (D.cluster && !map.hasLayer(group)) self.pendingMarkers = keep;
        else fillEvents(keep);
      }
      if (self.layers.regions) {
        self.layers.regions.clearLayers();
        regionCount.forEach(function (c, r) {
          if (!c) return;
          var layer = self.regionLayers[r], t = -1;
          for (var k2 = 0; k2 < n && t < 0; k2++) if (mask[k2] && D.reg[k2] === r) t = k2;
          layer.setStyle({ color: self.colorOf(t) });
          self.layers.regions.addLayer(layer);
        });
      }
      if (self.layers.heat) self.layers.heat.setLatLngs(heat);
      self.hex.update();
      if (self.onFilter) self.onFilter();
      if (self.writeHash) self.writeHash();
      return count;
    };
    self.setFilters = function (patch) {
      for (var key in patch) if (Object.prototype.hasOwnProperty.call(patch, key)) self.filters[key] = patch[key];
      var c = self.apply();
      if (self.syncControls) self.syncControls();
      return c;
    };
    // kept for older callers: only the date range
    self.setTimeRange = function (a, b) { return self.setFilters({ from: a, to: b }); };
    return self;
  };

  // ------------------------------------------------------------------ finish
  geomap.finish = function (self) {
    var map = self.map, D = self.data;
    mark("finish");
    if (D.attribution) map.attributionControl.addAttribution(geomap.esc(D.attribution));
    var title = addTitle(map, D);
    addLegend(self);
    var time = D.dmin !== null && D.dmax !== null && D.dmax > D.dmin ? addTimeControl(self) : null;
    addPanel(self);
    mark("panel");
    addTools(self);
    // fit below the title and above the timeline/legend, so that no control covers data
    if (D.fit) {
      var top = title.getContainer().offsetHeight + 20;
      var bottom = Math.max(time ? time.getContainer().offsetHeight : 0, 60) + 20;
      map.fitBounds(D.fit, { paddingTopLeft: [50, top], paddingBottomRight: [60, bottom],
                             maxZoom: D.fitMaxZoom || 11, animate: false });
    }
    mark("controls");
    var restored = readHash(self);
    if (self.pendingColor) self.setColorBy(self.pendingColor);
    self.chooseDisplay();
    self.apply();
    if (self.syncControls) self.syncControls();
    // clusters report ready when loaded; otherwise (no clusters, or the grid shown) now
    if (!D.cluster || D.lite || !map.hasLayer(self.layers.events)) self._loaded();
    mark("filtered");
    if (restored && restored.ev !== undefined) self.openPopup(restored.ev);
    self.writeHash = function () { writeHash(self); };
    self.writeHash();
    map.on("moveend", self.writeHash);
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

  function control(position, cls, html, label) {
    var C = L.Control.extend({
      onAdd: function () {
        var div = L.DomUtil.create("div", "gm-control " + cls);
        div.innerHTML = html;
        if (label) { div.setAttribute("role", "region"); div.setAttribute("aria-label", label); }
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      },
    });
    return new C({ position: position });
  }

  function addTitle(map, D) {
    var e = geomap.esc;
    var h = '<div class="gm-title-main">' + e(D.title || "") + "</div><div class=\"gm-title-body\">";
    var sub = [];
    if (D.dmin !== null) sub.push(e(geomap.day(D.dmin)) + (D.dmax !== D.dmin ? " – " + e(geomap.day(D.dmax)) : ""));
    sub.push(e(D.n) + " event" + (D.n === 1 ? "" : "s"));
    if (D.outside) sub.push('<span class="gm-low" title="low-confidence or region-level locations">' +
      e(D.outside) + " event" + (D.outside === 1 ? "" : "s") + " outside this view</span>");
    if (D.dropped) sub.push('<span class="gm-low">' + e(D.dropped) + " without coordinates not shown</span>");
    h += '<div class="gm-title-sub">' + sub.join(" · ") + "</div>";
    if (D.sources && D.sources.length) {
      h += '<div class="gm-title-src">Sources: ' + D.sources.map(function (s) {
        var u = geomap.safeUrl(s[1]), name = e(s[0]) + (s[2] > 1 ? " (" + e(s[2]) + ")" : "");
        return u ? '<a href="' + e(u) + '" target="_blank" rel="noopener noreferrer nofollow">' + name + "</a>" : name;
      }).join(", ") + (D.moreSources ? " and " + e(D.moreSources) + " more" : "") + "</div>";
    }
    h += '</div><button type="button" class="gm-collapse" aria-expanded="true" aria-label="Collapse the title box">▾</button>';
    var ctl = control("topleft", "gm-title", h, "Map title").addTo(map);
    var div = ctl.getContainer(), btn = div.querySelector(".gm-collapse");
    btn.addEventListener("click", function () {
      var open = !div.classList.toggle("gm-collapsed");
      btn.setAttribute("aria-expanded", String(open));
      btn.textContent = open ? "▾" : "▸";
      btn.setAttribute("aria-label", open ? "Collapse the title box" : "Expand the title box");
    });
    return ctl;
  }

  function addLegend(self) {
    var D = self.data, map = self.map, e = geomap.esc;
    var h = '<div class="gm-legend-head">Events <small>(click a type to hide it)</small></div>';
    D.types.forEach(function (t, k) {
      if (!t.count) return;
      h += '<button type="button" class="gm-legend-type" data-type="' + k + '" aria-pressed="true">' +
        '<span class="gm-dot" style="background:' + e(t.color) + '"></span>' + e(t.name) +
        ' <small class="gm-type-count">(' + e(t.count) + ")</small></button>";
    });
    if (!D.lite) h += '<div class="gm-legend-size"><span class="gm-dot gm-dot-s"></span><span class="gm-dot gm-dot-l"></span>' +
      "size: reported casualties</div>";
    if (D.regions && D.regions.features.length) h += '<div><span class="gm-swatch gm-swatch-region"></span>region-level event (only the region is known)</div>';
    else if (D.num.geo_precision && D.num.geo_precision.indexOf(3) >= 0) {
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
    h += '<div class="gm-legend-colors"></div>';
    var ctl = control("bottomright", "gm-legend", h, "Legend").addTo(map);
    var colors = ctl.getContainer().querySelector(".gm-legend-colors");
    self.onColor = function () {
      var T = self.colorTable;
      colors.innerHTML = !T ? "" : '<div class="gm-legend-head">Colour: ' + e(self.colorBy.replace(/_/g, " ")) + "</div>" +
        T.items.map(function (it) {
          return '<div><span class="gm-dot" style="background:' + e(it[1]) + '"></span>' + e(it[0]) + " <small>(" + e(it[2]) + ")</small></div>";
        }).join("") + '<div><span class="gm-dot" style="background:' + OTHER_COLOR + '"></span>other</div>';
    };
    ctl.getContainer().querySelectorAll(".gm-legend-type").forEach(function (b) {
      b.addEventListener("click", function () {
        var k = +b.getAttribute("data-type"), hidden = self.filters.hidden.slice(), at = hidden.indexOf(k);
        if (at >= 0) hidden.splice(at, 1); else hidden.push(k);
        self.setFilters({ hidden: hidden });
      });
    });
    self.legend = ctl;
  }

  // ------------------------------------------------------------------ timeline
  function addTimeControl(self) {
    var D = self.data, lo = D.dmin, hi = D.dmax, span = hi - lo + 1;
    var auto = span <= 150 ? 1 : span <= 3 * 366 ? 7 : 30;
    var h = '<div class="gm-time-head">Events per <select class="gm-bin" aria-label="Histogram bin">' +
      '<option value="1">day</option><option value="7">week</option><option value="30">30 days</option></select>' +
      ' <small>drag across the bars to select dates</small></div>' +
      '<svg class="gm-hist" width="300" height="70" role="img" aria-label="Events over time, coloured by type"></svg>' +
      '<label>from <input type="range" class="gm-from" min="' + lo + '" max="' + hi + '" value="' + lo + '" aria-label="First day shown"></label>' +
      '<label>to <input type="range" class="gm-to" min="' + lo + '" max="' + hi + '" value="' + hi + '" aria-label="Last day shown"></label>' +
      '<div class="gm-time-text" aria-live="polite"></div><button type="button" class="gm-time-play" aria-label="Play the events over time">▶ play</button> ' +
      '<button type="button" class="gm-time-all">all dates</button>';
    var ctl = control("bottomleft", "gm-time", h, "Timeline").addTo(self.map);
    var div = ctl.getContainer();
    var from = div.querySelector(".gm-from"), to = div.querySelector(".gm-to"), text = div.querySelector(".gm-time-text");
    var svg = div.querySelector(".gm-hist"), binSel = div.querySelector(".gm-bin");
    binSel.value = String(auto);
    var W = 300, H = 70, NS = "http://www.w3.org/2000/svg", timer = null, pending = null;
    function xOf(d) { return (d - lo) / span * W; }
    function dOf(x) { return Math.max(lo, Math.min(hi, Math.floor(lo + x / W * span))); }
    function draw() {
      var bin = +binSel.value, nb = Math.ceil(span / bin), T = D.types.length;
      var counts = new Int32Array(nb * T), mask = computeMask(self, self.filters, true), max = 1;
      for (var i = 0; i < D.n; i++) {
        if (!mask[i] || !has(D.d0[i])) continue;
        var b = Math.floor((D.d0[i] - lo) / bin);
        if (b >= 0 && b < nb) counts[b * T + D.t[i]]++;
      }
      for (var b2 = 0; b2 < nb; b2++) {
        var s = 0;
        for (var t = 0; t < T; t++) s += counts[b2 * T + t];
        if (s > max) max = s;
      }
      while (svg.firstChild) svg.removeChild(svg.firstChild);
      var bw = W / nb;
      for (var b3 = 0; b3 < nb; b3++) {
        var y = H;
        for (var t2 = 0; t2 < T; t2++) {
          var c = counts[b3 * T + t2];
          if (!c) continue;
          var hh = c / max * (H - 4);
          var r = document.createElementNS(NS, "rect");
          r.setAttribute("x", b3 * bw); r.setAttribute("width", Math.max(bw - (bw > 3 ? 1 : 0), 0.6));
          r.setAttribute("y", y - hh); r.setAttribute("height", hh);
          r.setAttribute("fill", D.types[t2].color);
          y -= hh;
          svg.appendChild(r);
        }
      }
      var F = self.filters, sel = document.createElementNS(NS, "rect");
      var a = has(F.from) ? F.from : lo, z = has(F.to) ? F.to : hi;
      sel.setAttribute("class", "gm-brush");
      sel.setAttribute("x", xOf(a)); sel.setAttribute("width", Math.max(1, xOf(z + 1) - xOf(a)));
      sel.setAttribute("y", 0); sel.setAttribute("height", H);
      svg.appendChild(sel);
      self.brushRect = sel;
    }
    function show() {
      var F = self.filters;
      text.textContent = geomap.day(F.from) + " – " + geomap.day(F.to) + " · " + self.visible + " of " + D.n + " events";
    }
    self.drawTimeline = draw;
    var prev = self.onFilter;
    self.onFilter = function () { if (prev) prev(); draw(); show(); };
    function apply() {
      var a = +from.value, b = +to.value;
      if (a > b) { if (this === from) to.value = a; else from.value = b; a = +from.value; b = +to.value; }
      clearTimeout(pending);
      text.textContent = geomap.day(a) + " – " + geomap.day(b) + " · …";
      pending = setTimeout(function () { self.setFilters({ from: a, to: b }); }, D.n > 20000 ? 250 : 30);
    }
    from.addEventListener("input", apply);
    to.addEventListener("input", apply);
    self.syncTime = function () {
      from.value = has(self.filters.from) ? self.filters.from : lo;
      to.value = has(self.filters.to) ? self.filters.to : hi;
    };
    binSel.addEventListener("change", draw);
    // brushing: drag across the histogram
    var start = null;
    function localX(ev) { var r = svg.getBoundingClientRect(); return Math.max(0, Math.min(W, (ev.clientX - r.left) * W / r.width)); }
    svg.addEventListener("pointerdown", function (ev) {
      start = localX(ev);
      if (svg.setPointerCapture && ev.pointerId !== undefined) { try { svg.setPointerCapture(ev.pointerId); } catch (err) { /* synthetic */ } }
      ev.preventDefault();
    });
    svg.addEventListener("pointermove", function (ev) {
      if (start === null || !self.brushRect) return;
      var x = localX(ev), a = Math.min(start, x), b = Math.max(start, x);
      self.brushRect.setAttribute("x", a); self.brushRect.setAttribute("width", Math.max(1, b - a));
    });
    svg.addEventListener("pointerup", function (ev) {
      if (start === null) return;
      var x = localX(ev), a = dOf(Math.min(start, x)), b = dOf(Math.max(start, x));
      start = null;
      var bin = +binSel.value;
      // snap to whole bins; a click (no drag) selects its bin
      a = lo + Math.floor((a - lo) / bin) * bin;
      b = Math.min(hi, lo + (Math.floor((b - lo) / bin) + 1) * bin - 1);
      self.setFilters({ from: a, to: b });
    });
    div.querySelector(".gm-time-all").addEventListener("click", function () {
      clearInterval(timer); timer = null;
      self.setFilters({ from: lo, to: hi });
    });
    div.querySelector(".gm-time-play").addEventListener("click", function () {
      if (timer) { clearInterval(timer); timer = null; return; }
      var step = Math.max(1, Math.round(span / 40)), cur = lo;
      timer = setInterval(function () {
        cur = Math.min(hi, cur + step);
        self.setFilters({ from: lo, to: cur });
        if (cur >= hi) { clearInterval(timer); timer = null; }
      }, 600);
    });
    return ctl;
  }

  // ------------------------------------------------------------------ filter panel, search, export
  function distinct(D, field) {
    var col = D.text[field], seen = {}, out = [];
    if (!col) return out;
    for (var i = 0; i < col.length; i++) {
      var s = D.strings[col[i]];
      if (s && !seen[s]) { seen[s] = 1; out.push(s); }
      if (out.length > 200) break;
    }
    return out.sort();
  }

  function options(values, anyLabel) {
    return '<option value="">' + geomap.esc(anyLabel) + "</option>" + values.map(function (v) {
      return '<option value="' + geomap.esc(v) + '">' + geomap.esc(v) + "</option>";
    }).join("");
  }

  function addPanel(self) {
    var D = self.data, e = geomap.esc, map = self.map;
    var subs = distinct(D, "sub_event_type"), verifs = distinct(D, "verification");
    var h = '<button type="button" class="gm-panel-toggle" aria-expanded="false" aria-controls="gm-panel-body">☰ Filters &amp; search</button>' +
      '<div class="gm-panel-body" id="gm-panel-body" hidden>' +
      '<label class="gm-field">Search places and events <input type="search" class="gm-search" autocomplete="off" ' +
      'placeholder="place, actor, text…"></label><div class="gm-search-results" role="listbox" aria-label="Search results"></div>' +
      '<div class="gm-count" aria-live="polite"></div>' +
      '<fieldset><legend>Event type</legend>' + D.types.map(function (t, k) {
        return t.count ? '<label class="gm-check"><input type="checkbox" class="gm-f-type" value="' + k + '" checked> ' +
          '<span class="gm-dot" style="background:' + e(t.color) + '"></span>' + e(t.name) +
          ' <small class="gm-f-type-count" data-type="' + k + '"></small></label>' : "";
      }).join("") + "</fieldset>" +
      (subs.length ? '<label class="gm-field">Sub-type <select class="gm-f-sub">' + options(subs, "any") + "</select></label>" : "") +
      (D.text.actor1 || D.text.actor2 ? '<label class="gm-field">Actor contains <input type="text" class="gm-f-actor" autocomplete="off"></label>' : "") +
      '<div class="gm-field">Casualties <label>from <input type="number" min="0" class="gm-f-casmin" aria-label="Minimum casualties"></label> ' +
      '<label>to <input type="number" min="0" class="gm-f-casmax" aria-label="Maximum casualties"></label></div>' +
      '<fieldset><legend>Geo precision</legend>' + [[1, "exact"], [2, "near"], [3, "region"], [0, "unknown"]].map(function (p) {
        return '<label class="gm-check gm-inline"><input type="checkbox" class="gm-f-prec" value="' + p[0] + '" checked> ' + p[1] + "</label>";
      }).join("") + "</fieldset>" +
      (D.num.confidence ? '<label class="gm-field">Confidence at least <input type="range" class="gm-f-conf" min="0" max="1" step="0.05" value="0"> <output class="gm-f-conf-out">0</output></label>' : "") +
      (verifs.length ? '<label class="gm-field">Verification <select class="gm-f-verif">' + options(verifs, "any") + "</select></label>" : "") +
      '<label class="gm-field">Colour by <select class="gm-f-color"><option value="type">event type</option>' +
      [["sub_event_type", "sub-type"], ["actor1", "actor 1"], ["actor2", "actor 2"], ["verification", "verification"],
       ["source", "source"]].filter(function (f) { return D.text[f[0]]; }).map(function (f) {
        return '<option value="' + f[0] + '">' + f[1] + "</option>";
      }).join("") + "</select></label>" +
      '<label class="gm-field">Display <select class="gm-f-display"><option value="auto">auto (density grid when zoomed out)</option>' +
      (D.lite ? "" : '<option value="markers">markers / clusters</option>') + '<option value="hex">density grid (hexagons)</option></select></label>' +
      '<div class="gm-buttons"><button type="button" class="gm-dl-geojson">Download visible (GeoJSON)</button>' +
      '<button type="button" class="gm-dl-csv">Download visible (CSV)</button>' +
      '<button type="button" class="gm-permalink">Copy permalink</button>' +
      '<button type="button" class="gm-reset">Reset filters</button></div><div class="gm-permalink-text" aria-live="polite"></div></div>';
    var ctl = control("topright", "gm-panel", h, "Filters and search").addTo(map);
    var div = ctl.getContainer(), q = function (s) { return div.querySelector(s); };
    var toggle = q(".gm-panel-toggle"), body = q(".gm-panel-body");
    self.openPanel = function (open) {
      body.hidden = !open;
      toggle.setAttribute("aria-expanded", String(open));
    };
    toggle.addEventListener("click", function () { self.openPanel(body.hidden); });
    function readControls() {
      var F = {};
      F.hidden = [];
      div.querySelectorAll(".gm-f-type").forEach(function (c) { if (!c.checked) F.hidden.push(+c.value); });
      F.prec = [];
      div.querySelectorAll(".gm-f-prec").forEach(function (c) { if (c.checked) F.prec.push(+c.value); });
      if (q(".gm-f-sub")) F.sub = q(".gm-f-sub").value;
      if (q(".gm-f-verif")) F.verif = q(".gm-f-verif").value;
      if (q(".gm-f-actor")) F.actor = q(".gm-f-actor").value.trim();
      var mn = q(".gm-f-casmin").value, mx = q(".gm-f-casmax").value;
      F.casMin = mn === "" ? null : +mn;
      F.casMax = mx === "" ? null : +mx;
      if (q(".gm-f-conf")) { F.confMin = +q(".gm-f-conf").value; q(".gm-f-conf-out").textContent = F.confMin; }
      return F;
    }
    var pending = null;
    var colorSel = q(".gm-f-color");
    colorSel.addEventListener("change", function () { self.setColorBy(colorSel.value); });
    div.querySelectorAll("input:not(.gm-search), select:not(.gm-f-display):not(.gm-f-color)").forEach(function (el) {
      el.addEventListener(el.tagName === "SELECT" || el.type === "checkbox" ? "change" : "input", function () {
        clearTimeout(pending);
        pending = setTimeout(function () { self.setFilters(readControls()); }, el.type === "text" || el.type === "number" ? 150 : 0);
      });
    });
    var display = q(".gm-f-display");
    display.addEventListener("change", function () { self.display = display.value; self.chooseDisplay(); self.writeHash && self.writeHash(); });
    self.display = self.display || "auto";
    self.syncControls = function () {
      var F = self.filters;
      div.querySelectorAll(".gm-f-type").forEach(function (c) { c.checked = F.hidden.indexOf(+c.value) < 0; });
      div.querySelectorAll(".gm-f-prec").forEach(function (c) { c.checked = F.prec.indexOf(+c.value) >= 0; });
      if (q(".gm-f-sub")) q(".gm-f-sub").value = F.sub || "";
      if (q(".gm-f-verif")) q(".gm-f-verif").value = F.verif || "";
      if (q(".gm-f-actor") && q(".gm-f-actor") !== document.activeElement) q(".gm-f-actor").value = F.actor || "";
      if (q(".gm-f-casmin") !== document.activeElement) q(".gm-f-casmin").value = has(F.casMin) ? F.casMin : "";
      if (q(".gm-f-casmax") !== document.activeElement) q(".gm-f-casmax").value = has(F.casMax) ? F.casMax : "";
      if (q(".gm-f-conf")) { q(".gm-f-conf").value = F.confMin; q(".gm-f-conf-out").textContent = F.confMin; }
      display.value = self.display;
      colorSel.value = self.colorBy;
      if (self.syncTime) self.syncTime();
      if (self.legend) self.legend.getContainer().querySelectorAll(".gm-legend-type").forEach(function (b) {
        var shown = F.hidden.indexOf(+b.getAttribute("data-type")) < 0;
        b.setAttribute("aria-pressed", String(shown));
        b.classList.toggle("gm-off", !shown);
      });
    };
    var prev = self.onFilter;
    self.onFilter = function () {
      if (prev) prev();
      q(".gm-count").textContent = self.visible + " of " + D.n + " events shown";
      div.querySelectorAll(".gm-f-type-count").forEach(function (s) {
        s.textContent = "(" + self.visibleByType[+s.getAttribute("data-type")] + ")";
      });
      if (self.legend) self.legend.getContainer().querySelectorAll(".gm-type-count").forEach(function (s, k) {
        var b = s.parentNode, t = +b.getAttribute("data-type");
        s.textContent = "(" + self.visibleByType[t] + " of " + D.types[t].count + ")";
      });
    };
    // display: markers/clusters or the hex density grid (auto: grid when zoomed out on large sets)
    self.chooseDisplay = function () {
      var hex = self.display === "hex" || D.lite ||
        (self.display === "auto" && D.n > (D.hexAuto || 20000) && map.getZoom() < (D.hexZoom || 8));
      var ev = self.layers.events, hx = self.layers.hex;
      if (hex) { if (map.hasLayer(ev)) map.removeLayer(ev); if (!map.hasLayer(hx)) map.addLayer(hx); } else { if (map.hasLayer(hx)) map.removeLayer(hx); if (!map.hasLayer(ev)) map.addLayer(ev); }
      self.showing = hex ? "hex" : "markers";
    };
    map.on("zoomend", function () { if (self.display === "auto") self.chooseDisplay(); });
    // search
    var input = q(".gm-search"), results = q(".gm-search-results");
    function search(text) {
      var s = text.trim().toLowerCase(), out = [];
      if (s.length < 2) return out;
      var seen = {};
      (D.labels || []).forEach(function (l) {
        var name = String(l[2]);
        var at = name.toLowerCase().indexOf(s), admin = l[3] === "oblast" || l[3] === "district";
        // event places first, then oblasts/districts; a prefix before a substring
        if (at >= 0 && !seen[name]) {
          seen[name] = 1;
          out.push({ kind: "place", name: name + (l[3] === "district" ? " (district)" : l[3] === "oblast" ? " (oblast)" : ""),
                     place: name, lat: l[0], lon: l[1], rank: (at === 0 ? 0 : 2) + (admin ? 1 : 0) });
        }
      });
      var fields = ["location", "actor1", "actor2", "notes", "sub_event_type", "event_id"], hit = null;
      for (var c = 0; c < D.strings.length; c++) {
        if (D.strings[c].toLowerCase().indexOf(s) >= 0) { hit = hit || new Uint8Array(D.strings.length); hit[c] = 1; }
      }
      if (hit) {
        for (var i = 0; i < D.n && out.length < 40; i++) {
          for (var k = 0; k < fields.length; k++) {
            var col = D.text[fields[k]];
            if (col && hit[col[i]]) {
              var loc = str(D, "location", i);
              out.push({ kind: "event", i: i, name: (loc || "(unnamed)") + " · " + geomap.day(D.d0[i]) + " · " + D.types[D.t[i]].name,
                         rank: fields[k] === "location" && loc.toLowerCase().indexOf(s) === 0 ? 0.5 : 4 });
              break;
            }
          }
        }
      }
      return out.sort(function (a, b) { return a.rank - b.rank; }).slice(0, 12);
    }
    self.search = search;
    function go(r) {
      if (r.kind === "event") {
        if (!self.mask[r.i]) self.setFilters(defaultFilters(D));  // a hidden event: show everything again
        map.setView(self.eventLatLng(r.i), Math.max(map.getZoom(), 11), { animate: false });
        self.chooseDisplay();
        self.openPopup(r.i);
      } else {
        map.setView([r.lat, r.lon], Math.max(map.getZoom(), 10), { animate: false });
        self.chooseDisplay();
        // open the popup of the first visible event at that place, else name the place
        var best = -1;
        for (var i = 0; i < D.n; i++) if (self.mask[i] && str(D, "location", i) === r.place) { best = i; break; }
        if (best >= 0) self.openPopup(best);
        else L.popup({ className: "gm-place-popup" }).setLatLng([r.lat, r.lon])
          .setContent('<div class="gm-popup"><div class="gm-popup-title">' + geomap.esc(r.place) + "</div>no event shown here</div>").openOn(map);
      }
    }
    self.goToResult = go;
    var current = [];
    function render() {
      current = search(input.value);
      results.innerHTML = current.map(function (r, k) {
        return '<button type="button" role="option" class="gm-search-result gm-result-' + r.kind + '" data-k="' + k + '">' +
          (r.kind === "place" ? "📍 " : "") + geomap.esc(r.name) + "</button>";
      }).join("") || (input.value.trim().length >= 2 ? "<div><i>no match</i></div>" : "");
      results.querySelectorAll("button").forEach(function (b) {
        b.addEventListener("click", function () { go(current[+b.getAttribute("data-k")]); });
      });
    }
    input.addEventListener("input", render);
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && current.length) { ev.preventDefault(); go(current[0]); }
    });
    // export
    q(".gm-dl-geojson").addEventListener("click", function () {
      download(self.visibleGeoJSON(), "application/geo+json", ".geojson");
    });
    q(".gm-dl-csv").addEventListener("click", function () { download(self.visibleCSV(), "text/csv", ".csv"); });
    q(".gm-permalink").addEventListener("click", function () {
      writeHash(self);
      var url = location.href;
      q(".gm-permalink-text").textContent = url;
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(url).catch(function () { /* shown instead */ });
    });
    q(".gm-reset").addEventListener("click", function () { self.setFilters(defaultFilters(D)); });
    self.visibleGeoJSON = function () { return exportGeoJSON(self); };
    self.visibleCSV = function () { return exportCSV(self); };
  }

  function download(text, type, ext) {
    var blob = new Blob([text], { type: type });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "geomap-visible-events" + ext;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  var EXPORT_TEXT = ["event_id", "location", "admin2", "admin1", "country", "sub_event_type", "actor1", "actor2",
    "casualties", "claimed_by", "verification", "source", "source_url", "published", "notes"];
  var EXPORT_NUM = ["geo_precision", "date_precision", "killed", "wounded", "killed_or_wounded", "missing", "captured",
    "fatalities_low", "fatalities_best", "fatalities_high", "confidence"];

  function exportRecord(D, i) {
    var r = { event_date: geomap.day(D.d0[i]), end_date: geomap.day(D.d1[i]), event_type: D.types[D.t[i]].name,
              latitude: D.lat[i], longitude: D.lon[i] };
    EXPORT_TEXT.forEach(function (f) { if (D.text[f]) r[f] = str(D, f, i); });
    EXPORT_NUM.forEach(function (f) { if (D.num[f]) r[f] = num(D, f, i); });
    if (D.lite && D.cas) r.casualties_total = D.cas[i];
    return r;
  }

  function provenance(self) {
    var D = self.data;
    return { generator: "geomap", title: D.title || "", exported: new Date().toISOString(),
             filters: self.filters, count: self.visible, of: D.n,
             sources: (D.sources || []).map(function (s) { return s[0]; }),
             attribution: D.attribution || "", permalink: location.href };
  }

  function exportGeoJSON(self) {
    var D = self.data, feats = [];
    for (var i = 0; i < D.n; i++) {
      if (!self.mask[i]) continue;
      var p = exportRecord(D, i);
      feats.push({ type: "Feature", geometry: { type: "Point", coordinates: [D.lon[i], D.lat[i]] }, properties: p });
    }
    return JSON.stringify({ type: "FeatureCollection", geomap: provenance(self), features: feats });
  }

  function csvCell(v) {
    if (!has(v)) return "";
    var s = String(v);
    // a leading = + - @ would be run as a formula by spreadsheets: quote it away
    if (/^[=+\-@\t\r]/.test(s) && isNaN(+s)) s = "'" + s;
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function exportCSV(self) {
    var D = self.data, rows = [], cols = null;
    for (var i = 0; i < D.n; i++) {
      if (!self.mask[i]) continue;
      var r = exportRecord(D, i);
      if (!cols) { cols = Object.keys(r); rows.push(cols.join(",")); }
      rows.push(cols.map(function (c) { return csvCell(r[c]); }).join(","));
    }
    if (!cols) rows.push("event_date,end_date,event_type,latitude,longitude");
    var P = provenance(self);
    // provenance as trailing comment lines (pandas: comment="#")
    rows.push("# exported by geomap " + P.exported + ": " + P.count + " of " + P.of + " events; title: " + P.title.replace(/[\r\n]/g, " "));
    if (P.attribution) rows.push("# " + P.attribution.replace(/[\r\n]/g, " "));
    return rows.join("\n") + "\n";
  }

  // ------------------------------------------------------------------ permalink
  function writeHash(self) {
    if (!self.ready && !self.writeHash) return;
    var map = self.map, c = map.getCenter(), F = self.filters, D = self.data, p = new URLSearchParams();
    p.set("map", map.getZoom() + "/" + c.lat.toFixed(5) + "/" + c.lng.toFixed(5));
    var d = defaultFilters(D), f = {};
    Object.keys(F).forEach(function (k) { if (JSON.stringify(F[k]) !== JSON.stringify(d[k])) f[k] = F[k]; });
    if (f.hidden) f.hidden = f.hidden.map(function (t) { return D.types[t].name; });
    if (has(f.from)) f.from = geomap.day(f.from);
    if (has(f.to)) f.to = geomap.day(f.to);
    if (Object.keys(f).length) p.set("f", JSON.stringify(f));
    if (self.display && self.display !== "auto") p.set("display", self.display);
    if (self.colorBy && self.colorBy !== "type") p.set("colour", self.colorBy);
    if (has(self.selected)) p.set("event", str(D, "event_id", self.selected) || "#" + self.selected);
    var hash = "#" + p.toString();
    if (location.hash !== hash) history.replaceState(null, "", hash);
  }

  function readHash(self) {
    var D = self.data, map = self.map, out = {};
    if (!location.hash || location.hash.length < 2) return null;
    var p = new URLSearchParams(location.hash.slice(1));
    try {
      var f = p.get("f") ? JSON.parse(p.get("f")) : {}, F = defaultFilters(D);
      if (Array.isArray(f.hidden)) F.hidden = D.types.map(function (t, k) { return f.hidden.indexOf(t.name) >= 0 ? k : -1; }).filter(function (k) { return k >= 0; });
      ["sub", "actor", "verif"].forEach(function (k) { if (typeof f[k] === "string") F[k] = f[k]; });
      ["casMin", "casMax", "confMin"].forEach(function (k) { if (typeof f[k] === "number") F[k] = f[k]; });
      if (Array.isArray(f.prec)) F.prec = f.prec.filter(function (x) { return typeof x === "number"; });
      if (f.from) F.from = geomap.parseDay(f.from);
      if (f.to) F.to = geomap.parseDay(f.to);
      self.filters = F;
    } catch (err) { /* a damaged link: keep the defaults */ }
    var colour = p.get("colour");
    if (colour && D.text[colour]) self.pendingColor = colour;
    var disp = p.get("display");
    if (disp === "hex" || disp === "markers") self.display = disp;
    var v = (p.get("map") || "").split("/").map(Number);
    if (v.length === 3 && v.every(function (x) { return !isNaN(x); })) map.setView([v[1], v[2]], v[0], { animate: false });
    var ev = p.get("event");
    if (ev) {
      var idx = -1;
      if (ev.charAt(0) === "#") idx = +ev.slice(1);
      else if (D.text.event_id) { var code = D.strings.indexOf(ev); idx = code < 0 ? -1 : D.text.event_id.indexOf(code); }
      if (idx >= 0 && idx < D.n) out.ev = idx;
    }
    return out;
  }

  // ------------------------------------------------------------------ tools
  function addTools(self) {
    var map = self.map, D = self.data;
    if (L.Control.FullScreen) new L.Control.FullScreen({ position: "topleft", title: "Full screen", titleCancel: "Exit full screen" }).addTo(map);
    if (L.Control.Measure) {
      // Leaflet >= 1.8 pans to the focused capture marker (leaflet-measure issue #171)
      L.Control.Measure.include({
        _setCaptureMarkerIcon: function () {
          this._captureMarker.options.autoPanOnFocus = false;
          this._captureMarker.setIcon(L.divIcon({ iconSize: this._map.getSize().multiplyBy(2) }));
        },
      });
      self.measure = new L.Control.Measure({ position: "topleft", primaryLengthUnit: "kilometers", secondaryLengthUnit: "meters",
        primaryAreaUnit: "sqkilometers", secondaryAreaUnit: "hectares",
        units: { sqkilometers: { factor: 1e-6, display: "km²", decimals: 2 } } }).addTo(map);
    }
    if (L.Control.MiniMap && D.boundaries && D.boundaries.countries) {
      var mini = L.geoJSON(D.boundaries.countries, { interactive: false,
        style: function () { return { color: "#999", weight: 0.6, fillColor: "#eee9df", fillOpacity: 1 }; } });
      self.minimap = new L.Control.MiniMap(mini, { position: "bottomright", toggleDisplay: true, width: 130, height: 110,
        zoomLevelOffset: -4, mapOptions: { maxZoom: 18, minZoom: 1 } }).addTo(map);
      var mc = self.minimap.getContainer();
      if (mc) mc.style.background = "#dfe6ea";
    }
    var coords = control("bottomleft", "gm-coords", "cursor position: move over the map", "Coordinates under the cursor").addTo(map);
    var cdiv = coords.getContainer();
    cdiv.setAttribute("aria-live", "off");
    map.on("mousemove", function (ev) {
      var ll = ev.latlng;
      cdiv.textContent = Math.abs(ll.lat).toFixed(5) + "° " + (ll.lat >= 0 ? "N" : "S") + ", " +
        Math.abs(ll.lng).toFixed(5) + "° " + (ll.lng >= 0 ? "E" : "W");
    });
  }
})();
