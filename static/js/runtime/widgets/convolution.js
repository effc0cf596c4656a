// Convolution on a small image the student draws: a 3x3 kernel slides over the image (valid
// padding, stride 1), optional ReLU, then 2x2 pooling. Pure JS, the same arithmetic as
// engine.Conv2D / MaxPool2D (cross-correlation, as in every deep-learning library).
// params: size, kernel (a preset's name, or [[...3x3...]]), image, pooling, relu, title (types, ranges and
// defaults: the registry, learningpaths/compiler/widget_specs.py)
// Keyboard: arrow keys move the cursor on the image, Space or Enter toggles a pixel.

import { drawHeatmap, drawImage, fmt, makeCanvas } from "../plot.js";
import { sumText } from "../numbers.js";
import { gettext, interpolate } from "../i18n.js";
import { bool, button, el, num, select, title } from "./ui.js";

export const KERNELS = {
  "vertical-edge": [[1, 0, -1], [1, 0, -1], [1, 0, -1]],
  "horizontal-edge": [[1, 1, 1], [0, 0, 0], [-1, -1, -1]],
  "diagonal-edge": [[0, 1, 1], [-1, 0, 1], [-1, -1, 0]],
  blur: [[1 / 9, 1 / 9, 1 / 9], [1 / 9, 1 / 9, 1 / 9], [1 / 9, 1 / 9, 1 / 9]],
  sharpen: [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
  outline: [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
  identity: [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
};

// What the kernel menu shows for each preset.
function kernelLabels() {
  return {
    "vertical-edge": gettext("vertical edge"), "horizontal-edge": gettext("horizontal edge"),
    "diagonal-edge": gettext("diagonal edge"), blur: gettext("blur"), sharpen: gettext("sharpen"),
    outline: gettext("outline"), identity: gettext("identity"),
  };
}

export function convolve(image, kernel) {
  const h = image.length - kernel.length + 1;
  const w = image[0].length - kernel[0].length + 1;
  const out = [];
  for (let r = 0; r < h; r++) {
    const row = [];
    for (let c = 0; c < w; c++) {
      let s = 0;
      for (let i = 0; i < kernel.length; i++) for (let j = 0; j < kernel[0].length; j++) s += image[r + i][c + j] * kernel[i][j];
      row.push(s);
    }
    out.push(row);
  }
  return out;
}

export function pool(map, size = 2, kind = "max") {
  const out = [];
  for (let r = 0; r + size <= map.length; r += size) {
    const row = [];
    for (let c = 0; c + size <= map[0].length; c += size) {
      const vals = [];
      for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) vals.push(map[r + i][c + j]);
      row.push(kind === "avg" ? vals.reduce((a, b) => a + b, 0) / vals.length : Math.max(...vals));
    }
    out.push(row);
  }
  return out;
}

function startImage(size, name) {
  const img = Array.from({ length: size }, () => Array(size).fill(0));
  const mid = Math.floor(size / 2);
  if (name === "empty") return img;
  if (name === "square") {
    for (let i = 3; i < size - 3; i++) { img[3][i] = img[size - 4][i] = img[i][3] = img[i][size - 4] = 1; }
    return img;
  }
  for (let i = 2; i < size - 2; i++) { img[i][mid] = 1; img[mid][i] = 1; } // a plus sign
  return img;
}

export function mount(node, { params }) {
  const size = Math.max(6, Math.min(28, Math.round(num(params.size))));
  let image = Array.isArray(params.image) ? params.image : startImage(size, params.image);
  let kernel = Array.isArray(params.kernel) ? params.kernel : KERNELS[params.kernel].map((r) => r.slice());
  let pooling = params.pooling;
  let relu = bool(params.relu);
  let cursor = [Math.floor(size / 2), Math.floor(size / 2)];
  let drawing = null;

  const px = Math.floor(240 / size);
  const input = makeCanvas(size * px, size * px, gettext("input image"));
  input.tabIndex = 0;
  input.setAttribute("aria-roledescription", gettext("drawing grid"));
  const mapCanvas = makeCanvas(220, 240);
  const poolCanvas = makeCanvas(150, 170);
  const kernelGrid = el("div", { class: "lp-kernel", role: "group", "aria-label": gettext("kernel weights, 3 by 3") });
  const inputs = [];
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
    const box = el("input", { type: "number", step: "0.1", "aria-label": interpolate(gettext("kernel row %(row)s column %(column)s"), { row: i + 1, column: j + 1 }) });
    box.addEventListener("input", () => { const v = parseFloat(box.value); if (!Number.isNaN(v)) { kernel[i][j] = v; update(); } });
    inputs.push(box);
    kernelGrid.append(box);
  }
  const syncKernel = () => inputs.forEach((box, k) => { box.value = String(Math.round(kernel[Math.floor(k / 3)][k % 3] * 1000) / 1000); });
  const labels = kernelLabels();
  const preset = select({ label: gettext("kernel"), value: Array.isArray(params.kernel) ? "custom" : params.kernel,
    options: [...Object.keys(KERNELS).map((k) => [k, labels[k] || k.replace("-", " ")]), ["custom", gettext("custom (type below)")]],
    onChange: (v) => { if (KERNELS[v]) { kernel = KERNELS[v].map((r) => r.slice()); syncKernel(); update(); } } });
  const poolSelect = select({ label: gettext("pooling 2×2"), value: pooling,
    options: [["max", gettext("max pooling")], ["avg", gettext("average pooling")], ["none", gettext("none")]],
    onChange: (v) => { pooling = v; update(); } });
  const reluBox = el("input", { type: "checkbox" });
  reluBox.checked = relu;
  reluBox.addEventListener("change", () => { relu = reluBox.checked; update(); });
  const explain = el("p", { class: "lp-widget__readout", role: "status", "aria-live": "polite" });
  const controls = el("div", { class: "lp-widget__controls" }, preset, kernelGrid,
    el("label", {}, reluBox, " ", gettext("ReLU after the convolution")), poolSelect,
    el("div", { class: "lp-widget__buttons" },
      button(gettext("Clear"), () => { image = startImage(size, "empty"); update(); }),
      button(gettext("Example"), () => { image = startImage(size, "cross"); update(); })));
  node.replaceChildren(title(node, params.title || gettext("Convolution")),
    el("p", { class: "lp-help" }, gettext("Draw on the image with the mouse, or focus it and use the arrow keys and Space.")),
    el("div", { class: "lp-widget__row" },
      el("figure", {}, input, el("figcaption", {}, interpolate(gettext("input %(size)s×%(size)s"), { size }))), controls,
      el("figure", {}, mapCanvas, el("figcaption", {}, gettext("feature map"))),
      el("figure", {}, poolCanvas, el("figcaption", {}, gettext("after pooling")))),
    explain);

  // The keyboard instructions above also describe the grid to screen readers.
  const help = node.querySelector(".lp-help");
  help.id = `lp-help-${Math.random().toString(36).slice(2, 8)}`;
  input.setAttribute("aria-describedby", help.id);

  function cellAt(event) {
    const rect = input.getBoundingClientRect();
    return [Math.floor(((event.clientY - rect.top) / rect.height) * size), Math.floor(((event.clientX - rect.left) / rect.width) * size)];
  }
  input.addEventListener("pointerdown", (e) => {
    const [r, c] = cellAt(e);
    if (r < 0 || c < 0 || r >= size || c >= size) return;
    drawing = image[r][c] ? 0 : 1;
    image[r][c] = drawing;
    cursor = [r, c];
    input.setPointerCapture(e.pointerId);
    update();
  });
  input.addEventListener("pointermove", (e) => {
    if (drawing === null) return;
    const [r, c] = cellAt(e);
    if (r >= 0 && c >= 0 && r < size && c < size && image[r][c] !== drawing) { image[r][c] = drawing; cursor = [r, c]; update(); }
  });
  input.addEventListener("pointerup", () => (drawing = null));
  input.addEventListener("keydown", (e) => {
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (moves[e.key]) {
      cursor = [Math.max(0, Math.min(size - 1, cursor[0] + moves[e.key][0])), Math.max(0, Math.min(size - 1, cursor[1] + moves[e.key][1]))];
    } else if (e.key === " " || e.key === "Enter") {
      image[cursor[0]][cursor[1]] = image[cursor[0]][cursor[1]] ? 0 : 1;
    } else return;
    e.preventDefault();
    update();
  });
  input.addEventListener("focus", () => update());

  function update() {
    let map = convolve(image, kernel);
    if (relu) map = map.map((row) => row.map((v) => (v > 0 ? v : 0)));
    const pooled = pooling === "none" ? map : pool(map, 2, pooling);
    drawImage(input, image, { vmin: 0, vmax: 1 });
    const ctx = input.getContext("2d");
    const cell = input._css.width / size;
    // Cursor and the 3x3 window it sits in (as the top-left of the kernel when possible).
    const r0 = Math.min(cursor[0], size - 3);
    const c0 = Math.min(cursor[1], size - 3);
    ctx.strokeStyle = "#E69F00";
    ctx.lineWidth = 2;
    ctx.strokeRect(c0 * cell + 1, r0 * cell + 1, 3 * cell - 2, 3 * cell - 2);
    ctx.strokeStyle = "#D55E00";
    ctx.strokeRect(cursor[1] * cell + 2, cursor[0] * cell + 2, cell - 4, cell - 4);
    ctx.strokeStyle = "rgba(0,0,0,0.12)";
    ctx.lineWidth = 1;
    for (let i = 1; i < size; i++) {
      ctx.beginPath(); ctx.moveTo(i * cell, 0); ctx.lineTo(i * cell, size * cell); ctx.stroke();
      ctx.beginPath(); ctx.moveTo(0, i * cell); ctx.lineTo(size * cell, i * cell); ctx.stroke();
    }
    drawHeatmap(mapCanvas, { matrix: map, annotate: false, title: `${map.length}×${map[0].length}`, diverging: !relu });
    drawHeatmap(poolCanvas, { matrix: pooled, annotate: pooled.length <= 6, title: `${pooled.length}×${pooled[0].length}`, diverging: !relu });
    const products = [];
    let sum = 0;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      const p = image[r0 + i][c0 + j] * kernel[i][j];
      sum += p;
      if (image[r0 + i][c0 + j]) products.push([kernel[i][j], fmt(Math.abs(kernel[i][j]))]);
    }
    const pixel = { row: cursor[0] + 1, column: cursor[1] + 1 };
    const windowAt = { row: r0 + 1, column: c0 + 1, products: products.length ? sumText(products) : fmt(0), sum: fmt(sum),
      relu: fmt(Math.max(0, sum)) };
    explain.textContent = [
      image[cursor[0]][cursor[1]] ? interpolate(gettext("Pixel (%(row)s, %(column)s) is on."), pixel)
        : interpolate(gettext("Pixel (%(row)s, %(column)s) is off."), pixel),
      relu ? interpolate(gettext("Window at row %(row)s, column %(column)s: sum of pixel × weight = %(products)s = %(sum)s, after ReLU %(relu)s."), windowAt)
        : interpolate(gettext("Window at row %(row)s, column %(column)s: sum of pixel × weight = %(products)s = %(sum)s."), windowAt),
    ].join(" ");
    node.dataset.featureMap = JSON.stringify(map);
  }
  syncKernel();
  update();
  return { update, get image() { return image; }, get kernel() { return kernel; } };
}
