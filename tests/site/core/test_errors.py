"""core/errors.py: one JSON error shape, ``{"error": code, "detail": message, ...extra}``, on every route
of the URL resolver that answers JSON (the API, the demos, answers, returned values), for anonymous
and signed-in callers; and the helpers themselves."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from learningpaths.core.errors import CODES, SPECIAL_CODES, error_body, json_error
from tests.security.test_csrf import ROUTES

pytestmark = pytest.mark.django_db

# Routes whose bad requests must come back as JSON errors (a walk that finds none of them would
# prove nothing): every API route, the demos, and the two JSON endpoints the player posts to.
JSON_ROUTES = {"demos:status", "demos:predict", "learning:answer", "classroom:return_value"}


def assert_error_shape(response, where) -> None:
    body = response.json()
    assert isinstance(body, dict) and set(body) >= {"error", "detail"}, (where, body)
    assert body["error"] == CODES.get(response.status_code) or body["error"] in SPECIAL_CODES, (where, body)
    assert isinstance(body["detail"], str) and body["detail"].strip(), (where, body)
    assert set(body) - {"error", "detail"} <= {"retry_after"}, (where, body)


def bad_requests(client: Client, url: str):
    """A malformed JSON POST, a GET with malformed parameters, and a method no route takes."""
    headers = {"HTTP_ACCEPT": "application/json"}
    yield "POST", client.post(url, b"{not json", content_type="application/json", **headers)
    yield "GET", client.get(url, {"version": "not-a-number", "pathIdList": "{", "target_ages": "["}, **headers)
    yield "PATCH", client.patch(url, b"{}", content_type="application/json", **headers)


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "student"])
def test_every_json_error_has_the_one_shape(student, signed_in):
    client = Client()
    answered = set()
    for name, url in ROUTES:
        if name.startswith("admin:"):
            continue  # Django's admin: HTML only, and slow to walk
        if signed_in:
            client.force_login(student)  # a POST to sign-out (or similar) must not end the walk's session
        for method, response in bad_requests(client, url):
            if response.status_code >= 400 and response.get("Content-Type", "").startswith("application/json"):
                assert_error_shape(response, (name, url, method, response.status_code))
                answered.add(name)
    expected = JSON_ROUTES | {name for name, _ in ROUTES if name.startswith("api:")}
    assert expected <= answered, sorted(expected - answered)


def test_the_api_documents_the_shape_once():
    from learningpaths.api.openapi import openapi_document

    doc = openapi_document()
    error = doc["components"]["schemas"]["Error"]
    assert error["required"] == ["error", "detail"]
    assert set(error["properties"]["error"]["enum"]) == {*CODES.values(), *SPECIAL_CODES}
    refs = [
        json.dumps(r)
        for item in doc["paths"].values()
        for op in item.values()
        for status, r in op["responses"].items()
        if int(status) >= 400 and "content" in r
    ]
    assert refs and all('"#/components/schemas/Error"' in r or '"#/components/schemas/RateLimited"' in r for r in refs)


def test_json_error_helpers():
    response = json_error(429, "slow down", retry_after=7)
    assert response.status_code == 429 and response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"error": "too_many_requests", "detail": "slow down", "retry_after": 7}
    assert error_body(401, "bad key", code="invalid_token") == {"error": "invalid_token", "detail": "bad key"}
    assert error_body(418, "teapot") == {"error": "http_418", "detail": "teapot"}
    assert json.loads(json_error(400, "één fout").content)["detail"] == "één fout"
