// Widget backed by the server's glyph autoencoder (learningpaths/demos/glyphgen.py, /api/demos/):
//   glyph-explorer: a latent-space explorer. Pick two glyphs; one slider mixes their latent points
//   (each class's mean, from the model card), a second moves along the "style" direction (the main
//   way glyphs of one class differ); the decoder paints every point. And "clean up my drawing":
//   draw on the pad, the autoencoder encodes and decodes it.
//     params: {model, from, to, title} (defaults: the registry, learningpaths/compiler/widget_specs.py)
// API: GET {demosURL} -> {models: [{name, ready, card: {class_latents, style_direction, style_scale}}]}
//      POST {demosURL}{name}/decode {"latent": [[16 numbers] ...]} -> {images: {shape, min, max, uint8}}
//      POST {demosURL}{name}/encode {"input": [1024 numbers]} -> {latent, reconstruction: {shape, min, max, uint8}}
// A morph is fetched whole (every step of the mix slider at the style chosen) and kept, so moving the
// mix slider answers at once and asks the server nothing.

import { drawImage, makeCanvas } from "../plot.js";
import { fixed } from "../numbers.js";
import { gettext, interpolate } from "../i18n.js";
import { normalise } from "./glyph.js";
import { decodeMaps, serverStatus, unavailable } from "./server.js";
import { drawingPad } from "./pad.js";
import { button, el, liveRegion, select, slider, title } from "./ui.js";

const STEPS = 10; // the mix slider: 0, 0.1, ..., 1
const STYLE = 1.5; // the style slider: -1.5 .. 1.5 standard deviations
const STYLE_STEP = 0.5;
const SHOWN = 128; // pixels for a 32x32 glyph

