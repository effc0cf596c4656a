"""In-page Python, measured in headless Chromium: start-up time and the lesson MLP's step time
against TensorFlow.js (wasm backend) in the same browser, in the same run.

    .venv/bin/python bench/browser.py [--cold 3] [--warm 3] [--new-visits 3] [--steps 200] [--no-tfjs]
                                      [--nav 5] [--only-nav] [--no-peer] [--peer-checkout DIR]

1. Start-up of the first lesson of a visit: time from navigation to the first finished training
   step of a lesson cell (the first lp.progress point arriving in the page), on the real lesson
   page served by gunicorn, split into phases by the worker's boot marks (download + pyodide.js,
   loadPyodide with the wasm compile, NumPy, the engine import, the first step), each with its
   share, and when the page text was readable (first contentful paint, DOMContentLoaded).
   Cold = a fresh browser profile (empty HTTP and code caches); warm = the same profile again,
   reached from about:blank in the same browser; new visit = the browser started again on that
   profile (disk caches kept, nothing in memory), the site's home page, then the lesson (as a
   student comes back another day and opens a lesson from the catalogue).
   Each run is interleaved with the same site served with RUNTIME_SNAPSHOT=0 (no Python memory
   snapshot, static/js/runtime/worker.js): the before/after of the snapshot in the same run.
   --peer-checkout DIR: the peer is DIR's site instead (an earlier commit: `git worktree add DIR
   REF`, its own `static/vendor` and `static/engine` from `manage.py vendorassets` run there), so
   a change to the start-up is measured against what it replaces, run for run.
   Goals (issue 17) on a 2-core machine: <= 4 s cold, <= 1.5 s warm, page text <= 300 ms.
2. Step time: the lesson MLP (2-64-64-2, 1,000 points, full batch, SGD, softmax cross-entropy)
   in the page with the engine, and the same model in TensorFlow.js 4.22 (wasm backend, served
   locally from npm packages cached in ~/.cache/learningpaths/bench). Goal: engine <= 0.7x TF.js.
3. Next step (issue 17): a path of two steps with a cell each; navigation -> the next step's cell
   done with its output, moving in place with the pager (the worker of the step before lives on)
   against a full load of the same step, interleaved in the same browser, medians, with the load
   average. Goal: <= 300 ms in place.

Figures are printed, never asserted (timings depend on the machine).
"""

from __future__ import annotations

import argparse
import http.client
import http.server
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from learningpaths.runtime import assets  # noqa: E402

TFJS_VERSION = "4.22.0"
HERE = Path(__file__).resolve().parent / "browser"

LESSON_SETUP = """import engine, lp
x, y = engine.data.make_moons(1000, noise=0.1, seed=0)
model = engine.Sequential([engine.Dense(64, activation="relu"), engine.Dense(64, activation="relu"),
                           engine.Dense(2)], input_shape=(2,), seed=0)
model.compile(loss="softmax_crossentropy", optimizer="sgd", learning_rate=0.1)"""
FIRST_STEP_CELL = (
    LESSON_SETUP
    + """
model.fit(x, y, epochs=20, mode="batch", callbacks=[lp.callback()])"""
)
STEP_TIME_CELL = (
    LESSON_SETUP
    + """
import time
for _ in range(20):
    model.train_step(x, y)
t0 = time.perf_counter()
for _ in range({steps}):
    model.train_step(x, y)
round((time.perf_counter() - t0) / {steps} * 1000, 3)"""
)


# A lesson step's first cell: the engine and NumPy in use, and one line of output.
NAV_CELL = """import engine, numpy as np
print("ready", engine.Dense(4).__class__.__name__, np.zeros(3).shape)"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cell_html(number: int, code: str) -> str:
    from html import escape

    return (
        f'<div class="lp-cell" data-lp-cell="{number}" data-line="1"><pre><code class="language-python">'
        f"{escape(code)}</code></pre></div>"
    )


def prepare_site(var: Path, steps: int) -> dict:
    """A throwaway database with one lesson holding the two bench cells."""
    env = dict(os.environ, VAR_DIR=str(var), DEBUG="1", PYTHONUNBUFFERED="1")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    script = f"""
