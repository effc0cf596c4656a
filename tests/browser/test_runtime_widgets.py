"""Widgets in a real browser, driven by the keyboard where a student would use it.

Two pages: one with the pure-JavaScript widgets, math and code (Python must not boot there), and
one with the widgets that train with the engine in the page's worker (one Pyodide boot).
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from learningpaths.compiler.widget_specs import WIDGETS
from tests.conftest import compile_result, compiled_object

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def widget(name: str, params: dict | None = None, label: str = "") -> str:
    return (
        f'<div class="lp-widget" data-widget="{name}" data-params=\'{json.dumps(params or {})}\' '
        f'role="group" aria-label="{label or name}"></div>'
    )


JS_PAGE = (
    '<p>Inline math \\(w \\cdot x + b\\) and</p><div class="math display">\\sigma(z) = \\frac{1}{1+e^{-z}}</div>'
    '<pre><code class="language-python">def f(x):\n    return x + 1\n</code></pre>'
    + widget("neuron", {"inputs": [1, 1], "weights": [0.8, -0.5], "bias": 0, "activation": "step"}, "A neuron")
    + widget("activation", {"functions": ["relu", "sigmoid"]})
    + widget("convolution", {"size": 10, "kernel": "vertical-edge", "image": "empty"})
    + widget("confusion-matrix")
    + widget("digit")
    + widget("compare-models")
    + widget("glyph")
    + widget("nueron")
    # "linear" is the registry's other name for the identity: shown as it, not as the menu's first entry
    + widget("neuron", {"inputs": [1, 1], "weights": [1, 1], "bias": 0.5, "activation": "linear"}, "Linear")
    + widget("activation", {"functions": ["linear"]}, "Only linear")
)
PY_PAGE = (
    widget("playground", {"dataset": "xor", "layers": [6], "learning_rate": 0.3})
    + widget("learning-rate", {"rates": [0.01, 1.0], "epochs": 10})
    + widget("batch-modes", {"epochs": 5, "n": 100})
)
# Every widget that needs no Python, placed with no parameters: it shows the registry's defaults.
JS_DEFAULTS = [name for name, w in WIDGETS.items() if not w.python]
DEFAULTS_PAGE = "".join(widget(name) for name in JS_DEFAULTS)


@pytest.fixture
def site(settings, tmp_path):
    from learningpaths.paths.services import content_sync
    from learningpaths.runtime.bundle import build_engine_wheel

    build_engine_wheel()
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    settings.DEMO_MODELS_DIR = tmp_path / "no-models"  # the server demos are "not available"
    content_sync(
        result=compile_result(
            [
                compiled_object("js-widgets", html=JS_PAGE),
                compiled_object("py-widgets", html=PY_PAGE),
                compiled_object("js-defaults", html=DEFAULTS_PAGE),
            ]
        )
    )


def wait_js(browser, script: str, timeout: float = 30):
    return WebDriverWait(browser, timeout, poll_frequency=0.1).until(lambda b: b.execute_script(script))


def node(browser, name: str):
    return browser.find_element(By.CSS_SELECTOR, f'div.lp-widget[data-widget="{name}"]')


def test_javascript_widgets_math_and_code(browser, live_server, site):
    browser.get(live_server.url + "/objects/js-widgets/en/1/")
    wait_js(browser, "return window.lpRuntime && document.querySelectorAll('.lp-widget[data-ready]').length === 9")

    # A neuron: keyboard on the bias slider changes the output live (step: 1 -> 0).
    neuron = node(browser, "neuron")
    assert neuron.get_attribute("data-output") == "1"
    bias = neuron.find_elements(By.CSS_SELECTOR, "input[type=range]")[-1]
    assert browser.find_element(By.CSS_SELECTOR, f'label[for="{bias.get_attribute("id")}"]').text == "bias b"
    bias.send_keys(*[Keys.ARROW_LEFT] * 5)
    assert neuron.get_attribute("data-output") == "0"
    assert "y = step(-0.2) = 0" in neuron.find_element(By.CSS_SELECTOR, ".lp-widget__readout").text

    # Activation functions: switching one on updates the value table.
    activation = node(browser, "activation")
    tanh = activation.find_element(By.CSS_SELECTOR, "input[value=tanh]")
    tanh.send_keys(Keys.SPACE)
    assert "tanh" in activation.find_element(By.CSS_SELECTOR, "table").text

    linear = browser.find_element(By.CSS_SELECTOR, '[data-widget=neuron][aria-label="Linear"]')
    assert linear.get_attribute("data-output") == "2.5"  # 1 + 1 + 0.5, not step's 1
    assert Select(linear.find_element(By.TAG_NAME, "select")).first_selected_option.get_attribute("value") == "identity"
    only = browser.find_element(By.CSS_SELECTOR, '[data-widget=activation][aria-label="Only linear"]')
    assert only.find_element(By.CSS_SELECTOR, "input[value=identity]").is_selected()

    # Convolution: draw with the keyboard; the feature map follows.
    conv = node(browser, "convolution")
    grid = conv.find_element(By.CSS_SELECTOR, "canvas[tabindex='0']")
    before = json.loads(conv.get_attribute("data-feature-map"))
    assert all(v == 0 for row in before for v in row)
    grid.send_keys(Keys.SPACE, Keys.ARROW_DOWN, Keys.SPACE, Keys.ARROW_DOWN, Keys.SPACE)
    after = json.loads(conv.get_attribute("data-feature-map"))
    assert len(after) == 8 and any(v > 0 for row in after for v in row)
    assert "is on" in conv.find_element(By.CSS_SELECTOR, "[role=status]").text

    # Confusion matrix: moving the threshold moves counts between the cells.
    confusion = node(browser, "confusion-matrix")
    m0 = json.loads(confusion.get_attribute("data-matrix"))
    confusion.find_element(By.CSS_SELECTOR, "input[type=range]").send_keys(*[Keys.ARROW_RIGHT] * 20)
    m1 = json.loads(confusion.get_attribute("data-matrix"))
    assert m0 != m1 and sum(map(sum, m0)) == sum(map(sum, m1)) == 60
    assert "accuracy" in confusion.text

    # Server demos: no models on this server -> a clear "not available" state.
    wait_js(
        browser,
        "return [...document.querySelectorAll('[data-widget=digit],[data-widget=compare-models],[data-widget=glyph]')]"
        ".every((n) => n.dataset.state === 'unavailable')",
    )
    assert "The server demo is not available." in node(browser, "digit").text
    assert "The server demo is not available." in node(browser, "glyph").text
    assert 'Unknown widget "nueron"' in node(browser, "nueron").text and "neuron" in node(browser, "nueron").text

    # Math and highlighting are served by the site; no Python on this page.
    wait_js(browser, "return document.querySelector('article').dataset.lpMath === 'rendered'")
    assert len(browser.find_elements(By.CSS_SELECTOR, ".katex")) >= 2
    wait_js(browser, "return !!document.querySelector('code.hljs')")
    assert browser.execute_script("return window.lpRuntime.runtime.worker === null && !window.lpBoot")
    loaded = browser.execute_script("return performance.getEntriesByType('resource').map((e) => e.name)")
    assert not [u for u in loaded if "pyodide" in u] and all(u.startswith(live_server.url) for u in loaded)
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "favicon" not in e["message"]]
    assert severe == []


def test_widgets_without_parameters_show_the_registry_defaults(browser, live_server, site):
    # The defaults come from the runtime config (widget_specs.py) through widgets/index.js alone.
    browser.get(live_server.url + "/objects/js-defaults/en/1/")
    wait_js(browser, f"return document.querySelectorAll('.lp-widget[data-ready]').length === {len(JS_DEFAULTS)}")
    d = {name: WIDGETS[name].defaults for name in JS_DEFAULTS}
    assert dict(browser.execute_script("return window.lpRuntime.widgets.map((w) => [w.name, w.params])")) == d

    def values(name: str, selector: str, attribute: str = "value") -> list[str]:
        return [e.get_attribute(attribute) for e in node(browser, name).find_elements(By.CSS_SELECTOR, selector)]

    neuron = d["neuron"]
    sliders = node(browser, "neuron").find_elements(By.CSS_SELECTOR, "input[type=range]")
    assert len(sliders) == 2 * neuron["n"] + 1  # an input and a weight per input, and the bias
    assert float(sliders[0].get_attribute("min")) == -neuron["range"]
    assert float(sliders[-1].get_attribute("value")) == neuron["bias"]
    assert values("neuron", "select") == [neuron["activation"]]

    activation = d["activation"]
    assert sorted(values("activation", "input[type=checkbox][value]:checked")) == sorted(activation["functions"])
    assert len(values("activation", "input[type=checkbox]:not([value]):checked")) == int(activation["derivative"])
    assert values("activation", "input[type=range]", "min") == [str(-activation["range"])]

    conv = d["convolution"]
    feature_map = json.loads(node(browser, "convolution").get_attribute("data-feature-map"))
    assert len(feature_map) == conv["size"] - 2 and any(v for row in feature_map for v in row)  # the cross
    assert values("convolution", "select") == [conv["kernel"], conv["pooling"]]
    assert len(values("convolution", "input[type=checkbox]:checked")) == int(conv["relu"])

    assert values("confusion-matrix", "input[type=range]") == [str(d["confusion-matrix"]["threshold"])]
    assert values("attention", "input[type=text]") == [d["attention"]["sentence"]]

    # No models on this server: each server widget names the model it asked for.
    wait_js(
        browser, "return [...document.querySelectorAll('[data-state]')].every((n) => n.dataset.state === 'unavailable')"
    )
    for name in ("digit", "glyph", "glyph-explorer", "word-inventor"):
        assert f"no model {d[name]['model']} on the server" in node(browser, name).text
    assert f"no model {', '.join(d['compare-models']['models'])} on the server" in node(browser, "compare-models").text
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "favicon" not in e["message"]]
    assert severe == []


def test_widgets_that_train_in_the_worker(browser, live_server, site):
    browser.get(live_server.url + "/objects/py-widgets/en/1/")
    wait_js(browser, "return window.lpRuntime && document.querySelectorAll('.lp-widget[data-ready]').length === 3")

    # Playground: the data set appears once Python is up; Train streams epochs; Pause stops.
    playground = node(browser, "playground")
    wait_js(browser, "const s = window.lpRuntime.widgets[0].instance.state; return !!(s.data && s.grid)", 120)
    # The learning rate is given by its Keras name, and the menu shows it.
    assert browser.execute_script("return window.lpRuntime.widgets[0].instance.config.learning_rate") == 0.3
    assert "0.3" in [o.text for o in playground.find_elements(By.CSS_SELECTOR, "option:checked")]
    train = playground.find_element(By.XPATH, ".//button[contains(., 'Train')]")
    train.send_keys(Keys.ENTER)
    assert train.get_attribute("aria-pressed") == "true"
    wait_js(browser, "return Number(document.querySelector('[data-widget=playground]').dataset.epoch || 0) >= 20", 60)
    train.send_keys(Keys.ENTER)  # now "Pause"
    wait_js(
        browser,
        "return document.querySelector('[data-widget=playground]').dataset.running === 'false'"
        " && !window.lpRuntime.widgets[0].instance.state.job",
        20,
    )
    # The network diagram: 2 inputs, a hidden layer of 6, 2 outputs: 2x6 + 6x2 lines, drawn with the weights.
    diagram = playground.find_element(By.CSS_SELECTOR, "canvas.lp-network")
    assert diagram.get_attribute("data-edges") == "24" and diagram.get_attribute("data-weighted") == "true"
    assert "hidden layers 6" in diagram.get_attribute("aria-label")
    history = browser.execute_script("return window.lpRuntime.widgets[0].instance.state.history.map(p => p.loss)")
    assert history[-1] < history[0]
    paused_at = int(playground.get_attribute("data-epoch"))
    # Step trains exactly one more epoch of the same model.
    playground.find_element(By.XPATH, ".//button[contains(., 'Step')]").click()
    wait_js(
        browser,
        f"return Number(document.querySelector('[data-widget=playground]').dataset.epoch) === {paused_at + 1}",
        20,
    )
    # A new setting starts again with new weights.
    select = playground.find_element(By.CSS_SELECTOR, "select")
    select.send_keys(Keys.ARROW_DOWN)  # xor -> spirals
    wait_js(
        browser,
        "const s = window.lpRuntime.widgets[0].instance; return s.config.dataset === 'spirals' && !s.state.job"
        " && s.state.data && s.state.history.length === 0",
        30,
    )

    # A value that cannot be used is marked at its field, with its message there, and trains nothing.
    layers = playground.find_element(By.XPATH, ".//label[contains(., 'hidden layers')]/following-sibling::input")
    layers.clear()
    layers.send_keys("8, abc", Keys.TAB)
    assert layers.get_attribute("aria-invalid") == "true"
    error = playground.find_element(By.CSS_SELECTOR, ".lp-field__error")
    assert "up to 6 numbers" in error.text and error.get_attribute("id") in layers.get_attribute("aria-describedby")
    assert not train.is_enabled() and browser.execute_script("return !window.lpRuntime.widgets[0].instance.state.job")
    layers.clear()
    layers.send_keys("4", Keys.TAB)
    wait_js(browser, "return window.lpRuntime.widgets[0].instance.config.layers.join() === '4'", 10)
    assert layers.get_attribute("aria-invalid") == "false" and train.is_enabled() and error.text == ""

    # Learning rates and batch modes: one curve per run, side by side.
    rates = node(browser, "learning-rate")
    field = rates.find_element(By.CSS_SELECTOR, "input[type=text]")
    assert field.get_attribute("value") == "0.01, 1"
    field.clear()
    field.send_keys("0.01, 1x", Keys.TAB)
    assert field.get_attribute("aria-invalid") == "true"
    assert not rates.find_element(By.XPATH, ".//button[contains(., 'Run')]").is_enabled()
    field.clear()
    field.send_keys("0.01, 1", Keys.TAB)
    assert field.get_attribute("aria-invalid") == "false"
    rates.find_element(By.XPATH, ".//button[contains(., 'Run')]").click()
    wait_js(
        browser,
        "return document.querySelector('[data-widget=learning-rate]').dataset.running === 'false'"
        " && document.querySelector('[data-widget=learning-rate]').dataset.points === '20'",
        60,
    )
    assert "learning rate 1" in rates.find_element(By.CSS_SELECTOR, "table").text
    # The legend has a band of its own: no entry overlaps the plot area where the curves are drawn.
    chart = rates.find_element(By.CSS_SELECTOR, "canvas[data-legend]")
    left, top, width, height = json.loads(chart.get_attribute("data-plot-area"))
    legend = json.loads(chart.get_attribute("data-legend"))
    assert len(legend) == 2, legend
    for x, y, w, h in legend:
        assert y + h <= top or y >= top + height or x + w <= left or x >= left + width, (legend, left, top)
    modes = node(browser, "batch-modes")
    modes.find_element(By.XPATH, ".//button[contains(., 'Run')]").click()
    wait_js(
        browser,
        "return document.querySelector('[data-widget=batch-modes]').dataset.points === '15'"
        " && document.querySelector('[data-widget=batch-modes]').dataset.running === 'false'",
        60,
    )
    table = modes.find_element(By.CSS_SELECTOR, "table").text
    assert "stochastic" in table and "500" in table  # 100 points x 5 epochs = 500 updates
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "favicon" not in e["message"]]
    assert severe == []


@pytest.fixture
def demo_site(settings, tmp_path):
    """A page with the two server-demo widgets, and both demo models trained for real."""
    import io

    from django.core.management import call_command

    from learningpaths.demos import inference
    from learningpaths.paths.services import content_sync

    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    settings.DEMO_MODELS_DIR = tmp_path / "models"
    settings.DEMO_RATE_LIMIT = 1000
    inference.reset_runners()
    call_command("trainmodels", "digits-cnn", "digits-mlp", stdout=io.StringIO())  # not the word transformer (minutes)
    content_sync(
        result=compile_result(
            [
                compiled_object(
                    "server-widgets", html=widget("digit", {}, "Recognise") + widget("compare-models", {}, "Compare")
                )
            ]
        )
    )
    yield
    inference.reset_runners()


def draw_a_stroke(pad):
    """A vertical stroke with the keyboard (arrows move the cursor, Shift+arrow draws), then Enter."""
    pad.send_keys(*[Keys.ARROW_UP] * 10, Keys.SPACE)
    pad.send_keys(Keys.SHIFT, *[Keys.ARROW_DOWN] * 20)
    pad.send_keys(Keys.ENTER)


def test_server_demo_widgets_with_the_real_models(browser, live_server, demo_site):
    from learningpaths.demos.encoding import decode_maps, encode_maps

    browser.get(live_server.url + "/objects/server-widgets/en/1/")
    wait_js(
        browser,
        "return [...document.querySelectorAll('[data-widget=digit],[data-widget=compare-models]')]"
        ".every((n) => n.dataset.state === 'ready')",
    )

    # Draw a digit: the server CNN's probabilities and its eight feature maps, as pictures.
    digit = node(browser, "digit")
    draw_a_stroke(digit.find_element(By.CSS_SELECTOR, "canvas[tabindex='0']"))
    wait_js(browser, "return document.querySelector('[data-widget=digit]').dataset.prediction")
    prediction = digit.get_attribute("data-prediction")
    assert prediction in "0123456789"
    assert f"prediction: {prediction}" in digit.text
    percents = [int(v.text.rstrip("%")) for v in digit.find_elements(By.CSS_SELECTOR, ".lp-bars__value")]
    assert len(percents) == 10 and 95 <= sum(percents) <= 105
    contrast = browser.execute_script("""
      return [...document.querySelectorAll('[data-widget=digit] .lp-image-grid canvas')].map((c) => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let lo = 255, hi = 0;
        for (let i = 0; i < d.length; i += 4) { lo = Math.min(lo, d[i]); hi = Math.max(hi, d[i]); }
        return hi - lo;
      });""")
    assert len(contrast) == 8 and sum(c > 100 for c in contrast) >= 4  # maps of a stroke are not blank

    # The widget decodes the compact maps exactly as the Python side does.
    maps = np.random.default_rng(0).normal(size=(2, 3, 4, 5)).astype(np.float32)
    payload = encode_maps(maps)
    decoded = browser.execute_async_script(
        """
      const [payload, done] = arguments;
      const url = performance.getEntriesByType('resource').map((e) => e.name).find((u) => u.includes('widgets/server'));
      import(url).then((m) => done(m.decodeMaps(payload, 1)), (e) => done(String(e)));""",
        payload,
    )
    np.testing.assert_allclose(decoded, decode_maps(payload)[1], atol=1e-5)

    # Compare: the same drawing to the MLP and the CNN, answers side by side, no feature maps.
    compare = node(browser, "compare-models")
    draw_a_stroke(compare.find_element(By.CSS_SELECTOR, "canvas[tabindex='0']"))
    wait_js(browser, "return document.querySelector('[data-widget=compare-models]').dataset.prediction")
    answers = compare.find_elements(By.CSS_SELECTOR, "section.lp-model")
    assert len(answers) == 2 and all("prediction:" in a.text for a in answers)
    assert not compare.find_elements(By.CSS_SELECTOR, ".lp-image-grid")
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "favicon" not in e["message"]]
    assert severe == []
