"""Fixtures for the classroom tests: a quiz path (with a question and a return-value schema)."""

from __future__ import annotations

import pytest

from learningpaths.classroom import services
from learningpaths.compiler.result import CompiledNode, CompiledTransition, Question
from learningpaths.paths.services import content_sync
from tests.conftest import compile_result, compiled_object, compiled_path

QUESTION_HTML = (
    '<form class="lp-question" data-question-id="q1" data-kind="multiple_choice">'
    '<label><input type="radio" name="answer" value="0"> 3</label>'
    '<label><input type="radio" name="answer" value="1"> 4</label>'
    '<button type="submit">Check</button></form>'
)
SCHEMA = {
    "type": "object",
    "properties": {
        "accuracy": {"type": "number", "minimum": 0, "maximum": 1},
        "model": {"type": "string", "enum": ["mlp", "cnn"]},
    },
    "required": ["accuracy"],
    "additionalProperties": False,
}


def quiz_objects():
    intro = compiled_object("intro", title="Introduction", html="<p>Welcome</p>")
    quiz = compiled_object("quiz", title="Quiz", html=QUESTION_HTML)
    quiz.questions = [
        Question(id="q1", kind="multiple_choice", prompt="2+2?", options=["3", "4"], key={"correct": [1]})
    ]
    train = compiled_object(
        "train", title="Train a model", return_value={"callback_url": "/x", "callback_schema": SCHEMA}
    )
    guide = compiled_object("guide", title="Teacher guide", teacher_exclusive=True)
    return intro, quiz, train, guide


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """PBKDF2 makes each user take ~0.5 s on a small machine; these tests are not about hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def quiz_site(db, settings, tmp_path):
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    intro, quiz, train, guide = quiz_objects()
    result = compile_result(
        [intro, quiz, train, guide], [compiled_path("quizpath", [intro, quiz, guide, train], title="Quiz path")]
    )
    content_sync(result=result)
    return result


@pytest.fixture
def branching_site(db, settings, tmp_path):
    """quiz --(wrong)--> remedial --> end;  quiz --(default)--> end."""
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    _, quiz, _, _ = quiz_objects()
    remedial = compiled_object("remedial", title="Remedial")
    end = compiled_object("end", title="End")
    path = compiled_path("branchy", [quiz, remedial, end], title="Branchy")
    path.nodes = [
        CompiledNode(
            key=quiz.key,
            start_node=True,
            transitions=[
                CompiledTransition(next=remedial.key, condition="$[?(@.correct == false)]"),
                CompiledTransition(next=end.key, default=True),
            ],
        ),
        CompiledNode(key=remedial.key, transitions=[CompiledTransition(next=end.key, default=True)]),
        CompiledNode(key=end.key),
    ]
    content_sync(result=compile_result([quiz, remedial, end], [path]))


@pytest.fixture
def other_teacher(django_user_model):
    return django_user_model.objects.create_user("other", password="pw-other-123", role="teacher")


@pytest.fixture
def classroom(teacher):
    return services.classroom_create(teacher=teacher, name="3B science")


@pytest.fixture
def member(classroom, student):
    services.membership_join(user=student, code=classroom.code)
    return student


@pytest.fixture
def assignment(classroom, teacher, quiz_site):
    return services.assignment_create(classroom=classroom, actor=teacher, path_hruid="quizpath", path_language="en")
