/*
 * The service worker: lessons and the Python runtime keep working offline once visited.
 *
 * Served by learningpaths/learning/views_offline.py at /sw.js (scope: the whole site), with its
 * configuration in front as self.LP_SW (learning/offline.py: worker_config):
 *   version       changes with every content or static build: a new worker installs, and its
 *                 activate removes every older cache;
 *   filesVersion  changes with the static build only (names the cache of the runtime files);
 *   offlineURL    the page shown for a page that was never stored; never, runtime: see below.
 *
 * Strategies:
 *   cache first    files whose URL changes with their content: /static/vendor/, the engine wheel
 *                  and bytecode (content hash in the name), Pyodide (version in the path),
 *                  ManifestStaticFilesStorage's hashed names;
 *   network first  pages (navigations and the player's in-page step fetches, stored under their
 *                  URL whatever headers they carry; the X-LP-Partial variant is stored apart and
 *                  falls back on the full page), other static files, the JS catalogue; the
 *                  stored copy when the network is down, or slower than NETWORK_WAIT_MS;
 *   never          anything but GET, other hosts, LP_SW.never (api, accounts, classes, admin,
 *                  answers, language switch), responses that are no-store or private, redirects.
 * A POST to accounts/ or i18n/ (sign in or out, another language) empties the page cache: the
 * pages carry the user's name and language, and the next person on a shared computer must not
 * see them.
 */
"use strict";

const CONFIG = self.LP_SW;
const PAGES = "lp-pages-" + CONFIG.version;
const FILES = "lp-files-" + CONFIG.filesVersion;
const NETWORK_WAIT_MS = 6000;
const PARTIAL_HEADER = "X-LP-Partial";
const HASHED_NAME = /\.[0-9a-f]{12}\.[A-Za-z0-9]+$/;

function isImmutable(url) {
  const p = url.pathname;
  return (
    p.startsWith(CONFIG.staticURL + "vendor/") ||
    p.startsWith(CONFIG.staticURL + "engine/engine-") ||
    p.startsWith("/runtime/pyodide/") ||
    p.startsWith("/runtime/pyc/") ||
    p.startsWith("/runtime/engine/engine-") ||
    (p.startsWith(CONFIG.staticURL) && HASHED_NAME.test(p))
  );
}

function isFile(url) {
  return url.pathname.startsWith(CONFIG.staticURL) || url.pathname.startsWith("/runtime/") ||
    url.pathname.startsWith("/jsi18n/");
}

function route(request) {
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return null;
  if (request.headers.has("Range")) return null;
  if (CONFIG.never.some((prefix) => url.pathname.startsWith(prefix))) return null;
  if (url.pathname === "/sw.js" || url.pathname.endsWith("/offline.json")) return null;
  if (isImmutable(url)) return "cache-first";
  return "network-first";
}

function storable(response) {
  if (!response || response.status !== 200 || response.type !== "basic" || response.redirected) return false;
  return !/no-store|private/i.test(response.headers.get("Cache-Control") || "");
}

// A page's key is its URL; the partial variant (if the player asks for one) has its own.
function pageKey(request) {
  if (request.headers.get(PARTIAL_HEADER) !== "1") return request.url;
  return request.url + (request.url.includes("?") ? "&" : "?") + "lp-partial=1";
}

async function put(cacheName, key, response) {
  const cache = await caches.open(cacheName);
  await cache.put(key, response);
}

async function cacheFirst(request) {
  const cache = await caches.open(FILES);
  const hit = await cache.match(request.url, { ignoreVary: true });
  if (hit) return hit;
  const response = await fetch(request);
  if (storable(response)) await cache.put(request.url, response.clone());
  return response;
}

async function fromCache(request) {
  const store = isFile(new URL(request.url)) ? FILES : PAGES;
  const cache = await caches.open(store);
  const key = pageKey(request);
  return (await cache.match(key, { ignoreVary: true })) ||
    (key !== request.url ? await cache.match(request.url, { ignoreVary: true }) : undefined);
}

