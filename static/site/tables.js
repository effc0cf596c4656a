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
  const tables = document.querySelectorAll(".learning-object table");
  if (!tables.length) return;
  // A table's box changes when the window does and when its content grows (math typeset later).
  const observer = new ResizeObserver((entries) => entries.forEach((entry) => mark(entry.target)));
  tables.forEach((table) => observer.observe(table));
})();