import django, sys
sys.path.insert(0, {str(ROOT)!r})
django.setup()
from django.conf import settings
from learningpaths.paths.services import content_sync
from tests.conftest import compiled_object, compile_result
html = {json.dumps(cell_html(1, FIRST_STEP_CELL) + cell_html(2, STEP_TIME_CELL.format(steps=steps)))}
from tests.conftest import compiled_path
first = compiled_object("bench-nav-a", title="Step A", html={json.dumps(cell_html(1, NAV_CELL))})
second = compiled_object("bench-nav-b", title="Step B", html={json.dumps(cell_html(1, NAV_CELL))})
objects = [compiled_object("bench-mlp", title="Bench", html=html), first, second]
content_sync(result=compile_result(objects, [compiled_path("bench-nav", [first, second])]))
"""
    subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        check=True,
        env={**env, "DJANGO_SETTINGS_MODULE": "learningpaths.settings"},
    )
    return env


def start_server(env: dict, port: int, root: Path = ROOT) -> subprocess.Popen:
    """The site of the checkout at ``root`` (this one, or --peer-checkout's) on ``port``."""
    env = {**env, "PYTHONPATH": str(root)} if root != ROOT else env
    if shutil.which("gunicorn", path=str(Path(sys.executable).parent)):
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "learningpaths.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--threads",
            "8",
            "-k",
            "gthread",
            "--log-level",
            "warning",
        ]
    else:
        cmd = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    proc = subprocess.Popen(cmd, cwd=root, env=env, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/objects/bench-mlp/en/1/")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("the site did not start")


def new_browser(profile: str):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    from tests.browser.conftest import CHROMEDRIVER, chrome_options

    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=chrome_options(profile))
    driver.set_page_load_timeout(120)
    driver.set_script_timeout(300)
    return driver


FIRST_STEP_JS = """
const done = arguments[0];
const wait = () => {
  const r = window.lpRuntime;
  if (!r) return setTimeout(wait, 5);
  const cell = r.cells[0];
  cell.run().then((res) => {
    const nav = performance.getEntriesByType("navigation")[0];
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    done({ok: res.ok, error: res.error, first: cell.firstProgressAt, boot: r.runtime.bootMarks,
          steps: cell.history.length, dcl: nav ? nav.domContentLoadedEventEnd : null,
          ttfb: nav ? nav.responseStart : null, fcp: paint ? paint.startTime : null,
          snapshot: r.runtime.snapshot || null, numpy: r.runtime.numpyFrom || null});
  });
};
wait();
"""

# Phases of the first lesson of a visit, from the worker's boot marks (ms since navigation start):
# (name, mark where it ends); each starts where the one before ends, "first step" ends at the
# first lp.progress point in the page.
PHASES = (
    ("page -> worker start", "start"),
    ("download + pyodide.js", "script"),
    ("wasm compile + instantiate", "wasm"),
    ("interpreter start (rest of loadPyodide)", "pyodide"),
    ("NumPy files (numpy-site.tar, or loadPackage)", "numpy"),
    ("import numpy (from the tar: with its .so)", "numpyImport"),
    ("engine + lp import", "engine"),
    ("first step (setup, cell, 1st epoch)", "first"),
)

STEP_JS = """
const done = arguments[0];
const cell = window.lpRuntime.cells[1];
cell.run().then((res) => done({ok: res.ok, error: res.error, ms: res.result}));
"""


def measure_page(driver, url: str) -> dict:
    driver.get(url)
    out = driver.execute_async_script(FIRST_STEP_JS)
    if not out["ok"]:
        raise SystemExit(f"the lesson cell failed in the page:\n{out['error']}")
    return out


def load_average() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def phases_of(out: dict) -> dict[str, float]:
    """{phase: ms} of one first-lesson run (see PHASES)."""
    marks = {**out["boot"], "first": out["first"]}
    result, previous = {}, 0.0
    for name, mark in PHASES:
        value = marks.get(mark)
        if value is None:
            continue
        result[name] = value - previous
        previous = value
    return result


def print_phases(label: str, runs: list[dict]) -> None:
    """Median per phase over ``runs`` with its share of the median total, and the page-text marks."""
    if not runs:
        return
    per = [phases_of(r) for r in runs]
    total = statistics.median(r["first"] for r in runs)
    print(f"{label}: navigation -> first training step, median of {len(runs)}: {total:,.0f} ms")
    for name, _ in PHASES:
        values = [p[name] for p in per if name in p]
        if values:
            ms = statistics.median(values)
            print(f"  {name:<42} {ms:7,.0f} ms  {ms / total:5.0%}   (runs: {', '.join(f'{v:.0f}' for v in values)})")
    for key, what in (
        ("ttfb", "first byte of the page"),
        ("fcp", "page text readable: first contentful paint (goal <= 300 ms)"),
        ("dcl", "DOMContentLoaded"),
    ):
        values = [r[key] for r in runs if r.get(key) is not None]
        if values:
            print(f"  {what:<62} {statistics.median(values):7,.0f} ms")


