// Sends a form marked data-autosubmit as soon as the page is ready (an LTI deep-linking answer
// going back to the learning platform); its button stays for browsers without scripts.
(function () {
  "use strict";
  const form = document.querySelector("form[data-autosubmit]");
  if (form) {
    form.submit();
  }
})();
