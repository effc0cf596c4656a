"""The answer route after issue 16: feedback, hint, solution policy, tries, restoring state."""

import json

import pytest

from learningpaths.compiler.render import render
from learningpaths.learning.models import Submission
from learningpaths.paths.services import content_sync
from tests.compiler.render.conftest import make_input
from tests.conftest import compile_result, compiled_object, compiled_path

pytestmark = pytest.mark.django_db

SOURCE = """Intro.

```question
id: capital
kind: multiple_choice
prompt: Capital of Belgium?
options:
  - {text: Antwerp, feedback: Antwerp is a **port**.}
  - Brussels
answer: 1
feedback: Brussels has been the capital since 1830.
hint: The European Union meets there.
attempts: 2
```

```question
id: pi
kind: numeric
prompt: Pi to two decimals?
answer: 3.14
tolerance: 0.01
solution: never
```

::: teacher
```question
id: secret
kind: short_text
prompt: For teachers.
answer: zebra
```
:::
"""


@pytest.fixture
def quiz_site(settings, tmp_path):
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    rendered = render(make_input(SOURCE))
    quiz = compiled_object("quiz", title="Quiz", html=rendered.html, teacher_html=rendered.teacher_html)
    quiz.questions = rendered.questions
    content_sync(result=compile_result([quiz], [compiled_path("quizzes", [quiz])]))


def post(client, qid, answer):
    return client.post(
        f"/learn/answers/quiz/en/1/{qid}/", data=json.dumps({"answer": answer}), content_type="application/json"
    )


def test_wrong_then_wrong_then_refused(client, student, quiz_site):
    client.force_login(student)
    first = post(client, "capital", ["0"])
    assert first.status_code == 201
    assert first.json() == {
        "correct": False,
        "score": 0.0,
        "message": "Read the hint, then try again.",
        "feedback": "<p>Antwerp is a <strong>port</strong>.</p>",
        "hint": "<p>The European Union meets there.</p>",
        "solution": "",
        "attempts_left": 1,
        "settled": False,
    }
    second = post(client, "capital", ["0"]).json()
    assert (second["attempts_left"], second["settled"], second["solution"], second["hint"]) == (0, True, "Brussels", "")
    third = post(client, "capital", ["1"])
    assert third.status_code == 403
    assert third.json() == {
        "error": "no_tries_left",
        "detail": "You have used all your tries for this question. Continue with the next step.",
    }
    assert Submission.objects.filter(question_id="capital").count() == 2


def test_right_answer_gets_the_questions_feedback_and_the_solution(client, student, quiz_site):
    client.force_login(student)
    body = post(client, "capital", ["1"]).json()
    assert body["correct"] is True and body["message"] == "Correct!" and body["hint"] == ""
    assert body["feedback"] == "<p>Brussels has been the capital since 1830.</p>"
    assert (body["solution"], body["attempts_left"], body["settled"]) == ("Brussels", 1, True)


def test_solution_never_is_never_sent(client, student, quiz_site):
    client.force_login(student)
    assert post(client, "pi", "3").json()["solution"] == ""
    body = post(client, "pi", "3,14").json()
    assert body["correct"] is True and body["solution"] == "" and body["attempts_left"] is None


def test_no_feedback_hint_or_solution_in_the_page(client, student, quiz_site):
    client.force_login(student)
    for url in ("/paths/quizzes/en/quiz/", "/objects/quiz/en/1/"):
        page = client.get(url).content.decode()
        assert 'data-question-id="capital"' in page
        for secret in ("is a <strong>port", "1830", "European Union", "3.14", "zebra", "For teachers"):
            assert secret not in page, (url, secret)


def test_answers_mine_restores_the_latest_answer(client, student, quiz_site):
    client.force_login(student)
    post(client, "capital", ["0"])
    post(client, "pi", "3.14")
    response = client.get("/learn/answers/quiz/en/1/")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    answers = response.json()["answers"]
    assert set(answers) == {"capital", "pi"}
    assert answers["capital"] == {
        "answer": [0],
        "correct": False,
        "score": 0.0,
        "tries": 1,
        "message": "Read the hint, then try again.",
        "feedback": "<p>Antwerp is a <strong>port</strong>.</p>",
        "hint": "<p>The European Union meets there.</p>",
        "solution": "",
        "attempts_left": 1,
        "settled": False,
    }
    assert answers["pi"]["answer"] == 3.14 and answers["pi"]["solution"] == ""


def test_answers_mine_is_per_student_and_hides_teacher_questions(client, student, teacher, quiz_site):
    client.force_login(teacher)
    assert post(client, "secret", "zebra").status_code == 201
    assert set(client.get("/learn/answers/quiz/en/1/").json()["answers"]) == {"secret"}
    client.force_login(student)
    assert post(client, "secret", "zebra").status_code == 404  # no oracle for a student
    assert client.get("/learn/answers/quiz/en/1/").json() == {"answers": {}}
    assert client.get("/learn/answers/nope/en/1/").status_code == 404
    assert client.post("/learn/answers/quiz/en/1/").status_code == 405


def test_a_limited_question_locks_the_students_row_while_it_counts_tries(client, student, quiz_site):
    # Two answers sent at the same moment would otherwise both count one try (PostgreSQL); SQLite's
    # IMMEDIATE transactions queue them already, and it has no FOR UPDATE.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(student)
    with CaptureQueriesContext(connection) as limited:
        assert post(client, "capital", ["0"]).status_code == 201
    with CaptureQueriesContext(connection) as unlimited:
        assert post(client, "pi", "3").status_code == 201
    locks = [q["sql"] for q in limited.captured_queries if "FOR UPDATE" in q["sql"]]
    if connection.features.has_select_for_update:
        assert len(locks) == 1 and str(student.pk) in locks[0]
    assert not [q for q in unlimited.captured_queries if "FOR UPDATE" in q["sql"]]
