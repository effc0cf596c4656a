// Build-time cell runner: the same Pyodide, NumPy, engine wheel and lp helpers as the page,
// in Node.js. Used by `manage.py compilecontent --execute` (learningpaths/runtime/execute.py).
//
// stdin: {"indexURL": "/abs/pyodide/dir/", "wheel": "/abs/engine-<hash>.whl",
//         optional precompiled files: "stdlib", "numpySite" (numpy-site.tar), "enginePyc" (paths),
//         "objects": [{"key": "...", "cells": [{"code", "filename", "returns"}]}]}
// stdout: one JSON object per line:
//   {"event": "ready", "ms"}                      Pyodide, NumPy and the engine are loaded
//   {"event": "start", "object": i, "cell": j}    before each cell (so a caller can time it out)
//   {"event": "done", "object": i, "cell": j, "ok", "error", "line", "ms", "stdout"}
// Cell output goes to the "stdout" field (last 2,000 characters), never to the process's stdout.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const input = JSON.parse(readFileSync(0, "utf8"));
const emit = (obj) => process.stdout.write(JSON.stringify(obj) + "\n");
const t0 = performance.now();
const { loadPyodide } = await import(pathToFileURL(input.indexURL + "pyodide.mjs").href);
let captured = "";
const capture = (text) => {
  captured = (captured + text + "\n").slice(-2000);
};
const SITE = { extractDir: "/lib/python3.12/site-packages" };
const pyodide = await loadPyodide({ indexURL: input.indexURL, stdout: capture, stderr: capture,
                                    ...(input.stdlib ? { stdLibURL: input.stdlib } : {}) });
if (input.numpySite) pyodide.unpackArchive(new Uint8Array(readFileSync(input.numpySite)), "tar", SITE);
else await pyodide.loadPackage("numpy", { messageCallback: () => {}, errorCallback: (m) => process.stderr.write(m + "\n") });
pyodide.unpackArchive(new Uint8Array(readFileSync(input.wheel)), "wheel", SITE);
if (input.enginePyc) pyodide.unpackArchive(new Uint8Array(readFileSync(input.enginePyc)), "zip", SITE);
globalThis.lpPost = () => {}; // lp.plot / lp.progress have no page to draw on here
pyodide.runPython(`
import lp, lp._runner, js
try:
    import engine
except ImportError:
    pass
lp._connect(js.lpPost)
`);
const runner = pyodide.pyimport("lp._runner");
emit({ event: "ready", ms: Math.round(performance.now() - t0) });

for (const [i, obj] of input.objects.entries()) {
  runner.reset();
  for (const [j, cell] of obj.cells.entries()) {
    emit({ event: "start", object: i, cell: j });
    captured = "";
    const start = performance.now();
    const proxy = await runner.run_cell(cell.code, cell.filename || "<cell>", cell.returns || null, obj.language || null);
    const out = proxy.toJs({ dict_converter: Object.fromEntries });
    proxy.destroy();
    emit({ event: "done", object: i, cell: j, ok: out.ok, error: out.error, line: out.line,
           ms: Math.round(performance.now() - start), stdout: captured });
    if (!out.ok) break; // later cells of this object depend on this one
  }
}
process.exit(0);
