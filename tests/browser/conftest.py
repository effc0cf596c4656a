"""Real headless Chromium (Debian's chromium + chromedriver) driven by Selenium.

Tests use ``browser`` (a WebDriver) with pytest-django's ``live_server``. Mark them
``@pytest.mark.browser``. When chromium is not installed the tests fail (``make test`` installs it);
set ``LP_SKIP_BROWSER=1`` to skip them deliberately on a machine without it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def chrome_options(user_data_dir: str):
    from selenium.webdriver.chrome.options import Options

    options = Options()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        f"--user-data-dir={user_data_dir}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return options


@contextlib.contextmanager
def chromium(*, lang: str | None = None):
    """A headless Chromium with a throwaway profile; ``lang`` (e.g. ``nl-BE``) sets the UI language
    and Accept-Language (the language itself, then its primary subtag)."""
    if os.environ.get("LP_SKIP_BROWSER"):
        pytest.skip("LP_SKIP_BROWSER is set")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="lp-chromium-")
    options = chrome_options(profile)
    if lang:
        options.add_argument(f"--lang={lang}")
        options.add_experimental_option("prefs", {"intl.accept_languages": f"{lang},{lang.split('-')[0]}"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def browser():
    with chromium() as driver:
        yield driver


def sign_in(browser, live_server, username: str, password: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    for attempt in (1, 2):
        browser.get(live_server.url + "/accounts/sign-in/")
        browser.find_element(By.NAME, "username").send_keys(username)
        browser.find_element(By.NAME, "password").send_keys(password)
        browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        # Wait until the sign-in has landed, so the next navigation does not cancel the POST.
        WebDriverWait(browser, 20).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".who") or "CSRF" in b.page_source)
        if browser.find_elements(By.CSS_SELECTOR, ".who"):
            return
        # A test that deleted the cookies can have a request of the page before still in flight, whose
        # answer sets a new CSRF cookie after the form was served (a 403): a person never does that,
        # so sign in once more rather than fail on the test's own race.
        assert attempt == 1, "signing in failed twice on the CSRF check"
