/* Pyodide in a Web Worker, shared by all cells and widgets of a page (classic worker script).
 *
 * Page -> worker: {type:"init", indexURL, engineURL, stdLibURL?, numpySiteURL?, enginePycURL?, snapshot?, controlled?}
 *                 not a message: the worker's name (JSON, new Worker(url, {name})), see startsFromName()
 *                 {type:"run", id, code, filename, returns, language}   a cell (queued, one at a time)
 *                 {type:"task", id, name, params, language}             a widget job in lp.widgets (queued)
 *                 (language: the lesson's, e.g. "nl"; lp.set_language() before the job, see lp/messages.py)
 *                 {type:"cancel", id}                         ask a task to stop at its next step
 *                 {type:"reset"}                              fresh namespace for the cells
 * Worker -> page: {type:"status", code} {type:"ready", ms, snapshot, numpy} {type:"boot-error", error, code?, url?, status?}
 *                 {type:"start", id} {type:"stdout"|"stderr", id, text} {type:"truncated", id}
 *                 {type:"progress"|"plot"|"data", id, data}
 *                 {type:"done", id, ok, result, error, line, returns, ms}
 * A cell that must end at once is stopped by the page terminating this worker (see client.js).
 * snapshot: start the interpreter from a memory snapshot kept in Cache Storage (see restore()).
 * controlled: the page is controlled by the service worker (static/site/sw.js), which answers
 * Pyodide's files from Cache Storage.
 * The worker has no translation catalogue: what the student reads goes to the page as a code
 * (status "loading-python", boot-error "download", ...), and client.js and cell.js translate it.
 */
"use strict";

const SITE = "/lib/python3.12/site-packages";
// NumPy's libraries that neither `import numpy`, numpy.random nor the engine imports (from
// sys.modules after a boot and a lesson's first step): four of its five test modules, _simd and
// numpy.fft. They are not loaded before the import (see setUp()); a cell that imports one loads it then.
const LAZY_LIBS = /\/(_umath_tests|_rational_tests|_struct_ufunc_tests|_operand_flag_tests|_simd)\.|\/numpy\/fft\//;
const MAX_OUTPUT = 1 << 20; // characters of stdout+stderr per job; then a notice and silence

let pyodide = null;
let booted = null;
let current = null; // id of the job now running
let outputBudget = MAX_OUTPUT;
const queue = [];
let draining = false;
let runner = null;
let tasks = null;

function post(message) {
  self.postMessage(message);
}

function emitOutput(type, text) {
  if (!text || outputBudget <= 0) return;
  const truncated = text.length > outputBudget;
  if (truncated) text = text.slice(0, outputBudget);
  outputBudget -= text.length;
  post({ type, id: current, text });
  if (truncated) {
    outputBudget = 0;
    post({ type: "truncated", id: current }); // the page shows a translated notice
  }
}

function streamWriter(type) {
  const decoder = new TextDecoder();
  return {
    write(buffer) {
      emitOutput(type, decoder.decode(buffer, { stream: true }));
      return buffer.length;
    },
  };
}

// Called from Python (lp._connect): one message for the page, as JSON text.
self.lpPost = (kind, json) => {
  post({ type: kind, id: current, data: JSON.parse(json) });
};

const now = () => performance.timeOrigin + performance.now(); // absolute ms, comparable with the page

// An error the page can translate: the code names the message, the fields fill it in.
function codedError(code, message, fields = {}) {
  return Object.assign(new Error(message), { code }, fields);
}

function download(url) {
  if (!url) return Promise.resolve(null);
  return fetch(url).then((r) => {
    if (!r.ok) throw codedError("download", `Could not load ${url} (${r.status}).`, { url, status: r.status });
    return r.arrayBuffer();
  });
}

function optional(promise, without) {
  return promise.catch((err) => {
    console.warn(`lp runtime: continuing without ${without}:`, err.message || err);
    return null;
  });
}