async function post(url, name, action, body) {
  let response;
  try {
    response = await fetch(`${url}${encodeURIComponent(name)}/${action}`, {
      method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
  } catch {
    throw new Error(gettext("The server did not answer. Check the connection and try again."));
  }
  const answer = await response.json().catch(() => ({}));
  if (response.status === 429) throw new Error(gettext("Too many requests: wait a moment and try again."));
  if (!response.ok) throw new Error(interpolate(gettext("No answer: %(error)s"), { error: answer.detail || `HTTP ${response.status}` }));
  return answer;
}

/** The n images of a compact answer, as rows of values 0..1. */
const imagesOf = (fm) => Array.from({ length: fm.shape[0] }, (_, i) => decodeMaps(fm, i)[0]);
const ink = (image) => image.map((row) => row.map((v) => 1 - v)); // dark ink on white, as on the pad

/** The latent point a of the way from a to b (0..1), moved s along the style direction. */
export function mixPoint(a, b, t, direction, s) {
  return a.map((v, i) => v + t * (b[i] - v) + s * direction[i]);
}

export function mount(node, { params, config }) {
  const url = (config && config.demosURL) || "/api/demos/";
  const wanted = String(params.model);
  const heading = title(node, params.title || gettext("Explore the autoencoder's latent space"));
  node.replaceChildren(heading, el("p", { class: "lp-widget__status", role: "status" }, gettext("Asking the server…")));
  node.dataset.state = "loading";
  serverStatus(url).then((info) => {
    if (info.unavailable) return unavailable(node, heading, info.reason);
    const model = (info.models || []).find((m) => m.name === wanted);
    const card = model && model.card;
    if (!model || model.ready === false || !card || !card.class_latents) {
      return unavailable(node, heading, interpolate(gettext("no model %(names)s on the server"), { names: wanted }));
    }
    build(model, card);
  });

  function build(model, card) {
    const live = liveRegion("lp-widget__status", 500);
    const classes = Object.keys(card.class_latents);
    // A glyph the server's model does not know (an older model card) gives way to one it does.
    const pick = (p, fallback) => (classes.includes(String(p)) ? String(p) : fallback);
    const state = { from: pick(params.from, classes[0]), to: pick(params.to, classes[1]), t: 0, s: 0 };
    const morphs = new Map(); // "A|B|style" -> the images of every mix step
    const direction = card.style_direction.map((v) => v * card.style_scale);

    const image = makeCanvas(SHOWN, SHOWN, gettext("the glyph the decoder paints at this point"));
    const strip = el("div", { class: "lp-latent__strip", "aria-hidden": "true" });
    const problem = el("p", { class: "lp-widget__problem", role: "alert", hidden: "" });
    const caption = el("figcaption", {});
    const choose = (key, label) => select({
      label, options: classes, value: state[key], onChange: (v) => { state[key] = v; show(); },
    });
    const mix = slider({
      label: gettext("mix (0: the first glyph, 1: the second)"), min: 0, max: 1, step: 1 / STEPS, value: 0,
      format: (v) => fixed(v, 1), onInput: (v) => { state.t = v; show(); },
    });
    const style = slider({
      label: gettext("style (along the main way glyphs of one kind differ)"), min: -STYLE, max: STYLE, step: STYLE_STEP, value: 0,
      format: (v) => fixed(v, 1), onInput: (v) => { state.s = v; show(); },
    });

    const pad = drawingPad({ label: gettext("drawing area for a letter or a digit"), onStroke: () => clean(), onEnter: () => clean() });
    const drawn = makeCanvas(SHOWN, SHOWN, gettext("your drawing at 32 by 32 pixels"));
    const cleaned = makeCanvas(SHOWN, SHOWN, gettext("the autoencoder's reconstruction"));
    const verdict = el("p", { class: "lp-widget__readout" });
    const padHelp = el("p", { class: "lp-help", id: `lp-help-${Math.random().toString(36).slice(2, 8)}` },
      gettext("Draw a capital letter or a digit, roughly or with gaps (or focus the pad: arrow keys move, Space draws, Enter cleans up)."));
    pad.canvas.setAttribute("aria-describedby", padHelp.id);

    node.replaceChildren(heading,
      el("section", { class: "lp-latent__morph" },
        el("h4", {}, gettext("Morph one glyph into another")),
        el("p", { class: "lp-help" }, gettext("Each glyph is a point of 16 numbers. Between the points of two glyphs lie points the decoder also paints: glyphs nobody drew.")),
        el("div", { class: "lp-widget__controls" }, choose("from", gettext("first glyph")), choose("to", gettext("second glyph")), mix, style),
        el("div", { class: "lp-widget__row" }, el("figure", {}, image, caption), strip),
        problem),
      el("section", { class: "lp-latent__clean" },
        el("h4", {}, gettext("Clean up my drawing")),
        padHelp,
        el("div", { class: "lp-widget__row" },
          el("div", {}, pad.canvas, el("div", { class: "lp-widget__buttons" },
            button(gettext("Clean up"), () => clean()),
            button(gettext("Clear"), () => {
              pad.clear(); node.dataset.cleaned = ""; verdict.textContent = ""; live.say(gettext("Cleared."), true);
            }))),
          el("figure", {}, drawn, el("figcaption", {}, gettext("what the encoder gets"))),
          el("figure", {}, cleaned, el("figcaption", {}, gettext("what the decoder paints back")))),
        verdict),
      live);
    node.dataset.state = "ready";
    show();

    async function morph(key) {
      if (!morphs.has(key)) {
        const [a, b] = [card.class_latents[state.from], card.class_latents[state.to]];
        const points = Array.from({ length: STEPS + 1 }, (_, k) => mixPoint(a, b, k / STEPS, direction, state.s));
        // Kept as a promise, so that moves while it is under way wait for the same answer.
        morphs.set(key, post(url, model.name, "decode", { latent: points }).then((r) => imagesOf(r.images)));
        morphs.get(key).catch(() => morphs.delete(key)); // a failure is asked again next time
      }
      return morphs.get(key);
    }

    async function show() {
      const key = `${state.from}|${state.to}|${state.s}`;
      const step = Math.round(state.t * STEPS);
      let images;
      try {
        images = await morph(key);
      } catch (err) {
        problem.hidden = false;
        problem.textContent = err.message;
        live.say(gettext("The server did not answer."), true);
        return;
      }
      if (key !== `${state.from}|${state.to}|${state.s}` || step !== Math.round(state.t * STEPS)) return; // moved on
      problem.hidden = true;
      drawImage(image, ink(images[step]), { vmin: 0, vmax: 1 });
      if (strip.dataset.key !== key) {
        strip.dataset.key = key;
        strip.replaceChildren(...images.map((img) => {
          const c = makeCanvas(40, 40, "");
          drawImage(c, ink(img), { vmin: 0, vmax: 1 });
          return c;
        }));
      }
      [...strip.children].forEach((c, k) => c.classList.toggle("lp-latent__current", k === step));
      caption.textContent = interpolate(gettext("%(a)s → %(b)s: mix %(t)s, style %(s)s"),
        { a: state.from, b: state.to, t: fixed(state.t, 1), s: fixed(state.s, 1) });
      node.dataset.morph = `${key}|${step}`;
    }

    async function clean() {
      if (pad.empty()) { live.say(gettext("Draw a letter or a digit first."), true); return; }
      const input = normalise(pad.pixels());
      drawImage(drawn, ink(input), { vmin: 0, vmax: 1 });
      live.say(gettext("Asking the server…"), true);
      let answer;
      try {
        answer = await post(url, model.name, "encode", { input: [input.flat()] });
      } catch (err) {
        verdict.textContent = err.message;
        node.dataset.cleaned = "";
        live.say(gettext("The server did not answer."), true);
        return;
      }
      drawImage(cleaned, ink(imagesOf(answer.reconstruction)[0]), { vmin: 0, vmax: 1 });
      // The class whose mean point lies nearest: what the drawing "looks like" to the encoder.
      const z = answer.latent[0];
      const distance = (c) => card.class_latents[c].reduce((sum, v, i) => sum + (v - z[i]) ** 2, 0);
      const nearest = classes.reduce((best, c) => (distance(c) < distance(best) ? c : best), classes[0]);
      verdict.textContent = interpolate(gettext("Its point lies nearest to the mean point of %(label)s."), { label: nearest });
      live.say(gettext("The autoencoder's reconstruction is shown."), true);
      node.dataset.cleaned = "true";
    }
  }
  return {};
}
