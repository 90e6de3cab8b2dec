// The report form's map: a click fills in the latitude and longitude fields.
(function () {
  "use strict";
  var lat = document.getElementById("lat");
  var lon = document.getElementById("lon");
  var box = document.getElementById("report-map");
  if (!box || typeof L === "undefined") { return; }
  var start = [parseFloat(lat.value) || 55.7605, parseFloat(lon.value) || 37.638];
  var map = L.map(box, { keyboard: true }).setView(start, 17);
  map.attributionControl.setPrefix("");
  map.attributionControl.addAttribution("© OpenStreetMap contributors");
  if (box.dataset.tiles) { L.tileLayer(box.dataset.tiles, { maxZoom: 19 }).addTo(map); }
  var marker = lat.value && lon.value ? L.marker(start).addTo(map) : null;
  map.on("click", function (event) {
    lat.value = event.latlng.lat.toFixed(6);
    lon.value = event.latlng.lng.toFixed(6);
    if (marker) { marker.setLatLng(event.latlng); } else { marker = L.marker(event.latlng).addTo(map); }
  });
})();
