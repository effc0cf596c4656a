"""HEAD is answered on every route that answers GET, like GET without a body (RFC 9110 §9.3.2).

The routes come from Django's URL resolver, so a new route is walked without editing this test.
Django's own admin (``admin/``) is left out: its URLs are Django's, not ours.
"""

from __future__ import annotations

import hashlib
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from learningpaths.compiler.result import Asset
from tests.conftest import compile_result, compiled_object, compiled_path

pytestmark = pytest.mark.django_db

# A value for each route parameter, by name; objects and paths of the site below.
VALUES = {
    "hruid": "intro",
    "language": "en",
    "version": "1",
    "path": "a.png",
    "node": "intro",
    "name": "pyodide.js",
    "qid": "q1",
    "rest": "nope",
}
QUERY = "?hruid=intro&language=en"  # for the API's routes, which take their identifiers there
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def asset_site(db, settings, tmp_path):
    """A path and an object, both named intro (the one value the walk gives hruid), with an image."""
    from learningpaths.paths.services import content_sync

    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    source = tmp_path / "a.png"
    source.write_bytes(PNG)
    intro = compiled_object("intro", html='<p><img src="/objects/intro/en/1/assets/a.png" alt="A"></p>')
    intro.assets = [Asset("a.png", source, hashlib.sha256(PNG).hexdigest(), len(PNG), False)]
    path = compiled_path("intro", [intro])
    path.image, path.image_mime = PNG, "image/png"
    content_sync(result=compile_result([intro], [path]))


def _routes(patterns, prefix: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _concrete(template: str) -> str | None:
    """A URL for a route template (``path()`` converters or an ``re_path`` regex), or None."""
    names = re.findall(r"<(?:\w+:)?(\w+)>", template)
    if any(n not in VALUES for n in names):
        return None
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: VALUES[m.group(1)], template)
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: VALUES[m.group(1)], url)
    url = url.replace("^", "").replace("$", "").replace("/?", "/")
    url = re.sub(r"\\(.)", r"\1", url)
    return "/" + url


def urls() -> list[str]:
    out = []
    for template, _ in _routes(get_resolver().url_patterns):
        if template.startswith("admin/"):
            continue
        url = _concrete(template)
        if url is not None:
            out.append(url + (QUERY if url.startswith("/api/") else ""))
    return sorted(set(out))


def test_the_walk_covers_the_routes():
    walked = urls()
    assert len(walked) > 40
    assert (
        "/objects/intro/en/1/assets/a.png" in walked and "/api/learningObject/getRaw/?hruid=intro&language=en" in walked
    )


@pytest.mark.parametrize("who", ["anonymous", "teacher"])
def test_head_answers_like_get_on_every_get_route(client, teacher, asset_site, who):
    if who == "teacher":
        client.force_login(teacher)
    answered, ok = [], []
    for url in urls():
        get = client.get(url)
        if get.status_code == 405:  # a POST-only route
            continue
        head = client.head(url)
        assert head.status_code == get.status_code, url
        assert head.get("Content-Type") == get.get("Content-Type"), url
        body = b"".join(head.streaming_content) if head.streaming else head.content
        assert body == b"", url
        answered.append(url)
        if head.status_code == 200:
            ok.append(url)
    assert len(answered) > 30
    for url in (
        "/",
        "/objects/intro/en/1/",
        "/objects/intro/en/1/assets/a.png",
        "/paths/intro/en/",
        "/paths/intro/en/intro/",
        "/paths/intro/en/image",
        "/sitemap.xml",
        "/api/learningObject/getRaw/?hruid=intro&language=en",
        "/api/learningPath/intro/en/?hruid=intro&language=en",
    ):
        assert url in ok, url
