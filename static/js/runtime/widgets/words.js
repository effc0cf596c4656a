// Widget backed by the server's word transformer (learningpaths/demos/wordgen.py, /api/demos/):
//   word-inventor: invent Dutch or English words letter by letter, at a temperature, after some
//   start letters; each word's attention is drawn as a heat map (letters x letters) to explore with
//   the mouse or the arrow keys.
//     params: {model, language: "nl" | "en" (default: the page's), temperature, count, title}
//     (defaults: the registry, learningpaths/compiler/widget_specs.py)
// API: GET {demosURL} -> {models: [{name, ready, labels: ["nl", "en"]}]}
//      POST {demosURL}{name}/generate {language, temperature, start, count}
//        -> {provider, words: [{word, known, steps: [{token, probability}], attention: {tokens, weights}}]}
//      weights: [head][query][key]; query i is the token the model had read last when it chose the next one.

import { drawHeatmap, makeCanvas } from "../plot.js";
import { fixed } from "../numbers.js";
import { gettext, interpolate } from "../i18n.js";
import { serverStatus, unavailable } from "./server.js";
import { button, el, liveRegion, num, select, slider, textField, title } from "./ui.js";

const ALPHABET = "abcdefghijklmnopqrstuvwxyzéèëïöü";
const MAX_START = 8; // as the server's generation.MAX_START
const END = ".";
const MAP = { width: 380, height: 340, left: 64, top: 22 }; // drawHeatmap's margins with x and y labels

async function generate(url, name, request) {
  let response;
  try {
    response = await fetch(`${url}${encodeURIComponent(name)}/generate`, {
      method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(request),
    });
  } catch {
    throw new Error(gettext("The server did not answer. Check the connection and try again."));
  }
  const body = await response.json().catch(() => ({}));
  if (response.status === 429) throw new Error(gettext("Too many requests: wait a moment and try again."));
  if (!response.ok) throw new Error(interpolate(gettext("No answer: %(error)s"), { error: body.detail || `HTTP ${response.status}` }));
  return body;
}

const label = (token) => (token === END ? gettext("end") : token.startsWith("<") ? "▸" : token);

