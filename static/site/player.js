// Path player: keyboard navigation, Dwengo-style deep links (#hruid;lang;version), returned values,
// and the pager after an answer (questions.js answers questions and emits `lp:answered`). A step
// swapped in by navigate.js (`lp:navigated`, detail.root: its article) is set up the same way. Served
// by the site itself; no external requests. Feedback comes from the server in the page's language; the few texts written here go through the JavaScript
// catalogue (/jsi18n/<language>/, loaded first by base.html), or stay English without it.
(function () {
  "use strict";
  const gettext = typeof window.gettext === "function" ? window.gettext : function (msgid) { return msgid; };
  const player = document.querySelector(".player");
  if (!player) return;

  // Dwengo links carry the step in the hash: /paths/H/L/#lo;lang;ver -> /paths/H/L/lo/
  const m = /^#([^;]+);([a-z]{2});(\d+)$/.exec(decodeURIComponent(location.hash));
  if (m) {
    const target = player.querySelector('.path-nav a[href$="/' + CSS.escape(m[1]) + '/"]');
    if (target) { location.replace(target.href); return; }
  }

  // Arrow keys move between steps, except while typing or inside a widget that uses them.
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const el = event.target;
    if (el.closest && el.closest("input, textarea, select, [contenteditable], .lp-widget, .lp-cell")) return;
    const rel = event.key === "ArrowRight" ? "next" : event.key === "ArrowLeft" ? "prev" : null;
    const link = rel && document.querySelector('.pager a[rel="' + rel + '"]');
    // A click, so that navigate.js swaps the step in place (or, without it, the link loads the page).
    if (link) { event.preventDefault(); link.click(); }
  });

  const csrf = (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || "";
  // A runnable cell with `returns=name` reports its value (e.g. the accuracy a student reached);
  // signed-in students' values are stored like answers, checked against the object's schema.
  function init(article) {
    if (!article || article.dataset.lpPlayer) return;
    article.dataset.lpPlayer = "ready";
    const returnUrl = article.dataset.returnUrl;
    if (returnUrl) {
      article.addEventListener("lp:return", async function (event) {
        const detail = event.detail || {};
        const value = {};
        value[detail.name] = detail.value;
        let note = event.target.querySelector(".lp-return-status");
        if (!note) {
          note = document.createElement("p");
          note.className = "lp-return-status meta";
          note.setAttribute("role", "status");
          event.target.appendChild(note);
        }
        try {
          const response = await fetch(returnUrl, {
            method: "POST", credentials: "same-origin",
            headers: {"Content-Type": "application/json", "X-CSRFToken": decodeURIComponent(csrf)},
            body: JSON.stringify({value: value}),
          });
          const body = await response.json().catch(function () { return {}; });
          note.textContent = body.message || body.detail || response.statusText;
        } catch {
          note.textContent = gettext("Could not reach the server to save your result.");
        }
      });
    }

    // `completion: run`: once every cell of the page has run without an error, the step can count
    // as done; the server stores that mark once (later posts change nothing).
    const ranUrl = article.dataset.ranUrl;
    if (ranUrl) {
      const succeeded = new Set();
      let sent = false;
      article.addEventListener("lp:done", function (event) {
        const detail = event.detail || {};
        if (sent || !detail.result || !detail.result.ok || detail.result.stopped) return;
        succeeded.add(detail.cell);
        if (succeeded.size < article.querySelectorAll("div.lp-cell").length) return;
        sent = true;
        fetch(ranUrl, {
          method: "POST", credentials: "same-origin",
          headers: {"Content-Type": "application/json", "X-CSRFToken": decodeURIComponent(csrf)},
          body: JSON.stringify({ok: true}),
        }).then(function (response) { if (!response.ok) sent = false; }).catch(function () { sent = false; });
      });
    }
  }
  init(player.querySelector("article.learning-object"));
  document.addEventListener("lp:navigated", function (event) { init(event.detail && event.detail.root); });

  // Where the path goes now that an answer exists (conditional transitions): the pager follows.
  player.addEventListener("lp:answered", function (event) {
    const body = (event.detail && event.detail.body) || {};
    if (!body.next_url) return;
    const pager = document.querySelector(".pager");
    if (!pager) return;
    let a = pager.querySelector('a[rel="next"]');
    if (!a) {
      a = document.createElement("a");
      a.rel = "next";
      const waiting = pager.querySelector(".needs-answer");
      if (waiting) waiting.replaceWith(a); else pager.appendChild(a);
    }
    a.href = body.next_url; a.textContent = body.next_title + " →";
  });
})();
