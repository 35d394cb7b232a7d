/* Haowu 好物 — counts an article's page view and which product blocks readers saw.
   One page view per load; a block counts once per load, the first time one of its
   offers is at least half visible. Batched and sent with navigator.sendBeacon to
   POST /a/beacon/ as {"article": id, "view": bool, "impressions": [{block, type, position}]}. */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script) return;
  var article = parseInt(script.getAttribute("data-article"), 10);
  var endpoint = script.getAttribute("data-endpoint");
  if (!article || !endpoint) return;

  var MAX_BATCH = 100;
  var viewPending = true;
  var queue = [];
  var seen = {};
  var timer = null;

  function send(body) {
    var json = JSON.stringify(body);
    if (navigator.sendBeacon) {
      // A string is sent as text/plain, which needs no CORS preflight; the server reads it as JSON.
      if (navigator.sendBeacon(endpoint, json)) return;
    }
    if (window.fetch) {
      fetch(endpoint, {
        method: "POST", body: json, keepalive: true, credentials: "same-origin",
        headers: { "Content-Type": "application/json" }
      }).catch(function () {});
    }
  }

  function flush() {
    if (timer) { window.clearTimeout(timer); timer = null; }
    while (viewPending || queue.length) {
      send({ article: article, view: viewPending, impressions: queue.splice(0, MAX_BATCH) });
      viewPending = false;
    }
  }

  function later() {
    if (!timer) timer = window.setTimeout(flush, 2000);
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flush();
  });
  window.addEventListener("pagehide", flush);

  var offers = document.querySelectorAll("[data-hw-block]");
  if (!("IntersectionObserver" in window) || !offers.length) { flush(); return; }

  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting || entry.intersectionRatio < 0.5) return;
      var el = entry.target;
      var block = el.getAttribute("data-hw-block");
      observer.unobserve(el);
      if (!block || seen[block]) return;
      seen[block] = true;
      var position = parseInt(el.getAttribute("data-hw-position"), 10);
      queue.push({ block: block, type: el.getAttribute("data-hw-type") || "", position: position > 0 ? position : null });
      later();
    });
  }, { threshold: [0.5] });
  offers.forEach(function (el) { observer.observe(el); });
  later();  // the page view goes out soon even if no block is ever seen
})();
