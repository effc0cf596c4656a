// Widgets: <div class="lp-widget" data-widget="NAME" data-params='{"k": "v"}' role="group" aria-label="...">
// Each NAME maps to a module here, loaded only when a page uses it.

import { gettext, interpolate } from "../i18n.js";

const REGISTRY = {
  neuron: { module: "./neuron.js", python: false },
  activation: { module: "./activation.js", python: false },
  convolution: { module: "./convolution.js", python: false },
  "confusion-matrix": { module: "./confusion.js", python: false },
  playground: { module: "./playground.js", python: true },
  "learning-rate": { module: "./curves.js", python: true },
  "batch-modes": { module: "./curves.js", python: true },
  digit: { module: "./server.js", python: false },
  "compare-models": { module: "./server.js", python: false },
};

export const WIDGET_NAMES = Object.keys(REGISTRY);

export function widgetNeedsPython(name) {
  return !!(REGISTRY[name] && REGISTRY[name].python);
}

export function parseParams(node) {
  const raw = node.dataset.params;
  if (!raw) return {};
  try {
    const value = JSON.parse(raw);
    return value && typeof value === "object" ? value : {};
  } catch (err) {
    console.warn("lp-widget: data-params is not valid JSON", raw, err);
    return {};
  }
}

function showProblem(node, text) {
  const p = document.createElement("p");
  p.className = "lp-widget__problem";
  p.setAttribute("role", "status");
  p.textContent = text;
  node.replaceChildren(p);
}

/** Mount a widget; returns {name, node, ready: Promise<instance>}. ``signal`` (an AbortSignal)
 * ends the widget's listeners on the runtime when its step is left. */
export function mountWidget(node, runtime, config, { signal } = {}) {
  const name = node.dataset.widget;
  const entry = REGISTRY[name];
  const handle = { name, node, instance: null };
  node.classList.add("lp-widget--live");
  if (!node.hasAttribute("role")) node.setAttribute("role", "group");
  if (!node.hasAttribute("aria-label")) node.setAttribute("aria-label", interpolate(gettext("%(name)s widget"), { name }));
  if (!entry) {
    showProblem(node, interpolate(gettext("Unknown widget \"%(name)s\". Known widgets: %(known)s."),
      { name, known: WIDGET_NAMES.join(", ") }));
    handle.ready = Promise.resolve(null);
    return handle;
  }
  handle.ready = import(entry.module).then(
    (mod) => {
      handle.instance = mod.mount(node, { name, params: parseParams(node), runtime, config, signal });
      node.dataset.ready = "true";
      return handle.instance;
    },
    (err) => {
      console.error(err);
      showProblem(node, interpolate(gettext("The %(name)s widget could not load."), { name }));
      return null;
    },
  );
  return handle;
}
