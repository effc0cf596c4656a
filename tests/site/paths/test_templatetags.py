"""The catalogue's cards (issue 20): languages as words in the UI language with the UI's language
first, and a colour band of each path's own."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from learningpaths.paths.templatetags.paths import language_word, path_hue
from tests.conftest import compile_result, compiled_object, compiled_path


def test_language_word_in_the_ui_language_and_safe_for_any_code():
    with translation.override("en"):
        assert language_word("nl") == "Dutch" and language_word("fr") == "French"
    with translation.override("nl"):
        assert language_word("nl") == "Nederlands" and language_word("en") == "Engels"
    # Content may carry any language code; an unknown one (or garbage) is shown as it is, never a 500.
    assert language_word("tlh") == "tlh" and language_word("") == "" and language_word("x" * 300) == "x" * 300


def test_path_hue_is_stable_and_differs_between_paths():
    assert path_hue("deep_learning") == path_hue("deep_learning")
    assert 0 <= path_hue("deep_learning") < 360
    assert len({path_hue(f"path_{i}") for i in range(20)}) > 10  # paths tell apart


@pytest.fixture
def two_languages(db, settings, tmp_path):
    from learningpaths.paths.services import content_sync

    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    en, nl = compiled_object("a", title="Alpha"), compiled_object("a", title="Alfa", language="nl")
    paths = [compiled_path("deep", [en], title="Deep EN"), compiled_path("deep", [nl], "nl", title="Diep NL")]
    content_sync(result=compile_result([en, nl], paths))


@pytest.mark.parametrize(("ui", "first", "word"), [("en", "Deep EN", "English"), ("nl", "Diep NL", "Nederlands")])
def test_every_language_shows_the_ui_language_first_as_words(client, two_languages, settings, ui, first, word):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = ui
    page = client.get("/?language=all").content.decode()
    titles = re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', page)
    assert titles[0] == first and len(titles) == 2, titles
    assert f'class="badge badge-language" lang="{ui}"' in page
    assert re.search(r'<span class="badge badge-language"[^>]*><span class="visually-hidden">[^<]+</span>' + word, page)
    assert re.search(r"--card-hue: \d+", page)
