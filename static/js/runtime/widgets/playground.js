// A TensorFlow-Playground-style trainer: pick a data set, layers, activation, learning rate and
// batch mode; the engine trains in the page's Python worker and the loss curve and decision
// boundary update live. Changing a setting starts again from new weights (as in TF Playground).
// params: dataset, noise, n, seed, layers, activation, learning_rate, optimizer, mode, batch_size, epochs,
//         test_fraction, title (types, ranges and defaults: the registry, learningpaths/compiler/widget_specs.py)

import { drawBoundary, drawLineChart, drawNetwork, fmt, makeCanvas } from "../plot.js";
import { decimal, fixed, parseList } from "../numbers.js";
import { gettext, interpolate } from "../i18n.js";
import { button, el, iconLabel, list, liveRegion, num, select, slider, textField, title } from "./ui.js";

const DATASETS = [["moons", gettext("two moons")], ["circles", gettext("circles")], ["xor", "XOR"], ["spirals", gettext("spirals")],
  ["blobs", gettext("blobs")]];
const ACTS = [["relu", "ReLU"], ["tanh", "tanh"], ["sigmoid", "sigmoid"], ["leaky_relu", "leaky ReLU"], ["identity", gettext("linear")]];
const RATES = [0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3];
const MODES = [["stochastic", gettext("stochastic (1 point)")], ["mini-batch", gettext("mini-batch")],
  ["batch", gettext("batch (all points)")]];
let sessions = 0;

function parseLayers(text) {
  const sizes = parseList(text, { integers: true });
  if (!sizes || sizes.some((v) => v < 1 || v > 64) || sizes.length > 6) return null;
  return sizes;
}

