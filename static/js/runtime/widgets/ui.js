// Small accessible form helpers shared by the widgets: every control has a visible label.

import { gettext, pgettext } from "../i18n.js";

let uid = 0;
export const nextId = (prefix = "lp") => `${prefix}-${++uid}`;

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v === true ? "" : v);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

/** A labelled range input with its value shown; onInput(value) on every move. */
export function slider({ label, min, max, step, value, format = (v) => String(v), onInput, onChange }) {
  const id = nextId("range");
  const input = el("input", { type: "range", id, min, max, step, value });
  const out = el("output", { for: id }, format(Number(value)));
  const update = () => {
    out.textContent = format(Number(input.value));
    input.setAttribute("aria-valuetext", out.textContent);
  };
  update();
  input.addEventListener("input", () => {
    update();
    if (onInput) onInput(Number(input.value));
  });
  if (onChange) input.addEventListener("change", () => onChange(Number(input.value)));
  const wrap = el("div", { class: "lp-field" }, el("label", { for: id }, label), input, out);
  wrap.input = input;
  wrap.set = (v) => {
    input.value = v;
    update();
  };
  return wrap;
}

/** A labelled <select>; options are [value, text] pairs or plain values. */
export function select({ label, options, value, onChange }) {
  const id = nextId("select");
  const node = el("select", { id });
  for (const opt of options) {
    const [v, text] = Array.isArray(opt) ? opt : [opt, String(opt)];
    const o = el("option", { value: String(v) }, text);
    if (String(v) === String(value)) o.selected = true;
    node.append(o);
  }
  if (onChange) node.addEventListener("change", () => onChange(node.value));
  const wrap = el("div", { class: "lp-field" }, el("label", { for: id }, label), node);
  wrap.input = node;
  return wrap;
}

export function textField({ label, value, onChange, pattern = null, hint = "" }) {
  const id = nextId("text");
  const described = [hint ? `${id}-hint` : "", `${id}-error`].filter(Boolean).join(" ");
  const node = el("input", { type: "text", id, value, pattern, spellcheck: "false", "aria-describedby": described });
  if (onChange) node.addEventListener("change", () => onChange(node.value));
  // The message sits at the field (WCAG 3.3.1), read with it, and is empty while the value is fine.
  const error = el("small", { id: `${id}-error`, class: "lp-field__error", "aria-live": "polite" });
  const wrap = el("div", { class: "lp-field" }, el("label", { for: id }, label), node, error);
  if (hint) wrap.append(el("small", { id: `${id}-hint`, class: "visually-hidden" }, hint));
  wrap.input = node;
  /** Marks the field wrong with a message, or right again with null. */
  wrap.invalid = (message) => {
    node.setAttribute("aria-invalid", message ? "true" : "false");
    error.textContent = message || "";
  };
  return wrap;
}

// SVG icons for buttons (an emoji such as a pause sign is an empty box where no emoji font is
// installed); drawn in the text's colour, hidden from screen readers (the label names the button).
const ICONS = {
  play: "M7 5l12 7-12 7z",
  pause: "M7 5h3.5v14H7zM13.5 5H17v14h-3.5z",
};

export function icon(name) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", "icon");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", ICONS[name]);
  path.setAttribute("fill", "currentColor");
  svg.append(path);
  return svg;
}

/** Sets a button's content to an icon and a text label. */
export function iconLabel(node, name, text) {
  node.replaceChildren(icon(name), " ", text);
  return node;
}

export function button(text, onClick, attrs = {}) {
  return el("button", { type: "button", class: "lp-btn", ...attrs, onclick: onClick }, text);
}

/** A polite live region that announces at most every `gap` ms (sliders must not flood readers). */
export function liveRegion(cls = "lp-widget__status", gap = 1500) {
  const node = el("p", { class: cls, role: "status", "aria-live": "polite" });
  let last = 0;
  let timer = null;
  node.say = (text, urgent = false) => {
    const now = performance.now();
    clearTimeout(timer);
    if (urgent || now - last > gap) {
      last = now;
      node.textContent = text;
    } else {
      timer = setTimeout(() => node.say(text, true), gap - (now - last));
    }
  };
  return node;
}

export function title(node, text) {
  const label = node.getAttribute("aria-label");
  return el("h3", { class: "lp-widget__title" }, text || label || "");
}

export const ACTIVATIONS = {
  step: { label: pgettext("activation function", "step"), f: (z) => (z >= 0 ? 1 : 0), d: () => 0 },
  identity: { label: gettext("linear (identity)"), f: (z) => z, d: () => 1 },
  relu: { label: "ReLU", f: (z) => (z > 0 ? z : 0), d: (z) => (z > 0 ? 1 : 0) },
  leaky_relu: { label: "leaky ReLU", f: (z) => (z > 0 ? z : 0.01 * z), d: (z) => (z > 0 ? 1 : 0.01) },
  sigmoid: { label: "sigmoid", f: (z) => 1 / (1 + Math.exp(-z)), d: (z) => { const s = 1 / (1 + Math.exp(-z)); return s * (1 - s); } },
  tanh: { label: "tanh", f: (z) => Math.tanh(z), d: (z) => 1 - Math.tanh(z) ** 2 },
};
const ALIASES = { linear: "identity" }; // the registry accepts both names

/** The key in ACTIVATIONS of the activation an author called ``name`` ("Leaky-ReLU", "linear", ...). */
export function activationKey(name) {
  const key = String(name).toLowerCase().replace("-", "_");
  return ALIASES[key] || key;
}

/** The activation called ``name`` (a choice the registry checked); an unknown name is an error. */
export function activationFn(name) {
  const key = activationKey(name);
  if (!ACTIVATIONS[key]) throw new Error(`unknown activation "${name}"; known: ${Object.keys(ACTIVATIONS).join(", ")}`);
  return ACTIVATIONS[key];
}

// Author parameters arrive from data-params, typed by the compiler, with the registry's defaults
// (learningpaths/compiler/widget_specs.py) filled in by widgets/index.js: a widget never repeats a
// default. These only make sure of the type ("0.5" is read as 0.5); a fallback is for what the
// registry leaves to the widget (default None), and a test refuses one for a parameter with a
// default (tests/compiler/test_widget_specs.py).
export function num(value, fallback = undefined) {
  const n = typeof value === "string" ? parseFloat(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : fallback;
}

export function bool(value, fallback = undefined) {
  if (value === undefined || value === null || value === "") return fallback;
  if (typeof value === "string") return !["false", "0", "no", "off"].includes(value.trim().toLowerCase());
  return !!value;
}

/** ``value`` as a list (an array, or text separated by commas), each item through ``item``. */
export function list(value, item = (v) => v, fallback = []) {
  if (value === undefined || value === null || value === "") return fallback;
  const items = Array.isArray(value) ? value : String(value).split(/[\s,;]+/).filter(Boolean);
  return items.map(item);
}
