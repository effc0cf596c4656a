// Load a deferred third-party iframe (see learningpaths/paths/embeds.py) when the student asks.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest(".lp-embed-load");
    if (!button) return;
    const consent = button.closest(".lp-embed-consent");
    const frame = consent && consent.nextElementSibling;
    if (!frame || frame.tagName !== "IFRAME" || !frame.dataset.lpSrc) return;
    frame.src = frame.dataset.lpSrc;
    frame.hidden = false;
    consent.remove();
    frame.focus();
  });
})();
