"""The site works in a real browser: catalogue → path → next step."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_browse_open_path_and_go_next(browser, live_server, sample_site):
    browser.get(live_server.url + "/")
    browser.find_element(By.LINK_TEXT, "Deep learning").click()
    assert "Welcome" in browser.find_element(By.CSS_SELECTOR, "article.learning-object").text
    browser.find_element(By.CSS_SELECTOR, "a[rel=next]").click()
    # The player swaps the next step in place (static/site/navigate.js): wait for it.
    article = (By.CSS_SELECTOR, "article.learning-object")
    WebDriverWait(browser, 10).until(EC.text_to_be_present_in_element(article, "Neurons compute"))
    assert browser.current_url.endswith("/") and "Welcome" not in browser.find_element(*article).text
    assert "TEACHER" not in browser.page_source
