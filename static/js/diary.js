/* NutriMX diary: keyboard navigation of the live food search (a listbox driven from its
   search box, WAI-ARIA combobox pattern), focus management of the add panel, confirmations
   for plain forms, and refreshing the day when another device changes it.
   Every number shown comes from the server: this file does no nutrition arithmetic. */
(function () {
  "use strict";

  var lastOpener = null;
  var lastLocalChange = 0;

  function options(input) {
    var box = document.getElementById(input.getAttribute("aria-controls"));
    return box ? Array.prototype.slice.call(box.querySelectorAll("[role=option]")) : [];
  }

  function setActive(input, list, index) {
    list.forEach(function (el, i) {
      var on = i === index;
      el.setAttribute("aria-selected", on ? "true" : "false");
      el.classList.toggle("is-active", on);
    });
    if (index >= 0 && list[index]) {
      input.setAttribute("aria-activedescendant", list[index].id);
      list[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function activeIndex(input, list) {
    var id = input.getAttribute("aria-activedescendant");
    for (var i = 0; i < list.length; i++) if (list[i].id === id) return i;
    return -1;
  }

  document.addEventListener("keydown", function (e) {
    var input = e.target;
    if (!input.matches || !input.matches("[data-food-search]")) return;
    var list = options(input);
    var index = activeIndex(input, list);
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!list.length) return;
      e.preventDefault();
      var step = e.key === "ArrowDown" ? 1 : -1;
      var next = index < 0 ? (step > 0 ? 0 : list.length - 1) : (index + step + list.length) % list.length;
      setActive(input, list, next);
    } else if (e.key === "Home" && list.length && index >= 0) {
      e.preventDefault();
      setActive(input, list, 0);
    } else if (e.key === "End" && list.length && index >= 0) {
      e.preventDefault();
      setActive(input, list, list.length - 1);
    } else if (e.key === "Enter" && index >= 0) {
      e.preventDefault();
      list[index].click();
    } else if (e.key === "Escape") {
      if (index >= 0) {
        e.preventDefault();
        setActive(input, list, -1);
      } else if (closePanel()) {
        e.preventDefault();
      }
    }
  });

  // Pointer users: hovering an option makes it the active one too.
  document.addEventListener("mousemove", function (e) {
    var option = e.target.closest && e.target.closest("[role=option]");
    if (!option) return;
    var input = document.querySelector("[data-food-search]");
    if (!input) return;
    var list = options(input);
    var i = list.indexOf(option);
    if (i >= 0 && i !== activeIndex(input, list)) setActive(input, list, i);
  });

  /* ------------------------------------------------------------ add panel */
  function panel() { return document.getElementById("add-panel"); }

  function inDayPage() { return !!document.querySelector("[data-diary-day]"); }

  function focusPanel() {
    var p = panel();
    if (!p || !p.firstElementChild) return;
    var quantity = p.querySelector("#amount-form input[name=quantity]");
    var target = quantity || p.querySelector("[data-food-search]");
    if (target) {
      target.focus({ preventScroll: true });
      if (quantity && quantity.select) quantity.select();
    }
    p.scrollIntoView({ block: "start", behavior: "smooth" });
  }

  function closePanel() {
    var p = panel();
    if (!p || !inDayPage() || !p.firstElementChild) return false;
    p.innerHTML = "";
    if (lastOpener && document.body.contains(lastOpener)) lastOpener.focus();
    return true;
  }

  document.addEventListener("click", function (e) {
    var opener = e.target.closest && e.target.closest("[data-open-add]");
    if (opener) lastOpener = opener;
    var closer = e.target.closest && e.target.closest("[data-close-add]");
    if (closer && closePanel()) e.preventDefault();
  });

  document.addEventListener("htmx:afterSwap", function (e) {
    var target = e.detail && e.detail.target;
    if (!target) return;
    if (target.id === "add-panel") focusPanel();
    if (target.id === "food-results-wrap" || (target.closest && target.closest("#food-results-wrap"))) {
      var input = document.querySelector("[data-food-search]");
      if (input) input.removeAttribute("aria-activedescendant");
    }
  });

  document.addEventListener("htmx:oobAfterSwap", function (e) {
    var target = e.detail && e.detail.target;
    if (target && target.id === "add-panel") {
      var input = target.querySelector("[data-food-search]");
      if (input) input.focus({ preventScroll: true });
    }
  });

  // The search results box is replaced as a whole; keep the latest query's answer only.
  document.addEventListener("htmx:beforeRequest", function (e) {
    var verb = e.detail && e.detail.requestConfig ? e.detail.requestConfig.verb : "";
    if (verb && verb !== "get") lastLocalChange = Date.now();
  });

  /* ------------------------------------------------------------ confirmations */
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) e.preventDefault();
  });

  /* ------------------------------------------------------------ other devices */
  function refreshDay(data) {
    var root = document.querySelector("[data-diary-day]");
    if (!root || !window.htmx || !data || data.date !== root.dataset.diaryDay) return;
    if (Date.now() - lastLocalChange < 4000) return; // our own change, already on screen
    if (document.querySelector(".entry--editing")) return; // do not throw away an open edit
    window.htmx.ajax("GET", root.dataset.liveUrl, { target: "#meals", swap: "outerHTML" });
  }

  if (window.NMX && typeof window.NMX.on === "function") {
    window.NMX.on("diary:changed", refreshDay);
  }
})();
