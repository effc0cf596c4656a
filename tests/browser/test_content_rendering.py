"""Content that works in a real browser, in our pages and in a Dwengo client's page.

One small content tree, compiled with ``compilecontent``: a Dutch lesson with math, code, a YouTube
embed and two real Dwengo Blockly programs (one of standard blocks, one of Dwengo's own Dwenguino
blocks, copied from the shared samples), and an English lesson with neither math nor Blockly.
"""

from __future__ import annotations

import shutil
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from learningpaths.runtime import assets

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "dwengo" / "samples" / "learning_content"
STANDARD = SAMPLES / "learning_objects" / "Test" / "blockly" / "blocks.xml"
DWENGUINO = SAMPLES / "learning_objects" / "nederlands" / "exercises" / "general" / "0011_meta" / "Voorbeeld1.xml"
FRONT = """---
hruid: {hruid}
version: 1
language: {language}
title: "{title}"
description: "A test lesson"
content_type: text/markdown
target_ages: [14]
estimated_time: 5
skos_concepts: [http://ilearn.ilabt.imec.be/vocab/curr1/s-computers-en-systemen]
teacher_exclusive: false
---
"""
LESSON = r"""
De som \\( \sum_{i=1}^n x_i \\) en de kans $p < 1$:

\\[ \sigma(z) = \frac{1}{1+e^{-z}} \\]

```python
def f(x):
    return x + 1
```

![Een filmpje](@youtube/https://www.youtube.com/watch?v=abc123)

![Een lus](@blockly/standard.xml)

![Dwenguino](@blockly/dwenguino.xml)
"""
PLAIN = "# Plain\n\nNo math, no code, no programs here.\n"


def wait_js(browser, script: str, timeout: float = 30):
    return WebDriverWait(browser, timeout, poll_frequency=0.1).until(lambda b: b.execute_script(script))


@pytest.fixture
def lessons(settings, tmp_path):
    if not DWENGUINO.is_file():
        pytest.skip("shared samples are not present")
    settings.COMPILE_CACHE_DIR = tmp_path / "cache"
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    root = tmp_path / "tree" / "learning_objects"
    lesson = root / "nl" / "lesson"
    lesson.mkdir(parents=True)
    (lesson / "index.md").write_text(FRONT.format(hruid="les", language="nl", title="Een les") + LESSON)
    shutil.copy(STANDARD, lesson / "standard.xml")
    shutil.copy(DWENGUINO, lesson / "dwenguino.xml")
    plain = root / "en" / "plain"
    plain.mkdir(parents=True)
    (plain / "index.md").write_text(FRONT.format(hruid="plain", language="en", title="Plain") + PLAIN)
    call_command("compilecontent", str(tmp_path / "tree"), stdout=open("/dev/null", "w"))


def resources(browser) -> list[str]:
    return browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")


BLOCKS_READY = "return [...document.querySelectorAll('figure.lp-blockly')].every(f => /ready|partial|failed/.test(f.dataset.lpBlockly || ''))"


def assert_programs_drawn(browser):
    wait_js(browser, BLOCKS_READY)
    figures = browser.find_elements(By.CSS_SELECTOR, "figure.lp-blockly")
    assert len(figures) == 2
    for figure in figures:
        assert figure.get_attribute("data-lp-blockly") == "ready"
        svg = figure.find_element(By.CSS_SELECTOR, ".lp-blockly-workspace svg.blocklySvg")
        assert svg.is_displayed() and svg.size["height"] >= 40 and svg.size["width"] >= 100
        assert svg.get_attribute("role") == "img" and svg.get_attribute("aria-label").startswith("Blockly-programma")
        # Every block of the file is drawn, and the XML is still there to read or download.
        xml = figure.find_element(By.CSS_SELECTOR, "details pre code").get_attribute("textContent")
        assert int(figure.get_attribute("data-lp-blocks")) == xml.count("<block ") > 0
        assert len(svg.find_elements(By.CSS_SELECTOR, ".blocklyBlockCanvas path.blocklyPath")) >= xml.count("<block ")
        assert figure.find_element(By.CSS_SELECTOR, "figcaption a[download]")
        # Read-only: a picture of the blocks; nothing in it takes the focus or can be edited.
        assert not svg.find_elements(By.CSS_SELECTOR, "[tabindex], foreignObject, input, textarea")
    assert not browser.find_elements(
        By.CSS_SELECTOR, ".blocklyToolbox, .blocklyToolboxDiv, .blocklyFlyout, .injectionDiv"
    )
    assert browser.execute_script("return Blockly.Workspace.getAll().length") == 0  # the drawing workspaces are gone
    # Dwengo's own blocks (not in Blockly) are generic labelled blocks, their fields shown.
    text = figures[1].find_element(By.CSS_SELECTOR, "svg.blocklySvg").get_attribute("textContent").replace("\xa0", " ")
    assert "setup loop structure" in text and "dwenguino lcd" in text and "Welkom robot" in text
    # Blockly's own blocks speak the lesson's language (Dutch), whatever the UI's.
    standard = figures[0].find_element(By.CSS_SELECTOR, "svg.blocklySvg").get_attribute("textContent")
    assert "herhaal" in standard.replace("\xa0", " ")


