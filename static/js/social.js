/* Community pages: live updates over the shared socket (NMX.on / NMX.send from app.js).
   - feed: "feed:new_post" shows the "new posts" pill (never reorders what the person reads);
   - a post page joins the post's room ("post:join") and refreshes its reactions and thread
     on "post:new_reaction" / "post:new_comment" by re-fetching the same partials htmx uses;
   - the composer shows the fields of the chosen post type and the number of photos. */
(function () {
  "use strict";
  var NMX = window.NMX || {};

  function onEvent(name, fn) {
    if (typeof NMX.on !== "function") return;
    NMX.on(name, fn);
  }

  // composer
  document.addEventListener("change", function (e) {
    var t = e.target;
    if (t.matches && t.matches("[data-composer-type]")) {
      var form = t.closest("[data-composer]");
      form.querySelectorAll("[data-composer-for]").forEach(function (el) {
        el.hidden = el.dataset.composerFor !== t.value;
      });
    }
    if (t.matches && t.matches("[data-composer-files]")) {
      var out = t.closest("[data-composer]").querySelector("[data-composer-filecount]");
      var n = t.files ? t.files.length : 0;
      if (out) out.textContent = n ? (n > 4 ? "máx. 4 · " : "") + n + " 📷" : "";
    }
  });

  // feed: the pill. It never reorders what the person is reading; a tap loads the top of the
  // feed into #feed-items and hides it again. Looked up on every event: htmx may swap the page.
  var fresh = 0;
  function pill() { return document.querySelector("[data-new-posts]"); }
  function bump() {
    var el = pill();
    if (!el) return;
    fresh += 1;
    el.hidden = false;
    var count = el.querySelector("[data-new-posts-count]");
    if (count) count.textContent = "(" + fresh + ")";
  }
  onEvent("feed:new_post", bump);
  onEvent("family_circle:new_post", bump);
  document.addEventListener("htmx:afterSwap", function (e) {
    if (e.detail && e.detail.target && e.detail.target.id === "feed-items") {
      var el = pill();
      if (el && e.detail.requestConfig && e.detail.requestConfig.elt === el) {
        el.hidden = true;
        fresh = 0;
        var count = el.querySelector("[data-new-posts-count]");
        if (count) count.textContent = "";
      }
    }
  });

  // a post page: join its room, refresh on live events
  var room = document.querySelector("[data-post-room]");
  if (room) {
    var postId = parseInt(room.dataset.postRoom, 10);
    var join = function () { if (NMX.send) NMX.send("post:join", { post_id: postId }); };
    document.addEventListener("nmx:ready", join);
    if (document.body.dataset.wsReady === "1") join();
    var refreshCard = function () {
      if (!window.htmx) return;
      window.htmx.ajax("GET", room.dataset.cardUrl, { target: "#post-" + postId + "-actions", select: "#post-" + postId + "-actions", swap: "outerHTML" });
    };
    var refreshThread = function () {
      if (!window.htmx) return;
      var typing = document.activeElement && document.activeElement.closest && document.activeElement.closest("#thread textarea");
      if (typing) return; // never wipe what the person is writing
      window.htmx.ajax("GET", room.dataset.threadUrl, { target: "#thread", swap: "outerHTML" });
    };
    onEvent("post:new_reaction", function (d) { if (d.post_id === postId) refreshCard(); });
    onEvent("post:new_comment", function (d) { if (d.post_id === postId) { refreshThread(); refreshCard(); } });
    onEvent("post:comment_deleted", function (d) { if (d.post_id === postId) refreshThread(); });
  }
})();
