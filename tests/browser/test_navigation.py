"""In-page navigation in the path player (issue 17): one Python worker for the visit.

A path of four steps: a cell that trains, a question, a cell that never ends, a cell that reads a
name. The student moves with the pager, the list of steps, the arrow keys and back/forward; each
step is swapped in place (``window.__visit`` set on the first page survives: no full load) and the
worker the first step booted runs every later cell (``lpRuntime.runtime.worker`` is the same object).
"""

from __future__ import annotations

from html import escape

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from learningpaths.compiler.result import Question
from learningpaths.paths.services import content_sync
from tests.browser import a11y
from tests.browser.test_classroom import QUESTION_HTML
from tests.conftest import compile_result, compiled_object, compiled_path

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def cell(n: int, code: str) -> str:
    return (
        f'<div class="lp-cell" data-lp-cell="{n}" data-line="{10 * n}"><pre><code class="language-python">'
        f"{escape(code, quote=False)}</code></pre></div>"
    )


TRAIN = """import engine, lp
x, y = engine.data.make_moons(64, noise=0.1, seed=1)
model = engine.Sequential([engine.Dense(8, activation="tanh"), engine.Dense(2)], input_shape=(2,), seed=1)
model.compile(loss="softmax_crossentropy", optimizer="sgd", learning_rate=0.5)
kept = 41
round(model.fit(x, y, epochs=3, mode="batch", callbacks=[lp.callback()])["loss"][-1], 3)"""
FOREVER = """import time
while True:
    time.sleep(0.01)"""
# NameError unless the namespace was kept; `engine` is importable at once (already imported).
PROBE = """import sys, engine
print("kept" if "kept" in globals() else "fresh", "numpy" in sys.modules)
6 * 7"""


@pytest.fixture(autouse=True)
def fresh_engine_wheel():
    from learningpaths.runtime.bundle import build_engine_wheel

    build_engine_wheel()


@pytest.fixture
def cells_path(settings, tmp_path):
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    intro = compiled_object("intro", title="Intro", html="<h2>Welcome</h2><p>No Python here.</p>")
    train = compiled_object("train", title="Train", html="<h2>Train it</h2>" + cell(1, TRAIN))
    quiz = compiled_object("quiz", title="Quiz", html="<h2>A question</h2>" + QUESTION_HTML)
    quiz.questions = [
        Question(id="q1", kind="multiple_choice", prompt="2+2?", options=["3", "4"], key={"correct": [1]})
    ]
    forever = compiled_object("forever", title="Forever", html="<h2>Forever</h2>" + cell(1, FOREVER))
    probe = compiled_object("probe", title="Probe", html="<h2>Probe</h2>" + cell(1, PROBE))
    # The author asks to keep the variables of the step before (front matter `runtime: keep`).
    keep = compiled_object("keep", title="Keep", html="<h2>Keep</h2>" + cell(1, PROBE), runtime="keep")
    # A widget that needs no Python: the runtime module without a worker.
    neuron = '<div class="lp-widget" data-widget="neuron" data-params=\'{"inputs": [1, 1]}\' role="group"></div>'
    widget = compiled_object("widget", title="Widget", html="<h2>A neuron</h2>" + neuron)
    objects = [intro, train, quiz, forever, probe, keep, widget]
    content_sync(result=compile_result(objects, [compiled_path("nav", objects, title="Navigation")]))


def wait_js(browser, script: str, timeout: float = 120):
    return WebDriverWait(browser, timeout, poll_frequency=0.05).until(lambda b: b.execute_script(script))


def on_step(browser, step: str) -> None:
    """Wait until the player shows ``step``: its URL, its article and its title."""
    wait_js(
        browser,
        f"const a = document.querySelector('article.learning-object');"
        f"return location.pathname.endsWith('/nav/en/{step}/') && a && a.dataset.lpObject === '{step}/en/1'"
        f" && document.title.startsWith(document.querySelector('.path-nav a[aria-current]').textContent);",
        30,
    )


def run_first_cell(browser) -> dict:
    browser.execute_script("window.__t0 = performance.now(); window.lpRuntime.cells[0].runButton.click();")
    wait_js(browser, "const c = window.lpRuntime.cells[0]; return c.lastResult && !c.running;", 180)
    return browser.execute_script(
        "const c = window.lpRuntime.cells[0];"
        "return {result: c.lastResult, wall: performance.now() - window.__t0,"
        " output: c.output.textContent, boots: window.lpRuntime.boots, points: c.history.length,"
        " same: window.__worker === window.lpRuntime.runtime.worker, visit: window.__visit === 1};"
    )


