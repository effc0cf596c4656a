from learningpaths.paths.embeds import defer_iframes


def test_third_party_iframes_are_deferred():
    out = defer_iframes(
        '<iframe width="420" src="https://www.youtube.com/embed/x?a=1&amp;b=2" allowfullscreen></iframe>'
    )
    assert 'data-lp-src="https://www.youtube.com/embed/x?a=1&amp;b=2"' in out
    assert ' src="' not in out and "hidden" in out
    assert "Load the content from www.youtube.com" in out


def test_same_site_iframes_and_other_html_are_untouched():
    html = '<p>src="https://x.org"</p><iframe src="/objects/a/en/1/"></iframe>'
    assert defer_iframes(html) == html


def test_the_button_speaks_the_lessons_language_when_the_site_has_it():
    html = '<iframe src="https://www.youtube.com/embed/x"></iframe>'
    assert "Laad de inhoud van www.youtube.com" in defer_iframes(html, "nl")  # UI language: English
    assert "Load the content from www.youtube.com" in defer_iframes(html, "en")
    assert "Load the content from www.youtube.com" in defer_iframes(html, "fr")  # no French UI: the UI's own
