/* Haowu 好物 — autocomplete for every search box (form[data-autocomplete]).
   Without this file the box is a plain GET form to /search/. With it, typing asks
   /api/suggest (debounced) and shows a listbox of links: arrow keys move through it,
   Enter opens the chosen one, Escape closes it, and the field keeps focus throughout
   (ARIA 1.2 combobox with aria-activedescendant). */
(function () {
  "use strict";

  var DELAY_MS = 150;
  var MIN_CHARS = 1;

  document.querySelectorAll("form[data-autocomplete]").forEach(function (form) {
    var input = form.querySelector("input[role=combobox]");
    var list = form.querySelector("[role=listbox]");
    if (!input || !list) return;
    var endpoint = form.getAttribute("data-autocomplete");
    var timer = null;
    var controller = null;
    var active = -1;
    var lastQuery = "";

    function options() { return list.querySelectorAll("[role=option]"); }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function setActive(index) {
      var items = options();
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function render(suggestions) {
      list.textContent = "";
      suggestions.forEach(function (suggestion, i) {
        var item = document.createElement("li");
        item.id = list.id + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        var link = document.createElement("a");
        link.href = suggestion.url;
        link.textContent = suggestion.title;  // text, never HTML
        link.tabIndex = -1;
        item.appendChild(link);
        list.appendChild(item);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (suggestions.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
    }

    function fetchSuggestions() {
      var q = input.value.trim();
      if (q === lastQuery) return;
      lastQuery = q;
      if (q.length < MIN_CHARS) { render([]); return; }
      if (controller) controller.abort();
      controller = "AbortController" in window ? new AbortController() : null;
      fetch(endpoint + "?q=" + encodeURIComponent(q), {
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (suggestions) {
          if (input.value.trim() === q) render(Array.isArray(suggestions) ? suggestions : []);
        })
        .catch(function () { /* aborted or offline: the form still submits */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) { lastQuery = ""; fetchSuggestions(); return; }
        setActive(active + 1);
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        setActive(active - 1);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        window.location.assign(options()[active].querySelector("a").href);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });

    // A pointer on a suggestion must not blur the field before the click lands.
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
    input.addEventListener("focus", function () {
      if (list.children.length && input.value.trim() === lastQuery && lastQuery) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    });
  });
})();