def test_blockly_programs_show_as_read_only_blocks_only_where_there_are_programs(browser, live_server, lessons):
    browser.get(live_server.url + "/objects/les/nl/1/")
    assert_programs_drawn(browser)
    # Dragging a block moves nothing.
    from selenium.webdriver import ActionChains

    block = browser.find_elements(By.CSS_SELECTOR, "figure.lp-blockly .blocklyBlockCanvas > g")[-1]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", block)
    before = (block.get_attribute("transform"), block.location)
    ActionChains(browser).drag_and_drop_by_offset(block, 30, 20).perform()
    assert (block.get_attribute("transform"), block.location) == before
    assert any("/vendor/blockly/blockly_compressed" in r for r in resources(browser))
    assert browser.execute_script("return document.querySelectorAll('.math .katex').length") == 3

    browser.get(live_server.url + "/objects/plain/en/1/")
    browser.execute_script("return document.readyState")
    assert not any("blockly" in r for r in resources(browser))


def test_get_wrapped_renders_math_code_embeds_and_blocks_with_our_own_files(browser, live_server, lessons):
    browser.get(live_server.url + "/api/learningObject/getWrapped?hruid=les&language=nl")
    assert_programs_drawn(browser)
    wait_js(browser, "return document.querySelectorAll('.math .katex').length === 3")
    wait_js(browser, "return document.querySelector('code.language-python.hljs') !== null")
    frame = browser.find_element(By.CSS_SELECTOR, "iframe")
    assert frame.get_attribute("src") == "https://www.youtube.com/embed/abc123"  # the client decides on consent
    own = live_server.url
    scripts = browser.execute_script(
        "return [...document.querySelectorAll('script[src], link[href]')].map(e => e.src || e.href)"
    )
    assert scripts and all(s.startswith(own) for s in scripts)
    assert all(r.startswith(own) or "youtube.com" in r for r in resources(browser))


def test_get_raw_math_is_typeset_by_mathjax_in_a_client_page(browser, live_server, lessons, tmp_path):
    """A Dwengo client (dwengo.org's viewer) puts getRaw's HTML in its page and runs MathJax 3 over it."""
    if not assets.MATHJAX_JS.is_file():
        pytest.fail("MathJax is not vendored: run scripts/vendor_assets.py")
    with urllib.request.urlopen(live_server.url + "/api/learningObject/getRaw?hruid=les&language=nl") as response:
        fragment = response.read().decode()
    assert fragment.count('class="math ') == 3
    page = tmp_path / "client.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<script src='{live_server.url}/static/vendor/mathjax/tex-mml-chtml.js'></script></head>"
        f"<body><div id='content'>{fragment}</div></body></html>"
    )
    browser.get(page.as_uri())
    # (Its fonts come from another origin than the file:// page and are refused by CORS; the
    # typesetting itself does not need them.)
    wait_js(browser, "return document.querySelectorAll('mjx-container').length === 3")
    assert len(browser.find_elements(By.CSS_SELECTOR, "span.math.inline mjx-container")) == 2
    assert len(browser.find_elements(By.CSS_SELECTOR, "div.math.display mjx-container[display='true']")) == 1
    text = browser.find_element(By.ID, "content").text
    assert "\\(" not in text and "\\[" not in text and "\\sum" not in text


def test_get_raw_math_is_typeset_by_katex_auto_render_in_a_client_page(browser, live_server, lessons, tmp_path):
    """The other common client setup: KaTeX's auto-render with its default delimiters."""
    with urllib.request.urlopen(live_server.url + "/api/learningObject/getRaw?hruid=les&language=nl") as response:
        fragment = response.read().decode()
    katex = f"{live_server.url}/static/vendor/katex/"
    page = tmp_path / "client.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<script src='{katex}katex.min.js'></script><script src='{katex}contrib/auto-render.min.js'></script>"
        "</head><body><div id='content'>" + fragment + "</div>"
        "<script>renderMathInElement(document.getElementById('content'))</script></body></html>"
    )
    browser.get(page.as_uri())
    wait_js(browser, "return document.querySelectorAll('.katex').length === 3")
    assert len(browser.find_elements(By.CSS_SELECTOR, "div.math.display .katex-display")) == 1
    assert "\\(" not in browser.find_element(By.ID, "content").text


def test_pages_with_blocks_math_and_embeds_pass_the_accessibility_audit(browser, live_server, lessons):
    """The object page and getWrapped, with their Blockly workspaces drawn. getWrapped stands alone
    (an object in a client's frame): no banner, navigation or skip link, all else must pass."""
    from tests.browser import a11y

    def drawn(b):
        wait_js(b, BLOCKS_READY)

    standalone = ("page <header>s", "no <nav>", "is not a skip link", "no skip link")
    # getWrapped's YouTube iframe is live and this machine has no internet: the frame's error page
    # swallows Tab, which says nothing about our page.
    standalone += ("iframe: never reached with Tab",)
    reports = {
        "object": a11y.audit(browser, live_server.url + "/objects/les/nl/1/", prepare=drawn),
        "getWrapped": a11y.audit(
            browser, live_server.url + "/api/learningObject/getWrapped?hruid=les&language=nl", lang="nl", prepare=drawn
        ),
    }
    reports["getWrapped"] = {
        check: [p for p in problems if not any(s in p for s in standalone)]
        for check, problems in reports["getWrapped"].items()
    }
    assert not any(v for r in reports.values() for v in r.values()), a11y.failures(reports)


