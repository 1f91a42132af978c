// The parcel map: the county's own GeoJSON registered with ECharts (no tile server), coloured per parcel.
(function () {
  "use strict";
  var el = document.getElementById("land-map");
  var source = document.getElementById("land-map-data");
  if (!el || !source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  if (!data.geojson.features.length) { return; }
  window.echarts.registerMap("qx-parcels", data.geojson);
  var chart = window.echarts.init(el, null, { renderer: "canvas" });
  chart.setOption(data.option);
  window.addEventListener("resize", function () { chart.resize(); });
})();
