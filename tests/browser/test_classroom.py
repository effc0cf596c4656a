"""A class in a real browser: the teacher creates a class and an assignment, a student joins with
the code and answers a question, the teacher sees the answer and score; other teachers see nothing."""

import json

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

from learningpaths.compiler.result import Question
from learningpaths.learning.models import Submission
from tests.browser.conftest import sign_in
from tests.conftest import compile_result, compiled_object, compiled_path

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

QUESTION_HTML = (
    '<form class="lp-question" data-question-id="q1" data-kind="multiple_choice">'
    '<label><input type="radio" name="answer" value="0"> 3</label>'
    '<label><input type="radio" name="answer" value="1"> 4</label>'
    '<button type="submit">Check</button></form>'
)


@pytest.fixture
def people(django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    make = django_user_model.objects.create_user
    return {
        "teacher": make("ms-peeters", password="pw-teacher-123", role="teacher"),
        "student": make("fox-42", password="pw-student-123", role="student"),
        "other": make("mr-other", password="pw-other-123", role="teacher"),
    }


@pytest.fixture
def quiz_content(db, settings, tmp_path):
    from learningpaths.paths.services import content_sync

    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    quiz = compiled_object("quiz", title="Quiz", html=QUESTION_HTML)
    quiz.questions = [
        Question(id="q1", kind="multiple_choice", prompt="2+2?", options=["3", "4"], key={"correct": [1]})
    ]
    train = compiled_object(
        "train",
        title="Train",
        return_value={
            "callback_url": "/x",
            "callback_schema": {
                "type": "object",
                "properties": {"accuracy": {"type": "number"}},
                "required": ["accuracy"],
            },
        },
    )
    content_sync(result=compile_result([quiz, train], [compiled_path("quizpath", [quiz, train], title="Quiz path")]))


def switch_user(browser, live_server, username, password):
    browser.delete_all_cookies()
    sign_in(browser, live_server, username, password)
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, "a.nav-home")))


def post_json(browser, url, body: str):
    """fetch() from the page, with the CSRF cookie, as the player does; returns [status, json]."""
    return browser.execute_async_script(
        """
        const [url, body, done] = arguments;
        const csrf = decodeURIComponent((document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || "");
        fetch(url, {method: "POST", credentials: "same-origin", body: body,
                    headers: {"Content-Type": "application/json", "X-CSRFToken": csrf}})
          .then(r => r.json().then(j => done([r.status, j])));
    """,
        url,
        body,
    )


def test_class_assignment_answer_dashboard(browser, live_server, people, quiz_content):
    wait = WebDriverWait(browser, 15)
    # The teacher creates a class …
    switch_user(browser, live_server, "ms-peeters", "pw-teacher-123")
    browser.find_element(By.LINK_TEXT, "Classes").click()
    assert "No classes yet" in browser.find_element(By.TAG_NAME, "main").text
    browser.find_element(By.ID, "id_name").send_keys("Robotics 4C")
    browser.find_element(By.CSS_SELECTOR, "form[action='/classes/new/'] button[type=submit]").click()
    code = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-join-code]"))).get_attribute(
        "data-join-code"
    )
    assert len(code) == 6
    # … and an assignment with a deadline.
    browser.find_element(By.LINK_TEXT, "New assignment").click()
    Select(browser.find_element(By.NAME, "path")).select_by_value("quizpath|en")
    browser.execute_script("document.querySelector('input[name=deadline]').value = '2099-06-30T16:00'")
    browser.find_element(By.CSS_SELECTOR, "main form.stacked button[type=submit]").click()
    # The form itself is at .../assignments/new/: wait for the dashboard's own URL and its text.
    wait.until(EC.url_matches(r"/assignments/\d+/$"))
    wait.until(EC.text_to_be_present_in_element((By.TAG_NAME, "main"), "No students yet"))
    dashboard_url = browser.current_url

    # The student joins with the code (typed in lower case, with a dash) and answers.
    switch_user(browser, live_server, "fox-42", "pw-student-123")
    browser.find_element(By.LINK_TEXT, "My learning").click()
    browser.find_element(By.ID, "id_code").send_keys(f"{code[:3].lower()}-{code[3:]}")
    browser.find_element(By.CSS_SELECTOR, "form[action='/classes/join/'] button[type=submit]").click()
    main = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".assignment")))
    assert "Quiz path" in main.text and "Deadline" in main.text
    main.find_element(By.LINK_TEXT, "Quiz path").click()
    browser.find_element(By.CSS_SELECTOR, "form.lp-question input[value='1']").click()
    browser.find_element(By.CSS_SELECTOR, "form.lp-question button[type=submit]").click()
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".lp-question-status"), "Correct!"))
    assert "correct" not in browser.find_element(By.CSS_SELECTOR, "article.learning-object").get_attribute(
        "innerHTML"
    ).replace("Correct!", "")

    # Malformed and oversized answers: 4xx with a message, nothing stored.
    stored = Submission.objects.count()
    status, body = post_json(browser, "/learn/answers/quiz/en/1/q1/", json.dumps({"answer": "9"}))
    assert status == 400 and body["detail"]
    status, body = post_json(browser, "/learn/answers/quiz/en/1/q1/", json.dumps({"answer": "x" * 40000}))
    assert status == 413 and body["detail"]
    status, body = post_json(browser, "/classes/returns/train/en/1/", json.dumps({"value": {"accuracy": "high"}}))
    assert status == 400 and "accuracy" in body["detail"]
    status, body = post_json(browser, "/classes/returns/train/en/1/", "{not json")
    assert status == 400 and body["detail"]
    assert Submission.objects.count() == stored == 1
    status, body = post_json(browser, "/classes/returns/train/en/1/", json.dumps({"value": {"accuracy": 0.87}}))
    assert status == 201

    # The teacher sees the answer and the score.
    switch_user(browser, live_server, "ms-peeters", "pw-teacher-123")
    browser.get(dashboard_url)
    row = browser.find_element(By.CSS_SELECTOR, "tr[data-row='fox-42']")
    assert "1/1" in row.text and "100%" in row.text and "0.87" in row.text
    row.find_element(By.LINK_TEXT, "fox-42").click()
    answers = browser.find_element(By.TAG_NAME, "main").text
    assert "2+2?" in answers and "4" in answers and "correct" in answers and "score 1.00" in answers

    # A teacher of another class sees nothing of it.
    switch_user(browser, live_server, "mr-other", "pw-other-123")
    browser.get(dashboard_url)
    assert "Page not found" in browser.find_element(By.TAG_NAME, "h1").text
    assert "fox-42" not in browser.page_source
    browser.find_element(By.LINK_TEXT, "Classes").click()
    assert "Robotics 4C" not in browser.page_source and "No classes yet" in browser.page_source
