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
  // The project board on a phone: <select data-qx-stage-picker="board-id"> shows one stage at a time
  // (the CSS hides the other columns only on narrow screens, so a wide screen still sees them all).
  function pickStage(select) {
    var board = document.getElementById(select.getAttribute("data-qx-stage-picker"));
    if (!board) { return; }
    board.classList.add("qx-board-picked");
    board.querySelectorAll("[data-stage]").forEach(function (col) {
      col.classList.toggle("qx-stage-active", col.getAttribute("data-stage") === select.value);
    });
  }
  function initStagePickers(root) {
    root.querySelectorAll("select[data-qx-stage-picker]").forEach(function (select) {
      if (!select.dataset.qxReady) {
        select.dataset.qxReady = "1";
        // Start on the first stage that holds projects.
        var options = Array.prototype.slice.call(select.options);
        var first = options.filter(function (o) { return !/（0）$/.test(o.text); })[0];
        if (first) { select.value = first.value; }
      }
      pickStage(select);
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[data-qx-stage-picker]")) { pickStage(event.target); }
  });
  // The top bar's search drop-down closes on Escape or a click elsewhere.
  function closeSearch() {
    var drop = document.getElementById("qx-search-drop");
    if (drop) { drop.innerHTML = ""; }
  }
  document.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest(".qx-search")) { closeSearch(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { closeSearch(); }
  });
  renderCharts(document);
  initStagePickers(document);
  document.body.addEventListener("htmx:afterSettle", function (event) {
    renderCharts(event.target);
    initStagePickers(document);
  });
  window.qxRenderCharts = renderCharts;
})();
