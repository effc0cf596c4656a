// Folding on a phone: a `button.disclosure-toggle[aria-controls]` (rendered `hidden`, so that
// without this script everything stays open) shows and hides the region it controls. The state is
// the button's aria-expanded and the region's data-folded; site.css folds only on narrow screens, so
// on a desktop the region is always shown and the button is not. Escape in an open region folds
// it and gives the keyboard back to its button. Used by the header's menu and the player's list of
// steps; a list swapped in by navigate.js (`lp:navigated`) comes folded, as the step was chosen.
(function () {
  "use strict";
  function set(button, region, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    region.dataset.folded = open ? "false" : "true";
  }

  function init(root) {
    root.querySelectorAll("button.disclosure-toggle[aria-controls]").forEach(function (button) {
      const region = document.getElementById(button.getAttribute("aria-controls"));
      if (!region || button.dataset.lpDisclosure) return;
      button.dataset.lpDisclosure = "ready";
      set(button, region, button.dataset.startOpen === "true"); // open from the start when it holds a choice made
      button.hidden = false;
      button.addEventListener("click", function () {
        set(button, region, button.getAttribute("aria-expanded") !== "true");
      });
      region.addEventListener("keydown", function (event) {
        if (event.key !== "Escape" || button.getAttribute("aria-expanded") !== "true") return;
        if (getComputedStyle(button).display === "none") return; // a desktop: nothing folds
        set(button, region, false);
        button.focus();
      });
    });
  }
  init(document);
  document.addEventListener("lp:navigated", function () { init(document); });
})();
