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
    var data = new FormData(form);
    data.set(button.name, button.value);
    banner.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
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
