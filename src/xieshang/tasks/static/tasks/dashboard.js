// Draws the task dashboard's charts from the JSON the page carries (no network calls).
(function () {
  "use strict";
  var node = document.getElementById("task-dashboard-data");
  if (!node || !window.echarts) { return; }
  var data = JSON.parse(node.textContent);
  function bar(id, rows, color) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var c = echarts.init(el);
    c.setOption({
      color: [color],
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: rows.map(function (r) { return r[0]; }).reverse() },
      series: [{ type: "bar", barMaxWidth: 24, label: { show: true, position: "right" }, data: rows.map(function (r) { return r[1]; }).reverse() }]
    });
    window.addEventListener("resize", function () { c.resize(); });
  }
  bar("chart-task-state", data.by_state || [], "#9b1c1c");
  bar("chart-task-overdue", data.overdue_by_unit || [], "#c2410c");
})();
