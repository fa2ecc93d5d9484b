/* Conversation page: live messages over /ws/ through the shared client (static/js/app.js,
   NMX.on / NMX.send). Frames follow seed 000 §4.8: message:new, message:read, typing:start,
   typing:stop. Text from users is only ever set with textContent. The composer also works
   without JavaScript (a plain POST and a redirect). */
(function () {
  "use strict";

  function init() {
    var root = document.querySelector("[data-chat]");
    var NMX = window.NMX;
    if (!root || !NMX) return;
    var convId = Number(root.dataset.conversationId);
    var userId = Number(root.dataset.userId);
    var list = document.getElementById("chat-list");
    var statusEl = document.getElementById("chat-status");
    var typingEl = document.getElementById("chat-typing");
    var otherReadAt = root.dataset.otherReadAt ? Date.parse(root.dataset.otherReadAt) : 0;
    var typingTimer = null;
    var pendingRead = false;

    function scrollDown() {
      var last = list.lastElementChild;
      if (last && last.scrollIntoView) last.scrollIntoView({ block: "end" });
    }

    function formatTime(iso) {
      var d = new Date(iso);
      try {
        return d.toLocaleString(document.documentElement.lang || "es-MX", {
          day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
        });
      } catch (err) { return iso; }
    }

    function lastMine() {
      var mine = list.querySelectorAll(".msg--mine");
      return mine.length ? mine[mine.length - 1] : null;
    }

    function refreshStatus() {
      var el = lastMine();
      if (!el) { statusEl.textContent = ""; return; }
      var created = Date.parse(el.dataset.createdAt);
      statusEl.textContent = otherReadAt && otherReadAt >= created ? root.dataset.msgRead : root.dataset.msgSent;
    }

    function markRead() {
      if (document.visibilityState !== "visible") { pendingRead = true; return; }
      pendingRead = false;
      NMX.send("message:read", { conversation_id: convId });
    }

    function removeEmpty() {
      var empty = root.querySelector("[data-chat-empty]");
      if (empty) empty.remove();
    }

    /* A message from the server, built with DOM calls and textContent only. */
    function renderMessage(m) {
      var li = document.createElement("li");
      li.className = "msg" + (m.sender_id === userId ? " msg--mine" : "");
      li.id = "msg-" + m.id;
      li.dataset.messageId = m.id;
      li.dataset.createdAt = m.created_at;
      var bubble = document.createElement("div");
      bubble.className = "msg__bubble";
      if (m.body) {
        var p = document.createElement("p");
        p.className = "msg__body";
        p.textContent = m.body;
        bubble.appendChild(p);
      }
      if (m.image_url && /^\/[^/]/.test(m.image_url)) {
        var a = document.createElement("a");
        a.className = "msg__imglink";
        a.href = m.image_url;
        var img = document.createElement("img");
        img.className = "msg__img";
        img.src = m.image_url;
        img.alt = root.dataset.msgImage || "";
        img.loading = "lazy";
        a.appendChild(img);
        bubble.appendChild(a);
      }
      li.appendChild(bubble);
      var time = document.createElement("time");
      time.className = "msg__time";
      time.dateTime = m.created_at;
      time.textContent = formatTime(m.created_at);
      li.appendChild(time);
      return li;
    }

    function insert(el) {
      if (document.getElementById(el.id)) return false;
      removeEmpty();
      list.appendChild(el);
      refreshStatus();
      scrollDown();
      return true;
    }

    NMX.on("message:new", function (data) {
      if (Number(data.conversation_id) !== convId || !data.message) return;
      var m = data.message;
      insert(renderMessage(m));
      if (m.sender_id !== userId) {
        hideTyping();
        markRead();
      }
    });

    NMX.on("message:read", function (data) {
      if (Number(data.conversation_id) !== convId || Number(data.reader_id) === userId) return;
      otherReadAt = Date.parse(data.read_at) || otherReadAt;
      refreshStatus();
    });

    function hideTyping() {
      clearTimeout(typingTimer);
      typingEl.hidden = true;
      typingEl.textContent = "";
    }
    NMX.on("typing:start", function (data) {
      if (Number(data.conversation_id) !== convId || Number(data.user_id) === userId) return;
      typingEl.textContent = root.dataset.msgTyping;
      typingEl.hidden = false;
      clearTimeout(typingTimer);
      typingTimer = setTimeout(hideTyping, 8000);
    });
    NMX.on("typing:stop", function (data) {
      if (Number(data.conversation_id) !== convId) return;
      hideTyping();
    });

    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible" && pendingRead) markRead();
    });

    /* ---------------------------------------------------------------- composer */
    var typingSentAt = 0;
    var stopTimer = null;

    function newClientId() {
      if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
      return Date.now().toString(36) + Math.random().toString(36).slice(2);
    }

    function csrf(form) {
      var input = form.querySelector("input[name=csrfmiddlewaretoken]");
      return input ? input.value : "";
    }

    function bind(form) {
      if (!form || form.tagName !== "FORM" || form.dataset.bound) return;
      form.dataset.bound = "1";
      var input = form.querySelector("textarea[name=body]");
      var file = form.querySelector("input[type=file]");
      var fileName = form.querySelector("[data-file-name]");
      var sending = false;

      function typingStop() {
        clearTimeout(stopTimer);
        if (typingSentAt) NMX.send("typing:stop", { conversation_id: convId });
        typingSentAt = 0;
      }

      input.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
          ev.preventDefault();
          if (form.requestSubmit) form.requestSubmit(); else form.submit();
        }
      });
      input.addEventListener("input", function () {
        input.style.height = "auto";
        input.style.height = Math.min(input.scrollHeight, window.innerHeight * 0.4) + "px";
        var now = Date.now();
        if (now - typingSentAt > 3000) {
          NMX.send("typing:start", { conversation_id: convId });
          typingSentAt = now;
        }
        clearTimeout(stopTimer);
        stopTimer = setTimeout(typingStop, 2500);
      });
      if (file && fileName) {
        file.addEventListener("change", function () {
          var f = file.files && file.files[0];
          fileName.textContent = f ? f.name : "";
          fileName.hidden = !f;
        });
      }

      form.addEventListener("submit", function (ev) {
        if (!window.fetch || !window.FormData) return; // plain POST
        ev.preventDefault();
        if (sending) return;
        var hasFile = file && file.files && file.files.length;
        if (!input.value.trim() && !hasFile) { input.focus(); return; }
        sending = true;
        typingStop();
        var button = form.querySelector("button[type=submit]");
        if (button) button.disabled = true;
        fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
          headers: { "HX-Request": "true", "X-CSRFToken": csrf(form) },
        }).then(function (resp) {
          return resp.text().then(function (html) { return { status: resp.status, html: html }; });
        }).then(function (res) {
          var tpl = document.createElement("template");
          tpl.innerHTML = res.html.trim(); // server-rendered, escaped template output
          var el = tpl.content.firstElementChild;
          if (res.status === 200 || res.status === 201) {
            if (el) insert(el);
            input.value = "";
            input.style.height = "";
            if (file) file.value = "";
            if (fileName) { fileName.textContent = ""; fileName.hidden = true; }
            form.querySelector("input[name=client_id]").value = newClientId();
            var errs = form.querySelector(".composer__errors");
            if (errs) errs.remove();
            input.focus();
          } else if (res.status === 422 && el) {
            var cid = el.querySelector("input[name=client_id]");
            if (cid) cid.value = form.querySelector("input[name=client_id]").value;
            form.replaceWith(el);
            bind(el);
          } else {
            NMX.toast(document.body.dataset.msgError || "Error", "error");
          }
        }).catch(function () {
          // Network failure: the client_id stays, so a retry cannot send twice.
          NMX.toast(document.body.dataset.msgOffline || "Offline", "error");
        }).then(function () {
          sending = false;
          if (button) button.disabled = false;
        });
      });
    }

    bind(document.getElementById("composer"));
    document.body.addEventListener("htmx:afterSwap", refreshStatus);
    refreshStatus();
    scrollDown();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
