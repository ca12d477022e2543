// Draws a quiz's per-question correct rate from the JSON the page carries (no network calls).
(function () {
  "use strict";
  var node = document.getElementById("study-results-data");
  var el = document.getElementById("chart-question-rates");
  if (!node || !el || !window.echarts) { return; }
  var data = JSON.parse(node.textContent);
  var chart = echarts.init(el);
  chart.setOption({
    animation: false,
    color: ["#9b1c1c"],
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.labels || [] },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    series: [{ type: "bar", barMaxWidth: 32, label: { show: true, position: "top", formatter: "{c}%" }, data: data.rates || [] }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
