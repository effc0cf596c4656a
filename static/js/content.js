/* Math (KaTeX), code highlighting (highlight.js) and Blockly programs for content pages, all served
 * by the site. Loaded on every content page; each library is fetched only when the page needs it.
 *   math:  span.math.inline, div.math.display (TeX inside, with or without its \( \) / \[ \]
 *          delimiters), and \( \), \[ \], $$ $$ in the text
 *   code:  code[class^=language-] outside runnable cells (cells have their own editor)
 *   Blockly: figure.lp-blockly, drawn read-only by blockly.js (data-blockly on this script tag)
 * A step the path player swaps in (`lp:navigated`, detail.root) is rendered the same way; a root
 * is rendered once (root.dataset.lpContent), each library loaded once.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var vendor = (script && script.dataset.vendor) || "/static/vendor/";
  var blocklyViewer = script && script.dataset.blockly;
  var BLOCKLY_LANGUAGES = ["en", "nl", "fr", "de"];  // the messages vendored (runtime/assets.py)
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

  function renderBlockly(figures) {
    var lang = ((figures[0].closest("[lang]") || document.documentElement).lang || "en").slice(0, 2);
    if (BLOCKLY_LANGUAGES.indexOf(lang) < 0) lang = "en";
    loadScript(vendor + "blockly/blockly_compressed.js")
      .then(function () { return loadScript(vendor + "blockly/blocks_compressed.js"); })
      .then(function () { return loadScript(vendor + "blockly/msg/" + lang + ".js"); })
      .then(function () { return loadScript(blocklyViewer); })
      .then(function () {
        return Promise.all(Array.prototype.map.call(figures, function (figure) {
          return window.lpBlockly.render(figure, { media: vendor + "blockly/media/" });
        }));
      })
      .catch(function (err) { console.warn("Blockly unavailable:", err); });
  }

  function renderPrograms(root) {
    var figures = root.querySelectorAll("figure.lp-blockly");
    if (figures.length && blocklyViewer) renderBlockly(figures);
  }

  var first = document.querySelector("article.learning-object") || document.body;
  render(first);
  renderPrograms(first);
  document.addEventListener("lp:navigated", function (event) {
    if (!event.detail || !event.detail.root) return;
    render(event.detail.root);
    renderPrograms(event.detail.root);
  });
})();
