"""A page of cells as a notebook (issue 16): the Esc-then-Tab hint shows on focus, a NameError from a
skipped cell names the cell to run first, "Run the cells above" and "Run all" run in page order and
stop at the first error; and the shipped digits project stores its accuracy with no error on the page.

One page load (one Pyodide boot) per scenario.
"""

from __future__ import annotations

from html import escape

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from learningpaths.learning.models import Submission
from tests.browser.conftest import sign_in
from tests.conftest import compile_result, compiled_object

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

CELLS = [
    'order = ["one"]\nbase = 2',
    'order.append("two")\nsquare = base ** 2',
    'result = square + 1\norder.append("three")\nresult',
    'order.append("four")\n1 / 0',
    'order.append("five")',
    "import time\nwhile True:\n    time.sleep(0.01)",
]
PAGE = "<p>A notebook.</p>" + "".join(
    f'<div class="lp-cell" data-lp-cell="{n}" data-line="{10 * n}"><pre><code class="language-python">'
    f"{escape(code, quote=False)}</code></pre></div>"
    for n, code in enumerate(CELLS, start=1)
)


@pytest.fixture(autouse=True)
def fresh_engine_wheel():
    from learningpaths.runtime.bundle import build_engine_wheel

    build_engine_wheel()


def wait_js(browser, script: str, timeout: float = 120):
    return WebDriverWait(browser, timeout, poll_frequency=0.1).until(lambda b: b.execute_script(script))


def cell_el(browser, n: int):
    return browser.find_element(By.CSS_SELECTOR, f'div.lp-cell[data-lp-cell="{n}"]')


