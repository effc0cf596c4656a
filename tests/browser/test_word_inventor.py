"""The word-inventor widget (static/js/runtime/widgets/words.js) in real headless Chromium, against the
real generate endpoint and a tiny word transformer trained for a few steps: invent words with the
keyboard, see them listed and marked, explore the attention heat map with keys and mouse, and read a
clear message when the start letters are wrong, the model is gone or the server cannot be reached;
the accessibility audit on the filled widget. One page load, in Dutch (the widget's language follows the page; the temperature has a decimal comma)."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from learningpaths.demos import words
from tests.browser import a11y
from tests.browser.test_numbers import open_in
from tests.browser.test_runtime_widgets import widget
from tests.conftest import compile_result, compiled_object

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEL = "[data-widget=word-inventor]"


@pytest.fixture
def inventor_page(settings, tmp_path):
    from learningpaths.demos import inference, wordgen
    from learningpaths.paths.services import content_sync
    from tests.site.demos.wordmodel import TINY

    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    settings.DEMO_MODELS_DIR = tmp_path / "models"
    settings.DEMO_RATE_LIMIT = 1000
    wordgen.train(size=TINY, out_dir=tmp_path / "models", log=lambda line: None)
    inference.reset_runners()
    content_sync(
        result=compile_result(
            [compiled_object("woorden", html="<h2>Woorden</h2>" + widget("word-inventor", {"count": 4}))]
        )
    )
    yield "/objects/woorden/en/1/"
    inference.reset_runners()


def wait_js(browser, script, timeout=30):
    return WebDriverWait(browser, timeout, poll_frequency=0.1).until(lambda b: b.execute_script(script))


def test_invent_words_and_explore_their_attention(browser, live_server, settings, tmp_path, inventor_page):
    from learningpaths.demos import inference

    open_in(browser, live_server, settings, inventor_page, "nl")
    wait_js(browser, f"return document.querySelector('{SEL}').dataset.state === 'ready'")
    node = browser.find_element(By.CSS_SELECTOR, SEL)
    assert "Woordenbedenker" in node.text
    assert node.find_element(By.CSS_SELECTOR, "select").get_attribute("value") == "nl"  # the page's language

    # The keyboard alone: temperature up one step (0,8 -> 0,9, a decimal comma), start letters, Enter.
    slider = node.find_element(By.CSS_SELECTOR, "input[type=range]")
    slider.send_keys(Keys.ARROW_RIGHT)
    assert node.find_element(By.CSS_SELECTOR, "output").text == "0,9"
    start = node.find_element(By.CSS_SELECTOR, "input[type=text]")
    start.send_keys("ka", Keys.ENTER)
    invented = wait_js(browser, f"return document.querySelector('{SEL}').dataset.words").split()
    assert len(invented) == 4
    for word in invented:
        assert word.startswith("ka") and words.MIN_LENGTH <= len(word) <= words.MAX_LENGTH
    items = node.find_elements(By.CSS_SELECTOR, ".lp-words li")
    assert [i.find_element(By.TAG_NAME, "button").text for i in items] == invented
    for item, word in zip(items, invented, strict=True):  # marked as the server's dictionary says
        expected = "in het woordenboek" if words.is_word("nl", word) else "nieuw woord"
        assert expected in item.text

    # The last word's attention is drawn: (letters + 1) squares a side, not a blank canvas.
    last = invented[-1]
    canvas = node.find_element(By.CSS_SELECTOR, ".lp-words__map canvas")
    assert canvas.get_attribute("data-cells") == f"{len(last) + 1}x{len(last) + 1}"
    assert items[-1].find_element(By.TAG_NAME, "button").get_attribute("aria-pressed") == "true"
    spread = browser.execute_script(
        """const c = arguments[0], d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const seen = new Set(); for (let i = 0; i < d.length; i += 4) seen.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]);
        return seen.size;""",
        canvas,
    )
    assert spread > 10
    caption = node.find_element(By.CSS_SELECTOR, ".lp-words__map figcaption").text
    assert last in caption and "einde" in caption and "," in caption  # probabilities like 0,31

    # Labels, contrast, focus and the rest of the audit, with the words and the heat map shown.
    report = a11y.audit(browser, lang="nl", phone=False)
    assert not any(report.values()), a11y.failures({"word inventor": report})

    # Explore with the keyboard: the cursor starts on the last step looking at itself.
    n = len(last)
    assert node.get_attribute("data-cursor") == f"{n},{n}"
    canvas.send_keys(Keys.ARROW_UP, Keys.HOME)
    assert node.get_attribute("data-cursor") == f"{n - 1},0"
    readout = node.find_element(By.CSS_SELECTOR, ".lp-words__map .lp-widget__readout").text
    assert f"“{last[n - 1]}” na “{last[: n - 1]}”" in readout and "het taalteken" in readout
    canvas.send_keys(Keys.END, Keys.ARROW_RIGHT)
    assert node.get_attribute("data-cursor") == f"{n - 1},{n}"
    assert "komt later" in node.find_element(By.CSS_SELECTOR, ".lp-words__map .lp-widget__readout").text
    # ... and with the mouse: a point near the top left of the squares is the first step's.
    ActionChains(browser).move_to_element_with_offset(canvas, -190 + 70, -170 + 26).perform()
    assert node.get_attribute("data-cursor") == "0,0"

    # Another word of the list shows its own attention.
    items[0].find_element(By.TAG_NAME, "button").click()
    assert canvas.get_attribute("data-cells") == f"{len(invented[0]) + 1}x{len(invented[0]) + 1}"

    # Wrong start letters are refused in the page, with a message.
    start.clear()
    start.send_keys("k4", Keys.ENTER)
    problem = node.find_element(By.CSS_SELECTOR, ".lp-widget__problem")
    assert problem.is_displayed() and "Beginletters mogen alleen letters zijn" in problem.text

    # The model is gone from the server: the server's reason is shown.
    start.clear()
    settings.DEMO_MODELS_DIR = tmp_path / "gone"
    inference.reset_runners()
    node.find_element(By.XPATH, ".//button[normalize-space()='Bedenk woorden']").click()
    wait_js(browser, f"return document.querySelector('{SEL}').dataset.state === 'error'")
    assert "Geen antwoord" in problem.text or "No answer" in problem.text
    assert "not available" in problem.text

    # The server cannot be reached at all.
    browser.execute_script("window.fetch = () => Promise.reject(new TypeError('Failed to fetch'));")
    browser.execute_script(f"document.querySelector('{SEL}').dataset.state = 'ready'")
    node.find_element(By.XPATH, ".//button[normalize-space()='Bedenk woorden']").click()
    wait_js(browser, f"return document.querySelector('{SEL}').dataset.state === 'error'")
    assert "De server antwoordde niet" in problem.text
    severe = [
        e
        for e in browser.get_log("browser")
        if e["level"] == "SEVERE" and "favicon" not in e["message"] and "503" not in e["message"]
    ]
    assert severe == []