def measure_first_lesson(urls: dict[str, str], cold_runs: int, warm_runs: int, site_runs: int, profiles: list[str]):
    """The first lesson of a visit on each of ``urls`` ({label: url}), interleaved run by run.

    Cold: a fresh profile per run. Warm: one profile that has visited each URL once (so the HTTP
    and code caches are warm and, where it is on, the Python snapshot is stored), then the URLs in
    turn, each reached from about:blank in the same browser and, ``site_runs`` times, as a new
    visit: the browser started again on that profile (its disk caches and Cache Storage kept,
    nothing in memory), the site's home page, then the lesson, as a student comes to it from the
    catalogue. Returns ({label: [cold runs]}, {label: [warm runs]}, {label: [new visits]}, the
    warm driver, still open)."""
    cold: dict[str, list] = {label: [] for label in urls}
    warm: dict[str, list] = {label: [] for label in urls}
    site: dict[str, list] = {label: [] for label in urls}

    def run(driver, kind: str, label: str, i: int) -> dict:
        out = measure_page(driver, urls[label])
        print(
            f"{kind} {i + 1} {label}: first training step at {out['first'] / 1000:.2f} s, "
            f"snapshot {out['snapshot']}, NumPy from {out['numpy']} (load {load_average()}) "
            f"boot marks ms: {out['boot']}",
            flush=True,
        )
        return out

    def fresh_driver():
        profile = tempfile.mkdtemp(prefix="lp-bench-chrome-")
        profiles.append(profile)
        return new_browser(profile)

    for i in range(cold_runs):
        for label in urls:
            driver = fresh_driver()
            try:
                cold[label].append(run(driver, "cold", label, i))
            finally:
                driver.quit()
    if not (warm_runs or site_runs):
        return cold, warm, site, None
    driver = fresh_driver()
    profile = profiles[-1]
    for label in urls:
        measure_page(driver, urls[label])
    for i in range(max(warm_runs, site_runs)):
        for label in urls:
            if i < warm_runs:
                driver.get("about:blank")
                time.sleep(1.0)  # let the browser finish writing its caches
                warm[label].append(run(driver, "warm", label, i))
            if i < site_runs:
                driver.quit()
                driver = new_browser(profile)
                driver.get(urls[label].split("/objects/")[0] + "/")
                time.sleep(1.0)
                site[label].append(run(driver, "new visit", label, i))
    return cold, warm, site, driver


def tfjs_dir(cache: Path) -> Path:
    """npm packages of TF.js and its wasm backend, installed once into the cache."""
    target = cache / f"tfjs-{TFJS_VERSION}"
    marker = target / "node_modules" / "@tensorflow" / "tfjs-backend-wasm" / "dist" / "tf-backend-wasm.min.js"
    if not marker.is_file():
        print(f"installing @tensorflow/tfjs@{TFJS_VERSION} and the wasm backend into {target} (once) ...", flush=True)
        target.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(target),
                "--no-audit",
                "--no-fund",
                "--silent",
                f"@tensorflow/tfjs@{TFJS_VERSION}",
                f"@tensorflow/tfjs-backend-wasm@{TFJS_VERSION}",
            ],
            check=True,
        )
    return target / "node_modules" / "@tensorflow"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
    }

    def log_message(self, *args):
        pass


