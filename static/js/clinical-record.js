/* Line charts of the clinical record (lab values per test, weight, waist, body fat, BMI).
   Reads the JSON the page puts in #lab-chart-data / #measure-chart-data; redraws after htmx swaps. */
(function () {
  "use strict";
  var charts = [];

  function draw(id, labels, values, label) {
    var canvas = document.getElementById(id);
    if (!canvas || !window.Chart) return;
    charts.push(new window.Chart(canvas, {
      type: "line",
      data: { labels: labels, datasets: [{ label: label, data: values, spanGaps: true, tension: 0.25, borderColor: "#0f766e", backgroundColor: "rgba(15,118,110,.15)", pointRadius: 3 }] },
      options: { responsive: true, maintainAspectRatio: false, plugins: { legend: { display: false } } }
    }));
  }

  function read(id) {
    var node = document.getElementById(id);
    if (!node) return null;
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  function render() {
    charts.forEach(function (c) { c.destroy(); });
    charts = [];
    var labs = read("lab-chart-data") || [];
    labs.forEach(function (c) { draw(c.id, c.labels, c.values, c.label); });
    var m = read("measure-chart-data");
    if (m) m.sets.forEach(function (s) { draw(s.id, m.dates, s.values, s.label); });
  }

  document.addEventListener("DOMContentLoaded", render);
  document.addEventListener("htmx:afterSettle", render);
})();
