// Widget backed by the server's letter and digit CNN (learningpaths.demos, model "glyphs-cnn"):
//   glyph: draw a letter or a digit; the server's CNN gives its top 3 and the feature maps of
//          every convolution block
//     params: {model, title} (defaults: the registry, learningpaths/compiler/widget_specs.py)
// API: as server.js, with "layers": [{name, shape, min, max, uint8}] in the answer (one per conv block).
// The drawing is scaled as the training glyphs were (learningpaths/demos/glyphs.py): its longer
// side BOX pixels, centred in SIZE x SIZE.

import { drawImage, imageGrid, makeCanvas } from "../plot.js";
import { fixed } from "../numbers.js";
import { gettext, interpolate } from "../i18n.js";
import { decodeMaps, predict, serverStatus, unavailable } from "./server.js";
import { drawingPad } from "./pad.js";
import { button, el, liveRegion, title } from "./ui.js";

const SIZE = 32;
const BOX = 24;
const MAPS_SHOWN = 8; // per layer

/** The drawing (rows of 0..1) cropped to its ink and resampled so that its longer side is BOX. */
export function normalise(pixels) {
  const n = pixels.length;
  let [top, left, bottom, right] = [n, n, -1, -1];
  pixels.forEach((row, r) => row.forEach((v, c) => {
    if (v > 0) { top = Math.min(top, r); bottom = Math.max(bottom, r); left = Math.min(left, c); right = Math.max(right, c); }
  }));
  const out = Array.from({ length: SIZE }, () => Array(SIZE).fill(0));
  if (bottom < 0) return out;
  const h = bottom - top + 1;
  const w = right - left + 1;
  const scale = BOX / Math.max(h, w);
  const oh = h * scale;
  const ow = w * scale;
  const y0 = (SIZE - oh) / 2;
  const x0 = (SIZE - ow) / 2;
  const at = (r, c) => (r < top || r > bottom || c < left || c > right ? 0 : pixels[r][c]);
  for (let r = 0; r < SIZE; r++) for (let c = 0; c < SIZE; c++) {
    // Bilinear sample at the centre of the output pixel, in the drawing's coordinates.
    const sr = top + (r + 0.5 - y0) / scale - 0.5;
    const sc = left + (c + 0.5 - x0) / scale - 0.5;
    if (sr < top - 1 || sr > bottom + 1 || sc < left - 1 || sc > right + 1) continue;
    const r0 = Math.floor(sr);
    const c0 = Math.floor(sc);
    const fr = sr - r0;
    const fc = sc - c0;
    const v = at(r0, c0) * (1 - fr) * (1 - fc) + at(r0, c0 + 1) * (1 - fr) * fc + at(r0 + 1, c0) * fr * (1 - fc) + at(r0 + 1, c0 + 1) * fr * fc;
    out[r][c] = Math.round(Math.min(1, Math.max(0, v)) * 1000) / 1000;
  }
  return out;
}

function top3(labels, probs) {
  const order = probs.map((p, i) => [p, i]).sort((a, b) => b[0] - a[0]).slice(0, 3);
  return el("ol", { class: "lp-bars lp-glyph__top", "aria-label": gettext("the three most likely answers") },
    ...order.map(([p, i], k) => el("li", { class: k === 0 ? "lp-bars__best" : "" },
      el("span", { class: "lp-bars__label" }, labels[i]),
      el("span", { class: "lp-bars__bar", style: `width:${Math.max(1, Math.round(p * 100)) * 1.2}px`, "aria-hidden": "true" }),
      el("span", { class: "lp-bars__value" }, `${fixed(p * 100, 1)}%`))));
}

