/* Haowu 好物 — the personal parts of a page. Pages are cached and shared between readers,
   so they carry no cart count, account state, consent banner state or CSRF token: one
   GET /api/session per page view brings them, and this file fills them in. Other scripts
   wait for window.haowuSession (a promise of the answer) before posting a form. */
(function () {
  "use strict";

  var script = document.currentScript;
  var endpoint = (script && script.getAttribute("data-endpoint")) || "/api/session";
  if (!window.fetch || !window.Promise) return;

  function fillForms(token) {
    document.querySelectorAll("form[method=post], form[method=POST]").forEach(function (form) {
      var action = form.getAttribute("action") || "";
      if (/^[a-z]+:/i.test(action) && action.indexOf(location.origin) !== 0) return;  // not ours
      var field = form.querySelector("input[name=csrfmiddlewaretoken]");
      if (!field) {
        field = document.createElement("input");
        field.type = "hidden";
        field.name = "csrfmiddlewaretoken";
        form.insertBefore(field, form.firstChild);
      }
      field.value = token;
    });
  }

  function show(session) {
    document.querySelectorAll("[data-cart-count]").forEach(function (badge) {
      badge.textContent = String(session.cart_count);
      badge.hidden = !session.cart_count;
    });
    if (session.signed_in) {
      document.querySelectorAll("[data-session-account]").forEach(function (link) {
        link.href = link.getAttribute("data-account-href");
        link.textContent = link.getAttribute("data-account-label");
        link.title = session.name;
      });
    }
    document.querySelectorAll("[data-consent]").forEach(function (banner) {
      banner.hidden = !session.consent_needed;
    });
  }

  window.haowuSession = fetch(endpoint, {
    credentials: "same-origin",
    headers: { "Accept": "application/json" }
  })
    .then(function (response) {
      if (!response.ok) throw new Error("session " + response.status);
      return response.json();
    })
    .then(function (session) {
      fillForms(session.csrf_token);
      show(session);
      return session;
    });
  window.haowuSession.catch(function () { /* forms still post; the server asks to confirm */ });
})();
