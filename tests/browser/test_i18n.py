"""The language switch in a real browser: English by default, Nederlands after the switch, on every page."""
from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import CHROMEDRIVER, chrome_options

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", autouse=True)
def compiled_translations():
    """Compile the .po files (scripts/compile_messages.py) and drop catalogues loaded before."""
    from django.test.signals import language_changed

    spec = importlib.util.spec_from_file_location("compile_messages", ROOT / "scripts" / "compile_messages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main() == 0
    language_changed(setting="LOCALE_PATHS")


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
    if os.environ.get("LP_SKIP_BROWSER"):
        pytest.skip("LP_SKIP_BROWSER is set")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="lp-chromium-nl-")
    options = chrome_options(profile)
    options.add_argument("--lang=nl-BE")
    options.add_experimental_option("prefs", {"intl.accept_languages": "nl-BE,nl"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def test_dutch_browser_gets_dutch_by_default(dutch_browser, live_server, sample_site):
    dutch_browser.get(live_server.url + "/")
    assert page_language(dutch_browser) == "nl"
    assert "Aanmelden" in nav_text(dutch_browser)
    switch_to(dutch_browser, "en")
    dutch_browser.get(live_server.url + "/search/")
    assert page_language(dutch_browser) == "en"
    assert dutch_browser.find_element(By.TAG_NAME, "h1").text == "Search lessons"
