/*
 * Offline use (every page, from base.html): registers the service worker (/sw.js, see
 * static/site/sw.js), asks it to store what this page loaded before it was in control, and runs
 * the path player's "Get this path ready for offline use" button.
 *
 * Browsers allow a service worker only in a secure context (https, or localhost): elsewhere this
 * does nothing and the button stays hidden.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var workerURL = script && script.dataset.sw;
  if (!workerURL || !("serviceWorker" in navigator) || !window.isSecureContext) return;
  var gettext = typeof window.gettext === "function" ? window.gettext : function (msgid) { return msgid; };
  var interpolate = typeof window.interpolate === "function" ? window.interpolate
    : function (fmt, args) { return fmt.replace(/%\((\w+)\)s/g, function (m, k) { return args[k]; }); };
  var number = function (n) { return n.toLocaleString(document.documentElement.lang || undefined); };
  var nextId = 1;

  // The worker that controls this page, once there is one (the first visit: after activate).
  function controller() {
    if (navigator.serviceWorker.controller) return Promise.resolve(navigator.serviceWorker.controller);
    return new Promise(function (resolve) {
      navigator.serviceWorker.addEventListener("controllerchange", function () {
        resolve(navigator.serviceWorker.controller);
      }, { once: true });
    });
  }

  // Ask the worker to store ``urls`` (``prefetch``: pages fetched without counting as a visit);
  // ``onStored(url, ok)`` per URL; resolves to {ok, failed}.
  function store(urls, prefetch, onStored, runtime) {
    return controller().then(function (worker) {
      var id = nextId++;
      return new Promise(function (resolve) {
        function listen(event) {
          var data = event.data || {};
          if (data.id !== id) return;
          if (data.type === "stored" && onStored) onStored(data.url, data.ok);
          if (data.type === "done") {
            navigator.serviceWorker.removeEventListener("message", listen);
            resolve(data);
          }
        }
        navigator.serviceWorker.addEventListener("message", listen);
        worker.postMessage({ type: "store", id: id, urls: urls, prefetch: prefetch || [], runtime: !!runtime });
      });
    });
  }

  // Storing waits until the page has loaded and, where it boots Python, until Python is ready
  // (or failed, or a minute passed): on a first visit the worker's copies would otherwise compete
  // with the boot for the network.
  function quiet() {
    var loaded = document.readyState === "complete" ? Promise.resolve()
      : new Promise(function (resolve) { window.addEventListener("load", resolve, { once: true }); });
    if (!hasPython()) return loaded;
    return loaded.then(pythonReady);
  }

  // Whether this document boots Python: from <head> (boot.js, inline), or since a step with cells
  // was swapped in place (the runtime module then starts it without the boot script).
  function hasPython() {
    var lp = window.lpRuntime;
    return !!document.querySelector("script[data-lp-boot]") || !!(lp && lp.runtime && lp.runtime.generation > 0);
  }

  function pythonReady() {
    return new Promise(function (resolve) {
      setTimeout(resolve, 60000);
      function watch(lp) {
        var runtime = lp && lp.runtime;
        if (!runtime || runtime.readyAt || runtime.state === "error") return resolve();
        runtime.addEventListener("ready", function () { resolve(); });
        runtime.addEventListener("status", function (event) { if (event.detail.state === "error") resolve(); });
      }
      if (window.lpRuntime && window.lpRuntime.runtime) watch(window.lpRuntime);
      else document.addEventListener("lp:runtime", function (event) { watch(event.detail); }, { once: true });
    });
  }

  // This page and what it loaded (the first visit happened before the worker was in control;
  // later visits cost the worker a look-up each, nothing more).
  var runtimeStored = false; // asked the worker for the whole runtime during this visit

  function storeThisPage() {
    var urls = [location.href];
    performance.getEntriesByType("resource").forEach(function (entry) {
      if (entry.name.indexOf(location.origin + "/") === 0) urls.push(entry.name);
    });
    // A page with Python: the whole runtime (Pyodide, NumPy, the engine; the worker loads most
    // of it, and a worker's requests are not in this page's performance entries).
    runtimeStored = hasPython();
    return store(urls, [location.href], null, runtimeStored);
  }

  // --- The path player's button ---
  function setUpButton(box) {
    var button = box.querySelector("button");
    var bar = box.querySelector("progress");
    var status = box.querySelector("[role=status]");
    var manifestURL = box.dataset.lpOffline;
    var remembered = "lp-offline:" + manifestURL;
    box.hidden = false;

    function ready() {
      box.classList.add("is-ready");
      status.textContent = gettext("Ready offline ✓");
      button.textContent = gettext("Update the offline copy");
    }

    // Ready from an earlier visit when every page of the path is still in the cache.
    try {
      var saved = JSON.parse(localStorage.getItem(remembered) || "null");
      if (saved && saved.pages && window.caches) {
        Promise.all(saved.pages.map(function (u) { return caches.match(new URL(u, location.href).href); }))
          .then(function (hits) { if (hits.length && hits.every(Boolean)) ready(); });
      }
    } catch { /* storage refused (private mode): the button still works */ }

    button.addEventListener("click", function () {
      button.disabled = true;
      box.classList.remove("is-ready");
      bar.hidden = false;
      bar.value = 0;
      status.textContent = gettext("Getting the list of files…");
      fetch(manifestURL, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (manifest) {
          var abs = function (u) { return new URL(u, location.href).href; };
          var pages = manifest.pages.map(abs);
          var urls = pages.concat(manifest.files.map(abs));
          var done = 0;
          bar.max = urls.length;
          return store(urls, pages, function () {
            done += 1;
            bar.value = done;
            status.textContent = interpolateCount(done, urls.length);
          }).then(function (result) {
            if (result.failed) throw new Error("failed " + result.failed);
            try { localStorage.setItem(remembered, JSON.stringify({ version: manifest.version, pages: pages })); } catch { /* see above */ }
            ready();
          });
        })
        .catch(function () {
          status.textContent = gettext("Not everything could be saved. Try again when the connection is better.");
        })
        .then(function () {
          button.disabled = false;
          bar.hidden = true;
        });
    });
  }

  function interpolateCount(done, total) {
    return interpolate(gettext("Saving %(done)s of %(total)s files…"), { done: number(done), total: number(total) }, true);
  }

  // window.lpOffline.stored: resolves when this page's files are stored (the browser tests wait on it).
  window.lpOffline = {
    stored: navigator.serviceWorker.register(workerURL, { scope: "/" }).then(quiet).then(storeThisPage).catch(function () { return null; /* no worker (blocked, or refused): the site works online as before */ }),
  };

  function start() {
    var box = document.querySelector("[data-lp-offline]");
    if (box && !box.dataset.lpOfflineReady) {
      box.dataset.lpOfflineReady = "1";
      setUpButton(box);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();

  // In-page navigation (the player swaps the main region, see the lp:navigated contract): the
  // new step's full page is stored too (the player may have fetched only its partial variant),
  // and a swapped-in button is set up.
  document.addEventListener("lp:navigated", function (event) {
    var url = event.detail && event.detail.url;
    start();
    if (!url || !window.caches) return;
    var href = new URL(url, location.href).href;
    var root = event.detail.root;
    // The first step with cells of a visit that began without them: the runtime too, once ready.
    if (!runtimeStored && root && root.querySelector && root.querySelector("div.lp-cell")) {
      runtimeStored = true;
      pythonReady().then(function () { store([href], [href], null, true); });
      return;
    }
    caches.match(href).then(function (hit) { if (!hit) store([href], [href]); });
  });
})();
