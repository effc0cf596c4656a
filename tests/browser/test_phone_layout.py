"""The phone layout (issue 20) in real headless Chromium at 390x844: a compact header whose menu
folds behind a button, and a path player whose list of steps folds behind a button so that the
lesson comes first. Both open with a click and with the keyboard; nothing scrolls sideways. On a
desktop nothing folds."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from learningpaths.paths.services import content_sync
from tests.browser.conftest import sign_in
from tests.conftest import compile_result, compiled_object, compiled_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = (390, 844)
STEP = "/paths/long/en/"


@pytest.fixture
def long_path(settings, tmp_path):
    """A path of twelve steps with long titles: its list of steps alone is taller than a phone screen."""
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    objects = [
        compiled_object(
            f"step{i}",
            title=f"Step {i}: a rather long title that wraps onto two lines on a phone",
            html=f"<h2>Lesson heading {i}</h2><p>The lesson text of step {i}.</p>",
        )
        for i in range(12)
    ]
    content_sync(result=compile_result(objects, [compiled_path("long", objects, title="A long path")]))


def measure(browser) -> dict:
    return browser.execute_script(
        """const h = document.querySelector('article.learning-object h2').getBoundingClientRect();
        const steps = document.querySelector('.path-nav ol').getBoundingClientRect();
        return {heading: h.bottom + scrollY, screen: innerHeight, overflow: document.documentElement.scrollWidth - innerWidth,
                header: document.querySelector('.site-header').getBoundingClientRect().height,
                steps: steps.height, links: document.querySelectorAll('.path-nav ol a').length};"""
    )


def toggle(browser, selector: str):
    button = browser.find_element(By.CSS_SELECTOR, selector)
    assert button.is_displayed(), selector
    return button


def test_the_lesson_comes_first_on_a_phone(browser, live_server, long_path):
    browser.set_window_size(*PHONE)
    browser.get(live_server.url + STEP)
    WebDriverWait(browser, 10).until(lambda b: b.find_element(By.CSS_SELECTOR, ".steps-toggle").is_displayed())
    m = measure(browser)
    assert m["heading"] <= m["screen"], m  # the lesson's first heading is in the first screen
    assert m["steps"] == 0 and m["overflow"] <= 0, m
    assert m["header"] < 80, m  # compact: the brand and the menu button on one line
    button = toggle(browser, ".steps-toggle")
    assert button.get_attribute("aria-expanded") == "false" and button.get_attribute("aria-controls") == "path-steps"
    assert "Steps (12)" in button.text

    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    links = browser.find_elements(By.CSS_SELECTOR, ".path-nav ol a")
    assert len(links) == 12 and all(a.is_displayed() for a in links)
    opened = measure(browser)
    assert opened["overflow"] <= 0 and opened["heading"] > opened["screen"], (
        opened
    )  # unfolded, the lesson is pushed away
    # Escape inside the list folds it and gives the keyboard back to the button.
    links[3].send_keys(Keys.ESCAPE)
    assert button.get_attribute("aria-expanded") == "false" and not links[3].is_displayed()
    assert browser.switch_to.active_element == button

    # The keyboard: the button takes the focus and opens with Enter and with Space.
    button.send_keys(Keys.ENTER)
    assert button.get_attribute("aria-expanded") == "true" and links[0].is_displayed()
    button.send_keys(Keys.SPACE)
    assert button.get_attribute("aria-expanded") == "false" and not links[0].is_displayed()
    # A step chosen from the list is swapped in (navigate.js); its list comes folded, the lesson first.
    button.click()
    browser.find_elements(By.CSS_SELECTOR, ".path-nav ol a")[5].click()
    WebDriverWait(browser, 10).until(
        lambda b: b.execute_script("return document.querySelector('article h2').textContent") == "Lesson heading 5"
    )
    again = toggle(browser, ".steps-toggle")
    assert again.get_attribute("aria-expanded") == "false"
    m = measure(browser)
    assert m["heading"] <= m["screen"] and m["steps"] == 0, m


def test_the_header_menu_folds_on_a_phone(browser, live_server, long_path, django_user_model):
    django_user_model.objects.create_user("stud", password="pw-student-123", role="student")
    sign_in(browser, live_server, "stud", "pw-student-123")
    browser.set_window_size(*PHONE)
    for url in ["/", STEP, "/search/?q=step"]:
        browser.get(live_server.url + url)
        menu = toggle(browser, ".nav-toggle")
        items = browser.find_elements(By.CSS_SELECTOR, "#site-menu a, #site-menu button, #site-menu select")
        assert len(items) >= 6 and not any(i.is_displayed() for i in items), url
        assert menu.get_attribute("aria-expanded") == "false"
        menu.send_keys(Keys.ENTER)
        assert menu.get_attribute("aria-expanded") == "true"
        assert all(i.is_displayed() for i in items), url
        width = browser.execute_script("return innerWidth")
        assert all(i.rect["x"] >= 0 and i.rect["x"] + i.rect["width"] <= width for i in items), url
        assert browser.execute_script("return document.documentElement.scrollWidth - innerWidth") <= 0, url
        menu.click()
        assert not any(i.is_displayed() for i in items), url


def test_nothing_folds_on_a_desktop(browser, live_server, long_path):
    browser.set_window_size(1280, 900)
    browser.get(live_server.url + STEP)
    WebDriverWait(browser, 10).until(
        lambda b: b.find_element(By.CSS_SELECTOR, ".steps-toggle").get_attribute("data-lp-disclosure") == "ready"
    )
    assert not browser.find_element(By.CSS_SELECTOR, ".steps-toggle").is_displayed()
    assert not browser.find_element(By.CSS_SELECTOR, ".nav-toggle").is_displayed()
    assert all(a.is_displayed() for a in browser.find_elements(By.CSS_SELECTOR, ".path-nav ol a, #site-menu a"))
    # The header stays one row: brand, menu and language switch side by side.
    tops = browser.execute_script(
        "return ['.brand', '#site-menu ul', '.lang-switch'].map((s) => document.querySelector(s).getBoundingClientRect().top)"
    )
    assert max(tops) - min(tops) < 20, tops