function layerMaps(layers) {
  return layers.map((layer, i) => {
    const [, channels, h, w] = layer.shape;
    const maps = decodeMaps(layer).slice(0, MAPS_SHOWN);
    return el("figure", { class: "lp-glyph__layer", "data-layer": layer.name },
      imageGrid({ images: maps, columns: 4 }),
      el("figcaption", {}, interpolate(gettext("block %(n)s: %(shown)s of %(channels)s feature maps of %(h)s by %(w)s"),
        { n: i + 1, shown: maps.length, channels, h, w })));
  });
}

export function mount(node, { params, config }) {
  const url = (config && config.demosURL) || "/api/demos/";
  const wanted = String(params.model);
  const heading = title(node, params.title || gettext("Recognise a letter or a digit"));
  node.replaceChildren(heading, el("p", { class: "lp-widget__status", role: "status" }, gettext("Asking the server…")));
  node.dataset.state = "loading";
  serverStatus(url).then((info) => {
    if (info.unavailable) return unavailable(node, heading, info.reason);
    const model = (info.models || []).find((m) => m.name === wanted);
    if (!model || model.ready === false) {
      return unavailable(node, heading, interpolate(gettext("no model %(names)s on the server"), { names: wanted }));
    }
    build(model);
  });

  function build(model) {
    const live = liveRegion("lp-widget__status", 500);
    const results = el("div", { class: "lp-model-results lp-glyph__results" });
    const pad = drawingPad({ label: gettext("drawing area for a letter or a digit"), onStroke: () => classify(), onEnter: () => classify() });
    const seen = makeCanvas(96, 96, gettext("what the model sees: 32 by 32 pixels"));
    const help = el("p", { class: "lp-help", id: `lp-help-${Math.random().toString(36).slice(2, 8)}` },
      gettext("Draw one capital letter or digit with the mouse or a finger (or focus the pad: arrow keys move, Space draws, Enter asks the model)."));
    pad.canvas.setAttribute("aria-describedby", help.id);
    node.replaceChildren(heading, help,
      el("div", { class: "lp-widget__row" },
        el("div", {}, pad.canvas, el("div", { class: "lp-widget__buttons" },
          button(gettext("Ask the model"), () => classify()),
          button(gettext("Clear"), () => { pad.clear(); results.replaceChildren(); node.dataset.prediction = ""; live.say(gettext("Cleared."), true); }))),
        el("figure", {}, seen, el("figcaption", {}, gettext("what the model sees")))),
      results, live);
    node.dataset.state = "ready";

    async function classify() {
      if (pad.empty()) { live.say(gettext("Draw a letter or a digit first."), true); return; }
      const image = normalise(pad.pixels());
      drawImage(seen, image.map((row) => row.map((v) => 1 - v)), { vmin: 0, vmax: 1 });
      live.say(gettext("Asking the server…"), true);
      let answer;
      try {
        answer = await predict(url, model.name, image.flat());
      } catch (err) {
        results.replaceChildren(el("p", { class: "lp-widget__problem", role: "alert" },
          interpolate(gettext("No answer from the server: %(error)s"), { error: err.message })));
        live.say(gettext("The server did not answer."), true);
        node.dataset.prediction = "";
        return;
      }
      const probs = answer.probabilities[0];
      results.replaceChildren(
        el("section", { class: "lp-model", "aria-label": model.title || model.name },
          el("h4", {}, gettext("The model's top 3")), top3(answer.labels, probs)),
        el("section", { class: "lp-glyph__maps" },
          el("h4", {}, gettext("Feature maps of every convolution block")),
          el("p", { class: "lp-help" }, gettext("Light means the filter found its pattern there. Deeper blocks see larger parts of the drawing, at a lower resolution.")),
          el("div", { class: "lp-glyph__layers" }, ...layerMaps(answer.layers || []))));
      const best = probs.indexOf(Math.max(...probs));
      live.say(interpolate(gettext("The model says %(label)s (%(percent)s)."), { label: answer.labels[best], percent: `${fixed(probs[best] * 100, 1)}%` }), true);
      node.dataset.prediction = answer.predictions[0];
    }
  }
  return {};
}
