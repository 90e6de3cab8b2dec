/* The operators' report page: the report's point on the map, a click picks the way or elevator
   a change applies to (drawn in orange, named beside the field), and the citizen's text can be
   copied into the public note. Needs report.js (window.accessrouteBaseMap) loaded first. Every
   text from users or map data is set as text. */
(function () {
  "use strict";

  var box = document.getElementById("report-map");
  var config = window.accessrouteReportConfig;
  if (!box || !config || typeof window.accessrouteBaseMap !== "function") return;
  var S = config.strings || {};
  var map = window.accessrouteBaseMap(box);
  L.marker(config.point, { title: S.marker, alt: S.marker, keyboard: false }).addTo(map);

  var picked = L.layerGroup().addTo(map);
  function draw(geometry) {
    picked.clearLayers();
    if (!geometry) return;
    L.geoJSON(geometry, { interactive: false, style: { color: "#e66100", weight: 8, opacity: 0.85 } }).addTo(picked);
  }
  draw(config.geometry);

  var target = document.getElementById("target");
  var label = document.getElementById("target-label");
  var kind = document.getElementById("change-kind");
  var error = document.getElementById("target-error");
  if (!target) return; // a decided report: nothing to pick

  // For an area closure each click adds a corner; from three on, the polygon is the target
  // (WKT, lon lat), checked by the server when previewed or saved.
  var corners = [];
  var outline = L.polygon([], { color: "#e66100", weight: 3, fillOpacity: 0.15, interactive: false }).addTo(map);
  kind.addEventListener("change", function () {
    corners = [];
    outline.setLatLngs([]);
  });
  function addCorner(latlng) {
    corners.push(latlng);
    outline.setLatLngs(corners);
    picked.clearLayers();
    if (corners.length < 3) {
      label.textContent = String(S.corners || "").replace("%(n)s", String(corners.length));
      return;
    }
    var ring = corners.concat([corners[0]]).map(function (c) {
      return c.lng.toFixed(6) + " " + c.lat.toFixed(6);
    });
    target.value = "POLYGON((" + ring.join(", ") + "))";
    box.setAttribute("data-picked", target.value);
    label.textContent = String(S.corners || "").replace("%(n)s", String(corners.length));
  }

  map.on("click", function (event) {
    if (kind.value === "closure_area") { addCorner(event.latlng); return; }
    var params = new URLSearchParams({
      lat: event.latlng.lat.toFixed(6),
      lon: event.latlng.lng.toFixed(6),
      kind: kind.value,
      lang: config.lang,
    });
    fetch(config.targetUrl + (config.targetUrl.indexOf("?") < 0 ? "?" : "&") + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (found) {
        if (!found.target) { label.textContent = S.nothing; return; }
        target.value = found.target;
        target.removeAttribute("aria-invalid");
        error.hidden = true;
        label.textContent = String(S.picked || "").replace("%(target)s", found.label);
        box.setAttribute("data-picked", found.target);
        draw(found.geometry);
      })
      .catch(function () { label.textContent = S.nothing; });
  });

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

  var preview = document.getElementById("preview");
  if (preview) preview.focus();
})();
