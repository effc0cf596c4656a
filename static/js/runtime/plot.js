// Small canvas plotting for lessons: line charts with axes, scatter, decision boundaries,
// heatmaps and image grids. No dependencies; every chart also gets a text description for
// screen readers (aria-label on the canvas), in the page's language.

import { gettext, interpolate, ngettext } from "./i18n.js";
import { fmt } from "./numbers.js";

export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#6b6b00", "#000000"];
// Two-class colours as in TensorFlow Playground: orange for class 0, blue for class 1.
const CLASS0 = [232, 140, 48];
const CLASS1 = [36, 110, 185];

const FONT = "12px system-ui, sans-serif";

/** A canvas sized for the device pixel ratio; draw in CSS pixels through the returned ctx. */
export function makeCanvas(width, height, label = "") {
  const canvas = document.createElement("canvas");
  sizeCanvas(canvas, width, height);
  canvas.setAttribute("role", "img");
  if (label) canvas.setAttribute("aria-label", label);
  return canvas;
}

export function sizeCanvas(canvas, width, height) {
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  canvas._css = { width, height, dpr };
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

function context(canvas) {
  const { dpr } = canvas._css;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, canvas._css.width, canvas._css.height);
  ctx.font = FONT;
  return ctx;
}

/** "Nice" tick positions between lo and hi (about n of them). */
export function ticks(lo, hi, n = 5) {
  if (!isFinite(lo) || !isFinite(hi)) return [];
  if (hi === lo) {
    hi = lo + 1;
  }
  const span = hi - lo;
  const raw = span / Math.max(1, n);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => span / s <= n) || 10 * mag;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

// The widgets import fmt from here with the charts; it writes numbers in the UI's language.
export { fmt };

function extent(values) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v === null || !isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/**
 * Line chart. spec: {series: [{x: [], y: [], label}], title, xlabel, ylabel, logy, ymin, ymax}
 * Returns the plot area mapping, useful for overlays.
 */
