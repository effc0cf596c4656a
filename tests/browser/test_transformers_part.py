"""The part on attention and transformers (issue 22) in a real browser, on the shipped content.

* dl_attention: the heat map is the trained model's real attention (the page's JavaScript against the
  engine's forward pass of the same weights), follows a sentence the pupil types, names unknown words,
  and is explored with the arrow keys, each cell labelled; in Dutch too.
* dl_transformer: Run all trains the tiny transformer in the page's Python; its live loss falls and
  the trained model reverses a word.
"""

from __future__ import annotations

import importlib.util
import json

import numpy as np
import pytest
from django.db import connection
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.content.test_content import CONTENT

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
MODEL = CONTENT / "learning_objects/english/deep_learning/0420_attention/embed/attention_model.json"


def _tool():
    spec = importlib.util.spec_from_file_location("make_attention_model", CONTENT / "tools/make_attention_model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def site(settings, tmp_path):
    if connection.vendor == "postgresql":
        pytest.skip("browser and Pyodide only: nothing here depends on the database (runs on SQLite)")
    from learningpaths.compiler import CompileOptions, compile_content
    from learningpaths.paths.services import content_sync
    from learningpaths.runtime.bundle import build_engine_wheel

    build_engine_wheel()
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    content_sync(result=compile_content([CONTENT], options=CompileOptions(jobs=1)))


def wait_js(browser, script: str, timeout: float = 30):
    return WebDriverWait(browser, timeout, poll_frequency=0.1).until(lambda b: b.execute_script(script))


def engine_attention(words: list[str]) -> np.ndarray:
    """The attention of the same weights, computed by the engine (MultiHeadAttention.attention_scores)."""
    weights = json.loads(MODEL.read_text(encoding="utf-8"))
    model = _tool().load(weights)
    index = {w: i for i, w in enumerate(weights["vocabulary"])}
    model.predict(np.array([[index.get(w, weights["unknown"]) for w in words]]))
    return model[2].attention_scores[0, 0]


def heat_map(browser) -> tuple[list[str], np.ndarray]:
    node = browser.find_element(By.CSS_SELECTOR, "[data-widget=attention]")
    return json.loads(node.get_attribute("data-tokens")), np.array(json.loads(node.get_attribute("data-attention")))


def test_the_attention_heat_map_is_the_models_and_explorable_by_keyboard(browser, live_server, site, settings):
    browser.get(live_server.url + "/objects/dl_attention/en/1/")
    wait_js(
        browser, "const n = document.querySelector('[data-widget=attention]'); return n && n.dataset.state === 'ready'"
    )
    widget = browser.find_element(By.CSS_SELECTOR, "[data-widget=attention]")

    # The sentence of the page: every row adds up to 1, the numbers are the engine's, and "sleeps"
    # looks at its subject "dog", not at the nearer "cats".
    words, attention = heat_map(browser)
    assert words == ["the", "dog", "near", "the", "cats", "sleeps"]
    assert np.allclose(attention.sum(axis=1), 1, atol=1e-3)
    assert np.allclose(attention, engine_attention(words), atol=2e-4)
    assert words[int(attention[5].argmax())] == "dog"
    assert json.loads(widget.get_attribute("data-answers"))[5] == "dog"

    # A sentence the pupil types: the heat map follows; an unknown word is said to be unknown.
    field = widget.find_element(By.CSS_SELECTOR, "input[type=text]")
    label = widget.find_element(By.CSS_SELECTOR, f"label[for='{field.get_attribute('id')}']")
    assert label.text == "Your sentence"
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys("The dogs near the robot sleep")
    words, attention = heat_map(browser)
    assert words == ["the", "dogs", "near", "the", "robot", "sleep"]
    assert np.allclose(attention, engine_attention(words), atol=2e-4)
    assert words[int(attention[5].argmax())] == "dogs"
    assert "does not know “robot”" in widget.find_element(By.CSS_SELECTOR, ".lp-widget__note").text
    assert [th.text for th in widget.find_elements(By.CSS_SELECTOR, "thead th[data-col]")][4] == "robot (?)"

    # Keyboard: one cell in the tab order, on the last word and the word it looks at most; the arrow
    # keys move (and stop at the edges), each cell says its value, the text below says the rest.
    assert len(widget.find_elements(By.CSS_SELECTOR, "td[tabindex='0']")) == 1
    field.send_keys(Keys.TAB)
    active = browser.switch_to.active_element
    assert active.tag_name == "td" and (active.get_attribute("data-row"), active.get_attribute("data-col")) == (
        "5",
        "1",
    )
    percent = round(attention[5, 1] * 100)
    assert active.get_attribute("aria-label") == f"“sleep” looks at “dogs”: {percent}\u00a0%"
    readout = widget.find_element(By.CSS_SELECTOR, ".lp-widget__readout").get_attribute("textContent")
    assert readout.startswith(f"“sleep” looks at “dogs”: {percent}\u00a0%.") and "belongs to “dogs”" in readout
    assert "belongs to “dogs”" in widget.find_element(By.CSS_SELECTOR, "[role=status]").get_attribute("textContent")
    active.send_keys(*[Keys.ARROW_UP] * 7, Keys.ARROW_LEFT)
    active = browser.switch_to.active_element
    assert (active.get_attribute("data-row"), active.get_attribute("data-col")) == ("0", "0")
    assert active.get_attribute("aria-label") == f"“the” looks at “the”: {round(attention[0, 0] * 100)}\u00a0%"
    active.send_keys(Keys.END, *[Keys.ARROW_DOWN] * 2)
    active = browser.switch_to.active_element
    assert (active.get_attribute("data-row"), active.get_attribute("data-col")) == ("2", "5")
    assert widget.get_attribute("data-focus") == "[2,5]"
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "favicon" not in e["message"]]
    assert severe == []

    # The Dutch page with the Dutch UI: the Dutch sentence, labels in Dutch.
    browser.add_cookie({"name": settings.LANGUAGE_COOKIE_NAME, "value": "nl"})
    browser.get(live_server.url + "/objects/dl_attention/nl/1/")
    wait_js(
        browser, "const n = document.querySelector('[data-widget=attention]'); return n && n.dataset.state === 'ready'"
    )
    words, attention = heat_map(browser)
    assert words == ["de", "hond", "bij", "de", "katten", "slaapt"] and words[int(attention[5].argmax())] == "hond"
    widget = browser.find_element(By.CSS_SELECTOR, "[data-widget=attention]")
    assert "Jouw zin" in widget.text
    cell = widget.find_element(By.CSS_SELECTOR, "td[data-row='5'][data-col='1']")
    assert cell.get_attribute("aria-label") == f"“slaapt” kijkt naar “hond”: {round(attention[5, 1] * 100)}\u00a0%"


