"""The fine-tuning lesson (dl_finetuning, issue 22) in real headless Chromium, in Dutch: the lesson
helpers speak the page's language, and the finetune widget trains on drawings made with the pointer
and the keyboard, plots both curves, and sends nothing to the server.

One Dutch browser, two shipped pages (one Pyodide boot each): the neuron lesson's explain() cell,
then the fine-tuning lesson's cell and widget.
"""

from __future__ import annotations

import itertools
import json

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# PALETTE[0] and PALETTE[1] of static/js/runtime/plot.js: the fine-tuned and the from-scratch curve
CURVES = {"finetuned": (0x00, 0x72, 0xB2), "scratch": (0xE6, 0x9F, 0x00)}
COUNT_PIXELS = """
const canvas = arguments[0], want = arguments[1];
const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
let n = 0;
for (let i = 0; i < data.length; i += 4) {
  if (Math.abs(data[i] - want[0]) < 12 && Math.abs(data[i + 1] - want[1]) < 12 && Math.abs(data[i + 2] - want[2]) < 12) n++;
}
return n;
"""


def wait_js(browser, script: str, timeout: float = 60, *args):
    return WebDriverWait(browser, timeout, poll_frequency=0.1).until(lambda b: b.execute_script(script, *args))


def run_cell(browser, number: int) -> str:
    cell = browser.find_element(By.CSS_SELECTOR, f'div.lp-cell[data-lp-cell="{number}"]')
    cell.find_element(By.CSS_SELECTOR, "button.lp-run").click()
    wait_js(
        browser,
        "return arguments[0].querySelector('.lp-out') && !window.lpRuntime.cells.some((c) => c.running)",
        120,
        cell,
    )
    errors = cell.find_elements(By.CSS_SELECTOR, ".lp-out--error")
    assert not errors, errors[0].get_attribute("textContent")
    return " ".join(n.get_attribute("textContent") for n in cell.find_elements(By.CSS_SELECTOR, ".lp-out"))


def stroke(browser, pad, points):
    """Draw one stroke through ``points`` (fractions of the pad, 0..1) with the pointer."""
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", pad)
    size = pad.size["width"]
    chain = ActionChains(browser, duration=10)
    x0, y0 = points[0]
    chain.move_to_element_with_offset(pad, int((x0 - 0.5) * size), int((y0 - 0.5) * size)).click_and_hold()
    for (xa, ya), (xb, yb) in itertools.pairwise(points):
        for _ in range(4):  # in four moves, so that the pad sees a line and not two dots
            chain.move_by_offset(int((xb - xa) * size * 0.25), int((yb - ya) * size * 0.25))
    chain.release().perform()