/** Write an uncompressed ustar archive (numpy-site.tar, see node/precompile.mjs) under ``dir``
 * in Pyodide's file system: plain files and folders only; returns the paths of its .so files. About 30 ms for NumPy's 386 files,
 * where loadPackage spends ~0.3 s unzipping its wheel in Python. */
function untar(FS, bytes, dir) {
  const text = new TextDecoder();
  const field = (at, length) => {
    let end = at;
    while (end < at + length && bytes[end]) end++;
    return text.decode(bytes.subarray(at, end));
  };
  const made = new Set();
  const libs = []; // the shared libraries written, to load before the import
  const folder = (path) => {
    if (!made.has(path)) FS.mkdirTree(path);
    made.add(path);
  };
  for (let at = 0; at + 512 <= bytes.length && bytes[at]; ) { // a zero block ends the archive
    if (field(at + 257, 5) !== "ustar") throw new Error(`not a ustar archive at byte ${at}`);
    const prefix = field(at + 345, 155);
    const name = (prefix ? prefix + "/" : "") + field(at, 100);
    const size = parseInt(field(at + 124, 12), 8);
    const type = String.fromCharCode(bytes[at + 156] || 48);
    if (!(size >= 0) || name.startsWith("/") || name.split("/").includes("..")) throw new Error(`bad archive entry ${name}`);
    const body = at + 512;
    const path = `${dir}/${name.replace(/\/$/, "")}`;
    if (type === "0") {
      if (path.endsWith(".so")) libs.push(path);
      folder(path.slice(0, path.lastIndexOf("/")));
      FS.writeFile(path, bytes.subarray(body, body + size));
    } else if (type === "5") {
      folder(path);
    } else {
      throw new Error(`unexpected archive entry ${name} (type ${type})`);
    }
    at = body + Math.ceil(size / 512) * 512;
  }
  return libs;
}

// The interpreter's memory snapshot (issue 17): Python's own start-up (the interpreter, its
// bootstrap imports and the stdlib modules below) is restored from a copy of the wasm memory
// instead of being run again. Pyodide 0.27's snapshots hold the wasm memory only, not the
// function table of dynamic libraries nor JS objects, so the copy is taken right after
// loadPyodide, before NumPy's .so files are loaded and before Python touches any JS object
// (`import js` comes after). One snapshot per origin in Cache Storage, keyed by what it holds
// (the Pyodide build and the stdlib archive); Pyodide checks its build id and a magic number on
// restore, and anything wrong with it means a normal start (and a new snapshot).
// Not an "lp-" name: the service worker's activate drops those at every content build, and the
// snapshot outlives builds (its key changes with the files it holds; storing one drops the rest).
const SNAPSHOT_CACHE = "pyodide-snapshot";
// Stdlib modules that loadPackage, NumPy (numpy.random among them), the engine and unpacking its
// wheel import (listed from sys.modules after a boot and a lesson's first step), none with a
// dynamic library: imported before the snapshot, so a restored start has them already.
const SNAPSHOT_IMPORTS = [
  "__future__", "_compat_pickle", "_json", "_pickle", "base64", "calendar", "csv", "ctypes",
  "dataclasses", "datetime", "email.message", "email.utils", "encodings.cp437", "hashlib", "hmac",
  "importlib.metadata", "json", "numbers", "pickle", "platform", "secrets", "tarfile",
];

function snapshotKey(indexURL, stdLibURL) {
  if (typeof caches === "undefined") return null; // not a secure context: no Cache Storage
  const params = new URLSearchParams({ pyodide: indexURL, stdlib: stdLibURL || "", imports: SNAPSHOT_IMPORTS.join(",") });
  return new URL("/runtime/snapshot?" + params, self.location.origin).href;
}