export function drawLineChart(canvas, spec) {
  const ctx = context(canvas);
  const { width, height } = canvas._css;
  const series = (spec.series || []).filter((s) => s && s.y && s.y.length);
  const logy = !!spec.logy;
  const ty = (v) => (logy ? (v > 0 ? Math.log10(v) : null) : v);
  const allX = series.flatMap((s) => s.x || s.y.map((_, i) => i));
  const allY = series.flatMap((s) => s.y.map(ty));
  let [x0, x1] = extent(allX);
  let [y0, y1] = extent(allY);
  if (spec.ymin !== undefined && spec.ymin !== null) y0 = ty(spec.ymin);
  if (spec.ymax !== undefined && spec.ymax !== null) y1 = ty(spec.ymax);
  if (!isFinite(x0)) [x0, x1] = [0, 1];
  if (!isFinite(y0)) [y0, y1] = [0, 1];
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const pad = (y1 - y0) * 0.05;
  y0 -= pad;
  y1 += pad;
  // The legend gets a band of its own between the title and the plot (it never covers a curve),
  // in rows as wide as the canvas; the left margin is as wide as the longest tick label.
  ctx.font = FONT;
  const labelled = series.filter((s) => s.label);
  const rows = [];
  for (const s of labelled) {
    const w = ctx.measureText(s.label).width + 30;
    const row = rows[rows.length - 1];
    if (row && row.width + w <= width - 16) { row.items.push([s, w]); row.width += w; } else rows.push({ items: [[s, w]], width: w });
  }
  const titleBand = spec.title ? 24 : 10;
  const top = titleBand + rows.length * 17 + (rows.length ? 4 : 0);
  const bottom = spec.xlabel ? 40 : 26;
  const yTicks = ticks(y0, y1, Math.max(2, Math.floor((height - top - bottom) / 40)));
  const tickText = (t) => (logy ? fmt(Math.pow(10, t)) : fmt(t));
  const widest = Math.max(0, ...yTicks.map((t) => ctx.measureText(tickText(t)).width));
  const left = Math.ceil(widest) + 10 + (spec.ylabel ? 20 : 4);
  const right = 10;
  const pw = width - left - right;
  const ph = height - top - bottom;
  const sx = (v) => left + ((v - x0) / (x1 - x0)) * pw;
  const sy = (v) => top + ph - ((v - y0) / (y1 - y0)) * ph;

  // Axes and grid.
  ctx.strokeStyle = "#ddd";
  ctx.fillStyle = "#444";
  ctx.lineWidth = 1;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const t of yTicks) {
    const y = Math.round(sy(t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(left, y);
    ctx.lineTo(left + pw, y);
    ctx.stroke();
    ctx.fillText(tickText(t), left - 6, y);
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const t of ticks(x0, x1, Math.max(2, Math.floor(pw / 70)))) {
    const x = Math.round(sx(t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + ph);
    ctx.stroke();
    ctx.fillText(fmt(t), x, top + ph + 5);
  }
  ctx.strokeStyle = "#888";
  ctx.strokeRect(left + 0.5, top + 0.5, pw, ph);
  if (spec.title) {
    ctx.font = "bold 13px system-ui, sans-serif";
    ctx.textAlign = "left";
    ctx.fillText(spec.title, left, 5);
    ctx.font = FONT;
  }
  if (spec.xlabel) {
    ctx.textAlign = "center";
    ctx.fillText(spec.xlabel, left + pw / 2, height - 15);
  }
  if (spec.ylabel) {
    ctx.save();
    ctx.translate(12, top + ph / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillText(spec.ylabel, 0, 0);
    ctx.restore();
  }

  // Lines (long series are thinned to about one point per pixel column).
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, pw, ph);
  ctx.clip();
  series.forEach((s, k) => {
    const xs = s.x || s.y.map((_, i) => i);
    const stride = Math.max(1, Math.floor(s.y.length / (pw * 2)));
    ctx.strokeStyle = s.color || PALETTE[k % PALETTE.length];
    ctx.lineWidth = 2;
    ctx.beginPath();
    let pen = false;
    for (let i = 0; i < s.y.length; i += stride) {
      const v = ty(s.y[i]);
      if (v === null || !isFinite(v)) {
        pen = false;
        continue;
      }
      const px = sx(xs[i]);
      const py = sy(v);
      if (pen) ctx.lineTo(px, py);
      else ctx.moveTo(px, py);
      pen = true;
    }
    ctx.stroke();
  });
  ctx.restore();

  // Legend, in its band above the plot, right-aligned like the plot's own right edge.
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  const boxes = [];
  rows.forEach((row, r) => {
    const y = titleBand + 8 + r * 17;
    let x = Math.max(8, left + pw - row.width);
    for (const [s, w] of row.items) {
      const k = series.indexOf(s);
      ctx.fillStyle = s.color || PALETTE[k % PALETTE.length];
      ctx.fillRect(x, y - 2, 16, 4);
      ctx.fillStyle = "#222";
      ctx.fillText(s.label, x + 22, y);
      boxes.push([Math.round(x), y - 8, Math.round(w - 8), 16]);
      x += w;
    }
  });
  // Where things are, for the layout tests (legends never overlap the plotted data).
  canvas.dataset.plotArea = JSON.stringify([left, top, pw, ph]);
  canvas.dataset.legend = JSON.stringify(boxes);
  const last = series.map((s) => `${s.label || gettext("value")} ${fmt(s.y[s.y.length - 1])}`).join(", ");
  canvas.setAttribute("aria-label", interpolate(
    ngettext("%(title)s: %(n)s series; last value %(last)s.", "%(title)s: %(n)s series; last values %(last)s.", series.length),
    { title: spec.title || gettext("Line chart"), n: series.length, last }));
  return { sx, sy, left, top, pw, ph };
}

/**
 * A network diagram as in TensorFlow Playground: a column of neurons per layer (`sizes`, the input
 * first), every connection a line, blue for a positive weight and orange for a negative one, thicker
 * for a larger one. `weights[l][i][j]` goes from neuron i of layer l to neuron j of layer l + 1;
 * without weights (Python still loading) the lines are grey. A layer of more than 12 neurons shows
 * 12 and a "+n" note.
 */
export function drawNetwork(canvas, { sizes, weights = null, labels = [] }) {
  const ctx = context(canvas);
  const { width, height } = canvas._css;
  const shown = sizes.map((n) => Math.min(n, 12));
  // Weights of another shape (a network of the settings before) are not drawn: grey until new ones come.
  const fits = (ws) => Array.isArray(ws) && ws.length === sizes.length - 1 &&
    ws.every((layer, l) => layer.length === sizes[l] && layer.every((row) => row.length === sizes[l + 1]));
  if (!fits(weights)) weights = null;
  const top = 22;
  const bottom = 14;
  const colX = (l) => 24 + (l * (width - 48)) / Math.max(1, sizes.length - 1);
  const rowY = (l, i) => top + ((i + 0.5) * (height - top - bottom)) / shown[l];
  let max = 0;
  for (const layer of weights || []) for (const row of layer) for (const w of row) max = Math.max(max, Math.abs(w));
  let edges = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    for (let i = 0; i < shown[l]; i++) {
      for (let j = 0; j < shown[l + 1]; j++) {
        const w = weights && weights[l] && weights[l][i] ? weights[l][i][j] : null;
        const c = w === null || w === undefined ? [150, 150, 150] : w >= 0 ? CLASS1 : CLASS0;
        const strength = w === null || w === undefined || !max ? 0.3 : Math.abs(w) / max;
        ctx.strokeStyle = `rgba(${c.join(",")},${0.25 + 0.65 * strength})`;
        ctx.lineWidth = 0.5 + 3.5 * strength;
        ctx.beginPath();
        ctx.moveTo(colX(l), rowY(l, i));
        ctx.lineTo(colX(l + 1), rowY(l + 1, j));
        ctx.stroke();
        edges++;
      }
    }
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  sizes.forEach((n, l) => {
    for (let i = 0; i < shown[l]; i++) {
      ctx.beginPath();
      ctx.arc(colX(l), rowY(l, i), 5, 0, 2 * Math.PI);
      ctx.fillStyle = "#fff";
      ctx.fill();
      ctx.strokeStyle = "#4a5560";
      ctx.lineWidth = 1.5;
      ctx.stroke();
    }
    ctx.fillStyle = "#222";
    ctx.fillText(labels[l] || String(n), colX(l), 4);
    if (n > shown[l]) ctx.fillText(`+${n - shown[l]}`, colX(l), height - bottom + 1);
  });
  canvas.dataset.edges = String(edges);
  canvas.dataset.weighted = weights ? "true" : "false";
  const hidden = sizes.slice(1, -1).join(", ");
  canvas.setAttribute("aria-label", interpolate(
    gettext("Network: %(inputs)s inputs, hidden layers %(hidden)s, %(outputs)s outputs. Blue lines are positive weights, orange lines negative; thicker means larger."),
    { inputs: sizes[0], hidden: hidden || "–", outputs: sizes[sizes.length - 1] }));
}

function classColor(label, alpha = 1) {
  if (label === 0) return `rgba(${CLASS0.join(",")},${alpha})`;
  if (label === 1) return `rgba(${CLASS1.join(",")},${alpha})`;
  const hex = PALETTE[(label + 2) % PALETTE.length];
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

/** Points in data coordinates [x0, x1, y0, y1] -> canvas mapping with a square-ish plot area. */
function area(canvas, ext, margin = 4) {
  const { width, height } = canvas._css;
  const [x0, x1, y0, y1] = ext;
  const pw = width - 2 * margin;
  const ph = height - 2 * margin;
  return {
    sx: (v) => margin + ((v - x0) / (x1 - x0)) * pw,
    sy: (v) => margin + ph - ((v - y0) / (y1 - y0)) * ph,
    margin, pw, ph,
  };
}

/** Decision boundary: grid[r][c] over extent (row 0 = lowest y), values in 0..1 or class ids. */
export function drawBoundary(canvas, spec) {
  const ctx = context(canvas);
  const grid = spec.grid || [];
  const ext = spec.extent || [-1, 1, -1, 1];
  const a = area(canvas, ext);
  const rows = grid.length;
  const cols = rows ? grid[0].length : 0;
  if (rows && cols) {
    const classes = spec.classes || (grid.flat().some((v) => v > 1.0001) ? "multi" : "binary");
    const img = ctx.createImageData(cols, rows);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v = grid[r][c];
        const o = ((rows - 1 - r) * cols + c) * 4;
        let rgb;
        let alpha;
        if (classes === "multi") {
          const hex = PALETTE[(Math.round(v) + 2) % PALETTE.length];
          const n = parseInt(hex.slice(1), 16);
          rgb = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
          alpha = 0.35;
        } else {
          const p = v === null ? 0.5 : Math.min(1, Math.max(0, v));
          rgb = p >= 0.5 ? CLASS1 : CLASS0;
          alpha = Math.abs(p - 0.5) * 2 * 0.6 + 0.05;
        }
        // Blend onto white so the image is opaque (putImageData ignores compositing).
        img.data[o] = 255 + (rgb[0] - 255) * alpha;
        img.data[o + 1] = 255 + (rgb[1] - 255) * alpha;
        img.data[o + 2] = 255 + (rgb[2] - 255) * alpha;
        img.data[o + 3] = 255;
      }
    }
    const tmp = document.createElement("canvas");
    tmp.width = cols;
    tmp.height = rows;
    tmp.getContext("2d").putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(tmp, a.margin, a.margin, a.pw, a.ph);
  }
  drawPoints(ctx, a, spec.points, spec.labels);
  ctx.strokeStyle = "#888";
  ctx.strokeRect(a.margin + 0.5, a.margin + 0.5, a.pw, a.ph);
  const n = (spec.points || []).length;
  canvas.setAttribute("aria-label", interpolate(
    ngettext("%(title)s: %(n)s point, orange and blue areas show where the model predicts each class.",
      "%(title)s: %(n)s points, orange and blue areas show where the model predicts each class.", n),
    { title: spec.title || gettext("Decision boundary"), n }));
}

function drawPoints(ctx, a, points, labels) {
  if (!points) return;
  const r = points.length > 600 ? 2 : 3;
  points.forEach((p, i) => {
    const label = labels ? labels[i] : 1;
    ctx.beginPath();
    ctx.arc(a.sx(p[0]), a.sy(p[1]), r, 0, 2 * Math.PI);
    ctx.fillStyle = classColor(label, 1);
    ctx.fill();
    ctx.strokeStyle = "#fff";
    ctx.lineWidth = 0.8;
    ctx.stroke();
  });
}

export function drawScatter(canvas, spec) {
  const ctx = context(canvas);
  const pts = spec.points || [];
  const [x0, x1] = extent(pts.map((p) => p[0]));
  const [y0, y1] = extent(pts.map((p) => p[1]));
  const padX = (x1 - x0 || 1) * 0.08;
  const padY = (y1 - y0 || 1) * 0.08;
  const a = area(canvas, [x0 - padX, x1 + padX, y0 - padY, y1 + padY]);
  drawPoints(ctx, a, pts, spec.labels);
  ctx.strokeStyle = "#888";
  ctx.strokeRect(a.margin + 0.5, a.margin + 0.5, a.pw, a.ph);
  canvas.setAttribute("aria-label", interpolate(ngettext("%(title)s of %(n)s point.", "%(title)s of %(n)s points.", pts.length),
    { title: spec.title || gettext("Scatter plot"), n: pts.length }));
}

/** Heatmap of a matrix; spec: {matrix, xlabels, ylabels, annotate, title, diverging, vmin, vmax}. */
export function drawHeatmap(canvas, spec) {
  const ctx = context(canvas);
  const { width, height } = canvas._css;
  const m = spec.matrix || [[]];
  const rows = m.length;
  const cols = rows ? m[0].length : 0;
  const left = spec.ylabels ? 64 : 6;
  const top = (spec.title ? 22 : 4) + (spec.xlabels ? 18 : 0);
  const cw = (width - left - 6) / Math.max(1, cols);
  const ch = (height - top - 6) / Math.max(1, rows);
  let [lo, hi] = extent(m.flat());
  if (spec.vmin !== undefined) lo = spec.vmin;
  if (spec.vmax !== undefined) hi = spec.vmax;
  const diverging = spec.diverging ?? lo < 0;
  const bound = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = m[r][c];
      let fill;
      let dark;
      if (diverging) {
        const t = Math.max(-1, Math.min(1, v / bound));
        const rgb = t >= 0 ? CLASS1 : CLASS0;
        const k = Math.abs(t);
        fill = `rgb(${255 + (rgb[0] - 255) * k},${255 + (rgb[1] - 255) * k},${255 + (rgb[2] - 255) * k})`;
        dark = k > 0.55;
      } else {
        const t = hi > lo ? (v - lo) / (hi - lo) : 0;
        const g = Math.round(250 - 200 * t);
        fill = `rgb(${g},${Math.round(g * 0.9 + 25)},${Math.round(255 - 100 * t)})`;
        dark = t > 0.55;
      }
      ctx.fillStyle = fill;
      ctx.fillRect(left + c * cw, top + r * ch, Math.ceil(cw), Math.ceil(ch));
      if (spec.annotate !== false && rows * cols <= 144 && cw > 22 && ch > 14) {
        ctx.fillStyle = dark ? "#fff" : "#222";
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        ctx.fillText(fmt(v), left + (c + 0.5) * cw, top + (r + 0.5) * ch);
      }
    }
  }
  ctx.fillStyle = "#333";
  if (spec.title) {
    ctx.font = "bold 13px system-ui, sans-serif";
    ctx.textAlign = "left";
    ctx.textBaseline = "top";
    ctx.fillText(spec.title, left, 4);
    ctx.font = FONT;
  }
  if (spec.xlabels) {
    ctx.textAlign = "center";
    ctx.textBaseline = "bottom";
    spec.xlabels.forEach((l, c) => ctx.fillText(String(l), left + (c + 0.5) * cw, top - 3));
  }
  if (spec.ylabels) {
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    spec.ylabels.forEach((l, r) => ctx.fillText(String(l), left - 6, top + (r + 0.5) * ch));
  }
  canvas.setAttribute("aria-label", interpolate(gettext("%(title)s: %(rows)s by %(cols)s values from %(lo)s to %(hi)s."),
    { title: spec.title || gettext("Heatmap"), rows, cols, lo: fmt(lo), hi: fmt(hi) }));
}

