"""The language switch in a real browser: English by default, Nederlands after the switch, on every page;
and the scripts speak the page's language (the JavaScript catalogue at /jsi18n/<language>/)."""

from __future__ import annotations

import re

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import chromium
from tests.conftest import compile_result, compile_translations, compiled_object

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module", autouse=True)
def compiled_translations():
    compile_translations()


def page_language(browser) -> str:
    return browser.find_element(By.TAG_NAME, "html").get_attribute("lang")


def nav_text(browser) -> str:
    return browser.find_element(By.CSS_SELECTOR, "header.site-header nav").text


def switch_to(browser, code: str) -> None:
    Select(browser.find_element(By.ID, "lang-select")).select_by_value(code)
    old_page = browser.find_element(By.TAG_NAME, "html")
    browser.find_element(By.CSS_SELECTOR, "form.lang-switch button[type=submit]").click()
    # The form posts to /i18n/setlang/, which redirects back; while the old document goes away the
    # driver can report a transient inspector error, hence the ignored WebDriverException.
    wait = WebDriverWait(browser, 20, ignored_exceptions=(WebDriverException,))
    wait.until(EC.staleness_of(old_page))
    wait.until(lambda b: b.execute_script("return document.readyState") == "complete" and page_language(b) == code)


def test_switch_to_dutch_and_it_stays_dutch(browser, live_server, sample_site):
    browser.get(live_server.url + "/")
    assert page_language(browser) == "en"  # headless Chromium asks for en-US
    assert "Sign in" in nav_text(browser)
    assert Select(browser.find_element(By.ID, "lang-select")).first_selected_option.text == "English"

    switch_to(browser, "nl")
    assert browser.current_url.rstrip("/") == live_server.url  # back on the page it came from
    nav = nav_text(browser)
    assert "Leerpaden" in nav and "Zoeken" in nav and "Aanmelden" in nav and "Registreren" in nav
    assert "Sign in" not in nav
    assert browser.find_element(By.TAG_NAME, "h1").text == "Leerpaden"
    assert "1 leerpad" in browser.find_element(By.CSS_SELECTOR, "main p[role=status]").text
    assert Select(browser.find_element(By.ID, "lang-select")).first_selected_option.text == "Nederlands"
    assert browser.find_element(By.CSS_SELECTOR, "form.lang-switch button").text == "Wisselen"

    # Another page, loaded fresh: still Dutch (the choice is a cookie).
    browser.get(live_server.url + "/search/")
    assert page_language(browser) == "nl"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Lessen zoeken"
    browser.refresh()
    assert page_language(browser) == "nl" and "Aanmelden" in nav_text(browser)
    browser.get(live_server.url + "/accounts/sign-in/")
    assert page_language(browser) == "nl"
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "Gebruikersnaam" in main and "Verder" in main  # Django's own form labels are Dutch too

    # And back to English.
    switch_to(browser, "en")
    assert "Sign in" in nav_text(browser) and "Aanmelden" not in nav_text(browser)
    assert browser.current_url == live_server.url + "/accounts/sign-in/"


@pytest.fixture
def dutch_browser():
    """A Chromium whose preferred language is Dutch (Accept-Language: nl-BE,nl)."""
    with chromium(lang="nl-BE") as driver:
        yield driver


def test_dutch_browser_gets_dutch_by_default(dutch_browser, live_server, sample_site):
    dutch_browser.get(live_server.url + "/")
    assert page_language(dutch_browser) == "nl"
    assert "Aanmelden" in nav_text(dutch_browser)
    switch_to(dutch_browser, "en")
    dutch_browser.get(live_server.url + "/search/")
    assert page_language(dutch_browser) == "en"
    assert dutch_browser.find_element(By.TAG_NAME, "h1").text == "Search lessons"


# --- the scripts in Dutch -----------------------------------------------------------------------------

