// A runnable Python cell: the compiler's
//   <div class="lp-cell" data-lp-cell="N" data-line="L" [data-id] [data-returns]><pre><code class="language-python">
// becomes an editor with Run / Stop / Reset, a live training chart and an output log.
// The page's cells together (Run all, Run the cells above, which cell makes a name) are notebook.js.

import { gettext, interpolate } from "./i18n.js";
import { drawLineChart, fmt, makeCanvas, renderPlot } from "./plot.js";

const MAX_OUTPUT_NODES = 400;
const INDENT = "    ";

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v === true ? "" : v);
  }
  node.append(...children);
  return node;
}

/** Plain-text code of a cell or setup element (a <template>, or any element containing <code>). */
export function codeOf(element) {
  const root = element.content || element;
  const code = root.querySelector("code");
  return (code || root).textContent.replace(/\n$/, "");
}

/** The language of the lesson a cell or widget sits in (its <article lang>, not the UI's), for lp. */
export function lessonLanguage(element) {
  const holder = element.closest("[lang]");
  return holder ? holder.lang : null;
}

export class CellView {
  /** ``signal`` (an AbortSignal) removes the cell's listener on the runtime when its step is left. */
  constructor(element, runtime, { signal } = {}) {
    this.element = element;
    this.runtime = runtime;
    this.number = element.dataset.lpCell || "";
    this.filename = `<cell ${this.number || "?"}>`;
    this.returns = element.dataset.returns || null;
    this.original = codeOf(element);
    this.history = []; // lp.progress points of the last run
    this.lastResult = null;
    this.running = false;
    this.runs = 0;
    this.notebook = null; // the page's CellNotebook (notebook.js) sets itself here
    this.okGeneration = null; // the worker generation (runtime.generation) of the last run that succeeded
    this._build();
    runtime.addEventListener("status", () => this._onRuntimeStatus(), { signal });
  }

  _build() {
    const n = this.number;
    const ids = `lp-cell-${n || Math.random().toString(36).slice(2, 8)}`;
    this.element.classList.add("lp-cell--live");
    this.runButton = el("button", { type: "button", class: "lp-btn lp-run", "aria-keyshortcuts": "Control+Enter" }, gettext("▶ Run"));
    this.stopButton = el("button", { type: "button", class: "lp-btn lp-stop", disabled: true }, gettext("■ Stop"));
    this.resetButton = el("button", { type: "button", class: "lp-btn lp-reset" }, gettext("↺ Reset"));
    this.status = el("span", { class: "lp-cell__status", role: "status", "aria-live": "polite" });
    const bar = (this.bar = el("div", { class: "lp-cell__bar", role: "toolbar", "aria-label": interpolate(gettext("Python cell %(n)s"), { n }) },
      el("span", { class: "lp-cell__label", "aria-hidden": "true" }, `Python${n ? ` [${n}]` : ""}`),
      this.runButton, this.stopButton, this.resetButton, this.status));
    this.gutter = el("pre", { class: "lp-editor__gutter", "aria-hidden": "true" });
    this.textarea = el("textarea", {
      class: "lp-editor__text", spellcheck: "false", autocapitalize: "off", autocomplete: "off",
      "aria-label": interpolate(gettext("Python code of cell %(n)s"), { n }), "aria-describedby": `${ids}-help`, wrap: "off",
    });
    this.textarea.value = this.original;
    const help = el("p", { id: `${ids}-help`, class: "visually-hidden lp-help" },
      gettext("Ctrl+Enter or Shift+Enter runs the cell. Tab indents; press Escape, then Tab, to leave the editor."));
    // The same advice, visible while the editor has focus (a sighted keyboard user is stuck otherwise);
    // screen readers get the full text above through aria-describedby, so this one is aria-hidden.
    this.keyHint = el("p", { class: "lp-keyhint", "aria-hidden": "true" });
    this._showKeyHint(false);
    const editor = el("div", { class: "lp-editor" }, this.gutter, this.textarea, this.keyHint);
    this.chart = makeCanvas(440, 180, gettext("Training loss, live"));
    this.progressText = el("p", { class: "lp-progress__text" });
    this.progress = el("div", { class: "lp-progress", hidden: true }, this.chart, this.progressText);
    this.output = el("div", { class: "lp-cell__output", role: "log", "aria-live": "polite",
      "aria-label": interpolate(gettext("Output of cell %(n)s"), { n }), tabindex: "-1" });
    // Keep the static code for no-JS readers out of the way; the editor replaces it.
    for (const child of [...this.element.children]) child.hidden = true;
    this.element.append(bar, editor, help, this.progress, this.output);

    this.runButton.addEventListener("click", () => this.run());
    this.stopButton.addEventListener("click", () => this.stop());
    this.resetButton.addEventListener("click", () => this.reset());
    this.textarea.addEventListener("input", () => this._layout());
    this.textarea.addEventListener("scroll", () => (this.gutter.scrollTop = this.textarea.scrollTop));
    this.textarea.addEventListener("keydown", (e) => this._onKey(e));
    this.textarea.addEventListener("focus", () => {
      this._escaped = false; // back in the editor, Tab indents again (and the hint says so)
      this._showKeyHint(false);
    });
    this._layout();
  }

