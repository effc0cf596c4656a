"""NUL characters in URLs, query strings and JSON bodies are a 4xx, never a 500.

PostgreSQL text and jsonb cannot hold NUL, so before ``NulCharacterMiddleware`` every one of these
was a ``DataError`` (500) on PostgreSQL while SQLite answered 404. Run on both databases."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db

GETS = [
    "/paths/%00/en/",
    "/paths/deep/%00/",
    "/paths/deep/en/%00/",
    "/paths/%00/en/image",
    "/objects/%00/en/",
    "/objects/%00/en/1/",
    "/objects/intro/en/1/assets/%00",
    "/objects/intro/en/1/assets/a%00.png",
    "/search/?q=%00",
    "/search/?q=a&language=%00",
    "/?q=%00&theme=%00&language=%00",
    "/classes/%00/",
    "/api/learningPath/%00/en",
    "/api/learningPath/deep/%00",
    "/api/learningObject/getRaw?hruid=%00&language=en",
    "/api/learningObject/search?searchTerm=a%00b",
    "/api/%00",
    "/runtime/engine/%00",
    "/api/demos/%00/predict",
    "/search/?q%00=a",
    "/accounts/sign-in/?next=%00",
]


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "student"])
def test_nul_in_urls_is_a_client_error(client, sample_site, student, signed_in):
    if signed_in:
        client.force_login(student)
    for url in GETS:
        response = client.get(url)
        assert 400 <= response.status_code < 500, (url, response.status_code)
        if url.startswith("/api/"):
            assert set(response.json()) == {"error", "detail"}, url


def test_nul_in_json_bodies_is_a_client_error(client, sample_site, student):
    client.force_login(student)
    bodies = [{"answer": "a\u0000b"}, {"answer": ["\u0000"]}, {"value": {"k\u0000": 1}}, {"value": "\u0000"}]
    for url in ("/learn/answers/intro/en/1/q1/", "/classes/returns/intro/en/1/", "/learn/answers/%00/en/1/q1/"):
        for body in bodies:
            response = client.post(url, json.dumps(body), content_type="application/json")
            assert 400 <= response.status_code < 500, (url, body, response.status_code)
            assert set(response.json()) == {"error", "detail"}, (url, body)
        raw = client.post(url, b'{"answer": "a\x00b"}', content_type="application/json")
        assert 400 <= raw.status_code < 500
    # An escaped backslash followed by u0000 is ordinary text, not a NUL.
    response = client.post(
        "/learn/answers/intro/en/1/q1/", json.dumps({"answer": "\\u0000"}), content_type="application/json"
    )
    assert response.status_code == 404  # the sample object has no question q1: it got past the guard


def test_nul_in_form_fields_is_refused_by_the_forms(client, db):
    response = client.post(
        "/accounts/sign-up/", {"username": "a\x00b", "password1": "Long-enough-pw-1", "password2": "Long-enough-pw-1"}
    )
    assert response.status_code == 400
    response = client.post("/accounts/sign-in/", {"username": "a\x00b", "password": "x\x00"})
    assert response.status_code == 200 and b"errorlist" in response.content


def test_an_open_answer_with_nul_on_a_real_question(client, student, settings, tmp_path):
    """The case that reached the database: free text (kind open) is stored as it was typed."""
    from learningpaths.compiler.result import Question
    from learningpaths.learning.models import Submission
    from learningpaths.paths.services import content_sync
    from tests.conftest import compile_result, compiled_object

    settings.CONTENT_ASSET_ROOT = tmp_path
    essay = compiled_object("essay", html='<form class="lp-question" data-question-id="q1"></form>')
    essay.questions = [Question(id="q1", kind="open", prompt="Why?", options=[], key=None)]
    content_sync(result=compile_result([essay]))
    client.force_login(student)
    url = "/learn/answers/essay/en/1/q1/"
    assert client.post(url, json.dumps({"answer": "because\u0000"}), content_type="application/json").status_code == 400
    assert client.post(url, json.dumps({"answer": "because"}), content_type="application/json").status_code == 201
    assert list(Submission.objects.values_list("answer", flat=True)) == ["because"]