/** Draw one grey (H x W) or RGB (H x W x 3) image, values 0..1 (or 0..255), scaled to the canvas. */
export function drawImage(canvas, image, { vmin = null, vmax = null } = {}) {
  const ctx = context(canvas);
  const h = image.length;
  const w = h ? image[0].length : 0;
  if (!h || !w) return;
  const rgb = Array.isArray(image[0][0]);
  const flat = rgb ? image.flat(2) : image.flat();
  let [lo, hi] = extent(flat);
  if (vmin !== null) lo = vmin;
  if (vmax !== null) hi = vmax;
  // Images in 0..1 keep their scale (a grey 0.5 stays grey); anything else (0..255, feature maps
  // with any range) is stretched from its minimum to its maximum.
  if (lo >= 0 && hi <= 1 && vmin === null && vmax === null) [lo, hi] = [0, 1];
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  const img = ctx.createImageData(w, h);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const o = (r * w + c) * 4;
      const px = image[r][c];
      const vals = rgb ? px : [px, px, px];
      for (let k = 0; k < 3; k++) img.data[o + k] = (vals[k] - lo) * scale;
      img.data[o + 3] = 255;
    }
  }
  const tmp = document.createElement("canvas");
  tmp.width = w;
  tmp.height = h;
  tmp.getContext("2d").putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(tmp, 0, 0, canvas._css.width, canvas._css.height);
}

