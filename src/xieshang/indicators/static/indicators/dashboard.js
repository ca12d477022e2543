// Draws an indicator's dashboard from the JSON the page carries (no network calls).
(function () {
  "use strict";
  var node = document.getElementById("indicator-data");
  if (!node || !window.echarts) { return; }
  var data = JSON.parse(node.textContent);
  function init(id) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    var c = echarts.init(el);
    window.addEventListener("resize", function () { c.resize(); });
    return c;
  }
  var lines = [];
  if (data.average !== null) { lines.push({ name: "全省平均", yAxis: data.average, lineStyle: { color: "#1d4ed8" }, label: { formatter: "全省平均 {c}" } }); }
  if (data.bar !== null && data.bar !== data.average) { lines.push({ name: "目标", yAxis: data.bar, lineStyle: { color: "#9b1c1c", type: "dashed" }, label: { formatter: "目标 {c}" } }); }
  var regions = init("chart-regions");
  if (regions) {
    regions.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 56, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.regions, axisLabel: { interval: 0, rotate: data.regions.length > 6 ? 30 : 0 } },
      yAxis: { type: "value" },
      series: [{
        type: "bar", name: data.name, barMaxWidth: 32,
        data: data.values.map(function (v, i) { return { value: v, itemStyle: { color: data.below[i] ? "#c2410c" : "#4d7c0f" } }; }),
        label: { show: true, position: "top" },
        markLine: { symbol: "none", data: lines }
      }]
    });
  }
  var trend = init("chart-trend");
  if (trend) {
    var names = Object.keys(data.trend);
    trend.setOption({
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", data: names },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.periods },
      yAxis: { type: "value" },
      series: names.map(function (n) { return { name: n, type: "line", connectNulls: true, data: data.trend[n] }; })
    });
  }
})();
