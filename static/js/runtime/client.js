// The page's side of the Python worker: one per page, shared by every cell and widget.
//
//   const py = new PyRuntime(config);   // config from <script id="lp-runtime-config">
//   py.start();                         // boots Pyodide in the background
//   const job = py.run(code, {filename, returns, onMessage});   // job.done: Promise of the result
//   const task = py.task("playground", params, {onMessage});    // task.cancel() stops it softly
// language: the lesson's language ("nl"), in which lp and the engine's explanations then speak.
//   py.stop();                          // ends whatever runs now: terminates and restarts the worker
//   py.leave();                         // a step is left: stop its jobs softly, stop() only after a grace
//
// Events (py.addEventListener): "status" {detail: {state, text}}, "ready" {detail: ms}, "restart".
// Status and boot-error texts are translated here: the worker sends codes (it has no catalogue).

import { gettext, interpolate } from "./i18n.js";

let nextId = 1;
// How long a step that is left may take to stop its jobs (a widget task stops within one chunk,
// ~50 ms) before the worker is restarted to end them (a cell busy in Python cannot see a message).
export const LEAVE_GRACE_MS = 400;

const STATUS = {
  "loading-python": () => gettext("Loading Python…"),
  "loading-engine": () => gettext("Loading the engine…"),
};

/** The text of a worker's boot error in the page's language (its English text when unknown). */
function bootErrorText(msg) {
  if (msg.code === "download") {
    return interpolate(gettext("Could not load %(url)s (%(status)s)."), { url: msg.url, status: msg.status });
  }
  if (msg.code === "no-engine") return gettext("The engine is not packaged for the browser (run `make assets`).");
  if (msg.code === "worker") return gettext("The Python worker could not start.");
  return msg.error;
}

export class PyRuntime extends EventTarget {
  constructor(config) {
    super();
    this.config = config;
    this.worker = null;
    this.jobs = new Map(); // id -> {id, message, resolve, done, onMessage, kind, posted}
    this.held = null; // jobs waiting until the step left has stopped its own (see leave())
    this.leaving = null; // that wait: resolves to true when the step's jobs stopped in time
    this.state = "idle"; // idle | loading | ready | busy | error
    this.setup = []; // [{code, filename}] run first on every fresh worker
    this.setupDone = null;
    this.generation = 0;
    this.readyAt = null;
    this.bootMarks = null; // boot milestones in ms since this page's navigation started
    this.snapshot = null; // how Python started: "restored" from the memory snapshot, "made" one, "none"
    this.numpyFrom = null; // where NumPy came from: "site" (numpy-site.tar) or "package" (loadPackage)
  }

  start() {
    if (this.worker) return;
    this.generation += 1;
    this._setState("loading", STATUS["loading-python"]());
    this.ready = new Promise((resolve, reject) => {
      this._readyResolve = resolve;
      this._readyReject = reject;
    });
    this.ready.catch(() => {}); // reported through the "status" event
    this.setupDone = null;
    const early = window.lpBoot;
    if (early && early.worker && !early.adopted) {
      // boot.js started the worker from <head>; take it over with the messages it already sent.
      early.adopted = true;
      this.worker = early.worker;
      this.worker.onerror = null;
      this.worker.onmessage = (event) => this._receive(event.data);
      early.listener = (msg) => this._receive(msg);
      for (const msg of early.buffer.splice(0)) this._receive(msg);
      if (early.error) this._receive(early.error);
      return;
    }
    // The init message as the worker's name: it boots as its script runs (worker.js).
    const init = { type: "init", ...this.config, controlled: Boolean(navigator.serviceWorker && navigator.serviceWorker.controller) };
    this.worker = new Worker(this.config.workerURL, { name: JSON.stringify(init) });
    this.worker.onmessage = (event) => this._receive(event.data);
    this.worker.onerror = (event) => {
      event.preventDefault();
      this._bootFailed(event.message || bootErrorText({ code: "worker" }));
    };
  }

  /** Hidden setup code of the page: runs before the first cell on every fresh worker. */
  addSetup(code, filename) {
    this.setup.push({ code, filename });
  }

  _ensureSetup() {
    if (!this.setupDone) {
      const generation = this.generation;
      const runs = this.setup.map((s) => this._post({ type: "run", code: s.code, filename: s.filename }).done);
      this.setupDone = Promise.all(runs).then((results) => {
        const failed = results.find((r) => !r.ok && !r.stopped);
        if (failed && generation === this.generation) return failed;
        return null;
      });
    }
    return this.setupDone;
  }

  /** Run a cell. Returns {id, done}; done resolves to {ok, result, error, line, returns, ms, stopped}. */
  run(code, { filename = "<cell>", returns = null, onMessage = null, language = null } = {}) {
    this.start();
    const setup = this._ensureSetup();
    const job = this._post({ type: "run", code, filename, returns, language }, onMessage);
    const done = Promise.all([setup, job.done]).then(([setupError, result]) => {
      if (setupError && !result.ok) {
        result.setupError = setupError.error;
      }
      return result;
    });
    return { id: job.id, done };
  }

