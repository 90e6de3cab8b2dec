/* The operators' console maps. One picker serves the report page and the dashboard's form to set
   a change directly: a click picks the way or elevator a change applies to (asked of
   /operator/target/<area>, drawn in orange, named beside the field), clicks on an area closure
   are its corners. The dashboard also draws the changes in force on one map, numbered as in its
   table. Needs report.js (window.accessrouteBaseMap, window.accessrouteReportConfig: the JSON
   of web/operators/context.py's _map_config) loaded first. Every text from users or map data is set as
   text. */
(function () {
  "use strict";

  var config = window.accessrouteReportConfig;
  if (!config || typeof window.accessrouteBaseMap !== "function") return;
  var S = config.strings || {};
  var ORANGE = "#e66100";

  function fmt(template, vars) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (_, key) {
      return vars && vars[key] !== undefined ? String(vars[key]) : "";
    });
  }

  function areaBounds(name) {
    for (var i = 0; i < config.areas.length; i += 1) {
      var b = config.areas[i].bbox; // west, south, east, north
      if (config.areas[i].name === name) return L.latLngBounds([b[1], b[0]], [b[3], b[2]]);
    }
    return null;
  }

  /* The picker on `map` (shown in `box`): fills #target, names it in #target-label, draws it.
     areaName() says the area clicks are asked in. Returns {reset}: forget the pick. */
  function targetPicker(map, box, areaName) {
    var target = document.getElementById("target");
    var label = document.getElementById("target-label");
    var kind = document.getElementById("change-kind");
    var error = document.getElementById("target-error");
    var picked = L.layerGroup().addTo(map);
    function draw(geometry) {
      picked.clearLayers();
      if (!geometry) return;
      L.geoJSON(geometry, { interactive: false, style: { color: ORANGE, weight: 8, opacity: 0.85 } }).addTo(picked);
    }
    draw(config.geometry);
    if (!target || !kind) return { reset: function () {} }; // a decided report: nothing to pick

    // For an area closure each click adds a corner; from three on, the polygon is the target
    // (WKT, lon lat), checked by the server when previewed or saved.
    var corners = [];
    var outline = L.polygon([], { color: ORANGE, weight: 3, fillOpacity: 0.15, interactive: false }).addTo(map);
    function clearCorners() {
      corners = [];
      outline.setLatLngs([]);
    }
    kind.addEventListener("change", clearCorners);
    function addCorner(latlng) {
      corners.push(latlng);
      outline.setLatLngs(corners);
      picked.clearLayers();
      label.textContent = fmt(S.corners, { n: corners.length });
      if (corners.length < 3) return;
      var ring = corners.concat([corners[0]]).map(function (c) {
        return c.lng.toFixed(6) + " " + c.lat.toFixed(6);
      });
      target.value = "POLYGON((" + ring.join(", ") + "))";
      box.setAttribute("data-picked", target.value);
    }

    map.on("click", function (event) {
      if (kind.value === "closure_area") { addCorner(event.latlng); return; }
      var url = (config.targetUrls || {})[areaName()];
      if (!url) return;
      var params = new URLSearchParams({
        lat: event.latlng.lat.toFixed(6),
        lon: event.latlng.lng.toFixed(6),
        kind: kind.value,
        lang: config.lang,
      });
      fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + params.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (found) {
          if (!found.target) { label.textContent = S.nothing; return; }
          target.value = found.target;
          target.removeAttribute("aria-invalid");
          if (error) error.hidden = true;
          label.textContent = fmt(S.picked, { target: found.label });
          box.setAttribute("data-picked", found.target);
          draw(found.geometry);
        })
        .catch(function () { label.textContent = S.nothing; });
    });

    return {
      reset: function () {
        clearCorners();
        draw(null);
        target.value = "";
        label.textContent = "";
        box.removeAttribute("data-picked");
      },
    };
  }

  /* The dashboard's changes in force on one map: each change's ways, a numbered label at
     their middle; the table's "Show on map" buttons bring one into view. */
  function changesMap(box, changes) {
    var map = window.accessrouteBaseMap(box, { label: S.changes_label });
    var drawn = {};
    var shown = [];
    changes.forEach(function (change) {
      if (!change.geometry) return;
      var lines = L.geoJSON(change.geometry, { interactive: false, style: { color: ORANGE, weight: 6, opacity: 0.85 } }).addTo(map);
      var bounds = lines.getBounds();
      if (!bounds.isValid()) return;
      var number = document.createElement("span");
      number.textContent = String(change.id);
      L.marker(bounds.getCenter(), {
        icon: L.divIcon({ className: "change-marker", html: number, iconSize: null }),
        title: change.title,
        keyboard: false,
        interactive: false,
      }).addTo(map);
      drawn[change.id] = { area: change.area, bounds: bounds };
      shown.push(String(change.id));
    });
    box.setAttribute("data-drawn", shown.join(" "));
    function show(id) {
      var one = drawn[id];
      if (one) map.fitBounds(one.bounds.pad(0.5), { maxZoom: 17 });
    }
    // first view: the changes of the newest one's area
    var first = changes.length ? drawn[changes[0].id] : null;
    if (first) {
      var all = null;
      Object.keys(drawn).forEach(function (id) {
        if (drawn[id].area !== first.area) return;
        all = all ? all.extend(drawn[id].bounds) : L.latLngBounds(drawn[id].bounds.getSouthWest(), drawn[id].bounds.getNorthEast());
      });
      map.fitBounds(all.pad(0.3), { maxZoom: 17 });
    }
    Array.prototype.forEach.call(document.querySelectorAll("button.show-change"), function (button) {
      var id = button.getAttribute("data-change");
      if (!drawn[id]) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        show(id);
        box.scrollIntoView({ block: "nearest" });
      });
    });
  }

  var box = document.getElementById("report-map");
  if (box) {
    var map = window.accessrouteBaseMap(box);
    if (config.point) {
      L.marker(config.point, { title: S.marker, alt: S.marker, keyboard: false }).addTo(map);
    }
    var areaSelect = document.querySelector("#direct-form select[name=area]");
    var picker = targetPicker(map, box, function () {
      return areaSelect ? areaSelect.value : config.area;
    });
    if (areaSelect) { // the dashboard: another area shows that area, and forgets the pick
      areaSelect.addEventListener("change", function () {
        var bounds = areaBounds(areaSelect.value);
        if (bounds) map.fitBounds(bounds);
        picker.reset();
      });
    }
    if (!config.point && config.geometry) { // the dashboard's form sent back: its pick in view
      var pickedBounds = L.geoJSON(config.geometry).getBounds();
      if (pickedBounds.isValid()) map.fitBounds(pickedBounds.pad(1), { maxZoom: 17 });
    }
  }

  var changes = document.getElementById("changes-map");
  if (changes) changesMap(changes, config.changes || []);

  var copy = document.getElementById("copy-text");
  var note = document.getElementById("note");
  var text = document.getElementById("citizen-text");
  if (copy && note && text) {
    copy.addEventListener("click", function () {
      var citizen = text.textContent.trim();
      note.value = note.value.trim() ? note.value.trim() + "\n" + citizen : citizen;
      note.focus();
    });
  }

  // a form sent back: its preview, else its first field in error, is where the reader goes on
  var preview = document.getElementById("preview");
  var invalid = document.querySelector("#direct-form [aria-invalid=true]");
  if (preview) preview.focus();
  else if (invalid) invalid.focus();
})();
