// Draws the culture projects per year from the JSON the page carries (no network calls).
(function () {
  "use strict";
  var node = document.getElementById("culture-chart-data");
  var el = document.getElementById("chart-culture-years");
  if (!node || !el || !window.echarts) { return; }
  var data = JSON.parse(node.textContent);
  var chart = echarts.init(el);
  chart.setOption({
    color: ["#9b1c1c"],
    tooltip: { trigger: "axis" },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.years || [] },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", barMaxWidth: 32, label: { show: true, position: "top" }, data: data.counts || [] }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