def test_dutch_pages_explain_in_dutch_and_fine_tuning_plots_both_curves(live_server, settings, tmp_path):
    from django.db import connection

    from learningpaths.compiler import CompileOptions, compile_content
    from learningpaths.paths.services import content_sync
    from learningpaths.runtime.bundle import build_engine_wheel
    from tests.browser.conftest import chromium
    from tests.content.test_content import CONTENT

    if connection.vendor == "postgresql":
        pytest.skip("browser and training only: the SQLite run covers it")
    build_engine_wheel()  # the engine of this tree (engine.messages), not an older wheel
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    content_sync(result=compile_content([CONTENT], options=CompileOptions(jobs=1)))
    with chromium(lang="nl-BE") as browser:
        # 1. explain() on the Dutch neuron lesson: Dutch labels and the decimal comma.
        browser.get(live_server.url + "/paths/deep_learning/nl/dl_neuron/")
        wait_js(browser, "return window.lpRuntime && window.lpRuntime.cells.length > 0", 30)
        number = browser.execute_script(
            "return [...document.querySelectorAll('div.lp-cell')].find((c) => c.textContent.includes('explain(')).dataset.lpCell"
        )
        text = run_cell(browser, int(number))
        assert "gewichten w" in text and "som + bias" in text and "weights w" not in text, text

        # 2. The fine-tuning lesson: its cell's summary in Dutch, then the widget.
        browser.get(live_server.url + "/paths/deep_learning/nl/dl_finetuning/")
        wait_js(
            browser,
            "return window.lpRuntime && document.querySelector('.lp-widget[data-widget=finetune][data-ready]')",
            30,
        )
        text = run_cell(browser, 1)
        assert "Trainbare parameters: 27" in text and "Trainable params" not in text, text

        widget = browser.find_element(By.CSS_SELECTOR, ".lp-widget[data-widget=finetune]")
        assert "nooit naar de server gestuurd" in widget.text
        names = widget.find_elements(By.CSS_SELECTOR, ".lp-ft-class input[type=text]")
        assert [n.get_attribute("value") for n in names] == ["cirkel", "kruis", "streep"]
        names[2].clear()
        names[2].send_keys("haak", Keys.TAB)  # a pupil's own class name
        pad = widget.find_element(By.CSS_SELECTOR, "canvas[aria-roledescription]")
        assert pad.get_attribute("aria-label") == "tekenvlak voor je voorbeelden"
        add = next(b for b in widget.find_elements(By.TAG_NAME, "button") if b.text == "Voorbeeld toevoegen")
        # After each example the widget moves on to the next class: circle, cross, hook, circle, ...
        for k in range(5):
            d = 0.04 * k
            stroke(browser, pad, [(0.5, 0.2 + d), (0.8, 0.5), (0.5, 0.8 - d), (0.2, 0.5), (0.5, 0.2 + d)])  # a ring
            add.click()
            stroke(browser, pad, [(0.2 + d, 0.2), (0.8, 0.8 - d)])  # a cross: two strokes
            stroke(browser, pad, [(0.8 - d, 0.2), (0.2, 0.8)])
            add.click()
            # a hook drawn with the keyboard: Shift+arrows paint, Enter adds the example
            browser.execute_script("arguments[0].focus()", pad)
            pad.send_keys(*[Keys.ARROW_LEFT] * 40, *[Keys.ARROW_UP] * 40)  # to the top-left corner
            pad.send_keys(*[Keys.ARROW_RIGHT] * (8 + k), *[Keys.ARROW_DOWN] * 6, Keys.SPACE)
            pad.send_keys(Keys.SHIFT, *[Keys.ARROW_DOWN] * 16, *[Keys.ARROW_RIGHT] * 10, Keys.NULL, Keys.ENTER)
        assert widget.get_attribute("data-examples") == "15"
        counts = widget.find_element(By.CSS_SELECTOR, ".lp-ft-counts").text
        assert "cirkel 5 voorbeelden" in counts and "haak 5 voorbeelden" in counts, counts

        chart = widget.find_element(By.CSS_SELECTOR, "canvas.lp-ft-chart")
        assert [browser.execute_script(COUNT_PIXELS, chart, list(c)) for c in CURVES.values()] == [0, 0]  # no curve yet
        browser.get_log("performance")  # from here on, every request the page makes is looked at
        next(b for b in widget.find_elements(By.TAG_NAME, "button") if b.text == "Fine-tunen en vergelijken").click()
        wait_js(browser, "return arguments[0].dataset.running === 'true'", 10, widget)
        wait_js(browser, "return arguments[0].dataset.running === 'false'", 240, widget)
        status = widget.find_element(By.CSS_SELECTOR, ".lp-widget__status").text
        assert status.startswith("Klaar. Met 4 per klasse: gefinetuned"), status
        points = browser.execute_script(
            "return [...arguments[0].querySelectorAll('table.lp-results tr')].slice(1).map((r) => r.textContent)",
            widget,
        )
        assert len(points) == 4 and widget.get_attribute("data-points") == "4"
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", chart)
        browser.save_screenshot("/tmp/ft22-finetune.png")
        for name, colour in CURVES.items():
            assert browser.execute_script(COUNT_PIXELS, chart, list(colour)) > 50, name  # both curves are drawn
        # The drawings stayed in the page: while it trained, the page only fetched the network (a GET of our own file).
        sent = [json.loads(e["message"])["message"] for e in browser.get_log("performance")]
        requests = [m["params"]["request"] for m in sent if m["method"] == "Network.requestWillBeSent"]
        assert [r["url"] for r in requests if r["method"] != "GET"] == []
        assert all(r["url"].startswith((live_server.url, "data:", "blob:")) for r in requests)