  get code() {
    return this.textarea.value;
  }

  _layout() {
    const lines = this.textarea.value.split("\n").length;
    if (lines !== this._lines) {
      this._lines = lines;
      this.gutter.textContent = Array.from({ length: lines }, (_, i) => i + 1).join("\n");
      this.textarea.rows = Math.min(Math.max(lines, 2), 30);
    }
  }

  _onKey(e) {
    const ta = this.textarea;
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey || e.shiftKey)) {
      e.preventDefault();
      this.run();
      return;
    }
    if (e.key === "Escape") {
      this._escaped = true;
      this._showKeyHint(true);
      return;
    }
    if (e.key === "Tab" && !this._escaped && !e.ctrlKey && !e.altKey) {
      e.preventDefault();
      const { selectionStart: s, selectionEnd: end, value } = ta;
      if (e.shiftKey) {
        const lineStart = value.lastIndexOf("\n", s - 1) + 1;
        if (value.startsWith(INDENT, lineStart)) {
          ta.setRangeText("", lineStart, lineStart + INDENT.length, "preserve");
        }
      } else {
        ta.setRangeText(INDENT, s, end, "end");
      }
      this._layout();
      return;
    }
    if (this._escaped) this._showKeyHint(false);
    this._escaped = false;
    if (e.key === "Enter" && !e.altKey) {
      // Keep the indentation of the current line; indent one more level after a colon.
      const { selectionStart: s, value } = ta;
      const lineStart = value.lastIndexOf("\n", s - 1) + 1;
      const line = value.slice(lineStart, s);
      let indent = line.match(/^\s*/)[0];
      if (/:\s*(#.*)?$/.test(line)) indent += INDENT;
      e.preventDefault();
      ta.setRangeText("\n" + indent, s, ta.selectionEnd, "end");
      this._layout();
    }
  }

  _showKeyHint(escaped) {
    this.keyHint.textContent = escaped
      ? gettext("Now press Tab to leave the editor.")
      : gettext("Esc, then Tab: leave the editor · Ctrl+Enter: run");
  }

  _setRunning(running) {
    this.running = running;
    this.element.classList.toggle("lp-cell--running", running);
    this.stopButton.disabled = !running;
    this.runButton.disabled = running;
    if (running) this.element.classList.remove("lp-cell--failed");
    this.element.setAttribute("aria-busy", running ? "true" : "false");
  }

  _onRuntimeStatus() {
    if (this.running && this.runtime.state === "loading") this.status.textContent = gettext("Waiting for Python to load…");
    if (this.running && this.runtime.state === "error") this.status.textContent = this.runtime.statusText;
  }

  clearOutput() {
    this.output.replaceChildren();
    this._stream = null;
    this.history = [];
    this.firstProgressAt = null;
    this.progress.hidden = true;
    this._lines = null;
    this._layout();
  }

  async run() {
    if (this.running) return this.current;
    this.clearOutput();
    this._setRunning(true);
    this.runs += 1;
    this.status.textContent = this.runtime.state === "ready" || this.runtime.state === "busy"
      ? gettext("Running…") : gettext("Waiting for Python to load…");
    const started = performance.now();
    const job = this.runtime.run(this.code, {
      filename: this.filename, returns: this.returns, onMessage: (msg) => this._onMessage(msg),
      language: lessonLanguage(this.element),
    });
    this.current = job.done.then((result) => this._finish(result, performance.now() - started));
    return this.current;
  }

  _finish(result, wall) {
    this._setRunning(false);
    this._flushProgress();
    this.lastResult = result;
    if (result.stopped) {
      this._append("lp-out lp-out--note", gettext("Stopped. Python was restarted: variables from earlier cells are gone, run those cells again if this one needs them."));
      this.status.textContent = gettext("Stopped");
    } else if (result.ok) {
      this.okGeneration = this.runtime.generation;
      if (result.result !== null && result.result !== undefined) this._append("lp-out lp-out--result", result.result);
      this.status.textContent = interpolate(gettext("Done in %(seconds)s s"), { seconds: fmt(result.ms / 1000) });
      if (this.returns) {
        this.element.dispatchEvent(new CustomEvent("lp:return", {
          bubbles: true, detail: { cell: this.number, id: this.element.dataset.id || null, name: this.returns, value: result.returns },
        }));
      }
    } else {
      if (result.setupError) this._append("lp-out lp-out--error", `${gettext("The page's setup code failed:")}\n${result.setupError}`);
      const missing = !result.setupError && this.notebook ? this.notebook.whoMakes(this, result.error) : null;
      if (missing) this._appendMissing(missing, result.error);
      else this._append("lp-out lp-out--error", result.error || gettext("Error"));
      this.status.textContent = result.line ? interpolate(gettext("Error on line %(line)s"), { line: result.line }) : gettext("Error");
      if (result.line) this._markLine(result.line);
    }
    this.element.dispatchEvent(new CustomEvent("lp:done", { bubbles: true, detail: { cell: this.number, result, wall } }));
    return result;
  }

  /** "`x` is made in cell 2. Run cell 2 first", with the real traceback folded away under it. */
  _appendMissing({ name, cell }, traceback) {
    const n = cell.number;
    const text = gettext("%(name)s is made in cell %(cell)s. Run cell %(cell)s first (or use Run the cells above).");
    const sentence = el("p", { class: "lp-hint__text" });
    // Split around %(name)s so the name shows as code; the rest is the translated sentence as it is.
    text.split("%(name)s").forEach((part, i) => {
      if (i) sentence.append(el("code", { text: name }));
      sentence.append(interpolate(part, { cell: n }));
    });
    const go = el("button", { type: "button", class: "lp-btn lp-hint__go" }, interpolate(gettext("Go to cell %(cell)s"), { cell: n }));
    go.addEventListener("click", () => cell.focus());
    const above = el("button", { type: "button", class: "lp-btn lp-hint__above" }, gettext("Run the cells above"));
    above.addEventListener("click", () => this.notebook.runAbove(this));
    const details = el("details", { class: "lp-out-details" },
      el("summary", {}, gettext("Show Python's full error message")),
      el("pre", { class: "lp-out lp-out--error", text: traceback }));
    this.output.append(el("div", { class: "lp-hint", role: "note" }, sentence, el("p", { class: "lp-hint__actions" }, go, above)), details);
    this._stream = null;
  }

  /** Bring this cell into view and put the cursor in its editor. */
  focus() {
    this.element.scrollIntoView({ block: "center" });
    this.textarea.focus({ preventScroll: true });
  }

  _markLine(line) {
    const lines = this.gutter.textContent.split("\n");
    this.gutter.replaceChildren(...lines.map((t, i) => {
      const node = i + 1 === line ? el("mark", { class: "lp-error-line" }, t) : document.createTextNode(t);
      return i < lines.length - 1 ? [node, "\n"] : [node];
    }).flat());
  }

  stop() {
    if (!this.running) return;
    this.status.textContent = gettext("Stopping…");
    this.runtime.stop();
  }

  reset() {
    this.textarea.value = this.original;
    this._layout();
    this.clearOutput();
    this.status.textContent = gettext("Code reset");
    this.textarea.focus();
  }

  _append(cls, text) {
    const node = el("pre", { class: cls });
    node.textContent = text;
    this.output.append(node);
    this._stream = null;
    this._trim();
    return node;
  }

  _trim() {
    while (this.output.childNodes.length > MAX_OUTPUT_NODES) this.output.firstChild.remove();
  }

  _onMessage(msg) {
    if (msg.type === "start") {
      this.status.textContent = gettext("Running…");
    } else if (msg.type === "stdout" || msg.type === "stderr") {
      const cls = msg.type === "stdout" ? "lp-out" : "lp-out lp-out--stderr";
      if (!this._stream || this._stream.className !== cls) {
        this._stream = el("pre", { class: cls });
        this.output.append(this._stream);
        this._trim();
      }
      this._stream.textContent += msg.text;
    } else if (msg.type === "truncated") {
      // The worker stopped passing on output (its budget per run is spent); it sends a code.
      this._stream = null;
      this._append("lp-out lp-out--note", gettext("… output truncated (more than 1 MB) …"));
    } else if (msg.type === "progress") {
      if (!this.firstProgressAt) this.firstProgressAt = performance.now();
      for (const point of msg.data.points || [msg.data]) this.history.push(point);
      if (!this._raf) this._raf = requestAnimationFrame(() => this._flushProgress());
    } else if (msg.type === "plot") {
      this.output.append(renderPlot(msg.data));
      this._stream = null;
      this._trim();
    }
  }

  _flushProgress() {
    if (this._raf) cancelAnimationFrame(this._raf);
    this._raf = null;
    if (!this.history.length) return;
    this.progress.hidden = false;
    const pts = this.history.filter((p) => p.loss !== null && p.loss !== undefined);
    drawLineChart(this.chart, {
      series: [{ x: pts.map((p) => p.step), y: pts.map((p) => p.loss), label: gettext("loss") }],
      xlabel: gettext("step"), title: gettext("Training loss"),
    });
    const last = this.history[this.history.length - 1];
    const metrics = Object.entries(last.metrics || {}).map(([k, v]) => `${k} ${fmt(v)}`).join(" · ");
    const parts = [interpolate(gettext("step %(step)s"), { step: last.step })];
    if (last.loss !== null) parts.push(interpolate(gettext("loss %(loss)s"), { loss: fmt(last.loss) }));
    if (metrics) parts.push(metrics);
    this.progressText.textContent = parts.join(" · ");
  }
}
