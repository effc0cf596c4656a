"""Teacher-only questions (inside ``::: teacher`` blocks, or in teacher-exclusive objects) do not
exist for students and anonymous visitors: not answerable, not graded, not findable on any route.
Content goes through the real compiler, so the flag is followed from the Markdown to the answer."""

from __future__ import annotations

import json

import pytest

from learningpaths.compiler import compile_content
from learningpaths.compiler.options import CompileOptions
from learningpaths.learning.models import Submission
from learningpaths.paths.models import Question
from learningpaths.paths.services import content_sync
from tests.compiler.helpers import front, path_json, write

pytestmark = pytest.mark.django_db

KEY = "wombatkeyword"  # the teacher-only question's answer key: never reaches a student
PROMPT = "xylophonequestion"  # a word only in that question's prompt
SEARCHED = "marimbaword"  # another one, searched for (a search page shows what was searched)

LESSON = f"""Student text lessonword.

```question
id: visible
kind: short_text
prompt: What do you see?
answer: ok
```

::: teacher
```question
id: secret
kind: short_text
prompt: The {PROMPT} for {SEARCHED} teachers
answer: {KEY}
```
:::
"""


@pytest.fixture
def teacher_site(settings, tmp_path):
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    root = write(
        tmp_path / "content",
        {
            "learning_objects/lesson/index.md": front("lesson", body=LESSON),
            "learning_objects/wrapper/index.md": front(
                "wrapper",
                body="Wrapper, see [the manual](@learning-object/guide/en/1).\n\n![x](@learning-object/lesson/en/1)",
            ),
            "learning_objects/guide/index.md": front(
                "guide",
                teacher_exclusive="true",
                body=f"```question\nid: g1\nkind: short_text\nprompt: Guide {PROMPT}\nanswer: {KEY}\n```",
            ),
            "learning_paths/p.json": path_json("p", ["wrapper", "lesson", "guide"]),
        },
    )
    result = compile_content([root], options=CompileOptions(jobs=1))
    assert result.accepted(), [d.format() for d in result.errors]
    content_sync(result=result)
    return result


def post(client, hruid: str, qid: str, answer=KEY):
    return client.post(
        f"/learn/answers/{hruid}/en/1/{qid}/", data=json.dumps({"answer": answer}), content_type="application/json"
    )


def test_the_compiler_flag_reaches_the_database(teacher_site):
    flags = dict(Question.objects.values_list("qid", "teacher_only"))
    assert flags == {"visible": False, "secret": True, "g1": True}


def test_a_student_gets_the_answer_for_a_question_that_does_not_exist(client, student, teacher_site):
    client.force_login(student)
    missing = post(client, "lesson", "nothing")
    hidden = post(client, "lesson", "secret")
    assert missing.status_code == 404 and missing.json()["detail"] == "This question does not exist."
    assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json())
    assert not Submission.objects.exists()
    assert post(client, "lesson", "visible", "ok").json()["correct"] is True  # the route works


def test_an_anonymous_visitor_gets_the_answer_for_a_question_that_does_not_exist(client, teacher_site):
    missing, hidden = post(client, "lesson", "nothing"), post(client, "lesson", "secret")
    assert missing.status_code == 404 and missing.json()["detail"] == "This question does not exist."
    assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json())
    assert not Submission.objects.exists()


def test_a_teacher_can_answer_it_and_is_graded(client, teacher, teacher_site):
    client.force_login(teacher)
    response = post(client, "lesson", "secret")
    assert response.status_code == 201 and response.json()["correct"] is True
    assert post(client, "guide", "g1").json()["correct"] is True
    assert Submission.objects.filter(user=teacher).count() == 2


def _routes():
    return [
        "/objects/lesson/en/1/",
        "/objects/wrapper/en/1/",  # transcludes lesson: its teacher block stays out
        "/objects/guide/en/1/",
        "/paths/p/en/",
        "/paths/p/en/lesson/",
        "/paths/p/en/wrapper/",
        f"/search/?q={SEARCHED}",
        "/api/learningObject/getRaw?hruid=lesson&language=en",
        "/api/learningObject/getWrapped?hruid=wrapper&language=en",
        "/api/learningObject/getMetadata?hruid=lesson&language=en",
        f"/api/learningObject/search?searchTerm={SEARCHED}",
        "/api/learningPath/p/en",
    ]


@pytest.mark.parametrize("who", ["anonymous", "student"])
def test_no_route_shows_the_question_or_its_key(client, student, teacher_site, who):
    if who == "student":
        client.force_login(student)
        post(client, "lesson", "secret")
        post(client, "lesson", "visible", "ok")
    for url in _routes() + (["/classes/me/data.json"] if who == "student" else []):
        response = client.get(url)
        assert response.status_code < 500, url
        body = response.content.decode()
        assert PROMPT not in body and KEY not in body and 'data-question-id="secret"' not in body, url
    assert "lessonword" in client.get("/objects/wrapper/en/1/").content.decode()  # the transclusion is there


def test_control_a_teacher_sees_the_question(client, teacher, teacher_site):
    client.force_login(teacher)
    for url in ("/objects/lesson/en/1/", "/objects/wrapper/en/1/", "/objects/guide/en/1/"):
        assert PROMPT in client.get(url).content.decode(), url


@pytest.mark.parametrize("who", ["anonymous", "student", "teacher"])
def test_a_link_to_a_teacher_only_object_is_text_for_students(client, student, teacher, teacher_site, who):
    if who != "anonymous":
        client.force_login(student if who == "student" else teacher)
    for url in ("/objects/wrapper/en/1/", "/paths/p/en/wrapper/"):
        body = client.get(url).content.decode()
        content = body.split('class="learning-object"')[1].split("</article>")[0]
        assert "the manual" in content, url
        if who == "teacher":
            assert 'href="/objects/guide/en/1/"' in content, url
        else:
            assert "guide" not in content, url
