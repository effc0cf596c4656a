"""Students and teachers in a real browser: browse, filter, follow a path, resume, view as student."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from learningpaths.paths.services import content_sync
from tests.browser.conftest import sign_in
from tests.conftest import compile_result, compiled_object, compiled_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_paths(sample_site):
    """Besides sample_site's English "Deep learning": a Dutch path for younger students."""
    a = compiled_object("hallo", language="nl", title="Hallo", ages=(10, 12), html="<p>Dag!</p>")
    content_sync(
        result=compile_result(
            [*sample_site.objects, a],
            [*sample_site.paths, compiled_path("jong", [a], language="nl", title="Jong leerpad")],
        )
    )


def article_text(browser):
    return browser.find_element(By.CSS_SELECTOR, "article.learning-object").text


def test_browse_filter_and_follow_with_keyboard(browser, live_server, two_paths):
    browser.get(live_server.url + "/")  # the UI's language (English) by default (issue 20)
    assert [c.text for c in browser.find_elements(By.CSS_SELECTOR, ".card h2")] == ["Deep learning"]
    browser.get(live_server.url + "/?language=all")
    cards = browser.find_elements(By.CSS_SELECTOR, ".card h2")
    assert sorted(c.text for c in cards) == ["Deep learning", "Jong leerpad"]
    # Filter by language, then by age: only matching cards remain.
    Select(browser.find_element(By.CSS_SELECTOR, "form.filters select[name=language]")).select_by_value("nl")
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    WebDriverWait(browser, 10).until(EC.url_contains("language=nl"))
    assert [c.text for c in browser.find_elements(By.CSS_SELECTOR, ".card h2")] == ["Jong leerpad"]
    browser.get(live_server.url + "/?age=16")
    assert [c.text for c in browser.find_elements(By.CSS_SELECTOR, ".card h2")] == ["Deep learning"]
    browser.get(live_server.url + "/?q=nothing-like-this")
    assert "No learning paths match" in browser.find_element(By.CSS_SELECTOR, ".empty").text

    browser.get(live_server.url + "/")
    browser.find_element(By.LINK_TEXT, "Deep learning").click()
    WebDriverWait(browser, 10).until(EC.url_contains("/paths/deep/en/"))
    assert "Welcome" in article_text(browser)
    # The arrow keys move between steps (the teacher-only step is not there for visitors).
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_RIGHT)
    WebDriverWait(browser, 10).until(EC.url_contains("/paths/deep/en/neuron/"))
    assert "Neurons compute" in article_text(browser)
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_LEFT)
    WebDriverWait(browser, 10).until(EC.url_contains("/paths/deep/en/intro/"))
    # Previous/next links work too, and every step has its own deep link.
    browser.find_element(By.CSS_SELECTOR, "a[rel=next]").click()
    WebDriverWait(browser, 10).until(EC.url_contains("/paths/deep/en/neuron/"))
    assert "Teacher guide" not in browser.page_source


def test_dwengo_hash_links_open_the_step(browser, live_server, sample_site):
    browser.get(live_server.url + "/paths/deep/en/#neuron;en;1")
    WebDriverWait(browser, 10).until(EC.url_contains("/paths/deep/en/neuron/"))
    assert "Neurons compute" in article_text(browser)


def test_resume_after_signing_in_again(browser, live_server, sample_site, student):
    sign_in(browser, live_server, "stud", "pw-student-123")
    browser.get(live_server.url + "/paths/deep/en/neuron/")
    progress = browser.find_element(By.CSS_SELECTOR, "[role=progressbar]").get_attribute("aria-valuenow")
    assert progress == "50"  # 1 of the 2 steps a student sees
    browser.find_element(By.CSS_SELECTOR, "header form button[type=submit]").click()  # sign out
    # Wait until the sign-out has landed: a POST still in flight would end the next session.
    WebDriverWait(browser, 20).until(EC.presence_of_element_located((By.CSS_SELECTOR, "header a[href*='/sign-in/']")))
    browser.delete_all_cookies()
    sign_in(browser, live_server, "stud", "pw-student-123")
    browser.get(live_server.url + "/paths/deep/en/")
    assert "Neurons compute" in article_text(browser)
    assert browser.find_element(By.CSS_SELECTOR, ".path-nav a[aria-current=step]").text == "A neuron"


def test_teacher_sees_teacher_material_and_can_view_as_student(browser, live_server, sample_site, teacher):
    sign_in(browser, live_server, "teach", "pw-teacher-123")
    browser.get(live_server.url + "/paths/deep/en/")
    assert "TEACHER-SECRET-NOTE" in article_text(browser)
    steps = [a.text for a in browser.find_elements(By.CSS_SELECTOR, ".path-nav ol a")]
    assert steps == ["Introduction", "Teacher guide", "A neuron"]
    browser.find_element(By.LINK_TEXT, "View as student").click()
    WebDriverWait(browser, 10).until(EC.url_contains("?as=student"))
    assert "TEACHER-SECRET-NOTE" not in browser.page_source
    steps = [a.text for a in browser.find_elements(By.CSS_SELECTOR, ".path-nav ol a")]
    assert steps == ["Introduction", "A neuron"]
    browser.find_element(By.CSS_SELECTOR, "a[rel=next]").click()
    WebDriverWait(browser, 10).until(EC.url_contains("/neuron/?as=student"))
    assert "Neurons compute" in article_text(browser)


def test_student_cannot_reach_teacher_material_in_the_browser(browser, live_server, sample_site, student):
    sign_in(browser, live_server, "stud", "pw-student-123")
    for url in [
        "/paths/deep/en/",
        "/paths/deep/en/guide/",
        "/objects/guide/en/1/",
        "/objects/intro/en/1/",
        "/search/?q=TEACHER",
        "/api/learningObject/getRaw?hruid=guide&language=en",
        "/api/learningObject/getRaw?hruid=intro&language=en",
        "/api/learningPath/deep/en",
        "/sitemap.xml",
    ]:
        browser.get(live_server.url + url)
        text = browser.page_source
        assert "TEACHER-SECRET-NOTE" not in text and "TEACHER-GUIDE-TEXT" not in text, url


def test_phone_layout_has_no_horizontal_scroll(browser, live_server, sample_site):
    browser.set_window_size(390, 844)
    for url in ["/", "/paths/deep/en/", "/accounts/sign-in/"]:
        browser.get(live_server.url + url)
        overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (url, overflow)
