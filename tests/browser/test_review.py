"""A teacher scores and comments an open answer in a real browser (issue 16), on the per-student
answers page; the student sees the comment next to the question in the path player and on their
home page, with a link to the step."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from learningpaths.classroom import services
from learningpaths.compiler.render import render
from learningpaths.learning.models import Submission
from learningpaths.paths.services import content_sync
from tests.browser.conftest import sign_in
from tests.compiler.render.conftest import make_input
from tests.conftest import compile_result, compiled_object, compiled_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SOURCE = """```question
id: why
kind: open
prompt: Why does a neuron need a bias?
```
"""
STEP = "/paths/essays/en/essay/"


@pytest.fixture
def essay_class(settings, tmp_path, django_user_model):
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    rendered = render(make_input(SOURCE))
    essay = compiled_object("essay", title="Essay", html=rendered.html, teacher_html=rendered.teacher_html)
    essay.questions = rendered.questions
    content_sync(result=compile_result([essay], [compiled_path("essays", [essay], title="Essays")]))
    make = django_user_model.objects.create_user
    teacher = make("ms-peeters", password="pw-teacher-123", role="teacher")
    student = make("kim", password="pw-student-123", role="student")
    classroom = services.classroom_create(teacher=teacher, name="2A")
    services.membership_join(user=student, code=classroom.code)
    assignment = services.assignment_create(classroom=classroom, actor=teacher, path_hruid="essays", path_language="en")
    return f"/classes/{classroom.pk}/assignments/{assignment.pk}/students/{student.pk}/"


def switch_user(browser, live_server, username, password):
    browser.delete_all_cookies()
    sign_in(browser, live_server, username, password)


def test_teacher_comments_an_open_answer_and_the_student_reads_it(browser, live_server, essay_class):
    wait = WebDriverWait(browser, 20)
    switch_user(browser, live_server, "kim", "pw-student-123")
    browser.get(live_server.url + STEP)
    browser.find_element(By.CSS_SELECTOR, "form.lp-question textarea").send_keys("So it can fire at zero input.")
    browser.find_element(By.CSS_SELECTOR, "form.lp-question .lp-question-submit").click()
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".lp-question-status"), "Saved"))
    assert "teacher's comment" not in browser.find_element(By.CSS_SELECTOR, "form.lp-question").text

    switch_user(browser, live_server, "ms-peeters", "pw-teacher-123")
    browser.get(live_server.url + essay_class)
    main = browser.find_element(By.TAG_NAME, "main")
    assert "Why does a neuron need a bias?" in main.text and "So it can fire at zero input." in main.text
    form = browser.find_element(By.CSS_SELECTOR, "form.review-form")
    form.find_element(By.NAME, "score").send_keys("80")
    form.find_element(By.NAME, "comment").send_keys("Good: and what does the bias shift?")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(EC.text_to_be_present_in_element((By.TAG_NAME, "main"), "Review saved."))
    review = browser.find_element(By.CSS_SELECTOR, ".answer-review").text
    assert "80 %" in review and "Good: and what does the bias shift?" in review
    row = Submission.objects.get()
    assert (row.review_score, row.review_comment) == (pytest.approx(0.8), "Good: and what does the bias shift?")

    switch_user(browser, live_server, "kim", "pw-student-123")
    browser.get(live_server.url + STEP)  # restored from learning:answers_mine, with the review
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".lp-question-feedback"), "Your teacher's comment"))
    box = browser.find_element(By.CSS_SELECTOR, ".lp-question-feedback .lp-review").text
    assert "Good: and what does the bias shift?" in box
    assert browser.find_element(By.CSS_SELECTOR, "form.lp-question textarea").get_attribute("value") == (
        "So it can fire at zero input."
    )

    browser.get(live_server.url + "/classes/")
    main = browser.find_element(By.TAG_NAME, "main")
    assert "Good: and what does the bias shift?" in main.text
    assert main.find_elements(By.CSS_SELECTOR, f'a[href="{STEP}"]')