/** {bytes}: the stored snapshot, found, and its body being read (a promise); or null. */
async function storedSnapshot(key, marks) {
  try {
    const hit = await (await caches.open(SNAPSHOT_CACHE)).match(key);
    if (!hit) return null;
    const bytes = hit.arrayBuffer().then((buffer) => {
      marks.snapshotRead = now();
      return new Uint8Array(buffer);
    });
    bytes.catch(() => {}); // reported by loadPyodide, which then fails (see restore())
    return { bytes };
  } catch (err) {
    console.warn("lp runtime: could not read the Python snapshot:", err.message || err);
    return null;
  }
}

async function storeSnapshot(key, bytes) {
  const cache = await caches.open(SNAPSHOT_CACHE);
  for (const request of await cache.keys()) if (request.url !== key) await cache.delete(request);
  await cache.put(key, new Response(bytes, { headers: { "Content-Type": "application/octet-stream" } }));
}

/** Pyodide started from the stored snapshot, or null (none, or it failed: then it is dropped).
 * loadPyodide gets the snapshot's bytes as a promise: it loads pyodide.asm.js while they are
 * still read, and waits for them only to size the memory. */
async function restore(key, stored, options) {
  const found = stored && (await stored);
  if (!found) return null;
  try {
    const restored = await self.loadPyodide({ ...options, _loadSnapshot: found.bytes });
    restored.runPython("import sys"); // a snapshot that restores but is broken fails here, not in a cell
    return restored;
  } catch (err) {
    console.warn("lp runtime: the stored Python snapshot could not be used; starting Python normally:", err.message || err);
    dropSnapshot(key);
    return null;
  }
}

function dropSnapshot(key) {
  caches.open(SNAPSHOT_CACHE).then((cache) => cache.delete(key)).catch(() => {});
}

/** A normal start, {pyodide, made}; with a key it also takes the snapshot and stores it (in the
 * background). */
async function startFresh(key, options) {
  const fresh = await self.loadPyodide({ ...options, ...(key ? { _makeSnapshot: true } : {}) });
  if (!key) return { pyodide: fresh, made: false };
  try {
    fresh.runPython(`import importlib\nfor name in ${JSON.stringify(SNAPSHOT_IMPORTS)}: importlib.import_module(name)`);
    const bytes = fresh.makeMemorySnapshot();
    storeSnapshot(key, bytes).catch((err) => console.warn("lp runtime: could not store the Python snapshot:", err.message || err));
    return { pyodide: fresh, made: true };
  } catch (err) {
    console.warn("lp runtime: no Python snapshot this time:", err.message || err);
    return { pyodide: fresh, made: false };
  }
}