def click_next(browser) -> None:
    browser.find_element(By.CSS_SELECTOR, '.pager a[rel="next"]').click()


def test_steps_swap_in_place_and_keep_one_worker(browser, live_server, cells_path):
    browser.get(live_server.url + "/paths/nav/en/intro/")
    browser.execute_script("window.__visit = 1;")
    # A step without cells does not start Python (nor load the runtime).
    assert browser.execute_script("return window.lpRuntime === undefined && !window.lpBoot")

    # 1. The pager: the next step is swapped in, its cell boots the one worker of the visit.
    click_next(browser)
    on_step(browser, "train")
    wait_js(browser, "return window.lpRuntime && window.lpRuntime.cells.length === 1", 30)
    assert browser.execute_script("return window.__visit") == 1  # no full load
    assert browser.switch_to.active_element.text == "Train it"  # the focus is on the new heading
    assert browser.find_element(By.CSS_SELECTOR, ".lp-nav-status").get_attribute("textContent") == (
        "Now showing: Train it"
    )
    assert browser.find_element(By.CSS_SELECTOR, '.path-nav a[aria-current="step"]').text == "Train"
    first = run_first_cell(browser)
    assert first["result"]["ok"], first["result"].get("error")
    assert first["boots"] == 1
    browser.execute_script("window.__worker = window.lpRuntime.runtime.worker;")

    # 2. The list of steps, to the question: answered on a step reached in place.
    browser.find_element(By.CSS_SELECTOR, ".path-nav a[href$='/nav/en/quiz/']").click()
    on_step(browser, "quiz")
    wait_js(browser, "return document.querySelector('form.lp-question').dataset.lpReady === 'true'", 10)
    browser.find_element(By.CSS_SELECTOR, "form.lp-question input[value='1']").click()
    browser.find_element(By.CSS_SELECTOR, "form.lp-question button[type=submit]").click()
    wait_js(
        browser,
        "const s = document.querySelector('.lp-question-status'); return s && /Correct/.test(s.textContent)",
        20,
    )

    # 3. Arrow key to a step whose cell never ends: Stop there, then move on and run the next cell.
    browser.execute_script("document.activeElement.blur();")
    ActionChains(browser).send_keys(Keys.ARROW_RIGHT).perform()
    on_step(browser, "forever")
    wait_js(
        browser,
        "return window.lpRuntime.cells.length === 1 && window.lpRuntime.root.dataset.lpObject === 'forever/en/1'",
        10,
    )
    browser.execute_script("window.lpRuntime.cells[0].runButton.click();")
    wait_js(browser, "return window.lpRuntime.cells[0].running && window.lpRuntime.runtime.state === 'busy'", 30)
    browser.execute_script("window.lpRuntime.cells[0].stopButton.click();")
    wait_js(browser, "return !window.lpRuntime.cells[0].running", 10)
    assert browser.execute_script("return window.lpRuntime.boots") == 2  # Stop restarts Python
    browser.execute_script("window.__worker = window.lpRuntime.runtime.worker;")
    click_next(browser)
    on_step(browser, "probe")
    probe = run_first_cell(browser)
    assert probe["result"]["ok"], probe["result"].get("error")
    assert probe["result"]["result"] == "42"
    assert "fresh True" in probe["output"]  # a fresh namespace, NumPy still imported
    assert probe["same"] and probe["boots"] == 2 and probe["visit"]

    # 4. Back and forward: the right step, and its cell runs in the same worker, well under a boot.
    browser.back()
    on_step(browser, "forever")
    browser.back()
    on_step(browser, "quiz")
    # The answer given before is restored from the server.
    wait_js(
        browser,
        "const s = document.querySelector('.lp-question-status'); return s && /Correct/.test(s.textContent)",
        20,
    )
    browser.back()
    on_step(browser, "train")
    again = run_first_cell(browser)
    assert again["result"]["ok"] and again["same"] and again["visit"] and again["boots"] == 2
    assert again["result"]["result"] == first["result"]["result"]
    assert first["points"] == again["points"] == 3  # progress still streams to the step shown
    assert again["wall"] < first["wall"]  # no boot this time
    browser.forward()
    on_step(browser, "quiz")
    assert browser.execute_script("return window.__visit") == 1


