// Draws the leader's dashboard charts from the JSON the page carries (no network calls).
(function () {
  "use strict";
  var node = document.getElementById("dashboard-data");
  if (!node || !window.echarts) { return; }
  var data = JSON.parse(node.textContent);
  var accent = "#9b1c1c";
  var palette = [accent, "#c2410c", "#b45309", "#4d7c0f", "#0f766e", "#1d4ed8", "#6d28d9", "#6b7280"];
  var font = { fontFamily: getComputedStyle(document.body).fontFamily };
  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var c = echarts.init(el);
    option.color = palette;
    option.textStyle = font;
    c.setOption(option);
    window.addEventListener("resize", function () { c.resize(); });
  }
  function bar(id, rows) {
    chart(id, {
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: rows.map(function (r) { return r[0]; }).reverse() },
      series: [{ type: "bar", barMaxWidth: 28, data: rows.map(function (r) { return r[1]; }).reverse(), label: { show: true, position: "right" } }]
    });
  }
  bar("chart-state", data.by_state || []);
  bar("chart-category", data.by_category || []);
  var units = data.by_unit || [];
  chart("chart-unit", {
    tooltip: { trigger: "axis" },
    legend: { data: ["交办", "逾期"] },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: units.map(function (u) { return u.unit; }).reverse() },
    series: [
      { name: "交办", type: "bar", barMaxWidth: 24, data: units.map(function (u) { return u.assigned; }).reverse() },
      { name: "逾期", type: "bar", barMaxWidth: 24, data: units.map(function (u) { return u.overdue; }).reverse() }
    ]
  });
  var outcomes = data.outcomes || {};
  chart("chart-outcome", {
    tooltip: { trigger: "item", formatter: "{b}：{d}%" },
    series: [{ type: "pie", radius: ["40%", "70%"], data: Object.keys(outcomes).map(function (k) {
      return { name: k + "类", value: outcomes[k] };
    }) }]
  });
})();
