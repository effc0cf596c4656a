/* Blockly programs as read-only blocks: figure.lp-blockly (the compiler's media.blockly) holds the
 * program's XML in a details panel (or only a download link when the file is large); this draws
 * the blocks above it. content.js loads the vendored Blockly and then this file, only on a page
 * that has a program, and calls window.lpBlockly.render(figure). Blockly lays the blocks out in a
 * read-only workspace off screen; the page gets a static copy of the drawing (see snapshot), so
 * nothing can be dragged or edited.
 *
 * Dwengo's programs use its own Arduino/Dwenguino blocks (setup_loop_structure, dwenguino_*,
 * socialrobot_*, char_type ...), defined in Dwengo's simulator, not in Blockly. A type Blockly does
 * not know becomes a generic block, shaped from the XML itself: its type as the label, a label per
 * field showing the field's value, a value input per <value>, a statement input per <statement>,
 * an output when it sits in a <value>, else previous/next connections. One bad block does not stop
 * the others: each top-level block loads on its own.
 */
(function () {
  "use strict";
  var DWENGO_HUE = 315;  // Dwengo's own colour for its Dwenguino blocks
  var SCALE = 0.8;  // of Blockly's own size: still readable, and more of a program fits

  // A program wider than its column scrolls in its box and then takes the keyboard focus, so that
  // the keyboard can scroll it too (as static/site/tables.js does for tables; WCAG 2.1.1).
  var scrolls = new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      var box = entry.target;
      if (box.scrollWidth > box.clientWidth + 1) box.tabIndex = 0;
      else box.removeAttribute("tabindex");
    });
  });

  function children(el, name) {
    return Array.prototype.filter.call(el.children, function (c) { return c.localName === name; });
  }

  function label(type) {
    return type.replace(/[_-]+/g, " ").trim();
  }

  function hue(type) {
    var prefix = type.split("_")[0];
    if (prefix === "dwenguino" || prefix === "socialrobot" || type === "setup_loop_structure") return DWENGO_HUE;
    var h = 0;
    for (var i = 0; i < prefix.length; i++) h = (h * 31 + prefix.charCodeAt(i)) % 360;
    return h;
  }

  /* What the XML says about each unknown block type: its fields, inputs and connections. */
  function unknownShapes(dom) {
    var shapes = {};
    var blocks = dom.querySelectorAll("block, shadow");
    Array.prototype.forEach.call(blocks, function (el) {
      var type = el.getAttribute("type");
      if (!type || window.Blockly.Blocks[type]) return;
      var shape = shapes[type] || (shapes[type] = { fields: [], inputs: [], output: false });
      children(el, "field").forEach(function (f) {
        var name = f.getAttribute("name");
        if (name && shape.fields.indexOf(name) < 0) shape.fields.push(name);
      });
      ["value", "statement"].forEach(function (kind) {
        children(el, kind).forEach(function (input) {
          var name = input.getAttribute("name");
          if (name && !shape.inputs.some(function (i) { return i.name === name; })) shape.inputs.push({ kind: kind, name: name });
        });
      });
      if (el.parentElement && el.parentElement.localName === "value") shape.output = true;
    });
    return shapes;
  }

  function defineGeneric(type, shape) {
    window.Blockly.Blocks[type] = {
      init: function () {
        var Blockly = window.Blockly;
        var head = this.appendDummyInput().appendField(label(type));
        shape.fields.forEach(function (name) {
          head.appendField(new Blockly.FieldLabelSerializable(""), name);
        });
        var block = this;
        shape.inputs.forEach(function (input) {
          var made = input.kind === "value" ? block.appendValueInput(input.name) : block.appendStatementInput(input.name);
          made.appendField(label(input.name.toLowerCase()));
        });
        // An output and a previous connection exclude each other; the XML's own use decides.
        if (shape.output) this.setOutput(true, null);
        else {
          this.setPreviousStatement(true, null);
          this.setNextStatement(true, null);
        }
        this.setColour(hue(type));
        this.setTooltip(type);
      },
    };
  }

  function loadBlocks(workspace, dom) {
    var Blockly = window.Blockly;
    var failed = 0;
    Array.prototype.forEach.call(dom.children, function (el) {
      try {
        if (el.localName === "variables") Blockly.Xml.domToVariables(el, workspace);
        else if (el.localName === "block" || el.localName === "shadow") {
          var block = Blockly.Xml.domToBlock(el, workspace);
          var x = parseInt(el.getAttribute("x"), 10), y = parseInt(el.getAttribute("y"), 10);
          if (!isNaN(x) && !isNaN(y)) block.moveBy(x, y);
        }
      } catch (err) {
        failed += 1;
        console.warn("Blockly: a block could not be shown:", err);
      }
    });
    return failed;
  }

  function xmlOf(figure) {
    var code = figure.querySelector("pre code");
    if (code && code.textContent.trim()) return Promise.resolve(code.textContent);
    var link = figure.querySelector("a[download]");
    if (!link || new URL(link.href, document.baseURI).origin !== location.origin) return Promise.reject(new Error("no program"));
    return fetch(link.href, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.text();
    });
  }

  /* The drawn blocks as a plain, static SVG picture: a copy of the workspace's block layer, framed
   * to the blocks, with nothing focusable or clickable left (a live workspace makes every block a
   * focus stop with "edit" buttons, which a program to read should not have). One image with a
   * text alternative; the XML panel below it is the long description. */
  function snapshot(workspace, host, name) {
    var svg = workspace.getParentSvg().cloneNode(true);
    Array.prototype.forEach.call(svg.querySelectorAll(
      ".blocklyMainBackground, .blocklyScrollbarHorizontal, .blocklyScrollbarVertical, .blocklyZoom, .blocklyTrash"),
      function (el) { el.remove(); });
    var layers = svg.querySelectorAll(".blocklyBlockCanvas, .blocklyBubbleCanvas");
    Array.prototype.forEach.call(layers, function (g) { g.removeAttribute("transform"); });
    Array.prototype.forEach.call(svg.querySelectorAll("*"), function (el) {
      Array.prototype.slice.call(el.attributes).forEach(function (a) {
        if (a.name === "tabindex" || a.name === "role" || a.name.indexOf("aria-") === 0) el.removeAttribute(a.name);
      });
    });
    var box = workspace.getBlocksBoundingBox();
    var pad = 8;
    var width = Math.max(box.right - box.left, 1) + 2 * pad, height = Math.max(box.bottom - box.top, 1) + 2 * pad;
    svg.setAttribute("viewBox", [box.left - pad, box.top - pad, width, height].join(" "));
    // Drawn at SCALE; a program wider than its column scrolls in its box (see scrolls).
    svg.removeAttribute("height");
    svg.setAttribute("width", String(Math.ceil(width * SCALE)));
    svg.removeAttribute("style");
    svg.removeAttribute("tabindex");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", name);
    svg.setAttribute("focusable", "false");
    host.appendChild(svg);
    return svg;
  }

  function render(figure, options) {
    if (figure.dataset.lpBlockly) return Promise.resolve();
    figure.dataset.lpBlockly = "loading";
    var Blockly = window.Blockly;
    return xmlOf(figure).then(function (text) {
      var dom = Blockly.utils.xml.textToDom(text.trim());
      // The browser's XML parser answers bad XML with a <parsererror> document, not an exception.
      if (dom.localName === "parsererror" || dom.getElementsByTagName("parsererror").length) throw new Error("not valid XML");
      var shapes = unknownShapes(dom);
      Object.keys(shapes).forEach(function (type) { defineGeneric(type, shapes[type]); });
      // Drawn off screen (Blockly measures text as it lays blocks out), then copied as a picture.
      var scratch = document.createElement("div");
      scratch.className = "lp-blockly-scratch";
      scratch.setAttribute("aria-hidden", "true");
      document.body.appendChild(scratch);
      var workspace = Blockly.inject(scratch, {
        readOnly: true,
        media: options.media,
        sounds: false,
        trashcan: false,
        scrollbars: false,
        zoom: { controls: false, wheel: false, startScale: 1 },
      });
      try {
        var failed = loadBlocks(workspace, dom);
        if (!workspace.getAllBlocks(false).length) throw new Error("no blocks in the program");
        var host = document.createElement("div");
        var themed = workspace.getInjectionDiv().className.split(/\s+/).filter(function (c) { return c && c !== "injectionDiv"; });
        host.className = ["lp-blockly-workspace"].concat(themed).join(" ");
        var summary = figure.querySelector("summary");
        snapshot(workspace, host, (summary && summary.textContent) || "Blockly");
        figure.dataset.lpBlocks = String(workspace.getAllBlocks(false).length);
        figure.insertBefore(host, figure.firstChild);
        scrolls.observe(host);
        figure.dataset.lpBlockly = failed ? "partial" : "ready";
      } finally {
        workspace.dispose();
        scratch.remove();
        // Blockly's text-measuring canvas: not content.
        Array.prototype.forEach.call(document.querySelectorAll("canvas.blocklyComputeCanvas"), function (c) { c.remove(); });
      }
    }).catch(function (err) {
      figure.dataset.lpBlockly = "failed";
      console.warn("Blockly program not shown:", err);
    });
  }

  window.lpBlockly = { render: render };
})();
