"""No API route ever gives teacher-only text to a student, an anonymous visitor or a student token;
a teacher session and a teacher token do get it."""

from __future__ import annotations

import pytest

from .conftest import SECRETS, token_header

pytestmark = pytest.mark.django_db

OBJ = "/api/learningObject/"
P = "/api/learningPath/"
URLS = [
    "/api/",
    "/api/docs",
    "/api/openapi.json",
    *[
        f"{OBJ}{route}?{q}"
        for route in ("getRaw", "getWrapped", "getMetadata")
        for q in (
            "hruid=intro&language=en",
            "hruid=intro&language=en&version=1",
            "hruid=guide&language=en",
            "hruid=guide&language=en&version=1",
            "hruid=guide",
            "uuid=uuid-g",
        )
    ],
    f"{OBJ}getRaw?hruid=guide&language=en&redirect=true",
    f"{OBJ}search",
    f"{OBJ}search?searchTerm=guide",
    f"{OBJ}search?searchTerm=TEACHER",
    f"{OBJ}search?hruid=guide",
    f"{OBJ}search?teacher_exclusive=true",
    f'{OBJ}search?keywords=["guide"]',
    f"{OBJ}search?searchTerm=neural",
    f"{OBJ}search?title=teacher",
    f"{OBJ}search?uuid=uuid-g",
    f"{OBJ}getFrequentKeywords",
    f"{P}search",
    f"{P}search?all=guide",
    f"{P}search?all=teacher",
    f"{P}search?keywords=guide",
    f"{P}search?hruid=guide",
    f"{P}search?title=Only",
    f'{P}getPathsFromIdList?pathIdList={{"hruids":["deep","guide-path","flipped"]}}',
    f'{P}getPathsFromIdList?pathIdList={{"hruids":["deep","guide-path"]}}&language=en',
    f"{P}languages",
    f"{P}deep/en",
    f"{P}flipped/en",
    f"{P}guide-path/en",
    f"{P}nope/en",
]


@pytest.fixture(params=["anonymous", "student session", "student token"])
def outsider(request, client, api_site):
    extra = {}
    if request.param == "student session":
        client.force_login(request.getfixturevalue("student"))
    elif request.param == "student token":
        extra = token_header(request.getfixturevalue("student_token"))
    return client, extra


def test_outsiders_never_see_teacher_only_text(outsider):
    client, extra = outsider
    for url in URLS:
        response = client.get(url, **extra)
        assert response.status_code in (200, 302, 404), (url, response.status_code)
        body = response.content.decode()
        for secret in SECRETS:
            assert secret not in body, (url, secret)
        if response.status_code == 302:
            assert "guide" not in response["Location"]


def test_teacher_object_is_a_404_not_a_403(outsider):
    client, extra = outsider
    hidden = client.get(f"{OBJ}getMetadata?hruid=guide&language=en", **extra)
    missing = client.get(f"{OBJ}getMetadata?hruid=missing&language=en", **extra)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


@pytest.fixture(params=["teacher session", "teacher token"])
def insider(request, client, api_site):
    extra = {}
    if request.param == "teacher session":
        client.force_login(request.getfixturevalue("teacher"))
    else:
        extra = token_header(request.getfixturevalue("teacher_token"))
    return client, extra


def test_teachers_see_teacher_only_content(insider):
    client, extra = insider

    def body(url):
        response = client.get(url, **extra)
        assert response.status_code == 200, url
        return response.content.decode()

    assert "TEACHER-SECRET-NOTE" in body(f"{OBJ}getRaw?hruid=intro&language=en")
    assert "TEACHER-SECRET-NOTE" in body(f"{OBJ}getWrapped?hruid=intro&language=en&version=1")
    assert "TEACHER-GUIDE-TEXT" in body(f"{OBJ}getRaw?hruid=guide&language=en")
    assert "TEACHER-GUIDE-TEXT" in body(f"{OBJ}getWrapped?hruid=guide&language=en")
    assert '"guide/en/1"' in body(f"{OBJ}getMetadata?hruid=guide&language=en")
    assert '"guide/en/1"' in body(f"{OBJ}search?searchTerm=guide")
    assert '"guide"' in body(f"{P}deep/en")
    assert '"guide-path"' in body(f"{P}search?all=guide")
