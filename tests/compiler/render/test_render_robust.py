"""The renderer never raises: random Markdown, odd inputs, and its own failures become diagnostics."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

import learningpaths.compiler.render.renderer as renderer
from learningpaths.compiler.render import render, render_object

from .conftest import make_input

FRAGMENTS = [
    "# ",
    "## ",
    "- ",
    "1. ",
    "> ",
    "```",
    "```python run id=a",
    "```python setup",
    "```gift",
    "```question",
    "~~~",
    ":::",
    "::: teacher",
    "::: teacher T",
    "::: info",
    "::::",
    "\n",
    "\n\n",
    "    ",
    "|",
    "|---|",
    "*",
    "_",
    "**",
    "`",
    "[",
    "]",
    "(",
    ")",
    "!",
    "![",
    "](",
    "@learning-object/",
    "@youtube/",
    "@pdf/",
    "@audio/",
    "@blockly/",
    "@widget/",
    "@widget/neuron?",
    "@notebook/",
    "@nope/",
    "https://",
    "www.youtube.com/watch?v=",
    "dwengo.org/learning-path.html?hruid=x&language=nl#a;nl;3",
    "img/logo.png",
    "../",
    "./",
    "%",
    "&",
    "=",
    "~",
    "#",
    "{",
    "}",
    "\\",
    "\\\\(",
    "\\\\)",
    "\\\\[",
    "\\\\]",
    "$",
    "$$",
    "<div>",
    "</div>",
    '<div class="teacher_only">',
    '<span class="teacher_only">',
    "</span>",
    "<img src=",
    "<script>",
    "</script>",
    "<iframe src=",
    "<pre>",
    "</pre>",
    "<center>",
    "<!--",
    "-->",
    '"',
    "'",
    "kind: multiple_choice\nprompt: p\noptions: [a, b]\nanswer: 0",
    "::t:: q {=a ~b}",
    "{#1..2}",
    "{T}",
    "<context>",
    "</context>",
    "µ",
    "é",
    "\t",
    "\r\n",
    "\x00",
]

markdown = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdown, st.sampled_from(["text/markdown", "text/ct-schema"]))
def test_random_markdown_never_raises(body, content_type):
    result = render(make_input(body, content_type=content_type))
    assert isinstance(result.html, str) and isinstance(result.teacher_html, str)
    assert all(d.line >= 0 and d.severity in ("error", "warning") for d in result.diagnostics)
    assert "<script" not in result.html.lower()


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_random_gift_never_raises(text):
    from learningpaths.compiler.render.gift import parse_gift

    specs, problems = parse_gift(text, 1)
    assert isinstance(specs, list) and isinstance(problems, list)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_random_question_yaml_never_raises(text):
    from learningpaths.compiler.render.questions import parse_question

    spec, problems = parse_question(text, 1)
    assert spec is not None or problems


def test_empty_and_whitespace_bodies():
    for body in ("", "\n", "   \n\n", None):
        result = render(make_input(body))
        assert result.html == "" or result.diagnostics


def test_internal_failure_becomes_a_diagnostic(monkeypatch):
    def boom(inp):
        raise RuntimeError("kaput")

    monkeypatch.setattr(renderer, "render", boom)
    result = render_object(make_input("x"))
    assert result.html == "" and [d.code for d in result.diagnostics] == ["lp.render_internal"]
    assert "kaput" in result.diagnostics[0].message


def test_unreadable_file_is_reported(tmp_path):
    (tmp_path / "quiz.txt").write_bytes(b"\xff\xfe bad utf-8 \x80")
    result = render(make_input(None, content_type="text/gift", folder=tmp_path))
    assert [d.code for d in result.diagnostics] == ["lp.read"]


def test_renderer_does_not_import_django():
    import subprocess
    import sys

    code = (
        "import sys, learningpaths.compiler.render.content_types, learningpaths.compiler.render.sanitize;"
        "sys.exit(1 if 'django' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_a_broken_rule_is_one_render_internal_error(broken_rule):
    result = render_object(make_input("# Title\n\nText."))
    assert [d.format() for d in result.diagnostics] == [
        "content/demo/index.md:0:0: error: the renderer failed on this object (ZeroDivisionError: division by zero) "
        "[lp.render_internal]\n    hint: this is a bug in learningpaths; please report it with the file"
    ]
    assert (result.html, result.teacher_html, result.questions, result.cells) == ("", "", [], [])


def test_a_gift_parser_bug_is_not_hidden_as_an_author_error(monkeypatch):
    import learningpaths.compiler.render.gift as gift

    def boom(*args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(gift, "_question", boom)
    result = render_object(make_input("```gift\n::q:: 1+1? {=2 ~3}\n```\n"))
    assert [(d.code, d.line) for d in result.diagnostics] == [("lp.render_internal", 0)]


def test_html_the_parser_refuses_is_shown_as_text():
    result = render(make_input("<div>a</div>\n\n<![foo[ x ]]>\n"))
    assert "&lt;![foo[ x ]]&gt;" in result.html and result.diagnostics == []
