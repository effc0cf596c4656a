// Several training runs side by side, trained by the engine in the page's Python worker.
//   learning-rate: one loss curve per learning rate (same data, same initial weights)
//     params: rates and the training parameters (dataset, layers, learning_rate, epochs, ...)
//   batch-modes:   stochastic vs mini-batch vs batch gradient descent
//     params: modes and the same training parameters
// The two are separate widgets of the registry (learningpaths/compiler/widget_specs.py), each with its
// own defaults (learning rate, epochs): the page hands this module the right ones.

import { drawLineChart, fmt, makeCanvas, PALETTE } from "../plot.js";
import { gettext, interpolate } from "../i18n.js";
import { listText, parseList } from "../numbers.js";
import { button, el, list, liveRegion, num, select, slider, textField, title } from "./ui.js";

const MODE_LABELS = {
  stochastic: gettext("stochastic (1 point per step)"), "mini-batch": gettext("mini-batch"),
  batch: gettext("batch (all points per step)"),
};

function parseRates(text) {
  const rates = parseList(text);
  return rates && rates.length && rates.length <= 6 && rates.every((r) => r > 0 && r <= 100) ? rates : null;
}

export function mount(node, { name, params, runtime }) {
  const lrMode = name === "learning-rate";
  const cfg = { ...params };
  for (const key of ["n", "noise", "seed", "learning_rate", "lr", "batch_size", "epochs"]) cfg[key] = num(cfg[key]);
  Object.keys(cfg).forEach((k) => cfg[k] === undefined && delete cfg[k]);
  cfg.layers = list(cfg.layers, Number).filter((v) => v >= 1 && v <= 64);
  let rates = list(params.rates, Number).filter((r) => r > 0);
  let invalid = false; // the typed list cannot be read: Run waits
  let modes = list(params.modes, String);
  let axis = "epoch";
  let job = null;
  let points = [];

  const runButton = button(gettext("▶ Run"), () => run());
  const stopButton = button(gettext("■ Stop"), () => job && job.cancel(), { disabled: true });
  const status = liveRegion();
  const chart = makeCanvas(480, 260, gettext("loss curves"));
  const table = el("table", { class: "lp-results" });
  const controls = el("div", { class: "lp-widget__controls" });
  if (lrMode) {
    const field = textField({ label: gettext("learning rates"), value: listText(rates),
      hint: gettext("Up to 6 positive numbers separated by commas"),
      onChange: (v) => {
        const r = parseRates(v);
        // Marked at the field; Run waits for a good list (nothing runs from a typo).
        field.invalid(r ? null : interpolate(gettext("Learning rates: up to 6 positive numbers, like %(example)s."), { example: listText([0.01, 0.1, 1]) }));
        invalid = !r;
        runButton.disabled = invalid || !!job;
        if (r) rates = r;
      } });
    controls.append(field);
  } else {
    const fs = el("fieldset", { class: "lp-checks" }, el("legend", {}, gettext("Batch modes")));
    for (const mode of ["stochastic", "mini-batch", "batch"]) {
      const box = el("input", { type: "checkbox", value: mode });
      box.checked = modes.includes(mode);
      box.addEventListener("change", () => { modes = ["stochastic", "mini-batch", "batch"].filter((m) => m === mode ? box.checked : modes.includes(m)); });
      fs.append(el("label", {}, box, MODE_LABELS[mode]));
    }
    controls.append(fs,
      slider({ label: gettext("batch size"), min: 2, max: 64, step: 1, value: cfg.batch_size, onChange: (v) => (cfg.batch_size = v) }),
      select({ label: gettext("x axis"), value: axis,
        options: [["epoch", gettext("epochs")], ["steps", gettext("weight updates")], ["seconds", gettext("time (s)")]],
        onChange: (v) => { axis = v; render(); } }));
  }
  controls.append(
    slider({ label: gettext("epochs"), min: 5, max: 300, step: 5, value: cfg.epochs, onChange: (v) => (cfg.epochs = v) }),
    el("div", { class: "lp-widget__buttons" }, runButton, stopButton), status);
  node.replaceChildren(title(node, params.title || (lrMode ? gettext("Learning rates compared") : gettext("Batch modes compared"))),
    el("div", { class: "lp-widget__row" }, controls, el("div", {}, chart, table)));

  function runs() {
    return lrMode
      ? rates.map((rate) => ({ learning_rate: rate, label: interpolate(gettext("learning rate %(lr)s"), { lr: rate }) }))
      : modes.map((mode) => ({ mode, label: MODE_LABELS[mode] }));
  }

  let labels = [];
  function render() {
    const series = labels.map((label, i) => {
      const pts = points.filter((p) => p.series === i);
      return { label, color: PALETTE[i % PALETTE.length], x: pts.map((p) => p[axis]), y: pts.map((p) => p.loss) };
    });
    const xlabel = { epoch: gettext("epoch"), steps: gettext("weight updates"), seconds: gettext("seconds") }[axis];
    drawLineChart(chart, { series, xlabel, title: gettext("Training loss"), logy: false });
    const last = labels.map((_, i) => points.filter((p) => p.series === i).pop()).filter(Boolean);
    table.replaceChildren(
      el("caption", { class: "visually-hidden" }, gettext("Results so far")),
      el("tr", {}, ...[gettext("run"), gettext("loss"), gettext("accuracy"), gettext("updates"), gettext("seconds")]
        .map((h) => el("th", { scope: "col" }, h))),
      ...last.map((p) => el("tr", {}, el("th", { scope: "row" }, labels[p.series]), el("td", {}, fmt(p.loss)),
        el("td", {}, fmt(p.accuracy)), el("td", {}, String(p.steps)), el("td", {}, fmt(p.seconds)))));
    node.dataset.points = String(points.length);
  }

  let raf = null;
  async function run() {
    if (job || invalid) return;
    const planned = runs();
    if (!planned.length) { status.say(gettext("Choose at least one run."), true); return; }
    labels = planned.map((r) => r.label);
    points = [];
    runButton.disabled = true;
    stopButton.disabled = false;
    node.dataset.running = "true";
    status.say(runtime.state === "loading" ? gettext("Waiting for Python to load…") : gettext("Training…"), true);
    // "lr" (the old name) is passed on when given, so that the job says what it is called now.
    const keys = ["dataset", "n", "noise", "seed", "layers", "activation", "optimizer", "mode", "learning_rate", "lr",
      "batch_size", "epochs"];
    const jobParams = Object.fromEntries(keys.filter((k) => cfg[k] !== undefined).map((k) => [k, cfg[k]]));
    job = runtime.task("curves", { ...jobParams, runs: planned.map(({ label, ...r }) => r) }, {
      onMessage: (msg) => {
        if (msg.type !== "curve") return;
        points.push(...msg.data.points);
        if (!raf) raf = requestAnimationFrame(() => { raf = null; render(); });
      },
    });
    const result = await job.done;
    job = null;
    runButton.disabled = invalid;
    stopButton.disabled = true;
    node.dataset.running = "false";
    render();
    if (!result.ok && !result.stopped) status.say(interpolate(gettext("Training failed: %(error)s"), { error: result.error }), true);
    else status.say(result.stopped ? gettext("Stopped.") : interpolate(gettext("Done. %(results)s"), { results: labels.map((l, i) => {
      const p = points.filter((q) => q.series === i).pop();
      return p ? interpolate(gettext("%(run)s: loss %(loss)s"), { run: l, loss: fmt(p.loss) }) : "";
    }).join("; ") }), true);
  }
  render();
  return { run, get points() { return points; } };
}