def test_hint_on_focus_name_error_run_above_and_run_all(browser, live_server, settings, tmp_path):
    from learningpaths.paths.services import content_sync

    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    content_sync(result=compile_result([compiled_object("nb", title="Notebook", html=PAGE)]))
    browser.get(live_server.url + "/objects/nb/en/1/")
    wait_js(browser, "return window.lpRuntime && window.lpRuntime.cells.length === 6", 30)
    # Which cells finished, in order (lp:done keeps its shape: {cell, result, wall}).
    browser.execute_script(
        "window.__done = []; document.addEventListener('lp:done', (e) => window.__done.push("
        "[e.detail.cell, e.detail.result.ok, typeof e.detail.wall]));"
    )

    # 1. The keyboard hint shows while the editor has focus, and only then.
    first, third = cell_el(browser, 1), cell_el(browser, 3)
    hint = first.find_element(By.CSS_SELECTOR, ".lp-keyhint")
    assert not hint.is_displayed()
    first.find_element(By.CSS_SELECTOR, "textarea").click()
    assert hint.is_displayed() and hint.text == "Esc, then Tab: leave the editor · Ctrl+Enter: run"
    assert not third.find_element(By.CSS_SELECTOR, ".lp-keyhint").is_displayed()
    editor = first.find_element(By.CSS_SELECTOR, "textarea")
    editor.send_keys(Keys.ESCAPE)
    assert hint.text == "Now press Tab to leave the editor."
    editor.send_keys(Keys.TAB)
    assert browser.execute_script("return document.activeElement") != editor and not hint.is_displayed()
    editor.click()  # back in: Tab indents again, and the hint says Esc first
    assert hint.text == "Esc, then Tab: leave the editor · Ctrl+Enter: run"
    browser.save_screenshot("/tmp/v16-cells-keyhint.png")

    # 2. Running cell 3 first: the NameError names cell 2 (where `square` is made), the traceback is folded.
    third.find_element(By.CSS_SELECTOR, "button.lp-run").click()
    wait_js(browser, "return !!document.querySelector('div.lp-cell[data-lp-cell=\"3\"] .lp-hint')")
    assert not hint.is_displayed()  # the editor lost focus
    note = third.find_element(By.CSS_SELECTOR, ".lp-hint__text")
    assert note.text == "square is made in cell 2. Run cell 2 first (or use Run the cells above)."
    assert note.find_element(By.TAG_NAME, "code").text == "square"
    details = third.find_element(By.CSS_SELECTOR, "details.lp-out-details")
    assert details.get_attribute("open") is None
    traceback = details.find_element(By.CSS_SELECTOR, "pre.lp-out--error").get_attribute("textContent")
    assert "NameError: name 'square' is not defined" in traceback
    browser.save_screenshot("/tmp/v16-cells-namehint.png")
    third.find_element(By.CSS_SELECTOR, ".lp-hint__go").click()
    assert browser.execute_script("return document.activeElement") == cell_el(browser, 2).find_element(
        By.CSS_SELECTOR, "textarea"
    )

    # 3. "Run the cells above" (from the hint) runs cells 1 and 2, in order, not 3 itself.
    third.find_element(By.CSS_SELECTOR, ".lp-hint__above").click()
    wait_js(browser, "return window.__done.length === 3 && !window.lpRuntime.notebook.running")
    assert browser.execute_script("return window.__done") == [
        ["3", False, "number"],
        ["1", True, "number"],
        ["2", True, "number"],
    ]
    assert (
        third.find_element(By.CSS_SELECTOR, ".lp-cell__status").text == "The cells above have run. Now run this cell."
    )
    # Now cell 3 runs; a NameError after its maker ran would get no hint (not the case here: it works).
    third.find_element(By.CSS_SELECTOR, "button.lp-run").click()
    wait_js(browser, "return window.__done.length === 4")
    assert browser.execute_script("return window.lpRuntime.cells[2].lastResult.result") == "5"

    # 4. Run all (the page's toolbar, before the first cell) runs 1..4 and stops at cell 4's error.
    bar = browser.find_element(By.CSS_SELECTOR, ".lp-cells-bar")
    assert bar.get_attribute("role") == "toolbar"
    assert browser.execute_script("return arguments[0].nextElementSibling === arguments[1]", bar, first)
    bar.find_element(By.CSS_SELECTOR, "button.lp-run-all").click()
    wait_js(browser, "return window.__done.length === 8 && !window.lpRuntime.notebook.running")
    assert [d[0] for d in browser.execute_script("return window.__done")[4:]] == ["1", "2", "3", "4"]
    status = bar.find_element(By.CSS_SELECTOR, ".lp-cells-bar__status").text
    assert status == "Cell 4 has an error, so the cells after it did not run."
    assert "lp-cell--failed" in cell_el(browser, 4).get_attribute("class")
    assert browser.execute_script("return window.lpRuntime.cells[4].runs") == 0
    # cell 3 ran after 1 and 2 again: order is ["one", "two", "three", "four"] in the fresh run's view
    assert browser.execute_script("return window.lpRuntime.cells[2].lastResult.ok")
    browser.save_screenshot("/tmp/v16-cells-runall.png")

    # 5. With cell 4 fixed, Run all reaches cell 6, which never ends: the toolbar's Stop ends the run.
    browser.execute_script("window.lpRuntime.cells[3].textarea.value = 'order.append(\"four\")'")
    bar.find_element(By.CSS_SELECTOR, "button.lp-run-all").click()
    wait_js(browser, "return window.lpRuntime.cells[5].running")
    assert [d[0] for d in browser.execute_script("return window.__done")[8:]] == ["1", "2", "3", "4", "5"]
    assert "lp-cell--failed" not in cell_el(browser, 4).get_attribute("class")
    bar.find_element(By.CSS_SELECTOR, "button.lp-stop").click()
    wait_js(browser, "return !window.lpRuntime.notebook.running", 20)
    assert bar.find_element(By.CSS_SELECTOR, ".lp-cells-bar__status").text == "Stopped. Python was restarted."
    assert cell_el(browser, 6).find_element(By.CSS_SELECTOR, ".lp-cell__status").text == "Stopped"
    assert bar.find_element(By.CSS_SELECTOR, "button.lp-run-all").is_enabled()
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "favicon" not in e["message"]]
    assert severe == []


