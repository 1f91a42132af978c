// The chain map: links as nodes in three columns (上游/中游/下游), coloured by strength; a click opens the link.
(function () {
  "use strict";
  var box = document.querySelector(".qx-chain-map");
  if (!box || typeof echarts === "undefined") { return; }
  var data = JSON.parse(document.getElementById(box.dataset.optionId).textContent);
  var chart = echarts.init(box);
  var narrow = box.clientWidth < 600;
  chart.setOption({
    tooltip: {
      formatter: function (p) {
        if (p.dataType !== "node") { return ""; }
        var d = p.data;
        return d.segment + " · " + d.name + "<br>状态：" + d.strength + "<br>企业：" + d.enterprises + " 户<br>项目和线索：" + d.projects + " 个";
      }
    },
    legend: [{ data: data.legend.map(function (l) { return l.label; }), bottom: 0 }],
    series: [{
      type: "graph",
      layout: "none",
      roam: true,
      nodeScaleRatio: 0,
      // The node centres are fitted to the canvas: zoom out so the end columns' boxes stay inside.
      zoom: narrow ? 0.62 : 0.85,
      symbol: "roundRect",
      symbolSize: narrow ? [100, 28] : [140, 34],
      label: { show: true, color: "#fff", fontSize: narrow ? 11 : 13, width: narrow ? 92 : 130, overflow: "truncate" },
      edgeSymbol: ["none", "arrow"],
      lineStyle: { color: "#adb5bd", opacity: 0.5, curveness: 0.1 },
      categories: data.legend.map(function (l) { return { name: l.label, itemStyle: { color: l.colour } }; }),
      data: data.nodes.map(function (n) {
        var category = data.legend.findIndex(function (l) { return l.label === n.strength; });
        return Object.assign({}, n, { category: category, itemStyle: { color: n.colour } });
      }),
      links: data.edges
    }]
  });
  chart.on("click", function (p) {
    if (p.dataType === "node" && p.data.url) { window.location.href = p.data.url; }
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
