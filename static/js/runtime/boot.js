/* Starts the Python worker from <head>, before the page's modules have loaded, on pages whose
 * content has cells or Python-backed widgets. Written inline into <head> (core/inline.py, which
 * also gives its hash to the CSP), so it runs as the parser reaches it. static/js/runtime/client.js adopts the worker
 * (and the messages it sent meanwhile) as soon as it runs. Classic script: no imports. */
(function () {
  "use strict";
  var node = document.getElementById("lp-runtime-config");
  if (!node || window.lpBoot || typeof Worker === "undefined") return;
  var config = JSON.parse(node.textContent);
  if (!config.bootEarly) return;
  var boot = { config: config, worker: null, buffer: [], listener: null, error: null }; // error: a boot-error message
  // The init message as the worker's name: it boots as its script runs (worker.js).
  var init = Object.assign({ type: "init" }, config, {
    controlled: !!(navigator.serviceWorker && navigator.serviceWorker.controller),
  });
  try {
    boot.worker = new Worker(config.workerURL, { name: JSON.stringify(init) });
  } catch {
    return; // the module runtime will try again and report the problem in the cells
  }
  boot.worker.onmessage = function (event) {
    if (boot.listener) boot.listener(event.data);
    else boot.buffer.push(event.data);
  };
  boot.worker.onerror = function (event) {
    event.preventDefault();
    // Without a message: a code that client.js translates (the texts live there).
    boot.error = event.message ? { type: "boot-error", error: event.message }
      : { type: "boot-error", error: "The Python worker could not start.", code: "worker" };
    if (boot.listener) boot.listener(boot.error);
  };
  window.lpBoot = boot;
})();