def test_the_tiny_transformer_trains_in_the_page_and_reverses_a_word(browser, live_server, site):
    browser.get(live_server.url + "/objects/dl_transformer/en/1/")
    wait_js(browser, "return window.lpRuntime && window.lpRuntime.notebook.runAllButton")
    browser.find_element(By.CSS_SELECTOR, "button.lp-run-all").click()
    wait_js(browser, "return window.lpRuntime.notebook.running", 10)
    wait_js(browser, "return !window.lpRuntime.notebook.running", 300)
    status = browser.find_element(By.CSS_SELECTOR, ".lp-cells-bar__status").text
    assert status.endswith("cells ran."), status

    # The live loss of the training cell: 10 epochs of 40 steps, from guessing (ln 26) to almost 0.
    losses = [p["loss"] for p in browser.execute_script("return window.lpRuntime.cells[1].history")]
    assert len(losses) == 400
    assert losses[0] > 3 and np.median(losses[-20:]) < 0.05 < np.median(losses[:20]) / 20
    train = browser.find_elements(By.CSS_SELECTOR, ".lp-cell")[1]
    assert train.find_element(By.CSS_SELECTOR, ".lp-progress").is_displayed()
    assert "letters in the right place: 100%" in train.text

    # The trained model reverses the pupil's word, and its attention is drawn.
    tried = browser.find_elements(By.CSS_SELECTOR, ".lp-cell")[2]
    assert "hello -> olleh" in tried.text
    assert tried.find_elements(By.CSS_SELECTOR, "canvas")
    assert not browser.find_elements(By.CSS_SELECTOR, ".lp-out--error")
