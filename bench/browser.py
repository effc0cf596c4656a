"""In-page Python, measured in headless Chromium: start-up time and the lesson MLP's step time
against TensorFlow.js (wasm backend) in the same browser, in the same run.

    .venv/bin/python bench/browser.py [--cold 3] [--warm 3] [--steps 200] [--no-tfjs] [--nav 5] [--only-nav]

1. Start-up: time from navigation to the first finished training step of a lesson cell (the first
   lp.progress point arriving in the page), on the real lesson page served by gunicorn.
   Cold = a fresh browser profile (empty HTTP and code caches); warm = the same page again.
   Goals on a 2-core machine: <= 5 s cold, <= 2.5 s warm.
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


def start_server(env: dict, port: int) -> subprocess.Popen:
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
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
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
  cell.run().then((res) => done({ok: res.ok, error: res.error, first: cell.firstProgressAt,
                                 boot: r.runtime.bootMarks, steps: cell.history.length}));
};
wait();
"""

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
            load = "/".join(f"{x:.1f}" for x in os.getloadavg())
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
    parser.add_argument("--warm", type=int, default=3, help="warm starts (same profile)")
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--no-tfjs", action="store_true")
    parser.add_argument("--nav", type=int, default=5, help="next-step runs (in place and full load)")
    parser.add_argument("--only-nav", action="store_true", help="measure only the next step")
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
    url = f"http://127.0.0.1:{port}/objects/bench-mlp/en/1/"
    profiles = []
    cold, warm, boots = [], [], []
    engine_ms, tf, nav = None, None, None
    try:
        if args.nav:
            nav = measure_next_step(port, args.nav)
        for i in range(0 if args.only_nav else args.cold):
            profile = tempfile.mkdtemp(prefix="lp-bench-chrome-")
            profiles.append(profile)
            driver = new_browser(profile)
            try:
                out = measure_page(driver, url)
                cold.append(out["first"])
                boots.append(out["boot"])
                print(
                    f"cold {i + 1}: first training step at {out['first'] / 1000:.2f} s  (boot marks ms: {out['boot']})",
                    flush=True,
                )
                if i == args.cold - 1:
                    for j in range(args.warm):
                        driver.get("about:blank")
                        time.sleep(1.0)  # let the browser finish writing its caches
                        out = measure_page(driver, url)
                        warm.append(out["first"])
                        print(
                            f"warm {j + 1}: first training step at {out['first'] / 1000:.2f} s  "
                            f"(boot marks ms: {out['boot']})",
                            flush=True,
                        )
                    step = driver.execute_async_script(STEP_JS)
                    if not step["ok"]:
                        raise SystemExit(f"the step-time cell failed:\n{step['error']}")
                    engine_ms = float(step["ms"])
                    tf = None if args.no_tfjs else tfjs_step_ms(driver, Path(assets.cache_dir()) / "bench", args.steps)
            finally:
                driver.quit()
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=10)
        shutil.rmtree(var, ignore_errors=True)
        for p in profiles:
            shutil.rmtree(p, ignore_errors=True)

    print()
    if nav:
        load = "/".join(f"{x:.1f}" for x in os.getloadavg())
        print(
            f"next step of a path, navigation -> cell output (median of {len(nav[0])}): in place "
            f"{statistics.median(nav[0]):.0f} ms (goal <= 300 ms), full load {statistics.median(nav[1]):.0f} ms, "
            f"ratio {statistics.median(nav[0]) / statistics.median(nav[1]):.2f}x; load average {load}"
        )
    if args.only_nav:
        return
    print(
        f"navigation -> first finished training step (median): cold {statistics.median(cold) / 1000:.2f} s "
        f"(goal <= 5 s), warm {statistics.median(warm) / 1000:.2f} s (goal <= 2.5 s)"
        if warm
        else ""
    )
    print(f"lesson MLP 2-64-64-2, 1000 points, full batch, in the page: engine {engine_ms:.2f} ms/step")
    if tf:
        print(
            f"TensorFlow.js {tf['version']} backend {tf['backend']} (simd {tf['simd']}, threads {tf['threads']}): "
            f"{tf['ms']:.2f} ms/step"
        )
        print(f"engine / TF.js = {engine_ms / tf['ms']:.2f}x (goal <= 0.7x)")


if __name__ == "__main__":
    main()
