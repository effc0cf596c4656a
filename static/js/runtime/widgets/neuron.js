// One neuron: y = f(w·x + b), with sliders for inputs, weights and bias and a choice of
// activation. Pure JS (the same formulas as engine.Neuron), so it works before Python loads.
// params: inputs, weights, n, bias, activation, range, title (types, ranges and defaults: the registry,
// learningpaths/compiler/widget_specs.py)

import { drawBoundary, drawLineChart, fmt, makeCanvas } from "../plot.js";
import { gettext, interpolate } from "../i18n.js";
import { fixed, sumText } from "../numbers.js";
import { ACTIVATIONS, activationFn, activationKey, el, list, liveRegion, num, select, slider, title } from "./ui.js";

export function mount(node, { params }) {
  const inputs = list(params.inputs, Number);
  const weights = list(params.weights, Number);
  const n = Math.max(1, Math.min(5, weights.length || inputs.length || num(params.n)));
  const range = num(params.range);
  const state = {
    // Inputs and weights not given start here: how many there are depends on n or on the other
    // list, so the registry (a fixed value per parameter) leaves them to the widget.
    x: Array.from({ length: n }, (_, i) => num(inputs[i], 1)),
    w: Array.from({ length: n }, (_, i) => num(weights[i], i ? -0.5 : 0.8)),
    b: num(params.bias),
    act: activationKey(params.activation), // "linear" is shown (and kept) as "identity"
  };
  const fmtv = (v) => fixed(v, 2);
  // A term's value as shown (its sign becomes the sum's operator); a negative input in brackets.
  const shown = (v) => Number(v.toFixed(2));
  const factor = (v) => (shown(v) < 0 ? `(${fmtv(v)})` : fmtv(v));
  const controls = el("div", { class: "lp-widget__controls" });
  for (let i = 0; i < n; i++) {
    controls.append(slider({ label: interpolate(gettext("input x%(i)s"), { i: i + 1 }), min: -range, max: range, step: 0.1, value: state.x[i], format: fmtv,
      onInput: (v) => { state.x[i] = v; update(); } }));
    controls.append(slider({ label: interpolate(gettext("weight w%(i)s"), { i: i + 1 }), min: -range, max: range, step: 0.1, value: state.w[i], format: fmtv,
      onInput: (v) => { state.w[i] = v; update(); } }));
  }
  controls.append(slider({ label: gettext("bias b"), min: -range, max: range, step: 0.1, value: state.b, format: fmtv,
    onInput: (v) => { state.b = v; update(); } }));
  const acts = ["step", "identity", "relu", "leaky_relu", "sigmoid", "tanh"];
  controls.append(select({ label: gettext("activation f"), options: acts.map((a) => [a, ACTIVATIONS[a].label]), value: state.act,
    onChange: (v) => { state.act = v; update(); } }));

  const formula = el("p", { class: "lp-widget__readout", "aria-hidden": "true" });
  const live = liveRegion();
  const curve = makeCanvas(300, 170, gettext("activation function"));
  const plane = n === 2 ? makeCanvas(170, 170, gettext("output over the input plane")) : null;
  const figures = el("div", { class: "lp-widget__row" }, curve, plane);
  node.replaceChildren(title(node, params.title || gettext("A neuron")),
    el("div", { class: "lp-widget__row" }, controls, el("div", {}, formula, live, figures)));

  function update() {
    const f = activationFn(state.act);
    const products = state.x.map((x, i) => x * state.w[i]);
    const z = products.reduce((a, b) => a + b, 0) + state.b;
    const y = f.f(z);
    const terms = state.w.map((w, i) => [shown(w), `${fmtv(Math.abs(w))}·${factor(state.x[i])}`]);
    formula.textContent = `z = ${sumText([...terms, [shown(state.b), fmtv(Math.abs(state.b))]])} = ${fmt(z)}\n` +
      `y = ${f.label}(${fmt(z)}) = ${fmt(y)}`;
    node.dataset.output = String(y);
    live.say(interpolate(gettext("Weighted sum z = %(z)s; output y = %(y)s."), { z: fmt(z), y: fmt(y) }));
    const zs = Array.from({ length: 121 }, (_, i) => -6 + i * 0.1);
    const m = drawLineChart(curve, { series: [{ x: zs, y: zs.map(f.f), label: f.label }], xlabel: "z", title: "y = f(z)" });
    const ctx = curve.getContext("2d");
    if (z >= -6 && z <= 6) {
      ctx.fillStyle = "#D55E00";
      ctx.beginPath();
      ctx.arc(m.sx(z), m.sy(y), 5, 0, 2 * Math.PI);
      ctx.fill();
    }
    if (plane) {
      const res = 40;
      const probabilistic = state.act === "sigmoid" || state.act === "step";
      const grid = [];
      for (let r = 0; r < res; r++) {
        const row = [];
        const x2 = -range + (2 * range * r) / (res - 1);
        for (let c = 0; c < res; c++) {
          const x1 = -range + (2 * range * c) / (res - 1);
          const zz = state.w[0] * x1 + state.w[1] * x2 + state.b;
          row.push(probabilistic ? f.f(zz) : 1 / (1 + Math.exp(-2 * zz)));
        }
        grid.push(row);
      }
      drawBoundary(plane, { grid, extent: [-range, range, -range, range], points: [state.x], labels: [y >= 0.5 ? 1 : 0],
        title: probabilistic ? gettext("Output y over the (x1, x2) plane") : gettext("Sign of z over the (x1, x2) plane") });
    }
  }
  update();
  return { state, update };
}
