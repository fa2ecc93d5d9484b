/* NutriMX meal photo: show the analysis steps live from the websocket (analysis:progress,
   analysis:completed, analysis:failed) on the upload page while the photo is sent and on the
   result page while it is processed. The page polls as a fallback when the socket is down.
   Every number shown comes from the server. */
(function () {
  "use strict";

  var ORDER = ["validating", "detecting", "matching", "computing"];
  var pending = false;

  function region() { return document.getElementById("analysis-live-status"); }

  function show(data) {
    var box = region();
    if (!box) return;
    var bar = box.querySelector(".progress");
    if (bar && typeof data.progress !== "undefined") {
      bar.setAttribute("aria-valuenow", String(data.progress));
      var inner = bar.querySelector(".progress__bar");
      if (inner) inner.style.width = data.progress + "%";
    }
    var reached = ORDER.indexOf(data.current_step);
    if (data.current_step === "done") reached = ORDER.length;
    box.querySelectorAll("[data-step]").forEach(function (li) {
      var i = ORDER.indexOf(li.getAttribute("data-step"));
      li.classList.toggle("is-done", i < reached);
      li.classList.toggle("is-current", i === reached);
      if (i === reached) li.setAttribute("aria-current", "step"); else li.removeAttribute("aria-current");
    });
  }

  var page = document.querySelector("[data-analysis-id]");
  var form = document.querySelector("[data-analysis-form]");

  function mine(data) {
    if (page) return data.analysis_id === page.getAttribute("data-analysis-id");
    return pending;
  }

  function finished(data) {
    if (!mine(data)) return;
    show({ progress: 100, current_step: "done" });
    if (page) {
      window.location.reload();
    } else {
      var base = document.querySelector("[data-analysis-new]");
      var url = base && base.getAttribute("data-detail-url");
      // In the embedded mode the upload request itself redirects when it ends; in production
      // the result page is opened here as soon as the worker finishes.
      if (url && data.analysis_id) url = url.replace("00000000-0000-0000-0000-000000000000", data.analysis_id);
      if (url && !pending) window.location.assign(url);
    }
  }

  if (window.NMX && typeof window.NMX.on === "function") {
    window.NMX.on("analysis:progress", function (data) { if (mine(data)) show(data); });
    window.NMX.on("analysis:completed", finished);
    window.NMX.on("analysis:failed", finished);
  }

  if (form) {
    form.addEventListener("submit", function (e) {
      var input = form.querySelector("input[type=file]");
      if (input && !input.files.length) return; // the server explains what is missing
      pending = true;
      var live = document.getElementById("analysis-live");
      if (live) live.hidden = false;
      var button = form.querySelector("button[type=submit]");
      if (button) {
        button.setAttribute("aria-disabled", "true");
        // a second tap while the photo uploads would queue a second analysis
        form.addEventListener("submit", function (again) { again.preventDefault(); });
      }
      show({ progress: 5, current_step: "validating" });
    });
  }
})();
