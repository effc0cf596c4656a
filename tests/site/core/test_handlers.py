"""core/handlers.py: what goes wrong around a view (CSRF, a bad Host, Django's size limit, a 404, an
exception) is answered in the JSON error shape on JSON routes, and with Django's pages elsewhere."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.site.core.test_errors import assert_error_shape

pytestmark = pytest.mark.django_db

ANSWER = "/learn/answers/intro/en/1/q1/"
RETURN = "/classes/returns/intro/en/1/"
JSON_POSTS = [ANSWER, RETURN, "/api/learningPath/search", "/api/demos/nope/predict"]


def is_json(response) -> bool:
    return response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("url", [ANSWER, RETURN, "/api/learningPath/search"])
def test_the_csrf_failure_is_json_on_json_routes(student, url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    response = client.post(url, '{"answer": 1}', content_type="text/plain")
    assert response.status_code == 403 and is_json(response) and b"CSRF" in response.content
    assert_error_shape(response, url)


def test_the_csrf_failure_is_the_html_page_on_form_routes(teacher):
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)
    response = client.post("/classes/new/", {"name": "Robotics"})
    assert response.status_code == 403 and response["Content-Type"].startswith("text/html")
    # A script that asks for JSON gets JSON even there.
    response = client.post("/classes/new/", {"name": "Robotics"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 403 and is_json(response)


@pytest.mark.parametrize("url", JSON_POSTS + ["/api/learningPath/languages"])
def test_a_bad_host_is_a_json_400_on_json_routes(client, url, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = client.post(url, "{}", content_type="application/json", HTTP_HOST="evil.example")
    assert response.status_code == 400 and is_json(response), response.content[:200]
    assert_error_shape(response, url)


def test_a_bad_host_is_the_html_page_elsewhere(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400 and not is_json(response)


@pytest.mark.parametrize("url", [ANSWER, RETURN])
def test_a_multipart_body_to_a_json_route_is_a_415(client, student, url):
    """CSRF reads a multipart body as a form first; reading request.body afterwards raised (a 500)."""
    client.force_login(student)
    response = client.post(url, {"answer": "1", "value": "1"})  # the test client sends multipart
    assert response.status_code == 415 and "not as a form" in response.json()["detail"]
    assert_error_shape(response, url)
    response = client.post(url, "answer=1", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415


def test_django_s_size_limit_on_a_form_body_to_a_json_route_is_a_json_413(client, student, settings):
    """Too many bytes for DATA_UPLOAD_MAX_MEMORY_SIZE, read by CSRF as a urlencoded form."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    client.force_login(student)
    response = client.post(ANSWER, "answer=" + "x" * 200, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (413, 415) and is_json(response)
    response = client.post(
        "/api/learningPath/search", "a=" + "x" * 200, content_type="application/x-www-form-urlencoded"
    )
    assert 400 <= response.status_code < 500 and is_json(response)


def test_a_404_is_json_when_json_is_asked_for(client):
    response = client.get("/no/such/page/", HTTP_ACCEPT="application/json")
    assert response.status_code == 404 and is_json(response)
    assert_error_shape(response, "404")
    response = client.get("/no/such/page/")
    assert response.status_code == 404 and not is_json(response)


def test_a_500_is_json_on_json_routes(student, monkeypatch):
    from learningpaths.learning import views

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "submission_create", broken)
    monkeypatch.setattr(views.content, "object_get", lambda **kwargs: None)
    client = Client(raise_request_exception=False)
    client.force_login(student)
    response = client.post(ANSWER, '{"answer": 1}', content_type="application/json")
    assert response.status_code == 500 and is_json(response)
    assert_error_shape(response, "500")
    assert "boom" not in response.json()["detail"]  # nothing internal is shown


@pytest.mark.parametrize("url", [ANSWER, RETURN, "/api/demos/digits-cnn/predict", "/api/demos/"])
def test_wrong_methods_are_a_json_405(client, student, url):
    client.force_login(student)
    response = client.put(url, "{}", content_type="application/json")
    assert response.status_code == 405 and is_json(response) and response["Allow"]
    assert_error_shape(response, url)


def test_api_posts_with_the_token_are_a_json_405(client):
    response = client.post("/api/learningPath/search", "{}", content_type="application/json")
    assert response.status_code == 405 and json.loads(response.content)["error"] == "method_not_allowed"