def test_leaving_a_running_step_stops_it(browser, live_server, cells_path):
    browser.get(live_server.url + "/paths/nav/en/forever/")
    wait_js(browser, "return window.lpRuntime && window.lpRuntime.cells.length === 1", 30)
    browser.execute_script("window.__visit = 1; window.lpRuntime.cells[0].runButton.click();")
    wait_js(browser, "return window.lpRuntime.cells[0].running && window.lpRuntime.runtime.state === 'busy'", 120)
    click_next(browser)
    on_step(browser, "probe")
    probe = run_first_cell(browser)
    assert probe["result"]["ok"], probe["result"].get("error")
    assert probe["boots"] == 2 and probe["visit"]  # the run was stopped (a new worker), not a new page
    # A step that does not answer with a page: a full load shows what the server says.
    browser.execute_script("window.lpNavigate('/paths/nav/en/gone/');")
    WebDriverWait(browser, 30).until(lambda b: b.execute_script("return window.__visit === undefined"))
    assert browser.current_url.endswith("/paths/nav/en/gone/")


def test_a_step_reached_in_place_passes_the_audit(browser, live_server, cells_path):
    browser.get(live_server.url + "/paths/nav/en/intro/")
    browser.execute_script("window.__visit = 1;")
    click_next(browser)
    on_step(browser, "train")
    wait_js(browser, "return window.lpRuntime && window.lpRuntime.cells.length === 1", 30)
    report = a11y.audit(browser, phone=False)
    assert browser.execute_script("return window.__visit") == 1
    assert not any(report.values()), a11y.failures({"train (in place)": report})


def test_runtime_keep_keeps_the_previous_steps_variables_and_others_start_fresh(browser, live_server, cells_path):
    browser.get(live_server.url + "/paths/nav/en/widget/")
    wait_js(browser, "return window.lpRuntime && window.lpRuntime.widgets.length === 1", 30)
    assert browser.execute_script("return window.lpRuntime.boots") == 0  # no Python for this widget
    browser.execute_script("window.__visit = 1; window.lpNavigate('/paths/nav/en/train/');")
    on_step(browser, "train")
    wait_js(browser, "return window.lpRuntime.cells.length === 1", 30)
    assert run_first_cell(browser)["result"]["ok"]
    browser.execute_script(
        "window.__worker = window.lpRuntime.runtime.worker; window.lpNavigate('/paths/nav/en/keep/');"
    )
    on_step(browser, "keep")
    kept = run_first_cell(browser)
    assert kept["result"]["ok"], kept["result"].get("error")
    assert "kept True" in kept["output"] and kept["same"] and kept["visit"]
    # Without `runtime: keep` the next step starts fresh (`kept` is still in the worker until then).
    browser.execute_script("window.lpNavigate('/paths/nav/en/probe/');")
    on_step(browser, "probe")
    fresh = run_first_cell(browser)
    assert fresh["result"]["ok"], fresh["result"].get("error")
    assert "fresh True" in fresh["output"] and fresh["same"] and fresh["visit"]


def test_a_signed_in_students_list_of_steps_follows_in_place(browser, live_server, cells_path, student, settings):
    from tests.browser.conftest import sign_in

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    student.set_password("pw-student-123")
    student.save()
    sign_in(browser, live_server, "stud", "pw-student-123")
    browser.get(live_server.url + "/paths/nav/en/intro/")
    done = "return [...document.querySelectorAll('.path-nav li.done > a')].map((a) => a.textContent)"
    progress = "return +document.querySelector('.path-nav .progress').getAttribute('aria-valuenow')"
    assert browser.execute_script(done) == ["Intro"]  # seen: done at once (no question)
    before = browser.execute_script(progress)
    browser.execute_script("window.__visit = 1;")
    click_next(browser)
    on_step(browser, "train")
    # The student's own page, swapped in: the step now seen is done and the progress moved.
    assert browser.execute_script(done) == ["Intro", "Train"]
    assert browser.execute_script(progress) > before
    assert browser.find_element(By.CSS_SELECTOR, ".who").text == "stud"
    assert browser.execute_script("return window.__visit") == 1
