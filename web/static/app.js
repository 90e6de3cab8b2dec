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

  var statusBox = document.getElementById("status");
  function announce(text, isError) {
    statusBox.textContent = text;
    statusBox.classList.toggle("is-error", Boolean(isError));
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
      })
      .catch(function () { streetsLoaded[name] = false; });
  }

  function showStreets(note) {
    if (!map.hasLayer(streetsLayer)) streetsLayer.addTo(map);
    if (note) {
      var box = document.getElementById("map-note");
      box.textContent = S.tiles_unavailable;
      box.hidden = false;
    }
  }

  var tiles = null;
  if (config.tileUrl) {
    var tileErrors = 0;
    var tilesLoaded = 0;
    tiles = L.tileLayer(config.tileUrl, {
      maxZoom: 19,
      attribution: "",
      crossOrigin: false,
    });
    tiles.on("tileload", function () { tilesLoaded += 1; });
    tiles.on("tileerror", function () {
      tileErrors += 1;
      if (tileErrors >= 2 && tilesLoaded === 0) showStreets(true);
    });
    tiles.addTo(map);
    // Where the network swallows requests instead of refusing them, no error comes soon.
    setTimeout(function () { if (tilesLoaded === 0) showStreets(true); }, 5000);
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

  var baseLayers = {};
  if (tiles) baseLayers[S.tiles_layer] = tiles;
  var overlays = {};
  overlays[S.streets_layer] = streetsLayer;
  L.control.layers(baseLayers, overlays, { collapsed: false }).addTo(map);

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

  areaSelect.addEventListener("change", function () { fitArea(); syncUrl(); });

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

  /* ---------- points ---------- */

  function markerIcon(which) {
    return L.divIcon({
      className: "point-marker point-marker-" + which,
      html: '<span aria-hidden="true">' + (which === "from" ? "A" : "B") + "</span>",
      iconSize: [30, 30],
      iconAnchor: [15, 15],
    });
  }

  function setPoint(which, point, options) {
    state[which] = point;
    var area = areaAt(point.lat, point.lon);
    if (area && area !== currentArea()) areaSelect.value = area;
    var input = document.getElementById(which + "-input");
    input.value = point.label;
    clearFieldError(which);
    var title = (which === "from" ? S.marker_start : S.marker_end) + ": " + point.label;
    if (markers[which]) {
      markers[which].setLatLng([point.lat, point.lon]);
    } else {
      markers[which] = L.marker([point.lat, point.lon], {
        icon: markerIcon(which), title: title, draggable: true, keyboard: true,
      }).addTo(markerLayer);
      markers[which].on("dragend", function (event) {
        var ll = event.target.getLatLng();
        setPoint(which, { lat: ll.lat, lon: ll.lng, label: pointLabel(ll.lat, ll.lng) });
      });
    }
    var markerNode = markers[which].getElement();
    if (markerNode) {
      markerNode.setAttribute("title", title);
      markerNode.setAttribute("aria-label", title);
    }
    if (!(options && options.quiet)) {
      announce(fmt(which === "from" ? S.start_set : S.end_set, { place: point.label }));
    }
    syncUrl();
    if (state.from && state.to && !(options && options.noRoute)) planRoute(false);
  }

  map.on("click", function (event) {
    var radio = form.querySelector('input[name="click"]:checked');
    var which = radio ? radio.value : "from";
    var ll = event.latlng;
    setPoint(which, { lat: ll.lat, lon: ll.lng, label: pointLabel(ll.lat, ll.lng) });
    if (which === "from") {
      form.querySelector('input[name="click"][value="to"]').checked = true;
      if (!state.to) announce(S.click_sets_start);
    }
  });

  document.getElementById("swap").addEventListener("click", function () {
    var a = state.from;
    var b = state.to;
    state.from = null;
    state.to = null;
    if (b) setPoint("from", b, { quiet: true, noRoute: true });
    if (a) setPoint("to", a, { quiet: true, noRoute: true });
    if (state.from && state.to) planRoute(false);
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
      setPoint(which, { lat: place.lat, lon: place.lon, label: place.name });
      map.setView([place.lat, place.lon], Math.max(map.getZoom(), 16));
    }

    function render(found) {
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
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        searchStatus.textContent = fmt(S.places_found, { n: found.length });
      } else {
        close();
        searchStatus.textContent = S.no_places;
      }
      active = -1;
    }

    function search() {
      var text = input.value.trim();
      if (!text || parseCoordinates(text)) { close(); return; }
      var mine = ++seq;
      var params = new URLSearchParams({ q: text, lang: lang, limit: "8" });
      params.set("area", currentArea());
      fetch("/api/places?" + params.toString())
        .then(function (r) { return r.json(); })
        .then(function (data) { if (mine === seq) render(data.results || []); })
        .catch(function () { if (mine === seq) close(); });
    }

    input.addEventListener("input", function () {
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
          setPoint(which, { lat: coords.lat, lon: coords.lon, label: pointLabel(coords.lat, coords.lon) });
        } else if (!list.hidden && count) {
          event.preventDefault();
          choose(active >= 0 ? active : 0);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) { event.preventDefault(); close(); }
      }
    });

    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  setupCombo("from");
  setupCombo("to");

  /* ---------- errors on fields ---------- */

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

  function clearAllErrors() {
    ["from", "to", "profile"].forEach(clearFieldError);
    thresholdInputs().forEach(function (input) { clearFieldError("overrides." + input.name); });
  }

  function errorText(error) {
    var byCode = {
      outside_area: S.error_outside_area,
      snap_too_far: S.error_snap_too_far,
      unknown_profile: S.error_unknown_profile,
    };
    return byCode[error.code] || fmt(S.error_invalid, { detail: error.error });
  }

  function showError(error, focus) {
    var text = errorText(error);
    var control = fieldControl(error.field);
    if (control) {
      var input = document.getElementById(control.id);
      var box = document.getElementById(control.error);
      input.setAttribute("aria-invalid", "true");
      box.textContent = text;
      box.hidden = false;
      if (control.id.indexOf("t-") === 0) document.getElementById("tune").open = true;
      if (focus) input.focus();
    }
    announce(S.error + ": " + text, true);
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

  function planRoute(explicit) {
    if (!state.from || !state.to) {
      announce(S.missing_points, true);
      if (explicit) document.getElementById(state.from ? "to-input" : "from-input").focus();
      return;
    }
    var mine = ++routeSeq;
    announce(S.routing);
    mapNode.setAttribute("aria-busy", "true");
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
        mapNode.removeAttribute("aria-busy");
        if (!reply.ok) { clearRoute(); showError(reply.data, explicit); return; }
        clearAllErrors();
        showRoute(reply.data, explicit);
      })
      .catch(function () {
        if (mine !== routeSeq) return;
        mapNode.removeAttribute("aria-busy");
        announce(S.error_network, true);
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    planRoute(true);
  });
  profileSelect.addEventListener("change", function () {
    extraOverrides = {};
    fillThresholds();
    syncUrl();
    if (state.from && state.to) planRoute(false);
  });
  thresholdInputs().forEach(function (input) {
    input.addEventListener("change", function () {
      syncUrl();
      if (state.from && state.to) planRoute(false);
    });
  });
  document.getElementById("reset-thresholds").addEventListener("click", function () {
    fillThresholds();
    syncUrl();
    if (state.from && state.to) planRoute(false);
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

  function clearRoute() {
    routeLayer.clearLayers();
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
    var marker = L.circleMarker([c[1], c[0]], Object.assign({
      radius: 7, color: "#ffffff", weight: 2, fillColor: colour, fillOpacity: 1,
    }, options || {}));
    marker.bindTooltip(asText(barrierLabel(props)));
    return marker;
  }

  var labelCount = 0;

  function showOnMapItem(lat, lon, marker, label) {
    var id = "point-label-" + (++labelCount);
    var button = el("button", { type: "button", className: "link-button", "aria-describedby": id, text: S.show_on_map });
    button.addEventListener("click", function () {
      map.setView([lat, lon], Math.max(map.getZoom(), 18));
      if (marker) marker.openTooltip();
      mapNode.focus();
    });
    return el("li", {}, [el("span", { id: id, text: label }), " ", button]);
  }

  function listSection(title, items) {
    if (!items.length) return null;
    return el("section", { className: "result-part" }, [el("h3", { text: title }), el("ul", {}, items)]);
  }

  function showRoute(collection, explicit) {
    routeLayer.clearLayers();
    var summary = collection.properties || {};
    var out = document.getElementById("route-text");
    out.textContent = "";
    document.getElementById("results-empty").hidden = true;
    var bounds = L.latLngBounds([]);

    // walking route, faint, with the barriers it would meet
    featuresByRole(collection, "walking").forEach(function (feature) {
      var layer = L.geoJSON(feature, {
        style: { color: "#000000", weight: 6, opacity: 0.55, dashArray: "0.1 11", lineCap: "round" },
        interactive: false,
      }).addTo(routeLayer);
      bounds.extend(layer.getBounds());
    });
    featuresByRole(collection, "walking_barrier").forEach(function (feature) {
      barrierMarker(feature, { radius: 5, fillOpacity: 0.5, weight: 2, color: "#000000" }).addTo(routeLayer);
    });

    // the accessible route, coloured piece by piece
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

    var barrierItems = featuresByRole(collection, "barrier").map(function (feature) {
      var marker = barrierMarker(feature).addTo(routeLayer);
      var c = feature.geometry.coordinates;
      return showOnMapItem(c[1], c[0], marker, barrierLabel(feature.properties));
    });

    if (summary.status === "ok") {
      mapNode.setAttribute("data-route", "ok");
      var facts = el("dl", { className: "facts" }, [
        el("dt", { text: S.length }), el("dd", { text: formatLength(summary.length_m) }),
        el("dt", { text: S.duration }), el("dd", { text: fmt(S.minutes, { n: formatMinutes(summary.duration_s) }) }),
      ]);
      out.appendChild(facts);
      // A negative detour (the walking route, quickest on foot, is the longer one) is no detour.
      if (summary.detour_m >= 1) out.appendChild(el("p", { text: fmt(S.detour, { length: formatLength(summary.detour_m) }) }));
      snapNotes(summary).forEach(function (p) { out.appendChild(p); });
      var warnings = (summary.warnings || []).map(function (w) { return el("li", { text: w }); });
      var part = listSection(S.warnings_heading, warnings);
      if (part) { part.classList.add("warnings"); out.appendChild(part); }
      var steps = (summary.steps || []).map(function (step) { return el("li", { text: step.text }); });
      out.appendChild(el("section", { className: "result-part" }, [
        el("h3", { text: S.steps_heading }), el("ol", { id: "steps-list" }, steps),
      ]));
      part = listSection(S.barriers_heading, barrierItems);
      if (part) out.appendChild(part);
      var gpx = el("button", { type: "button", id: "gpx", className: "secondary", text: S.gpx });
      gpx.addEventListener("click", downloadGpx);
      out.appendChild(gpx);
      out.appendChild(el("a", { id: "print-sheet", className: "button-link", href: sheetUrl(), text: S.sheet }));
      announce(fmt(S.route_found, {
        length: formatLength(summary.length_m), minutes: formatMinutes(summary.duration_s),
      }));
    } else {
      mapNode.setAttribute("data-route", "no_route");
      var info = summary.no_route || {};
      var island = (info.island || []).length > 0;
      var blockingFeatures = island ? [] : featuresByRole(collection, "blocking");
      // "The barriers ... are listed below" only when there is a list below.
      var headline = blockingFeatures.length ? S.no_route_listed : S.no_route;
      out.appendChild(el("p", { className: "no-route", text: headline }));
      if (info.summary) out.appendChild(el("p", { id: "no-route-summary", className: "no-route-summary", text: info.summary }));
      // an island: the nearest point on the piece the other end is on, right after the summary
      var connected = info.nearest_connected;
      if (island && connected) {
        // (its distance is in the summary, rounded there by the engine)
        var connectedLabel = info.island[0] === "from" ? S.nearest_connected_from : S.nearest_connected_to;
        var spot = L.circleMarker([connected.lat, connected.lon], { radius: 8, color: "#0b5cad", weight: 3, fill: false }).addTo(routeLayer);
        spot.bindTooltip(asText(connectedLabel));
        bounds.extend([connected.lat, connected.lon]);
        out.appendChild(el("div", { id: "nearest-connected", className: "result-part" }, [
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
        var marker = barrierMarker(feature, { radius: 9, fillColor: "#c0142b", color: "#000000" }).addTo(routeLayer);
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
            planRoute(true);
          });
          return el("li", {}, [button, " ", length]);
        });
        var hints = listSection(S.looser_heading, options);
        hints.id = "looser";
        hints.insertBefore(el("p", { className: "hint", text: S.looser_apply }), hints.lastChild);
        out.appendChild(hints);
      }
      announce(info.summary ? headline + " " + info.summary : headline);
    }

    var walking = summary.walking;
    if (walking) {
      var walkItems = featuresByRole(collection, "walking_barrier").map(function (feature) {
        return el("li", { text: barrierLabel(feature.properties) });
      });
      var walkPart = el("section", { className: "result-part walking" }, [
        el("h3", { text: S.walking_heading }),
        el("p", { text: fmt(S.walking_summary, {
          length: formatLength(walking.length_m), minutes: formatMinutes(walking.duration_s),
        }) }),
      ]);
      if (walkItems.length) {
        walkPart.appendChild(el("p", { text: S.walking_barriers }));
        walkPart.appendChild(el("ul", {}, walkItems));
      } else if (summary.status === "ok") {
        walkPart.appendChild(el("p", { text: S.walking_none }));
      }
      out.appendChild(walkPart);
    }

    ["from", "to"].forEach(function (which) {
      if (state[which]) bounds.extend([state[which].lat, state[which].lon]);
    });
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 18 });
    if (explicit) document.getElementById("results").focus();
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
      .catch(function () { announce(S.error_network, true); });
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
      var label = params.get(which + "_name") || pointLabel(coords.lat, coords.lon);
      setPoint(which, { lat: coords.lat, lon: coords.lon, label: label }, { quiet: true, noRoute: true });
    });
    syncUrl();
    if (state.from && state.to) planRoute(false);
  }

  restoreFromUrl();
  window.accessroute = { map: map, state: state };
})();
