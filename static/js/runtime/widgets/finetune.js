// finetune: the pupil draws a few examples of their own classes; the page's Python worker gives a
// pre-trained network (an object's .npz asset, engine.save) a new top layer, trains only that layer
// (the lower layers are frozen) and the same network from scratch, and the live plot shows both
// accuracies against the number of examples per class (lp/widgets.py, job "finetune").
//   params: {model: URL of the .npz (the compiler resolved it), classes: ["circle", ...], epochs, title}
//   (defaults: the registry, learningpaths/compiler/widget_specs.py)
// The drawings stay in this page: they go to the worker in the same browser, never to the server.

import { drawImage, drawLineChart, fmt, makeCanvas, PALETTE } from "../plot.js";
import { gettext, interpolate, ngettext } from "../i18n.js";
import { button, el, liveRegion, num, textField, title } from "./ui.js";
import { drawingPad } from "./pad.js";
import { lessonLanguage } from "../cell.js";

const MAX_PER_CLASS = 20;

let modelCache = null; // {url, b64}: fetched once per page
async function fetchModel(url) {
  if (modelCache && modelCache.url === url) return modelCache.b64;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  modelCache = { url, b64: btoa(text) };
  return modelCache.b64;
}

export function mount(node, { params, runtime }) {
  // No classes in the registry: these are in the page's language.
  const defaults = [gettext("circle"), gettext("cross"), gettext("line")];
  const names = (Array.isArray(params.classes) && params.classes.length ? params.classes : defaults).map(String);
  const epochs = num(params.epochs);
  if (!params.model) {
    node.replaceChildren(el("p", { class: "lp-widget__problem", role: "status" },
      gettext("This widget needs a pre-trained network: give it model=FILE.npz.")));
    return {};
  }
  const examples = names.map(() => []); // per class: lists of 64 numbers (8x8, 0..1)
  let chosen = 0;
  let job = null;
  let points = [];

  const status = liveRegion("lp-widget__status", 500);
  const help = el("p", { class: "lp-help", id: `lp-ft-help-${Math.random().toString(36).slice(2, 8)}` },
    gettext("Draw with the mouse or a finger. With the keyboard: focus the pad, arrow keys move, Shift+arrow or Space draws, Enter adds the drawing as an example."));
  const pad = drawingPad({ label: gettext("drawing area for your examples"), onEnter: () => add() });
  pad.canvas.setAttribute("aria-describedby", help.id);

  // The class names the pupil types, and which class the next drawing belongs to.
  const classBox = el("fieldset", { class: "lp-checks" }, el("legend", {}, gettext("Your classes: this drawing is a …")));
  const radios = names.map((name, i) => {
    const radio = el("input", { type: "radio", name: `lp-ft-${help.id}`, value: String(i) });
    radio.checked = i === 0;
    radio.addEventListener("change", () => { if (radio.checked) chosen = i; });
    const field = textField({ label: interpolate(gettext("name of class %(n)s"), { n: i + 1 }), value: name,
      onChange: (v) => { names[i] = v.trim().slice(0, 40) || defaults[i] || String(i + 1); renderCounts(); render(); } });
    classBox.append(el("div", { class: "lp-ft-class" }, el("label", {}, radio, interpolate(gettext("class %(n)s"), { n: i + 1 })), field));
    return radio;
  });

  const counts = el("ul", { class: "lp-ft-counts", "aria-label": gettext("your examples") });
  const addButton = button(gettext("Add example"), () => add());
  const clearButton = button(gettext("Clear"), () => { pad.clear(); status.say(gettext("Cleared."), true); });
  const undoButton = button(gettext("Remove the last example"), () => removeLast());
  const runButton = button(gettext("Fine-tune and compare"), () => run());
  const stopButton = button(gettext("■ Stop"), () => job && job.cancel(), { disabled: true });
  const chart = makeCanvas(480, 260, gettext("accuracy against examples per class: fine-tuned and from scratch"));
  chart.classList.add("lp-ft-chart");
  const table = el("table", { class: "lp-results" });

  node.replaceChildren(title(node, params.title || gettext("Fine-tune a pre-trained network")),
    el("p", { class: "lp-help" }, gettext("Your drawings stay in this browser: they are never sent to the server.")),
    help,
    el("div", { class: "lp-widget__row" },
      el("div", {}, pad.canvas, el("div", { class: "lp-widget__buttons" }, addButton, clearButton, undoButton)),
      el("div", { class: "lp-widget__controls" }, classBox, counts)),
    el("div", { class: "lp-widget__buttons" }, runButton, stopButton), status,
    el("div", {}, chart, table));

  function total() { return examples.reduce((s, e) => s + e.length, 0); }

  function add() {
    if (pad.empty()) { status.say(gettext("Draw something first."), true); return; }
    if (examples[chosen].length >= MAX_PER_CLASS) {
      status.say(interpolate(gettext("%(name)s already has %(n)s examples: that is plenty."), { name: names[chosen], n: MAX_PER_CLASS }), true);
      return;
    }
    examples[chosen].push(pad.input());
    pad.clear();
    renderCounts();
    status.say(interpolate(gettext("Added to %(name)s: %(count)s."), { name: names[chosen],
      count: interpolate(ngettext("%(n)s example", "%(n)s examples", examples[chosen].length), { n: examples[chosen].length }) }), true);
    // On to the next class, so that a pupil with the keyboard can go round: draw, Enter, draw, Enter.
    chosen = (chosen + 1) % names.length;
    radios[chosen].checked = true;
  }

  function removeLast() {
    const i = chosen === 0 ? names.length - 1 : chosen - 1;
    const from = examples[i].length ? i : examples.findIndex((e) => e.length);
    if (from < 0) { status.say(gettext("There are no examples yet."), true); return; }
    examples[from].pop();
    renderCounts();
    status.say(interpolate(gettext("Removed the last example of %(name)s."), { name: names[from] }), true);
  }

  function renderCounts() {
    counts.replaceChildren(...names.map((name, i) => {
      const thumbs = el("span", { class: "lp-ft-thumbs", "aria-hidden": "true" });
      for (const input of examples[i].slice(-6)) {
        const thumb = makeCanvas(24, 24, "");
        const img = [];
        for (let r = 0; r < 8; r++) img.push(input.slice(r * 8, r * 8 + 8).map((v) => 1 - v));
        drawImage(thumb, img, { vmin: 0, vmax: 1 });
        thumbs.append(thumb);
      }
      return el("li", {}, el("strong", {}, name), " ",
        interpolate(ngettext("%(n)s example", "%(n)s examples", examples[i].length), { n: examples[i].length }), " ", thumbs);
    }));
    node.dataset.examples = String(total());
  }

  function render() {
    const series = [
      { label: gettext("pre-trained, only the top layer trained"), color: PALETTE[0], key: "finetuned" },
      { label: gettext("the same network from scratch"), color: PALETTE[1], key: "scratch" },
    ].map((s) => ({ ...s, x: points.map((p) => p.examples), y: points.map((p) => p[s.key]) }));
    drawLineChart(chart, { series, xlabel: gettext("examples per class the network learned from"),
      title: gettext("Accuracy on the other examples"), ymin: 0, ymax: 1 });
    table.replaceChildren(
      el("caption", { class: "visually-hidden" }, gettext("Accuracy on the examples it did not learn from")),
      el("tr", {}, ...[gettext("examples per class"), gettext("fine-tuned"), gettext("from scratch")]
        .map((h) => el("th", { scope: "col" }, h))),
      ...points.map((p) => el("tr", {}, el("th", { scope: "row" }, String(p.examples)), el("td", {}, fmt(p.finetuned)),
        el("td", {}, fmt(p.scratch)))));
    node.dataset.points = String(points.length);
  }

  async function run() {
    if (job) return;
    const fewest = Math.min(...examples.map((e) => e.length));
    if (fewest < 2) {
      status.say(gettext("Every class needs at least 2 examples: one to learn from and one to test on. 5 or more give a better plot."), true);
      return;
    }
    runButton.disabled = true;
    stopButton.disabled = false;
    node.dataset.running = "true";
    points = [];
    render();
    let result;
    try {
      status.say(gettext("Loading the pre-trained network…"), true);
      const model = await fetchModel(String(params.model));
      status.say(runtime.state === "loading" ? gettext("Waiting for Python to load…") : gettext("Training…"), true);
      const flat = examples.flatMap((list) => list);
      const labels = examples.flatMap((list, i) => list.map(() => i));
      job = runtime.task("finetune", { model_b64: model, examples: flat, labels, classes: names.length, epochs }, {
        language: lessonLanguage(node),
        onMessage: (msg) => {
          if (msg.type !== "point") return;
          points.push(msg.data);
          render();
          status.say(interpolate(gettext("%(n)s per class: fine-tuned %(a)s, from scratch %(b)s"),
            { n: msg.data.examples, a: fmt(msg.data.finetuned), b: fmt(msg.data.scratch) }));
        },
      });
      result = await job.done;
    } catch (err) {
      result = { ok: false, error: String(err.message || err) };
    }
    job = null;
    runButton.disabled = false;
    stopButton.disabled = true;
    node.dataset.running = "false";
    render();
    if (!result.ok && !result.stopped) status.say(interpolate(gettext("Training failed: %(error)s"), { error: result.error }), true);
    else if (result.stopped) status.say(gettext("Stopped."), true);
    else {
      const last = points[points.length - 1];
      status.say(last ? interpolate(gettext("Done. With %(n)s per class: fine-tuned %(a)s, from scratch %(b)s."),
        { n: last.examples, a: fmt(last.finetuned), b: fmt(last.scratch) }) : gettext("Done."), true);
    }
  }

  renderCounts();
  render();
  return { run, get points() { return points; } };
}
