"""Plain text for search."""

from __future__ import annotations

from learningpaths.compiler.text import html_to_text


def test_blocks_entities_scripts_and_alt_text():
    html = (
        '<h1><a class="anchor" href="#x"></a>Deep&nbsp;learning</h1><p>A <b>bold</b>   claim &amp; more</p>'
        "<script>alert(1)</script><style>p{}</style><ul><li>one</li><li>two</li></ul>"
        '<img src="x.png" alt="a diagram"><pre><code>x = 1</code></pre>'
    )
    assert html_to_text(html) == "Deep learning\nA bold claim & more\none\ntwo\na diagram\nx = 1"


def test_empty_and_broken_html():
    assert html_to_text("") == ""
    assert html_to_text("<p>unclosed <div>stray</div></p></div>") == "unclosed\nstray"
