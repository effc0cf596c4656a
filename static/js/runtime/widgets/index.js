// Widgets: <div class="lp-widget" data-widget="NAME" data-params='{"k": "v"}' role="group" aria-label="...">
// The registry is the compiler's (learningpaths/compiler/widget_specs.py), handed to the page in the
// runtime config: for each NAME its module here (loaded only when a page uses it), whether it trains
// in Python, and the defaults of its parameters. The compiler has checked and typed data-params.

import { gettext, interpolate } from "../i18n.js";

const registry = (config) => (config && config.widgets) || {};

export function widgetNeedsPython(name, config) {
  const entry = registry(config)[name];
  return !!(entry && entry.python);
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

/** The parameters a widget's mount gets: the registry's defaults, then what the author wrote. This is
 * the only place defaults come from (the widget modules repeat none; tests/compiler/test_widget_specs.py
 * checks). The defaults are copied, as they belong to the page's config and a widget may change its
 * params. */
function widgetParams(entry, node) {
  return { ...structuredClone(entry.defaults || {}), ...parseParams(node) };
}

function showProblem(node, text) {
  const p = document.createElement("p");
  p.className = "lp-widget__problem";
  p.setAttribute("role", "status");
  p.textContent = text;
  node.replaceChildren(p);
}

/** Mount a widget; returns {name, node, params, ready: Promise<instance>}. ``signal`` (an AbortSignal)
 * ends the widget's listeners on the runtime when its step is left. */
export function mountWidget(node, runtime, config, { signal } = {}) {
  const name = node.dataset.widget;
  const entry = registry(config)[name];
  const handle = { name, node, params: null, instance: null };
  node.classList.add("lp-widget--live");
  if (!node.hasAttribute("role")) node.setAttribute("role", "group");
  if (!node.hasAttribute("aria-label")) node.setAttribute("aria-label", interpolate(gettext("%(name)s widget"), { name }));
  if (!entry) {
    showProblem(node, interpolate(gettext("Unknown widget \"%(name)s\". Known widgets: %(known)s."),
      { name, known: Object.keys(registry(config)).join(", ") }));
    handle.ready = Promise.resolve(null);
    return handle;
  }
  handle.ready = import(`./${entry.module}`)
    .then((mod) => {
      handle.params = widgetParams(entry, node);
      handle.instance = mod.mount(node, { name, params: handle.params, runtime, config, signal });
      node.dataset.ready = "true";
      return handle.instance;
    })
    .catch((err) => { // the module did not load, or its mount failed
      console.error(err);
      showProblem(node, interpolate(gettext("The %(name)s widget could not load."), { name }));
      return null;
    });
  return handle;
}
