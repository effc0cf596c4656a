// In-page navigation in the path player (issue 17): a click on a step link (the list of steps, its
// Extra detours, the pager, the arrow keys through player.js) fetches that step's page and swaps
// the player's parts in place, so the Python worker and the imported engine live on for the visit.
//
// The step is fetched as the whole page (a plain GET of its URL, the same bytes a full load gets:
// the memoised visitor/student pages stay what they are and the service worker caches it under its
// URL) and the parts are taken out of it: the list of steps, the article, the pager, the title and
// the languages. Then history.pushState, the focus on the new heading, a polite announcement, and
// `document.dispatchEvent(new CustomEvent("lp:navigated", {detail: {url, root}}))` (root: the new
// article) for every script that works on the content (questions, math, tables, cells, player).
// Back/forward swap the same way. Without JavaScript, for ctrl/cmd/shift/middle clicks and whenever
// something goes wrong (an error page, another build's runtime, no network), it is a full load.
(function () {
  "use strict";
  const gettext = typeof window.gettext === "function" ? window.gettext : function (msgid) { return msgid; };
  const interpolate = typeof window.interpolate === "function" ? window.interpolate
    : function (fmt, obj) { return fmt.replace(/%\(\w+\)s/g, function (m) { return String(obj[m.slice(2, -2)]); }); };
  const player = document.querySelector(".player");
  if (!player || !window.fetch || !window.DOMParser || !history.pushState) return;

  // Steps of this path: /paths/<hruid>/<language>/<step>/ (the player's own URLs).
  const prefix = "/paths/" + encodeURIComponent(player.dataset.path) + "/" + player.dataset.language + "/";
  let shown = location.pathname + location.search; // the step the page shows now
  let pending = null; // AbortController of the fetch under way

  const announcer = document.createElement("p");
  announcer.className = "visually-hidden lp-nav-status";
  announcer.setAttribute("role", "status");
  announcer.setAttribute("aria-live", "polite");
  player.appendChild(announcer);

  function isStepUrl(url) {
    return url.origin === location.origin && url.pathname.startsWith(prefix) && url.pathname !== prefix;
  }

  let replacing = false; // back/forward: a full load replaces the entry instead of adding one

  function fullLoad(url) {
    if (replacing) location.replace(url);
    else location.assign(url);
  }

  /** Bring the new document's stylesheets and runtime configuration that this one lacks. */
  function adoptHead(doc) {
    const have = new Set(Array.from(document.querySelectorAll("link[rel=stylesheet]"), function (l) { return l.href; }));
    doc.querySelectorAll("head link[rel=stylesheet]").forEach(function (link) {
      if (!have.has(link.href)) document.head.appendChild(document.importNode(link, true));
    });
    const config = doc.getElementById("lp-runtime-config");
    const mine = document.getElementById("lp-runtime-config");
    if (config && !mine) document.head.appendChild(document.importNode(config, true));
  }

  /** Whether two runtime configurations (JSON script elements, or null) are of the same build:
   * equal but for bootEarly (true on steps with cells, false on steps with only widgets). */
  function sameRuntime(theirs, mine) {
    if (!theirs || !mine) return true;
    try {
      const a = JSON.parse(theirs.textContent);
      const b = JSON.parse(mine.textContent);
      delete a.bootEarly;
      delete b.bootEarly;
      return JSON.stringify(a) === JSON.stringify(b);
    } catch {
      return false;
    }
  }

  /** A runtime module the new step needs and this document has not loaded yet (its URL), or null. */
  function runtimeToLoad(doc) {
    const script = doc.querySelector('script[type="module"][src*="/runtime/index.js"]');
    if (!script || window.lpRuntime) return null;
    return new URL(script.getAttribute("src"), location.href).href;
  }

  function swap(doc) {
    const parts = [".path-nav", "article.learning-object", ".pager"];
    const fresh = parts.map(function (sel) { return doc.querySelector(".player " + sel); });
    const old = parts.map(function (sel) { return player.querySelector(sel); });
    if (fresh.some(function (n) { return !n; }) || old.some(function (n) { return !n; })) return null;
    const scroll = old[0].scrollTop;
    const nodes = fresh.map(function (n, i) {
      const node = document.importNode(n, true);
      old[i].replaceWith(node);
      return node;
    });
    nodes[0].scrollTop = scroll; // the list of steps stays where the student had it
    const newPlayer = doc.querySelector(".player");
    player.dataset.path = newPlayer.dataset.path;
    player.dataset.language = newPlayer.dataset.language;
    document.title = doc.title;
    document.documentElement.lang = doc.documentElement.lang;
    // The header's language switch comes back to the step shown now.
    const next = document.querySelector(".lang-switch input[name=next]");
    const newNext = doc.querySelector(".lang-switch input[name=next]");
    if (next && newNext) next.value = newNext.value;
    document.querySelectorAll("main > ul.messages").forEach(function (m) { m.remove(); });
    return nodes[1];
  }

  function focusHeading(article) {
    const heading = article.querySelector("h1, h2, h3") || article;
    if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: true });
    return heading;
  }

  async function go(href, push) {
    const url = new URL(href, location.href);
    if (pending) pending.abort();
    const controller = (pending = new AbortController());
    replacing = !push;
    player.setAttribute("aria-busy", "true");
    let doc;
    let finalUrl;
    try {
      const response = await fetch(url.href, { credentials: "same-origin", signal: controller.signal, headers: { Accept: "text/html" } });
      finalUrl = new URL(response.url || url.href);
      if (!response.ok || !/text\/html/.test(response.headers.get("Content-Type") || "") || !isStepUrl(finalUrl)) {
        return fullLoad(finalUrl.href);
      }
      doc = new DOMParser().parseFromString(await response.text(), "text/html");
    } catch (err) {
      if (err && err.name === "AbortError") return;
      return fullLoad(url.href);
    } finally {
      if (pending === controller) {
        pending = null;
        player.removeAttribute("aria-busy");
      }
    }
    if (controller.signal.aborted) return;
    // Another build's runtime (a new engine wheel): this page's worker does not fit that step.
    if (!sameRuntime(doc.getElementById("lp-runtime-config"), document.getElementById("lp-runtime-config"))) {
      return fullLoad(finalUrl.href);
    }
    const moduleUrl = runtimeToLoad(doc);
    adoptHead(doc);
    const root = swap(doc);
    if (!root) return fullLoad(finalUrl.href);
    shown = finalUrl.pathname + finalUrl.search;
    if (push) history.pushState({ lpStep: shown }, "", finalUrl.href + url.hash);
    else if (finalUrl.href !== location.href.split("#")[0]) history.replaceState({ lpStep: shown }, "", finalUrl.href);
    window.scrollTo(0, 0);
    const heading = focusHeading(root);
    announcer.textContent = interpolate(gettext("Now showing: %(title)s"), { title: (heading.textContent || doc.title).trim() }, true);
    if (moduleUrl) {
      // The first step with cells or widgets of this visit: its module mounts on the content itself.
      try { await import(moduleUrl); } catch (err) { console.error(err); return fullLoad(finalUrl.href); }
    }
    document.dispatchEvent(new CustomEvent("lp:navigated", { detail: { url: finalUrl.href, root: root } }));
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    const link = event.target.closest && event.target.closest("a[href]");
    if (!link || !player.contains(link) || !link.closest(".path-nav, .pager")) return;
    if (link.target && link.target !== "_self") return;
    if (link.hasAttribute("download")) return;
    const url = new URL(link.href, location.href);
    if (!isStepUrl(url)) return;
    event.preventDefault();
    if (url.pathname + url.search === shown) return;
    go(url.href, true);
  });

  history.replaceState(Object.assign({}, history.state, { lpStep: shown }), "");
  window.addEventListener("popstate", function () {
    const now = location.pathname + location.search;
    if (now === shown) return; // a change of the hash only
    if (!isStepUrl(new URL(location.href))) return location.reload();
    go(location.href, false);
  });

  // For tests and the bench: navigate as a click would.
  window.lpNavigate = function (href) { return go(href, true); };
})();
