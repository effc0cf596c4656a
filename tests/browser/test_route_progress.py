"""A signed-in student's route in a real browser (issue 16): a wrong answer makes "next" the Extra
step, the sidebar shows it as a detour, previous goes back along the route taken, and the % and
done marks follow the route (a page without questions is done when seen, a page with a question
only when it is settled); the teacher's dashboard calls the route finished when every step on it
is done."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from learningpaths.classroom import services
from learningpaths.compiler.result import CompiledNode, CompiledTransition, Question
from learningpaths.paths.services import content_sync
from tests.browser.conftest import sign_in
from tests.browser.test_classroom import QUESTION_HTML
from tests.conftest import compile_result, compiled_object, compiled_path

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BASE = "/paths/route/en/"


@pytest.fixture
def route_site(settings, tmp_path, django_user_model):
    """intro --> quiz --(wrong)--> remedial --> end;  quiz --(default)--> end. A class with the
    student and an assignment of the path."""
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    intro = compiled_object("intro", title="Intro", html="<p>Read me.</p>")
    quiz = compiled_object("quiz", title="Quiz", html=QUESTION_HTML)
    quiz.questions = [
        Question(id="q1", kind="multiple_choice", prompt="2+2?", options=["3", "4"], key={"correct": [1]})
    ]
    remedial = compiled_object("remedial", title="Remedial", html="<p>Let us count again.</p>")
    end = compiled_object("end", title="End")
    path = compiled_path("route", [intro, quiz, remedial, end], title="Route")
    path.nodes = [
        CompiledNode(key=intro.key, start_node=True, transitions=[CompiledTransition(next=quiz.key, default=True)]),
        CompiledNode(
            key=quiz.key,
            transitions=[
                CompiledTransition(next=remedial.key, condition="$[?(@.correct == false)]"),
                CompiledTransition(next=end.key, default=True),
            ],
        ),
        CompiledNode(key=remedial.key, transitions=[CompiledTransition(next=end.key, default=True)]),
        CompiledNode(key=end.key),
    ]
    content_sync(result=compile_result([intro, quiz, remedial, end], [path]))
    make = django_user_model.objects.create_user
    teacher = make("ms-peeters", password="pw-teacher-123", role="teacher")
    student = make("kim", password="pw-student-123", role="student")
    classroom = services.classroom_create(teacher=teacher, name="2A")
    services.membership_join(user=student, code=classroom.code)
    assignment = services.assignment_create(classroom=classroom, actor=teacher, path_hruid="route", path_language="en")
    return f"/classes/{classroom.pk}/assignments/{assignment.pk}/"


def pager(browser, rel) -> str:
    return browser.find_element(By.CSS_SELECTOR, f'.pager a[rel="{rel}"]').get_attribute("href")


def percent(browser) -> str:
    return browser.find_element(By.CSS_SELECTOR, ".path-nav .progress").get_attribute("aria-valuenow")


def sidebar(browser) -> dict[str, tuple[bool, bool, bool]]:
    """Per step title: (done, shown as Extra, visible)."""
    out = {}
    for li in browser.find_elements(By.CSS_SELECTOR, ".path-nav li"):
        title = li.find_element(By.CSS_SELECTOR, ":scope > a").get_attribute("textContent")
        classes = (li.get_attribute("class") or "").split()
        out[title] = ("done" in classes, "extra" in classes, li.get_attribute("hidden") is None)
    return out


def answer(browser, value, status):
    browser.find_element(By.CSS_SELECTOR, f"form.lp-question input[value='{value}']").click()
    browser.find_element(By.CSS_SELECTOR, "form.lp-question button[type=submit]").click()
    WebDriverWait(browser, 20).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".lp-question-status"), status))


def go(browser, rel, hruid):
    browser.find_element(By.CSS_SELECTOR, f'.pager a[rel="{rel}"]').click()
    WebDriverWait(browser, 20).until(EC.url_contains(BASE + hruid + "/"))


def test_a_wrong_answer_takes_the_detour_and_progress_follows_the_route(browser, live_server, route_site):
    url = live_server.url + BASE
    sign_in(browser, live_server, "kim", "pw-student-123")
    browser.get(url + "intro/")
    # Seen, no question: done. The route has no answer yet: intro, quiz, end.
    assert percent(browser) == "33"
    assert sidebar(browser) == {
        "Intro": (True, False, True),
        "Quiz": (False, False, True),
        "Remedial": (False, True, False),  # a detour not taken is not shown
        "End": (False, False, True),
    }

    go(browser, "next", "quiz")
    assert pager(browser, "next") == url + "end/"  # no answer yet: the default way on
    assert pager(browser, "prev") == url + "intro/"
    answer(browser, 0, "Not yet")
    assert pager(browser, "next") == url + "remedial/"  # the wrong answer sends the student on the detour

    go(browser, "next", "remedial")
    steps = sidebar(browser)
    # The quiz was seen but its wrong answer is not settled (tries are unlimited): not done.
    assert steps["Quiz"] == (False, False, True) and steps["Remedial"] == (True, True, True)
    extra = browser.find_element(By.CSS_SELECTOR, ".path-nav li.extra")
    label = extra.find_element(By.CSS_SELECTOR, ".extra-label").get_attribute("textContent")
    assert label == "Extra" and extra.find_element(By.CSS_SELECTOR, "a").get_attribute("aria-current") == "step"
    assert percent(browser) == "50"  # intro and remedial of intro, quiz, remedial, end
    assert pager(browser, "prev") == url + "quiz/"

    go(browser, "next", "end")
    assert pager(browser, "prev") == url + "remedial/"  # back along the way taken, not page order
    assert percent(browser) == "75"

    # Right at the second try: the quiz is settled, the route goes straight on and is finished.
    browser.get(url + "quiz/")
    answer(browser, 1, "Correct!")
    assert pager(browser, "next") == url + "end/"
    go(browser, "next", "end")
    assert percent(browser) == "100"
    assert pager(browser, "prev") == url + "quiz/"
    assert sidebar(browser) == {
        "Intro": (True, False, True),
        "Quiz": (True, False, True),
        "Remedial": (True, True, False),  # seen, but off the route now
        "End": (True, False, True),
    }

    browser.delete_all_cookies()
    sign_in(browser, live_server, "ms-peeters", "pw-teacher-123")
    browser.get(live_server.url + route_site)
    row = browser.find_element(By.CSS_SELECTOR, "tr[data-row='kim']")
    assert "finished" in row.text and "100%" in row.text
