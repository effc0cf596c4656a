"""API tokens (hashed, created by a management command), session auth, CORS and caching headers."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from learningpaths.api.models import ApiToken

from .conftest import token_header

pytestmark = pytest.mark.django_db

GUIDE_RAW = "/api/learningObject/getRaw?hruid=guide&language=en"


def test_create_api_token_prints_the_key_once_and_stores_its_hash(teacher):
    out, err = StringIO(), StringIO()
    call_command("create_api_token", "teach", "--name", "laptop", stdout=out, stderr=err)
    key = out.getvalue().strip()
    assert len(key) >= 40 and "teacher" in err.getvalue()
    token = ApiToken.objects.get()
    assert token.user == teacher and token.name == "laptop" and token.prefix == key[:8]
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in repr(ApiToken.objects.values())  # the key itself is stored nowhere


def test_create_api_token_unknown_user(db):
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody", stdout=StringIO(), stderr=StringIO())


def test_teacher_token_sees_teacher_content(client, api_site, teacher_token):
    response = client.get(GUIDE_RAW, **token_header(teacher_token))
    assert response.status_code == 200 and "TEACHER-GUIDE-TEXT" in response.content.decode()
    assert ApiToken.objects.get().last_used_at is not None
    # The scheme is case-insensitive.
    assert client.get(GUIDE_RAW, HTTP_AUTHORIZATION=f"token {teacher_token}").status_code == 200


def test_student_token_has_student_visibility(client, api_site, student_token):
    assert client.get(GUIDE_RAW, **token_header(student_token)).status_code == 404


@pytest.mark.parametrize("header", ["Token nope", "Token ", "Token " + "x" * 300])
def test_bad_token_is_a_json_401(client, api_site, header):
    response = client.get("/api/learningPath/languages", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401 and response.json()["error"] == "invalid_token"
    assert response["WWW-Authenticate"].startswith("Token")
    assert "Access-Control-Allow-Origin" not in response


def test_revoked_token_and_inactive_user_are_refused(client, api_site, teacher, teacher_token):
    ApiToken.objects.update(revoked=True)
    assert client.get(GUIDE_RAW, **token_header(teacher_token)).status_code == 401
    ApiToken.objects.update(revoked=False)
    teacher.is_active = False
    teacher.save()
    assert client.get(GUIDE_RAW, **token_header(teacher_token)).status_code == 401


def test_a_token_wins_over_the_session(client, api_site, teacher, student_token):
    client.force_login(teacher)
    assert client.get(GUIDE_RAW).status_code == 200
    assert client.get(GUIDE_RAW, **token_header(student_token)).status_code == 404


def test_other_authorization_schemes_are_ignored(client, api_site):
    assert client.get("/api/learningPath/languages", HTTP_AUTHORIZATION="Basic eDp5").status_code == 200


def test_teacher_session_sees_teacher_content(client, api_site, teacher):
    client.force_login(teacher)
    assert "TEACHER-GUIDE-TEXT" in client.get(GUIDE_RAW).content.decode()


def test_cors_only_on_anonymous_answers(client, api_site, student, teacher_token):
    anon = client.get("/api/learningPath/deep/en")
    assert anon["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in anon
    assert "Cookie" in anon["Vary"] and "Authorization" in anon["Vary"]
    assert client.get("/api/learningPath/nope/en")["Access-Control-Allow-Origin"] == "*"  # errors too
    with_token = client.get("/api/learningPath/deep/en", **token_header(teacher_token))
    assert "Access-Control-Allow-Origin" not in with_token and "private" in with_token["Cache-Control"]
    client.force_login(student)
    with_session = client.get("/api/learningPath/deep/en")
    assert "Access-Control-Allow-Origin" not in with_session and "private" in with_session["Cache-Control"]


def test_preflight_and_methods(client, api_site):
    preflight = client.options("/api/learningObject/search")
    assert preflight.status_code == 204 and preflight["Access-Control-Allow-Origin"] == "*"
    assert "Authorization" not in preflight.get("Access-Control-Allow-Headers", "")
    response = client.post("/api/learningObject/search")
    assert response.status_code in (403, 405)  # CSRF or read-only; never a write
    from django.test import Client

    response = Client(enforce_csrf_checks=False).post("/api/learningObject/search")
    assert response.status_code == 405 and response.json()["error"] == "method_not_allowed"


def test_get_wrapped_may_be_framed_other_routes_not(client, api_site):
    assert "X-Frame-Options" not in client.get("/api/learningObject/getWrapped?hruid=intro&language=en")
    assert client.get("/api/learningObject/getRaw?hruid=intro&language=en")["X-Frame-Options"] == "DENY"


def test_token_admin_lists_tokens(client, django_user_model, teacher_token):
    admin = django_user_model.objects.create_superuser("root", password="pw-root-123456")
    client.force_login(admin)
    page = client.get("/admin/api/apitoken/")
    assert page.status_code == 200 and teacher_token[:8] in page.content.decode()
    assert teacher_token not in page.content.decode()
    assert client.get("/admin/api/apitoken/add/").status_code == 403
