// Behaviour shared by every page. No inline scripts anywhere: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  // Confirm dangerous actions: <form data-confirm="确定撤销该批次？">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var text = form.getAttribute && form.getAttribute("data-confirm");
    if (text && !window.confirm(text)) { event.preventDefault(); }
  }, true);
  // Charts: <div class="qx-chart" data-option-id="id-of-json-script"> rendered with ECharts if loaded.
  function renderCharts(root) {
    if (!window.echarts) { return; }
    root.querySelectorAll(".qx-chart[data-option-id]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-option-id"));
      if (!source) { return; }
      var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(JSON.parse(source.textContent));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  // Row selection in lists: <input data-qx-select-all="form-id"> ticks the page's rows of that form;
  // <span data-qx-selected="form-id"> shows how many are ticked.
  function countSelected(formId) {
    var n = document.querySelectorAll('input[name="ids"][form="' + formId + '"]:checked').length;
    document.querySelectorAll('[data-qx-selected="' + formId + '"]').forEach(function (el) { el.textContent = n; });
  }
  document.addEventListener("change", function (event) {
    var el = event.target;
    var all = el.getAttribute && el.getAttribute("data-qx-select-all");
    if (all) {
      document.querySelectorAll('input[name="ids"][form="' + all + '"]').forEach(function (box) { box.checked = el.checked; });
      countSelected(all);
    } else if (el.name === "ids" && el.getAttribute("form")) {
      countSelected(el.getAttribute("form"));
    }
  });
  renderCharts(document);
  document.body.addEventListener("htmx:afterSettle", function (event) { renderCharts(event.target); });
  window.qxRenderCharts = renderCharts;
})();