export function imageGrid(spec) {
  const wrap = document.createElement("div");
  wrap.className = "lp-image-grid";
  const images = spec.images || [];
  const cols = spec.columns || Math.min(images.length, 8);
  wrap.style.gridTemplateColumns = `repeat(${cols}, auto)`;
  images.forEach((image, i) => {
    const fig = document.createElement("figure");
    const title = spec.titles && spec.titles[i] !== undefined ? String(spec.titles[i]) : "";
    const canvas = makeCanvas(72, 72, title ? interpolate(gettext("image: %(title)s"), { title })
      : interpolate(gettext("image %(n)s"), { n: i + 1 }));
    drawImage(canvas, image);
    fig.append(canvas);
    if (title) {
      const cap = document.createElement("figcaption");
      cap.textContent = title;
      fig.append(cap);
    }
    wrap.append(fig);
  });
  return wrap;
}

/** Render a plot spec sent by lp.plot/scatter/boundary/heatmap/images into a new <figure>. */
export function renderPlot(spec, width = 460) {
  const fig = document.createElement("figure");
  fig.className = `lp-plot lp-plot--${spec.kind}`;
  let node;
  if (spec.kind === "images") {
    node = imageGrid(spec);
  } else if (spec.kind === "heatmap") {
    const rows = (spec.matrix || []).length;
    const cols = rows ? spec.matrix[0].length : 1;
    const size = Math.min(width, Math.max(160, Math.max(rows, cols) * 36));
    node = makeCanvas(size + (spec.ylabels ? 60 : 0), size * (rows / Math.max(cols, 1)) + 40);
    drawHeatmap(node, spec);
  } else if (spec.kind === "boundary" || spec.kind === "scatter") {
    node = makeCanvas(Math.min(width, 320), Math.min(width, 320));
    (spec.kind === "boundary" ? drawBoundary : drawScatter)(node, spec);
  } else {
    node = makeCanvas(width, 240);
    drawLineChart(node, spec);
  }
  fig.append(node);
  if (spec.title && (spec.kind === "images" || spec.kind === "boundary" || spec.kind === "scatter")) {
    const cap = document.createElement("figcaption");
    cap.textContent = spec.title;
    fig.append(cap);
  }
  return fig;
}
