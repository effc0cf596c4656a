/* Math (KaTeX) and code highlighting (highlight.js) for content pages, both served by the site.
 * Loaded on every content page; the libraries are fetched only when the page has math or code.
 *   math:  span.math.inline, div.math.display (TeX inside), and \( \), \[ \], $$ $$ in the text
 *   code:  code[class^=language-] outside runnable cells (cells have their own editor)
 * A step the path player swaps in (`lp:navigated`, detail.root) is rendered the same way; a root
 * is rendered once (root.dataset.lpContent), each library loaded once.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var vendor = (script && script.dataset.vendor) || "/static/vendor/";
  var loaded = {};

  function loadScript(src) {
    if (loaded[src]) return loaded[src];
    return (loaded[src] = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(s);
    }));
  }
  function loadCss(href) {
    if (document.querySelector('link[rel=stylesheet][href="' + href + '"]')) return;
    var l = document.createElement("link");
    l.rel = "stylesheet";
    l.href = href;
    document.head.appendChild(l);
  }

  function render(root) {
    if (root.dataset.lpContent) return;
    root.dataset.lpContent = "ready";
    var mathNodes = root.querySelectorAll("span.math.inline, div.math.display, span.math, div.math");
    var text = root.textContent || "";
    var hasDelimiters = /\\\(|\\\[|\$\$/.test(text);
    if (mathNodes.length || hasDelimiters) {
      loadCss(vendor + "katex/katex.min.css");
      loadScript(vendor + "katex/katex.min.js")
        .then(function () { return loadScript(vendor + "katex/contrib/auto-render.min.js"); })
        .then(function () {
          mathNodes.forEach(function (node) {
            if (node.dataset.lpMath) return;
            var display = node.classList.contains("display") || node.tagName === "DIV";
            var tex = node.textContent.trim().replace(/^\\\(|\\\)$|^\\\[|\\\]$|^\$\$|\$\$$/g, "");
            window.katex.render(tex, node, { displayMode: display, throwOnError: false });
            node.dataset.lpMath = "done";
          });
          if (hasDelimiters && window.renderMathInElement) {
            window.renderMathInElement(root, {
              delimiters: [
                { left: "$$", right: "$$", display: true },
                { left: "\\[", right: "\\]", display: true },
                { left: "\\(", right: "\\)", display: false },
              ],
              ignoredTags: ["script", "noscript", "style", "textarea", "pre", "code", "option"],
              ignoredClasses: ["lp-cell", "lp-cell-setup", "katex"],
              throwOnError: false,
            });
          }
          root.dataset.lpMath = "rendered";
        })
        .catch(function (err) { console.warn("math rendering unavailable:", err); });
    }

    var codes = Array.prototype.filter.call(
      root.querySelectorAll("code[class^='language-'], code[class*=' language-']"),
      function (c) { return !c.closest(".lp-cell, .lp-cell-setup"); });
    if (codes.length) {
      loadCss(vendor + "highlight/github.min.css");
      loadScript(vendor + "highlight/highlight.min.js")
        .then(function () {
          codes.forEach(function (c) { window.hljs.highlightElement(c); });
          root.dataset.lpHighlight = "done";
        })
        .catch(function (err) { console.warn("code highlighting unavailable:", err); });
    }
  }

  render(document.querySelector("article.learning-object") || document.body);
  document.addEventListener("lp:navigated", function (event) { if (event.detail && event.detail.root) render(event.detail.root); });
})();
