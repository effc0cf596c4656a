"""The site works in a real browser: catalogue → path → next step."""

import pytest
from selenium.webdriver.common.by import By

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_browse_open_path_and_go_next(browser, live_server, sample_site):
    browser.get(live_server.url + "/")
    browser.find_element(By.LINK_TEXT, "Deep learning").click()
    assert "Welcome" in browser.find_element(By.CSS_SELECTOR, "article.learning-object").text
    browser.find_element(By.CSS_SELECTOR, "a[rel=next]").click()
    assert "Neurons compute" in browser.find_element(By.CSS_SELECTOR, "article.learning-object").text
    assert "TEACHER" not in browser.page_source
