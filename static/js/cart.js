/* Haowu 好物 — add to cart without leaving the article. Without this file every
   add-to-cart form still posts and the server sends the reader back with a message. */
(function () {
  "use strict";

  var toasts = document.querySelector("[data-toasts]");

  function toast(message, ok) {
    if (!toasts || !message) return;
    var note = document.createElement("p");
    note.className = "toast toast--" + (ok ? "success" : "error");
    note.textContent = message;
    toasts.appendChild(note);
    window.setTimeout(function () { note.classList.add("is-leaving"); }, 3500);
    window.setTimeout(function () { note.remove(); }, 4000);
  }

  function setCount(count) {
    document.querySelectorAll("[data-cart-count]").forEach(function (badge) {
      badge.textContent = String(count);
      badge.hidden = !count;
    });
    document.querySelectorAll("[data-cart-link]").forEach(function (link) {
      link.classList.remove("is-bumped");
      void link.offsetWidth;  // restart the animation
      link.classList.add("is-bumped");
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-cart-add]");
    if (!form || !window.fetch || !window.FormData) return;
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; button.setAttribute("aria-busy", "true"); }
    // The form's CSRF token comes from GET /api/session (static/js/session.js).
    (window.haowuSession || Promise.resolve())
      .then(function () {
        return fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
          headers: { "Accept": "application/json", "X-Requested-With": "XMLHttpRequest" }
        });
      })
      .then(function (response) {
        return response.json().then(function (data) { return data; });
      })
      .then(function (data) {
        toast(data.message, data.ok);
        if (data.ok && typeof data.count === "number") setCount(data.count);
      })
      .catch(function () {
        form.submit();  // fall back to the plain form post
      })
      .finally(function () {
        if (button) { button.disabled = false; button.removeAttribute("aria-busy"); }
      });
  });

  // Checkout: the review follows the chosen delivery (the server recomputes it anyway).
  var totals = document.querySelector("[data-totals]");
  var checkout = document.querySelector("form[data-checkout]");
  if (totals && checkout) {
    var subtotal = parseFloat(totals.getAttribute("data-subtotal")) || 0;
    var shippingOut = totals.querySelector("[data-shipping-total]");
    var grandOut = totals.querySelector("[data-grand-total]");
    var freeLabel = shippingOut ? shippingOut.getAttribute("data-free") : "";
    var money = function (value) {
      return "¥" + value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    };
    checkout.addEventListener("change", function (event) {
      var radio = event.target;
      if (radio.name !== "shipping_method") return;
      var shipping = parseFloat(radio.getAttribute("data-shipping-price")) || 0;
      if (shippingOut) shippingOut.textContent = shipping ? money(shipping) : freeLabel;
      if (grandOut) grandOut.textContent = money(subtotal + shipping);
    });
    checkout.addEventListener("submit", function () {
      var place = checkout.querySelector("[data-place-order]");
      // A second click would re-use the same checkout key anyway; this just says "working".
      if (place) window.setTimeout(function () { place.disabled = true; }, 0);
    });
  }
})();
