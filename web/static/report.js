/* The report pages' maps: the form (click, search or "use my location" puts the barrier's place)
   and the status page (the report's point). Plain ES5 like app.js, no inline script (the CSP is
   script-src 'self'); every text from users or map data is set as text (textContent).

   window.accessrouteBaseMap(box, config) makes the shared map (tiles, and our street layer when
   they cannot load); the operators' page (operator.js) uses it too.
   config (JSON in #report-config): lang, areas [{name, title, bbox}], area, tileUrl, strings,
   point ([lat, lon], status page). */
(function () {
  "use strict";

  var configNode = document.getElementById("report-config");
  if (!configNode || typeof L === "undefined") return;
  var config = JSON.parse(configNode.textContent);
  var S = config.strings || {};

  function fmt(template, vars) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (_, key) {
      return vars && vars[key] !== undefined ? String(vars[key]) : "";
    });
  }

  function areaBounds(area) {
    var b = area.bbox; // west, south, east, north
    return L.latLngBounds([b[1], b[0]], [b[3], b[2]]);
  }

  function areaNamed(name) {
    for (var i = 0; i < config.areas.length; i += 1) {
      if (config.areas[i].name === name) return config.areas[i];
    }
    return null;
  }

  function areaAt(lat, lon) {
    var found = null;
    config.areas.forEach(function (area) {
      if (!found && areaBounds(area).contains([lat, lon])) found = area;
    });
    return found;
  }

  var streetStyles = {
    road: { color: "#9a9a9a", weight: 4 },
    sidewalk: { color: "#6b6b6b", weight: 1.5 },
    footway: { color: "#6b6b6b", weight: 1.5 },
    crossing: { color: "#6b6b6b", weight: 1.5, dashArray: "2 3" },
    steps: { color: "#a3001b", weight: 2, dashArray: "1 3" },
  };

  /* The map: OpenStreetMap tiles, and where they cannot load our own street layer with the
     street names (map_extras.js), the areas' frames, keyboard use. */
  function baseMap(box, options) {
    var map = L.map(box, { keyboard: true, minZoom: 3 });
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", (options && options.label) || S.map_label || "map");
    map.attributionControl.setPrefix("");
    map.attributionControl.addAttribution("© OpenStreetMap contributors");
    var canvas = L.canvas({ padding: 0.3 });
    var streets = L.layerGroup();
    var loaded = {};
    var note = document.getElementById("map-note");

    function loadStreets(name) {
      if (!name || loaded[name]) return;
      loaded[name] = true;
      fetch("/api/streets/" + encodeURIComponent(name))
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (data) {
          L.geoJSON(data, {
            renderer: canvas,
            interactive: false,
            style: function (feature) {
              var style = streetStyles[feature.properties.kind] || { color: "#6b6b6b", weight: 1.5 };
              return Object.assign({ opacity: 0.9, renderer: canvas }, style);
            },
          }).addTo(streets);
          box.setAttribute("data-streets-loaded", Object.keys(loaded).join(" "));
          var extras = window.accessrouteExtras;
          if (extras && typeof extras.streetNames === "function") {
            var names = extras.streetNames(map, data, config.lang);
            if (names) names.addTo(streets);
          }
        })
        .catch(function () { loaded[name] = false; });
    }

    function loadInView() {
      if (!map.hasLayer(streets)) return;
      var view = map.getBounds();
      config.areas.forEach(function (area) {
        if (view.intersects(areaBounds(area))) loadStreets(area.name);
      });
    }

    var tiles = null;
    var failed = false;
    function showStreets(withNote) {
      if (tiles && map.hasLayer(tiles)) map.removeLayer(tiles);
      if (!map.hasLayer(streets)) streets.addTo(map);
      loadInView();
      if (withNote && note) {
        note.textContent = S.tiles_unavailable || "";
        note.hidden = false;
      }
    }
    if (config.tileUrl) {
      var errors = 0;
      var ok = 0;
      tiles = L.tileLayer(config.tileUrl, { maxZoom: 19 });
      tiles.on("tileload", function () { ok += 1; });
      tiles.on("tileerror", function () {
        errors += 1;
        if (!failed && errors >= 2 && ok === 0) { failed = true; showStreets(true); }
      });
      tiles.addTo(map);
      setTimeout(function () { if (!failed && ok === 0) { failed = true; showStreets(true); } }, 5000);
    }
    map.on("moveend", loadInView);
    config.areas.forEach(function (area) {
      L.rectangle(areaBounds(area), {
        color: "#1d3f8f", weight: 2, dashArray: "8 6", fill: false, interactive: false,
      }).addTo(map);
    });
    var area = areaNamed(config.area) || config.areas[0];
    if (config.point) map.setView(config.point, 17);
    else if (area) map.fitBounds(areaBounds(area));
    if (!config.tileUrl) showStreets(false);
    return map;
  }

  window.accessrouteBaseMap = baseMap;
  window.accessrouteReportConfig = config;

  var box = document.getElementById("report-map");
  if (!box || box.getAttribute("data-mode") === "operator") return;
  var map = baseMap(box);

  /* The status page: the report's point. */
  if (box.getAttribute("data-readonly")) {
    if (config.point) L.marker(config.point, { title: S.marker, alt: S.marker, keyboard: false }).addTo(map);
    return;
  }

  /* The form. */
  var lat = document.getElementById("lat");
  var lon = document.getElementById("lon");
  var areaSelect = document.getElementById("area");
  var input = document.getElementById("place-input");
  var list = document.getElementById("place-list");
  var placeError = document.getElementById("place-error");
  var chosen = document.getElementById("chosen-place");
  var marker = null;

  function say(text) { chosen.textContent = text; }

  function clearPlaceError() {
    placeError.hidden = true;
    placeError.textContent = "";
    input.removeAttribute("aria-invalid");
  }

  function placeFailed(text) {
    placeError.textContent = text;
    placeError.hidden = false;
    input.setAttribute("aria-invalid", "true");
  }

  function setPoint(latlng, label, options) {
    lat.value = latlng.lat.toFixed(6);
    lon.value = latlng.lng.toFixed(6);
    if (marker) {
      marker.setLatLng(latlng);
    } else {
      marker = L.marker(latlng, { draggable: true, title: S.marker, alt: S.marker, keyboard: false }).addTo(map);
      marker.on("dragend", function () { setPoint(marker.getLatLng(), null, {}); });
    }
    var area = areaAt(latlng.lat, latlng.lng);
    if (area && areaSelect.value !== area.name) areaSelect.value = area.name;
    clearPlaceError();
    if (label) {
      input.value = label;
      say(fmt(S.chosen, { place: label }));
    } else {
      say(fmt(S.chosen, { place: fmt(S.point, { lat: latlng.lat.toFixed(5), lon: latlng.lng.toFixed(5) }) }));
      nameOf(latlng);
    }
    if (options && options.centre) map.setView(latlng, Math.max(map.getZoom(), 17));
  }

  // The nearest address or street, said beside the map (the point itself is kept).
  function nameOf(latlng) {
    var params = new URLSearchParams({ lat: latlng.lat.toFixed(6), lon: latlng.lng.toFixed(6), lang: config.lang });
    var typed = input.value; // what the field said when asked: a late answer never overwrites typing
    fetch("/api/places/reverse?" + params.toString())
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (place) {
        if (lat.value !== latlng.lat.toFixed(6) || lon.value !== latlng.lng.toFixed(6)) return;
        if (input.value !== typed) return;
        var name = place.address || place.name;
        input.value = name;
        say(fmt(S.chosen, { place: name }));
      })
      .catch(function () { /* the coordinates stay the label */ });
  }

  map.on("click", function (event) { setPoint(event.latlng, null, {}); });
  if (lat.value && lon.value && isFinite(parseFloat(lat.value)) && isFinite(parseFloat(lon.value))) {
    var start = L.latLng(parseFloat(lat.value), parseFloat(lon.value));
    map.setView(start, 17);
    setPoint(start, input.value || null, {});
  }

  areaSelect.addEventListener("change", function () {
    var area = areaNamed(areaSelect.value);
    if (area) map.fitBounds(areaBounds(area));
  });

  /* "Use my location" */
  document.getElementById("locate").addEventListener("click", function () {
    if (!navigator.geolocation) { placeFailed(S.geo_unavailable); return; }
    say(S.geo_searching);
    navigator.geolocation.getCurrentPosition(function (position) {
      var here = L.latLng(position.coords.latitude, position.coords.longitude);
      if (!areaAt(here.lat, here.lng)) { say(""); placeFailed(S.geo_outside); return; }
      setPoint(here, null, { centre: true });
    }, function (error) {
      say("");
      placeFailed(error && error.code === 1 ? S.geo_denied : S.geo_unavailable);
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 0 });
  });

  /* Place search: an ARIA 1.2 combobox over /api/places, as on the map page. */
  var status = document.createElement("div");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  document.body.appendChild(status);
  var results = [];
  var active = -1;
  var timer = null;
  var seq = 0;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    var options = list.querySelectorAll('[role="option"]');
    options.forEach(function (option, i) { option.setAttribute("aria-selected", String(i === index)); });
    active = index;
    if (index >= 0 && options[index]) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    }
  }

  function choose(index) {
    var place = results[index];
    if (!place) return;
    close();
    setPoint(L.latLng(place.lat, place.lon), place.name, { centre: true });
  }

  function render(found) {
    results = found;
    list.textContent = "";
    found.forEach(function (place, i) {
      var option = document.createElement("li");
      option.id = "place-option-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      var name = document.createElement("span");
      name.textContent = place.name;
      var kind = document.createElement("span");
      kind.className = "option-kind";
      kind.textContent = " — " + place.kind_label + (place.address ? ", " + place.address : "");
      option.appendChild(name);
      option.appendChild(kind);
      option.addEventListener("mousedown", function (event) { event.preventDefault(); });
      option.addEventListener("click", function () { choose(i); });
      list.appendChild(option);
    });
    if (found.length) {
      clearPlaceError();
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = fmt(S.places_found, { n: found.length });
    } else {
      close();
      placeFailed(S.no_places);
    }
    active = -1;
  }

  function search() {
    var text = input.value.trim();
    if (!text) { ++seq; close(); return; }
    var mine = ++seq;
    var centre = map.getCenter();
    var params = new URLSearchParams({ q: text, lang: config.lang, limit: "8", area: areaSelect.value });
    params.set("near", centre.lat.toFixed(5) + "," + centre.lng.toFixed(5));
    fetch("/api/places?" + params.toString())
      .then(function (r) { return r.json(); })
      .then(function (data) { if (mine === seq && input.value.trim() === text) render(data.results || []); })
      .catch(function () { if (mine === seq) close(); });
  }

  input.addEventListener("input", function () {
    clearPlaceError();
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  input.addEventListener("keydown", function (event) {
    var count = results.length;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (list.hidden) { search(); return; }
      highlight(count ? (active + 1) % count : -1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (!list.hidden) highlight(count ? (active - 1 + count) % count : -1);
    } else if (event.key === "Enter") {
      event.preventDefault(); // Enter chooses a place; it does not send the form
      if (!list.hidden && count) choose(active >= 0 ? active : 0);
    } else if (event.key === "Escape") {
      if (!list.hidden) { event.preventDefault(); close(); }
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });

  // After a refused send, the summary of what is missing gets the focus.
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
