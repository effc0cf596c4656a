// A content table wider than its column scrolls on its own (site.css, .learning-object table).
// While it scrolls it takes the keyboard focus, so that the keyboard can scroll it too (WCAG 2.1.1;
// axe's scrollable-region-focusable); the tables come from the compiler, so the page marks them.
(function () {
  "use strict";
  function mark(table) {
    const scrolls = getComputedStyle(table).overflowX === "auto" && table.scrollWidth > table.clientWidth + 1;
    if (scrolls && !table.hasAttribute("tabindex")) {
      table.tabIndex = 0;
      table.dataset.lpScrolls = "";
    } else if (!scrolls && table.dataset.lpScrolls !== undefined) {
      table.removeAttribute("tabindex");
      delete table.dataset.lpScrolls;
    }
  }
  // A table's box changes when the window does and when its content grows (math typeset later).
  const observer = new ResizeObserver((entries) => entries.forEach((entry) => mark(entry.target)));
  // The page's tables, and those of a step the path player swaps in (`lp:navigated`); once each.
  function watch(root) {
    const tables = root.matches && root.matches(".learning-object") ? root.querySelectorAll("table")
      : root.querySelectorAll(".learning-object table");
    tables.forEach((table) => {
      if (table.dataset.lpWatched) return;
      table.dataset.lpWatched = "";
      observer.observe(table);
    });
  }
  watch(document);
  document.addEventListener("lp:navigated", (event) => event.detail && event.detail.root && watch(event.detail.root));
})();
