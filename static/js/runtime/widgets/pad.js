// The drawing pad of the widgets that read a drawing (server.js: a digit for the server's models;
// finetune.js: the pupil's own classes; glyph.js: a letter or digit at 32x32): 32 by 32 cells, pooled 4x4 to the 8x8 input the digits have.

import { drawImage, makeCanvas } from "../plot.js";
import { gettext } from "../i18n.js";

const GRID = 32; // drawing resolution; pooled 4x4 to the models' 8x8 input (as the UCI digits were made)

/** A drawing pad (mouse, touch, and keyboard: arrows move, Shift+arrow or Space draws) returning 8x8
 * input. ``onStroke`` runs when a pointer stroke ends, ``onEnter`` on Enter; ``label`` names the canvas. */
export function drawingPad({ label, onStroke = null, onEnter = null }) {
  const size = 224;
  const canvas = makeCanvas(size, size, label);
  canvas.tabIndex = 0;
  canvas.setAttribute("aria-roledescription", gettext("drawing pad"));
  const pixels = Array.from({ length: GRID }, () => Array(GRID).fill(0));
  let cursor = [GRID / 2, GRID / 2];
  let down = false;
  const paint = (r, c) => {
    for (let i = -1; i <= 1; i++) for (let j = -1; j <= 1; j++) {
      const rr = r + i;
      const cc = c + j;
      if (rr >= 0 && cc >= 0 && rr < GRID && cc < GRID) pixels[rr][cc] = Math.min(1, pixels[rr][cc] + (i || j ? 0.5 : 1));
    }
  };
  const redraw = () => {
    drawImage(canvas, pixels.map((row) => row.map((v) => 1 - v)), { vmin: 0, vmax: 1 });
    const ctx = canvas.getContext("2d");
    const cell = size / GRID;
    if (document.activeElement === canvas) {
      ctx.strokeStyle = "#D55E00";
      ctx.strokeRect(cursor[1] * cell, cursor[0] * cell, cell, cell);
    }
  };
  const at = (e) => {
    const rect = canvas.getBoundingClientRect();
    return [Math.floor(((e.clientY - rect.top) / rect.height) * GRID), Math.floor(((e.clientX - rect.left) / rect.width) * GRID)];
  };
  let last = null;
  const stroke = (cell) => { // every cell on the line from the last one, so a fast stroke has no gaps
    const [r0, c0] = last || cell;
    const steps = Math.max(Math.abs(cell[0] - r0), Math.abs(cell[1] - c0), 1);
    for (let s = last ? 1 : 0; s <= steps; s++) paint(Math.round(r0 + ((cell[0] - r0) * s) / steps), Math.round(c0 + ((cell[1] - c0) * s) / steps));
    last = cell;
  };
  canvas.addEventListener("pointerdown", (e) => { down = true; last = null; canvas.setPointerCapture(e.pointerId); stroke(at(e)); redraw(); });
  canvas.addEventListener("pointermove", (e) => { if (down) { stroke(at(e)); redraw(); } });
  canvas.addEventListener("pointerup", () => { down = false; if (onStroke) onStroke(); });
  canvas.addEventListener("focus", redraw);
  canvas.addEventListener("blur", redraw);
  canvas.addEventListener("keydown", (e) => {
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (moves[e.key]) {
      cursor = [Math.max(0, Math.min(GRID - 1, cursor[0] + moves[e.key][0])), Math.max(0, Math.min(GRID - 1, cursor[1] + moves[e.key][1]))];
      if (e.shiftKey) paint(...cursor);
    } else if (e.key === " ") {
      paint(...cursor);
    } else if (e.key === "Enter" && onEnter) {
      onEnter();
    } else return;
    e.preventDefault();
    redraw();
  });
  redraw();
  return {
    canvas,
    clear() { pixels.forEach((row) => row.fill(0)); redraw(); },
    /** 8x8 block means in 0..1, as a flat list of 64 numbers. */
    input() {
      const out = [];
      const k = GRID / 8;
      for (let r = 0; r < 8; r++) for (let c = 0; c < 8; c++) {
        let s = 0;
        for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) s += pixels[r * k + i][c * k + j];
        out.push(Math.round((s / (k * k)) * 1000) / 1000);
      }
      return out;
    },
    empty() { return pixels.every((row) => row.every((v) => v === 0)); },
    /** The whole drawing, GRID rows of GRID values in 0..1 (glyph.js scales it itself). */
    pixels() { return pixels; },
  };
}
