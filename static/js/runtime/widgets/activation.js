// Activation functions side by side (optionally their derivatives), with a probe value z.
// params: functions, range, derivative, title (types, ranges and defaults: the registry,
// learningpaths/compiler/widget_specs.py)

import { drawLineChart, fmt, makeCanvas, PALETTE } from "../plot.js";
import { gettext, interpolate } from "../i18n.js";
import { fixed } from "../numbers.js";
import { ACTIVATIONS, activationKey, bool, el, list, num, slider, title } from "./ui.js";

const NAMES = ["step", "identity", "relu", "leaky_relu", "sigmoid", "tanh"];

export function mount(node, { params }) {
  const range = num(params.range);
  const chosen = new Set(list(params.functions, activationKey));
  let derivative = bool(params.derivative);
  let probe = 0;
  const fieldset = el("fieldset", { class: "lp-checks" }, el("legend", {}, gettext("Functions")));
  for (const name of NAMES) {
    const box = el("input", { type: "checkbox", value: name });
    box.checked = chosen.has(name);
    box.addEventListener("change", () => { box.checked ? chosen.add(name) : chosen.delete(name); draw(); });
    fieldset.append(el("label", {}, box, ACTIVATIONS[name].label));
  }
  const deriv = el("input", { type: "checkbox" });
  deriv.checked = derivative;
  deriv.addEventListener("change", () => { derivative = deriv.checked; draw(); });
  fieldset.append(el("label", {}, deriv, gettext("show derivatives")));
  const probeSlider = slider({ label: "z", min: -range, max: range, step: 0.1, value: 0, format: (v) => fixed(v, 1),
    onInput: (v) => { probe = v; draw(); } });
  const canvas = makeCanvas(480, 260, gettext("activation functions"));
  const table = el("table", { class: "lp-metrics-table" });
  const caption = el("caption", { class: "visually-hidden" }, gettext("Values at z"));
  const tbody = el("tbody");
  table.append(caption, tbody);
  const live = el("p", { class: "lp-widget__status", role: "status", "aria-live": "polite" });
  node.replaceChildren(title(node, params.title || gettext("Activation functions")), fieldset,
    el("div", { class: "lp-widget__row" }, canvas, el("div", { class: "lp-widget__controls" }, probeSlider, table, live)));

  function draw() {
    const zs = Array.from({ length: 201 }, (_, i) => -range + (i * 2 * range) / 200);
    const series = [];
    const names = NAMES.filter((n) => chosen.has(n));
    names.forEach((name, k) => {
      const a = ACTIVATIONS[name];
      series.push({ x: zs, y: zs.map(a.f), label: a.label, color: PALETTE[k % PALETTE.length] });
      if (derivative) series.push({ x: zs, y: zs.map(a.d), label: `${a.label}′`, color: PALETTE[k % PALETTE.length] + "88" });
    });
    const m = drawLineChart(canvas, { series, xlabel: "z", title: derivative ? gettext("f(z) and f′(z)") : "f(z)", ymin: -1.5, ymax: Math.min(range, 3) });
    const ctx = canvas.getContext("2d");
    ctx.strokeStyle = "#D55E00";
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(m.sx(probe), m.top);
    ctx.lineTo(m.sx(probe), m.top + m.ph);
    ctx.stroke();
    ctx.setLineDash([]);
    tbody.replaceChildren(...names.map((name) => {
      const a = ACTIVATIONS[name];
      return el("tr", {}, el("th", { scope: "row" }, a.label), el("td", {}, fmt(a.f(probe))),
        derivative ? el("td", {}, `f′ ${fmt(a.d(probe))}`) : null);
    }));
    live.textContent = interpolate(gettext("At z = %(z)s: %(values)s"), {
      z: fixed(probe, 1), values: names.map((n) => `${ACTIVATIONS[n].label} ${fmt(ACTIVATIONS[n].f(probe))}`).join(", "),
    });
  }
  draw();
  return { draw };
}
