/* The map page's extras: the incline profile chart of a route and street names on the street
   layer drawn from our own graph. Plain ES5 like app.js, no inline script (the page's CSP is
   script-src 'self'); every text from the route or the map data is set with textContent.

   window.accessrouteExtras.inclineChart(container, rows, strings, lengthM)
   window.accessrouteExtras.streetNames(map, geojson, lang)
   (web/static/map_extras.css styles both.) */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  // Colours of the route's classes (app.js segmentStyles, app.css .swatch-*).
  var COLOURS = {
    ok: "#1a7f37",
    steep: "#b35900",
    unknown: "#595959",
    limit: "#c0142b",
    height: "#0b5cad",
  };
  // Inclines at least this steep are "steep" when the page passes no steepPct (the engine's
  // REPORT_INCLINE_PCT, routing_engine/explain.py).
  var DEFAULT_STEEP_PCT = 5;
  var chartCount = 0;

  /* ---------- small helpers ---------- */

  function svg(name, attrs, parent) {
    var node = document.createElementNS(SVG_NS, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, String(attrs[key])); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function html(name, className, parent, text) {
    var node = document.createElement(name);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  // A gettext template's %(key)s replaced by values[key] (as app.js fills the page's strings);
  // the result is only ever set as textContent.
  function fill(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  // Number formats of the page's language: metres ("350 м" / "350 m") and percent ("6 %" /
  // "6%"), whose units Intl writes, so no template holds a unit or a bare "%".
  function formats(lang) {
    lang = lang || undefined;
    try { new Intl.NumberFormat(lang); } catch (e) { lang = undefined; }  // not a language tag
    var metres;
    try {
      metres = new Intl.NumberFormat(lang, { style: "unit", unit: "meter", maximumFractionDigits: 0 });
    } catch (e) {  // a browser without unit formats (Safari before 14.1)
      var plain = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
      var unit = /^ru/.test(lang || "") ? " м" : " m";
      metres = { format: function (value) { return plain.format(value) + unit; } };
    }
    var percent = new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 1 });
    // A number and its unit never split over two lines.
    function glued(text) { return text.replace(/ /g, "\u00a0"); }
    return {
      m: { format: function (value) { return glued(metres.format(value)); } },
      pct: { format: function (value) { return glued(percent.format(value / 100)); } },
    };
  }

  function isNumber(value) { return typeof value === "number" && isFinite(value); }

  // A round step giving about `count` ticks over `span`: 1, 2 or 5 times a power of ten.
  function niceStep(span, count) {
    var raw = span / Math.max(1, count);
    var power = Math.pow(10, Math.floor(Math.log(raw) / Math.LN10));
    var steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i += 1) {
      if (steps[i] * power >= raw) return steps[i] * power;
    }
    return 10 * power;
  }

  // The limits as {up, down} (percent, positive) from a number, an object or nothing.
  function limitsOf(value) {
    if (isNumber(value)) return { up: Math.abs(value), down: Math.abs(value) };
    if (value && (isNumber(value.up) || isNumber(value.down))) {
      return {
        up: isNumber(value.up) ? Math.abs(value.up) : null,
        down: isNumber(value.down) ? Math.abs(value.down) : null,
      };
    }
    return { up: null, down: null };
  }

  /* ---------- incline profile chart ---------- */

  // What a screen reader is told (and everyone reads under the chart).
  function summaryText(rows, total, strings, fmt, steepPct) {
    var known = rows.filter(function (r) { return isNumber(r.incline_pct); });
    var parts = [];
    var steepest = known[0];
    known.forEach(function (r) {
      if (Math.abs(r.incline_pct) > Math.abs(steepest.incline_pct)) steepest = r;
    });
    if (Math.abs(steepest.incline_pct) === 0) {
      parts.push(strings.incline_flat);
    } else {
      var template = steepest.incline_pct > 0
        ? strings.incline_steepest_up : strings.incline_steepest_down;
      parts.push(fill(template, {
        pct: fmt.pct.format(Math.abs(steepest.incline_pct)),
        length: fmt.m.format(steepest.length_m),
        distance: fmt.m.format(steepest.distance_m),
      }));
    }
    var steepLength = 0;
    var unknownLength = 0;
    rows.forEach(function (r) {
      if (!isNumber(r.incline_pct)) unknownLength += r.length_m;
      else if (Math.abs(r.incline_pct) >= steepPct) steepLength += r.length_m;
    });
    if (steepLength > 0 && strings.incline_steep_total) {
      parts.push(fill(strings.incline_steep_total, {
        pct: fmt.pct.format(steepPct), length: fmt.m.format(steepLength),
      }));
    }
    if (unknownLength > 0 && strings.incline_unknown_total) {
      parts.push(fill(strings.incline_unknown_total, {
        length: fmt.m.format(unknownLength), total: fmt.m.format(total),
      }));
    }
    var heights = rows.filter(function (r) { return isNumber(r.elevation_m); })
      .map(function (r) { return r.elevation_m; });
    if (heights.length && strings.incline_height_range) {
      parts.push(fill(strings.incline_height_range, {
        min: fmt.m.format(Math.min.apply(null, heights)),
        max: fmt.m.format(Math.max.apply(null, heights)),
      }));
    }
    return parts.filter(Boolean).join(" ");
  }

  function legendItem(list, swatchClass, text) {
    if (!text) return;
    var item = html("li", null, list);
    html("span", "ar-swatch " + swatchClass, item).setAttribute("aria-hidden", "true");
    html("span", null, item, text);
  }

  /**
   * Draw a route's incline profile into `container` (emptied first): an SVG chart, a legend and
   * a text summary of the steepest stretch for screen readers (and everyone).
   *
   * rows: the route's `elevation` rows {distance_m, length_m, incline_pct (null: unknown),
   *   source, low_confidence, elevation_m (null without an elevation model)}.
   * strings: the page's strings (app.js S) with lang (default: the page's), limitPct (the
   *   profile's limits: a number for both ways or {up, down}; none: no limit line), steepPct
   *   (from which incline a stretch is steep, default 5) and the texts incline_title,
   *   incline_steepest_up, incline_steepest_down, incline_flat, incline_steep_total,
   *   incline_unknown_total, incline_height_range, incline_no_data, incline_axis_distance,
   *   incline_axis_incline, incline_axis_height, incline_legend_ok, incline_legend_steep,
   *   incline_legend_approx, incline_legend_unknown, incline_legend_limit,
   *   incline_legend_height; gettext templates with %(pct)s, %(length)s, %(distance)s,
   *   %(total)s, %(min)s, %(max)s, filled with numbers and their units.
   * lengthM: the route's length in metres (default: where the last row ends).
   * Returns the SVG element, or nothing when no row has an incline (then the container holds
   * strings.incline_no_data).
   */
  function inclineChart(container, rows, strings, lengthM) {
    strings = strings || {};
    rows = (rows || []).filter(function (r) {
      return r && isNumber(r.distance_m) && isNumber(r.length_m);
    });
    container.textContent = "";
    var known = rows.filter(function (r) { return isNumber(r.incline_pct); });
    if (!known.length) {
      html("p", "ar-incline-none", container, strings.incline_no_data || "");
      return undefined;
    }
    var lang = strings.lang || document.documentElement.lang;
    var fmt = formats(lang);
    var steepPct = isNumber(strings.steepPct) ? Math.abs(strings.steepPct) : DEFAULT_STEEP_PCT;
    var limits = limitsOf(strings.limitPct);
    var last = rows[rows.length - 1];
    var total = isNumber(lengthM) && lengthM > 0 ? lengthM : last.distance_m + last.length_m;
    total = Math.max(total, 1);
    var heights = rows.filter(function (r) { return isNumber(r.elevation_m); });

    chartCount += 1;
    var id = "ar-incline-" + chartCount;
    var figure = html("figure", "ar-incline", container);
    var title = html("figcaption", "ar-incline-title", figure, strings.incline_title || "");
    title.id = id + "-title";

    // Geometry: drawn at the container's width (in CSS pixels), scaled if it changes later.
    // With heights: a height panel on top, the incline panel under it, one distance axis.
    var width = Math.max(280, Math.min(1200, Math.round(container.clientWidth || 600)));
    var narrow = width < 480;
    var margin = { left: 44, right: 14, bottom: 38 };
    var heightPanel = heights.length ? { top: 20, h: narrow ? 56 : 64 } : null;
    var plotTop = (heightPanel ? heightPanel.top + heightPanel.h : 0) + 24;
    var plotH = narrow ? 130 : 150;
    var height = plotTop + plotH + margin.bottom;
    var plotW = width - margin.left - margin.right;
    var maxAbs = 1;
    known.forEach(function (r) { maxAbs = Math.max(maxAbs, Math.abs(r.incline_pct)); });
    if (limits.up !== null) maxAbs = Math.max(maxAbs, limits.up);
    if (limits.down !== null) maxAbs = Math.max(maxAbs, limits.down);
    var yStep = niceStep(maxAbs, 2);
    var yMax = Math.ceil((maxAbs * 1.05) / yStep) * yStep;
    function x(distance) { return margin.left + (Math.min(distance, total) / total) * plotW; }
    function y(pct) { return plotTop + ((yMax - pct) / (2 * yMax)) * plotH; }

    var chart = svg("svg", {
      class: "ar-incline-svg",
      viewBox: "0 0 " + width + " " + height,
      width: "100%",
      role: "img",
      "aria-labelledby": title.id,
      "aria-describedby": id + "-summary",
      focusable: "false",
    }, figure);
    chart.style.maxWidth = width + "px";
    var defs = svg("defs", {}, chart);
    var hatch = svg("pattern", {
      id: id + "-hatch", width: 6, height: 6, patternUnits: "userSpaceOnUse",
      patternTransform: "rotate(45)",
    }, defs);
    svg("rect", { width: 6, height: 6, fill: "#ececec" }, hatch);
    svg("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: COLOURS.unknown, "stroke-width": 2 }, hatch);

    // Ground height (where the area has an elevation model): a line over a light area.
    if (heightPanel) {
      var values = heights.map(function (r) { return r.elevation_m; });
      var low = Math.min.apply(null, values);
      var high = Math.max.apply(null, values);
      var pad = Math.max(0.5, (high - low) * 0.08);
      var hy = function (h) {
        return heightPanel.top + ((high + pad - h) / (high - low + 2 * pad)) * heightPanel.h;
      };
      var base = heightPanel.top + heightPanel.h;
      var line = heights.map(function (r) {
        return x(r.distance_m).toFixed(1) + "," + hy(r.elevation_m).toFixed(1);
      });
      var area = [x(heights[0].distance_m).toFixed(1) + "," + base]
        .concat(line, [x(heights[heights.length - 1].distance_m).toFixed(1) + "," + base]);
      var hg = svg("g", { class: "ar-incline-grid ar-height-panel" }, chart);
      svg("rect", {
        x: margin.left, y: heightPanel.top, width: plotW, height: heightPanel.h, fill: "none",
        class: "ar-frame",
      }, hg);
      svg("polygon", { points: area.join(" "), fill: COLOURS.height, "fill-opacity": 0.12 }, hg);
      svg("polyline", {
        points: line.join(" "), fill: "none", stroke: COLOURS.height, "stroke-width": 2.5,
        "stroke-linejoin": "round", class: "ar-height",
      }, hg);
      [low, high].forEach(function (h) {
        svg("text", { x: margin.left - 5, y: hy(h) + 4, "text-anchor": "end" }, hg)
          .textContent = fmt.m.format(h);
      });
      svg("text", { x: 4, y: heightPanel.top - 6, class: "ar-axis-label" }, hg).textContent =
        strings.incline_axis_height || "";
    }

    // Grid and the incline axis (left).
    var grid = svg("g", { class: "ar-incline-grid" }, chart);
    for (var v = -yMax; v <= yMax + 1e-9; v += yStep) {
      svg("line", {
        x1: margin.left, x2: margin.left + plotW, y1: y(v), y2: y(v),
        class: v === 0 ? "ar-zero" : "ar-gridline",
      }, grid);
      svg("text", { x: margin.left - 5, y: y(v) + 4, "text-anchor": "end" }, grid)
        .textContent = fmt.pct.format(v);
    }
    var xStep = niceStep(total, narrow ? 3 : 6);
    for (var d = 0; d <= total + 1e-9; d += xStep) {
      svg("line", {
        x1: x(d), x2: x(d), y1: plotTop + plotH, y2: plotTop + plotH + 4, class: "ar-tick",
      }, grid);
      svg("text", { x: x(d), y: plotTop + plotH + 16, "text-anchor": "middle" }, grid)
        .textContent = fmt.m.format(d);
    }
    svg("text", { x: 4, y: plotTop - 8, class: "ar-axis-label" }, grid).textContent =
      strings.incline_axis_incline || "";
    svg("text", {
      x: margin.left + plotW, y: height - 4, "text-anchor": "end", class: "ar-axis-label",
    }, grid).textContent = strings.incline_axis_distance || "";

    // One bar per row; unknown inclines as a hatched band over the whole height, not as zero.
    var bars = svg("g", { class: "ar-incline-bars" }, chart);
    rows.forEach(function (r) {
      var left = x(r.distance_m);
      var barW = x(r.distance_m + r.length_m) - left;
      if (!isNumber(r.incline_pct)) {
        svg("rect", {
          x: left, y: plotTop, width: Math.max(1, barW), height: plotH,
          fill: "url(#" + id + "-hatch)", class: "ar-bar-unknown",
        }, bars);
        return;
      }
      var steep = Math.abs(r.incline_pct) >= steepPct;
      var top = Math.min(y(r.incline_pct), y(0));
      var barH = Math.max(2, Math.abs(y(r.incline_pct) - y(0)));
      if (r.incline_pct === 0) top = y(0) - 1;
      svg("rect", {
        // A steep stretch stays visible however short: at least 3 px wide.
        x: steep && barW < 3 ? left - (3 - barW) / 2 : left, y: top,
        width: Math.max(steep ? 3 : 1, barW), height: barH,
        fill: steep ? COLOURS.steep : COLOURS.ok,
        "fill-opacity": r.low_confidence ? 0.45 : 1,
        class: steep ? "ar-bar-steep" : "ar-bar-ok",
      }, bars);
    });

    // The profile's limits: dashed lines, labelled at the right.
    [["up", 1], ["down", -1]].forEach(function (pair) {
      var limit = limits[pair[0]];
      if (limit === null) return;
      var at = y(pair[1] * limit);
      svg("line", {
        x1: margin.left, x2: margin.left + plotW, y1: at, y2: at,
        stroke: COLOURS.limit, "stroke-width": 2, "stroke-dasharray": "6 4", class: "ar-limit",
      }, chart);
      svg("text", {
        x: margin.left + plotW - 3, y: at + (pair[1] > 0 ? -4 : 13), "text-anchor": "end",
        class: "ar-limit-label",
      }, chart).textContent = fmt.pct.format(pair[1] * limit);
    });
    svg("rect", {
      x: margin.left, y: plotTop, width: plotW, height: plotH, fill: "none", class: "ar-frame",
    }, chart);

    var legend = html("ul", "ar-incline-legend", figure);
    var steepText = { pct: fmt.pct.format(steepPct) };
    if (known.some(function (r) { return Math.abs(r.incline_pct) < steepPct; })) {
      legendItem(legend, "ar-swatch-ok", fill(strings.incline_legend_ok, steepText));
    }
    if (known.some(function (r) { return Math.abs(r.incline_pct) >= steepPct; })) {
      legendItem(legend, "ar-swatch-steep", fill(strings.incline_legend_steep, steepText));
    }
    if (known.some(function (r) { return r.low_confidence; })) {
      legendItem(legend, "ar-swatch-approx", strings.incline_legend_approx);
    }
    if (known.length < rows.length) {
      legendItem(legend, "ar-swatch-unknown", strings.incline_legend_unknown);
    }
    if (limits.up !== null || limits.down !== null) {
      legendItem(legend, "ar-swatch-limit", strings.incline_legend_limit);
    }
    if (heights.length) legendItem(legend, "ar-swatch-height", strings.incline_legend_height);

    var summary = html("p", "ar-incline-summary", figure,
      summaryText(rows, total, strings, fmt, steepPct));
    summary.id = id + "-summary";
    return chart;
  }

  /* ---------- street names ---------- */

  var NAMES_PANE = "accessroute-street-names";

  /**
   * A Leaflet layer writing street names along our street layer, from the `names` member of
   * /api/streets/<area>: [{name, name_en?, at: [[lon, lat, angle, room], ...]}]. Names are
   * written from zoom 16 on, only where in view, where the label is no longer than its street
   * (room, metres), overlaps no other label and is not near another of the same name; at most
   * 40 at a time, longer streets first.
   * lang: "en" writes name_en where there is one (default: the page's language).
   */
  function streetNames(map, geojson, lang) {
    lang = lang || document.documentElement.lang;
    var labels = [];
    ((geojson && geojson.names) || []).forEach(function (street) {
      var text = lang === "en" && street.name_en ? street.name_en : street.name;
      if (typeof text !== "string" || !text) return;
      (street.at || []).forEach(function (at) {
        if (!at || !isNumber(at[0]) || !isNumber(at[1])) return;
        labels.push({
          latlng: L.latLng(at[1], at[0]),
          angle: isNumber(at[2]) ? at[2] : 0,
          room: isNumber(at[3]) ? at[3] : 0,
          text: text,
        });
      });
    });
    // Longer stretches first; the order of the data breaks ties (the same labels each time).
    labels.forEach(function (label, i) { label.order = i; });
    labels.sort(function (a, b) { return b.room - a.room || a.order - b.order; });

    var Layer = L.Layer.extend({
      // gap: pixels kept between labels; repeat: least pixels between two of the same name.
      options: {
        pane: NAMES_PANE, minZoom: 16, maxLabels: 40, maxTried: 200, gap: 6, repeat: 320,
      },

      onAdd: function (target) {
        if (!target.getPane(NAMES_PANE)) {
          var pane = target.createPane(NAMES_PANE);
          pane.style.zIndex = 450;  // over the street layer (400), under markers (600)
          pane.style.pointerEvents = "none";
        }
        this._box = L.DomUtil.create("div", "ar-street-names");
        this._box.setAttribute("aria-hidden", "true");  // the route text names the streets
        target.getPane(NAMES_PANE).appendChild(this._box);
        this._draw();
      },

      onRemove: function () {
        L.DomUtil.remove(this._box);
        this._box = null;
      },

      getEvents: function () {
        return { moveend: this._draw, zoomstart: this._clear, viewreset: this._draw };
      },

      _clear: function () { if (this._box) this._box.textContent = ""; },

      _draw: function () {
        var box = this._box;
        if (!box) return;
        box.textContent = "";
        var m = this._map;
        if (m.getZoom() < this.options.minZoom) return;
        var size = m.getSize();
        var bounds = m.getBounds();
        var centre = m.getCenter();
        var metresPerPx = m.distance(centre,
          m.containerPointToLatLng(m.latLngToContainerPoint(centre).add([100, 0]))) / 100;
        var placed = [];
        var centres = {};  // text -> [points] of its labels written
        var tried = 0;
        var gap = this.options.gap;
        var repeat = this.options.repeat;
        for (var i = 0; i < labels.length && placed.length < this.options.maxLabels; i += 1) {
          var label = labels[i];
          if (!bounds.contains(label.latlng)) continue;
          tried += 1;
          if (tried > this.options.maxTried) break;
          var c = m.latLngToContainerPoint(label.latlng);
          var same = centres[label.text] || [];
          if (same.some(function (p) { return p.distanceTo(c) < repeat; })) continue;
          var span = L.DomUtil.create("span", "ar-street-name", box);
          span.textContent = label.text;
          var w = span.offsetWidth;
          var h = span.offsetHeight;
          if (w > label.room / metresPerPx) { L.DomUtil.remove(span); continue; }
          var rad = (label.angle * Math.PI) / 180;
          var bw = Math.abs(w * Math.cos(rad)) + Math.abs(h * Math.sin(rad));
          var bh = Math.abs(w * Math.sin(rad)) + Math.abs(h * Math.cos(rad));
          var rect = [c.x - bw / 2 - gap, c.y - bh / 2 - gap, c.x + bw / 2 + gap, c.y + bh / 2 + gap];
          var inside = rect[0] >= 0 && rect[1] >= 0 && rect[2] <= size.x && rect[3] <= size.y;
          var clear = inside && placed.every(function (o) {
            return rect[2] <= o[0] || rect[0] >= o[2] || rect[3] <= o[1] || rect[1] >= o[3];
          });
          if (!clear) { L.DomUtil.remove(span); continue; }
          placed.push(rect);
          centres[label.text] = same.concat([c]);
          var at = m.latLngToLayerPoint(label.latlng);
          span.style.left = at.x + "px";
          span.style.top = at.y + "px";
          span.style.transform = "translate(-50%, -50%) rotate(" + label.angle + "deg)";
        }
        box.setAttribute("data-labels", String(placed.length));
      },
    });
    return new Layer();
  }

  window.accessrouteExtras = { inclineChart: inclineChart, streetNames: streetNames };
})();
