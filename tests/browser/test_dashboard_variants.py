"""The dashboard across language variants in a real browser (issue 16): a student working in the
Dutch variant of an assigned English path shows progress, answers and "finished" on the English
assignment's dashboard."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from learningpaths.classroom import services
from learningpaths.compiler.result import Question
from learningpaths.paths.services import content_sync
from tests.browser.conftest import sign_in
from tests.browser.test_classroom import QUESTION_HTML
from tests.conftest import compile_result, compiled_object, compiled_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bilingual_class(settings, tmp_path, django_user_model):
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    objects, paths = [], []
    for language, title in (("en", "Neurons"), ("nl", "Neuronen")):
        intro = compiled_object("intro", language=language, title=f"Intro {language}")
        quiz = compiled_object("quiz", language=language, title=f"Quiz {language}", html=QUESTION_HTML)
        quiz.questions = [
            Question(id="q1", kind="multiple_choice", prompt="2+2?", options=["3", "4"], key={"correct": [1]})
        ]
        objects += [intro, quiz]
        paths.append(compiled_path("twice", [intro, quiz], language=language, title=title))
    content_sync(result=compile_result(objects, paths))
    make = django_user_model.objects.create_user
    teacher = make("ms-peeters", password="pw-teacher-123", role="teacher")
    student = make("kim", password="pw-student-123", role="student")
    classroom = services.classroom_create(teacher=teacher, name="2A")
    services.membership_join(user=student, code=classroom.code)
    assignment = services.assignment_create(classroom=classroom, actor=teacher, path_hruid="twice", path_language="en")
    return f"/classes/{classroom.pk}/assignments/{assignment.pk}/"


def test_work_in_the_dutch_variant_shows_on_the_english_dashboard(browser, live_server, bilingual_class):
    wait = WebDriverWait(browser, 20)
    sign_in(browser, live_server, "kim", "pw-student-123")
    browser.get(live_server.url + "/paths/twice/nl/intro/")
    browser.find_element(By.CSS_SELECTOR, '.pager a[rel="next"]').click()
    wait.until(EC.url_contains("/paths/twice/nl/quiz/"))
    browser.find_element(By.CSS_SELECTOR, "form.lp-question input[value='1']").click()
    browser.find_element(By.CSS_SELECTOR, "form.lp-question button[type=submit]").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "form.lp-question[data-state='ok']")))

    browser.delete_all_cookies()
    sign_in(browser, live_server, "ms-peeters", "pw-teacher-123")
    browser.get(live_server.url + bilingual_class)
    row = browser.find_element(By.CSS_SELECTOR, "tr[data-row='kim']")
    assert "100%" in row.text and "finished" in row.text and "1/1" in row.text
    row.find_element(By.LINK_TEXT, "kim").click()
    wait.until(EC.url_contains("/students/"))
    answers = browser.find_element(By.TAG_NAME, "main").text
    assert "2+2?" in answers and "correct" in answers
