"""Live preview in real headless Chromium: a save reloads the open page, a broken save shows its
problem at file:line:col in the overlay, the fix clears it, and the view-as switch shows the teacher
block only to a teacher (the server hides it, as on the real site)."""

from __future__ import annotations

import os

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from learningpaths.preview import session as preview
from tests.compiler.helpers import front, write

from . import a11y

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = "Neurons add up.\n\n::: teacher\nThe teacher's note.\n:::\n"


def save(path, text):
    path.write_text(text)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))  # a new mtime even on a coarse clock


@pytest.fixture
def lessons(settings, tmp_path):
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    settings.COMPILE_CACHE_DIR = tmp_path / "cache"
    root = tmp_path / "lessons"
    write(root / "learning_objects", {"a/index.md": front("a", body=BODY)})
    session = preview.PreviewSession([root], interval=0.1)
    session.rebuild()
    preview.activate(session)
    session.start()
    yield root / "learning_objects" / "a" / "index.md"
    session.stop()
    preview.activate(None)


def test_save_reload_overlay_and_view_as(browser, live_server, lessons):
    # The page reloads itself after each build: an element read just then is gone, so look again.
    wait = WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException,))
    browser.get(live_server.url + "/objects/a/en/1/")
    wait.until(lambda b: "build 1" in b.find_element(By.CSS_SELECTOR, ".lp-preview__summary").text)
    assert "Neurons add up." in browser.find_element(By.ID, "main").text
    assert "The teacher's note." not in browser.page_source  # a visitor: removed by the server

    save(lessons, front("a", body=BODY.replace("Neurons add up.", "Neurons weigh their inputs.")))
    wait.until(lambda b: "Neurons weigh their inputs." in b.find_element(By.ID, "main").text)
    assert "build 2" in browser.find_element(By.CSS_SELECTOR, ".lp-preview__summary").text

    save(lessons, front("a", body=BODY).replace("version: 1", "version: [1"))
    wait.until(lambda b: "build 3" in b.find_element(By.CSS_SELECTOR, ".lp-preview__summary").text)
    item = browser.find_element(By.CSS_SELECTOR, ".lp-preview__item--error")
    assert "lessons/learning_objects/a/index.md:4:" in item.find_element(By.CSS_SELECTOR, ".lp-preview__where").text
    assert "invalid YAML" in item.text
    toggle = browser.find_element(By.CSS_SELECTOR, ".lp-preview__toggle")
    toggle.click()  # folds the list, and says so
    assert toggle.get_attribute("aria-expanded") == "false" and not item.is_displayed()
    toggle.click()
    report = a11y.audit(browser)  # the overlay with a problem in it, at desktop and phone size
    assert not any(report.values()), a11y.failures({"preview": report})

    save(lessons, front("a", body=BODY))
    wait.until(lambda b: "build 4" in b.find_element(By.CSS_SELECTOR, ".lp-preview__summary").text)
    assert not browser.find_elements(By.CSS_SELECTOR, ".lp-preview__item")
    assert "no problems" in browser.find_element(By.CSS_SELECTOR, ".lp-preview__summary").text

    browser.find_element(By.XPATH, "//div[@class='lp-preview__roles']//button[.='teacher']").click()
    wait.until(lambda b: "The teacher's note." in b.find_element(By.ID, "main").text)
    pressed = browser.find_element(By.CSS_SELECTOR, ".lp-preview__roles button[aria-pressed=true]")
    assert pressed.text == "teacher"
    browser.find_element(By.XPATH, "//div[@class='lp-preview__roles']//button[.='student']").click()
    wait.until(lambda b: "The teacher's note." not in b.find_element(By.ID, "main").text)
    assert browser.current_url.endswith("/objects/a/en/1/")
