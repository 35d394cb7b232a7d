/* Haowu 好物 — small enhancements. Every page works without this file:
   hotspots and gallery thumbnails are plain anchor links (:target does the highlighting). */
(function () {
  "use strict";

  // Shop the look: hovering or focusing a dot (or its card) highlights the pair.
  document.querySelectorAll("[data-look]").forEach(function (look) {
    var pinned = null;  // the spot last clicked stays marked after the pointer leaves
    function setActive(number) {
      look.querySelectorAll("[data-spot]").forEach(function (el) {
        el.classList.toggle("is-active", el.getAttribute("data-spot") === number);
      });
    }
    look.querySelectorAll("[data-spot]").forEach(function (el) {
      var number = el.getAttribute("data-spot");
      el.addEventListener("mouseenter", function () { setActive(number); });
      el.addEventListener("focusin", function () { setActive(number); });
      el.addEventListener("mouseleave", function () { setActive(pinned); });
    });
    look.querySelectorAll(".hotspot").forEach(function (dot) {
      dot.addEventListener("click", function (event) {
        var card = look.querySelector("#" + CSS.escape(dot.hash.slice(1)));
        if (!card) return;
        event.preventDefault();
        pinned = dot.getAttribute("data-spot");
        setActive(pinned);
        card.scrollIntoView({ behavior: "smooth", block: "nearest" });
        history.replaceState(null, "", dot.hash);
      });
    });
  });

  // Product gallery: thumbnails scroll the strip sideways instead of jumping the page.
  document.querySelectorAll("[data-gallery]").forEach(function (gallery) {
    var strip = gallery.querySelector(".gallery__main");
    var thumbs = gallery.querySelectorAll(".gallery__thumbs a");
    if (!strip) return;
    function mark(index) {
      thumbs.forEach(function (thumb, i) {
        if (i === index) thumb.setAttribute("aria-current", "true");
        else thumb.removeAttribute("aria-current");
      });
    }
    thumbs.forEach(function (thumb, index) {
      thumb.addEventListener("click", function (event) {
        event.preventDefault();
        strip.scrollTo({ left: strip.clientWidth * index, behavior: "smooth" });
        mark(index);
      });
    });
    strip.addEventListener("scroll", function () {
      mark(Math.round(strip.scrollLeft / Math.max(strip.clientWidth, 1)));
    }, { passive: true });
  });
})();