def test_a_broken_program_does_not_stop_the_others(browser, live_server, settings, tmp_path):
    """Invalid XML leaves its XML panel and download as they were; an unknown block type in a
    value slot, with a mutation and a field, is a generic block with an output connection."""
    from learningpaths.compiler.render import media
    from learningpaths.paths.services import content_sync
    from tests.conftest import compile_result, compiled_object

    settings.CONTENT_ASSET_ROOT = tmp_path
    odd = (
        '<xml xmlns="https://developers.google.com/blockly/xml"><block type="controls_if" x="10" y="10">'
        '<value name="IF0"><block type="robot_sees_wall"><mutation sides="2"/><field name="SIDE">LEFT</field>'
        "</block></value></block></xml>"
    )
    html = media.blockly("<xml><block type=", "/nope.xml", "broken.xml", "en") + media.blockly(
        odd, "/odd.xml", "odd.xml", "en"
    )
    content_sync(result=compile_result([compiled_object("programs", html=html)]))
    browser.get(live_server.url + "/objects/programs/en/1/")
    wait_js(browser, BLOCKS_READY)
    broken, good = browser.find_elements(By.CSS_SELECTOR, "figure.lp-blockly")
    assert broken.get_attribute("data-lp-blockly") == "failed" and not broken.find_elements(By.TAG_NAME, "svg")
    assert broken.find_element(By.CSS_SELECTOR, "figcaption a[download]")
    assert good.get_attribute("data-lp-blockly") == "ready" and good.get_attribute("data-lp-blocks") == "2"
    text = good.find_element(By.CSS_SELECTOR, "svg").get_attribute("textContent").replace("\xa0", " ")
    assert "robot sees wall" in text and "LEFT" in text


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared samples are not present")
def test_every_blockly_program_of_the_dwengo_samples_is_drawn(browser, live_server, settings, tmp_path, teacher):
    """The real Dwengo content: every object with a program (content type blockly, @blockly/ and
    transclusions of those), teacher-only ones too, draws all of its programs."""
    from learningpaths.paths.models import LearningObject
    from tests.browser.conftest import sign_in

    settings.COMPILE_CACHE_DIR = tmp_path / "cache"
    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    call_command("compilecontent", str(SAMPLES), "--allow-errors", stdout=open("/dev/null", "w"))
    objects = [o for o in LearningObject.objects.all() if 'class="lp-blockly' in o.teacher_html]
    assert len(objects) >= 6
    sign_in(browser, live_server, "teach", "pw-teacher-123")
    drawn = 0
    for obj in objects:
        browser.get(live_server.url + obj.get_absolute_url())
        wait_js(browser, BLOCKS_READY)
        states = browser.execute_script(
            "return [...document.querySelectorAll('figure.lp-blockly')].map(f => f.dataset.lpBlockly)"
        )
        assert states and set(states) == {"ready"}, (obj.hruid, obj.language, states)
        drawn += len(states)
    assert drawn >= len(objects)


def test_a_step_swapped_in_by_the_path_player_draws_its_program(browser, live_server, settings, tmp_path):
    """The first step has no program (no Blockly loaded); the next one, swapped in place, has one."""
    from learningpaths.compiler.render import media
    from learningpaths.paths.services import content_sync
    from tests.conftest import compile_result, compiled_object, compiled_path

    settings.CONTENT_ASSET_ROOT = tmp_path
    program = media.blockly(DWENGUINO.read_text(), "/x.xml", "x.xml", "nl") if DWENGUINO.is_file() else ""
    if not program:
        pytest.skip("shared samples are not present")
    intro = compiled_object("intro", language="nl", html="<p>Geen programma.</p>")
    robot = compiled_object("robot", language="nl", html=program)
    content_sync(result=compile_result([intro, robot], [compiled_path("robots", [intro, robot], language="nl")]))
    browser.get(live_server.url + "/paths/robots/nl/intro/")
    browser.execute_script("window.__visit = 1;")
    assert not any("blockly" in r for r in resources(browser))
    browser.find_element(By.CSS_SELECTOR, '.pager a[rel="next"]').click()
    wait_js(browser, "return document.querySelector('figure.lp-blockly') !== null")
    wait_js(browser, BLOCKS_READY)
    assert browser.execute_script("return window.__visit") == 1  # swapped in place, no full load
    figure = browser.find_element(By.CSS_SELECTOR, "figure.lp-blockly")
    assert figure.get_attribute("data-lp-blockly") == "ready" and figure.get_attribute("data-lp-blocks") == "5"
