"""Offline use in real headless Chromium: the service worker keeps lessons and the runtime working
once visited, and the player's button gets a whole path ready.

The network is cut by stopping the server itself (a server of the test's own, not the shared
``live_server``): every request then fails as on a dead Wi-Fi, the service worker's own included.
"""

from __future__ import annotations

import json
from html import escape
from urllib.parse import urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.conftest import compile_result, compiled_object, compiled_path

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TRAIN = """import engine
x, y = engine.data.make_moons(100, noise=0.1, seed=1)
model = engine.Sequential([engine.Dense(8, activation="tanh"), engine.Dense(2)], input_shape=(2,), seed=3)
model.compile(loss="softmax_crossentropy", optimizer="sgd", learning_rate=0.5)
history = model.fit(x, y, epochs=5, mode="batch")
len(history["loss"])"""
CELL = (
    '<p>Train offline.</p><div class="lp-cell" data-lp-cell="1" data-line="3"><pre><code class="language-python">'
    f"{escape(TRAIN, quote=False)}</code></pre></div>"
)


@pytest.fixture
def server(monkeypatch):
    """A live server this test may stop (``localhost``: service workers need a secure context).
    HTTP/1.0: no kept-alive connection outlives the stop (its thread would go on answering)."""
    from django.core.servers.basehttp import WSGIRequestHandler
    from pytest_django.live_server_helper import LiveServer

    monkeypatch.setattr(WSGIRequestHandler, "protocol_version", "HTTP/1.0")
    live = LiveServer("localhost")
    live._live_server_modified_settings.enable()
    stopped = []

    def stop():
        if not stopped:
            live.stop()
            stopped.append(True)

    live.cut_network = stop
    yield live
    stop()
    live._live_server_modified_settings.disable()


@pytest.fixture(autouse=True)
def fresh_engine_wheel():
    from learningpaths.runtime.bundle import build_engine_wheel

    build_engine_wheel()


def wait_js(browser, script: str, timeout: float = 60):
    return WebDriverWait(browser, timeout, poll_frequency=0.2).until(lambda b: b.execute_script(script))


def wait_stored(browser) -> None:
    """Until the worker controls the page and has stored what the page loaded."""
    browser.set_script_timeout(180)
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "window.lpOffline.stored.then((r) => done(r && {ok: r.ok, failed: r.failed}), (e) => done(String(e)));"
    )
    assert isinstance(result, dict), result
    assert result["ok"] > 0


def requested_hosts(browser) -> set[str]:
    hosts = set()
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if url.startswith(("http://", "https://", "ws://", "wss://")):
                hosts.add(urlparse(url).hostname)
    return hosts


def test_a_visited_lesson_loads_and_trains_offline(browser, server, settings, tmp_path):
    from learningpaths.paths.services import content_sync

    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    cells = compiled_object("cells", title="Cells", html=CELL)
    later = compiled_object("later", title="Later", html="<p>Never visited</p>")
    content_sync(result=compile_result([cells, later], [compiled_path("off", [cells, later])]))

    browser.get(server.url + "/paths/off/en/cells/")
    wait_stored(browser)
    server.cut_network()

    browser.get(server.url + "/paths/off/en/cells/")
    assert "Train offline." in browser.find_element(By.CSS_SELECTOR, "article").text
    assert browser.execute_script("return !!navigator.serviceWorker.controller")
    wait_js(browser, "return window.lpRuntime && window.lpRuntime.cells.length === 1", 60)
    browser.execute_script("window.lpRuntime.cells[0].run()")
    wait_js(browser, "const c = window.lpRuntime.cells[0]; return c.lastResult && !c.running;", 180)
    result = browser.execute_script("return window.lpRuntime.cells[0].lastResult")
    assert result["ok"], result.get("error")
    assert result["result"] == "5"  # trained five epochs with the cached Pyodide, NumPy and engine

    # A page that was never stored: the offline page, in the visitor's language.
    browser.get(server.url + "/paths/off/en/later/")
    assert browser.find_element(By.CSS_SELECTOR, "h1").text == "You are offline"
    assert requested_hosts(browser) <= {"localhost"}


