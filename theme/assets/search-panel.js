/* The search page's filter panel, around assets/search.js (which redraws the
   panel after every search): on a phone, choosing a filter closes the panel and
   brings the results into view; keyboard focus stays on the control used
   (the same filter, the first value "更多" revealed, or on a phone the panel's
   summary, the control left on screen) instead of dropping to the page body.
   Uses only the page's data-search-* attributes. */
(function () {
  "use strict";
  var root = document.querySelector("[data-search]");
  var box = root && root.querySelector("[data-search-facets]");
  var body = box && box.querySelector("[data-search-facets-body]");
  if (!body) return;
  var summary = box.querySelector("summary");
  var wide = window.matchMedia("(min-width: 60em)");
  var used = null;

  function facetName(el) {
    var group = el.closest(".bl-facet");
    var name = group && group.querySelector(".bl-facet__name");
    return name ? name.textContent : "";
  }


  function label(a) {
    var l = a.querySelector(".bl-facet__label");
    return l ? l.textContent : a.textContent;
  }

  /** What the reader used, so that it can be found again in the redrawn panel. */
  function describe(el) {
    if (el.hasAttribute("data-expand")) {
      var shown = el.closest(".bl-facet").querySelectorAll("a.bl-facet__value").length;
      return { facet: facetName(el), index: shown };
    }
    if (el.closest(".bl-facet__clear")) return { clear: true };
    return { facet: facetName(el), label: label(el) };
  }

  function find(d) {
    var groups = body.querySelectorAll(".bl-facet");
    for (var i = 0; i < groups.length; i++) {
      if (facetName(groups[i]) !== d.facet) continue;
      var values = groups[i].querySelectorAll("a.bl-facet__value");
      if (d.index !== undefined) return values[d.index] || values[values.length - 1] || null;
      for (var j = 0; j < values.length; j++) if (label(values[j]) === d.label) return values[j];
    }
    return null;
  }

  function restore() {
    if (!used) return;
    var target = !wide.matches && used.index === undefined ? summary : find(used) || summary;
    used = null;
    if (target && (box.open || target === summary)) target.focus({ preventScroll: !wide.matches });
  }

  root.addEventListener("click", function (e) {
    var el = e.target.closest("a[data-nav], [data-expand]");
    if (!el || !body.contains(el) || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    used = describe(el);
    if (!wide.matches && !el.hasAttribute("data-expand")) {
      box.open = false;
      if (summary) summary.focus({ preventScroll: true });
      root.scrollIntoView({ block: "start" });
    }
  });

  new MutationObserver(restore).observe(body, { childList: true });
})();
