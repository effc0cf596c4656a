"""Runnable cells in a real browser: training matches CPython, errors read well, Stop works.

One page (one Pyodide boot, one restart after Stop) carries every check, to keep the suite fast.
"""

from __future__ import annotations

import sys
from html import escape
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.conftest import compile_result, compiled_object

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SETUP = "import engine, lp\nSEED = 3"
TRAIN = """x, y = engine.data.make_moons(200, noise=0.1, seed=1)
model = engine.Sequential([engine.Dense(16, activation="tanh"), engine.Dense(2)], input_shape=(2,), seed=SEED)
model.compile(loss="softmax_crossentropy", optimizer="sgd", learning_rate=0.5, metrics=["accuracy"])
history = model.fit(x, y, epochs=40, mode="batch", callbacks=[lp.callback()])
print("final loss", round(history["loss"][-1], 4))
final = history["loss"][-1]
len(history.step_losses)"""
BROKEN = """values = [1, 2, 3]
total = sum(values) / 0"""
FOREVER = """import time
step = 0
while True:
    step += 1
    lp.progress(step, 1.0 / step)
    time.sleep(0.01)"""


def cell(n: int, code: str, extra: str = "") -> str:
    return (
        f'<div class="lp-cell" data-lp-cell="{n}" data-line="{10 * n}"{extra}><pre><code class="language-python">'
        f"{escape(code, quote=False)}</code></pre></div>"
    )


PAGE = (
    f'<p>Train a network.</p><div hidden class="lp-cell-setup" data-lp-cell="0" data-line="2"><pre><code>'
    f"{escape(SETUP, quote=False)}</code></pre></div>"
    + cell(1, TRAIN, ' data-id="train" data-returns="final"')
    + cell(2, BROKEN)
    + cell(3, FOREVER)
)


@pytest.fixture(autouse=True)
def fresh_engine_wheel():
    from learningpaths.runtime.bundle import build_engine_wheel

    build_engine_wheel()  # the page must get the engine as it is in this checkout


def cpython_losses() -> list[float]:
    """The same cell in CPython, with the kernels Pyodide uses (einsum, no BLAS)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "learningpaths" / "runtime" / "python"))
    import lp

    import engine

    lp._connect(None)
    lp.history.clear()
    previous = engine.kernels.set_platform("emscripten")
    try:
        namespace: dict = {}
        exec(SETUP + "\n" + TRAIN, namespace)
    finally:
        engine.kernels.set_platform(previous)
    return [p["loss"] for p in lp.history]


def wait_js(browser, script: str, timeout: float = 90):
    return WebDriverWait(browser, timeout, poll_frequency=0.1).until(lambda b: b.execute_script(script))


def cell_el(browser, n: int):
    return browser.find_element(By.CSS_SELECTOR, f'div.lp-cell[data-lp-cell="{n}"]')


def test_cells_train_like_cpython_show_errors_and_stop(browser, live_server, settings, tmp_path):
    from learningpaths.paths.services import content_sync

    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    content_sync(result=compile_result([compiled_object("cells", title="Cells", html=PAGE)]))
    browser.get(live_server.url + "/objects/cells/en/1/")
    # The page is readable at once: the code is there before Python has loaded.
    assert "Train a network." in browser.find_element(By.CSS_SELECTOR, "article").text
    wait_js(browser, "return window.lpRuntime && window.lpRuntime.cells.length === 3", 30)
    returned = []
    browser.execute_script("""document.addEventListener("lp:return", (e) => { window.__returns = e.detail; });""")

    # 1. Train in the page (keyboard: Ctrl+Enter in the editor runs the cell).
    first = cell_el(browser, 1)
    editor = first.find_element(By.CSS_SELECTOR, "textarea")
    assert editor.get_attribute("aria-label") == "Python code of cell 1"
    editor.send_keys(Keys.CONTROL, Keys.ENTER)
    wait_js(browser, "const c = window.lpRuntime.cells[0]; return c.lastResult && !c.running;", 120)
    result = browser.execute_script("return window.lpRuntime.cells[0].lastResult")
    assert result["ok"], result.get("error")
    assert result["result"] == "40"
    page_losses = browser.execute_script("return window.lpRuntime.cells[0].history.map(p => p.loss)")
    expected = cpython_losses()
    assert len(page_losses) == len(expected) == 40
    assert max(abs(a - b) for a, b in zip(page_losses, expected)) < 1e-5
    output = first.find_element(By.CSS_SELECTOR, ".lp-cell__output").text
    assert "final loss" in output and "40" in output
    assert first.find_element(By.CSS_SELECTOR, ".lp-progress__text").text.startswith("step 40 · loss")
    returned = browser.execute_script("return window.__returns")
    assert returned["name"] == "final" and returned["id"] == "train"
    assert abs(returned["value"] - expected[-1]) < 1e-5  # full batch: the epoch loss is the step loss

    # 2. An error is a readable traceback, pointing at the line in the cell.
    second = cell_el(browser, 2)
    second.find_element(By.CSS_SELECTOR, "button.lp-run").click()
    wait_js(browser, "return !!document.querySelector('div.lp-cell[data-lp-cell=\"2\"] .lp-out--error')", 60)
    error = second.find_element(By.CSS_SELECTOR, ".lp-out--error").text
    assert error.startswith("Traceback (most recent call last):")
    assert 'File "<cell 2>", line 2, in <module>' in error and "ZeroDivisionError: division by zero" in error
    assert second.find_element(By.CSS_SELECTOR, ".lp-cell__status").text == "Error on line 2"
    assert second.find_element(By.CSS_SELECTOR, "mark.lp-error-line").text == "2"

    # 3. Stop ends a run that never ends; the page stays usable and runs again (setup re-runs).
    third = cell_el(browser, 3)
    third.find_element(By.CSS_SELECTOR, "button.lp-run").click()
    wait_js(browser, "return window.lpRuntime.cells[2].history.length > 5", 60)
    stop = third.find_element(By.CSS_SELECTOR, "button.lp-stop")
    assert stop.is_enabled()
    stop.click()
    wait_js(browser, "return !window.lpRuntime.cells[2].running", 10)
    assert "Stopped" in third.find_element(By.CSS_SELECTOR, ".lp-cell__status").text
    assert not stop.is_enabled()
    assert "Python was restarted" in third.find_element(By.CSS_SELECTOR, ".lp-cell__output").text
    first.find_element(By.CSS_SELECTOR, "button.lp-run").click()
    wait_js(browser, "const c = window.lpRuntime.cells[0]; return !c.running && c.runs === 2 && c.lastResult;", 120)
    again = browser.execute_script("return window.lpRuntime.cells[0].history.map(p => p.loss)")
    assert browser.execute_script("return window.lpRuntime.cells[0].lastResult.ok")
    assert again == page_losses

    # Reset restores the author's code.
    editor.send_keys("\n# my change")
    first.find_element(By.CSS_SELECTOR, "button.lp-reset").click()
    assert editor.get_attribute("value") == TRAIN
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "favicon" not in e["message"]]
    assert severe == []