  /** Run a widget job from lp.widgets; task.cancel() asks it to stop at its next step. */
  task(name, params, { onMessage = null, language = null } = {}) {
    this.start();
    const job = this._post({ type: "task", name, params, language }, onMessage);
    job.cancel = () => {
      const held = this.jobs.get(job.id);
      if (held && !held.posted) {
        this.jobs.delete(job.id); // never reached the worker
        held.resolve({ id: job.id, ok: false, cancelled: true, error: "", line: 0, ms: 0 });
      } else if (this.worker) {
        this.worker.postMessage({ type: "cancel", id: job.id });
      }
    };
    return job;
  }

  resetNamespace() {
    if (!this.worker) return Promise.resolve();
    this.setupDone = null;
    return this._post({ type: "reset" }).done;
  }

  /** End everything at once: terminate the worker and boot a fresh one. Jobs held by leave()
   * (the next step's) are not the worker's yet: they go to the fresh one. */
  stop() {
    if (!this.worker) return;
    this.worker.terminate();
    this.worker = null;
    for (const [id, job] of this.jobs) {
      if (!job.posted) continue;
      job.resolve({ id, ok: false, stopped: true, error: "", line: 0, ms: 0 });
      this.jobs.delete(id);
    }
    const setup = this.held && this.held.length ? this.setupDone : null; // the held step's setup is among them
    this.dispatchEvent(new Event("restart"));
    this.start();
    if (setup) this.setupDone = setup;
  }

  /** The step that queued every job there is now is left: its jobs that have not started are
   * dropped, a running widget task is asked to stop (it does at its next step), and whatever is
   * still running after ``graceMs`` is ended by stop(). Jobs posted meanwhile (the next step's)
   * wait, so that they run on the worker that is left: usually the same warm one. */
  leave(graceMs = LEAVE_GRACE_MS) {
    if (this.held) {
      // Left again before the first step had stopped: what the step in between queued is dropped.
      for (const job of this.held.splice(0)) {
        this.jobs.delete(job.id);
        job.resolve({ id: job.id, ok: false, cancelled: true, error: "", line: 0, ms: 0 });
      }
      return this.leaving;
    }
    if (!this.worker || !this.jobs.size) return Promise.resolve(true);
    const running = [];
    for (const [id, job] of this.jobs) {
      this.worker.postMessage({ type: "cancel", id }); // queued in the worker: answered "done" at once
      running.push(job.done);
    }
    this.held = [];
    let timer;
    const grace = new Promise((resolve) => (timer = setTimeout(() => resolve(false), graceMs)));
    this.leaving = Promise.race([Promise.all(running).then(() => true), grace]).then((stopped) => {
      clearTimeout(timer);
      if (!stopped) this.stop();
      const held = this.held;
      this.held = null;
      this.leaving = null;
      for (const job of held) if (this.jobs.has(job.id)) this._send(job);
      return stopped;
    });
    return this.leaving;
  }

  get busy() {
    return this.jobs.size > 0;
  }

  _post(message, onMessage = null) {
    const id = nextId++;
    let resolve;
    const done = new Promise((r) => (resolve = r));
    const job = { id, message: { ...message, id }, resolve, done, onMessage, kind: message.type, posted: false };
    this.jobs.set(id, job);
    if (this.held) this.held.push(job);
    else this._send(job);
    this._setState(this.state === "ready" ? "busy" : this.state);
    return { id, done };
  }

  _send(job) {
    job.posted = true;
    this.worker.postMessage(job.message);
  }

  _receive(msg) {
    if (msg.type === "ready") {
      this.bootMarks = Object.fromEntries(Object.entries(msg.ms).map(([k, v]) => [k, Math.round(v - performance.timeOrigin)]));
      this.readyAt = performance.now();
      this.snapshot = msg.snapshot || null;
      this.numpyFrom = msg.numpy || null;
      this._setState(this.jobs.size ? "busy" : "ready", gettext("Python is ready"));
      this._readyResolve(this.bootMarks);
      this.dispatchEvent(new CustomEvent("ready", { detail: this.bootMarks }));
      return;
    }
    if (msg.type === "boot-error") return this._bootFailed(bootErrorText(msg));
    if (msg.type === "status") return this._setState(this.state, STATUS[msg.code] ? STATUS[msg.code]() : msg.text);
    const job = this.jobs.get(msg.id);
    if (!job) return;
    if (msg.type === "done") {
      this.jobs.delete(msg.id);
      job.resolve(msg);
      if (this.state === "busy" && !this.jobs.size) this._setState("ready", gettext("Python is ready"));
    } else if (job.onMessage) {
      job.onMessage(msg);
    }
  }

  _bootFailed(error) {
    const text = interpolate(gettext("Python could not start: %(error)s"), { error });
    this._setState("error", text);
    if (this._readyReject) this._readyReject(new Error(error));
    for (const [id, job] of this.jobs) job.resolve({ id, ok: false, error: text, line: 0 });
    this.jobs.clear();
  }

  _setState(state, text) {
    this.state = state;
    if (text) this.statusText = text;
    this.dispatchEvent(new CustomEvent("status", { detail: { state, text: this.statusText } }));
  }
}