CELL_PAGE = (
    "<p>Voer de cel uit.</p>"
    '<div class="lp-cell" data-lp-cell="1" data-line="5"><pre><code class="language-python">'
    'print("hallo")\n6 * 7</code></pre></div>'
    '<div class="lp-widget" data-widget="neuron" data-params=\'{"inputs": [1, 1]}\' role="group"></div>'
)
# Before any script of the page: CSP violations, and every status text of the Python runtime.
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
window.__statuses = [];
document.addEventListener('lp:runtime', (e) => {
  const runtime = e.detail.runtime;
  window.__statuses.push(runtime.statusText);
  runtime.addEventListener('status', (event) => window.__statuses.push(event.detail.text));
});
"""
DUTCH_RUNTIME_STATUSES = {"Python wordt geladen…", "De engine wordt geladen…", "Python is klaar"}
DUTCH_CELL_STATUSES = {"Wachten tot Python geladen is…", "Wordt uitgevoerd…"}


def wait_js(browser, script: str, timeout: float = 30):
    return WebDriverWait(browser, timeout, poll_frequency=0.1).until(lambda b: b.execute_script(script))


@pytest.fixture
def dutch_lesson(settings, tmp_path):
    from learningpaths.paths.services import content_sync
    from learningpaths.runtime.bundle import build_engine_wheel

    build_engine_wheel()  # the page must get the engine as it is in this checkout
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    content_sync(result=compile_result([compiled_object("cel", language="nl", title="Een cel", html=CELL_PAGE)]))
    return "/objects/cel/nl/1/"


@pytest.mark.slow
def test_a_dutch_lesson_runs_its_cell_in_dutch(dutch_browser, live_server, dutch_lesson):
    browser = dutch_browser
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH})
    browser.get(live_server.url + dutch_lesson)
    assert page_language(browser) == "nl"
    wait_js(browser, "return window.lpRuntime && window.lpRuntime.cells.length === 1")
    assert browser.execute_script("return typeof gettext === 'function' && gettext('▶ Run')") == "▶ Uitvoeren"

    cell = browser.find_element(By.CSS_SELECTOR, "div.lp-cell")
    run = cell.find_element(By.CSS_SELECTOR, "button.lp-run")
    assert run.text == "▶ Uitvoeren"
    assert cell.find_element(By.CSS_SELECTOR, "button.lp-stop").text == "■ Stop"
    assert cell.find_element(By.CSS_SELECTOR, "textarea").get_attribute("aria-label") == "Pythoncode van cel 1"
    assert (
        cell.find_element(By.CSS_SELECTOR, ".lp-help")
        .get_attribute("textContent")
        .startswith("Ctrl+Enter of Shift+Enter voert de cel uit.")
    )
    # Every text the cell's status line shows, from the click on.
    browser.execute_script("""
      const status = document.querySelector('div.lp-cell .lp-cell__status');
      window.__cellStatuses = [];
      new MutationObserver(() => window.__cellStatuses.push(status.textContent))
        .observe(status, {childList: true, characterData: true, subtree: true});
    """)
    run.click()
    wait_js(browser, "const c = window.lpRuntime.cells[0]; return c.lastResult && !c.running;", 120)
    result = browser.execute_script("return window.lpRuntime.cells[0].lastResult")
    assert result["ok"], result.get("error")
    assert "hallo" in cell.find_element(By.CSS_SELECTOR, ".lp-cell__output").text

    statuses = browser.execute_script("return window.__cellStatuses")
    assert statuses and re.fullmatch(r"Klaar in \d+(,\d+)? s", statuses[-1]), statuses  # a decimal comma
    assert set(statuses[:-1]) <= DUTCH_CELL_STATUSES, statuses
    # The runtime's own messages: the worker sends codes, the page shows them in Dutch.
    runtime_statuses = browser.execute_script("return window.__statuses")
    assert "Python is klaar" in runtime_statuses and set(runtime_statuses) <= DUTCH_RUNTIME_STATUSES, runtime_statuses
    assert browser.execute_script("return window.lpRuntime.runtime.statusText") == "Python is klaar"

    # A widget on the same page (pure JavaScript) speaks Dutch too.
    neuron = browser.find_element(By.CSS_SELECTOR, "[data-widget=neuron]")
    wait_js(browser, "return document.querySelector('[data-widget=neuron]').dataset.ready === 'true'")
    assert neuron.find_element(By.CSS_SELECTOR, "h3").text == "Een neuron"
    assert "gewicht w1" in neuron.text and "bias b" in neuron.text

    assert browser.execute_script("return window.__csp") == []
    assert [e["message"] for e in browser.get_log("browser") if "Content Security Policy" in e["message"]] == []


def test_scripts_fall_back_to_english_without_the_catalogue(dutch_browser, live_server, dutch_lesson):
    """When /jsi18n/ cannot be loaded, the page still works, in English."""
    browser = dutch_browser
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/jsi18n/*"]})
    browser.get(live_server.url + dutch_lesson)
    assert page_language(browser) == "nl"
    wait_js(browser, "return window.lpRuntime && window.lpRuntime.cells.length === 1")
    assert browser.execute_script("return typeof window.gettext") == "undefined"
    assert browser.find_element(By.CSS_SELECTOR, "div.lp-cell button.lp-run").text == "▶ Run"
    wait_js(browser, "return document.querySelector('[data-widget=neuron]').dataset.ready === 'true'")
    assert browser.find_element(By.CSS_SELECTOR, "[data-widget=neuron] h3").text == "A neuron"
    errors = [
        e["message"]
        for e in browser.get_log("browser")
        if e["level"] == "SEVERE" and "jsi18n" not in e["message"] and "favicon" not in e["message"]
    ]
    assert errors == []