export function mount(node, { params, runtime, signal }) {
  // resolution: the decision boundary's grid, not an author's parameter.
  const cfg = { resolution: 40, ...params };
  delete cfg.title;
  for (const key of ["noise", "n", "learning_rate", "batch_size", "epochs", "test_fraction", "seed"]) cfg[key] = num(cfg[key]);
  cfg.layers = parseLayers(list(cfg.layers).join(",")) || [];
  const session = `playground-${++sessions}`;
  const state = { invalid: false, job: null, running: false, data: null, grid: null, history: [], epoch: 0, fresh: true, pending: null };

  const trainButton = iconLabel(button("", () => (state.running ? pauseTraining() : train()), { "aria-pressed": "false" }), "play", gettext("Train"));
  const stepButton = button(gettext("Step 1 epoch"), () => train(1));
  const resetButton = button(gettext("↺ Reset"), () => restart());
  const status = liveRegion("lp-widget__status", 2500);
  const readout = el("p", { class: "lp-widget__readout", "aria-hidden": "true" }, interpolate(gettext("epoch %(epoch)s"), { epoch: 0 }));
  const layersField = textField({ label: gettext("hidden layers"), value: cfg.layers.join(", "),
    hint: gettext("Neurons per hidden layer, separated by commas, for example 8, 8"),
    onChange: (v) => {
      const sizes = parseLayers(v);
      // A wrong value is marked at the field and trains nothing: Train and Step wait for a good one.
      layersField.invalid(sizes ? null : gettext("Hidden layers: up to 6 numbers from 1 to 64, like 8, 8."));
      state.invalid = !sizes;
      if (state.running && !sizes) pauseTraining();
      setRunning(state.running);
      if (sizes) { cfg.layers = sizes; restart(); }
    } });
  const controls = el("div", { class: "lp-widget__controls" },
    select({ label: gettext("data set"), options: DATASETS, value: cfg.dataset, onChange: (v) => { cfg.dataset = v; restart(); } }),
    slider({ label: gettext("noise"), min: 0, max: 0.5, step: 0.05, value: cfg.noise, format: (v) => fixed(v, 2), onChange: (v) => { cfg.noise = v; restart(); } }),
    layersField,
    select({ label: gettext("activation"), options: ACTS, value: cfg.activation, onChange: (v) => { cfg.activation = v; restart(); } }),
    select({ label: gettext("learning rate"), options: RATES.map((r) => [r, decimal(r)]), value: cfg.learning_rate, onChange: (v) => { cfg.learning_rate = Number(v); restart(); } }),
    select({ label: gettext("optimizer"), options: [["sgd", gettext("gradient descent")], ["adam", "Adam"]], value: cfg.optimizer, onChange: (v) => { cfg.optimizer = v; restart(); } }),
    select({ label: gettext("batch mode"), options: MODES, value: cfg.mode, onChange: (v) => { cfg.mode = v; restart(); } }),
    slider({ label: gettext("batch size"), min: 1, max: 64, step: 1, value: cfg.batch_size, onChange: (v) => { cfg.batch_size = v; restart(); } }),
    el("div", { class: "lp-widget__buttons" }, trainButton, stepButton, resetButton));
  const boundary = makeCanvas(300, 300, gettext("decision boundary"));
  const chart = makeCanvas(300, 170, gettext("loss curve"));
  const network = makeCanvas(300, 170, gettext("network diagram"));
  network.classList.add("lp-network");
  node.replaceChildren(title(node, params.title || gettext("Playground")),
    el("div", { class: "lp-widget__row" }, controls,
      el("div", {}, boundary, readout, status), el("div", {}, network, chart)));
  const placeholder = (text) => {
    const ctx = boundary.getContext("2d");
    ctx.clearRect(0, 0, 300, 300);
    ctx.fillStyle = "#4a5560";
    ctx.font = "14px system-ui, sans-serif";
    ctx.fillText(text, 20, 150);
  };
  placeholder(gettext("Python is loading…"));

  // "lr" (the old name) is passed on when given, so that the job says what it is called now.
  const KEYS = ["dataset", "noise", "n", "layers", "activation", "learning_rate", "lr", "optimizer", "mode", "batch_size",
    "epochs", "test_fraction", "seed", "resolution"];
  function params_(extra) {
    return { ...Object.fromEntries(KEYS.filter((k) => cfg[k] !== undefined).map((k) => [k, cfg[k]])), session, ...extra };
  }

  function onMessage(msg) {
    if (msg.type === "data") {
      state.data = msg.data;
    } else if (msg.type === "boundary") {
      state.grid = msg.data;
      state.epoch = msg.data.epoch;
      schedule();
    } else if (msg.type === "progress") {
      state.history.push(...msg.data.points);
      schedule();
    }
  }

  let raf = null;
  function schedule() {
    if (!raf) raf = requestAnimationFrame(render);
  }
  function render() {
    raf = null;
    const classes = state.data ? state.data.classes : 2;
    drawNetwork(network, { sizes: [2, ...cfg.layers, classes], weights: state.grid ? state.grid.weights || null : null,
      labels: [gettext("input"), ...cfg.layers.map((n) => String(n)), gettext("output")] });
    if (state.data && state.grid) {
      drawBoundary(boundary, { grid: state.grid.grid, extent: state.grid.extent, points: state.data.points,
        labels: state.data.labels, classes: state.data.classes > 2 ? "multi" : "binary", title: gettext("Decision boundary") });
    }
    const h = state.history;
    const series = [{ x: h.map((p) => p.step), y: h.map((p) => p.loss), label: gettext("training loss") }];
    if (h.length && h[0].metrics.test_loss !== undefined) {
      series.push({ x: h.map((p) => p.step), y: h.map((p) => p.metrics.test_loss), label: gettext("test loss") });
    }
    drawLineChart(chart, { series, xlabel: gettext("epoch"), title: gettext("Loss") });
    const last = h[h.length - 1];
    if (last) {
      const text = interpolate(gettext("epoch %(epoch)s · loss %(loss)s · accuracy %(accuracy)s"),
        { epoch: last.step, loss: fmt(last.loss), accuracy: fmt(last.metrics.accuracy) });
      readout.textContent = text;
      node.dataset.epoch = String(last.step);
      node.dataset.loss = String(last.loss);
      if (state.running) status.say(text); // throttled: a screen reader hears it every few seconds
    }
  }

  function setRunning(running) {
    state.running = running;
    iconLabel(trainButton, running ? "pause" : "play", running ? gettext("Pause") : gettext("Train"));
    trainButton.setAttribute("aria-pressed", running ? "true" : "false");
    stepButton.disabled = running || state.invalid;
    trainButton.disabled = !running && state.invalid;
    node.dataset.running = running ? "true" : "false";
  }

  async function start(extra) {
    if (signal && signal.aborted) return; // its step was left: no new job for a widget no one sees
    if (state.job) {
      state.pending = extra;
      state.job.cancel();
      return;
    }
    const resume = !state.fresh;
    state.fresh = false;
    if (!resume) {
      state.history = [];
      state.data = null;
    }
    state.job = runtime.task("playground", params_({ ...extra, resume }), { onMessage });
    const result = await state.job.done;
    state.job = null;
    if (state.pending) {
      const next = state.pending;
      state.pending = null;
      return start(next);
    }
    setRunning(false);
    if (result.stopped && !result.ok) { state.fresh = true; status.say(gettext("Python was restarted; press Train to start again."), true); return; }
    if (!result.ok) { status.say(interpolate(gettext("The playground failed: %(error)s"), { error: result.error }), true); return; }
    render();
    if (state.history.length) status.say(`${readout.textContent}.`, true);
  }

  function train(epochs = null) {
    setRunning(epochs === null);
    start(epochs === null ? {} : { run_epochs: epochs });
  }

  function pauseTraining() {
    if (state.job) state.job.cancel();
    setRunning(false);
  }

  function restart() {
    // New settings: new weights and data. Keep training if it was training.
    const wasRunning = state.running;
    state.fresh = true;
    state.history = [];
    if (state.job) {
      state.pending = wasRunning ? {} : { run_epochs: 0 };
      state.job.cancel();
    } else {
      start(wasRunning ? {} : { run_epochs: 0 });
    }
  }

  // Removed when the step is left (signal): the player mounts a new widget on every visit of a step.
  runtime.addEventListener("restart", () => { state.fresh = true; state.job = null; state.pending = null; setRunning(false); }, { signal });
  runtime.ready.then(() => { if (!state.job && !state.data) start({ run_epochs: 0 }); }, () => placeholder(gettext("Python could not start.")));
  schedule(); // the network diagram shows the layers at once, its weights once Python is up
  return { train, pause: pauseTraining, restart, state, config: cfg };
}
