"""The glyph-explorer widget (static/js/runtime/widgets/latent.js) in headless Chromium, on a Dutch
page, against a real (tiny) glyph autoencoder on the live server: the keyboard on the mix and style
sliders morphs the decoded glyph (decimal commas); drawing on the pad shows the reconstruction; the
accessibility audit; a clear message when the server cannot be reached. One page load."""

from __future__ import annotations

import os

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from tests.browser import a11y
from tests.browser.test_numbers import open_in
from tests.browser.test_runtime_widgets import draw_a_stroke, node, wait_js, widget
from tests.conftest import compile_result, compiled_object
from tests.site.demos.tinymodel import tiny_autoencoder_settings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="a widget against a trained model touches no database specifics: once, on SQLite, is enough",
    ),
]

DATA = "document.querySelector('[data-widget=glyph-explorer]').dataset"
# The canvas's pixels as one number (a fingerprint) and their contrast.
PIXELS = """const c = arguments[0], d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let sum = 0, lo = 255, hi = 0;
  for (let i = 0; i < d.length; i += 4) { sum = (sum * 31 + d[i]) % 1000000007; lo = Math.min(lo, d[i]); hi = Math.max(hi, d[i]); }
  return [sum, hi - lo];"""


@pytest.fixture
def explorer_page(settings, tmp_path):
    from learningpaths.demos import inference, training
    from learningpaths.paths.services import content_sync

    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    settings.DEMO_MODELS_DIR = tmp_path / "models"
    settings.DEMO_RATE_LIMIT = 1000
    training.train_autoencoder(
        "glyphs-autoencoder", settings=tiny_autoencoder_settings(), out_dir=tmp_path / "models", log=lambda s: 0
    )
    inference.reset_runners()
    content_sync(
        result=compile_result(
            [compiled_object("latent", language="nl", html="<h2>Tekens</h2>" + widget("glyph-explorer", {}, "Tekens"))]
        )
    )
    yield "/objects/latent/nl/1/"
    inference.reset_runners()


def test_morph_with_the_sliders_and_clean_up_a_drawing(browser, live_server, settings, explorer_page):
    open_in(browser, live_server, settings, explorer_page, "nl")
    wait_js(browser, f"return {DATA}.state === 'ready'")
    explorer = node(browser, "glyph-explorer")
    assert "Verken de latente ruimte van de autoencoder" in explorer.text
    first, second = (Select(s) for s in explorer.find_elements(By.CSS_SELECTOR, "select"))
    assert first.first_selected_option.text == "A" and second.first_selected_option.text == "B"
    assert len(first.options) == 36
    wait_js(browser, f"return {DATA}.morph === 'A|B|0|0'")
    image = explorer.find_element(By.CSS_SELECTOR, "canvas[aria-label='het teken dat de decoder op dit punt tekent']")
    start, contrast = browser.execute_script(PIXELS, image)
    assert contrast > 50  # a glyph, not a blank canvas
    assert len(explorer.find_elements(By.CSS_SELECTOR, ".lp-latent__strip canvas")) == 11  # the whole morph

    # The keyboard on the native sliders: the mix halfway, then the style one step.
    mix, style = explorer.find_elements(By.CSS_SELECTOR, "input[type=range]")
    assert mix.get_attribute("id") and explorer.find_element(By.CSS_SELECTOR, f"label[for='{mix.get_attribute('id')}']")
    mix.send_keys(*[Keys.ARROW_RIGHT] * 5)
    outputs = explorer.find_elements(By.CSS_SELECTOR, "output")
    assert outputs[0].text == "0,5"  # the Dutch decimal comma
    wait_js(browser, f"return {DATA}.morph === 'A|B|0|5'")
    halfway = browser.execute_script(PIXELS, image)[0]
    assert halfway != start
    style.send_keys(Keys.ARROW_RIGHT)
    assert outputs[1].text == "0,5"
    wait_js(browser, f"return {DATA}.morph === 'A|B|0.5|5'")
    assert browser.execute_script(PIXELS, image)[0] not in (start, halfway)
    assert "A → B: mix 0,5, stijl 0,5" in explorer.text

    # Clean up a drawing (the pad's keyboard mode): what the encoder got and what the decoder painted.
    pad = explorer.find_element(By.CSS_SELECTOR, "canvas[tabindex='0']")
    assert pad.get_attribute("aria-label") == "tekenvlak voor een letter of een cijfer"
    draw_a_stroke(pad)
    wait_js(browser, f"return {DATA}.cleaned === 'true'")
    cleaned = explorer.find_element(By.CSS_SELECTOR, "canvas[aria-label='de reconstructie van de autoencoder']")
    drawn = explorer.find_element(By.CSS_SELECTOR, "canvas[aria-label='je tekening op 32 bij 32 pixels']")
    assert browser.execute_script(PIXELS, drawn)[1] > 200 and browser.execute_script(PIXELS, cleaned)[1] > 20
    assert "Zijn punt ligt het dichtst bij het gemiddelde punt van" in explorer.text

    report = a11y.audit(browser, lang="nl", phone=False)
    assert not any(report.values()), a11y.failures({"glyph explorer": report})

    # The server cannot be reached: another pair asks it, and the widget says so.
    browser.execute_script("window.fetch = () => Promise.reject(new TypeError('Failed to fetch'));")
    Select(explorer.find_elements(By.CSS_SELECTOR, "select")[1]).select_by_visible_text("C")
    problem = explorer.find_element(By.CSS_SELECTOR, ".lp-latent__morph .lp-widget__problem")
    wait_js(browser, "return !document.querySelector('.lp-latent__morph .lp-widget__problem').hidden")
    assert "De server antwoordde niet" in problem.text
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "favicon" not in e["message"]]
    assert severe == []
