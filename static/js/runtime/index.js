// Entry point on pages whose content has cells or widgets (see runtime/includes/runtime.html).
// The page is readable before this runs; Python boots in a worker in the background.

import { PyRuntime } from "./client.js";
import { CellView, codeOf } from "./cell.js";
import { CellNotebook } from "./notebook.js";
import { mountWidget, widgetNeedsPython } from "./widgets/index.js";

function main() {
  const configNode = document.getElementById("lp-runtime-config");
  if (!configNode) return;
  const config = JSON.parse(configNode.textContent);
  const runtime = new PyRuntime(config);
  document.querySelectorAll(".lp-cell-setup").forEach((node, i) => {
    runtime.addSetup(codeOf(node), `<setup ${i + 1}>`);
  });
  const cells = [...document.querySelectorAll("div.lp-cell")].map((node) => new CellView(node, runtime));
  const notebook = new CellNotebook(cells, runtime);
  const widgetNodes = [...document.querySelectorAll("div.lp-widget")];
  const widgets = widgetNodes.map((node) => mountWidget(node, runtime, config));
  window.lpRuntime = { runtime, cells, notebook, widgets, config };
  if (cells.length || widgetNodes.some((node) => widgetNeedsPython(node.dataset.widget))) {
    runtime.start();
  }
  document.dispatchEvent(new CustomEvent("lp:runtime", { detail: window.lpRuntime }));
}

main();
