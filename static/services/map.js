// The portal's maps (Leaflet from static/vendor/leaflet): the grid map, the issue form's place picker and a
// station's service circle. Settings come from a json_script element named by data-config; no inline script.
// With no tile server set, or when its tiles fail, the map is drawn on a plain background: boundaries and points.
(function () {
  "use strict";
  if (typeof L === "undefined") return;

  var COLOURS = { stations: "#b71c1c", rooms: "#6a1b9a", activities: "#00838f" };
  var LEVEL_STYLE = {
    1: { color: "#7f0000", weight: 3, fill: false },
    2: { color: "#b71c1c", weight: 2, fillOpacity: 0.03, dashArray: "6 4" },
    3: { color: "#d84315", weight: 1, fillOpacity: 0.06 }
  };

  function readConfig(el) {
    var source = document.getElementById(el.getAttribute("data-config"));
    var config = source ? JSON.parse(source.textContent) : {};
    if (config.texts) TEXTS = config.texts;
    return config;
  }

  // The page's words (map_config's "texts", translated on the server), with %(name)s filled in.
  var TEXTS = {};
  function text(key, values) {
    return String(TEXTS[key] || "").replace(/%\((\w+)\)s/g, function (all, name) {
      return values && name in values ? String(values[name]) : all;
    });
  }

  function escapeHtml(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function note(text) {
    var el = document.querySelector("[data-map-note]");
    if (!el) return;
    el.textContent = text;
    el.hidden = !text;
  }

  // The base layer, if any; after repeated failures with nothing loaded it is dropped (the plain map stays).
  function addTiles(map, tiles) {
    if (!tiles || !tiles.url) return;
    var loaded = 0, failed = 0;
    var layer = L.tileLayer(tiles.url, {
      subdomains: tiles.subdomains || "abc",
      attribution: escapeHtml(tiles.attribution || ""),
      maxZoom: tiles.maxZoom || 18
    });
    layer.on("tileload", function () { loaded += 1; });
    layer.on("tileerror", function () {
      failed += 1;
      if (failed >= 4 && loaded === 0 && map.hasLayer(layer)) {
        map.removeLayer(layer);
        note(text("tilesFailed"));
      }
    });
    layer.addTo(map);
  }

  function makeMap(el, config) {
    el.classList.add("map-ready");
    var map = L.map(el, { zoomControl: true, attributionControl: !!config.tiles });
    // The credit without Leaflet's default flag and outside link: a plain name (intranet, government pages).
    if (map.attributionControl) map.attributionControl.setPrefix("Leaflet");
    map.setView(config.centre || [31.2304, 121.4737], config.zoom || 14);
    addTiles(map, config.tiles);
    return map;
  }

  // --- geometry, the same even-odd rule as grids/geo.py -------------------------------------------------
  function inRing(lng, lat, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > lat) !== (yj > lat) && lng < (xj - xi) * (lat - yi) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }
  function contains(geometry, lat, lng) {
    if (!geometry) return false;
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] :
      geometry.type === "MultiPolygon" ? geometry.coordinates : [];
    return polygons.some(function (rings) {
      return rings.length && inRing(lng, lat, rings[0]) &&
        !rings.slice(1).some(function (hole) { return inRing(lng, lat, hole); });
    });
  }

  function popup(p) {
    var title = p.url ? '<a href="' + escapeHtml(p.url) + '">' + escapeHtml(p.name) + "</a>" : escapeHtml(p.name);
    var extra = p.stage ? "（" + escapeHtml(p.stage) + "·" + escapeHtml(p.grid) + "）" :
      p.kind ? "（" + escapeHtml(p.kind) + "）" : p.starts ? "（" + escapeHtml(p.starts) + "）" : "";
    return "<strong>" + title + "</strong>" + extra;
  }

  // Draws a FeatureCollection of /api/v1/map/; returns the bounds of what was drawn.
  function draw(map, data, options) {
    options = options || {};
    var bounds = L.latLngBounds([]);
    var group = L.featureGroup().addTo(map);
    (data.features || []).forEach(function (f) {
      var p = f.properties || {}, g = f.geometry;
      if (!g) return;
      if (p.layer === "grids") {
        if (g.type === "Point") {
          var c = L.circleMarker([g.coordinates[1], g.coordinates[0]], { radius: 3, color: "#b71c1c", weight: 1 });
          c.bindTooltip(escapeHtml(p.name)).addTo(group);
          bounds.extend(c.getLatLng());
          return;
        }
        var style = Object.assign({ className: "grid grid-" + p.id }, LEVEL_STYLE[p.level] || LEVEL_STYLE[3]);
        var shape = L.geoJSON(g, { style: style, interactive: !options.picker });
        if (!options.picker) shape.bindTooltip(escapeHtml(p.name), { sticky: true });
        shape.addTo(group);
        bounds.extend(shape.getBounds());
        return;
      }
      if (g.type !== "Point") return;
      var at = [g.coordinates[1], g.coordinates[0]];
      var marker;
      if (p.layer === "issues") {
        marker = L.circleMarker(at, {
          radius: 9, color: "#fff", weight: 2, fillColor: p.colour || "#555", fillOpacity: 0.95,
          className: "pin pin-issue pin-" + escapeHtml(p.status)
        });
      } else {
        marker = L.circleMarker(at, {
          radius: p.layer === "stations" ? 8 : 6, color: "#fff", weight: 2,
          fillColor: COLOURS[p.layer] || "#555", fillOpacity: 0.9, className: "pin pin-" + p.layer
        });
      }
      marker.bindPopup(popup(p)).addTo(group);
      bounds.extend(at);
    });
    return bounds;
  }

  function load(config, layers, node) {
    var query = "?layers=" + encodeURIComponent(layers.join(","));
    if (node) query += "&node=" + encodeURIComponent(node);
    return fetch(config.data + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
  }

  // --- the grid map -----------------------------------------------------------------------------------
  function overview(el, config) {
    var map = makeMap(el, config);
    load(config, config.layers, config.node).then(function (data) {
      var bounds = draw(map, data);
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [12, 12], maxZoom: 17 });
      var pins = (data.features || []).filter(function (f) { return f.properties.layer === "issues"; }).length;
      var count = document.querySelector("[data-map-count]");
      if (count && config.layers.indexOf("issues") >= 0) count.textContent = text("openIssues", { n: pins });
      el.setAttribute("data-loaded", String((data.features || []).length));
    }).catch(function () { note(text("dataFailed")); });
  }

  // --- one place: a station and its service circle (radius in metres), or an issue's picked place (no radius)
  function station(el, config) {
    var map = makeMap(el, config);
    var at = [config.station.lat, config.station.lng];
    var circle = L.circle(at, {
      radius: config.radius || 150, color: "#b71c1c", weight: config.radius ? 2 : 0,
      fillOpacity: config.radius ? 0.08 : 0, interactive: false
    }).addTo(map);
    L.circleMarker(at, { radius: 8, color: "#fff", weight: 2, fillColor: COLOURS.stations, fillOpacity: 0.95 })
      .bindTooltip(escapeHtml(config.station.name), { permanent: false }).addTo(map);
    map.fitBounds(circle.getBounds(), { padding: [10, 10] });
    // The grids around it, under the circle, when their boundaries are known.
    var done = function () { el.setAttribute("data-loaded", "1"); };
    if (!config.node) return done();
    load(config, ["grids"], config.node).then(function (data) {
      draw(map, data, { picker: true });
      circle.bringToFront();
      done();
    }).catch(done);
  }

  // --- the issue form's place picker ------------------------------------------------------------------
  function picker(el, config) {
    var map = makeMap(el, config);
    var form = el.closest("form");
    var lat = form.querySelector("[name=lat]"), lng = form.querySelector("[name=lng]");
    var community = form.querySelector("[name=community]"), micro = form.querySelector("[name=micro_grid]");
    var status = form.querySelector("[data-place-status]");
    var grids = [], marker = null;

    function say(text) { if (status) status.textContent = text; }
    function choose(value, select) {
      if (!select) return;
      select.value = value == null ? "" : String(value);
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function place(latlng, pan) {
      var la = Math.round(latlng.lat * 1e6) / 1e6, ln = Math.round(latlng.lng * 1e6) / 1e6;
      lat.value = la.toFixed(6);
      lng.value = ln.toFixed(6);
      if (marker) marker.setLatLng([la, ln]);
      else marker = L.marker([la, ln], { icon: L.divIcon({ className: "pick-pin", iconSize: [22, 22], iconAnchor: [11, 22] }) }).addTo(map);
      if (pan) map.setView([la, ln], Math.max(map.getZoom(), 16));
      var found = null;
      grids.forEach(function (f) {
        if (!found && f.properties.level === 3 && contains(f.geometry, la, ln)) found = f;
      });
      if (found) {
        choose(found.properties.parent, community);
        choose(found.properties.id, micro);
        say(text("picked", { name: found.properties.name }));
      } else {
        choose("", micro);
        say(text("outsideGrids"));
      }
      el.setAttribute("data-picked", "1");
    }
    map.on("click", function (e) { place(e.latlng, false); });
    var here = form.querySelector("[data-use-location]");
    if (here) {
      if (!("geolocation" in navigator)) here.hidden = true;
      here.addEventListener("click", function () {
        say(text("locating"));
        navigator.geolocation.getCurrentPosition(function (pos) {
          place(L.latLng(pos.coords.latitude, pos.coords.longitude), true);
        }, function () {
          say(text("noLocation"));
        }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
      });
    }
    load(config, ["grids"], config.node).then(function (data) {
      grids = (data.features || []).filter(function (f) { return f.geometry && f.geometry.type !== "Point"; });
      var bounds = draw(map, data, { picker: true });
      if (lat.value && lng.value) {
        place(L.latLng(parseFloat(lat.value), parseFloat(lng.value)), true);
      } else {
        var own = (data.features || []).filter(function (f) {
          return f.properties.id === config.focus && f.geometry && f.geometry.type !== "Point";
        })[0];
        if (own) bounds = L.geoJSON(own.geometry).getBounds();
        if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8], maxZoom: 17 });
      }
      el.setAttribute("data-loaded", String(grids.length));
    }).catch(function () { say(text("pickerFailed")); });
  }

  var MODES = { overview: overview, station: station, picker: picker };
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-map]"), function (el) {
      var mode = MODES[el.getAttribute("data-map")];
      if (mode) mode(el, readConfig(el));
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