def serve_dir(directory: Path) -> tuple[http.server.ThreadingHTTPServer, int]:
    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), partial(_Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, port


def tfjs_step_ms(driver, cache: Path, steps: int) -> dict:
    import numpy as np

    import engine

    site = Path(tempfile.mkdtemp(prefix="lp-bench-tfjs-"))
    tf = tfjs_dir(cache)
    shutil.copytree(tf / "tfjs" / "dist", site / "tfjs")
    shutil.copytree(tf / "tfjs-backend-wasm" / "dist", site / "tfjs-backend-wasm")
    shutil.copy(HERE / "tfjs.html", site / "index.html")
    x, y = engine.data.make_moons(1000, noise=0.1, seed=0)
    (site / "data.json").write_text(json.dumps({"x": np.asarray(x).tolist(), "y": np.asarray(y).tolist()}))
    server, port = serve_dir(site)
    try:
        driver.get(f"http://127.0.0.1:{port}/index.html?steps={steps}")
        return driver.execute_async_script("window.lpBench(arguments[0]);")
    finally:
        server.shutdown()
        shutil.rmtree(site, ignore_errors=True)


RUN_FIRST_CELL_JS = """
const done = arguments[0];
const wait = () => {
  const r = window.lpRuntime;
  if (!r || !r.cells.length) return setTimeout(wait, 2);
  r.cells[0].run().then((res) => done({ok: res.ok, error: res.error, at: performance.now(), boots: r.boots}));
};
wait();
"""

# Click "next" and run the new step's cell as soon as it is mounted (lp:navigated -> lp:runtime).
NEXT_STEP_JS = """
const done = arguments[0];
const mounted = window.lpRuntime.mounts;
const t0 = performance.now();
document.querySelector('.pager a[rel="next"]').click();
const wait = () => {
  const r = window.lpRuntime;
  if (r.mounts === mounted || !r.cells.length) return setTimeout(wait, 2);
  r.cells[0].run().then((res) => done({ok: res.ok, error: res.error, ms: performance.now() - t0, boots: r.boots,
                                       output: r.cells[0].output.textContent}));
};
wait();
"""


def measure_next_step(port: int, runs: int) -> tuple[list[float], list[float]]:
    """(in place, full load) ms from navigation to the next step's cell output, interleaved."""
    base = f"http://127.0.0.1:{port}/paths/bench-nav/en/"
    profile = tempfile.mkdtemp(prefix="lp-bench-chrome-")
    driver = new_browser(profile)
    in_place, full = [], []
    try:
        driver.get(base + "bench-nav-b/")  # fill the HTTP cache once: both sides measure warm
        driver.execute_async_script(RUN_FIRST_CELL_JS)
        for i in range(runs):
            driver.get(base + "bench-nav-b/")
            out = driver.execute_async_script(RUN_FIRST_CELL_JS)
            if not out["ok"]:
                raise SystemExit(f"the step's cell failed:\n{out['error']}")
            full.append(out["at"])
            driver.get(base + "bench-nav-a/")
            driver.execute_async_script(RUN_FIRST_CELL_JS)  # the visit's worker is up
            out = driver.execute_async_script(NEXT_STEP_JS)
            if not out["ok"] or out["boots"] != 1 or "ready" not in out["output"]:
                raise SystemExit(f"the next step did not run in the same worker: {out}")
            in_place.append(out["ms"])
            load = load_average()
            print(
                f"next step {i + 1}: in place {out['ms']:.0f} ms, full load {full[-1]:.0f} ms (load {load})", flush=True
            )
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    return in_place, full


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cold", type=int, default=3, help="cold starts (fresh profiles)")
    parser.add_argument("--warm", type=int, default=3, help="warm starts (same profile, from about:blank)")
    parser.add_argument(
        "--new-visits",
        type=int,
        default=3,
        help="warm starts as a new visit: the browser restarted on the same profile, the home page, the lesson",
    )
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--no-tfjs", action="store_true")
    parser.add_argument("--nav", type=int, default=5, help="next-step runs (in place and full load)")
    parser.add_argument("--only-nav", action="store_true", help="measure only the next step")
    parser.add_argument("--no-peer", action="store_true", help="first lesson: no run with the snapshot off")
    parser.add_argument(
        "--peer-checkout",
        type=Path,
        default=None,
        help="first lesson: the peer is this other checkout (an earlier commit, with its own `make assets`) "
        "instead of this one with the snapshot off",
    )
    args = parser.parse_args()
    if assets.missing_pyodide_files():
        raise SystemExit("Pyodide is not vendored: run `make assets` first.")
    from learningpaths.runtime.bundle import build_engine_wheel

    wheel = build_engine_wheel()
    shipped = [p for p in assets.PYODIDE_DIR.iterdir() if not p.name.endswith((".gz", ".map", "package.json"))]
    vendor = sum(p.stat().st_size for p in shipped)
    wire = sum(
        (p.with_name(p.name + ".gz") if p.with_name(p.name + ".gz").exists() else p).stat().st_size for p in shipped
    )
    print(
        f"vendored Pyodide {assets.PYODIDE_VERSION} + NumPy: {vendor / 1e6:.1f} MB "
        f"({wire / 1e6:.1f} MB gzip on the wire); engine wheel {wheel['size'] / 1e3:.0f} kB",
        flush=True,
    )

    var = Path(tempfile.mkdtemp(prefix="lp-bench-browser-"))
    env = prepare_site(var, args.steps)
    port = free_port()
    server = start_server(env, port)
    # The same site with the Python memory snapshot off (RUNTIME_SNAPSHOT=0): the peer of the
    # first-lesson figures, on its own port (its own HTTP cache entries and Cache Storage).
    peer_port = free_port()
    # Or (--peer-checkout) another checkout's site: the before of a change, run for run.
    mine, theirs = ("this checkout", "peer checkout") if args.peer_checkout else ("snapshot", "no snapshot")
    peer = None
    if not (args.only_nav or args.no_peer):
        if args.peer_checkout:
            peer = start_server(env, peer_port, root=args.peer_checkout.resolve())
        else:
            peer = start_server({**env, "RUNTIME_SNAPSHOT": "0"}, peer_port)
    urls = {mine: f"http://127.0.0.1:{port}/objects/bench-mlp/en/1/"}
    if peer:
        urls[theirs] = f"http://127.0.0.1:{peer_port}/objects/bench-mlp/en/1/"
    profiles: list[str] = []
    cold, warm, site = [], [], []
    engine_ms, tf, nav = None, None, None
    try:
        if args.nav:
            nav = measure_next_step(port, args.nav)
        if not args.only_nav:
            cold, warm, site, driver = measure_first_lesson(urls, args.cold, args.warm, args.new_visits, profiles)
            if driver:
                try:
                    # The step time is this checkout's: the warm runs may have ended on the peer's page.
                    if driver.current_url != urls[mine]:
                        measure_page(driver, urls[mine])
                    step = driver.execute_async_script(STEP_JS)
                    if not step["ok"]:
                        raise SystemExit(f"the step-time cell failed:\n{step['error']}")
                    engine_ms = float(step["ms"])
                    if not args.no_tfjs:
                        tf = tfjs_step_ms(driver, Path(assets.cache_dir()) / "bench", args.steps)
                finally:
                    driver.quit()
    finally:
        for proc in (server, peer):
            if proc:
                os.killpg(proc.pid, 15)
                proc.wait(timeout=10)
        shutil.rmtree(var, ignore_errors=True)
        for p in profiles:
            shutil.rmtree(p, ignore_errors=True)

    print()
    if nav:
        load = load_average()
        print(
            f"next step of a path, navigation -> cell output (median of {len(nav[0])}): in place "
            f"{statistics.median(nav[0]):.0f} ms (goal <= 300 ms), full load {statistics.median(nav[1]):.0f} ms, "
            f"ratio {statistics.median(nav[0]) / statistics.median(nav[1]):.2f}x; load average {load}"
        )
    if args.only_nav:
        return
    print(f"first lesson of a visit (load average now {load_average()}; goals: warm <= 1.5 s, cold <= 4 s)")
    for label in urls:
        print_phases(f"cold (fresh profile), {label}", cold[label])
    for kind, runs in (
        ("warm (same profile, from about:blank)", warm),
        ("new visit (browser restarted on the same profile, from the home page)", site),
    ):
        for label in urls:
            print_phases(f"{kind}, {label}", runs[label])
        if peer and runs[mine] and runs[theirs]:
            on, off = (statistics.median(r["first"] for r in runs[k]) for k in (mine, theirs))
            # Each pair ran back to back: the ratio within a pair is what the load shifts least.
            pairs = [a["first"] / b["first"] for a, b in zip(runs[mine], runs[theirs], strict=True)]
            print(
                f"{kind}, {mine} / {theirs}: medians {on:,.0f} / {off:,.0f} ms = {on / off:.2f}x; "
                f"median of the {len(pairs)} pairs' ratios {statistics.median(pairs):.2f}x "
                f"({mine} faster in {sum(r < 1 for r in pairs)} of {len(pairs)})"
            )
    if engine_ms is None:
        return
    print(f"lesson MLP 2-64-64-2, 1000 points, full batch, in the page: engine {engine_ms:.2f} ms/step")
    if tf:
        print(
            f"TensorFlow.js {tf['version']} backend {tf['backend']} (simd {tf['simd']}, threads {tf['threads']}): "
            f"{tf['ms']:.2f} ms/step"
        )
        print(f"engine / TF.js = {engine_ms / tf['ms']:.2f}x (goal <= 0.7x)")


if __name__ == "__main__":
    main()
