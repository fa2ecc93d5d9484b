/* Assistant page (/asistente/): the answer grows live from the websocket events chat:delta
   and chat:done (shared client in static/js/app.js: NMX.on), with a typing indicator while
   the question is on its way. Forms are plain htmx posts that also work without JavaScript.
   Text from the server's deltas is only ever set with textContent; chat:done carries the
   server-rendered (escaped) message, the same partial htmx swaps in. */
(function () {
  "use strict";

  function init() {
    var root = document.querySelector("[data-assistant]");
    if (!root) return;
    var NMX = window.NMX || {};
    var list = document.getElementById("asst-list");
    var inFlight = 0;

    function conversationId() {
      var input = document.getElementById("asst-cid");
      return input && input.value ? Number(input.value) : 0;
    }

    function scrollDown() {
      var last = list.lastElementChild;
      if (last && last.scrollIntoView) last.scrollIntoView({ block: "end" });
    }

    function composer() { return document.getElementById("asst-composer"); }

    /* The bubble of an answer being written: the server's pending one, or the placeholder
       shown while the question is still on its way (in the embedded default the answer can
       stream before the HTTP response comes back). */
    function liveBubble(messageId) {
      var el = document.getElementById("amsg-" + messageId);
      if (!el) {
        el = list.querySelector("[data-placeholder]:not([id])");
        if (!el) return null;
        el.id = "amsg-" + messageId;
      }
      return el;
    }

    function placeholder(text) {
      var empty = document.getElementById("asst-empty");
      if (empty) empty.hidden = true;
      var mine = document.createElement("li");
      mine.className = "msg msg--mine";
      mine.setAttribute("data-optimistic", "");
      var b = document.createElement("div");
      b.className = "msg__bubble";
      var p = document.createElement("p");
      p.className = "msg__body";
      p.textContent = text;
      b.appendChild(p);
      mine.appendChild(b);
      list.appendChild(mine);
      var tpl = document.getElementById("asst-typing-tpl");
      var li = document.createElement("li");
      li.className = "msg amsg amsg--pending";
      li.setAttribute("data-optimistic", "");
      li.setAttribute("data-placeholder", "");
      li.innerHTML = tpl ? tpl.innerHTML : "";
      list.appendChild(li);
      scrollDown();
    }

    if (NMX.on) {
      NMX.on("chat:delta", function (data) {
        var cid = conversationId();
        if (cid && Number(data.conversation_id) !== cid) return;
        if (!cid && !inFlight) return;
        var el = liveBubble(data.message_id);
        if (!el) return;
        var body = el.querySelector("[data-body]");
        var typing = el.querySelector("[data-typing]");
        if (typing) typing.hidden = true;
        if (body) {
          body.hidden = false;
          body.classList.add("amsg__body--live");
          body.textContent += data.delta;
        }
        scrollDown();
      });
      NMX.on("chat:done", function (data) {
        var cid = conversationId();
        if (cid && Number(data.conversation_id) !== cid) return;
        if (!cid && !inFlight) return;
        var el = liveBubble(data.message_id);
        if (!el || !data.html) return;
        var tpl = document.createElement("template");
        tpl.innerHTML = data.html.trim(); // server-rendered, escaped template output
        var fresh = tpl.content.firstElementChild;
        if (!fresh) return;
        if (el.hasAttribute("data-optimistic")) fresh.setAttribute("data-optimistic", "");
        el.replaceWith(fresh);
        if (window.htmx) window.htmx.process(fresh);
        scrollDown();
      });
    }

    document.body.addEventListener("htmx:beforeRequest", function (ev) {
      var form = ev.detail.elt;
      if (!form || !form.matches || !form.matches("form[data-ask]")) return;
      var field = form.querySelector("[name=message]");
      var text = field ? field.value.trim() : "";
      if (!text) { ev.preventDefault(); if (field) field.focus(); return; }
      inFlight += 1;
      placeholder(text);
      var box = composer();
      if (box) box.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    });

    document.body.addEventListener("htmx:afterRequest", function (ev) {
      var form = ev.detail.elt;
      if (!form || !form.matches || !form.matches("form[data-ask]")) return;
      inFlight = Math.max(0, inFlight - 1);
      var ok = ev.detail.successful;
      /* The server's messages replace the optimistic ones; an answer that already finished
         streaming keeps the server copy (same id, complete). */
      list.querySelectorAll("[data-optimistic]").forEach(function (el) {
        if (!el.id || !ok) { el.remove(); return; }
        var copies = list.querySelectorAll("#" + el.id);
        // Drop the optimistic copy only when the server's copy is as far along (not pending).
        if (copies.length > 1 && (el.classList.contains("amsg--pending")
            || !copies[copies.length - 1].classList.contains("amsg--pending"))) el.remove();
      });
      var box = composer();
      if (box) {
        box.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
        if (ok && form === box) {
          var input = box.querySelector("textarea");
          input.value = "";
          input.style.height = "";
          var errs = box.querySelector(".composer__errors");
          if (errs) errs.remove();
          input.focus();
        }
      }
      root.dataset.conversationId = conversationId() || "";
      scrollDown();
    });

    /* The server's copy of the exchange has been appended: drop the optimistic question and
       any earlier element with the same id (a bubble that streamed before the response).
       Done here and not only in afterRequest: a starter chip's form is removed from the page
       by the same response, and events on a detached form never reach the body. */
    list.addEventListener("htmx:afterSwap", function () {
      list.querySelectorAll("[data-optimistic]:not([id])").forEach(function (el) { el.remove(); });
      /* Keep one element per message: a finished answer (it may have streamed in before the
         response, which was rendered while it was still pending) wins over a pending copy;
         otherwise the server's latest copy wins. */
      var byId = {};
      Array.prototype.slice.call(list.children).forEach(function (el) {
        if (!el.id) return;
        (byId[el.id] = byId[el.id] || []).push(el);
      });
      Object.keys(byId).forEach(function (id) {
        var copies = byId[id];
        if (copies.length < 2) return;
        var keep = copies.filter(function (el) { return !el.classList.contains("amsg--pending"); })[0]
          || copies[copies.length - 1];
        copies.forEach(function (el) { if (el !== keep) el.remove(); });
      });
      inFlight = 0;
      var box = composer();
      if (box) box.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
      root.dataset.conversationId = conversationId() || "";
      scrollDown();
    });

    function bindComposer() {
      var box = composer();
      if (!box || box.dataset.bound) return;
      box.dataset.bound = "1";
      var input = box.querySelector("textarea");
      input.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
          ev.preventDefault();
          if (box.requestSubmit) box.requestSubmit(); else box.submit();
        }
      });
      input.addEventListener("input", function () {
        input.style.height = "auto";
        input.style.height = Math.min(input.scrollHeight, window.innerHeight * 0.4) + "px";
      });
    }
    bindComposer();
    document.body.addEventListener("htmx:afterSettle", bindComposer);
    scrollDown();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