async function boot({ indexURL, engineURL, stdLibURL, numpySiteURL, enginePycURL, snapshot, controlled }) {
  const marks = { start: now() };
  if (!engineURL) throw codedError("no-engine", "The engine is not packaged for the browser (run `make assets`).");
  // Compile Pyodide's wasm first, while pyodide.js, pyodide.asm.js and the snapshot load, and before
  // the other downloads ask for the same disk and cores (warm starts 0.83-0.88x, bench/README);
  // loadPyodide's instantiateStreaming (below) takes this module.
  const compiled = WebAssembly.compileStreaming ? WebAssembly.compileStreaming(fetch(indexURL + "pyodide.asm.wasm")) : null;
  // compiled, snapshotRead: marks that run beside the phases (bench/browser.py prints them per run).
  if (compiled) compiled.then(() => { marks.compiled = now(); }, () => {}); // on failure Pyodide compiles it itself
  // Then every download at once; loadPyodide and loadPackage find them in the HTTP cache
  // (all these URLs are immutable), instead of fetching one after another.
  const engine = download(engineURL);
  engine.catch(() => {});
  // NumPy as installed, with its bytecode (numpy-site.tar); without it, loadPackage and the wheel.
  const numpySite = optional(download(numpySiteURL), "NumPy's prepared files");
  const enginePyc = optional(download(enginePycURL), "precompiled bytecode");
  // Under the service worker these come from Cache Storage whoever asks, and a prefetch would
  // only read them twice.
  if (!controlled) {
    for (const url of [stdLibURL || indexURL + "python_stdlib.zip", indexURL + "pyodide.asm.js"]) {
      fetch(url).then((r) => r.arrayBuffer()).catch(() => {});
    }
  }
  const key = snapshot ? snapshotKey(indexURL, stdLibURL) : null;
  const stored = key ? storedSnapshot(key, marks) : null; // read while pyodide.js loads
  if (!numpySiteURL) {
    const lock = fetch(indexURL + "pyodide-lock.json").then((r) => r.json());
    lock.then((l) => fetch(indexURL + l.packages.numpy.file_name)).then((r) => r.arrayBuffer()).catch(() => {});
  }
  post({ type: "status", code: "loading-python" });
  importScripts(indexURL + "pyodide.js");
  marks.script = now();
  // Pyodide's instantiateStreaming gets the module compiled above (marks.wasm: compiled and
  // instantiated, which splits loadPyodide into the compile and the interpreter's start).
  const instantiate = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = (source, imports) => {
    const early = compiled && compiled.then((module) => WebAssembly.instantiate(module, imports).then((instance) => {
      Promise.resolve(source).then((r) => r.body && r.body.cancel()).catch(() => {}); // Pyodide's own fetch of it
      return { module, instance };
    }));
    const result = early ? early.catch(() => instantiate(source, imports)) : instantiate(source, imports);
    return result.then((r) => {
      marks.wasm = marks.wasm || now();
      return r;
    });
  };
  // stdLibURL: the official stdlib zip plus precompiled .pyc (see node/precompile.mjs).
  const options = { indexURL, fullStdLib: false, ...(stdLibURL ? { stdLibURL } : {}) };
  pyodide = await restore(key, stored, options);
  let snapshotUse = "restored"; // restored | made | none: for the bench and the tests
  if (!pyodide) {
    const fresh = await startFresh(key, options);
    pyodide = fresh.pyodide;
    snapshotUse = fresh.made ? "made" : "none";
  }
  marks.pyodide = now();
  let numpyFrom; // "site" (numpy-site.tar) | "package" (loadPackage): the same
  try {
    numpyFrom = await setUp(marks, engine, numpySite, enginePyc);
  } catch (err) {
    // Python from the snapshot that fails further on (not a download): drop it, boot again without.
    if (snapshotUse === "restored" && err && typeof err === "object" && !err.code) {
      dropSnapshot(key);
      err.fromSnapshot = true;
    }
    throw err;
  }
  return { marks, snapshot: snapshotUse, numpy: numpyFrom };
}

/** NumPy, the engine and lp into the started interpreter; then Python may touch JS objects.
 * Returns where NumPy came from. From numpy-site.tar, `import numpy` loads its .so files
 * itself (synchronous compiles, which workers may do) instead of loadPackage loading them first. */
async function setUp(marks, engine, numpySite, enginePyc) {
  let site = await numpySite;
  try {
    if (site) {
      const libs = untar(pyodide.FS, new Uint8Array(site), SITE);
      // NumPy's .so loaded as loadPackage loads them (compiled asynchronously, which lets V8 compile
      // them off this thread) rather than by dlopen at `import numpy`: interleaved, the import and
      // the first step were 0.3 s and 0.25 s shorter so. Pyodide's internal API: without it,
      // `import numpy` loads them itself.
      const loadDynlib = pyodide._api && pyodide._api.loadDynlib;
      if (loadDynlib) for (const lib of libs.filter((path) => !LAZY_LIBS.test(path))) await loadDynlib(lib, false, []);
      else console.warn("lp runtime: this Pyodide has no _api.loadDynlib; NumPy's libraries load at its import (slower)");
    }
  } catch (err) {
    console.warn("lp runtime: NumPy's prepared files could not be used; loading its package:", err.message || err);
    site = null;
  }
  if (!site) await pyodide.loadPackage("numpy", { messageCallback: () => {} });
  marks.numpy = now();
  pyodide.setStdout(streamWriter("stdout"));
  pyodide.setStderr(streamWriter("stderr"));
  pyodide.unpackArchive(await engine, "wheel", { extractDir: SITE });
  const engineBytecode = await enginePyc; // checked-hash .pyc: ignored by Python if stale
  if (engineBytecode) pyodide.unpackArchive(engineBytecode, "zip", { extractDir: SITE });
  post({ type: "status", code: "loading-engine" });
  // numpy.random too, which NumPy 2 imports only when it is first used: every lesson's cells use it
  // (the engine's data and weights), and its ~120 ms belong to the boot the student does not wait
  // for rather than to the first Run.
  pyodide.runPython(`
import numpy, numpy.random
`);
  marks.numpyImport = now();
  pyodide.runPython(`
import lp, lp._runner, lp.widgets
try:
    import engine
except ImportError:  # engine/ not written yet: cells that import it will say so
    pass
import js
lp._connect(js.lpPost)
`);
  runner = pyodide.pyimport("lp._runner");
  tasks = pyodide.pyimport("lp.widgets");
  marks.engine = now();
  return site ? "site" : "package";
}