def test_digits_project_stores_its_accuracy_without_an_error(browser, live_server, settings, tmp_path, student):
    """The shipped project page: Run all; every returned value is stored for the teacher, no error shows."""
    from learningpaths.compiler import CompileOptions, compile_content
    from learningpaths.paths.services import content_sync
    from tests.content.test_content import CONTENT

    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    content_sync(result=compile_content([CONTENT], options=CompileOptions(jobs=1)))
    page = live_server.url + "/paths/deep_learning/en/dl_project/"

    def run_all():
        wait_js(browser, "return window.lpRuntime && window.lpRuntime.notebook.runAllButton", 30)
        assert browser.execute_script("return window.lpRuntime.cells.filter((c) => c.returns).length") == 3
        browser.find_element(By.CSS_SELECTOR, "button.lp-run-all").click()
        wait_js(browser, "return window.lpRuntime.notebook.running", 10)
        wait_js(browser, "return !window.lpRuntime.notebook.running", 400)
        status = browser.find_element(By.CSS_SELECTOR, ".lp-cells-bar__status").text
        assert status.endswith("cells ran."), status

    # A visitor without an account runs everything too: nothing is sent, and no error text shows.
    browser.get(page)
    run_all()
    assert browser.find_elements(By.CSS_SELECTOR, ".lp-return-status, .lp-out--error") == []
    assert not Submission.objects.exists()

    sign_in(browser, live_server, "stud", "pw-student-123")
    browser.get(page)
    run_all()
    wait_js(
        browser,
        "return document.querySelectorAll('.lp-return-status').length === 3 && "
        "[...document.querySelectorAll('.lp-return-status')].every((n) => n.textContent.trim())",
        30,
    )
    notes = [n.text for n in browser.find_elements(By.CSS_SELECTOR, ".lp-return-status")]
    assert notes == ["Your result was saved."] * 3
    article = browser.find_element(By.CSS_SELECTOR, "article").text
    assert "does not accept" not in article and not browser.find_elements(By.CSS_SELECTOR, ".lp-out--error")
    rows = Submission.objects.filter(user=student, object_hruid="dl_project", question_id="return_value")
    values = {k: v for row in rows for k, v in row.answer.items()}
    assert set(values) == {"test_accuracy", "other_style_accuracy", "fixed_accuracy"}
    assert all(0 <= v <= 1 for v in values.values())
    assert values["fixed_accuracy"] > values["other_style_accuracy"]  # the fix works, as the lesson says


def test_the_toolbar_and_the_key_hint_are_dutch_in_a_dutch_browser(live_server, settings, tmp_path):
    from learningpaths.paths.services import content_sync
    from tests.browser.conftest import chromium

    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    content_sync(result=compile_result([compiled_object("nb", title="Notebook", html=PAGE)]))
    with chromium(lang="nl-BE") as browser:
        browser.get(live_server.url + "/objects/nb/en/1/")
        wait_js(browser, "return window.lpRuntime && window.lpRuntime.notebook.runAllButton", 30)
        bar = browser.find_element(By.CSS_SELECTOR, ".lp-cells-bar")
        assert bar.find_element(By.CSS_SELECTOR, ".lp-cells-bar__label").text == "6 Python-cellen op deze pagina"
        assert bar.find_element(By.CSS_SELECTOR, "button.lp-run-all").text == "▶ Alles uitvoeren"
        second = cell_el(browser, 2)
        assert second.find_element(By.CSS_SELECTOR, "button.lp-run-above").text == "▲ Cellen hierboven uitvoeren"
        second.find_element(By.CSS_SELECTOR, "textarea").click()
        hint = second.find_element(By.CSS_SELECTOR, ".lp-keyhint")
        assert hint.text == "Esc en dan Tab: de editor verlaten · Ctrl+Enter: uitvoeren"
        browser.save_screenshot("/tmp/v16-cells-dutch.png")
