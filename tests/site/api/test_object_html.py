"""HTML served through the API works on its own in a client's page: live iframes (the client
decides on consent), math in Dwengo's delimiters, and getWrapped as a complete page. Our own
pages keep click-to-load embeds, with the button in the lesson's language."""

from __future__ import annotations

import pytest

from learningpaths.paths.services import content_sync
from tests.conftest import compile_result, compiled_object

pytestmark = pytest.mark.django_db

VIDEO = '<div class="iframe-container iframe-16-9"><iframe src="https://www.youtube.com/embed/abc"></iframe></div>'
MATH = '<p>Som <span class="math inline">\\(x^2\\)</span></p><div class="math display">\\[y\\]</div>'


@pytest.fixture
def lessons(settings, tmp_path):
    settings.CONTENT_ASSET_ROOT = tmp_path
    content_sync(
        result=compile_result(
            [
                compiled_object("video", language="nl", html=VIDEO + MATH),
                compiled_object(
                    "secret",
                    teacher_exclusive=True,
                    html="<p>x</p>",
                    teacher_html='<figure class="lp-blockly"><p>SECRET</p></figure>',
                ),
            ]
        )
    )


@pytest.mark.parametrize("route", ["getRaw", "getWrapped"])
def test_api_html_has_live_iframes_and_delimited_math(client, lessons, route):
    body = client.get(f"/api/learningObject/{route}?hruid=video&language=nl").content.decode()
    assert '<iframe src="https://www.youtube.com/embed/abc">' in body
    assert "data-lp-src" not in body and "lp-embed-load" not in body
    assert '<span class="math inline">\\(x^2\\)</span>' in body and '<div class="math display">\\[y\\]</div>' in body


def test_our_object_page_defers_the_iframe_with_a_dutch_button_in_a_dutch_lesson(client, lessons):
    body = client.get("/objects/video/nl/1/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-lp-src="https://www.youtube.com/embed/abc"' in body and ' src="https://www.youtube' not in body
    assert "Laad de inhoud van www.youtube.com" in body
    assert '<html lang="en">' in body  # the UI stays English


def test_get_wrapped_is_a_complete_page_with_only_our_own_scripts(client, lessons):
    page = client.get("/api/learningObject/getWrapped?hruid=video&language=nl").content.decode()
    assert page.startswith("<!DOCTYPE html>") and '<html lang="nl">' in page
    assert '/static/js/content.js"' in page and 'data-vendor="/static/vendor/"' in page
    assert 'data-blockly="/static/js/blockly.js"' in page
    assert "<script>" not in page  # no inline script (the site's CSP forbids them)


def test_get_wrapped_keeps_teacher_only_content_to_teachers(client, lessons, teacher):
    url = "/api/learningObject/getWrapped?hruid=secret&language=en"
    assert client.get(url).status_code == 404
    client.force_login(teacher)
    assert "SECRET" in client.get(url).content.decode()