function toJs(proxy) {
  const value = proxy.toJs({ dict_converter: Object.fromEntries });
  proxy.destroy();
  return value;
}

async function execute(job) {
  current = job.id;
  outputBudget = MAX_OUTPUT;
  const t0 = performance.now();
  post({ type: "start", id: job.id });
  let out;
  try {
    if (job.type === "run") {
      out = toJs(await runner.run_cell(job.code, job.filename || "<cell>", job.returns || null, job.language || null));
    } else if (job.type === "task") {
      out = toJs(await tasks.run_task(job.name, JSON.stringify(job.params || {}), job.language || null));
    } else if (job.type === "reset") {
      runner.reset();
      out = { ok: true };
    }
  } catch (err) {
    out = { ok: false, error: String(err && err.message ? err.message : err), line: 0 };
  }
  post({ type: "done", id: job.id, ms: performance.now() - t0, ...out });
  current = null;
}

async function drain() {
  if (draining) return;
  draining = true;
  try {
    await booted;
    while (queue.length) await execute(queue.shift());
  } catch (err) {
    // Boot failed: every queued job fails with the same message.
    for (const job of queue.splice(0)) {
      post({ type: "done", id: job.id, ok: false, error: String(err.message || err), line: 0, ms: 0 });
    }
  } finally {
    draining = false;
  }
}

function start(msg) {
  booted = boot(msg).catch((err) => {
    if (!err || !err.fromSnapshot) throw err;
    console.warn("lp runtime: Python from the snapshot failed to set up; starting it normally:", err.message || err);
    return boot({ ...msg, snapshot: false });
  });
  booted.then(
    ({ marks, snapshot, numpy }) => post({ type: "ready", ms: marks, snapshot, numpy }),
    (err) => post({
      type: "boot-error", error: String(err && err.message ? err.message : err),
      code: err && err.code, url: err && err.url, status: err && err.status,
    }),
  );
  drain();
}

self.onmessage = (event) => {
  const msg = event.data;
  if (msg.type === "cancel") {
    const i = queue.findIndex((job) => job.id === msg.id);
    if (i >= 0) {
      const [job] = queue.splice(i, 1);
      post({ type: "done", id: job.id, ok: false, cancelled: true, error: "", line: 0, ms: 0 });
    } else if (msg.id === current && tasks) {
      tasks.request_stop(); // the task sees it at its next await
    }
  } else {
    queue.push(msg);
    drain();
  }
};

/** The init message the page gave as this worker's name, or null. Booting from it as this script
 * runs saves waiting for a message, which the page's main thread passes on only when the page load
 * lets it: 20-110 ms after the script ran, in the bench (bench/README). */
function startsFromName() {
  if (!self.name || self.name[0] !== "{") return null;
  try {
    const msg = JSON.parse(self.name);
    return msg && msg.type === "init" ? msg : null;
  } catch {
    return null;
  }
}

const named = startsFromName();
if (named) start(named);
