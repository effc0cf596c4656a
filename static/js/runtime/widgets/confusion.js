// Confusion matrix with accuracy, precision, recall and F1.
// params: {labels: ["cat", "dog"], matrix: [[TN, FP], [FN, TP]]}              a fixed matrix, or
//         {labels, truth: [0, 1, ...], scores: [0.2, 0.9, ...], threshold}   binary scores + threshold slider
// (types, ranges and defaults: the registry, learningpaths/compiler/widget_specs.py)
// Without data it shows a generated example so that the threshold can be explored.

import { drawHeatmap, fmt, makeCanvas } from "../plot.js";
import { gettext, interpolate } from "../i18n.js";
import { fixed } from "../numbers.js";
import { el, list, liveRegion, num, slider, title } from "./ui.js";

function example() {
  // A reproducible toy classifier: positives score higher on average.
  let seed = 7;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const truth = [];
  const scores = [];
  for (let i = 0; i < 60; i++) {
    const y = i % 2;
    const s = Math.min(1, Math.max(0, (y ? 0.65 : 0.35) + (rand() - 0.5) * 0.7));
    truth.push(y);
    scores.push(Math.round(s * 100) / 100);
  }
  return { truth, scores };
}

export function metrics(m) {
  const k = m.length;
  const total = m.flat().reduce((a, b) => a + b, 0) || 1;
  const correct = m.reduce((a, row, i) => a + row[i], 0);
  const perClass = m.map((row, i) => {
    const tp = row[i];
    const predicted = m.reduce((a, r) => a + r[i], 0);
    const actual = row.reduce((a, b) => a + b, 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = actual ? tp / actual : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1 };
  });
  return { accuracy: correct / total, perClass, k };
}

export function mount(node, { params }) {
  // No labels in the registry: these are in the page's language.
  const labels = list(params.labels, String, [gettext("negative"), gettext("positive")]);
  let matrix = params.matrix;
  const data = !matrix ? (params.scores && params.truth
    ? { truth: list(params.truth, Number), scores: list(params.scores, Number) } : example()) : null;
  let threshold = num(params.threshold);
  const canvas = makeCanvas(280, 250, gettext("confusion matrix"));
  const metricList = el("dl", { class: "lp-metrics" });
  const live = liveRegion();
  const table = el("table", { class: "visually-hidden" });
  const controls = el("div", { class: "lp-widget__controls" });
  if (data) {
    controls.append(slider({ label: gettext("threshold"), min: 0, max: 1, step: 0.01, value: threshold, format: (v) => fixed(v, 2),
      onInput: (v) => { threshold = v; update(); } }));
  }
  controls.append(metricList, live);
  node.replaceChildren(title(node, params.title || gettext("Confusion matrix")),
    el("p", { class: "lp-help" }, gettext("Rows: the true class. Columns: the predicted class.")),
    el("div", { class: "lp-widget__row" }, canvas, controls), table);

  function update() {
    if (data) {
      matrix = [[0, 0], [0, 0]];
      data.truth.forEach((y, i) => { matrix[y ? 1 : 0][data.scores[i] >= threshold ? 1 : 0] += 1; });
    }
    const m = metrics(matrix);
    drawHeatmap(canvas, { matrix, xlabels: labels.map((l) => interpolate(gettext("pred. %(label)s"), { label: l })), ylabels: labels, annotate: true, vmin: 0 });
    const rows = [[gettext("accuracy"), fmt(m.accuracy)]];
    const positive = m.k === 2 ? [1] : [...Array(m.k).keys()];
    for (const i of positive) {
      const name = m.k === 2 ? "" : ` (${labels[i]})`;
      rows.push([gettext("precision") + name, fmt(m.perClass[i].precision)], [gettext("recall") + name, fmt(m.perClass[i].recall)],
        [`F1${name}`, fmt(m.perClass[i].f1)]);
    }
    metricList.replaceChildren(...rows.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
    table.replaceChildren(el("caption", {}, gettext("Confusion matrix: rows are true classes, columns predicted classes")),
      el("tr", {}, el("td", {}, ""),  // the empty corner is no header
       ...labels.map((l) => el("th", { scope: "col" }, interpolate(gettext("predicted %(label)s"), { label: l })))),
      ...matrix.map((row, i) => el("tr", {}, el("th", { scope: "row" }, interpolate(gettext("true %(label)s"), { label: labels[i] })), ...row.map((v) => el("td", {}, String(v))))));
    live.say(m.k === 2
      ? interpolate(gettext("Accuracy %(accuracy)s, precision %(precision)s, recall %(recall)s."),
        { accuracy: fmt(m.accuracy), precision: fmt(m.perClass[1].precision), recall: fmt(m.perClass[1].recall) })
      : interpolate(gettext("Accuracy %(accuracy)s."), { accuracy: fmt(m.accuracy) }));
    node.dataset.matrix = JSON.stringify(matrix);
  }
  update();
  return { update, get matrix() { return matrix; } };
}
