/* NutriMX: toasts, account menu and the realtime socket (/ws/).
   Frames are JSON {"event": name, "data": {...}}; see accounts/consumers.py. */
(function () {
  "use strict";

  var body = document.body;
  var NMX = (window.NMX = window.NMX || {});

  /* ------------------------------------------------------------ toasts */
  function dismiss(el) {
    if (!el || el.classList.contains("is-leaving")) return;
    el.classList.add("is-leaving");
    setTimeout(function () { el.remove(); }, 220);
  }

  function arm(el) {
    if (!el || el.dataset.armed) return;
    el.dataset.armed = "1";
    var ms = el.classList.contains("toast--error") || el.classList.contains("toast--warning") ? 10000 : 6000;
    var timer = setTimeout(function () { dismiss(el); }, ms);
    el.addEventListener("mouseenter", function () { clearTimeout(timer); });
    el.addEventListener("mouseleave", function () { timer = setTimeout(function () { dismiss(el); }, 3000); });
  }

  function toastBox() { return document.getElementById("toasts"); }

  function armAll() {
    var box = toastBox();
    if (box) box.querySelectorAll("[data-toast]").forEach(arm);
  }

  /** Show a toast. msg: string or {title, body, href, linkText}. */
  NMX.toast = function (msg, level) {
    var box = toastBox();
    if (!box) return null;
    if (typeof msg === "string") msg = { title: msg };
    var el = document.createElement("div");
    el.className = "toast toast--" + (level || "info");
    el.setAttribute("role", level === "error" ? "alert" : "status");
    el.setAttribute("data-toast", "");
    var bodyEl = document.createElement("div");
    bodyEl.className = "toast__body";
    if (msg.body) {
      var strong = document.createElement("strong");
      strong.textContent = msg.title || "";
      bodyEl.appendChild(strong);
      var p = document.createElement("span");
      p.textContent = msg.body;
      bodyEl.appendChild(p);
    } else {
      bodyEl.appendChild(document.createTextNode(msg.title || ""));
    }
    if (msg.href) {
      bodyEl.appendChild(document.createTextNode(" "));
      var a = document.createElement("a");
      a.href = msg.href;
      a.textContent = msg.linkText || "→";
      bodyEl.appendChild(a);
    }
    var close = document.createElement("button");
    close.type = "button";
    close.className = "toast__close";
    close.setAttribute("data-toast-close", "");
    close.setAttribute("aria-label", body.dataset.msgClose || "×");
    close.innerHTML =
      '<svg class="icon icon--sm" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" ' +
      'stroke-linecap="round" aria-hidden="true" focusable="false"><path d="M6 6l12 12M18 6 6 18"/></svg>';
    el.appendChild(bodyEl);
    el.appendChild(close);
    box.appendChild(el);
    arm(el);
    return el;
  };

  document.addEventListener("click", function (e) {
    var btn = e.target.closest("[data-toast-close]");
    if (btn) dismiss(btn.closest("[data-toast]"));
    // close an open account menu when clicking outside it
    document.querySelectorAll("details[data-menu][open]").forEach(function (d) {
      if (!d.contains(e.target)) d.removeAttribute("open");
    });
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    document.querySelectorAll("details[data-menu][open]").forEach(function (d) {
      d.removeAttribute("open");
      var s = d.querySelector("summary");
      if (s) s.focus();
    });
  });

  /* ------------------------------------------------------------ file pickers */
  document.addEventListener("change", function (e) {
    var input = e.target;
    if (!input.matches || !input.matches("input[type=file][data-file-name-target]")) return;
    var out = document.getElementById(input.dataset.fileNameTarget);
    if (out) out.textContent = input.files && input.files[0] ? input.files[0].name : "";
  });

  /* ------------------------------------------------------------ htmx glue */
  document.addEventListener("htmx:afterSettle", armAll);
  document.addEventListener("htmx:oobAfterSwap", armAll);
  document.addEventListener("htmx:responseError", function (e) {
    var status = e.detail && e.detail.xhr ? e.detail.xhr.status : 0;
    if (status === 422) return;
    NMX.toast(body.dataset.msgError || "Error", "error");
  });
  document.addEventListener("htmx:sendError", function () {
    NMX.toast(body.dataset.msgOffline || "Offline", "error");
  });

  /* ------------------------------------------------------------ unread badge */
  NMX.setUnread = function (count) {
    var n = Math.max(0, parseInt(count, 10) || 0);
    document.querySelectorAll("[data-unread-badge]").forEach(function (badge) {
      var label = badge.querySelector("[data-unread-count]");
      var text = n > 99 ? "99+" : String(n);
      var changed = label && label.textContent !== text;
      if (label) label.textContent = text;
      badge.hidden = n === 0;
      if (changed && n > 0) {
        badge.classList.remove("is-bumped");
        void badge.offsetWidth;
        badge.classList.add("is-bumped");
      }
    });
    var summary = document.getElementById("inbox-summary");
    if (summary) {
      summary.textContent = n ? (summary.dataset.tplUnread || "%s").replace("%s", n) : summary.dataset.tplZero || "";
    }
    var markAll = document.getElementById("mark-all-form");
    if (markAll) markAll.hidden = n === 0;
    body.dataset.unread = String(n);
  };

  /* ------------------------------------------------------------ inbox */
  function rowUrl(id) {
    var tpl = body.dataset.notificationRowUrl || "";
    return tpl.replace(/\/0\/$/, "/" + encodeURIComponent(id) + "/");
  }

  function prependNotification(data) {
    var list = document.getElementById("notif-list");
    if (!list || !window.htmx || document.getElementById("notif-" + data.id)) return;
    window.htmx.ajax("GET", rowUrl(data.id), { target: "#notif-list", swap: "afterbegin" }).then(function () {
      var row = document.getElementById("notif-" + data.id);
      if (row) row.classList.add("is-new");
      var empty = document.getElementById("notif-empty");
      if (empty) empty.hidden = true;
    });
  }

  function refreshRows(ids) {
    if (!window.htmx) return;
    (ids || []).forEach(function (id) {
      var row = document.getElementById("notif-" + id);
      if (row && row.classList.contains("notif--unread")) {
        window.htmx.ajax("GET", rowUrl(id), { target: "#notif-" + id, swap: "outerHTML" });
      }
    });
  }

  /* ------------------------------------------------------------ websocket */
  var handlers = {
    "connection:ready": function (data) {
      NMX.setUnread(data.unread_count);
      body.dataset.wsReady = "1";
      // pages that join rooms (a post, a circle) listen for this
      document.dispatchEvent(new CustomEvent("nmx:ready"));
    },
    "notification:new": function (data) {
      if (typeof data.unread_count !== "undefined") NMX.setUnread(data.unread_count);
      var onInbox = !!document.getElementById("notif-list");
      NMX.toast(
        {
          title: data.title || body.dataset.msgNew || "",
          body: data.body ? String(data.body).slice(0, 140) : "",
          href: onInbox ? null : body.dataset.notificationsUrl,
          linkText: body.dataset.msgSee,
        },
        "info"
      );
      prependNotification(data);
    },
    "notification:read": function (data) {
      if (typeof data.unread_count !== "undefined") NMX.setUnread(data.unread_count);
      refreshRows(data.ids);
    },
    pong: function () {},
  };
  NMX.on = function (event, fn) { handlers[event] = fn; };

  var wsPath = body.dataset.wsUrl;
  if (wsPath && "WebSocket" in window) {
    var ws = null;
    var attempt = 0;
    var pingTimer = null;
    var retryTimer = null;
    var stopped = false;

    NMX.send = function (event, data) {
      if (ws && ws.readyState === WebSocket.OPEN) {
        ws.send(JSON.stringify({ event: event, data: data || {} }));
        return true;
      }
      return false;
    };

    var connect = function () {
      clearTimeout(retryTimer);
      retryTimer = null;
      if (stopped || (ws && (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING))) return;
      var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + wsPath;
      body.dataset.wsState = "connecting";
      ws = new WebSocket(url);
      ws.onopen = function () {
        attempt = 0;
        body.dataset.wsState = "open";
        clearInterval(pingTimer);
        pingTimer = setInterval(function () { NMX.send("ping", { t: Date.now() }); }, 25000);
      };
      ws.onmessage = function (ev) {
        var msg;
        try { msg = JSON.parse(ev.data); } catch (err) { return; }
        var fn = msg && handlers[msg.event];
        if (fn) fn(msg.data || {});
      };
      ws.onclose = function (ev) {
        clearInterval(pingTimer);
        body.dataset.wsState = "closed";
        // 4401: not signed in, 4403: account suspended; retrying would not help.
        if (ev.code === 4401 || ev.code === 4403) { stopped = true; return; }
        if (!stopped) {
          var base = Math.min(30000, 1000 * Math.pow(2, attempt));
          attempt += 1;
          retryTimer = setTimeout(connect, base / 2 + Math.random() * (base / 2));
        }
      };
    };
    NMX.reconnect = connect;

    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible" && retryTimer) connect();
    });
    window.addEventListener("online", function () { if (retryTimer) connect(); });
    window.addEventListener("pagehide", function () {
      stopped = true;
      if (ws) ws.close(1000);
    });
    connect();
  }

  function onReady() {
    armAll();
    // keep the current tab of a scrolling sub-navigation in view on phones
    var current = document.querySelector(".subnav [aria-current=page]");
    if (current && current.scrollIntoView) current.scrollIntoView({ block: "nearest", inline: "center" });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onReady);
  else onReady();
})();

// Tab rows scroll sideways on a phone: bring the current tab into view.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".tabs .is-active").forEach(function (tab) {
    var row = tab.parentElement;
    row.scrollLeft = tab.offsetLeft - (row.clientWidth - tab.offsetWidth) / 2;
  });
});
