// Widgets backed by the server's ONNX demos (learningpaths.demos, /api/demos/):
//   digit:          draw a digit, the server's model classifies it
//     params: {model, title}
//   compare-models: the same drawing sent to several models, answers side by side
//     params: {models, title}
// (the models' names by default: the registry, learningpaths/compiler/widget_specs.py)
// API: GET {demosURL} -> {models: [{name, title, input_shape, labels, ready}]}
//      POST {demosURL}{name}/predict {"input": [...]} -> {labels, probabilities, predictions, feature_maps?}
//      feature_maps: {shape, min, max, uint8}, 8 bits per value (learningpaths/demos/encoding.py)
// When the server does not answer 200, the widget says that the server demo is not available.

import { drawImage, fmt, imageGrid, makeCanvas } from "../plot.js";
import { gettext, interpolate } from "../i18n.js";
import { button, el, list, liveRegion, title } from "./ui.js";
import { drawingPad } from "./pad.js";

let statusPromise = null;
export function serverStatus(url) {
  if (!statusPromise) {
    statusPromise = fetch(url, { headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .catch((err) => ({ unavailable: true, reason: String(err.message || err) }));
  }
  return statusPromise;
}

export function unavailable(node, heading, reason) {
  node.replaceChildren(heading, el("div", { class: "lp-server-off", role: "status" },
    el("p", {}, el("strong", {}, gettext("The server demo is not available.")),
      " ", gettext("This part of the lesson needs a model on the server, and the server does not offer it right now.")),
    el("p", { class: "lp-help" }, gettext("Everything else on this page still works. Try again later."), reason ? ` (${reason})` : "")));
  node.dataset.state = "unavailable";
}

function bars(labels, probs) {
  const best = probs.indexOf(Math.max(...probs));
  const chart = el("ol", { class: "lp-bars", "aria-label": gettext("probability per class") });
  labels.forEach((label, i) => {
    const pct = Math.round(probs[i] * 100);
    chart.append(el("li", { class: i === best ? "lp-bars__best" : "" },
      el("span", { class: "lp-bars__label" }, label),
      el("span", { class: "lp-bars__bar", style: `width:${Math.max(1, pct) * 1.2}px`, "aria-hidden": "true" }),
      el("span", { class: "lp-bars__value" }, `${pct}%`)));
  });
  return chart;
}

/** One sample's feature maps from the API's compact form, as c images of h x w values. */
export function decodeMaps(fm, sample = 0) {
  const [, c, h, w] = fm.shape;
  const bytes = Uint8Array.from(atob(fm.uint8), (ch) => ch.charCodeAt(0));
  return Array.from({ length: c }, (_, j) => {
    const lo = fm.min[sample][j];
    const step = (fm.max[sample][j] - lo) / 255;
    const offset = (sample * c + j) * h * w;
    return Array.from({ length: h }, (_, r) => Array.from({ length: w }, (_, k) => lo + bytes[offset + r * w + k] * step));
  });
}

export async function predict(url, name, input) {
  const response = await fetch(`${url}${encodeURIComponent(name)}/predict`, {
    method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ input: [input] }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.detail || `HTTP ${response.status}`);
  return body;
}

export function mount(node, { name, params, config }) {
  const url = (config && config.demosURL) || "/api/demos/";
  const compare = name === "compare-models";
  const wanted = compare ? list(params.models, String) : [String(params.model)];
  const heading = title(node, params.title || (compare ? gettext("Compare models") : gettext("Recognise a digit")));
  node.replaceChildren(heading, el("p", { class: "lp-widget__status", role: "status" }, gettext("Asking the server…")));
  node.dataset.state = "loading";
  serverStatus(url).then((info) => {
    if (info.unavailable) return unavailable(node, heading, info.reason);
    const known = new Map((info.models || []).map((m) => [m.name, m]));
    const models = wanted.map((m) => known.get(m)).filter((m) => m && m.ready !== false);
    if (!models.length) {
      return unavailable(node, heading, interpolate(gettext("no model %(names)s on the server"), { names: wanted.join(", ") }));
    }
    build(models);
  });

  function build(models) {
    const live = liveRegion("lp-widget__status", 500);
    const results = el("div", { class: "lp-widget__row lp-model-results" });
    const pad = drawingPad({ label: gettext("drawing area for a digit"), onStroke: () => classify(), onEnter: () => classify() });
    const seen = makeCanvas(64, 64, gettext("what the model sees: 8 by 8 pixels"));
    node.replaceChildren(heading,
      el("p", { class: "lp-help" },
        gettext("Draw a digit with the mouse or a finger (or focus the pad: arrow keys move, Space draws, Enter asks the model).")),
      el("div", { class: "lp-widget__row" },
        el("div", {}, pad.canvas, el("div", { class: "lp-widget__buttons" },
          button(gettext("Ask the model"), () => classify()),
          button(gettext("Clear"), () => { pad.clear(); results.replaceChildren(); live.say(gettext("Cleared."), true); }))),
        el("figure", {}, seen, el("figcaption", {}, gettext("what the model sees"))), results),
      live);
    node.dataset.state = "ready";
    // The keyboard instructions above also describe the pad to screen readers.
    const help = node.querySelector(".lp-help");
    help.id = `lp-help-${Math.random().toString(36).slice(2, 8)}`;
    pad.canvas.setAttribute("aria-describedby", help.id);

    async function classify() {
      if (pad.empty()) { live.say(gettext("Draw a digit first."), true); return; }
      const input = pad.input();
      const img = [];
      for (let r = 0; r < 8; r++) img.push(input.slice(r * 8, r * 8 + 8).map((v) => 1 - v));
      drawImage(seen, img, { vmin: 0, vmax: 1 });
      live.say(gettext("Asking the server…"), true);
      const answers = await Promise.all(models.map((m) => predict(url, m.name, input).then((r) => ({ m, r }), (err) => ({ m, err }))));
      results.replaceChildren(...answers.map(({ m, r, err }) => {
        const box = el("section", { class: "lp-model", "aria-label": m.title || m.name }, el("h4", {}, m.title || m.name));
        if (err) box.append(el("p", { class: "lp-widget__problem" }, interpolate(gettext("No answer: %(error)s"), { error: err.message })));
        else {
          box.append(el("p", { class: "lp-widget__readout" }, interpolate(gettext("prediction: %(digit)s"), { digit: r.predictions[0] })),
            bars(r.labels, r.probabilities[0]));
          if (r.feature_maps && !compare) {
            box.append(el("p", { class: "lp-help" }, gettext("Feature maps of the first convolution:")), imageGrid({ images: decodeMaps(r.feature_maps).slice(0, 8), columns: 4 }));
          }
        }
        return box;
      }));
      const ok = answers.filter((a) => a.r);
      live.say(ok.length ? ok.map(({ m, r }) => `${m.title || m.name}: ${r.predictions[0]} (${fmt(Math.max(...r.probabilities[0]))})`).join("; ")
        : gettext("The server did not answer."), true);
      node.dataset.prediction = ok.length ? String(ok[0].r.predictions[0]) : "";
    }
  }
  return {};
}
