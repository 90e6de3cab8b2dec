/* accessroute map page: pick points by place search or map click, plan, draw and describe. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("config").textContent);
  var S = config.strings;
  var lang = config.lang;
  var numberFormat = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });

  /* ---------- small helpers ---------- */

  function fmt(template, vars) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) {
      return vars && vars[key] !== undefined ? String(vars[key]) : "";
    });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "className") node.className = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  // Content for Leaflet's tooltips and popups, which insert a string as HTML: texts from users
  // (report notes) and map data (OSM names and values) go in as a node holding them as text.
  function asText(text) {
    return el("span", { text: text });
  }

  function formatLength(metres) {
    if (metres === null || metres === undefined) return "—";
    if (metres < 1000) return fmt(S.metres, { n: Math.round(metres) });
    return fmt(S.kilometres, { n: numberFormat.format(metres / 1000) });
  }

  function formatMinutes(seconds) {
    return Math.max(1, Math.round((seconds || 0) / 60));
  }

  function pointLabel(lat, lon) {
    return fmt(S.point, { lat: lat.toFixed(5), lon: lon.toFixed(5) });
  }

  function parseCoordinates(text) {
    var match = /^\s*(-?\d{1,2}(?:[.,]\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:[.,]\d+)?)\s*$/.exec(text);
    if (!match) return null;
    var lat = parseFloat(match[1].replace(",", "."));
    var lon = parseFloat(match[2].replace(",", "."));
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
    return { lat: lat, lon: lon };
  }

  /* ---------- the map ---------- */

  var areasByName = {};
  config.areas.forEach(function (area) { areasByName[area.name] = area; });

  function areaBounds(area) {
    var b = area.bbox; // west, south, east, north
    return L.latLngBounds([b[1], b[0]], [b[3], b[2]]);
  }

  var map = L.map("map", { keyboard: true, zoomControl: false, minZoom: 3 });
  L.control.zoom({ zoomInTitle: S.zoom_in, zoomOutTitle: S.zoom_out }).addTo(map);
  var mapNode = document.getElementById("map");
  mapNode.setAttribute("role", "region");
  mapNode.setAttribute("aria-label", S.map_label);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  map.attributionControl.addAttribution(
    '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
  );

  var canvas = L.canvas({ padding: 0.3 });
  var streetsLayer = L.layerGroup();
  var streetsLoaded = {};
  var streetStyles = {
    road: { color: "#9a9a9a", weight: 4 },
    sidewalk: { color: "#6b6b6b", weight: 1.5 },
    footway: { color: "#6b6b6b", weight: 1.5 },
    crossing: { color: "#6b6b6b", weight: 1.5, dashArray: "2 3" },
    steps: { color: "#a3001b", weight: 2, dashArray: "1 3" },
  };

  function loadStreets(name) {
    if (!name || streetsLoaded[name]) return;
    streetsLoaded[name] = true;
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
        }).addTo(streetsLayer);
        mapNode.setAttribute("data-streets-loaded", Object.keys(streetsLoaded).join(" "));
        // EXTRAS (web/static/map_extras.js, when shipped): street names on our street layer.
        var extras = window.accessrouteExtras;
        if (extras && typeof extras.streetNames === "function") {
          var names = extras.streetNames(map, data, lang);
          if (names) names.addTo(streetsLayer);
        }
      })
      .catch(function () { streetsLoaded[name] = false; });
  }

  var tiles = null;

  // Tiles that cannot load leave the map blank: take them off (the layer control then shows our
  // street layer as the chosen map) and say why on the map.
  function showStreets(note) {
    if (tiles && map.hasLayer(tiles)) map.removeLayer(tiles);
    if (!map.hasLayer(streetsLayer)) streetsLayer.addTo(map);
    if (note) {
      var box = document.getElementById("map-note");
      box.textContent = S.tiles_unavailable;
      box.hidden = false;
      map.invalidateSize();
    }
  }

  if (config.tileUrl) {
    var tileErrors = 0;
    var tilesLoaded = 0;
    var tilesFailed = false;
    tiles = L.tileLayer(config.tileUrl, {
      maxZoom: 19,
      attribution: "",
      crossOrigin: false,
    });
    tiles.on("tileload", function () { tilesLoaded += 1; });
    tiles.on("tileerror", function () {
      tileErrors += 1;
      if (!tilesFailed && tileErrors >= 2 && tilesLoaded === 0) { tilesFailed = true; showStreets(true); }
    });
    tiles.addTo(map);
    // Where the network swallows requests instead of refusing them, no error comes soon.
    setTimeout(function () {
      if (!tilesFailed && tilesLoaded === 0) { tilesFailed = true; showStreets(true); }
    }, 5000);
  } else {
    showStreets(false);
  }
  // The street layer holds the areas in view, fetched once each when first seen.
  function loadStreetsInView() {
    if (!map.hasLayer(streetsLayer)) return;
    map.whenReady(function () {
      var view = map.getBounds();
      config.areas.forEach(function (area) {
        if (view.intersects(areaBounds(area))) loadStreets(area.name);
      });
    });
  }
  streetsLayer.on("add", loadStreetsInView);
  map.on("moveend", loadStreetsInView);

  // Two maps to choose from (one at a time); on phones the control is folded into a button.
  var baseLayers = {};
  if (tiles) baseLayers[S.tiles_layer] = tiles;
  baseLayers[S.streets_layer] = streetsLayer;
  var narrow = window.matchMedia("(max-width: 47.99em)").matches;
  var layersControl = L.control.layers(baseLayers, {}, { collapsed: narrow }).addTo(map);
  var layersToggle = layersControl.getContainer().querySelector(".leaflet-control-layers-toggle");
  if (layersToggle) {
    layersToggle.setAttribute("title", S.map_layers);
    layersToggle.setAttribute("aria-label", S.map_layers);
  }

  config.areas.forEach(function (area) {
    L.rectangle(areaBounds(area), {
      color: "#1d3f8f", weight: 2, dashArray: "8 6", fill: false, interactive: false,
    }).addTo(map);
  });

  var routeLayer = L.layerGroup().addTo(map);
  var markerLayer = L.layerGroup().addTo(map);

  /* ---------- form state ---------- */

  var areaSelect = document.getElementById("area");
  var profileSelect = document.getElementById("profile");
  var form = document.getElementById("route-form");
  var state = { from: null, to: null };
  var markers = { from: null, to: null };

  function currentArea() { return areaSelect.value; }

  function fitArea() {
    var area = areasByName[currentArea()];
    if (area) map.fitBounds(areaBounds(area));
  }

  function areaAt(lat, lon) {
    var found = null;
    config.areas.forEach(function (area) {
      if (!found && areaBounds(area).contains([lat, lon])) found = area.name;
    });
    return found;
  }

  function thresholdInputs() {
    return Array.prototype.slice.call(form.querySelectorAll("[data-threshold]"));
  }

  function fillThresholds() {
    var profile = config.profiles[profileSelect.value] || {};
    thresholdInputs().forEach(function (input) {
      var value = profile[input.name];
      if (input.tagName === "SELECT") {
        input.value = value;
      } else {
        input.value = value === null || value === undefined ? "" : value;
        input.placeholder = value === null ? S.no_limit : "";
      }
    });
  }

  // Settings a hint changed that the form has no field for (an avoided surface, ...): sent with
  // every request until the profile changes.
  var extraOverrides = {};

  function overrides() {
    var profile = config.profiles[profileSelect.value] || {};
    var out = Object.assign({}, extraOverrides);
    thresholdInputs().forEach(function (input) {
      var base = profile[input.name];
      if (input.tagName === "SELECT") {
        if (input.value !== base) out[input.name] = input.value;
        return;
      }
      var text = input.value.trim().replace(",", ".");
      var value = text === "" ? (input.name.indexOf("max_") === 0 ? null : 0) : Number(text);
      if (text !== "" && Number.isNaN(value)) { out[input.name] = text; return; }
      if (value !== base) out[input.name] = value;
    });
    return out;
  }

  /* ---------- the page's state: one at a time, always on screen ---------- */

  var resultsBox = document.getElementById("results");
  var resultsHeading = document.getElementById("results-heading");
  var statusBox = document.getElementById("status");

  // empty | searching | route | no_route | error | nothing_found. Each state but a result's
  // clears the previous answer from the map and the panel; the message is shown in the status
  // box (a polite live region) at the top of the results.
  function setState(name, message) {
    resultsBox.setAttribute("data-state", name);
    if (name !== "route" && name !== "no_route") clearRoute();
    // the invitation to choose the points, only while nothing else is said
    document.getElementById("results-empty").hidden = name !== "empty";
    if (name === "searching") mapNode.setAttribute("aria-busy", "true");
    else mapNode.removeAttribute("aria-busy");
    statusBox.textContent = message || "";
    statusBox.classList.toggle("is-error", name === "error" || name === "no_route");
  }

  function pageState() { return resultsBox.getAttribute("data-state"); }

  // An old answer no longer fits the form: take it away (a message, if any, says why).
  function dropAnswer(message) {
    var current = pageState();
    if (current !== "empty" || message) setState("empty", message);
  }

  // After a search: the summary under the map (phones) or at the top of the panel, focus on
  // its heading for screen readers when the search came from the user.
  function bringAnswer(how) {
    if (!how) return;
    if (how === "focus") resultsHeading.focus({ preventScroll: true });
    resultsHeading.scrollIntoView({ block: "start" });
  }

  /* ---------- points ---------- */

  function markerIcon(which) {
    return L.divIcon({
      className: "point-marker point-marker-" + which,
      html: '<span aria-hidden="true">' + (which === "from" ? "A" : "B") + "</span>",
      iconSize: [30, 30],
      iconAnchor: [15, 15],
    });
  }

  function markerTitle(which, point) {
    var title = (which === "from" ? S.marker_start : S.marker_end) + ": " + point.label;
    var node = markers[which] && markers[which].getElement();
    if (node) {
      node.setAttribute("title", title);
      node.setAttribute("aria-label", title);
    }
    return title;
  }

  function unsetPoint(which) {
    state[which] = null;
    if (markers[which]) { markerLayer.removeLayer(markers[which]); markers[which] = null; }
    syncUrl();
  }

  // A point picked on the map or found by the browser: labelled by its coordinates at once, then
  // by the nearest address when the reverse search knows one (the coordinates stay otherwise).
  function labelByAddress(which, point) {
    var params = new URLSearchParams({ lat: String(point.lat), lon: String(point.lon), lang: lang });
    fetch("/api/places/reverse?" + params.toString())
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (place) {
        if (state[which] !== point || !place || !place.name) return;
        var label = place.address && place.address !== place.name ? place.name + ", " + place.address : place.name;
        point.label = label;
        document.getElementById(which + "-input").value = label;
        markerTitle(which, point);
        syncUrl();
      })
      .catch(function () { /* keep the coordinates as the label */ });
  }

  // Set the start or destination; plans the route when both are set, unless told not to.
  // options: quiet (no message), noRoute (do not plan), how ("focus" | "scroll" | "").
  function setPoint(which, point, options) {
    options = options || {};
    state[which] = point;
    var area = areaAt(point.lat, point.lon);
    if (area && area !== currentArea()) areaSelect.value = area;
    var input = document.getElementById(which + "-input");
    input.value = point.label;
    clearFieldError(which);
    if (markers[which]) {
      markers[which].setLatLng([point.lat, point.lon]);
    } else {
      markers[which] = L.marker([point.lat, point.lon], {
        icon: markerIcon(which), title: point.label, draggable: true, keyboard: true,
      }).addTo(markerLayer);
      markers[which].on("dragend", function (event) {
        var ll = event.target.getLatLng();
        var moved = { lat: ll.lat, lon: ll.lng, label: pointLabel(ll.lat, ll.lng) };
        setPoint(which, moved, { how: "focus" });
        labelByAddress(which, moved);
      });
    }
    markerTitle(which, point);
    syncUrl();
    var message = options.quiet ? "" : fmt(which === "from" ? S.start_set : S.end_set, { place: point.label });
    if (state.from && state.to && !options.noRoute) {
      planRoute(options.how === undefined ? "focus" : options.how);
    } else if (!options.noRoute) {
      dropAnswer(message);
    }
  }

  map.on("click", function (event) {
    var radio = form.querySelector('input[name="click"]:checked');
    var which = radio ? radio.value : "from";
    var ll = event.latlng;
    var point = { lat: ll.lat, lon: ll.lng, label: pointLabel(ll.lat, ll.lng) };
    if (which === "from") form.querySelector('input[name="click"][value="to"]').checked = true;
    setPoint(which, point, { how: "scroll" });
    labelByAddress(which, point);
    if (which === "from" && !state.to) setState("empty", S.click_sets_start);
  });

  document.getElementById("swap").addEventListener("click", function () {
    var a = state.from;
    var b = state.to;
    unsetPoint("from");
    unsetPoint("to");
    document.getElementById("from-input").value = "";
    document.getElementById("to-input").value = "";
    if (b) setPoint("from", b, { quiet: true, noRoute: true });
    if (a) setPoint("to", a, { quiet: true, noRoute: true });
    if (state.from && state.to) planRoute("focus");
    else dropAnswer("");
  });

  areaSelect.addEventListener("change", function () {
    // Points of another area and the route planned there do not belong to the new area.
    var cleared = false;
    ["from", "to"].forEach(function (which) {
      var p = state[which];
      if (p && areaAt(p.lat, p.lon) !== currentArea()) {
        unsetPoint(which);
        document.getElementById(which + "-input").value = "";
        clearFieldError(which);
        cleared = true;
      }
    });
    var title = areaSelect.options[areaSelect.selectedIndex].text;
    setState("empty", fmt(cleared || pageState() !== "empty" ? S.area_changed_cleared : S.area_changed, { area: title }));
    fitArea();
    syncUrl();
  });

  /* ---------- "use my location" ---------- */

  var locateButton = document.getElementById("locate");
  locateButton.addEventListener("click", function () {
    var box = document.getElementById("from-error");
    function fail(text) {
      box.textContent = text;
      box.hidden = false;
      setState("error", text);
    }
    if (!navigator.geolocation) { fail(S.geo_unavailable); return; }
    setState("searching", S.geo_searching);
    navigator.geolocation.getCurrentPosition(function (position) {
      var lat = position.coords.latitude;
      var lon = position.coords.longitude;
      if (!areaAt(lat, lon)) { fail(S.geo_outside); return; }
      var point = { lat: lat, lon: lon, label: S.my_location };
      setPoint("from", point, { how: "scroll", quiet: true });
      if (!state.to) setState("empty", S.geo_set);
      map.setView([lat, lon], Math.max(map.getZoom(), 17));
      labelByAddress("from", point);
    }, function (error) {
      fail(error && error.code === 1 ? S.geo_denied : S.geo_unavailable);
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 0 });
  });

  /* ---------- place search (ARIA 1.2 combobox) ---------- */

  var searchStatus = el("div", { className: "visually-hidden", role: "status", "aria-live": "polite" });
  document.body.appendChild(searchStatus);

  function setupCombo(which) {
    var input = document.getElementById(which + "-input");
    var list = document.getElementById(which + "-list");
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
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var place = results[index];
      if (!place) return;
      close();
      map.setView([place.lat, place.lon], Math.max(map.getZoom(), 16));
      setPoint(which, { lat: place.lat, lon: place.lon, label: place.name }, { how: "focus" });
    }

    function render(found, text) {
      results = found;
      list.textContent = "";
      found.forEach(function (place, i) {
        var detail = place.kind_label + (place.address ? ", " + place.address : "");
        var option = el("li", { id: which + "-option-" + i, role: "option", "aria-selected": "false" }, [
          el("span", { className: "option-name", text: place.name }),
          el("span", { className: "option-kind", text: " — " + detail }),
        ]);
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { choose(i); });
        list.appendChild(option);
      });
      if (found.length) {
        clearFieldError(which);
        if (pageState() === "nothing_found") setState("empty", "");
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        searchStatus.textContent = fmt(S.places_found, { n: found.length });
      } else {
        close();
        // Said under the field and in the results; a route that hung on the old text is gone.
        showFieldError(which, S.no_places);
        setState("nothing_found", fmt(S.nothing_found, { text: text }));
      }
      active = -1;
    }

    function search() {
      var text = input.value.trim();
      var chosen = state[which] && input.value === state[which].label;
      if (!text || chosen || parseCoordinates(text)) { ++seq; close(); return; }
      var mine = ++seq;
      var params = new URLSearchParams({ q: text, lang: lang, limit: "8" });
      params.set("area", currentArea());
      var centre = map.getCenter();
      params.set("near", centre.lat.toFixed(5) + "," + centre.lng.toFixed(5));
      fetch("/api/places?" + params.toString())
        .then(function (r) { return r.json(); })
        .then(function (data) {
          var still = input.value.trim() === text && !(state[which] && input.value === state[which].label);
          if (mine === seq && still) render(data.results || [], text);
        })
        .catch(function () { if (mine === seq) close(); });
    }

    input.addEventListener("input", function () {
      // The text no longer names the chosen point: it is not chosen any more, and the route
      // planned from it is not the one asked for.
      if (state[which] && input.value !== state[which].label) {
        unsetPoint(which);
        dropAnswer("");
      }
      clearFieldError(which);
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
        var coords = parseCoordinates(input.value);
        if (coords) {
          event.preventDefault();
          setPoint(which, { lat: coords.lat, lon: coords.lon, label: pointLabel(coords.lat, coords.lon) }, { how: "focus" });
        } else if (!list.hidden && count) {
          event.preventDefault();
          choose(active >= 0 ? active : 0);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) { event.preventDefault(); close(); }
      }
    });

    input.addEventListener("blur", function () { setTimeout(close, 150); });

    return { search: search };
  }

  var combos = { from: setupCombo("from"), to: setupCombo("to") };

  /* ---------- errors on fields, in the page's language ---------- */

  function fieldControl(field) {
    if (!field) return null;
    var head = field.split(".")[0];
    if (head === "from" || head === "to") return { id: head + "-input", error: head + "-error" };
    if (head === "profile") return { id: "profile", error: "profile-error" };
    if (head === "overrides") {
      var name = field.split(".")[1];
      if (document.getElementById("t-" + name)) return { id: "t-" + name, error: "t-" + name + "-error" };
      return { id: "profile", error: "profile-error" };
    }
    return null;
  }

  function clearFieldError(which) {
    var control = fieldControl(which);
    if (!control) return;
    document.getElementById(control.id).removeAttribute("aria-invalid");
    document.getElementById(control.error).hidden = true;
  }

  function showFieldError(which, text) {
    var control = fieldControl(which);
    if (!control) return;
    document.getElementById(control.id).setAttribute("aria-invalid", "true");
    var box = document.getElementById(control.error);
    box.textContent = text;
    box.hidden = false;
  }

  function clearAllErrors() {
    ["from", "to", "profile"].forEach(clearFieldError);
    thresholdInputs().forEach(function (input) { clearFieldError("overrides." + input.name); });
  }

  function labelOf(id) {
    var label = form.querySelector('label[for="' + id + '"]');
    return label ? label.textContent.trim() : "";
  }

  function numberRange(input) {
    return {
      label: labelOf(input.id),
      min: numberFormat.format(Number(input.min || 0)),
      max: numberFormat.format(Number(input.max)),
    };
  }

  // The API's error (code and field) said with the form's own words; its English text is for
  // programs and never shown.
  function errorText(error) {
    var byCode = {
      outside_area: S.error_outside_area,
      snap_too_far: S.error_snap_too_far,
      unknown_profile: S.error_unknown_profile,
      unavailable: S.error_unavailable,
    };
    if (byCode[error.code]) return byCode[error.code];
    var control = fieldControl(error.field);
    if (control) {
      var input = document.getElementById(control.id);
      if (input.type === "number") return fmt(S.error_number, numberRange(input));
      return fmt(S.error_field, { label: labelOf(control.id) });
    }
    return S.error_request;
  }

  // Number fields checked before asking: an empty field is no limit, else 0 to its max.
  function invalidThreshold() {
    var bad = null;
    thresholdInputs().forEach(function (input) {
      if (bad || input.type !== "number") return;
      var text = input.value.trim().replace(",", ".");
      if (!text && input.validity && input.validity.badInput) text = "x";
      if (!text) return;
      var value = Number(text);
      if (Number.isNaN(value) || value < Number(input.min || 0) || (input.max && value > Number(input.max))) {
        bad = { field: "overrides." + input.name, code: "invalid" };
      }
    });
    return bad;
  }

  function showError(error, focus) {
    var text = errorText(error);
    var control = fieldControl(error.field);
    if (control) {
      var input = document.getElementById(control.id);
      showFieldError(error.field, text);
      if (control.id.indexOf("t-") === 0) document.getElementById("tune").open = true;
      if (focus) input.focus();
    }
    setState("error", S.error + ": " + text);
  }

  /* ---------- routing ---------- */

  var routeSeq = 0;

  function requestBody() {
    return {
      from: { lat: state.from.lat, lon: state.from.lon },
      to: { lat: state.to.lat, lon: state.to.lon },
      profile: profileSelect.value,
      overrides: overrides(),
      lang: lang,
      area: currentArea(),
    };
  }

  // Ask for the route. how: "focus" (the user asked: summary in view, focus on its heading),
  // "scroll" (summary in view), "" (a setting changed: the answer is announced only).
  function planRoute(how) {
    var mine = ++routeSeq;
    if (!state.from || !state.to) {
      setState("error", S.missing_points);
      if (how === "focus") document.getElementById(state.from ? "to-input" : "from-input").focus();
      return;
    }
    clearAllErrors();
    var bad = invalidThreshold();
    if (bad) { showError(bad, how === "focus"); return; }
    setState("searching", S.routing);
    if (how) resultsHeading.scrollIntoView({ block: "start" }); // "Looking for a route…" in view
    var body = requestBody();
    delete body.area; // the engine picks the area containing the start
    fetch("/api/route", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/geo+json" },
      body: JSON.stringify(body),
    })
      .then(function (r) {
        return r.json().then(function (data) { return { ok: r.ok, data: data }; });
      })
      .then(function (reply) {
        if (mine !== routeSeq) return;
        if (!reply.ok) { showError(reply.data, how === "focus"); return; }
        showRoute(reply.data);
        bringAnswer(how);
      })
      .catch(function () {
        if (mine !== routeSeq) return;
        setState("error", S.error_network);
      });
  }

  // "Find a route": never from a point the field no longer names. A field with text that is not
  // a chosen place asks for a choice from its list (coordinates are taken as they are).
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var pending = null;
    ["from", "to"].forEach(function (which) {
      var input = document.getElementById(which + "-input");
      var text = input.value.trim();
      if (state[which] && input.value === state[which].label) return;
      if (state[which]) unsetPoint(which);
      var coords = text ? parseCoordinates(text) : null;
      if (coords) {
        setPoint(which, { lat: coords.lat, lon: coords.lon, label: pointLabel(coords.lat, coords.lon) }, { quiet: true, noRoute: true });
      } else if (text) {
        showFieldError(which, S.choose_from_list);
        if (!pending) pending = which;
      }
    });
    if (pending) {
      setState("error", S.error + ": " + S.choose_from_list);
      document.getElementById(pending + "-input").focus();
      combos[pending].search();
      return;
    }
    planRoute("focus");
  });
  profileSelect.addEventListener("change", function () {
    extraOverrides = {};
    fillThresholds();
    syncUrl();
    if (state.from && state.to) planRoute("");
    else dropAnswer("");
  });
  thresholdInputs().forEach(function (input) {
    input.addEventListener("change", function () {
      syncUrl();
      if (state.from && state.to) planRoute("");
      else dropAnswer("");
    });
  });
  document.getElementById("reset-thresholds").addEventListener("click", function () {
    fillThresholds();
    syncUrl();
    if (state.from && state.to) planRoute("");
  });

  /* ---------- drawing and describing a result ---------- */

  // Colours and dash patterns match the legend (app.css .swatch-*).
  var segmentStyles = {
    ok: { color: "#1a7f37" },
    steep: { color: "#b35900" },
    unknown: { color: "#595959", dashArray: "6 6" },
    kerb: { color: "#c0142b" },
    steps: { color: "#c0142b", dashArray: "2 6" },
    crossing: { color: "#5b2a86" },
    elevator: { color: "#0b5cad" },
    carriageway: { color: "#b35900", dashArray: "12 6" },
  };
  var barrierColours = {
    kerb: "#c0142b", steps: "#c0142b", incline: "#b35900", barrier: "#c0142b",
    ramp: "#1a7f37", elevator: "#0b5cad", escalator: "#0b5cad", crossing: "#5b2a86",
  };

  // Barrier circles lie in a pane under the route's line, and shrink when zoomed out, so that
  // the line stays visible on long routes; each is also listed (with "Show on map") in the panel.
  map.createPane("barriers");
  map.getPane("barriers").style.zIndex = "390";
  var barrierRenderer = L.svg({ pane: "barriers" });
  var barrierMarkers = [];

  function barrierRadius(base) {
    var zoom = map.getZoom();
    if (zoom >= 17) return base;
    if (zoom >= 16) return Math.max(3, base - 2);
    return Math.max(2.5, base - 3.5);
  }

  map.on("zoomend", function () {
    barrierMarkers.forEach(function (item) { item.marker.setRadius(barrierRadius(item.radius)); });
  });

  function clearRoute() {
    routeLayer.clearLayers();
    barrierMarkers = [];
    document.getElementById("route-text").textContent = "";
    document.getElementById("results-empty").hidden = false;
    mapNode.removeAttribute("data-route");
  }

  function featuresByRole(collection, role) {
    return (collection.features || []).filter(function (f) { return f.properties && f.properties.role === role; });
  }

  function barrierLabel(props) {
    var type = config.barriers[props.type] || props.type || "";
    return props.text || type;
  }

  function barrierMarker(feature, options) {
    var props = feature.properties;
    var c = feature.geometry.coordinates;
    var colour = barrierColours[props.type] || "#3d3d3d";
    var style = Object.assign({
      radius: 7, color: "#ffffff", weight: 2, fillColor: colour, fillOpacity: 1,
      pane: "barriers", renderer: barrierRenderer,
    }, options || {});
    var marker = L.circleMarker([c[1], c[0]], style);
    if (!style.keepSize) {
      marker.setRadius(barrierRadius(style.radius));
      barrierMarkers.push({ marker: marker, radius: style.radius });
    }
    marker.bindTooltip(asText(barrierLabel(props)));
    return marker;
  }

  var labelCount = 0;

  // The point is shown on the map and its tooltip opened; focus stays on the button.
  function showOnMapButton(lat, lon, marker, labelId) {
    var button = el("button", { type: "button", className: "link-button", "aria-describedby": labelId, text: S.show_on_map });
    button.addEventListener("click", function () {
      map.setView([lat, lon], Math.max(map.getZoom(), 18));
      if (marker) marker.openTooltip();
    });
    return button;
  }

  function showOnMapItem(lat, lon, marker, label) {
    var id = "point-label-" + (++labelCount);
    return el("li", {}, [el("span", { id: id, text: label }), " ", showOnMapButton(lat, lon, marker, id)]);
  }

  function listSection(title, items) {
    if (!items.length) return null;
    return el("section", { className: "result-part" }, [el("h3", { text: title }), el("ul", {}, items)]);
  }

  // The barriers on the way: grouped by the engine when it says so ("9 kerbs of unknown height:
  // steps 3, 5, 8"), one line each otherwise.
  function barrierList(summary, features) {
    var markersOf = features.map(function (feature) {
      var c = feature.geometry.coordinates;
      return { feature: feature, marker: barrierMarker(feature).addTo(routeLayer), lat: c[1], lon: c[0] };
    });
    var groups = summary.barrier_groups;
    if (!Array.isArray(groups) || !groups.length) {
      return markersOf.map(function (item) {
        return showOnMapItem(item.lat, item.lon, item.marker, barrierLabel(item.feature.properties));
      });
    }
    return groups.map(function (group) {
      if (group.count !== 1) return el("li", { text: group.text });
      var steps = group.steps || [];
      var match = markersOf.filter(function (item) {
        var props = item.feature.properties;
        return props.type === group.type && (!steps.length || steps.indexOf(props.step) >= 0);
      });
      if (match.length !== 1) return el("li", { text: group.text });
      return showOnMapItem(match[0].lat, match[0].lon, match[0].marker, group.text);
    });
  }

  function lengthText(summary) {
    return summary.length_text || formatLength(summary.length_m);
  }

  function durationText(summary) {
    return summary.duration_text || fmt(S.minutes, { n: formatMinutes(summary.duration_s) });
  }

  function limitValue(name) {
    var input = document.getElementById("t-" + name);
    var value = input ? Number(input.value.trim().replace(",", ".")) : NaN;
    return input && input.value.trim() !== "" && !Number.isNaN(value) ? value : null;
  }

  // EXTRAS (web/static/map_extras.js, when shipped, and its texts in S): the incline chart
  // under the summary, with the limits of the profile as tuned.
  function inclineChart(out, summary) {
    var extras = window.accessrouteExtras;
    var rows = summary.elevation;
    if (!extras || typeof extras.inclineChart !== "function" || !S.incline_title) return;
    if (!Array.isArray(rows) || !rows.length) return;
    var box = el("div", { id: "incline-chart", className: "result-part" });
    out.appendChild(box);
    var up = limitValue("max_incline_up_pct");
    var down = limitValue("max_incline_down_pct");
    var strings = Object.assign({}, S, {
      lang: lang,
      limitPct: up === null && down === null ? null : { up: up, down: down },
    });
    extras.inclineChart(box, rows, strings, summary.length_m);
  }

  function showRoute(collection) {
    routeLayer.clearLayers();
    barrierMarkers = [];
    var summary = collection.properties || {};
    var out = document.getElementById("route-text");
    out.textContent = "";
    document.getElementById("results-empty").hidden = true;
    var bounds = L.latLngBounds([]);
    var ok = summary.status === "ok";

    // The plain walking route: faint and dotted beside a route, for comparison; where there is
    // no accessible route, dashed and labelled on the map as not accessible.
    featuresByRole(collection, "walking").forEach(function (feature) {
      var style = ok
        ? { color: "#000000", weight: 6, opacity: 0.55, dashArray: "0.1 11", lineCap: "round" }
        : { color: "#1a1a1a", weight: 4, opacity: 0.8, dashArray: "10 8" };
      var layer = L.geoJSON(feature, { style: style, interactive: false }).addTo(routeLayer);
      if (!ok) {
        // its label on the map, half way along it (a layer of the route: cleared with it)
        var line = layer.getLayers()[0];
        var middle = line && line.getCenter ? line.getCenter() : layer.getBounds().getCenter();
        L.tooltip(middle, {
          permanent: true, direction: "center", className: "walking-label", content: asText(S.walking_not_accessible),
        }).addTo(routeLayer);
      }
      bounds.extend(layer.getBounds());
    });
    featuresByRole(collection, "walking_barrier").forEach(function (feature) {
      barrierMarker(feature, { radius: 5, fillOpacity: 0.5, weight: 2, color: "#000000" }).addTo(routeLayer);
    });

    // the accessible route, coloured piece by piece, above the barrier circles
    var segments = featuresByRole(collection, "segment");
    segments.forEach(function (feature) {
      var cls = feature.properties["class"] || "ok";
      var style = segmentStyles[cls] || { color: "#0b5cad" };
      L.geoJSON(feature, { style: { color: "#ffffff", weight: 9, opacity: 0.9 }, interactive: false }).addTo(routeLayer);
      var layer = L.geoJSON(feature, { style: Object.assign({ weight: 6, opacity: 1 }, style) }).addTo(routeLayer);
      layer.bindTooltip(asText(config.segments[cls] || cls));
      bounds.extend(layer.getBounds());
    });
    if (!segments.length) {
      featuresByRole(collection, "route").forEach(function (feature) {
        if (!feature.geometry) return;
        var layer = L.geoJSON(feature, { style: { color: "#0b5cad", weight: 6 } }).addTo(routeLayer);
        bounds.extend(layer.getBounds());
      });
    }

    var barrierItems = barrierList(summary, featuresByRole(collection, "barrier"));
    var head = el("div", { id: "summary", className: "summary" });
    out.appendChild(head);

    if (ok) {
      mapNode.setAttribute("data-route", "ok");
      var facts = el("dl", { className: "facts" }, [
        el("dt", { text: S.length }), el("dd", { text: lengthText(summary) }),
        el("dt", { text: S.duration }), el("dd", { text: durationText(summary) }),
      ]);
      // A negative detour (the walking route, quickest on foot, is the longer one) is no detour.
      if (summary.detour_m >= 1) {
        facts.appendChild(el("dt", { text: S.detour_label }));
        facts.appendChild(el("dd", { text: fmt(S.detour_value, { length: formatLength(summary.detour_m) }) }));
      }
      head.appendChild(facts);
      snapNotes(summary).forEach(function (p) { head.appendChild(p); });
      var warnings = (summary.warnings || []).map(function (w) { return el("li", { text: w }); });
      var part = listSection(S.warnings_heading, warnings);
      if (part) { part.classList.add("warnings"); head.appendChild(part); }
      inclineChart(out, summary);
      var steps = (summary.steps || []).map(function (step) { return el("li", { text: step.text }); });
      out.appendChild(el("section", { className: "result-part" }, [
        el("h3", { text: S.steps_heading }), el("ol", { id: "steps-list" }, steps),
      ]));
      part = listSection(S.barriers_heading, barrierItems);
      if (part) { part.id = "barriers"; out.appendChild(part); }
      var gpx = el("button", { type: "button", id: "gpx", className: "secondary", text: S.gpx });
      gpx.addEventListener("click", downloadGpx);
      out.appendChild(gpx);
      out.appendChild(el("a", { id: "print-sheet", className: "button-link", href: sheetUrl(), text: S.sheet }));
      setState("route", fmt(S.route_found, { length: lengthText(summary), duration: durationText(summary) }));
    } else {
      mapNode.setAttribute("data-route", "no_route");
      var info = summary.no_route || {};
      var island = (info.island || []).length > 0;
      var blockingFeatures = island ? [] : featuresByRole(collection, "blocking");
      // "The barriers ... are listed below" only when there is a list below.
      var headline = blockingFeatures.length ? S.no_route_listed : S.no_route;
      head.appendChild(el("p", { className: "no-route", text: headline }));
      if (info.summary) head.appendChild(el("p", { id: "no-route-summary", className: "no-route-summary", text: info.summary }));
      // an island: the nearest point on the piece the other end is on, right after the summary
      var connected = info.nearest_connected;
      if (island && connected) {
        // (its distance is in the summary, rounded there by the engine)
        var connectedLabel = info.island[0] === "from" ? S.nearest_connected_from : S.nearest_connected_to;
        var spot = L.circleMarker([connected.lat, connected.lon], { radius: 8, color: "#0b5cad", weight: 3, fill: false }).addTo(routeLayer);
        spot.bindTooltip(asText(connectedLabel));
        bounds.extend([connected.lat, connected.lon]);
        head.appendChild(el("div", { id: "nearest-connected", className: "result-part" }, [
          el("ul", {}, [showOnMapItem(connected.lat, connected.lon, spot, connectedLabel)]),
        ]));
      }
      // e.g. an end that lies on a piece of paths cut off from the other end
      var notes = listSection(S.warnings_heading, (summary.warnings || []).map(function (w) { return el("li", { text: w }); }));
      if (notes) { notes.classList.add("warnings"); out.appendChild(notes); }
      // Where a blocking barrier is, from the traveller's end (the start or the destination):
      // under 10 m to a tenth, as the engine's summary writes it (routing_engine.texts.limit_number).
      var blockingPlace = function (props) {
        var m = props.distance_m;
        if (m === null || m === undefined) return "";
        var atEnd = numberFormat.format(m) === numberFormat.format(0);
        var length = m < 10 ? fmt(S.metres, { n: numberFormat.format(m) }) : formatLength(m);
        if (props.side === "from") return atEnd ? S.at_start : fmt(S.from_start, { length: length });
        return atEnd ? S.at_destination : fmt(S.before_destination, { length: length });
      };
      var blocking = blockingFeatures.map(function (feature) {
        var marker = barrierMarker(feature, { radius: 9, fillColor: "#c0142b", color: "#000000", keepSize: true, pane: "overlayPane", renderer: undefined }).addTo(routeLayer);
        var c = feature.geometry.coordinates;
        bounds.extend([c[1], c[0]]);
        var place = blockingPlace(feature.properties);
        return showOnMapItem(c[1], c[0], marker, barrierLabel(feature.properties) + (place ? " — " + place : ""));
      });
      if (blocking.length && info.more_blocking) {
        blocking.push(el("li", { className: "more-blocking", text: fmt(S.more_blocking, { n: info.more_blocking }) }));
      }
      var section = listSection(S.blocking_heading, blocking);
      if (section) { section.id = "blocking"; out.appendChild(section); }
      if (!island) featuresByRole(collection, "nearest_reachable").forEach(function (feature) {
        var c = feature.geometry.coordinates;
        L.circleMarker([c[1], c[0]], { radius: 8, color: "#0b5cad", weight: 3, fill: false }).addTo(routeLayer);
        out.appendChild(el("p", { text: fmt(S.nearest_reachable, {
          length: formatLength(feature.properties.distance_to_destination_m),
        }) }));
      });
      var looser = (info.looser || []).filter(function (l) { return l.connects; });
      if (looser.length) {
        var options = looser.map(function (option, i) {
          var keys = Object.keys(option.override);
          var lengthId = "looser-length-" + i;
          var length = el("span", { id: lengthId, className: "looser-length", text: fmt(S.looser_length, { length: formatLength(option.length_m) }) });
          var button = el("button", { type: "button", className: "secondary", "aria-describedby": lengthId, text: option.text });
          button.addEventListener("click", function () {
            keys.forEach(function (key) {
              var field = document.getElementById("t-" + key);
              // A setting the form has no field for (an avoided surface, ...) is kept aside.
              if (field) field.value = option.override[key];
              else extraOverrides[key] = option.override[key];
            });
            document.getElementById("tune").open = true;
            syncUrl();
            planRoute("focus");
          });
          return el("li", {}, [button, " ", length]);
        });
        var hints = listSection(S.looser_heading, options);
        hints.id = "looser";
        hints.insertBefore(el("p", { className: "hint", text: S.looser_apply }), hints.lastChild);
        out.appendChild(hints);
      }
      setState("no_route", info.summary ? headline + " " + info.summary : headline);
    }

    var walking = summary.walking;
    if (walking) {
      var walkItems = featuresByRole(collection, "walking_barrier").map(function (feature) {
        return el("li", { text: barrierLabel(feature.properties) });
      });
      var swatch = el("span", { className: "swatch " + (ok ? "swatch-walking" : "swatch-walking-blocked"), "aria-hidden": "true" });
      var walkPart = el("section", { id: "walking", className: "result-part walking" }, [
        el("h3", {}, [swatch, ok ? S.walking_heading : S.walking_heading_blocked]),
        el("p", { text: fmt(S.walking_summary, { length: lengthText(walking), duration: durationText(walking) }) }),
      ]);
      if (!ok) walkPart.appendChild(el("p", { className: "hint", text: S.walking_on_map }));
      if (walkItems.length) {
        walkPart.appendChild(el("p", { text: S.walking_barriers }));
        walkPart.appendChild(el("ul", {}, walkItems));
      } else if (ok) {
        walkPart.appendChild(el("p", { text: S.walking_none }));
      }
      out.appendChild(walkPart);
    }

    ["from", "to"].forEach(function (which) {
      if (state[which]) bounds.extend([state[which].lat, state[which].lon]);
    });
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 18, animate: false });
  }

  function snapNotes(summary) {
    var notes = [];
    var snap = summary.snap || {};
    ["from", "to"].forEach(function (which) {
      var moved = snap[which] && snap[which].moved_m;
      if (moved && moved >= 15) {
        var template = which === "from" ? S.snap_moved_from : S.snap_moved_to;
        notes.push(el("p", { className: "hint", text: fmt(template, { length: formatLength(moved) }) }));
      }
    });
    return notes;
  }

  function sheetUrl() {
    // The printable route sheet (A4, large type) of the same route, with the tuned limits.
    var body = requestBody();
    var query = new URLSearchParams({
      from: body.from.lat + "," + body.from.lon,
      to: body.to.lat + "," + body.to.lon,
      profile: body.profile,
      lang: lang,
    });
    Object.keys(body.overrides || {}).forEach(function (key) {
      if (body.overrides[key] !== null) query.set(key, body.overrides[key]);
    });
    // the names the user chose (or the nearest addresses) head the sheet
    if (state.from && state.from.label) query.set("from_name", state.from.label.slice(0, 100));
    if (state.to && state.to.label) query.set("to_name", state.to.label.slice(0, 100));
    return "/sheet?" + query.toString();
  }

  function downloadGpx() {
    fetch("/api/route?format=gpx", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(requestBody()),
    })
      .then(function (r) { return r.ok ? r.blob() : Promise.reject(r.status); })
      .then(function (blob) {
        var link = el("a", { href: URL.createObjectURL(blob), download: "accessroute.gpx" });
        document.body.appendChild(link);
        link.click();
        link.remove();
      })
      .catch(function () { setState("error", S.error_network); });
  }

  /* ---------- the address bar keeps the plan (and the language switch carries it) ---------- */

  function planParams() {
    var params = new URLSearchParams();
    params.set("area", currentArea());
    params.set("profile", profileSelect.value);
    ["from", "to"].forEach(function (which) {
      var p = state[which];
      if (!p) return;
      params.set(which, p.lat.toFixed(6) + "," + p.lon.toFixed(6));
      params.set(which + "_name", p.label);
    });
    var changed = overrides();
    Object.keys(changed).forEach(function (name) {
      params.set("t." + name, changed[name] === null ? "" : String(changed[name]));
    });
    return params;
  }

  function syncUrl() {
    var params = planParams();
    ["ru", "en"].forEach(function (code) {
      var link = document.getElementById("lang-" + code);
      params.set("lang", code);
      link.setAttribute("href", "?" + params.toString());
    });
    params.set("lang", lang);
    history.replaceState(null, "", "?" + params.toString());
  }

  function restoreFromUrl() {
    var params = new URLSearchParams(window.location.search);
    if (params.get("area") && areasByName[params.get("area")]) areaSelect.value = params.get("area");
    if (params.get("profile") && config.profiles[params.get("profile")]) profileSelect.value = params.get("profile");
    fillThresholds();
    thresholdInputs().forEach(function (input) {
      if (params.has("t." + input.name)) {
        input.value = params.get("t." + input.name);
        document.getElementById("tune").open = true;
      }
    });
    fitArea();
    ["from", "to"].forEach(function (which) {
      var coords = params.get(which) ? parseCoordinates(params.get(which)) : null;
      if (!coords) return;
      var name = params.get(which + "_name");
      var point = { lat: coords.lat, lon: coords.lon, label: name || pointLabel(coords.lat, coords.lon) };
      setPoint(which, point, { quiet: true, noRoute: true });
      if (!name) labelByAddress(which, point);
    });
    syncUrl();
    // A plan carried in the address (the language switch): its answer in view, focus left alone.
    if (state.from && state.to) planRoute("scroll");
  }

  restoreFromUrl();
  window.accessroute = { map: map, state: state, routeLayer: routeLayer };
})();
