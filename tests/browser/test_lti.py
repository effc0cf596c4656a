"""LTI 1.3 in real headless Chromium, against the loopback platform of tests/site/lti/platform.py
on another site (127.0.0.1, while the live server is localhost): a teacher's deep-link choice goes
back signed, and a pupil launched from the placed link lands signed in in the path, whose score
reaches the platform's gradebook as she moves on."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from learningpaths.lti import services
from learningpaths.lti.models import Deployment, Identity, Registration
from tests.browser.a11y import axe_checks
from tests.site.lti.platform import INSTRUCTOR, LEARNER, Platform

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def platform(live_server, settings):
    settings.LTI_BACKGROUND = False  # scores right after the commit, so the test can wait for them
    p = Platform(host="127.0.0.1").start()
    p.tool_url = live_server.url  # the platform fetches our JWKS from the live server
    p.register_in(Registration, Deployment)
    services.tool_key_create()
    yield p
    p.stop()


def test_deep_link_choice_then_a_pupil_launch_with_grade_passback(browser, live_server, platform, sample_site):
    wait = WebDriverWait(browser, 30)
    # The teacher picks the path in the platform's deep-linking flow.
    browser.get(
        platform.launch_url(user_id="t-1", roles=[INSTRUCTOR], name="Ms Peeters", link_id=None, deep_linking=True)
    )
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, "form.lti-choices"))
    assert browser.current_url.startswith(live_server.url + "/lti/launch/")
    assert axe_checks(browser) == []  # the catalogue a teacher picks from is accessible
    whole = browser.find_element(By.CSS_SELECTOR, "input[name=choice][value='deep/en']")
    assert whole.get_attribute("type") == "checkbox"  # the platform accepts several
    label = whole.find_element(By.XPATH, "..")
    assert "The whole path" in label.text
    whole.send_keys(" ")  # keyboard, as a teacher without a mouse would
    browser.find_element(By.CSS_SELECTOR, "form.lti-choices button[type=submit]").click()
    placed = wait.until(lambda b: b.find_elements(By.ID, "placed"))
    assert placed[0].text == "Placed: Deep learning"  # the platform verified our signature
    (item,) = platform.deep_link_items[-1]
    assert item["custom"] == {"path": "deep", "language": "en"}

    # A pupil opens the placed link on the platform's course page, where we run in its iframe (another
    # site): our pages may be framed by it, and the session cookie reaches us there.
    browser.get(live_server.url + "/")
    browser.delete_all_cookies()
    launch = platform.launch_url(user_id="p-1", roles=[LEARNER], name="Jan", link_id="placed-1", custom=item["custom"])
    browser.get(platform.url + "/course?" + urlencode({"launch": launch}))  # inside the platform's iframe
    browser.switch_to.frame(browser.find_element(By.ID, "tool"))
    wait.until(lambda b: b.execute_script("return location.href").startswith(live_server.url + "/paths/deep/en/"))
    wait.until(lambda b: b.find_elements(By.TAG_NAME, "main") and "Welcome" in b.find_element(By.TAG_NAME, "main").text)
    pupil = Identity.objects.get(sub="p-1").user
    assert browser.find_element(By.CSS_SELECTOR, ".who").text == pupil.username  # signed in by the launch
    assert "TEACHER-SECRET-NOTE" not in browser.page_source
    browser.find_element(By.CSS_SELECTOR, "a[rel=next]").click()
    wait.until(lambda b: "Neurons compute" in b.find_element(By.TAG_NAME, "main").text)
    wait.until(lambda b: platform.scores and platform.scores[-1]["activityProgress"] == "Completed")
    assert [(s["scoreGiven"], s["scoreMaximum"]) for s in platform.scores][-1] == (2, 2)
    assert {s["lineitem"] for s in platform.scores} == {"/lineitems/placed-1"}
    assert {s["userId"] for s in platform.scores} == {"p-1"}
