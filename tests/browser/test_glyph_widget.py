"""The glyph widget (static/js/runtime/widgets/glyph.js) in headless Chromium, on a Dutch page,
against a real (tiny) glyph CNN on the live server: draw with the pointer -> top 3 with decimal
commas and every conv block's feature maps; Clear; draw with the keyboard -> a new answer."""

from __future__ import annotations

import os
import re

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.test_numbers import open_in
from tests.browser.test_runtime_widgets import draw_a_stroke, node, wait_js, widget
from tests.conftest import compile_result, compiled_object
from tests.site.demos.tinymodel import tiny_glyph_settings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="a widget against a trained model touches no database specifics: once, on SQLite, is enough",
    ),
]


@pytest.fixture
def glyph_page(settings, tmp_path):
    from learningpaths.demos import inference, training
    from learningpaths.paths.services import content_sync

    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    settings.DEMO_MODELS_DIR = tmp_path / "models"
    settings.DEMO_RATE_LIMIT = 1000
    training.train_glyphs("glyphs-cnn", settings=tiny_glyph_settings(), out_dir=tmp_path / "models", log=lambda s: 0)
    inference.reset_runners()
    content_sync(result=compile_result([compiled_object("glyphs", language="nl", html=widget("glyph", {}, "Letters"))]))
    yield "/objects/glyphs/nl/1/"
    inference.reset_runners()


CONTRAST = """
  return [...arguments[0].querySelectorAll('canvas')].map((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let lo = 255, hi = 0;
    for (let i = 0; i < d.length; i += 4) { lo = Math.min(lo, d[i]); hi = Math.max(hi, d[i]); }
    return hi - lo;
  });"""


def test_draw_a_glyph_and_see_every_layer(browser, live_server, settings, glyph_page):
    open_in(browser, live_server, settings, glyph_page, "nl")
    wait_js(browser, "return document.querySelector('[data-widget=glyph]').dataset.state === 'ready'")
    glyph = node(browser, "glyph")
    pad = glyph.find_element(By.CSS_SELECTOR, "canvas[tabindex='0']")
    assert pad.get_attribute("aria-label") == "tekenvlak voor een letter of een cijfer"

    # A pointer stroke (an L) asks the model when the pointer lifts.
    ActionChains(browser).move_to_element_with_offset(pad, -60, -80).click_and_hold().move_by_offset(
        0, 80
    ).move_by_offset(0, 80).move_by_offset(60, 0).move_by_offset(60, 0).release().perform()
    wait_js(browser, "return document.querySelector('[data-widget=glyph]').dataset.prediction")
    top = glyph.find_elements(By.CSS_SELECTOR, ".lp-glyph__top li")
    assert len(top) == 3
    values = [li.find_element(By.CSS_SELECTOR, ".lp-bars__value").text for li in top]
    assert all(re.fullmatch(r"\d{1,3},\d%", v) for v in values), values  # the Dutch decimal comma
    numbers = [float(v.rstrip("%").replace(",", ".")) for v in values]
    assert numbers == sorted(numbers, reverse=True) and sum(numbers) <= 100.05
    assert top[0].find_element(By.CSS_SELECTOR, ".lp-bars__label").text == glyph.get_attribute("data-prediction")
    assert "De top 3 van het model" in glyph.text and "Feature maps van elk convolutieblok" in glyph.text

    # The feature maps of every block, drawn as pictures (the tiny model: 2, 4 and 4 maps).
    layers = glyph.find_elements(By.CSS_SELECTOR, "figure.lp-glyph__layer")
    assert [f.get_attribute("data-layer") for f in layers] == ["conv1", "conv2", "conv3"]
    assert [len(f.find_elements(By.CSS_SELECTOR, "canvas")) for f in layers] == [2, 4, 4]
    assert "blok 1: 2 van de 2 feature maps van 32 bij 32" in layers[0].text
    assert sum(c > 50 for c in browser.execute_script(CONTRAST, layers[0])) >= 1  # maps of a stroke are not blank
    seen = glyph.find_element(By.CSS_SELECTOR, "canvas[aria-label^='wat het model ziet']")
    assert (
        browser.execute_script(CONTRAST.replace("arguments[0].querySelectorAll('canvas')", "[arguments[0]]"), seen)[0]
        > 200
    )

    # The drawing is scaled as the training glyphs were: its longer side 24 of 32 pixels, centred.
    span = browser.execute_async_script("""
      const done = arguments[0];
      const url = performance.getEntriesByType('resource').map((e) => e.name).find((u) => u.includes('widgets/glyph'));
      import(url).then((m) => {
        const pixels = Array.from({ length: 32 }, (_, r) => Array.from({ length: 32 }, (_, c) => (r >= 3 && r < 9 && c === 5 ? 1 : 0)));
        const rows = m.normalise(pixels).map((row, r) => (row.some((v) => v > 0.5) ? r : -1)).filter((r) => r >= 0);
        done([rows[0], rows[rows.length - 1]]);
      }, (e) => done(String(e)));""")
    assert span[1] - span[0] + 1 in (23, 24, 25) and abs((span[0] + span[1]) / 2 - 15.5) <= 1, span

    # Clear, then the keyboard: a new answer.
    glyph.find_element(By.XPATH, ".//button[normalize-space()='Wissen']").click()
    assert not glyph.find_elements(By.CSS_SELECTOR, ".lp-glyph__top") and not glyph.get_attribute("data-prediction")
    draw_a_stroke(pad)
    wait_js(browser, "return document.querySelector('[data-widget=glyph]').dataset.prediction")
    assert len(glyph.find_elements(By.CSS_SELECTOR, "figure.lp-glyph__layer")) == 3
    pad.send_keys(Keys.ESCAPE)
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "favicon" not in e["message"]]
    assert severe == []
