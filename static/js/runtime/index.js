// Entry point on pages whose content has cells or widgets (see runtime/includes/runtime.html).
// The page is readable before this runs; Python boots in a worker in the background.
//
// One PyRuntime for the whole visit: the path player swaps steps in place (static/site/navigate.js)
// and fires `lp:navigated` {url, root}; the cells, widgets and notebook toolbar of the new step are
// mounted on that root with the same worker, so NumPy and the engine are imported once per visit
// (issue 17). A step starts with a fresh namespace unless its article says data-lp-runtime="keep"
// (front matter `runtime: keep`); a run still going when the student leaves the step is stopped:
// softly where it can be (PyRuntime.leave), so that the next step usually keeps the warm worker.

import { PyRuntime } from "./client.js";
import { CellView, codeOf } from "./cell.js";
import { CellNotebook } from "./notebook.js";
import { mountWidget, widgetNeedsPython } from "./widgets/index.js";

let current = null; // {root, abort}: the step mounted now

/** The element holding a step's content: the player's article, else the whole document. */
function contentRoot(root) {
  if (root && root !== document) return root;
  return document.querySelector("article.learning-object") || document.body;
}

function unmount(runtime) {
  if (!current) return;
  // Leaving a step while it runs ends that run: a widget task stops at its next step and the worker
  // lives on; a cell still busy after a short grace is ended as the Stop button does (new worker).
  if (runtime.busy) runtime.leave();
  current.abort.abort(); // the old cells' and widgets' listeners on the runtime
  current = null;
}

/** Mount cells, widgets and the notebook toolbar found under ``root``; a root is mounted once. */
function mount(runtime, config, root) {
  root = contentRoot(root);
  if (root.dataset.lpRuntimeMounted) return;
  const first = !current;
  unmount(runtime);
  root.dataset.lpRuntimeMounted = "true";
  const abort = new AbortController();
  current = { root, abort };
  const keep = root.dataset.lpRuntime === "keep";
  runtime.setup = [];
  if (!first && !keep) runtime.resetNamespace(); // queued before this step's setup and cells
  runtime.setupDone = null; // this step's setup runs before its first cell
  root.querySelectorAll(".lp-cell-setup").forEach((node, i) => {
    runtime.addSetup(codeOf(node), `<setup ${i + 1}>`);
  });
  const cells = [...root.querySelectorAll("div.lp-cell")].map((node) => new CellView(node, runtime, { signal: abort.signal }));
  const notebook = new CellNotebook(cells, runtime);
  const widgetNodes = [...root.querySelectorAll("div.lp-widget")];
  const widgets = widgetNodes.map((node) => mountWidget(node, runtime, config, { signal: abort.signal }));
  Object.assign(window.lpRuntime, { cells, notebook, widgets, root, mounts: window.lpRuntime.mounts + 1 });
  if (cells.length || widgetNodes.some((node) => widgetNeedsPython(node.dataset.widget, config))) {
    runtime.start();
  }
  document.dispatchEvent(new CustomEvent("lp:runtime", { detail: window.lpRuntime }));
}

function main() {
  const configNode = document.getElementById("lp-runtime-config");
  if (!configNode || window.lpRuntime) return;
  const config = JSON.parse(configNode.textContent);
  const runtime = new PyRuntime(config);
  window.lpRuntime = {
    runtime, config, cells: [], notebook: null, widgets: [], root: null, mounts: 0,
    /** How many workers this visit has started (1 + one per Stop); the same worker survives navigation. */
    get boots() { return runtime.generation; },
    mount: (root) => mount(runtime, config, root),
  };
  document.addEventListener("lp:navigated", (event) => mount(runtime, config, event.detail && event.detail.root));
  mount(runtime, config, null);
}

main();
