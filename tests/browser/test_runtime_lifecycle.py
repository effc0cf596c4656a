"""Leaving a step while it runs (issue 17): the step's own job stops and the worker lives on.

A path of two steps moved through in place by the player (static/site/navigate.js): a playground
that trains, then a cell. PyRuntime.leave (static/js/runtime/client.js) asks the playground's task
to stop; it stops at its next chunk, so the next step's cell runs on the same worker
(``lpRuntime.boots`` stays 1). The cell that never ends is in test_navigation.py: it is ended by a
new worker after the grace.
"""

from __future__ import annotations

import json

import pytest
from selenium.webdriver.common.by import By

from learningpaths.paths.services import content_sync
from tests.browser.test_navigation import PROBE, cell, run_first_cell, wait_js
from tests.conftest import compile_result, compiled_object, compiled_path

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PLAYGROUND = (
    '<div class="lp-widget" data-widget="playground" role="group" aria-label="playground" data-params=\''
    + json.dumps({"dataset": "moons", "layers": [8], "learning_rate": 0.1, "epochs": 1000000})
    + "'></div>"
)


@pytest.fixture
def play_path(settings, tmp_path):
    from learningpaths.runtime.bundle import build_engine_wheel

    build_engine_wheel()
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    train = compiled_object("play", title="Play", html="<h2>Train a network</h2>" + PLAYGROUND)
    probe = compiled_object("probe", title="Probe", html="<h2>Probe</h2>" + cell(1, PROBE))
    content_sync(result=compile_result([train, probe], [compiled_path("play", [train, probe], title="Play")]))


def on(browser, step: str) -> None:
    wait_js(
        browser,
        f"const a = document.querySelector('article.learning-object');"
        f"return location.pathname.endsWith('/play/en/{step}/') && a && a.dataset.lpObject === '{step}/en/1'"
        f" && window.lpRuntime && window.lpRuntime.root === a;",
        30,
    )


def playground_ready(browser) -> None:
    """The step's playground is mounted and has drawn its data (its first, empty job is done)."""
    wait_js(
        browser,
        "const w = window.lpRuntime.widgets[0]; const i = w && w.instance;"
        "return i && i.state.data && !i.state.job && window.lpRuntime.runtime.state === 'ready';",
        120,
    )


def go(browser, rel: str) -> None:
    browser.find_element(By.CSS_SELECTOR, f'.pager a[rel="{rel}"]').click()


def test_leaving_a_training_playground_stops_it_and_keeps_the_worker(browser, live_server, play_path):
    browser.get(live_server.url + "/paths/play/en/play/")
    on(browser, "play")
    playground_ready(browser)
    browser.execute_script(
        "window.__visit = 1; window.__worker = window.lpRuntime.runtime.worker;"
        "window.__node = document.querySelector('[data-widget=playground]');"
        "window.lpRuntime.widgets[0].instance.train();"
    )
    wait_js(
        browser, "return window.__node.dataset.running === 'true' && Number(window.__node.dataset.epoch || 0) > 5", 60
    )
    # The job that trains now: its result tells how it ended (stopped softly, or by a new worker).
    browser.execute_script(
        "window.lpRuntime.widgets[0].instance.state.job.done.then((r) => { window.__ended = r; });"
        "window.__left = performance.now();"
    )
    go(browser, "next")
    on(browser, "probe")
    ended = wait_js(browser, "return window.__ended", 30)
    assert ended["ok"] and ended["stopped"], ended  # its task saw the stop: not ended by terminate
    epoch = browser.execute_script("return Number(window.__node.dataset.epoch)")
    probe = run_first_cell(browser)
    assert probe["result"]["ok"], probe["result"].get("error")
    assert probe["output"].startswith("fresh True"), probe["output"]
    assert probe["boots"] == 1 and probe["same"] and probe["visit"]  # the same warm worker
    assert browser.execute_script("return Number(window.__node.dataset.epoch)") == epoch  # no more training


def test_runtime_listeners_do_not_pile_up_over_navigations(browser, live_server, play_path):
    browser.get(live_server.url + "/paths/play/en/play/")
    on(browser, "play")
    playground_ready(browser)
    # Count what the widgets and cells add to the runtime from now on, and which are still live.
    browser.execute_script(
        "window.__visit = 1; window.__added = []; const rt = window.lpRuntime.runtime;"
        "const add = rt.addEventListener.bind(rt);"
        "rt.addEventListener = (type, fn, options) => {"
        "  window.__added.push({type, signal: options && options.signal}); return add(type, fn, options); };"
    )
    for _ in range(3):
        go(browser, "next")
        on(browser, "probe")
        go(browser, "prev")
        on(browser, "play")
        playground_ready(browser)
    live = browser.execute_script(
        "const live = {}; for (const l of window.__added) {"
        "  if (!(l.signal && l.signal.aborted)) live[l.type] = (live[l.type] || 0) + 1; }"
        "return {live, added: window.__added.length, visit: window.__visit, boots: window.lpRuntime.boots};"
    )
    assert live["added"] >= 3  # the playground was mounted three more times
    assert live["live"].get("restart", 0) == 1, live  # only the playground shown now listens
    assert live["visit"] == 1 and live["boots"] == 1
