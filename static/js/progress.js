/* Progress page charts (Chart.js, vendored). Reads the JSON the server puts in
   <script id="progress-data"> and draws: calories per day against the target, the macro
   split, kcal per meal slot and the weight trend with its smoothed line. Charts are drawn
   again after htmx swaps the page body (period switch) and when history restores it.
   Every chart has a text summary and a table in the page, so nothing is lost without JS. */
(function () {
  "use strict";

  var COLORS = {
    primary: "#0f766e",
    primarySoft: "rgba(15, 118, 110, 0.55)",
    accent: "#f59e0b",
    ink: "#17202a",
    muted: "#5b6773",
    line: "#dde5e3",
    macros: ["#0f766e", "#f59e0b", "#1d5fa8"],
    meals: ["#f59e0b", "#f7c56b", "#0f766e", "#5fb7a8", "#1d5fa8"],
  };
  var charts = [];

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  function numberFormat(digits) {
    var lang = document.documentElement.lang || "es-MX";
    try {
      return new Intl.NumberFormat(lang, { maximumFractionDigits: digits });
    } catch (e) {
      return new Intl.NumberFormat("es-MX", { maximumFractionDigits: digits });
    }
  }

  function dayNumber(iso) {
    var parts = iso.split("-");
    return Date.UTC(+parts[0], +parts[1] - 1, +parts[2]) / 86400000;
  }

  function dayLabel(day) {
    var lang = document.documentElement.lang || "es-MX";
    return new Date(day * 86400000).toLocaleDateString(lang, { day: "numeric", month: "short", timeZone: "UTC" });
  }

  function destroy() {
    charts.forEach(function (chart) { chart.destroy(); });
    charts = [];
  }

  function show(canvas) {
    var box = canvas.closest("[data-chart-box]");
    if (box) box.hidden = false;
  }

  function make(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) return;
    show(canvas);
    config.options = config.options || {};
    config.options.responsive = true;
    config.options.maintainAspectRatio = false;
    if (reducedMotion()) config.options.animation = false;
    charts.push(new window.Chart(canvas, config));
  }

  function caloriesChart(data) {
    var kcal = numberFormat(0);
    // Day labels in the page's language, like the weight chart's.
    var labels = data.dates.map(function (iso, i) {
      try { return dayLabel(dayNumber(iso)); } catch (e) { return data.labels[i]; }
    });
    make("chart-calories", {
      type: "bar",
      data: {
        labels: labels,
        datasets: [
          {
            type: "line",
            label: data.target_label,
            data: labels.map(function () { return data.target; }),
            borderColor: COLORS.accent,
            borderDash: [6, 4],
            borderWidth: 2,
            pointRadius: 0,
            fill: false,
            order: 0,
          },
          {
            type: "bar",
            label: data.label,
            data: data.values,
            backgroundColor: COLORS.primarySoft,
            borderColor: COLORS.primary,
            borderWidth: 1,
            borderRadius: 4,
            order: 1,
          },
        ],
      },
      options: {
        interaction: { mode: "index", intersect: false },
        scales: {
          x: { grid: { display: false }, ticks: { autoSkip: true, maxRotation: 0 } },
          y: { beginAtZero: true, ticks: { callback: function (v) { return kcal.format(v); } } },
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                return ctx.parsed.y === null ? "" : ctx.dataset.label + ": " + kcal.format(ctx.parsed.y) + " kcal";
              },
            },
          },
        },
      },
    });
  }

  function doughnut(id, labels, values, colors, unit) {
    var fmt = numberFormat(1);
    make(id, {
      type: "doughnut",
      data: { labels: labels, datasets: [{ data: values, backgroundColor: colors, borderColor: "#fff", borderWidth: 2 }] },
      options: {
        cutout: "58%",
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: { label: function (ctx) { return ctx.label + ": " + fmt.format(ctx.parsed) + unit; } } },
        },
      },
    });
  }

  function weightChart(data) {
    if (!data.dates.length) return;
    var fmt = numberFormat(1);
    var days = data.dates.map(dayNumber);
    var points = function (values) {
      return values.map(function (v, i) { return { x: days[i], y: v }; });
    };
    make("chart-weight", {
      type: "line",
      data: {
        datasets: [
          {
            label: data.label,
            data: points(data.values),
            showLine: false,
            pointRadius: 4,
            pointHoverRadius: 6,
            pointBackgroundColor: COLORS.primary,
            borderColor: COLORS.primary,
          },
          {
            label: data.smoothed_label,
            data: points(data.smoothed),
            borderColor: COLORS.accent,
            borderWidth: 3,
            pointRadius: 0,
            tension: 0.35,
            fill: false,
          },
        ],
      },
      options: {
        interaction: { mode: "nearest", intersect: false },
        scales: {
          x: {
            type: "linear",
            grid: { display: false },
            ticks: { maxTicksLimit: 6, callback: function (v) { return dayLabel(v); } },
          },
          y: { ticks: { callback: function (v) { return fmt.format(v) + " kg"; } } },
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              title: function (items) { return items.length ? dayLabel(items[0].parsed.x) : ""; },
              label: function (ctx) { return ctx.dataset.label + ": " + fmt.format(ctx.parsed.y) + " kg"; },
            },
          },
        },
      },
    });
  }

  function init() {
    destroy();
    var source = document.getElementById("progress-data");
    if (!source || typeof window.Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    window.Chart.defaults.color = COLORS.muted;
    caloriesChart(data.calories);
    doughnut("chart-macros", data.macros.labels, data.macros.values, COLORS.macros, " %");
    doughnut("chart-meals", data.meals.labels, data.meals.values, COLORS.meals, " kcal");
    weightChart(data.weight);
  }

  function afterSwap(event) {
    var target = event.detail && event.detail.target;
    var body = document.getElementById("progress-body");
    if (!body || (target && target.id !== "progress-body" && !target.contains(body))) return;
    init();
    var status = document.getElementById("progress-status");
    if (status) status.textContent = body.getAttribute("data-announce") || "";
    var current = body.querySelector('.period-switch a[aria-current="page"]');
    if (current) current.focus();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  document.addEventListener("htmx:afterSettle", afterSwap);
  document.addEventListener("htmx:historyRestore", init);
})();
