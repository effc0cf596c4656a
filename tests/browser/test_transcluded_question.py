"""A question inside a transcluded object, in a real browser (issue 16): it posts to its own object
(the transcluded one), not to the page's, and its answer comes back after a reload."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from learningpaths.compiler.result import Question
from learningpaths.learning.models import Submission
from learningpaths.paths.services import content_sync
from tests.browser.conftest import sign_in
from tests.browser.test_classroom import QUESTION_HTML
from tests.conftest import compile_result, compiled_object, compiled_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def transcluding(settings, tmp_path, django_user_model):
    """``host`` transcludes ``inner`` (the compiler's marker, filled with inner's HTML); only inner
    has the question."""
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    inner = compiled_object("inner", title="Inner", html=QUESTION_HTML)
    inner.questions = [
        Question(id="q1", kind="multiple_choice", prompt="2+2?", options=["3", "4"], key={"correct": [1]})
    ]
    host = compiled_object(
        "host",
        title="Host",
        html=f'<p>Before.</p><div class="lp-transclusion" data-lp-object="inner/en/1">{QUESTION_HTML}</div>',
    )
    content_sync(result=compile_result([host, inner], [compiled_path("hosting", [host])]))
    django_user_model.objects.create_user("kim", password="pw-student-123", role="student")


@pytest.mark.parametrize("url", ["/objects/host/en/1/", "/paths/hosting/en/host/"])
def test_a_transcluded_question_posts_to_its_own_object(browser, live_server, transcluding, url):
    sign_in(browser, live_server, "kim", "pw-student-123")
    browser.get(live_server.url + url)
    form = browser.find_element(By.CSS_SELECTOR, ".lp-transclusion form.lp-question")
    form.find_element(By.CSS_SELECTOR, "input[value='1']").click()
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 20).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".lp-question-status"), "Correct!")
    )
    assert list(Submission.objects.values_list("object_hruid", "question_id", "correct")) == [("inner", "q1", True)]
    browser.refresh()
    WebDriverWait(browser, 20).until(
        EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".lp-question-status"), "Correct!")
    )
    assert browser.find_element(By.CSS_SELECTOR, ".lp-transclusion input[value='1']").is_selected()
