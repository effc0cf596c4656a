"""Numbers in the widgets and charts (issue 20), in real headless Chromium: written in the UI's
language (static/js/runtime/numbers.js reads <html lang>: a decimal comma in Dutch), never "-0",
and sums written with the sign as the operator, never "+ -0.50"."""

from __future__ import annotations

import json

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.test_runtime_widgets import widget
from tests.conftest import compile_result, compiled_object

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE = widget("neuron", {"inputs": [1, -1], "weights": [0.8, -0.5], "bias": -0.25, "activation": "step"}, "A neuron")
CALLS = """
const done = arguments[arguments.length - 1];
const src = document.querySelector('script[type=module][src*="runtime/index.js"]').src;
import(src.replace(/index(\\.[0-9a-f]+)?\\.js$/, 'numbers.js')).then((n) => {
  const out = {lang: document.documentElement.lang};
  for (const lang of ['nl', 'en']) {
    document.documentElement.lang = lang;
    out[lang] = {half: n.fmt(0.5), negZero: n.fmt(-0), big: n.fmt(123456), small: n.fmt(0.0001234), none: n.fmt(NaN),
      third: n.fmt(1 / 3), rate: n.decimal(0.0001), rates: n.parseList('0,01; 0,1 1'), english: n.parseList('0.01, 0.1'),
      typo: n.parseList('8, abc'), glued: n.parseList('8abc', {integers: true}), sizes: n.parseList('8, 8', {integers: true}),
      huge: n.parseList('1e999'), listed: n.listText([0.01, 0.1]), fixed: n.fixed(0.5, 2), tiny: n.fixed(-0.001, 2), neg: n.fixed(-1.25, 1),
      sum: n.sumText([[-0.8, n.fixed(0.8, 2)], [-0.5, n.fixed(0.5, 2)], [0, n.fixed(0, 2)], [1, n.fixed(1, 2)]])};
  }
  document.documentElement.lang = out.lang;
  done(out);
}, (err) => done({error: String(err)}));"""


@pytest.fixture
def neuron_page(settings, tmp_path):
    from learningpaths.paths.services import content_sync

    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    content_sync(result=compile_result([compiled_object("numbers", html=PAGE)]))
    return "/objects/numbers/en/1/"


def open_in(browser, live_server, settings, url: str, lang: str):
    browser.get(live_server.url + "/")
    browser.add_cookie({"name": settings.LANGUAGE_COOKIE_NAME, "value": lang})
    browser.get(live_server.url + url)
    WebDriverWait(browser, 30).until(
        lambda b: b.execute_script("return !!document.querySelector('.lp-widget[data-ready]')")
    )


def test_numbers_follow_the_ui_language(browser, live_server, settings, neuron_page):
    open_in(browser, live_server, settings, neuron_page, "nl")
    browser.set_script_timeout(20)
    out = browser.execute_async_script(CALLS)
    assert out["lang"] == "nl", out
    assert out["nl"] == {
        "half": "0,5",
        "negZero": "0",
        "big": "1,2E5",
        "small": "1,2E-4",
        "none": "\u2013",
        "third": "0,3333",
        "rate": "0,0001",
        "rates": [0.01, 0.1, 1],  # the decimal comma; ";" or a space between
        "english": None,  # "0.01," is not a Dutch number: nothing is guessed
        "typo": None,
        "glued": None,
        "sizes": [8, 8],  # whole numbers: commas separate in every language
        "huge": None,
        "listed": "0,01; 0,1",
        "fixed": "0,50",
        "tiny": "0,00",
        "neg": "-1,3",
        "sum": "-0,80 - 0,50 + 0,00 + 1,00",
    }, out
    assert (
        out["en"]["rate"] == "0.0001"
        and out["en"]["half"] == "0.5"
        and out["en"]["fixed"] == "0.50"
        and out["en"]["tiny"] == "0.00"
    ), out
    assert out["en"]["sum"] == "-0.80 - 0.50 + 0.00 + 1.00" and out["en"]["big"] == "1.2E5", out
    assert out["en"]["english"] == [0.01, 0.1] and out["en"]["typo"] is None, out
    assert out["en"]["sizes"] == [8, 8] and out["en"]["listed"] == "0.01, 0.1", out


@pytest.mark.parametrize(
    ("lang", "formula", "slider"),
    [
        ("nl", "z = 0,80·1,00 - 0,50·(-1,00) - 0,25 = 1,05", "0,80"),
        ("en", "z = 0.80·1.00 - 0.50·(-1.00) - 0.25 = 1.05", "0.80"),
    ],
)
def test_the_neuron_readout_has_no_plus_minus(browser, live_server, settings, neuron_page, lang, formula, slider):
    open_in(browser, live_server, settings, neuron_page, lang)
    neuron = browser.find_element(By.CSS_SELECTOR, 'div.lp-widget[data-widget="neuron"]')
    readout = neuron.find_element(By.CSS_SELECTOR, ".lp-widget__readout").get_attribute("textContent")
    assert readout.splitlines()[0] == formula, readout
    assert "+ -" not in readout and "- -" not in readout
    outputs = [o.text for o in neuron.find_elements(By.CSS_SELECTOR, "output")]
    assert outputs[:2] == ["1,00" if lang == "nl" else "1.00", slider], outputs
    # The screen-reader sentence uses the same numbers.
    z = "1,05" if lang == "nl" else "1.05"
    live = neuron.find_element(By.CSS_SELECTOR, "[aria-live]")
    WebDriverWait(browser, 5).until(lambda b: z in live.get_attribute("textContent"))
    assert json.loads(neuron.get_attribute("data-output")) == 1
