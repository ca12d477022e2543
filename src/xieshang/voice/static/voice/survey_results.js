// Draws a questionnaire's results from the JSON the page carries (no network calls): a pie for
// single choice questions, bars for multiple choice and scale questions.
(function () {
  "use strict";
  var node = document.getElementById("survey-charts");
  if (!node || !window.echarts) { return; }
  var charts = JSON.parse(node.textContent);
  var palette = ["#9b1c1c", "#c2410c", "#b45309", "#4d7c0f", "#0f766e", "#1d4ed8", "#6d28d9", "#6b7280"];
  var font = { fontFamily: getComputedStyle(document.body).fontFamily };
  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  charts.forEach(function (c) {
    var el = document.getElementById("chart-" + c.id);
    if (!el) { return; }
    var chart = echarts.init(el);
    var option;
    if (c.kind === "single") {
      option = {
        tooltip: { trigger: "item", formatter: function (p) { return esc(p.name) + "：" + p.value + "（" + p.percent + "%）"; } },
        series: [{ type: "pie", radius: ["35%", "65%"], data: c.labels.map(function (label, i) {
          return { name: label, value: c.counts[i] };
        }), label: { formatter: "{b}\n{c}" } }]
      };
    } else {
      option = {
        tooltip: { trigger: "axis", formatter: function (ps) { return esc(ps[0].name) + "：" + ps[0].value; } },
        grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: c.labels.slice().reverse() },
        series: [{ type: "bar", barMaxWidth: 24, data: c.counts.slice().reverse(), label: { show: true, position: "right" } }]
      };
    }
    option.color = palette;
    option.textStyle = font;
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
