"""API tokens on the file routes (api/middleware.py): a teacher's token gets the images of
teacher-only material through every asset route; students, anonymous callers and bad tokens do not."""

from __future__ import annotations

import hashlib

import pytest

from learningpaths.api.models import ApiToken
from learningpaths.compiler.result import Asset
from tests.conftest import compile_result, compiled_object, compiled_path

from .conftest import token_header

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 32
OPEN = "/objects/open/en/1/assets/a.png"  # a student object
BLOCK = "/objects/open/en/1/assets/key.png"  # used only inside its ::: teacher block
GUIDE = "/objects/guide/en/1/assets/g.png"  # inside a teacher-exclusive object
GUIDE_PATH_IMAGE = "/paths/guide-path/en/image"  # the image of a path of teacher-only nodes
TEACHER_ONLY = (BLOCK, GUIDE, GUIDE_PATH_IMAGE)


def _asset(tmp_path, name: str, teacher_only: bool = False) -> Asset:
    source = tmp_path / name
    source.write_bytes(PNG)
    return Asset(name, source, hashlib.sha256(PNG).hexdigest(), len(PNG), teacher_only)


@pytest.fixture
def asset_site(db, settings, tmp_path):
    from learningpaths.paths.services import content_sync

    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    open_obj = compiled_object("open")
    open_obj.assets = [_asset(tmp_path, "a.png"), _asset(tmp_path, "key.png", teacher_only=True)]
    guide = compiled_object("guide", teacher_exclusive=True)
    guide.assets = [_asset(tmp_path, "g.png")]
    guide_path = compiled_path("guide-path", [guide])
    guide_path.image, guide_path.image_mime = PNG, "image/png"
    content_sync(result=compile_result([open_obj, guide], [compiled_path("open-path", [open_obj]), guide_path]))


@pytest.fixture
def teacher_key(teacher):
    return ApiToken.create_for(teacher, name="t")[1]


@pytest.fixture
def student_key(student):
    return ApiToken.create_for(student, name="s")[1]


@pytest.mark.parametrize("url", TEACHER_ONLY)
@pytest.mark.parametrize("method", ["get", "head"])
def test_a_teacher_token_gets_teacher_only_files(client, asset_site, teacher_key, url, method):
    response = getattr(client, method)(url, **token_header(teacher_key))
    assert response.status_code == 200, url
    if method == "get":
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body == PNG
    assert "private" in response["Cache-Control"] and "Authorization" in response["Vary"]


@pytest.mark.parametrize("url", TEACHER_ONLY)
def test_students_anonymous_and_bad_tokens_get_no_teacher_only_file(client, asset_site, student_key, url):
    assert client.get(url).status_code == 404
    assert client.get(url, **token_header(student_key)).status_code == 404
    bad = client.get(url, **token_header("not-a-key"))
    assert bad.status_code == 401 and bad.json()["error"] == "invalid_token"


def test_a_revoked_token_is_refused_and_the_session_is_not_used_instead(client, asset_site, teacher, teacher_key):
    ApiToken.objects.update(revoked=True)
    client.force_login(teacher)
    assert client.get(GUIDE, **token_header(teacher_key)).status_code == 401
    assert client.get(GUIDE).status_code == 200  # the session alone still works


def test_a_student_token_gets_student_files(client, asset_site, student_key):
    response = client.get(OPEN, **token_header(student_key))
    assert response.status_code == 200 and "Authorization" in response["Vary"]
    assert client.get(OPEN).status_code == 200


def test_tokens_do_not_reach_other_routes(client, asset_site, teacher_key):
    """Only the marked file routes read the token: a page is still judged by the session."""
    assert client.get("/objects/guide/en/1/", **token_header(teacher_key)).status_code == 404
