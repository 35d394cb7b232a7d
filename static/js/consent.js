/* Haowu 好物 — the consent banner without leaving the page. Without this file the
   banner's form posts to /consent/, which sets the cookie and sends the reader back. */
(function () {
  "use strict";

  var banner = document.querySelector("[data-consent]");
  var form = banner && banner.querySelector("form[data-consent-form]");
  if (!form || !window.fetch || !window.FormData) return;

  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button || !button.name) return;  // old browsers: let the form post
    event.preventDefault();
    banner.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    // The form's CSRF token comes from GET /api/session (static/js/session.js).
    (window.haowuSession || Promise.resolve()).then(function () {
      var data = new FormData(form);
      data.set(button.name, button.value);
      return fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      });
    })
      .then(function (response) {
        if (!response.ok) throw new Error("consent " + response.status);
        banner.hidden = true;
        banner.remove();
      })
      .catch(function () {
        banner.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
        form.submit();
      });
  });
})();
