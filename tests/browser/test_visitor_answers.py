"""A visitor without an account in a real browser: answers wrong, sees the feedback, is sent to the
remedial step (also after a reload), signs up, and the answers are in the new account."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from learningpaths.compiler.result import CompiledNode, CompiledTransition, Question
from learningpaths.learning.models import Submission
from learningpaths.paths.services import content_sync
from tests.browser.test_classroom import QUESTION_HTML
from tests.conftest import compile_result, compiled_object, compiled_path

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def branching_quiz(settings, tmp_path):
    """quiz --(wrong answer)--> remedial --> after;  quiz --(default)--> after."""
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    quiz = compiled_object("quiz", title="Quiz", html=QUESTION_HTML)
    quiz.questions = [
        Question(id="q1", kind="multiple_choice", prompt="2+2?", options=["3", "4"], key={"correct": [1]})
    ]
    remedial = compiled_object("remedial", title="Remedial", html="<p>Let us count again.</p>")
    after = compiled_object("after", title="After")
    path = compiled_path("branchy", [quiz, remedial, after])
    path.nodes = [
        CompiledNode(
            key=quiz.key,
            start_node=True,
            transitions=[
                CompiledTransition(next=remedial.key, condition="$[?(@.correct == false)]"),
                CompiledTransition(next=after.key, default=True),
            ],
        ),
        CompiledNode(key=remedial.key, transitions=[CompiledTransition(next=after.key, default=True)]),
        CompiledNode(key=after.key),
    ]
    content_sync(result=compile_result([quiz, remedial, after], [path]))


def next_href(browser) -> str:
    return browser.find_element(By.CSS_SELECTOR, '.pager a[rel="next"]').get_attribute("href")


def test_a_visitor_answers_wrong_is_helped_and_keeps_the_answers_on_sign_up(browser, live_server, branching_quiz):
    wait = WebDriverWait(browser, 20)
    browser.get(live_server.url + "/paths/branchy/en/quiz/")
    assert next_href(browser).endswith("/paths/branchy/en/after/")  # no answer yet: the default way
    assert "kept on this device until you sign in" in browser.find_element(By.CSS_SELECTOR, ".visitor-note").text
    browser.find_element(By.CSS_SELECTOR, "form.lp-question input[value='0']").click()
    browser.find_element(By.CSS_SELECTOR, "form.lp-question button[type=submit]").click()
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".lp-question-status"), "Not yet"))
    assert next_href(browser).endswith("/paths/branchy/en/remedial/")
    browser.refresh()  # the visitor's own way on, not the page memoised for every visitor
    assert next_href(browser).endswith("/paths/branchy/en/remedial/")
    browser.find_element(By.CSS_SELECTOR, '.pager a[rel="next"]').click()
    wait.until(EC.url_contains("/paths/branchy/en/remedial/"))
    assert "count again" in browser.find_element(By.CSS_SELECTOR, "article.learning-object").text

    browser.find_element(By.LINK_TEXT, "create an account").click()
    wait.until(EC.url_contains("/accounts/sign-up/"))
    browser.find_element(By.NAME, "username").send_keys("newbie")
    browser.find_element(By.NAME, "password1").send_keys("a-long-pass-123")
    browser.find_element(By.NAME, "password2").send_keys("a-long-pass-123")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait.until(EC.url_contains("/paths/branchy/en/remedial/"))  # back where they were
    assert not browser.find_elements(By.CSS_SELECTOR, ".visitor-note")
    row = Submission.objects.get()
    assert (row.user.username, row.visitor, row.correct) == ("newbie", None, False)
    # The student's own data export has it too.
    exported = browser.execute_async_script(
        "const done = arguments[0];"
        "fetch('/classes/me/data.json', {credentials: 'same-origin'}).then(r => r.json()).then(done, e => done(String(e)));"
    )
    assert [(s["question"], s["answer"], s["correct"]) for s in exported["submissions"]] == [("q1", [0], False)]