export function mount(node, { params, config }) {
  const url = (config && config.demosURL) || "/api/demos/";
  const name = String(params.model);
  const heading = title(node, params.title || gettext("Word inventor"));
  node.replaceChildren(heading, el("p", { class: "lp-widget__status", role: "status" }, gettext("Asking the server…")));
  node.dataset.state = "loading";
  serverStatus(url).then((info) => {
    if (info.unavailable) return unavailable(node, heading, info.reason);
    const model = (info.models || []).find((m) => m.name === name);
    if (!model || model.ready === false) {
      return unavailable(node, heading, interpolate(gettext("no model %(names)s on the server"), { names: name }));
    }
    build(model);
  });

  function build(model) {
    const languages = model.labels && model.labels.length ? model.labels : ["nl", "en"];
    const pageLanguage = (document.documentElement.lang || "en").slice(0, 2);
    let language = languages.includes(params.language) ? params.language : languages.includes(pageLanguage) ? pageLanguage : languages[0];
    let temperature = Math.min(2, Math.max(0.1, num(params.temperature)));
    const count = Math.min(8, Math.max(1, Math.round(num(params.count))));
    const names = { nl: gettext("Dutch"), en: gettext("English") };
    const live = liveRegion("lp-widget__status", 500);
    const problem = el("p", { class: "lp-widget__problem", role: "alert", hidden: true });
    const wordList = el("ol", { class: "lp-words", "aria-label": gettext("invented words") });
    const letters = el("p", { class: "lp-words__letters" });
    const canvas = makeCanvas(MAP.width, MAP.height, gettext("attention of the word"));
    canvas.tabIndex = 0;
    const readout = el("p", { class: "lp-widget__readout", "aria-live": "polite" });
    const headSelect = select({ label: gettext("Attention head"), options: [["mean", gettext("average of all heads")]], value: "mean", onChange: () => draw() });
    const help = el("p", { class: "lp-help", id: `lp-help-${Math.random().toString(36).slice(2, 8)}` },
      gettext("Each row is a step: the letters read so far, and the next letter chosen. The darker a square, the more that step looked at the letter of its column. Point at a square, or focus the map and use the arrow keys."));
    canvas.setAttribute("aria-describedby", help.id);
    const map = el("figure", { class: "lp-words__map", hidden: true }, el("figcaption", {}, letters), canvas, headSelect, readout, help);
    const start = textField({ label: gettext("Start letters (optional)"), value: "", pattern: `[${ALPHABET}]{0,${MAX_START}}`,
      hint: interpolate(gettext("At most %(n)s letters."), { n: MAX_START }) });
    start.input.maxLength = MAX_START;
    start.input.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); invent(); } });
    const inventButton = button(gettext("Invent words"), () => invent());
    let words = [];
    let chosen = null;
    let cursor = [0, 0];

    node.replaceChildren(heading,
      el("p", { class: "lp-help" }, gettext("A small transformer on the server has read many thousands of words. It invents new ones, one letter at a time: each next letter is drawn by chance, with the probabilities the model gives. A higher temperature makes unlikely letters more likely.")),
      el("div", { class: "lp-widget__row" },
        select({ label: gettext("Language"), options: languages.map((l) => [l, names[l] || l]), value: language, onChange: (v) => { language = v; } }),
        slider({ label: gettext("Temperature"), min: 0.1, max: 2, step: 0.1, value: temperature, format: (v) => fixed(v, 1), onInput: (v) => { temperature = v; } }),
        start, el("div", { class: "lp-widget__buttons" }, inventButton)),
      problem, wordList, map, live);
    node.dataset.state = "ready";

    async function invent() {
      const letters_ = start.input.value.normalize("NFC").trim().toLowerCase();
      if (letters_.length > MAX_START || [...letters_].some((c) => !ALPHABET.includes(c))) {
        showProblem(interpolate(gettext("Start letters may only be letters (a to z, é è ë ï ö ü), at most %(n)s."), { n: MAX_START }));
        start.input.focus();
        return;
      }
      inventButton.disabled = true;
      node.dataset.state = "busy";
      live.say(gettext("Inventing…"), true);
      try {
        const body = await generate(url, model.name, { language, temperature: Math.round(temperature * 10) / 10, start: letters_, count });
        problem.hidden = true;
        words = body.words;
        showWords();
        choose(words.length - 1);
        const known = words.filter((w) => w.known).length;
        live.say(interpolate(gettext("%(words)s. %(known)s of them are in the dictionary."), { words: words.map((w) => w.word).join(", "), known }), true);
        node.dataset.state = "ready";
      } catch (err) {
        showProblem(err.message);
        node.dataset.state = "error";
      } finally {
        inventButton.disabled = false;
      }
    }

    function showProblem(text) {
      problem.textContent = text;
      problem.hidden = false;
      live.say(text, true);
    }

    function showWords() {
      wordList.replaceChildren(...words.map((w, i) => el("li", { class: w.known ? "lp-words__known" : "lp-words__new" },
        button(w.word, () => choose(i), { "aria-pressed": "false", "data-word": w.word }),
        " ", el("span", { class: "lp-words__mark" }, w.known ? `✓ ${gettext("in the dictionary")}` : w.known === false ? gettext("new word") : ""))));
      node.dataset.words = words.map((w) => w.word).join(" ");
    }

    function choose(i) {
      chosen = words[i];
      wordList.querySelectorAll("button").forEach((b, j) => b.setAttribute("aria-pressed", String(j === i)));
      const heads = chosen.attention.weights.length;
      const current = headSelect.input.value;
      headSelect.input.replaceChildren(el("option", { value: "mean" }, gettext("average of all heads")),
        ...Array.from({ length: heads }, (_, h) => el("option", { value: String(h) }, interpolate(gettext("head %(n)s"), { n: h + 1 }))));
      headSelect.input.value = current === "mean" || Number(current) < heads ? current : "mean";
      const n = chosen.attention.tokens.length;
      cursor = [n - 1, n - 1];
      const given = chosen.word.length - (chosen.steps.length - 1);
      letters.replaceChildren(el("strong", {}, chosen.word), " — ", gettext("probability of each chosen letter:"), " ",
        ...chosen.steps.map((s, k) => el("span", { class: "lp-words__step" }, `${label(s.token)} ${fixed(s.probability, 2)}${k < chosen.steps.length - 1 ? " · " : ""}`)));
      if (given > 0) letters.append(" ", interpolate(gettext("(the first %(n)s were given)"), { n: given }));
      map.hidden = false;
      draw();
    }

    function matrix() {
      const w = chosen.attention.weights;
      const head = headSelect.input.value;
      if (head !== "mean") return w[Number(head)];
      return w[0].map((row, r) => row.map((_, c) => w.reduce((s, h) => s + h[r][c], 0) / w.length));
    }

    function draw() {
      if (!chosen) return;
      const m = matrix();
      const tokens = chosen.attention.tokens.map(label);
      drawHeatmap(canvas, { matrix: m, xlabels: tokens, ylabels: tokens.map((t, r) => `${t} → ${label(nextToken(r))}`), vmin: 0, vmax: 1 });
      const n = m.length;
      const cw = (MAP.width - MAP.left - 6) / n;
      const ch = (MAP.height - MAP.top - 6) / n;
      const ctx = canvas.getContext("2d");
      ctx.strokeStyle = "#D55E00";
      ctx.lineWidth = 2;
      ctx.strokeRect(MAP.left + cursor[1] * cw + 1, MAP.top + cursor[0] * ch + 1, cw - 2, ch - 2);
      canvas.dataset.cells = `${n}x${n}`;
      const [r, c] = cursor;
      const prefix = chosen.word.slice(0, r) || gettext("(nothing yet)");
      readout.textContent = c > r
        ? interpolate(gettext("Choosing “%(next)s” after “%(prefix)s”, the model cannot look at “%(key)s”: that letter comes later."),
          { next: label(nextToken(r)), prefix, key: tokens[c] })
        : interpolate(gettext("Choosing “%(next)s” after “%(prefix)s”, the model gives “%(key)s” a weight of %(weight)s."),
          { next: label(nextToken(r)), prefix, key: c === 0 ? gettext("the language mark") : tokens[c], weight: fixed(m[r][c], 2) });
      node.dataset.cursor = `${r},${c}`;
    }

    function nextToken(r) {
      return r < chosen.word.length ? chosen.word[r] : END;
    }

    canvas.addEventListener("keydown", (e) => {
      if (!chosen) return;
      const n = chosen.attention.tokens.length;
      const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
      if (moves[e.key]) cursor = [Math.max(0, Math.min(n - 1, cursor[0] + moves[e.key][0])), Math.max(0, Math.min(n - 1, cursor[1] + moves[e.key][1]))];
      else if (e.key === "Home") cursor = [cursor[0], 0];
      else if (e.key === "End") cursor = [cursor[0], cursor[0]];
      else return;
      e.preventDefault();
      draw();
    });
    canvas.addEventListener("pointermove", (e) => {
      if (!chosen) return;
      const n = chosen.attention.tokens.length;
      const rect = canvas.getBoundingClientRect();
      const c = Math.floor((e.clientX - rect.left - MAP.left) / ((MAP.width - MAP.left - 6) / n));
      const r = Math.floor((e.clientY - rect.top - MAP.top) / ((MAP.height - MAP.top - 6) / n));
      if (r >= 0 && c >= 0 && r < n && c < n && (r !== cursor[0] || c !== cursor[1])) {
        cursor = [r, c];
        draw();
      }
    });
  }
  return {};
}
