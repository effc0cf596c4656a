"""Python starts from a memory snapshot on the second visit (static/js/runtime/worker.js, issue 17).

The first visit boots normally and stores a snapshot of the interpreter in Cache Storage; the next
one restores it, and a cell that uses NumPy and the engine gives the same output. A snapshot that is
broken (overwritten with other bytes) is dropped with a console warning and Python starts
normally, making a new one; so is one that restores but fails further on (NumPy will not import);
RUNTIME_SNAPSHOT=0 turns the whole thing off.
"""

from __future__ import annotations

from html import escape

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from learningpaths.paths.services import content_sync
from learningpaths.runtime import assets
from tests.conftest import compile_result, compiled_object

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Beside NumPy and the engine: modules the snapshot holds (ctypes, hashlib, secrets: worker.js,
# SNAPSHOT_IMPORTS) and a NumPy library loaded only when imported (numpy.fft: LAZY_LIBS).
CODE = """import engine, numpy as np, json, ctypes, hashlib, secrets
x, y = engine.data.make_moons(50, noise=0.1, seed=3)
model = engine.Sequential([engine.Dense(4, activation="tanh"), engine.Dense(2)], input_shape=(2,), seed=3)
print("sum", round(float(np.asarray(x).sum()), 4), model.predict(x).shape, json.dumps([1]))
print("fft", np.fft.rfft([1.0, 2.0, 3.0, 4.0]).real.round(3).tolist(), hashlib.sha256(b"lp").hexdigest()[:8],
      ctypes.sizeof(ctypes.c_double), len(secrets.token_hex(4)))"""

STORED = """
const done = arguments[0];
caches.open("pyodide-snapshot").then((c) => c.keys()).then((keys) => done(keys.map((k) => k.url)), () => done([]));
"""

# Overwrite the stored snapshot with the same number of other bytes (not a snapshot at all).
CORRUPT = """
const done = arguments[0];
caches.open("pyodide-snapshot").then(async (cache) => {
  const [key] = await cache.keys();
  const size = (await (await cache.match(key)).arrayBuffer()).byteLength;
  const junk = new Uint8Array(size);
  for (let i = 0; i < size; i += 4096) junk[i] = (i * 7) & 255;
  await cache.put(key, new Response(junk));
  done(size);
});
"""


@pytest.fixture
def lesson(settings, tmp_path):
    from learningpaths.runtime.bundle import build_engine_wheel

    build_engine_wheel()
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    html = (
        f'<div class="lp-cell" data-lp-cell="1" data-line="1"><pre><code class="language-python">'
        f"{escape(CODE, quote=False)}</code></pre></div>"
    )
    content_sync(result=compile_result([compiled_object("snap", title="Snapshot", html=html)]))
    return "/objects/snap/en/1/"


def run_cell(browser) -> dict:
    WebDriverWait(browser, 30).until(
        lambda b: b.execute_script("return window.lpRuntime && window.lpRuntime.cells.length")
    )
    return browser.execute_async_script(
        "const done = arguments[0]; const r = window.lpRuntime;"
        "r.cells[0].run().then((res) => done({ok: res.ok, error: res.error, output: r.cells[0].output.textContent,"
        " snapshot: r.runtime.snapshot, numpy: r.runtime.numpyFrom, early: !!window.lpBoot}));"
    )


def wait_stored(browser) -> list[str]:
    return WebDriverWait(browser, 60, poll_frequency=0.2).until(lambda b: b.execute_async_script(STORED))


def expected_output() -> str:
    import hashlib

    import numpy as np

    import engine

    x, _ = engine.data.make_moons(50, noise=0.1, seed=3)
    fft = np.fft.rfft([1.0, 2.0, 3.0, 4.0]).real.round(3).tolist()
    digest = hashlib.sha256(b"lp").hexdigest()[:8]
    return f"sum {round(float(np.asarray(x).sum()), 4)} (50, 2) [1]\nfft {fft} {digest} 8 8"


def test_second_visit_starts_from_the_snapshot(browser, live_server, lesson):
    browser.set_script_timeout(240)
    browser.get(live_server.url + lesson)
    first = run_cell(browser)
    assert first["ok"], first["error"]
    assert first["snapshot"] == "made"
    assert first["output"].strip() == expected_output()
    keys = wait_stored(browser)
    assert len(keys) == 1 and "/runtime/snapshot?" in keys[0]

    browser.get(live_server.url + lesson)
    second = run_cell(browser)
    assert second["ok"], second["error"]
    assert second["snapshot"] == "restored"  # the interpreter came from the stored memory
    assert second["output"] == first["output"]
    # NumPy written from numpy-site.tar where `make assets` made it (Node.js), else its package
    expected = "site" if assets.read_pyc_manifest() else "package"
    assert first["numpy"] == second["numpy"] == expected
    # the worker was started by the inline script in <head>, which the CSP let run (by its hash)
    assert first["early"] and second["early"]
    logged = [e["message"] for e in browser.get_log("browser")]
    assert not [m for m in logged if "Content Security Policy" in m]
    assert not [m for m in logged if "loadDynlib" in m]  # NumPy's .so were loaded before its import


def test_a_broken_snapshot_falls_back_to_a_normal_start(browser, live_server, lesson):
    browser.set_script_timeout(240)
    browser.get(live_server.url + lesson)
    assert run_cell(browser)["snapshot"] == "made"
    wait_stored(browser)
    assert browser.execute_async_script(CORRUPT) > 1_000_000
    browser.get_log("browser")  # only what comes next

    browser.get(live_server.url + lesson)
    again = run_cell(browser)
    assert again["ok"], again["error"]
    assert again["snapshot"] == "made"  # the broken one was dropped, a new one taken
    assert again["output"].strip() == expected_output()
    warnings = [e["message"] for e in browser.get_log("browser")]
    assert any("snapshot could not be used" in m for m in warnings), warnings

    browser.get(live_server.url + lesson)
    assert run_cell(browser)["snapshot"] == "restored"  # and the new one works


# A snapshot that restores but is wrong further on: an interpreter where `import numpy` fails, made
# by a worker of the test's own and stored under the page's key.
POISON = """
const done = arguments[0];
const config = window.lpRuntime.config;
caches.open("pyodide-snapshot").then(async (cache) => {
  const [key] = await cache.keys();
  const source = `
    importScripts(${JSON.stringify(new URL(config.indexURL + "pyodide.js", location.href).href)});
    loadPyodide({indexURL: ${JSON.stringify(new URL(config.indexURL, location.href).href)},
                 stdLibURL: ${JSON.stringify(new URL(config.stdLibURL, location.href).href)}, _makeSnapshot: true})
      .then((py) => { py.runPython("import sys; sys.modules['numpy'] = None"); postMessage(py.makeMemorySnapshot()); },
            (err) => postMessage(String(err)));`;
  const worker = new Worker(URL.createObjectURL(new Blob([source], {type: "text/javascript"})));
  worker.onmessage = async (event) => {
    worker.terminate();
    if (typeof event.data === "string") return done(event.data);
    await cache.put(key, new Response(event.data));
    done(event.data.byteLength);
  };
});
"""


def test_a_snapshot_that_fails_after_restoring_falls_back(browser, live_server, lesson):
    browser.set_script_timeout(240)
    browser.get(live_server.url + lesson)
    assert run_cell(browser)["snapshot"] == "made"
    wait_stored(browser)
    assert isinstance(browser.execute_async_script(POISON), int)
    browser.get_log("browser")

    browser.get(live_server.url + lesson)
    again = run_cell(browser)
    assert again["ok"], again["error"]
    assert again["snapshot"] == "none"  # the second boot of this worker, without a snapshot
    assert again["output"].strip() == expected_output()
    warnings = [e["message"] for e in browser.get_log("browser")]
    assert any("failed to set up" in m for m in warnings), warnings
    assert browser.execute_async_script(STORED) == []  # dropped: the next visit takes a new one


def test_runtime_snapshot_off(browser, live_server, lesson, settings):
    settings.RUNTIME_SNAPSHOT = False
    browser.set_script_timeout(240)
    browser.get(live_server.url + lesson)
    out = run_cell(browser)
    assert out["ok"] and out["snapshot"] == "none"
    assert browser.execute_async_script(STORED) == []
