// Cookie banner: hide it when a choice exists (pages may come from a cache), and answer with
// fetch so the visitor stays where they are; without JS the form posts and redirects back.
(function () {
  "use strict";
  var banner = document.getElementById("cookie-banner");
  if (!banner) return;
  if (/(?:^|;\s*)nmx_cookies=(necessary|all)(?:;|$)/.test(document.cookie)) {
    banner.remove();
    return;
  }
  var form = banner.querySelector("form");
  if (!form || !window.fetch || !window.FormData) return;
  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (!submitter) return; // old browsers: let the form post normally
    event.preventDefault();
    var data = new FormData(form);
    data.set("choice", submitter.value);
    fetch(form.action, {method: "POST", body: data, credentials: "same-origin",
                        headers: {"X-Requested-With": "fetch"}})
      .then(function (resp) {
        if (!resp.ok) throw new Error(String(resp.status));
        banner.remove();
        document.dispatchEvent(new CustomEvent("nmx:cookies", {detail: {choice: submitter.value}}));
      })
      .catch(function () { form.submit(); });
  });
})();
