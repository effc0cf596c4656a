"""``submission_create`` refuses, with a message and nothing stored, what no database can hold or no
reader should have to show: the service-level guarantee for every writer, whatever the door did."""

from __future__ import annotations

import json

import pytest

from learningpaths.compiler.result import Question
from learningpaths.core.exceptions import ApplicationError
from learningpaths.learning.models import Submission
from learningpaths.learning.services import submission_create
from learningpaths.paths.models import LearningObject
from learningpaths.paths.services import content_sync
from tests.conftest import compile_result, compiled_object, compiled_path

pytestmark = pytest.mark.django_db


def nested(n: int):
    value: object = "x"
    for _ in range(n):
        value = {"k": value}
    return value


@pytest.fixture
def questions_site(settings, tmp_path):
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    obj = compiled_object("qs", title="Questions")
    obj.questions = [
        Question(id="text", kind="short_answer", prompt="Name it", options=[], key={"accepted": ["ok"]}),
        Question(id="match", kind="matching", prompt="Match", options=[], key={"pairs": {"a": "1"}}),
    ]
    content_sync(result=compile_result([obj], [compiled_path("qp", [obj])]))
    return LearningObject.objects.get(hruid="qs")


REFUSED = [
    ("text", "answer \ud800", "a NUL character or a lone UTF-16 surrogate"),
    ("text", "a\x00b", "a NUL character or a lone UTF-16 surrogate"),
    ("match", {"a": "\udfff"}, "a NUL character or a lone UTF-16 surrogate"),
    ("match", {"\ud800": "1"}, "a NUL character or a lone UTF-16 surrogate"),
    ("match", {"a": float("nan")}, "a number that is not finite"),
    ("match", [float("inf")], "a number that is not finite"),
    ("match", {"a": 10**400}, "a whole number larger than 2^53"),
    ("match", nested(33), "nesting deeper than 32 levels"),
    ("match", nested(5000), "nesting deeper than 32 levels"),  # str() of it would recurse
    ("text", nested(5000), "nesting deeper than 32 levels"),
    ("match", {"a": "x" * 100_001}, "a text longer than 100000 characters"),
    ("match", list(range(10_001)), "more than 10000 items"),
]


@pytest.mark.parametrize(
    ("qid", "raw", "why"), REFUSED, ids=[f"{q}-{w[:20]}-{i}" for i, (q, _r, w) in enumerate(REFUSED)]
)
def test_what_cannot_be_stored_is_refused(questions_site, student, qid, raw, why):
    with pytest.raises(ApplicationError) as caught:
        submission_create(user=student, obj=questions_site, question_id=qid, raw_answer=raw)
    assert caught.value.message == f"This answer cannot be stored: it has {why}."
    assert caught.value.extra.get("status", 400) == 400
    assert not Submission.objects.exists()


def test_sane_values_are_still_stored(questions_site, student):
    submission_create(user=student, obj=questions_site, question_id="match", raw_answer={"a": "1", "b": nested(30)})
    submission_create(user=student, obj=questions_site, question_id="text", raw_answer="  ok ✓ ")
    assert sorted(Submission.objects.values_list("question_id", flat=True)) == ["match", "text"]


def test_the_answer_view_answers_400_not_500(client, questions_site, student):
    """A lone surrogate arrives as a JSON escape; PostgreSQL's jsonb refused it with a DataError (a 500).
    The body layer refuses it at the door now (core/bodies.py), before the service's own guard."""
    client.force_login(student)
    response = client.post(
        "/learn/answers/qs/en/1/text/", data='{"answer": "\\ud800"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert "lone UTF-16 surrogate" in response.json()["detail"]
    assert not Submission.objects.exists()
    ok = client.post("/learn/answers/qs/en/1/text/", data=json.dumps({"answer": "ok"}), content_type="application/json")
    assert ok.status_code in (200, 201)
