// Attention as a heat map: the pupil types a sentence, a small trained model (one attention layer,
// content/tools/make_attention_model.py) reads it, and every row shows how much one word looks at
// each word. Plain JavaScript doing the engine's forward pass (Embedding + PositionEmbedding +
// MultiHeadAttention with one head + Dense): the model is tiny, so the page needs no Python for it,
// and the heat map follows every keystroke. tests/browser/test_attention_widget.py checks the
// numbers against the engine's own forward pass.
// params: {model: URL of the weights (JSON), sentence, title} (defaults: the registry,
// learningpaths/compiler/widget_specs.py)

import { gettext, interpolate } from "../i18n.js";
import { fixed } from "../numbers.js";
import { el, liveRegion, nextId, title } from "./ui.js";

const WORD = /[\p{L}\p{N}']+/gu;

/** Words of a sentence, lower case; at most `max` (the model has that many positions). */
export function tokenize(text, max) {
  const words = (String(text).toLowerCase().match(WORD) || []);
  return { words: words.slice(0, max), cut: words.length > max };
}

const matvec = (x, W, b) => b.map((bias, j) => x.reduce((sum, xi, i) => sum + xi * W[i][j], bias));

/** The model's forward pass for one sentence: attention A (T x T) and the answer per word. */
export function forward(model, words) {
  const index = new Map(model.vocabulary.map((w, i) => [w, i]));
  const ids = words.map((w) => (index.has(w) && w !== "" ? index.get(w) : model.unknown));
  const x = ids.map((id, t) => model.embeddings[id].map((v, i) => v + model.positions[t][i]));
  const q = x.map((row) => matvec(row, model.Wq, model.bq));
  const k = x.map((row) => matvec(row, model.Wk, model.bk));
  const v = x.map((row) => matvec(row, model.Wv, model.bv));
  const scale = 1 / Math.sqrt(q[0].length);
  const attention = q.map((qi) => {
    const s = k.map((kj) => qi.reduce((sum, a, i) => sum + a * kj[i], 0) * scale);
    const top = Math.max(...s);
    const e = s.map((z) => Math.exp(z - top));
    const total = e.reduce((a, b) => a + b, 0);
    return e.map((z) => z / total);
  });
  const answers = attention.map((row) => {
    const o = v[0].map((_, i) => row.reduce((sum, a, j) => sum + a * v[j][i], 0));
    const logits = matvec(matvec(o, model.Wo, model.bo), model.W, model.b);
    const top = Math.max(...logits);
    const e = logits.map((z) => Math.exp(z - top));
    const total = e.reduce((a, b) => a + b, 0);
    const best = logits.indexOf(top);
    return { noun: model.answers[best], probability: e[best] / total };
  });
  return { ids, attention, answers, unknown: ids.map((id) => id === model.unknown) };
}

const percent = (p) => `${fixed(p * 100, 0)}\u00a0%`;  // no line break between number and sign
const quote = (w) => `“${w}”`;

export function mount(node, { params, signal }) {
  const status = liveRegion("lp-widget__status", 400);
  const input = el("input", { type: "text", id: nextId("sentence"), value: params.sentence, spellcheck: "false", autocomplete: "off", maxlength: "200" });
  const field = el("div", { class: "lp-field lp-attention__field" }, el("label", { for: input.id }, gettext("Your sentence")), input);
  const note = el("p", { class: "lp-widget__note" });
  const legendId = nextId("attention-legend");
  const legend = el("p", { class: "lp-attention__legend", id: legendId },
    gettext("Rows: the word that looks. Columns: the word it looks at. Each row adds up to 100."));
  const table = el("table", { class: "lp-attention", role: "grid", "aria-label": gettext("Which word looks at which?"),
    "aria-describedby": legendId });
  // The focused cell's aria-label gives its value; the live region adds the rest, the readout shows both.
  const readout = el("p", { class: "lp-widget__readout", "aria-hidden": "true" });
  status.classList.add("visually-hidden");
  node.replaceChildren(title(node, params.title || gettext("Which word looks at which?")), field, note,
    el("div", { class: "lp-attention__scroll" }, table), legend, readout, status);
  const state = { model: null, words: [], result: null, row: 0, col: 0 };

  function label(i, j) {
    const { words, result } = state;
    return interpolate(gettext("%(word)s looks at %(other)s: %(value)s"),
      { word: quote(words[i]), other: quote(words[j]), value: percent(result.attention[i][j]) });
  }

  function describe(i) {
    const { words, result } = state;
    const row = result.attention[i];
    const most = row.indexOf(Math.max(...row));
    const answer = result.answers[i];
    const mostText = interpolate(gettext("%(word)s looks most at %(other)s (%(value)s)."),
      { word: quote(words[i]), other: quote(words[most]), value: percent(row[most]) });
    const answerText = answer.noun
      ? interpolate(gettext("The model says %(word)s belongs to %(noun)s (%(value)s sure)."),
        { word: quote(words[i]), noun: quote(answer.noun), value: percent(answer.probability) })
      : interpolate(gettext("The model says %(word)s belongs to no noun (%(value)s sure)."),
        { word: quote(words[i]), value: percent(answer.probability) });
    return `${mostText} ${answerText}`;
  }

  function focusCell(i, j, { move = true } = {}) {
    state.row = i;
    state.col = j;
    for (const cell of table.querySelectorAll("td")) {
      const on = Number(cell.dataset.row) === i && Number(cell.dataset.col) === j;
      cell.tabIndex = on ? 0 : -1;
      cell.classList.toggle("is-active", on);
      if (on && move) cell.focus();
    }
    for (const th of table.querySelectorAll("th")) {
      th.classList.toggle("is-active", Number(th.dataset.row) === i || Number(th.dataset.col) === j);
    }
    const text = describe(i);
    readout.textContent = `${label(i, j)}. ${text}`;
    node.dataset.focus = JSON.stringify([i, j]);
    status.say(text, true);
  }

  function draw() {
    if (!state.model) return;
    const { words, cut } = tokenize(input.value, state.model.max_length);
    state.words = words;
    if (!words.length) {
      table.replaceChildren();
      state.result = null;
      readout.textContent = "";
      note.textContent = gettext("Type a sentence: the heat map shows which word looks at which.");
      node.dataset.attention = "[]";
      return;
    }
    const result = forward(state.model, words);
    state.result = result;
    const unknown = words.filter((_, i) => result.unknown[i]);
    const notes = [];
    if (unknown.length) {
      notes.push(interpolate(gettext("The model does not know %(words)s: every word it does not know becomes the same token, shown as ?."),
        { words: unknown.map(quote).join(", ") }));
    }
    if (cut) {
      notes.push(interpolate(gettext("Only the first %(count)s words are used."), { count: state.model.max_length }));
    }
    note.textContent = notes.join(" ");
    const shown = words.map((w, i) => (result.unknown[i] ? `${w} (?)` : w));
    const head = el("tr", {}, el("th", { scope: "col" }, el("span", { class: "visually-hidden" }, gettext("word"))),
      ...shown.map((w, j) => el("th", { scope: "col", "data-col": j }, w)));
    const rows = shown.map((w, i) => el("tr", {}, el("th", { scope: "row", "data-row": i }, w),
      ...result.attention[i].map((a, j) => {
        const cell = el("td", { class: a > 0.5 ? "is-strong" : null, "data-row": i, "data-col": j, tabindex: "-1", "aria-label": label(i, j),
          style: `--lp-attention: ${a.toFixed(3)}` }, fixed(a * 100, 0));
        cell.addEventListener("mouseenter", () => focusCell(i, j, { move: false }));
        cell.addEventListener("focus", () => { if (state.row !== i || state.col !== j) focusCell(i, j, { move: false }); });
        return cell;
      })));
    table.replaceChildren(el("thead", {}, head), el("tbody", {}, ...rows));
    node.dataset.tokens = JSON.stringify(words);
    node.dataset.attention = JSON.stringify(result.attention.map((r) => r.map((a) => Number(a.toFixed(4)))));
    node.dataset.answers = JSON.stringify(result.answers.map((a) => a.noun));
    const last = words.length - 1;
    // A new sentence starts on its last word (while typing: the word just typed; often the verb)
    // and the word it looks at most.
    focusCell(last, result.attention[last].indexOf(Math.max(...result.attention[last])), { move: false });
  }

  table.addEventListener("keydown", (event) => {
    if (!state.result) return;
    const last = state.words.length - 1;
    const moves = {
      ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1],
    };
    let { row, col } = state;
    if (moves[event.key]) {
      row = Math.max(0, Math.min(last, row + moves[event.key][0]));
      col = Math.max(0, Math.min(last, col + moves[event.key][1]));
    } else if (event.key === "Home") {
      col = 0;
    } else if (event.key === "End") {
      col = last;
    } else {
      return;
    }
    event.preventDefault();
    focusCell(row, col);
  });
  input.addEventListener("input", draw, { signal });

  if (!params.model) {
    note.textContent = gettext("This widget needs its model file.");
    return state;
  }
  note.textContent = gettext("Loading the model…");
  node.dataset.state = "loading";
  fetch(params.model, { signal })
    .then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    })
    .then((model) => {
      state.model = model;
      node.dataset.state = "ready";
      note.textContent = "";
      draw();
    })
    .catch((err) => {
      if (err.name === "AbortError") return;
      console.error(err);
      node.dataset.state = "failed";
      note.textContent = gettext("The model could not be loaded. Reload the page to try again.");
    });
  return state;
}