async function offlineAnswer(request) {
  const wantsPage = request.mode === "navigate" || request.headers.get(PARTIAL_HEADER) === "1" ||
    (request.headers.get("Accept") || "").includes("text/html");
  const page = wantsPage ? await caches.match(CONFIG.offlineURL, { cacheName: PAGES, ignoreVary: true }) : null;
  if (!page) return Response.error();
  return new Response(page.body, { status: 503, statusText: "Offline", headers: page.headers });
}

function networkFirst(event, request) {
  const store = isFile(new URL(request.url)) ? FILES : PAGES;
  const network = fetch(request).then((response) => {
    if (storable(response)) {
      const copy = response.clone();
      event.waitUntil(put(store, pageKey(request), copy));
    }
    return response;
  });
  // A slow network (a classroom's Wi-Fi) waits at most NETWORK_WAIT_MS when a copy is stored.
  const slow = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT_MS)).then(() => fromCache(request));
  return Promise.race([network, slow.then((hit) => hit || network)]).catch(async () => {
    return (await fromCache(request)) || offlineAnswer(request);
  });
}

async function storeOfflinePage() {
  const response = await fetch(CONFIG.offlineURL, { credentials: "same-origin" });
  if (response.ok) await put(PAGES, CONFIG.offlineURL, response);
}

// Fetch and store one URL the way its strategy would (messages from offline.js).
async function store(url, prefetch) {
  const request = new Request(url, { credentials: "same-origin", headers: prefetch ? { "X-LP-Prefetch": "1" } : {} });
  const strategy = route(request);
  if (!strategy) return false;
  if (strategy === "cache-first") {
    const response = await cacheFirst(request);
    return response.ok;
  }
  const response = await fetch(request);
  if (!storable(response)) return false;
  await put(isFile(new URL(url)) ? FILES : PAGES, url, response);
  return true;
}

self.addEventListener("install", (event) => {
  event.waitUntil(storeOfflinePage().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((n) => n.startsWith("lp-") && n !== PAGES && n !== FILES).map((n) => caches.delete(n)),
      ))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    const path = new URL(request.url).pathname;
    if (path.startsWith("/accounts/") || path.startsWith("/i18n/")) {
      // After the answer (the new session's cookie is set), so the offline page is the new one.
      event.respondWith(fetch(request).then((response) => {
        event.waitUntil(caches.delete(PAGES).then(storeOfflinePage).catch(() => {}));
        return response;
      }));
    }
    return;
  }
  const strategy = route(request);
  if (strategy === "cache-first") event.respondWith(cacheFirst(request).catch(() => Response.error()));
  else if (strategy === "network-first") event.respondWith(networkFirst(event, request));
});

// offline.js: {type: "store", urls, prefetch, runtime, id} (runtime: LP_SW.runtime too) -> {type: "stored", id, url, ok} per URL, then
// {type: "done", id, ok: count, failed: count}.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "store" || !Array.isArray(data.urls)) return;
  const reply = (message) => { if (event.source) event.source.postMessage({ id: data.id, ...message }); };
  const pages = new Set(data.prefetch || []);
  event.waitUntil((async () => {
    let ok = 0;
    let failed = 0;
    // Four at a time: a 21-step path with its runtime is about 40 requests.
    const queue = data.urls.slice();
    if (data.runtime) queue.push(...CONFIG.runtime.map((u) => new URL(u, self.location.href).href));
    async function next() {
      while (queue.length) {
        const url = queue.shift();
        const stored = await store(url, pages.has(url)).catch(() => false);
        if (stored) ok += 1; else failed += 1;
        reply({ type: "stored", url, ok: stored });
      }
    }
    await Promise.all([next(), next(), next(), next()]);
    reply({ type: "done", ok, failed });
  })());
});