def test_the_button_gets_every_step_of_a_path_ready_offline(browser, server, settings, tmp_path):
    from learningpaths.paths.services import content_sync

    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    steps = [compiled_object(f"step{i}", title=f"Step {i}", html=f"<p>Text of step {i}</p>") for i in range(1, 4)]
    content_sync(result=compile_result(steps, [compiled_path("small", steps)]))

    browser.get(server.url + "/paths/small/en/step1/")
    wait_stored(browser)
    box = browser.find_element(By.CSS_SELECTOR, ".offline-ready")
    button = box.find_element(By.TAG_NAME, "button")
    assert button.text == "Get this path ready for offline use"
    button.send_keys(" ")  # keyboard: the button is reachable and works with the space bar
    WebDriverWait(browser, 60).until(
        lambda b: "Ready offline ✓" in box.find_element(By.CSS_SELECTOR, "[role=status]").text
    )
    assert box.find_element(By.TAG_NAME, "progress").get_attribute("hidden") is not None
    server.cut_network()

    for i in (3, 2):  # never opened: stored by the button
        browser.get(server.url + f"/paths/small/en/step{i}/")
        assert f"Text of step {i}" in browser.find_element(By.CSS_SELECTOR, "article").text
    # The player's in-page step fetch (the lp:navigated contract) is answered like a navigation.
    browser.set_script_timeout(20)
    partial = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch('/paths/small/en/step2/', {headers: {'X-LP-Partial': '1'}})"
        ".then(async (r) => done([r.status, await r.text()]), (e) => done([0, String(e)]));"
    )
    assert partial[0] == 200 and "Text of step 2" in partial[1]
    # The stored state is remembered: the button says so at the next (offline) visit.
    browser.get(server.url + "/paths/small/en/")
    status = browser.find_element(By.CSS_SELECTOR, ".offline-ready [role=status]")
    WebDriverWait(browser, 20).until(lambda b: "Ready offline ✓" in status.text)
    browser.save_screenshot("/tmp/v17-offline-ready.png")
    assert requested_hosts(browser) <= {"localhost"}


def cache_names(browser) -> list[str]:
    browser.set_script_timeout(20)
    return browser.execute_async_script(
        "const done = arguments[arguments.length - 1]; caches.keys().then(done, () => done(null));"
    )


def cached_urls(browser, name: str) -> list[str]:
    browser.set_script_timeout(20)
    return browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "caches.open(arguments[0]).then((c) => c.keys()).then((ks) => done(ks.map((r) => r.url)), () => done(null));",
        name,
    )


def test_a_new_build_replaces_the_worker_and_signing_out_forgets_the_pages(browser, server, settings, tmp_path):
    from django.contrib.auth import get_user_model

    from learningpaths.paths.services import content_sync
    from tests.browser.conftest import sign_in

    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    one = compiled_object("one", title="One", html="<p>First build</p>")
    content_sync(result=compile_result([one], [compiled_path("upd", [one])]))
    get_user_model().objects.create_user("pupil", password="pw-pupil-123", role="student")

    browser.get(server.url + "/paths/upd/en/one/")
    wait_stored(browser)
    old = cache_names(browser)
    old_pages = next(n for n in old if n.startswith("lp-pages-"))
    assert server.url + "/paths/upd/en/one/" in cached_urls(browser, old_pages)

    # A new content build: the next visit checks /sw.js (no-cache), installs the new worker, whose
    # activate removes the old page cache; the runtime files' cache stays (same static build).
    two = compiled_object("one", title="One", html="<p>Second build</p>", version=2)
    content_sync(result=compile_result([two], [compiled_path("upd", [two])]))
    browser.get(server.url + "/paths/upd/en/one/")
    assert "Second build" in browser.find_element(By.CSS_SELECTOR, "article").text
    WebDriverWait(browser, 30, poll_frequency=0.3).until(lambda b: old_pages not in cache_names(b))
    new = cache_names(browser)
    assert any(n.startswith("lp-pages-") for n in new)
    assert [n for n in new if n.startswith("lp-files-")] == [n for n in old if n.startswith("lp-files-")]

    # Signing in and out empties the page cache: on a shared computer, the next pupil offline
    # never sees the previous one's pages (their name is in them).
    sign_in(browser, server, "pupil", "pw-pupil-123")
    browser.get(server.url + "/paths/upd/en/one/")
    wait_stored(browser)
    pages = next(n for n in cache_names(browser) if n.startswith("lp-pages-"))
    assert server.url + "/paths/upd/en/one/" in cached_urls(browser, pages)
    browser.find_element(
        By.CSS_SELECTOR, "form[action='/accounts/sign-out/'] button, .site-header form button.linklike"
    ).click()
    WebDriverWait(browser, 20).until(lambda b: not b.find_elements(By.CSS_SELECTOR, ".who"))
    WebDriverWait(browser, 20, poll_frequency=0.3).until(
        lambda b: server.url + "/paths/upd/en/one/" not in (cached_urls(b, pages) or [])
    )
