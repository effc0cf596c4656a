"""Feedback after every answer (issue 16), in a real browser: wrong answer → feedback → hint →
retry → right, on an object page and in the path player, then restored after a reload."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from learningpaths.compiler.render import render
from learningpaths.learning.models import Submission
from learningpaths.paths.services import content_sync
from tests.browser.conftest import sign_in
from tests.compiler.render.conftest import make_input
from tests.conftest import compile_result, compiled_object, compiled_path

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SOURCE = """```question
id: capital
kind: multiple_choice
prompt: Capital of Belgium?
options:
  - {text: Antwerp, feedback: Antwerp is a port city.}
  - Brussels
  - Ghent
answer: 1
hint: The European Union meets there.
attempts: 3
```
"""


@pytest.fixture
def quiz(settings, tmp_path, django_user_model):
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    rendered = render(make_input(SOURCE))
    obj = compiled_object("quiz", title="Quiz", html=rendered.html, teacher_html=rendered.teacher_html)
    obj.questions = rendered.questions
    content_sync(result=compile_result([obj], [compiled_path("quizzes", [obj])]))
    django_user_model.objects.create_user("kim", password="pw-student-123")


def answer(browser, value):
    form = browser.find_element(By.CSS_SELECTOR, "form.lp-question")
    form.find_element(By.CSS_SELECTOR, f"input[value='{value}']").click()
    form.find_element(By.CSS_SELECTOR, ".lp-question-submit").click()


def status_is(browser, text):
    WebDriverWait(browser, 20).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".lp-question-status"), text))
    return browser.find_element(By.CSS_SELECTOR, ".lp-question-feedback")


@pytest.mark.parametrize("url", ["/objects/quiz/en/1/", "/paths/quizzes/en/quiz/"])
def test_wrong_feedback_hint_retry_right(browser, live_server, quiz, url):
    sign_in(browser, live_server, "kim", "pw-student-123")
    browser.get(live_server.url + url)
    answer(browser, 0)
    box = status_is(browser, "Not yet")
    assert "✗" in box.text and "Antwerp is a port city." in box.text
    assert "The European Union meets there." in box.text and "2 tries left" in box.text
    assert "Brussels" not in box.text  # no solution yet
    button = browser.find_element(By.CSS_SELECTOR, ".lp-question-submit")
    assert button.text == "Try again" and button.is_enabled()
    answer(browser, 1)
    box = status_is(browser, "Correct!")
    assert "✓" in box.text and "Right answer: Brussels" in box.text and "Hint" not in box.text
    assert list(Submission.objects.values_list("answer", flat=True).order_by("pk")) == [[0], [1]]
    browser.get(live_server.url + url)  # restored from learning:answers_mine
    status_is(browser, "Correct!")
    assert browser.find_element(By.CSS_SELECTOR, "input[value='1']").is_selected()
