"""The student's home in a real browser: a student with progress sees "Continue where you left off"
and the progress on the catalogue's card, and Continue lands on the resume step."""

import os

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from learningpaths.learning.models import PathProgress, StepDone
from learningpaths.paths.services import content_sync
from tests.browser.conftest import sign_in
from tests.conftest import compile_result, compiled_object, compiled_path

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def started(django_user_model, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    steps = [
        compiled_object(h, title=t) for h, t in [("one", "First step"), ("two", "Second step"), ("three", "Last step")]
    ]
    content_sync(result=compile_result(steps, [compiled_path("trip", steps, title="A short trip")]))
    user = django_user_model.objects.create_user("fox-7", password="pw-student-123", role="student")
    key = {"user": user, "path_hruid": "trip", "path_language": "en"}
    StepDone.objects.bulk_create([StepDone(**key, object_hruid=h) for h in ("one", "two")])
    PathProgress.objects.create(**key, current_hruid="two")
    return user


def shot(browser, name):
    if os.environ.get("LP_SCREENSHOTS"):
        browser.save_screenshot(f"/tmp/v16-home-{name}.png")


def test_continue_card_and_card_progress(browser, live_server, started):
    wait = WebDriverWait(browser, 15)
    sign_in(browser, live_server, "fox-7", "pw-student-123")
    browser.get(f"{live_server.url}/classes/")
    card = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".continue-card")))
    assert "A short trip" in card.text and "Second step" in card.text and "67% done" in card.text
    assert browser.find_element(By.CSS_SELECTOR, "a.nav-home").text == "My learning"
    shot(browser, "home")
    card.find_element(By.CSS_SELECTOR, "a.button.big").click()
    wait.until(EC.url_matches(r"/paths/trip/en/two/$"))
    assert browser.find_element(By.CSS_SELECTOR, "[aria-current=step]").text == "Second step"
    browser.get(f"{live_server.url}/")
    progress = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".card .card-progress")))
    assert "67% done" in progress.text and "Continue" in progress.text
    shot(browser, "catalogue")
